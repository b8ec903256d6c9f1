/* Sort and filter the "All actions" table in the browser. Bundled with the site (no CDN), so it
 * works offline and from file://; without scripts the table is still a plain, readable table. */
(function () {
  "use strict";

  function cellValues(cell, multi) {
    if (multi) {
      var items = cell.querySelectorAll(".pf-item, .pf-flag");
      if (items.length) return Array.prototype.map.call(items, function (el) { return el.textContent.trim(); });
      return [];
    }
    return [cell.textContent.trim()];
  }

  function sortKey(cell) {
    var ranked = cell.querySelector("[data-rank]");
    if (ranked) return { num: Number(ranked.getAttribute("data-rank")) };
    var text = cell.textContent.trim();
    var id = text.match(/^([A-Za-z._-]*)(\d+)/);
    if (id) return { text: id[1].toLowerCase(), num: Number(id[2]), rest: text.toLowerCase() };
    return { text: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.text !== undefined && b.text !== undefined && a.text !== b.text) return a.text < b.text ? -1 : 1;
    if (a.num !== undefined && b.num !== undefined && a.num !== b.num) return a.num - b.num;
    var ra = a.rest || a.text || "", rb = b.rest || b.text || "";
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  }

  function enhance(tools) {
    var wrapper = tools.nextElementSibling;
    var table = wrapper && (wrapper.tagName === "TABLE" ? wrapper : wrapper.querySelector("table"));
    if (!table || !table.tBodies.length) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var names = headers.map(function (th) { return th.textContent.trim(); });
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var wanted = (tools.getAttribute("data-filters") || "").split(",").filter(Boolean);
    var multi = { "Quality statements": true, "Flags": true };
    var selects = [];

    var status = document.createElement("p");
    status.className = "pf-table-count";
    status.setAttribute("aria-live", "polite");

    wanted.forEach(function (name) {
      var column = names.indexOf(name);
      if (column < 0) return;
      var values = {};
      rows.forEach(function (row) {
        cellValues(row.cells[column], multi[name]).forEach(function (v) { if (v) values[v] = true; });
      });
      var label = document.createElement("label");
      label.className = "pf-filter";
      label.appendChild(document.createTextNode(name + " "));
      var select = document.createElement("select");
      select.setAttribute("data-column", column);
      select.setAttribute("data-multi", multi[name] ? "1" : "");
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "Any";
      select.appendChild(any);
      Object.keys(values).sort().forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
      label.appendChild(select);
      tools.appendChild(label);
      selects.push(select);
    });
    tools.appendChild(status);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (select) {
          if (!select.value) return true;
          var cell = row.cells[Number(select.getAttribute("data-column"))];
          return cellValues(cell, !!select.getAttribute("data-multi")).indexOf(select.value) >= 0;
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " actions";
    }

    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pf-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var order = compare(sortKey(a.cells[column]), sortKey(b.cells[column]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".pf-table-tools"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  /* Phones: a table of four or more columns is laid out as one card per row (portfolio.css),
   * so each value is labelled with its column's name and wraps its cell's content for the
   * layout. The table keeps its roles explicitly: some browsers drop a table's semantics when
   * its CSS display changes. The sortable actions table is left as a table (it scrolls). */
  function stack(table) {
    if (table.hasAttribute("data-pf-stack") || !table.tHead || !table.tHead.rows.length || !table.tBodies.length) return;
    var previous = (table.closest(".md-typeset__scrollwrap") || table).previousElementSibling;
    if (previous && previous.classList.contains("pf-table-tools")) return;
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    if (names.length < 4) return;
    table.setAttribute("data-pf-stack", "");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (g) { g.setAttribute("role", "rowgroup"); });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (cell.tagName === "TH") { cell.setAttribute("role", "columnheader"); return; }
        cell.setAttribute("role", "cell");
        cell.setAttribute("data-label", names[i] || "");
        if (!cell.textContent.trim()) cell.classList.add("pf-empty");
        var inner = document.createElement("span");
        inner.className = "pf-cell";
        while (cell.firstChild) inner.appendChild(cell.firstChild);
        cell.appendChild(inner);
      });
    });
  }

  /* A table wider than its box scrolls sideways: make it a named region the keyboard can
   * reach and scroll (WCAG 2.1.1), named after the heading above it. */
  function regions() {
    Array.prototype.forEach.call(document.querySelectorAll("article .md-typeset__scrollwrap"), function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      if (wide && !wrap.hasAttribute("tabindex")) {
        var heading = wrap.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table" + (heading ? ": " + heading.textContent.trim() : "") + " (scrolls sideways)");
      } else if (!wide && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  var resizing = null;
  function layout() {
    Array.prototype.forEach.call(document.querySelectorAll("article table"), stack);
    regions();
    /* Material's search is a dialog without a name; give it the search box's. */
    var search = document.querySelector(".md-search[role='dialog']:not([aria-label])");
    var input = search && search.querySelector(".md-search__input");
    if (input) search.setAttribute("aria-label", input.getAttribute("aria-label") || "Search");
  }
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(regions, 150);
  });
  /* Material wraps tables in its scrolling box when the page is ready: run after it. */
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(layout);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", layout);
  else layout();
})();
