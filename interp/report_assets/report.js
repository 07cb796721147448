/* report.js — what a wenze report does in the browser (inline, no network).
 * Sorting: every th of a table.wz-sortable sorts by its column's data-k (the
 * rank wenze computed exactly; equal values share a rank, and the sort is
 * stable).  Filtering: an input.wz-filter hides the rows without its text.
 * Drill-down: a button.drill opens the row's explanation (from the JSON in
 * #wz-data), its policy references linked to the embedded policy text.
 * Self-test: with #selftest in the address, the page sorts, filters and
 * opens a drill-down itself and writes what it saw into #wz-selftest, so a
 * headless browser's --dump-dom shows it (tests/e2e/report_browser.sh). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wz-data").textContent);

  function rowsOf(table) {
    return Array.prototype.slice.call(table.tBodies[0].rows).filter(function (r) {
      return r.classList.contains("row");
    });
  }
  function drillOf(row) {
    var n = row.nextElementSibling;
    return n && n.classList.contains("drill") ? n : null;
  }
  function key(row, col) { return Number(row.cells[col].getAttribute("data-k")); }

  function sortBy(table, th) {
    var col = Number(th.getAttribute("data-col"));
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    var rows = rowsOf(table).map(function (r, i) { return { r: r, d: drillOf(r), i: i }; });
    rows.sort(function (a, b) { return (key(a.r, col) - key(b.r, col)) * dir || a.i - b.i; });
    var body = table.tBodies[0];
    rows.forEach(function (x) { body.appendChild(x.r); if (x.d) body.appendChild(x.d); });
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  /* "dongliu-2019.wz:96" → a link to line 96 of the embedded policy text
   * (data.files: each embedded file's name → the prefix of its line anchors) */
  function linkify(text) {
    var html = escapeHtml(text);
    Object.keys(data.files).forEach(function (name) {
      var file = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), prefix = data.files[name];
      html = html.replace(new RegExp("(" + file + "):(\\d+)", "g"), '<a class="src" href="#' + prefix + 'L$2">$1:$2</a>');
    });
    return html;
  }

  function toggleDrill(button) {
    var row = button.closest("tr"), open = drillOf(row);
    if (open) { open.parentNode.removeChild(open); button.setAttribute("aria-expanded", "false"); return null; }
    var id = row.getAttribute("data-id"), text = data.explain[id];
    var tr = document.createElement("tr"), td = document.createElement("td");
    tr.className = "drill";
    td.colSpan = row.cells.length;
    if (text === undefined) {
      td.innerHTML = '<p class="note">' + escapeHtml(data.missing.replace("{id}", id)) + "</p>";
    } else {
      var pre = document.createElement("pre");
      pre.className = "explain";
      pre.innerHTML = linkify(text);
      td.appendChild(pre);
    }
    tr.appendChild(td);
    row.parentNode.insertBefore(tr, row.nextSibling);
    button.setAttribute("aria-expanded", "true");
    return tr;
  }

  function filter(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    var q = input.value.trim().toLowerCase(), shown = 0;
    rowsOf(table).forEach(function (r) {
      var hide = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
      r.classList.toggle("hidden", hide);
      var d = drillOf(r);
      if (d) d.classList.toggle("hidden", hide);
      if (!hide) shown++;
    });
    var count = document.querySelector('.wz-count[data-table="' + table.id + '"]');
    if (count) count.textContent = data.shown.replace("{n}", shown).replace("{all}", rowsOf(table).length);
    return shown;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.wz-sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.addEventListener("click", function () { sortBy(table, th); });
    });
    table.addEventListener("click", function (e) {
      var b = e.target.closest("button.drill");
      if (b) toggleDrill(b);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input.wz-filter"), function (input) {
    input.addEventListener("input", function () { filter(input); });
    filter(input);
  });

  if (location.hash !== "#selftest") return;
  /* The self-test: on the first sortable table, what a reader would do. */
  var out = [], table = document.querySelector("table.wz-sortable");
  function ids() { return rowsOf(table).map(function (r) { return r.getAttribute("data-id"); }).join(" "); }
  out.push("rows " + rowsOf(table).length);
  var th = table.querySelector("th[data-selftest]") || table.tHead.rows[0].cells[0];
  var name = th.getAttribute("data-name");
  sortBy(table, th);
  out.push("sort " + name + " asc: " + ids());
  sortBy(table, th);
  out.push("sort " + name + " desc: " + ids());
  var first = rowsOf(table)[0], firstId = first.getAttribute("data-id");
  var input = document.querySelector('input.wz-filter[data-table="' + table.id + '"]');
  if (input) {
    input.value = firstId;
    input.dispatchEvent(new Event("input"));
    out.push("filter " + firstId + ": " + rowsOf(table).filter(function (r) {
      return !r.classList.contains("hidden");
    }).length + " shown");
    input.value = "";
    input.dispatchEvent(new Event("input"));
  }
  var drill = toggleDrill(first.querySelector("button.drill"));
  var text = drill ? drill.textContent : "";
  out.push("drill " + firstId + ": " + (drill && drill.parentNode ? "open" : "closed") + ", " +
           drill.querySelectorAll("a.src").length + " links, first line: " + text.split("\n")[0]);
  var link = drill.querySelector("a.src");
  if (link) {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    out.push("link " + link.textContent + ": " + (target ? target.textContent.replace(/^\d+/, "").trim() : "missing"));
  }
  var box = document.getElementById("wz-selftest");
  box.textContent = out.join("\n");
  box.hidden = false;
})();
