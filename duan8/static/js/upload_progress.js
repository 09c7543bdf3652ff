/* Upload progress for forms marked data-upload-progress (Excel uploads).
   Sends the form with XMLHttpRequest so a <progress> can follow the upload, then shows that the
   server is checking the rows. Without JavaScript (or without XHR/FormData) the form posts
   normally; the server's answer is the same either way. */
(function () {
  "use strict";

  function replaceMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main");
    var current = document.querySelector("main");
    if (!fresh || !current) {
      return false;
    }
    current.replaceWith(fresh);
    document.title = doc.title;
    fresh.querySelectorAll("form[data-upload-progress]").forEach(attach);
    var alert = fresh.querySelector("[role=alert], .field-error");
    if (alert) {
      alert.scrollIntoView();
    }
    return true;
  }

  function attach(form) {
    if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) {
      return;
    }
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector(".upload-status");
    if (!bar || !status) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      event.preventDefault();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      box.hidden = false;
      bar.max = 100;
      bar.value = 0;
      status.textContent = form.dataset.uploading;
      if (button) {
        button.disabled = true;
      }
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.max = e.total;
          bar.value = e.loaded;
          status.textContent = form.dataset.uploading + " " + Math.round((e.loaded * 100) / e.total) + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value"); /* indeterminate while the rows are checked */
        status.textContent = form.dataset.checking;
      });
      xhr.addEventListener("load", function () {
        var here = new URL(form.action, window.location.href).href;
        if (xhr.responseURL && xhr.responseURL !== here) {
          window.location.assign(xhr.responseURL); /* redirected to the preview */
          return;
        }
        if (!replaceMain(xhr.responseText)) {
          form.submit();
        }
      });
      xhr.addEventListener("error", function () {
        box.hidden = false;
        bar.value = 0;
        status.textContent = form.dataset.failed;
        if (button) {
          button.disabled = false;
        }
      });
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload-progress]").forEach(attach);
})();
