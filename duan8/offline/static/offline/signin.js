/* The sign-in page forgets the offline entry page's kept copies (issue 17): the page and its
   data in the cache "duan8-offline-pages" are the last account's. Another account signing in on
   the same phone must never be answered with them, even when the signal is too slow for the
   worker to wait for the network. The entries waiting in IndexedDB are kept: each names its
   author, and is sent only when that account signs in again. The account that signs in gets
   its own copies the next time it opens the page with a signal.

   The copies are deleted when the page opens, and the form is held until that is done (at
   most a second), so that a quick sign-in cannot overtake it. */
(function () {
  "use strict";
  if (!window.caches) { return; }
  var done = false;
  var deleting = caches.delete("duan8-offline-pages").then(
    function () { done = true; }, function () { done = true; });
  var form = document.querySelector("form[action] input[name=password]");
  form = form && form.form;
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    if (done) { return; }
    event.preventDefault();
    var sent = false;
    function send() { if (!sent) { sent = true; done = true; form.submit(); } }
    deleting.then(send, send);
    setTimeout(send, 1000);
  });
})();
