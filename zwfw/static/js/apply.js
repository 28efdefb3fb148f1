/* Applicant's forms: upload each material as soon as it is chosen, and submit only once.
 *
 * Progressive enhancement: without this file every form still works (files travel with the
 * form's own submission, and the server is the guard against double submissions). Plain ES5
 * for old phones; no inline scripts or handlers (CSP). Texts come from data attributes that
 * the server renders in the page's language.
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function byData(form, name, key) {
    return form.querySelector("[" + name + '="' + key + '"]');
  }

  function showError(form, key, message, code) {
    var box = byData(form, "data-material-error", key);
    var item = byData(form, "data-material", key);
    if (box) {
      box.textContent = message;
      box.hidden = !message;
      box.setAttribute("data-error-code", message ? code || "" : "");
    }
    if (item) {
      item.classList.toggle("applicant-material--error", Boolean(message));
    }
  }

  function setStatus(form, key, html, busyText) {
    var status = byData(form, "data-material-status", key);
    if (!status) {
      return;
    }
    if (html !== null) {
      status.innerHTML = html;
    } else {
      status.innerHTML = "";
      var p = document.createElement("p");
      p.className = "applicant-status applicant-status--busy";
      p.setAttribute("data-uploading", "1");
      p.textContent = busyText;
      status.appendChild(p);
    }
  }

  /* One upload at a time: the draft's materials are written one after another. */
  function Queue(onIdle) {
    this.jobs = [];
    this.running = false;
    this.onIdle = onIdle;
  }

  Queue.prototype.push = function (job) {
    this.jobs.push(job);
    this.next();
  };

  Queue.prototype.next = function () {
    var self = this;
    if (self.running) {
      return;
    }
    var job = self.jobs.shift();
    if (!job) {
      self.onIdle();
      return;
    }
    self.running = true;
    job(function () {
      self.running = false;
      self.next();
    });
  };

  Queue.prototype.busy = function () {
    return this.running || this.jobs.length > 0;
  };

  function enhanceUploads(form, queue) {
    var url = form.getAttribute("data-upload-url");
    if (!url || !window.fetch || !window.FormData) {
      return;
    }
    var busyText = form.getAttribute("data-msg-uploading") || "…";
    var failedText = form.getAttribute("data-msg-failed") || "";
    var inputs = form.querySelectorAll("input[type=file][data-upload]");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", function () {
        if (!input.files || !input.files.length) {
          return;
        }
        var key = input.getAttribute("data-upload");
        var data = new FormData();
        data.append("csrfmiddlewaretoken", csrfToken(form));
        data.append(input.name, input.files[0]);
        var status = byData(form, "data-material-status", key);
        var before = status ? status.innerHTML : "";
        showError(form, key, "");
        setStatus(form, key, null, busyText);
        queue.push(function (done) {
          fetch(url, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) }
          })
            .then(function (response) {
              return response.json().then(function (body) {
                return { status: response.status, body: body };
              });
            })
            .then(function (result) {
              var field = (result.body.fields || {})[key];
              if (field) {
                setStatus(form, key, field.html, busyText);
                showError(form, key, field.message || "", field.code);
              } else {
                setStatus(form, key, before, busyText);
                showError(form, key, result.body.message || failedText, result.body.code);
              }
              if (field) {
                /* stored, or refused for its content: either way the form need not send it again */
                input.value = "";
              }
              if (field && field.ok) {
                var label = form.querySelector('label[for="' + input.id + '"]');
                if (label && label.getAttribute("data-label-replace")) {
                  label.firstChild.nodeValue = label.getAttribute("data-label-replace");
                }
              }
              done();
            })
            .catch(function () {
              /* Keep the file in the input: it travels with the form when it is saved. */
              setStatus(form, key, before, busyText);
              showError(form, key, failedText, "network");
              done();
            });
        });
      });
    });
  }

  /* Submit once: later clicks are ignored while the first submission is under way. The
   * clicked button's action is copied to a hidden field, so that disabling the buttons
   * never loses it. */
  function enhanceSubmit(form, queue) {
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    var pending = null;

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-busy") === "1") {
        event.preventDefault();
        return;
      }
      var submitter = event.submitter || form.querySelector("button[type=submit]");
      if (queue.busy()) {
        event.preventDefault();
        pending = submitter;
        return;
      }
      if (submitter && submitter.name === "action") {
        action.value = submitter.value;
        if (!action.parentNode) {
          form.appendChild(action);
        }
      }
      form.setAttribute("data-busy", "1");
      var buttons = form.querySelectorAll("button[type=submit]");
      Array.prototype.forEach.call(buttons, function (button) {
        button.setAttribute("aria-disabled", "true");
      });
      if (submitter && submitter.getAttribute("data-busy-label")) {
        submitter.setAttribute("data-idle-label", submitter.textContent);
        submitter.textContent = submitter.getAttribute("data-busy-label");
      }
      window.setTimeout(function () {
        Array.prototype.forEach.call(buttons, function (button) {
          button.disabled = true;
        });
      }, 0);
    });

    queue.onIdle = function () {
      if (pending) {
        var submitter = pending;
        pending = null;
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          submitter.click();
        }
      }
    };

    /* Back from the next page (bfcache): the form is usable again. */
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) {
        return;
      }
      form.removeAttribute("data-busy");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
        if (button.getAttribute("data-idle-label")) {
          button.textContent = button.getAttribute("data-idle-label");
        }
      });
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-apply-form]");
    Array.prototype.forEach.call(forms, function (form) {
      var queue = new Queue(function () {});
      enhanceUploads(form, queue);
      enhanceSubmit(form, queue);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
