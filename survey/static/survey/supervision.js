// Supervision pages: sortable tables and the wave page's auto-refresh.
// No inline script in the pages (the Content-Security-Policy allows only this file).
(function () {
  "use strict";

  // A form with data-confirm asks first ("Release replicate 3? 160 more businesses..."):
  // bas/static/bas/confirm.js, on every page, asks once.

  // Tables with class "sortable": a click on a header with data-sort sorts by that column
  // (numbers by the cell's data-value when it has one), again to reverse.
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) { return numeric ? -Infinity : ""; }
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    if (numeric) {
      var number = parseFloat(String(raw).replace(/[^0-9.\-]/g, ""));
      return isNaN(number) ? -Infinity : number;
    }
    return String(raw).trim().toLowerCase();
  }

  function sortBy(header) {
    var table = header.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.cells.length > 1; });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    header.parentNode.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.addEventListener("click", function (event) {
    var header = event.target.closest("table.sortable th[data-sort]");
    if (header) { sortBy(header); }
  });

  // The wave page reloads its figures every N seconds unless the supervisor pauses it
  // (remembered in this browser). It never reloads while a confirmation or form is in use.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("auto-refresh");
    var holder = document.querySelector("[data-refresh-seconds]");
    if (!box || !holder) { return; }
    var key = "bas-supervision-auto-refresh";
    box.checked = window.localStorage.getItem(key) !== "off";
    box.addEventListener("change", function () {
      window.localStorage.setItem(key, box.checked ? "on" : "off");
    });
    var seconds = parseInt(holder.getAttribute("data-refresh-seconds"), 10) || 60;
    window.setInterval(function () {
      var busy = document.activeElement && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)
        && document.activeElement !== box;
      if (box.checked && !busy && document.visibilityState === "visible") {
        window.location.reload();
      }
    }, seconds * 1000);
  });
}());
