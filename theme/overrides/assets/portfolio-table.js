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
})();
