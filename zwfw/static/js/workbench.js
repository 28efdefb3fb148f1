/* Catalog workbench behaviour. Progressive enhancement only: every form works without it.
 *
 * - "Add a row" buttons copy the list's empty row (a <template>) instead of posting the form;
 *   without JavaScript the same button posts and the server returns the form with one more row.
 * - Links in the list of failed checks move focus to the input they point at.
 * - The draft editor warns before leaving the page with unsaved changes.
 *
 * Plain ES5, loaded with `defer`; no inline scripts or handlers (CSP).
 */
(function () {
  "use strict";

  function addRow(button) {
    var prefix = button.getAttribute("data-add-row");
    var box = document.querySelector('[data-rows="' + prefix + '"]');
    if (!box) {
      return false;
    }
    var template = box.querySelector("template[data-row-template]");
    var list = box.querySelector("[data-rows-list]");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!template || !list || !total) {
      return false;
    }
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= (parseInt(max.value, 10) || 1000)) {
      return true; /* handled: no more rows allowed */
    }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    if (!row) {
      return false;
    }
    list.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  function enhanceAddRows() {
    var buttons = document.querySelectorAll("button[data-add-row]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function (event) {
        if (addRow(button)) {
          event.preventDefault();
        }
      });
    });
  }

  function enhanceCheckLinks() {
    var links = document.querySelectorAll("[data-check-list] a[href*='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var href = link.getAttribute("href");
        var hash = href.slice(href.indexOf("#") + 1);
        var path = href.slice(0, href.indexOf("#"));
        if (path && path !== window.location.pathname) {
          return; /* another page: let the browser go there */
        }
        var target = document.getElementById(hash);
        if (target) {
          event.preventDefault();
          if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
            target.setAttribute("tabindex", "-1");
          }
          target.focus();
          target.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  /* Opened from another page with #field: focus the field so it is ready to type into. */
  function focusHashTarget() {
    if (!window.location.hash || document.querySelector("[data-error-summary]")) {
      return;
    }
    var target = document.getElementById(window.location.hash.slice(1));
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  }

  function guardUnsavedChanges() {
    var form = document.querySelector("form[data-draft-form]");
    if (!form) {
      return;
    }
    var dirty = false;
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("change", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  /* On a desk screen the list's filters start open; on a phone they stay folded. */
  function openFiltersOnWideScreens() {
    var box = document.querySelector("details[data-filters]");
    if (box && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
      box.open = true;
    }
  }

  function init() {
    openFiltersOnWideScreens();
    enhanceAddRows();
    enhanceCheckLinks();
    focusHashTarget();
    guardUnsavedChanges();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
