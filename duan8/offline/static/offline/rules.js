/* Entry rules as data, read in the browser: the twin of duan8/core/rules_engine.py.
   The server sends a form's rules (messages translated); check(rules, data, refs) returns the
   same problems the server's check finds, [{field, message, code}], at most one per field.
   core/tests/rules_cases.json holds the cases both evaluators must answer alike; read the
   Python module's docstring for the rules' format and operators. */
(function (root) {
  "use strict";

  function isNumber(v) { return typeof v === "number" && isFinite(v); }
  function truthy(v) { return Array.isArray(v) ? v.length > 0 : !!v; }
  function comparable(a, b) {
    return (isNumber(a) && isNumber(b)) || (typeof a === "string" && typeof b === "string");
  }
  function parseDate(v) {
    if (typeof v !== "string") { return null; }
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (!m) { return null; }
    var y = +m[1], mo = +m[2], d = +m[3];
    var t = Date.UTC(y, mo - 1, d);
    var back = new Date(t);
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
      } else if (value !== null && typeof value === "object") {
        value = Object.prototype.hasOwnProperty.call(value, part) ? value[part] : null;
      } else {
        return null;
      }
      if (value === undefined) { return null; }
    }
    return value;
  }
  function blank(v) {
    return v === null || v === undefined || (typeof v === "string" && v.trim() === "") ||
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
      if (item && typeof item === "object" && isNumber(item[key])) { total += item[key]; }
    });
    return total;
  }
  function equal(a, b) {
    if (isNumber(a) && isNumber(b)) { return a === b; }
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (x, i) { return equal(x, b[i]); });
    }
    if (typeof a === "boolean" || typeof b === "boolean") { return a === b; }
    return a === b;
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
    "<": [2, compare(function (a, b) { return a < b; })],
    "<=": [2, compare(function (a, b) { return a <= b; })],
    ">": [2, compare(function (a, b) { return a > b; })],
    ">=": [2, compare(function (a, b) { return a >= b; })],
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

  function Evaluator(data, refs, today) {
    this.scope = {};
    for (var k in data) {
      if (Object.prototype.hasOwnProperty.call(data, k)) { this.scope[k] = data[k]; }
    }
    this.refs = refs || {};
    this.today = today || localToday();
  }
  Evaluator.prototype.evaluate = function (expr) {
    var self = this;
    if (Array.isArray(expr)) { return expr.map(function (x) { return self.evaluate(x); }); }
    if (expr === null || typeof expr !== "object") { return expr === undefined ? null : expr; }
    var keys = Object.keys(expr);
    if (keys.length !== 1) { throw new Error("an expression has one operator"); }
    var op = keys[0], raw = expr[op];
    var args = Array.isArray(raw) ? raw : [raw];
    if (op === "var") { return getVar(this.scope, this.evaluate(args[0])); }
    if (op === "ref") {
      var list = this.refs[String(this.evaluate(args[0]))];
      return Array.isArray(list) ? list.slice() : [];
    }
    if (op === "today") { return this.today; }
    if (op === "and") { return args.every(function (a) { return truthy(self.evaluate(a)); }); }
    if (op === "or") { return args.some(function (a) { return truthy(self.evaluate(a)); }); }
    if (op === "if") {
      if (args.length !== 3) { throw new Error("if takes a condition, a then and an else"); }
      return truthy(this.evaluate(args[0])) ? this.evaluate(args[1]) : this.evaluate(args[2]);
    }
    var plain = PLAIN[op];
    if (!plain || !Object.prototype.hasOwnProperty.call(PLAIN, op)) {
      throw new Error("unknown operator " + op);
    }
    if (args.length !== plain[0]) { throw new Error(op + " takes " + plain[0] + " argument(s)"); }
    return plain[1].apply(null, args.map(function (a) { return self.evaluate(a); }));
  };

  function format(message, params) {
    return String(message).replace(/%\((\w+)\)s/g, function (_m, name) {
      var v = params[name];
      return v === null || v === undefined ? "" : String(v);
    });
  }

  /* The problems ``rules`` find in ``data`` ({field, message, code}), in the rules' order, at
     most one per field. ``options.refs``: named lists; ``options.today``: "YYYY-MM-DD". */
  function check(rules, data, options) {
    options = options || {};
    var ev = new Evaluator(data || {}, options.refs, options.today);
    var problems = [], failed = {};
    rules.forEach(function (rule) {
      var items = rule.each ? ev.evaluate({ "var": rule.each }) : [null];
      if (!Array.isArray(items)) { items = []; }
      items.forEach(function (item, index) {
        ev.scope.item = item;
        var field = String(rule.field).split("{n}").join(String(index + 1));
        if (failed[field]) { return; }
        if (Object.prototype.hasOwnProperty.call(rule, "if") && !truthy(ev.evaluate(rule["if"]))) {
          return;
        }
        if (!truthy(ev.evaluate(rule.fail))) { return; }
        var params = {};
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

  var api = { check: check, truthy: truthy, today: localToday };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  else { root.duan8Rules = api; }
})(typeof self !== "undefined" ? self : this);
