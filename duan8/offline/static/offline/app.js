/* The offline entry page (issue 17). PLACEHOLDER: registers the service worker only. */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root || !("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register(root.getAttribute("data-worker-url"), { scope: "/" });
})();
