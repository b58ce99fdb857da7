// Click a column header of a .dc-sortable table to sort it; the table reads fine without this.
(function () {
  function key(cell) { return (cell && cell.textContent || "").trim(); }
  function setup(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[index]), y = key(b.cells[index]);
          return (asc ? 1 : -1) * x.localeCompare(y, "zh-CN", { numeric: true });
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  function init() { document.querySelectorAll("table.dc-sortable").forEach(setup); }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
// 大字: a larger text size for older readers, kept in this browser.
(function () {
  function init() {
    document.querySelectorAll("[data-dc-bigger]").forEach(function (button) {
      var root = document.documentElement;
      button.setAttribute("aria-pressed", root.classList.contains("dc-bigger-text") ? "true" : "false");
      button.addEventListener("click", function () {
        var on = root.classList.toggle("dc-bigger-text");
        button.setAttribute("aria-pressed", on ? "true" : "false");
        try { localStorage.setItem("dc-bigger", on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
// Printing a decision: the computation of the deadlines is part of the record, so unfold it.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.dc-explain").forEach(function (d) { d.setAttribute("open", ""); });
});
