/* Entry rules as data, read in the browser: the twin of duan8/core/rules_engine.py.
   The server sends a form's rules (messages translated); check(rules, data, refs) returns the
   same problems the server's check finds, [{field, message, code}], at most one per field.
   core/tests/rules_cases.json holds the cases both evaluators must answer alike; read the
   Python module's docstring for the rules' format and operators. */
(function (root) {
  "use strict";

  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  function isNumber(v) { return typeof v === "number" && isFinite(v); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function truthy(v) { return Array.isArray(v) ? v.length > 0 : !!v; }
  function comparable(a, b) {
    return (isNumber(a) && isNumber(b)) || (typeof a === "string" && typeof b === "string");
  }
  function parseDate(v) {
    if (typeof v !== "string") { return null; }
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (!m) { return null; }
    var y = +m[1], mo = +m[2], d = +m[3];
    var back = new Date(0);
    back.setUTCFullYear(y, mo - 1, d);  // not Date.UTC, which reads years 0-99 as 1900-1999
    var t = back.getTime();
    if (y < 1) { return null; }
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
      return null;
    }
    return { y: y, m: mo, d: d, t: t };
  }
  function pad(n, w) { var s = String(n); while (s.length < w) { s = "0" + s; } return s; }
  function localToday() {
    var now = new Date();
    return pad(now.getFullYear(), 4) + "-" + pad(now.getMonth() + 1, 2) + "-" + pad(now.getDate(), 2);
  }
  function getVar(scope, name) {
    var value = scope, parts = String(name).split(".");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (Array.isArray(value)) {
        if (!/^\d+$/.test(part) || +part >= value.length) { return null; }
        value = value[+part];
      } else if (isObject(value)) {
        value = own(value, part) ? value[part] : null;
      } else {
        return null;
      }
      if (value === undefined) { return null; }
    }
    return value;
  }
  // Python's str.isspace(), not JavaScript's \s (which has U+FEFF and lacks U+001C-U+001F, U+0085)
  var SPACES = /^[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
  function blank(v) {
    return v === null || v === undefined || (typeof v === "string" && SPACES.test(v)) ||
      (Array.isArray(v) && v.length === 0);
  }
  function length(v) {
    if (typeof v === "string") { return Array.from(v).length; }  // characters, as Python counts
    return Array.isArray(v) ? v.length : 0;
  }
  function digits(v) {
    return typeof v === "string" ? v.normalize("NFKC").replace(/[^0-9]/g, "") : "";
  }
  function sum(items, key) {
    if (!Array.isArray(items)) { return 0; }
    var total = 0;
    items.forEach(function (item) {
      if (isObject(item) && own(item, key) && isNumber(item[key])) { total += item[key]; }
    });
    return total;
  }
  function equal(a, b) {
    if (isNumber(a) && isNumber(b)) { return a === b; }
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (x, i) { return equal(x, b[i]); });
    }
    if (isObject(a) && isObject(b)) {
      var ka = Object.keys(a), kb = Object.keys(b);
      return ka.length === kb.length &&
        ka.every(function (k) { return own(b, k) && equal(a[k], b[k]); });
    }
    return a === b;
  }
  function before(a, b) {  // a < b, strings by code point as Python compares them
    if (typeof a === "number") { return a < b; }
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) { return x[i].codePointAt(0) < y[i].codePointAt(0); }
    }
    return x.length < y.length;
  }
  function contains(needle, haystack) {
    if (typeof haystack === "string") {
      return typeof needle === "string" && haystack.indexOf(needle) !== -1;
    }
    return Array.isArray(haystack) && haystack.some(function (x) { return equal(x, needle); });
  }
  function compare(test) {
    return function (a, b) { return comparable(a, b) && test(a, b); };
  }

  var PLAIN = {
    "==": [2, equal],
    "!=": [2, function (a, b) { return !equal(a, b); }],
    "<": [2, compare(function (a, b) { return before(a, b); })],
    "<=": [2, compare(function (a, b) { return !before(b, a); })],
    ">": [2, compare(function (a, b) { return before(b, a); })],
    ">=": [2, compare(function (a, b) { return !before(a, b); })],
    "!": [1, function (a) { return !truthy(a); }],
    "in": [2, contains],
    "+": [2, function (a, b) { return isNumber(a) && isNumber(b) ? a + b : null; }],
    "-": [2, function (a, b) { return isNumber(a) && isNumber(b) ? a - b : null; }],
    "blank": [1, blank],
    "len": [1, length],
    "digits": [1, digits],
    "sum": [2, sum],
    "year": [1, function (v) { var d = parseDate(v); return d ? d.y : null; }],
    "days": [1, function (v) { var d = parseDate(v); return d ? d.t / 86400000 : null; }],
    "dmy": [1, function (v) {
      var d = parseDate(v);
      return d ? pad(d.d, 2) + "/" + pad(d.m, 2) + "/" + pad(d.y, 4) : "";
    }]
  };

  // Operators evaluated here (arguments taken as they are); and/or take any number.
  var OWN = { "var": 1, "ref": 1, "today": 0, "if": 3 };
  var RULE_KEYS = ["field", "code", "if", "fail", "message", "params", "each"];
  function args(raw) { return Array.isArray(raw) ? raw : [raw]; }

  /* Throw unless every operator of expr is known and given its number of arguments. */
  function validateExpression(expr) {
    if (Array.isArray(expr)) { expr.forEach(validateExpression); return; }
    if (!isObject(expr)) { return; }
    var keys = Object.keys(expr);
    if (keys.length !== 1) { throw new Error("an expression has one operator"); }
    var op = keys[0], list = args(expr[op]), count;
    if (op === "and" || op === "or") { count = list.length; }
    else if (own(OWN, op)) { count = OWN[op]; }
    else if (own(PLAIN, op)) { count = PLAIN[op][0]; }
    else { throw new Error("unknown operator " + op); }
    if (list.length !== count) { throw new Error(op + " takes " + count + " argument(s)"); }
    if ((op === "var" || op === "ref") && typeof list[0] !== "string") {
      throw new Error(op + " takes a name");
    }
    validateExpression(list);
  }

  /* Throw unless every rule can be read, whatever the data (as the server's validate). */
  function validate(rules) {
    if (!Array.isArray(rules)) { throw new Error("the rules are a list"); }
    rules.forEach(function (rule) {
      if (!isObject(rule)) { throw new Error("a rule is an object"); }
      Object.keys(rule).forEach(function (k) {
        if (RULE_KEYS.indexOf(k) === -1) { throw new Error("unknown key " + k); }
      });
      ["field", "message", "code", "each"].forEach(function (k) {
        var optional = k === "code" || k === "each", v = own(rule, k) ? rule[k] : undefined;
        if (optional && v === undefined) { return; }
        if (typeof v !== "string" || (k !== "message" && v === "")) {
          throw new Error(k + " is a text");
        }
      });
      if (!own(rule, "fail")) { throw new Error("a rule has a fail"); }
      var params = own(rule, "params") ? rule.params : {};
      if (!isObject(params)) { throw new Error("params is an object"); }
      validateExpression([own(rule, "if") ? rule["if"] : null, rule.fail].concat(
        Object.keys(params).map(function (k) { return params[k]; })));
    });
  }

  function Evaluator(data, refs, today) {
    this.scope = Object.create(null);  // "__proto__" is a name like any other
    for (var k in data) {
      if (own(data, k)) { this.scope[k] = data[k]; }
    }
    this.refs = refs || {};
    this.today = today || localToday();
  }
  Evaluator.prototype.evaluate = function (expr) {  // expr is valid (validate)
    var self = this;
    if (Array.isArray(expr)) { return expr.map(function (x) { return self.evaluate(x); }); }
    if (expr === null || typeof expr !== "object") { return expr === undefined ? null : expr; }
    var op = Object.keys(expr)[0], list = args(expr[op]);
    if (op === "var") { return getVar(this.scope, list[0]); }
    if (op === "ref") {
      var found = own(this.refs, list[0]) ? this.refs[list[0]] : null;
      return Array.isArray(found) ? found.slice() : [];
    }
    if (op === "today") { return this.today; }
    if (op === "and") { return list.every(function (a) { return truthy(self.evaluate(a)); }); }
    if (op === "or") { return list.some(function (a) { return truthy(self.evaluate(a)); }); }
    if (op === "if") {
      return truthy(this.evaluate(list[0])) ? this.evaluate(list[1]) : this.evaluate(list[2]);
    }
    return PLAIN[op][1].apply(null, list.map(function (a) { return self.evaluate(a); }));
  };

  // A param as text, as the server writes it: null and objects "", lists joined by ", ".
  function text(v) {
    if (v === null || v === undefined || isObject(v)) { return ""; }
    if (Array.isArray(v)) { return v.map(text).join(", "); }
    return String(v);
  }
  function format(message, params) {
    return String(message).replace(/%%|%\(([A-Za-z0-9_]+)\)s/g, function (m, name) {
      return m === "%%" ? "%" : text(own(params, name) ? params[name] : null);
    });
  }

  /* The problems ``rules`` find in ``data`` ({field, message, code}), in the rules' order, at
     most one per field. ``options.refs``: named lists; ``options.today``: "YYYY-MM-DD". */
  function check(rules, data, options) {
    options = options || {};
    validate(rules);
    var ev = new Evaluator(data || {}, options.refs, options.today);
    var problems = [], failed = Object.create(null);
    rules.forEach(function (rule) {
      var items = rule.each ? ev.evaluate({ "var": rule.each }) : [null];
      if (!Array.isArray(items)) { items = []; }
      items.forEach(function (item, index) {
        ev.scope.item = item;
        var field = rule.field.split("{n}").join(String(index + 1));
        if (own(failed, field)) { return; }
        if (own(rule, "if") && !truthy(ev.evaluate(rule["if"]))) { return; }
        if (!truthy(ev.evaluate(rule.fail))) { return; }
        var params = Object.create(null);
        Object.keys(rule.params || {}).forEach(function (name) {
          params[name] = ev.evaluate(rule.params[name]);
        });
        problems.push({ field: field, message: format(rule.message, params), code: rule.code || "invalid" });
        failed[field] = true;
      });
      delete ev.scope.item;
    });
    return problems;
  }

  var api = { check: check, validate: validate, truthy: truthy, today: localToday };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  else { root.duan8Rules = api; }
})(typeof self !== "undefined" ? self : this);
