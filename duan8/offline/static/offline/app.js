/* The offline entry page (issue 17): events and mothers' proposals typed without a signal, kept
   on the phone (store.js) and sent to the API when there is one.

   - The user's lists and rules come from the data URL (du-lieu.json); the service worker answers
     with its cached copy when there is no network. The forms are in the template; this script
     fills their lists, reads them into the API's JSON and checks it with the server's own rules
     (rules.js) before keeping it.
   - Only the signed-in user's entries are listed and sent; another account's are counted only.
   - Sending (sync): fresh data first (its CSRF token; a sign-in page instead of JSON means the
     session has ended: the entries stay), then each waiting entry in the order typed, its id as
     the Idempotency-Key, so that a retry never records twice. Refused entries stay, with the
     server's message, to be corrected or deleted. One sync at a time. */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root || !window.duan8Store || !window.duan8Rules) { return; }
  var Store = window.duan8Store;
  var PAGE_CACHE = "duan8-offline-pages";
  var RETRY_MS = 60000;
  var attr = function (name) { return root.getAttribute("data-" + name); };
  var $ = function (selector, context) { return (context || document).querySelector(selector); };
  var $$ = function (selector, context) {
    return Array.prototype.slice.call((context || document).querySelectorAll(selector));
  };
  function t(name) {
    var node = document.getElementById("t-" + name);
    return node ? JSON.parse(node.textContent) : "";
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function option(select, value, label) {
    var node = el("option", "", label);
    node.value = value;
    select.appendChild(node);
    return node;
  }
  function int(value) { return /^\s*\d+\s*$/.test(value) ? parseInt(value, 10) : null; }
  function dmy(iso) { return iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : ""; }
  function byId(list, id) {
    return (list || []).filter(function (item) { return item.id === id; })[0] || null;
  }

  var forms = { event: $("#event-entry"), "case": $("#case-entry") };
  var pageUser = int(attr("user") || "");  // the account the page was served to
  var data = null;        // the bootstrap (du-lieu.json), when it is this account's
  var waits = 0;
  var entries = [];       // every entry on the phone, any account's
  var syncing = false;
  var saving = false;
  var later = false;      // the last sync found no network (or a busy server)

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(attr("worker-url"), { scope: "/" })["catch"](function () {});
    /* The first time, the page and its data were read before the worker took control: read
       them again through it, so that it keeps them for the first trip out of range. */
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      [location.pathname, attr("data-url")].forEach(function (url) {
        fetch(url, { credentials: "same-origin" })["catch"](function () {});
      });
    });
  }

  /* --- the data ------------------------------------------------------------------------- */

  /* {data} from the network (or the worker's copy), else {problem: "signin" | "later"}.
     A redirect (to the sign-in page) is not followed: reading that page would set a new CSRF
     cookie, under the feet of a sign-in form open in another tab. */
  function fetchData() {
    return fetch(attr("data-url"), {
      credentials: "same-origin", cache: "no-store", redirect: "manual",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status === 429 || response.status >= 500) { return { problem: "later" }; }
      if (!response.ok || response.redirected || type.indexOf("json") === -1) {
        return { problem: "signin" };
      }
      return response.json().then(function (json) {
        return json && json.user ? { data: json } : { problem: "signin" };
      });
    }, function () { return { problem: "later" }; });
  }

  /* The copy the worker keeps, read directly (the network answered with a sign-in page). */
  function cachedData() {
    if (!window.caches) { return Promise.resolve(null); }
    var url = new URL(attr("data-url"), location.href).href;
    return caches.open(PAGE_CACHE).then(function (cache) { return cache.match(url); })
      .then(function (hit) { return hit ? hit.json() : null; })["catch"](function () { return null; });
  }

  function part(form) { return data && data[form === "event" ? "events" : "cases"]; }

  /* --- the forms' lists ----------------------------------------------------------------- */

  function fix(select, fixed) {  // one choice: shown as text, not as a list
    var field = select.closest(".field");
    var shown = $(".fixed-value", field) || field.appendChild(el("p", "fixed-value"));
    field.classList.toggle("is-fixed", fixed);
    shown.textContent = fixed && select.options.length ? select.options[0].textContent : "";
  }

  function fill(select, items, value, label, empty) {
    select.innerHTML = "";
    if (empty && items.length !== 1) { option(select, "", t("choose")); }
    items.forEach(function (item) { option(select, value(item), label(item)); });
    fix(select, items.length === 1);
  }

  function eventPlan() {
    var events = data.events, form = forms.event;
    return byId(events.plans, int(form.elements.plan.value)) || events.plans[0] || null;
  }

  /* The units and activities of the chosen plan; the date proposed when in its year. */
  function eventPlanChanged() {
    var form = forms.event, events = data.events, plan = eventPlan();
    if (!plan) { return; }
    fill(form.elements.org_unit, events.units.filter(function (u) { return u.commune === plan.commune; }),
      function (u) { return u.id; }, function (u) { return u.name; }, true);
    fill(form.elements.activity, plan.activities, function (a) { return a.code; },
      function (a) { return a.label; }, true);
    $$("option", form.elements.activity).forEach(function (node, i) {
      var activity = plan.activities[i - (plan.activities.length === 1 ? 0 : 1)];
      if (activity && activity.kind) { node.setAttribute("data-kind", activity.kind); }
    });
    var today = data.today || window.duan8Rules.today();
    if (!form.elements.held_on.value || form.elements.held_on.value.slice(0, 4) !== String(plan.year)) {
      form.elements.held_on.value = today.slice(0, 4) === String(plan.year) ? today : "";
    }
  }

  function caseCommuneChanged() {
    var form = forms["case"], cases = data.cases;
    var commune = byId(cases.communes, int(form.elements.commune.value)) || cases.communes[0];
    fill(form.elements.village, commune.villages, function (v) { return v.id; },
      function (v) { return v.name; }, true);
  }

  function build() {
    var events = data.events, cases = data.cases;
    if (events) {
      var ev = forms.event.elements;
      fill(ev.plan, events.plans, function (p) { return p.id; }, function (p) { return p.label; }, false);
      fill(ev.kind, events.kinds, function (k) { return k[0]; }, function (k) { return k[1]; }, true);
      fix(ev.kind, false);
      ev.held_on.value = "";
      eventPlanChanged();
    }
    if (cases) {
      var cs = forms["case"].elements;
      fill(cs.commune, cases.communes, function (c) { return c.id; }, function (c) { return c.name; }, false);
      fill(cs.ethnic_code, data.ethnic_groups || [], function (g) { return g.code; },
        function (g) { return g.code + " · " + g.name; }, true);
      fix(cs.ethnic_code, false);
      caseCommuneChanged();
    }
    $("#choose-form").hidden = !(events && cases);
    $("#no-right").hidden = !!(events || cases);
    choose(events ? "event" : cases ? "case" : null);
  }

  function choose(name) {
    Object.keys(forms).forEach(function (key) { forms[key].hidden = key !== name; });
    $$("#choose-form button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-form") === name));
    });
  }

  /* The running total of the participant grid, and the kind an activity proposes. */
  function total() {
    var box = $(".count-total", forms.event), all = 0, women = 0;
    $$("input.count-input", forms.event).forEach(function (input) {
      var n = int(input.value) || 0;
      all += n;
      if (input.name.indexOf("n-F-") === 0) { women += n; }
    });
    $("output", box).textContent = box.getAttribute("data-template")
      .replace("{total}", all).replace("{women}", women);
    box.hidden = all === 0;
  }

  /* --- reading a form into the API's JSON ------------------------------------------------- */

  /* {body, facts (what the rules read), problems (numbers that are not numbers)} */
  function readEvent() {
    var f = forms.event.elements, counts = [], problems = [];
    $$("input.count-input", forms.event).forEach(function (input) {
      var raw = input.value.trim(), parts = input.name.split("-");
      if (raw === "" && !(input.validity && input.validity.badInput)) { return; }
      if (int(raw) === null) {
        problems.push({ field: input.name, message: t("number"), code: "invalid" });
      } else if (int(raw) > 0) {
        counts.push({ sex: parts[1], minority: parts[2] === "minority", age_group: parts[3], count: int(raw) });
      }
    });
    var body = {
      plan: int(f.plan.value), org_unit: int(f.org_unit.value), activity: f.activity.value,
      kind: f.kind.value, title: f.title.value.trim(), held_on: f.held_on.value,
      ended_on: f.ended_on.value || null, place: f.place.value.trim(), counts: counts
    };
    var plan = byId(data.events.plans, body.plan);
    var facts = JSON.parse(JSON.stringify(body));
    facts.plan_year = plan ? plan.year : null;
    return { body: body, facts: facts, problems: problems };
  }

  var CASE_TEXT = ["full_name", "ethnic_code", "id_number", "phone", "household", "place", "mode",
    "carer_name"];
  function readCase() {
    var f = forms["case"].elements, problems = [];
    var body = { commune: int(f.commune.value), village: int(f.village.value) };
    CASE_TEXT.forEach(function (name) { body[name] = f[name].value.trim(); });
    ["birth_year", "babies"].forEach(function (name) {
      var raw = f[name].value.trim();
      body[name] = int(raw);
      if ((raw !== "" && body[name] === null) || (f[name].validity && f[name].validity.badInput)) {
        problems.push({ field: name, message: t("number"), code: "invalid" });
      }
    });
    ["expected_on", "delivered_on"].forEach(function (name) { body[name] = f[name].value || null; });
    body.has_carer = f.has_carer.checked;
    return { body: body, facts: JSON.parse(JSON.stringify(body)), problems: problems };
  }

  /* The form's own problems, then the rules' (the server's table), one per field. */
  function problemsOf(name, read) {
    var given = part(name), seen = {}, found = read.problems.slice();
    try {
      found = found.concat(window.duan8Rules.check(given.rules || [], read.facts, { refs: given.refs || {} }));
    } catch (e) {  // rules the page cannot read: the server checks them when sent
      if (window.console) { console.error(e); }
    }
    return found.filter(function (p) { var dup = seen[p.field]; seen[p.field] = true; return !dup; });
  }

  /* --- problems beside their fields ------------------------------------------------------- */

  function place(form, field) {
    var marked = $$("[data-fields]", form).filter(function (node) {
      return node.getAttribute("data-fields").split(" ").indexOf(field) !== -1;
    })[0];
    if (marked) { return marked; }
    var input = form.elements[field];
    if (!input || !input.closest) { return null; }
    return input.closest("td") || input.closest(".field");
  }

  function clearProblems(form) {
    $$(".field-error", form).forEach(function (node) { node.parentNode.removeChild(node); });
    $$(".has-error", form).forEach(function (node) { node.classList.remove("has-error"); });
    $("#entry-problems").hidden = true;
  }

  function showProblems(form, problems) {
    clearProblems(form);
    var box = $("#entry-problems"), list = $("ul", box);
    list.innerHTML = "";
    problems.forEach(function (problem) {
      var spot = place(form, problem.field), item = el("li");
      var label = spot && $("label, legend", spot);
      var name = spot && spot.tagName === "TD" ? spot.querySelector("input").getAttribute("aria-label")
        : label ? label.textContent.trim() : "";
      item.textContent = (name ? name + ": " : "") + problem.message;
      list.appendChild(item);
      if (!spot) { return; }
      spot.classList.add("has-error");
      var message = el("p", "field-error", problem.message);
      var anchor = spot.tagName === "TD" ? null : $("label, legend", spot);
      if (anchor && anchor.tagName === "LEGEND") { anchor = $(".help", spot) || anchor; }
      if (anchor && anchor.nextSibling) { spot.insertBefore(message, anchor.nextSibling); }
      else { spot.appendChild(message); }
      var details = spot.closest("details");
      if (details) { details.open = true; }
    });
    box.hidden = problems.length === 0;
  }

  /* --- keeping, editing ------------------------------------------------------------------- */

  function resetForm(form) {
    form.reset();
    form.removeAttribute("data-editing");
    $(".editing-note", form).hidden = true;
    $(".entry-cancel", form).hidden = true;
    clearProblems(form);
    if (form === forms.event && data.events) { forms.event.elements.held_on.value = ""; eventPlanChanged(); total(); }
    if (form === forms["case"] && data.cases) { caseCommuneChanged(); }
  }

  function save(name, event) {
    event.preventDefault();
    if (saving || !data) { return; }
    var form = forms[name], read = name === "event" ? readEvent() : readCase();
    var problems = problemsOf(name, read);
    $("#saved-note").hidden = true;
    if (problems.length) {
      showProblems(form, problems);
      $("#entry-problems").focus();
      return;
    }
    var old = byId(entries, form.getAttribute("data-editing"));
    var now = new Date().toISOString();
    var entry = {
      id: old ? old.id : Store.uuid(), user: pageUser, form: name, body: read.body,
      state: "waiting", detail: "", problems: [], created: old ? old.created : now, updated: now
    };
    saving = true;
    Store.put(entry).then(function () {
      resetForm(form);
      $("#saved-note").hidden = false;
      return refresh();
    }).then(function () {
      saving = false;
      sync();
    }, function (e) { saving = false; if (window.console) { console.error(e); } });
  }

  function setValue(form, name, value) {
    var input = form.elements[name];
    if (!input) { return; }
    if (input.type === "checkbox") { input.checked = !!value; }
    else { input.value = value === null || value === undefined ? "" : String(value); }
  }

  function edit(entry) {
    var form = forms[entry.form], body = entry.body;
    if (!form || !part(entry.form)) { return; }
    choose(entry.form);
    resetForm(form);
    if (entry.form === "event") {
      setValue(form, "plan", body.plan);
      eventPlanChanged();
      Object.keys(body).forEach(function (key) { if (key !== "counts") { setValue(form, key, body[key]); } });
      (body.counts || []).forEach(function (c) {
        setValue(form, "n-" + c.sex + "-" + (c.minority ? "minority" : "other") + "-" + c.age_group, c.count);
      });
      total();
    } else {
      setValue(form, "commune", body.commune);
      caseCommuneChanged();
      Object.keys(body).forEach(function (key) { setValue(form, key, body[key]); });
    }
    form.setAttribute("data-editing", entry.id);
    $(".editing-note", form).hidden = false;
    $(".entry-cancel", form).hidden = false;
    if (entry.problems && entry.problems.length) { showProblems(form, entry.problems); }
    form.scrollIntoView();
  }

  /* --- the lists ------------------------------------------------------------------------ */

  function label(entry) {
    var b = entry.body || {};
    if (entry.form === "event") {
      var unit = data && data.events ? byId(data.events.units, b.org_unit) : null;
      return [b.title || t("untitled"), dmy(b.held_on), unit ? unit.name : ""].filter(Boolean).join(" · ");
    }
    var commune = data && data.cases ? byId(data.cases.communes, b.commune) : null;
    var village = commune ? byId(commune.villages, b.village) : null;
    return [b.full_name || t("untitled"), village ? village.name : ""].filter(Boolean).join(" · ");
  }

  function mine() {
    return entries.filter(function (e) { return e.user === pageUser; });
  }

  function status() {
    var count = t("count").replace("{count}", mine().length);
    $("#offline-status").textContent = (syncing ? t("sending") : navigator.onLine ? t("online")
      : t("offline")) + " · " + count + (later && !syncing && navigator.onLine ? " · " + t("later") : "");
  }

  function render() {
    var list = $("#waiting"), own = mine(), others = entries.length - own.length;
    list.innerHTML = "";
    own.forEach(function (entry) {
      var item = $("#entry-template").content.firstElementChild.cloneNode(true);
      item.setAttribute("data-id", entry.id);
      item.setAttribute("data-state", entry.state);
      $(".entry-label", item).textContent = label(entry);
      $(".entry-state", item).textContent = entry.state === "refused" ? t("refused") : t("waiting");
      if (entry.state === "refused") {
        var box = $(".entry-error", item), said = [entry.detail];
        box.hidden = false;
        box.appendChild(el("p", "", entry.detail));
        (entry.problems || []).forEach(function (p) {
          if (said.indexOf(p.message) === -1) { said.push(p.message); box.appendChild(el("p", "", p.message)); }
        });
        $(".entry-confirm", item).hidden = !(entry.problems || []).some(function (p) {
          return p.code === "duplicate";
        });
      }
      $(".entry-edit", item).addEventListener("click", function () { edit(entry); });
      $(".entry-delete", item).addEventListener("click", function () {
        if (!window.confirm(t("confirm-delete"))) { return; }
        Store.remove(entry.id).then(refresh);
      });
      $(".entry-confirm", item).addEventListener("click", function () {
        entry.body.confirm_duplicate = true;
        entry.state = "waiting";
        entry.detail = "";
        entry.problems = [];
        Store.put(entry).then(refresh).then(sync);
      });
      list.appendChild(item);
    });
    $("#waiting-count").textContent = String(own.length);
    var other = $("#other-account");
    other.hidden = others === 0;
    other.textContent = t("other").replace("{count}", others);
    status();
  }

  function refresh() {
    return Store.all().then(function (all) { entries = all; render(); }, function () { render(); });
  }

  function sent(entry, answer) {
    var item = el("li", "sent", label(entry));
    if (entry.form === "event" && answer && answer.id) {
      var link = el("a", "", t("open"));
      link.href = attr("event-url").replace("{id}", answer.id);
      item.appendChild(document.createTextNode(" · "));
      item.appendChild(link);
    }
    $("#sent").insertBefore(item, $("#sent").firstChild);
  }

  /* --- sending ---------------------------------------------------------------------------- */

  function signin(needed) { $("#signin-needed").hidden = !needed; }

  /* One entry: "next" (sent or refused), or "stop" (sign in again, or try later). */
  function send(entry) {
    var url = attr(entry.form === "event" ? "events-url" : "cases-url");
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(entry.body),
      headers: {
        "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": data.csrf, "Idempotency-Key": entry.id,
        "Accept-Language": document.documentElement.lang || "vi"
      }
    }).then(function (response) {
      return response.json().then(null, function () { return null; }).then(function (json) {
        return { status: response.status, json: json || {}, redirected: response.redirected };
      });
    }, function () { return { status: 0, json: {} }; }).then(function (answer) {
      var s = answer.status, json = answer.json;
      if (s === 200 || s === 201) {
        return Store.remove(entry.id).then(function () { sent(entry, json); return "next"; });
      }
      if (s === 401 || answer.redirected || (s === 403 && json.code === "csrf_failed")) {
        signin(true);
        return "stop";
      }
      if ([400, 403, 404, 409, 422].indexOf(s) !== -1) {
        entry.state = "refused";
        entry.detail = json.detail || "";
        entry.problems = (json.errors || []).map(function (p) {
          return { field: p.row === null || p.row === undefined ? p.field : p.field + "." + p.row,
            message: p.message, code: p.code };
        });
        if (json.code && !entry.problems.length) {
          entry.problems = [{ field: "__all__", message: entry.detail, code: json.code }];
        }
        entry.updated = new Date().toISOString();
        return Store.put(entry).then(function () { return "next"; });
      }
      return "stop";  // no network, 429, 5xx: later
    });
  }

  function sync() {
    if (syncing || !data || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    status();
    var editing = Object.keys(forms).map(function (k) { return forms[k].getAttribute("data-editing"); });
    return Store.all().then(function (all) {
      entries = all;
      var todo = mine().filter(function (e) { return e.state === "waiting" && editing.indexOf(e.id) === -1; });
      if (!todo.length) { return null; }
      return fetchData().then(function (answer) {
        later = answer.problem === "later";
        if (answer.problem) { signin(answer.problem === "signin"); return null; }
        signin(false);
        if (answer.data.user.id !== pageUser) { later = true; return null; }  // not this account's
        data = answer.data;
        return todo.reduce(function (previous, entry) {
          return previous.then(function (went) { return went === "stop" ? "stop" : send(entry); });
        }, Promise.resolve("next")).then(function (went) {
          later = went === "stop" && $("#signin-needed").hidden;
        });
      });
    })["catch"](function (e) { if (window.console) { console.error(e); } }).then(function () {
      syncing = false;
      return refresh();
    });
  }

  /* --- start ------------------------------------------------------------------------------- */

  function start(answer) {
    signin(answer.problem === "signin");
    var given = answer.data;
    if (given && given.user.id !== pageUser) {
      /* The worker's copy, kept for another account (the network was slow): never used; the
         worker keeps the network's answer when it comes, read from its cache. */
      refresh();
      if (waits < 30) {
        waits += 1;
        setTimeout(function () {
          cachedData().then(function (kept) { start({ data: kept, problem: answer.problem }); });
        }, 1000);
        return;
      }
      given = null;
    }
    if (!given) { $("#load-error").hidden = false; refresh(); return; }
    $("#load-error").hidden = true;
    data = given;
    build();
    refresh().then(function () { if (navigator.onLine && !answer.problem) { sync(); } });
  }

  Object.keys(forms).forEach(function (name) {
    forms[name].addEventListener("submit", function (event) { save(name, event); });
    $(".entry-cancel", forms[name]).addEventListener("click", function () { resetForm(forms[name]); });
  });
  var kindTouched = false;
  forms.event.elements.kind.addEventListener("change", function () { kindTouched = true; });
  forms.event.elements.activity.addEventListener("change", function () {
    var select = forms.event.elements.activity, chosen = select.options[select.selectedIndex];
    var proposed = chosen && chosen.getAttribute("data-kind");
    if (proposed && (!kindTouched || !forms.event.elements.kind.value)) { forms.event.elements.kind.value = proposed; }
  });
  forms.event.elements.plan.addEventListener("change", eventPlanChanged);
  forms["case"].elements.commune.addEventListener("change", caseCommuneChanged);
  $$("input.count-input", forms.event).forEach(function (input) { input.addEventListener("input", total); });
  $$("#choose-form button").forEach(function (button) {
    button.addEventListener("click", function () { choose(button.getAttribute("data-form")); });
  });
  $("#send-now").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", status);
  setInterval(function () {
    var waiting = mine().some(function (e) { return e.state === "waiting"; });
    if (waiting && navigator.onLine) { sync(); }
  }, RETRY_MS);

  fetchData().then(function (answer) {
    if (answer.data) { return answer; }
    return cachedData().then(function (cached) {
      return { data: cached && cached.user ? cached : null, problem: answer.problem };
    });
  }).then(start);
})();
