/* The entries typed on this phone (issue 17): IndexedDB "duan8-offline", store "entries".

   An entry: {id (a random UUID, also the POST's Idempotency-Key), user (the account that typed
   it), form ("event" | "case"), body (the JSON the API takes), state ("waiting" | "refused"),
   detail and problems (the server's refusal), created, updated}.
   The connection is closed on "versionchange", so that signing out (signout.js) can delete the
   database while this page is open. Each call opens the database again when it was closed. */
(function (root) {
  "use strict";
  var DB_NAME = "duan8-offline";
  var STORE = "entries";
  var db = null;
  var deleted = false;  // signing out deleted the database: reading does not create it again

  function open() {
    return new Promise(function (resolve, reject) {
      if (db) { resolve(db); return; }
      if (!root.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        if (!request.result.objectStoreNames.contains(STORE)) {
          request.result.createObjectStore(STORE, { keyPath: "id" });
        }
      };
      request.onsuccess = function () {
        db = request.result;
        db.onversionchange = function () { db.close(); db = null; deleted = true; };
        db.onclose = function () { db = null; };
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
      request.onblocked = function () { reject(new Error("blocked")); };
    });
  }

  /* Runs fn(store) in a transaction; resolves with the value its last request produced. */
  function run(mode, fn) {
    if (deleted && mode === "readonly") { return Promise.resolve(undefined); }
    deleted = false;
    return open().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction(STORE, mode);
        var request = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  /* A random UUID (crypto.randomUUID needs a secure context; fall back to getRandomValues). */
  function uuid() {
    if (root.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  root.duan8Store = {
    /* Every entry, in the order they were typed. */
    all: function () {
      return run("readonly", function (s) { return s.getAll(); }).then(function (list) {
        return (list || []).sort(function (a, b) {
          return a.created < b.created ? -1 : a.created > b.created ? 1 : 0;
        });
      });
    },
    get: function (id) { return run("readonly", function (s) { return s.get(id); }); },
    put: function (entry) { return run("readwrite", function (s) { return s.put(entry); }); },
    remove: function (id) { return run("readwrite", function (s) { return s["delete"](id); }); },
    uuid: uuid
  };
})(this);
