// Draws the page's charts. Each chart's options come as JSON in a
// <script type="application/json" data-chart="ID"> beside its box (see
// dashboard/charts): the page itself runs no inline script, so nothing from
// an export can become code.
"use strict";
(function () {
  const drawn = [];
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (el) {
    const box = document.getElementById(el.dataset.chart);
    if (!box) return;
    const spec = JSON.parse(el.textContent);
    const chart = echarts.init(box, "macarons", { renderer: "canvas" });
    if (spec.unit) {
      spec.option.tooltip = Object.assign({}, spec.option.tooltip, {
        valueFormatter: function (v) { return v === "-" || v == null ? "–" : v + spec.unit; },
      });
    }
    chart.setOption(spec.option);
    const links = spec.links || [];
    // A click on a bar opens its drill-down; only our own pages.
    chart.on("click", function (p) {
      const l = links[p.dataIndex];
      if (typeof l === "string" && l.charAt(0) === "/" && l.charAt(1) !== "/") {
        window.location.href = l;
      }
    });
    drawn.push(chart);
  });
  // ECharts measures a box once; follow the window.
  window.addEventListener("resize", function () {
    drawn.forEach(function (c) { c.resize(); });
  });
})();
