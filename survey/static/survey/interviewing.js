/* The interviewers' CATI screens: keyboard shortcuts, and the interview page's client.
 *
 * The interview page keeps no state of its own: it shows the state the server sent (the
 * page's JSON, then each API response), and every answer is POSTed to the CATI API at once
 * with an event id made here. A failed request is retried with the SAME event id, so the
 * server (idempotent by event id) never saves an answer twice. Reloading the page asks the
 * server again and resumes at the same question. Hand-written, no framework. */
(function () {
  "use strict";

  var RETRY_DELAYS_MS = [300, 700, 1500, 3000, 5000, 8000];

  function isTextField(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || el.isContentEditable) return true;
    if (tag !== "input") return false;
    return ["checkbox", "radio", "button", "submit", "reset", "hidden"].indexOf(el.type) < 0;
  }

  function isControl(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === "button" || tag === "a" || tag === "summary";
  }

  function newEventId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // randomUUID needs a secure context; getRandomValues does not (RFC 4122 version 4).
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* --- home and case pages: buttons with data-key ------------------------------------ */

  function bindShortcutButtons() {
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      var active = document.activeElement;
      if (isTextField(active)) return;
      if (e.key === "Enter" && active && active !== document.body) return;
      var buttons = document.querySelectorAll("button[data-key]");
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].getAttribute("data-key") === e.key) {
          e.preventDefault();
          buttons[i].click();
          return;
        }
      }
    });
    // A page restored from the back-forward cache holds a used event id and stale state.
    window.addEventListener("pageshow", function (e) { if (e.persisted) window.location.reload(); });
    // A form is sent once; a second press would only be a retry the server ignores anyway.
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.getAttribute("data-sent")) e.preventDefault();
      else form.setAttribute("data-sent", "1");
    });
  }

  /* --- the interview page -------------------------------------------------------------- */

  function Interview(root) {
    this.root = root;
    this.api = {
      answers: root.getAttribute("data-api-answers"),
      back: root.getAttribute("data-api-back"),
      complete: root.getAttribute("data-api-complete"),
      breakOff: root.getAttribute("data-api-break-off"),
      state: root.getAttribute("data-api-state"),
      language: root.getAttribute("data-api-language"),
      home: root.getAttribute("data-home"),
    };
    this.question = document.getElementById("question");
    this.statusLine = document.getElementById("status");
    this.errorBox = document.getElementById("error");
    this.busy = false;
    this.failed = null; // the request that could not be sent: resent as it is, same event id
    this.typed = ""; // digits typed for a list of more than 9 choices
    this.state = JSON.parse(document.getElementById("interview-state").textContent);
  }

  Interview.prototype.csrf = function () {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : this.root.getAttribute("data-csrf");
  };

  Interview.prototype.start = function () {
    var self = this;
    document.addEventListener("keydown", function (e) { self.onKey(e); });
    var breakOff = document.getElementById("break-off-form");
    if (breakOff) {
      breakOff.addEventListener("submit", function (e) {
        e.preventDefault();
        var notes = document.getElementById("break-off-notes").value;
        self.send(self.api.breakOff, { event_id: newEventId(), notes: notes }, "Breaking off…");
      });
    }
    this.bindLanguage();
    // A page restored from the back-forward cache asks the server where the interview is.
    window.addEventListener("pageshow", function (e) { if (e.persisted) self.refresh(); });
    this.render(this.state);
  };

  /* Language: the choice is the server's (stored on the interview); the question, its
   * choices, hints and notes come back in it. */
  Interview.prototype.bindLanguage = function () {
    var self = this;
    var form = document.getElementById("language-form");
    if (!form) return;
    var select = document.getElementById("language-select");
    function change(e) {
      if (e) e.preventDefault();
      if (select.value === self.state.language) return;
      self.send(self.api.language, { language: select.value }, "Switching language…");
    }
    form.addEventListener("submit", change);
    select.addEventListener("change", function () { change(); });
  };

  Interview.prototype.renderLanguage = function (state) {
    var form = document.getElementById("language-form");
    if (!form) return;
    form.hidden = state.status !== "in_progress";
    document.getElementById("language-select").value = state.language;
  };

  Interview.prototype.refresh = function () {
    var self = this;
    fetch(this.api.state, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (state) { self.render(state); })
      .catch(function () { self.showError("Could not reach the server; reload the page."); });
  };

  Interview.prototype.allows = function (kind) {
    var p = this.state.prompt;
    return !!p && p[kind] !== null && p[kind] !== undefined;
  };

  /* Sending: one request at a time; network errors and 5xx retried with the same body. */
  Interview.prototype.send = function (url, body, saying) {
    var self = this;
    if (this.busy) return;
    this.busy = true;
    this.failed = null;
    this.root.classList.add("busy");
    this.showStatus(saying || "Saving…");
    this.post(url, body, 0).then(function (result) {
      self.busy = false;
      self.root.classList.remove("busy");
      if (result.ok) {
        self.clearError();
        var state = result.data.state || result.data;
        self.showStatus(state.status === "in_progress" ? "Saved." : "Interview " +
          state.status.replace("_", " ") + ".");
        self.render(state);
      } else {
        self.showStatus("");
        self.showError(self.errorText(result), result.data);
      }
    }, function () {
      self.busy = false;
      self.root.classList.remove("busy");
      self.failed = { url: url, body: body, saying: saying };
      self.showStatus("");
      self.showError("Not saved: the server cannot be reached. Press Enter or Retry to send " +
        "it again; it will not be saved twice.", null, true);
    });
  };

  Interview.prototype.post = function (url, body, attempt) {
    var self = this;
    var request = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": this.csrf() },
      body: JSON.stringify(body),
    });
    return request.then(function (response) {
      if (response.status >= 500) throw new Error("server error " + response.status);
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }).catch(function (err) {
      if (attempt >= RETRY_DELAYS_MS.length) throw err;
      self.showStatus("Connection problem; trying again (" + (attempt + 1) + ")…");
      return new Promise(function (resolve) {
        setTimeout(resolve, RETRY_DELAYS_MS[attempt]);
      }).then(function () { return self.post(url, body, attempt + 1); });
    });
  };

  Interview.prototype.retry = function () {
    var failed = this.failed;
    if (failed) this.send(failed.url, failed.body, failed.saying);
  };

  Interview.prototype.errorText = function (result) {
    var data = result.data || {};
    if (result.status === 403) {
      return (data.detail || "Not allowed") + ". Your session may have ended: log in again.";
    }
    if (data.errors) {
      return data.errors.map(function (e) {
        var inner = (e.errors || []).map(function (x) { return x.message; }).join("; ");
        return inner && e.path ? e.path + ": " + inner : e.message;
      }).join(" ");
    }
    if (data.detail) return data.detail;
    return Object.keys(data).map(function (k) { return k + ": " + [].concat(data[k]).join(" "); })
      .join(" ") || "The server refused the request (" + result.status + ").";
  };

  Interview.prototype.showStatus = function (text) { this.statusLine.textContent = text; };

  /* Errors about the answer show under the answer; others (connection) above the question. */
  Interview.prototype.showError = function (text, data, withRetry) {
    var self = this;
    var inline = withRetry ? null : this.question.querySelector("#answer-error");
    var box = inline || this.errorBox;
    box.textContent = text;
    if (withRetry) {
      var button = el("button", { type: "button", id: "retry", text: "Retry" });
      button.addEventListener("click", function () { self.retry(); });
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
    box.hidden = false;
    var field = this.question.querySelector(".answer-input, input[name=value]");
    if (field && !withRetry) field.setAttribute("aria-invalid", "true");
  };

  Interview.prototype.clearError = function () {
    [this.errorBox, this.question.querySelector("#answer-error")].forEach(function (box) {
      if (!box) return;
      box.hidden = true;
      box.textContent = "";
    });
    var field = this.question.querySelector("[aria-invalid]");
    if (field) field.removeAttribute("aria-invalid");
  };

  /* Actions */
  Interview.prototype.answer = function (kind, value) {
    var p = this.state.prompt;
    if (!p || this.state.status !== "in_progress") return;
    if (kind !== "answer" && !this.allows(kind)) {
      this.showError((kind === "dont_know" ? "Don't know" : "Refused") +
        " is not allowed for this question.");
      return;
    }
    // seen: the route this page shows; another tab's change makes the server refuse (409)
    var body = { event_id: newEventId(), path: p.path, kind: kind, seen: this.state.version };
    if (kind === "answer") body.value = value === undefined ? this.currentValue() : value;
    this.typed = "";
    this.send(this.api.answers, body);
  };

  Interview.prototype.currentValue = function () {
    var p = this.state.prompt;
    if (p.type === "rank") return window.BasRank.value(this.question);
    if (p.type === "select_multiple") {
      var picked = this.question.querySelectorAll("input[name=value]:checked");
      return Array.prototype.map.call(picked, function (i) { return i.value; });
    }
    if (p.choices.length) {
      var one = this.question.querySelector("input[name=value]:checked");
      return one ? one.value : null;
    }
    var text = this.question.querySelector(".answer-input").value.trim();
    return text === "" ? null : text;
  };

  Interview.prototype.back = function () {
    if (this.state.status === "in_progress") this.send(this.api.back, {}, "Going back…");
  };

  Interview.prototype.complete = function () {
    this.send(this.api.complete, { event_id: newEventId() }, "Completing…");
  };

  /* Choosing by number: 1-9 at once (<= 9 choices); otherwise digits then Enter. */
  Interview.prototype.choose = function (number) {
    var p = this.state.prompt;
    var inputs = this.question.querySelectorAll("input[name=value]");
    var input = inputs[number - 1];
    if (!input) {
      this.showError("There is no choice " + number + " (choices 1 to " + inputs.length + ").");
      return;
    }
    this.clearError();
    if (p.type === "select_multiple") {
      input.checked = !input.checked;
      input.focus();
    } else {
      input.checked = true;
      input.focus();
      this.answer("answer", input.value);
    }
  };

  Interview.prototype.showTyped = function () {
    var box = document.getElementById("typed");
    if (box) box.textContent = this.typed ? "Choice: " + this.typed + " (Enter)" : "";
  };

  Interview.prototype.onKey = function (e) {
    var key = e.key;
    if (this.busy) {
      if (/^[0-9]$/.test(key) || key === "Enter") e.preventDefault();
      return;
    }
    if (this.failed && key === "Enter") { e.preventDefault(); this.retry(); return; }
    if (this.state.status !== "in_progress") return;
    var target = e.target;
    if (target && target.closest && target.closest("#break-off, #language-form")) return;
    var p = this.state.prompt;
    var freeText = isTextField(target) && !(p && target.classList.contains("answer-input") &&
      p.type !== "text");
    if (key === "F8" || key === "F9") {
      e.preventDefault();
      this.answer(key === "F8" ? "dont_know" : "refused");
      return;
    }
    if (key === "PageUp" || (e.altKey && key === "ArrowLeft")) {
      e.preventDefault();
      this.back();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!freeText && (key === "d" || key === "D" || key === "r" || key === "R")) {
      e.preventDefault();
      this.answer(key.toLowerCase() === "d" ? "dont_know" : "refused");
      return;
    }
    if (!p) {
      if (key === "Enter" && !isControl(target)) { e.preventDefault(); this.complete(); }
      return;
    }
    var choices = p.type === "rank" ? 0 : p.choices.length; // a ranking is ordered, not picked
    if (choices && /^[0-9]$/.test(key)) {
      e.preventDefault();
      if (choices <= 9) {
        if (key !== "0") this.choose(Number(key));
      } else {
        this.typed += key;
        this.showTyped();
      }
      return;
    }
    if (choices && this.typed && key === "Backspace") {
      e.preventDefault();
      this.typed = this.typed.slice(0, -1);
      this.showTyped();
      return;
    }
    if (key === "Escape") { this.typed = ""; this.showTyped(); return; }
    if (key === "Enter" && !isControl(target)) {
      e.preventDefault();
      if (this.typed) {
        var number = Number(this.typed);
        this.typed = "";
        this.showTyped();
        this.choose(number);
      } else {
        this.answer("answer");
      }
    }
  };

  /* Rendering the state the server sent */
  Interview.prototype.render = function (state) {
    this.state = state;
    this.typed = "";
    this.renderProgress(state);
    this.renderLanguage(state);
    var view;
    if (state.status !== "in_progress") view = this.doneView(state);
    else if (state.prompt) view = this.questionView(state.prompt);
    else view = this.completeView(state);
    this.question.replaceChildren(view);
    var breakOff = document.getElementById("break-off");
    if (breakOff && state.status !== "in_progress") breakOff.hidden = true;
    this.focus();
  };

  Interview.prototype.renderProgress = function (state) {
    // "Question 12 of about 40": the route as the answers so far make it (from the server).
    var bar = document.getElementById("progress-bar");
    bar.max = Math.max(state.expected, 1);
    bar.value = state.answered;
    document.getElementById("progress-text").textContent = state.progress_text;
  };

  Interview.prototype.questionView = function (p) {
    var self = this;
    var form = el("form", { id: "answer-form", novalidate: true, "data-path": p.path });
    form.addEventListener("submit", function (e) { e.preventDefault(); self.answer("answer"); });
    (p.notes || []).forEach(function (note) { form.appendChild(el("p", { className: "note", text: note })); });
    form.appendChild(el("h2", { className: "label", id: "q-label" },
      [el("span", { className: "qname", text: p.path }), " " + p.label]));
    if (p.hint) form.appendChild(el("p", { className: "hint", id: "q-hint", text: p.hint }));
    if (p.interviewer_instruction) {
      form.appendChild(el("p", { className: "instruction", id: "q-instruction" },
        [el("strong", { text: "Interviewer:" }), " " + p.interviewer_instruction]));
    }
    var special = this.specialAnswer(p);
    if (special) form.appendChild(el("p", { className: "special", text: "Current answer: " + special }));
    var shown = this.shownValue(p, special);
    if (p.type === "rank") form.appendChild(window.BasRank.view(p, shown));
    else form.appendChild(p.choices.length ? this.choicesView(p, shown) : this.inputView(p, shown));
    form.appendChild(el("div", { id: "answer-error", className: "error-box", role: "alert",
      hidden: true }));
    form.appendChild(this.actionsView(p));
    return form;
  };

  Interview.prototype.specialAnswer = function (p) {
    if (p.answer === null || p.answer === undefined) return "";
    if (p.dont_know !== null && p.answer === p.dont_know) return "don't know";
    if (p.refused !== null && p.answer === p.refused) return "refused";
    return "";
  };

  /* The value in the answer box: the answer when the question was answered, else the
   * form's default as a proposal (nothing is saved until the interviewer sends it). */
  Interview.prototype.shownValue = function (p, special) {
    if (special) return null;
    if ((this.state.path || []).indexOf(p.path) >= 0) return p.answer;
    if (!p.default) return null;
    if (p.type === "select_multiple" || p.type === "rank") return p.default.split(/\s+/);
    return p.default;
  };

  Interview.prototype.choicesView = function (p, shown) {
    var multiple = p.type === "select_multiple";
    var picked = [].concat(shown === null || shown === undefined ? [] : shown).map(String);
    var box = el("fieldset", { className: "choices", "aria-labelledby": "q-label",
      "aria-describedby": p.interviewer_instruction ? "q-instruction" : null });
    box.appendChild(el("legend", { className: "sr-only", text: p.label }));
    p.choices.forEach(function (c, i) {
      var input = el("input", { type: multiple ? "checkbox" : "radio", name: "value", value: c.name,
        id: "choice-" + (i + 1), checked: picked.indexOf(c.name) >= 0 });
      box.appendChild(el("label", { className: "choice", for: "choice-" + (i + 1) },
        [input, el("span", { className: "num", text: String(i + 1) }), " " + c.label]));
    });
    box.appendChild(el("p", { className: "typed", id: "typed", "aria-live": "polite" }));
    return box;
  };

  Interview.prototype.inputView = function (p, shown) {
    var kind = p.type;
    var value = shown === null || shown === undefined ? "" : String(shown);
    var wrap = el("div", { className: "answer" });
    wrap.appendChild(el("label", { for: "answer-input", className: "sr-only", text: p.label }));
    wrap.appendChild(el("input", {
      id: "answer-input", className: "answer-input", name: "value", autocomplete: "off",
      type: "text", value: value, "data-kind": kind,
      inputmode: kind === "integer" ? "numeric" : kind === "decimal" ? "decimal" : null,
      placeholder: kind === "date" ? "YYYY-MM-DD" : null,
      "aria-describedby": p.interviewer_instruction ? "q-instruction" : null,
    }));
    return wrap;
  };

  Interview.prototype.actionsView = function (p) {
    var self = this;
    var row = el("div", { className: "actions" });
    function button(text, keys, onClick, className) {
      var b = el("button", { type: "button", className: className || null }, [text + " ",
        el("kbd", { text: keys })]);
      b.addEventListener("click", onClick);
      row.appendChild(b);
    }
    button("Next", "Enter", function () { self.answer("answer"); }, "primary");
    if (p.dont_know !== null) button("Don't know", "F8 / d", function () { self.answer("dont_know"); });
    if (p.refused !== null) button("Refused", "F9 / r", function () { self.answer("refused"); });
    button("Back", "PageUp", function () { self.back(); });
    return row;
  };

  Interview.prototype.completeView = function (state) {
    var self = this;
    var box = el("div", { id: "complete-screen" });
    box.appendChild(el("h2", { className: "done", text: "All questions answered" }));
    (state.closing_notes || []).forEach(function (note) {
      box.appendChild(el("p", { className: "note", text: note }));
    });
    var row = el("div", { className: "actions" });
    var done = el("button", { type: "button", id: "complete", className: "primary" },
      ["Complete interview ", el("kbd", { text: "Enter" })]);
    done.addEventListener("click", function () { self.complete(); });
    var back = el("button", { type: "button" }, ["Back ", el("kbd", { text: "PageUp" })]);
    back.addEventListener("click", function () { self.back(); });
    row.appendChild(done);
    row.appendChild(back);
    box.appendChild(row);
    return box;
  };

  Interview.prototype.doneView = function (state) {
    var complete = state.status === "complete";
    var box = el("div", { id: "done-screen" });
    box.appendChild(el("h2", { className: "done",
      text: complete ? "Interview complete" : "Interview " + state.status.replace("_", " ") }));
    box.appendChild(el("p", {}, [el("a", { href: this.api.home, className: "button primary",
      id: "next-case", text: complete ? "Next case" : "Back to interviewing" })]));
    return box;
  };

  Interview.prototype.focus = function () {
    var target = this.question.querySelector(
      ".answer-input, input[name=value]:checked, input[name=value], .rank-item, #complete, " +
      "#next-case");
    if (target) target.focus();
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("interview");
    if (root) new Interview(root).start();
    else bindShortcutButtons();
  });
})();
