// The ledger table, searchable, filterable and sortable in the page: plain JavaScript, nothing fetched.
// Without this script the page still shows every row; with it, the controls above the table appear.
(function () {
  "use strict";
  var table = document.getElementById("ledger");
  var form = document.getElementById("ledger-controls");
  if (!table || !form) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var search = document.getElementById("ledger-search");
  var count = document.getElementById("ledger-count");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var column = {};
  headers.forEach(function (th, i) { column[th.getAttribute("data-key")] = i; });

  function text(row, i) { return row.cells[i].textContent.replace(/\s+/g, " ").trim(); }

  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var all = row.textContent.toLowerCase();
      var ok = words.every(function (w) { return all.indexOf(w) !== -1; });
      selects.forEach(function (s) {
        if (ok && s.value && text(row, column[s.getAttribute("data-filter")]) !== s.value) ok = false;
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown === rows.length ? "all " + rows.length + " rows" : shown + " of " + rows.length + " rows";
  }

  function sortBy(i) {
    var th = headers[i];
    var descending = th.getAttribute("aria-sort") === "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var key = function (row) {
      var cell = row.cells[i];
      var value = cell.getAttribute("data-sort");
      return value !== null ? parseFloat(value) : cell.textContent.trim().toLowerCase();
    };
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      if (typeof x === "number" && isNaN(x)) order = isNaN(y) ? 0 : 1;  // undisclosed amounts last
      else if (typeof y === "number" && isNaN(y)) order = -1;
      return descending ? -order : order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  headers.forEach(function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    button.title = "Sort by this column (again to reverse)";
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(i); });
  });
  search.addEventListener("input", apply);
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
