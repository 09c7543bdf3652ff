// The job page (duan8/jobs/templates/jobs/job_detail.html): asks the job's status every second and
// moves the progress bar; when the job ends, reloads the page to show its file or why it failed.
// No inline script (the Content-Security-Policy forbids it); without JavaScript the page's
// <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("[data-job-progress]");
  var label = box.querySelector("[data-job-status]");
  var message = box.querySelector("[data-job-message]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (data.finished || data.stale) { window.location.reload(); return; }
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
        if (label) { label.textContent = data.status_label; }
        if (message) { message.textContent = data.message; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });  // offline for a moment: go on
  }
  window.setTimeout(poll, 1000);
})();
