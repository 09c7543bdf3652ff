/* Signing out clears what the offline entry page keeps on this phone (issue 17): the entries
   typed without a signal (IndexedDB "duan8-offline") and the cached page with its data (cache
   "duan8-offline-pages"). When some entries are unsent, the user is asked first (the form's
   data-unsent-warning, "{count}" replaced by their number); "Cancel" keeps them and stays
   signed in. Loaded on every page by base.html; forms marked data-signout. */
(function () {
  "use strict";
  var DB_NAME = "duan8-offline";
  var PAGE_CACHE = "duan8-offline-pages";

  /* The number of entries waiting on this phone (any account's), 0 when there is no store. */
  function unsentCount(done) {
    if (!window.indexedDB) { done(0); return; }
    var fresh = false;
    var request = indexedDB.open(DB_NAME);
    request.onupgradeneeded = function () { fresh = true; };  // it did not exist
    request.onerror = function () { done(0); };
    request.onsuccess = function () {
      var db = request.result;
      if (fresh || !db.objectStoreNames.contains("entries")) { db.close(); done(0); return; }
      var count = db.transaction("entries", "readonly").objectStore("entries").count();
      count.onsuccess = function () { db.close(); done(count.result); };
      count.onerror = function () { db.close(); done(0); };
    };
  }

  function clearAll(done) {
    var pending = 2;
    function one() { pending -= 1; if (pending === 0) { done(); } }
    if (window.indexedDB) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = one;
      // another tab holding the store open is asked to close it (app.js closes on
      // versionchange); do not keep the user waiting on it
      request.onblocked = function () { setTimeout(one, 1000); };
    } else {
      one();
    }
    if (window.caches) {
      caches.delete(PAGE_CACHE).then(one, one);
    } else {
      one();
    }
  }

  document.querySelectorAll("form[data-signout]").forEach(function (form) {
    var called = false;
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-cleared")) { return; }
      event.preventDefault();
      unsentCount(function (count) {
        var warning = form.getAttribute("data-unsent-warning") || "";
        if (count > 0 && !window.confirm(warning.replace("{count}", String(count)))) { return; }
        clearAll(function () {
          if (called) { return; }
          called = true;
          form.setAttribute("data-cleared", "1");
          form.submit();
        });
      });
    });
  });
})();
