/* zwfw page behaviour. Progressive enhancement only: every form works without this file.
 *
 * Plain ES5 for old phone browsers; loaded with `defer`, no inline scripts or handlers
 * (a Content Security Policy without 'unsafe-inline' will apply).
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  /* Elder-friendly mode: switch in place (keeping what the visitor typed on the page), and
   * let the server set the cookie. If anything fails, submit the form the ordinary way. */
  function enhanceElderToggle(form) {
    var button = form.querySelector("button[aria-pressed]");
    var value = form.querySelector('input[name="elder"]');
    if (!button || !value || !window.fetch || !window.FormData) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.getAttribute("data-busy") === "1") {
        return;
      }
      form.setAttribute("data-busy", "1");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) }
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (result) {
          var on = result.elder_mode === true;
          document.documentElement.classList.toggle("elder", on);
          button.setAttribute("aria-pressed", on ? "true" : "false");
          value.value = on ? "0" : "1";
          form.removeAttribute("data-busy");
        })
        .catch(function () {
          form.removeAttribute("data-busy");
          HTMLFormElement.prototype.submit.call(form);
        });
    });
  }

  /* After a failed submission, take keyboard and screen-reader users to the list of problems. */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  /* Links in the error summary: move focus to the field, not just scroll to it. */
  function enhanceErrorLinks() {
    var links = document.querySelectorAll("[data-error-summary] a[href^='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) {
          event.preventDefault();
          target.focus();
          target.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  // A guide's print link opens the browser's print dialog; without JS it leads to the print view.
  function enhancePrintLinks() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-guide-print]"), function (link) {
      link.addEventListener("click", function (event) {
        if (typeof window.print === "function") {
          event.preventDefault();
          window.print();
        }
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-elder-toggle]"), enhanceElderToggle);
    enhancePrintLinks();
    enhanceErrorLinks();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
