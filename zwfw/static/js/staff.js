/* Staff case workbench behaviour. Progressive enhancement only: every form works without it.
 *
 * - The intake checklist, "receive a material" and "deliver" forms show only the inputs of
 *   the way chosen (scan → file input, commitment → text, post → courier and tracking number).
 * - A defect note appears when its material is ticked on the one-time notice form.
 * - A form marked data-once is sent once: a double click does not accept a case twice.
 * - A form marked data-confirm asks before refusing or withdrawing an application.
 * - The error summary takes the focus after a refused action.
 *
 * Plain ES5, loaded with `defer`; no inline scripts or handlers (CSP).
 */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function hasError(el) {
    return !!el.querySelector(".field--error");
  }

  /* Containers with a radio group and parts marked data-show-for="<value>". */
  function enhanceChoices(container) {
    var parts = container.querySelectorAll("[data-show-for]");
    var firstRadio = container.querySelector('input[type="radio"]');
    if (!parts.length || !firstRadio) {
      return;
    }
    var name = firstRadio.name;
    function update() {
      var checked = container.querySelector('input[type="radio"][name="' + name + '"]:checked');
      var value = checked ? checked.value : "";
      each(parts, function (part) {
        part.hidden = part.getAttribute("data-show-for") !== value && !hasError(part);
      });
    }
    each(container.querySelectorAll('input[type="radio"][name="' + name + '"]'), function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function enhanceCheckedNotes() {
    each(document.querySelectorAll("[data-show-when-checked]"), function (part) {
      var box = document.getElementById(part.getAttribute("data-show-when-checked"));
      if (!box) {
        return;
      }
      function update() {
        part.hidden = !box.checked && !hasError(part);
        if (box.checked) {
          var input = part.querySelector("input, textarea");
          if (input && document.activeElement === box) {
            input.focus();
          }
        }
      }
      box.addEventListener("change", update);
      part.hidden = !box.checked && !hasError(part);
    });
  }

  function enhanceOnce() {
    each(document.querySelectorAll("form[data-once], form[data-confirm]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent") === "1") {
          event.preventDefault();
          return;
        }
        var question = form.getAttribute("data-confirm");
        if (question && !window.confirm(question)) {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-sent", "1");
        each(form.querySelectorAll('button[type="submit"]'), function (button) {
          button.setAttribute("aria-disabled", "true");
        });
      });
    });
    /* Coming back with the browser's back button: the forms can be used again. */
    window.addEventListener("pageshow", function () {
      each(document.querySelectorAll("form[data-sent]"), function (form) {
        form.removeAttribute("data-sent");
        each(form.querySelectorAll('button[aria-disabled="true"]'), function (button) {
          button.removeAttribute("aria-disabled");
        });
      });
    });
  }

  function focusErrors() {
    var summary = document.querySelector("[data-case-workbench] [data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function init() {
    document.documentElement.className += " js-how";
    each(document.querySelectorAll(".cw-checklist__item, form[data-how-form]"), enhanceChoices);
    enhanceCheckedNotes();
    enhanceOnce();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
