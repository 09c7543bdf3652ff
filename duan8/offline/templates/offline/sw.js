/* duan8's service worker (issue 17): the offline entry page without a signal.

   It answers only for what the entry page needs, and lets every other request go to the
   network untouched:
   - the static files the page loads (PRECACHE): from the cache, fetched at install;
   - the page itself and its data (PAGES): from the network when it answers within a few
     seconds, kept in the cache for the next time; from the cache when there is no network
     or it is too slow. A redirect (the sign-in page, when the session has ended) is passed
     to the browser and never cached in the page's place.
   The entries typed offline are not here: the page keeps them in IndexedDB (app.js).
   Signing out deletes both caches (signout.js). Served by duan8.offline.views.worker_view,
   which fills in the three constants below. */
"use strict";

var VERSION = "{{VERSION}}";
var PRECACHE = "{{PRECACHE}}";
var PAGES = "{{PAGES}}";
var STATIC_CACHE = "duan8-offline-static-" + VERSION;
var PAGE_CACHE = "duan8-offline-pages";  // the user's own: deleted on sign-out
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        var old = name.indexOf("duan8-offline-static-") === 0 && name !== STATIC_CACHE;
        return old ? caches.delete(name) : null;
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return PAGES.indexOf(url.pathname) !== -1;
}

function isPrecached(url) {
  return PRECACHE.indexOf(url.pathname) !== -1;
}

/* The network's answer, kept for later when it is the page itself (not a redirect, not an
   error); the cached copy when the network fails or takes longer than NETWORK_WAIT_MS. */
function networkFirst(request) {
  var key = new URL(request.url);
  key.search = "";
  var cached = caches.open(PAGE_CACHE).then(function (cache) { return cache.match(key.href); });
  var fromNetwork = fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { return cache.put(key.href, copy); });
    }
    return response;
  });
  var timeout = new Promise(function (resolve) {
    setTimeout(function () { cached.then(function (hit) { if (hit) { resolve(hit); } }); },
      NETWORK_WAIT_MS);
  });
  var answer = fromNetwork.catch(function () {
    return cached.then(function (hit) {
      return hit || new Response("", { status: 503, statusText: "offline" });
    });
  });
  return Promise.race([answer, timeout]);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (isPage(url)) {
    event.respondWith(networkFirst(request));
  } else if (isPrecached(url)) {
    event.respondWith(
      caches.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request);
      })
    );
  }
});
