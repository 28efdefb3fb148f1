/* Catalog import page: upload progress and focus on the result. Progressive enhancement only:
 * the form posts normally without this file (and without htmx).
 *
 * Plain ES5, loaded with `defer`; no inline scripts or handlers (CSP).
 */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form[data-import-form]");
    var result = document.getElementById("import-result");
    if (!form) {
      return;
    }
    var box = form.querySelector("[data-upload-status]");
    var bar = form.querySelector("[data-upload-progress]");
    var text = form.querySelector("[data-upload-text]");

    /* htmx reports the upload's progress on the form that sends it. */
    form.addEventListener("htmx:xhr:progress", function (event) {
      var detail = event.detail || {};
      if (!box || !bar || !detail.total) {
        return;
      }
      var percent = Math.min(100, Math.round((detail.loaded * 100) / detail.total));
      box.hidden = percent >= 100;
      bar.value = percent;
      if (text) {
        text.textContent = percent + "%";
      }
    });
    form.addEventListener("htmx:afterRequest", function () {
      if (box) {
        box.hidden = true;
      }
    });

    /* When the result arrives, take keyboard and screen-reader users to it. */
    if (result) {
      result.addEventListener("htmx:afterSettle", function () {
        var summary = result.querySelector("[data-error-summary]");
        if (summary) {
          summary.focus();
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
