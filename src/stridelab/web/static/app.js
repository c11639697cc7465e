/* stridelab coach: the little JavaScript the pages need (no inline scripts: CSP forbids them).
 * - htmx swaps error responses too, so a refusal shows its message in place;
 * - <select data-autosubmit> submits its form on change;
 * - <form data-upload> sends the chosen file as the raw request body with a progress bar,
 *   then shows the server's job fragment (which polls itself with htmx). */
(function () {
  "use strict";
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit();
    }
  });
  function uploadOne(form, file, status, done) {
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var label = document.createElement("span");
    label.textContent = " uploading " + file.name;
    var row = document.createElement("div");
    row.className = "upload-row";
    row.appendChild(bar);
    row.appendChild(label);
    status.appendChild(row);
    var xhr = new XMLHttpRequest();
    var url = form.getAttribute("action");
    var extra = new FormData(form);
    var params = new URLSearchParams();
    extra.forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrf_token") { params.append(key, value); }
    });
    params.append("filename", file.name);
    xhr.open("POST", url + (url.indexOf("?") < 0 ? "?" : "&") + params.toString());
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round((100 * e.loaded) / e.total); }
    };
    xhr.onload = function () {
      row.innerHTML = xhr.responseText;
      if (window.htmx) { window.htmx.process(row); }
      done();
    };
    xhr.onerror = function () {
      label.textContent = " upload of " + file.name + " failed: is the server running?";
      done();
    };
    xhr.send(file);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload]")) { return; }
    event.preventDefault();
    var input = form.querySelector('input[type="file"]');
    var status = document.getElementById(form.getAttribute("data-upload"));
    if (!input || !input.files.length || !status) { return; }
    var files = Array.prototype.slice.call(input.files);
    var next = function () {
      var file = files.shift();
      if (file) { uploadOne(form, file, status, next); }
    };
    next();
    input.value = "";
  });
})();
