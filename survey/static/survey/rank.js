/* The interview page's rank widget: the choices as an ordered list, first place first.
 *
 * Each choice has Up and Down buttons; from the keyboard, on a choice ArrowUp/ArrowDown go
 * to the one above or below and Shift+ArrowUp/ArrowDown (or u / j) move it. Enter sends the
 * order as the engine takes it: the choice names, space-separated ("c a b"). Without
 * JavaScript the page has numbered place boxes instead (the server builds the same order). */
(function () {
  "use strict";

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function startOrder(p, shown) {
    var names = p.choices.map(function (c) { return c.name; });
    var given = [].concat(shown || []).map(String);
    var valid = given.length === names.length && given.every(function (n) {
      return names.indexOf(n) >= 0;
    }) && given.filter(function (n, i) { return given.indexOf(n) === i; }).length === names.length;
    return valid ? given : names;
  }

  function renumber(list) {
    var items = list.querySelectorAll(".rank-item");
    Array.prototype.forEach.call(items, function (item, i) {
      item.querySelector(".place").textContent = String(i + 1);
      item.querySelector(".rank-up").disabled = i === 0;
      item.querySelector(".rank-down").disabled = i === items.length - 1;
    });
  }

  function announce(list, item) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".rank-item"));
    var live = list.parentNode.querySelector(".rank-live");
    live.textContent = item.getAttribute("data-label") + ": place " +
      (items.indexOf(item) + 1) + " of " + items.length;
  }

  function move(list, item, delta, focusOn) {
    var other = delta < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!other) return;
    if (delta < 0) list.insertBefore(item, other);
    else list.insertBefore(other, item);
    renumber(list);
    announce(list, item);
    var target = focusOn === "item" ? item : item.querySelector(delta < 0 ? ".rank-up" : ".rank-down");
    if (target.disabled) target = item;
    target.focus();
  }

  function itemView(list, choice) {
    var item = node("li", "rank-item");
    item.tabIndex = 0;
    item.setAttribute("data-name", choice.name);
    item.setAttribute("data-label", choice.label);
    item.setAttribute("aria-describedby", "rank-help");
    item.appendChild(node("span", "place"));
    item.appendChild(node("span", "rank-label", " " + choice.label + " "));
    [["rank-up", -1, "\u2191 Up"], ["rank-down", 1, "\u2193 Down"]].forEach(function (b) {
      var button = node("button", b[0], b[2]);
      button.type = "button";
      button.setAttribute("aria-label", "Move " + choice.label + (b[1] < 0 ? " up" : " down"));
      button.addEventListener("click", function () { move(list, item, b[1], "button"); });
      item.appendChild(button);
    });
    return item;
  }

  function onKey(list, e) {
    var item = e.target;
    if (!item.classList || !item.classList.contains("rank-item")) return;
    var up = e.key === "ArrowUp" || e.key === "u";
    var down = e.key === "ArrowDown" || e.key === "j";
    if (!up && !down) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.shiftKey || e.key === "u" || e.key === "j") {
      move(list, item, up ? -1 : 1, "item");
    } else {
      var next = up ? item.previousElementSibling : item.nextElementSibling;
      if (next) next.focus();
    }
  }

  function view(p, shown) {
    var box = node("fieldset", "choices rank");
    box.setAttribute("aria-labelledby", "q-label");
    box.appendChild(node("legend", "sr-only", p.label));
    box.appendChild(node("p", "rank-help", "Order the choices, first place first: Up and " +
      "Down, or Shift+\u2191/\u2193 on a choice; Enter sends the order."));
    box.lastChild.id = "rank-help";
    var list = node("ol", "rank-list");
    list.id = "rank-list";
    var byName = {};
    p.choices.forEach(function (c) { byName[c.name] = c; });
    startOrder(p, shown).forEach(function (name) { list.appendChild(itemView(list, byName[name])); });
    list.addEventListener("keydown", function (e) { onKey(list, e); });
    box.appendChild(list);
    var live = node("p", "rank-live sr-only");
    live.setAttribute("aria-live", "polite");
    box.appendChild(live);
    renumber(list);
    return box;
  }

  function value(root) {
    var items = root.querySelectorAll("#rank-list .rank-item");
    return Array.prototype.map.call(items, function (i) { return i.getAttribute("data-name"); })
      .join(" ");
  }

  window.BasRank = { view: view, value: value };
})();
