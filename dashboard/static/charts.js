// Draws the page's charts. Each chart's options come as JSON in a
// <script type="application/json" data-chart="ID"> beside its box (see
// dashboard/charts): the page itself runs no inline script, so nothing from
// an export can become code.
//
// A page whose figures were not all ready shows "being computed"
// ([data-pending]) in their place. Then this script fetches the page again,
// every few seconds, and swaps in the new content once more of it is ready,
// without a reload: the filter form is kept if the user has started to
// change it.
//
// On print pages ([data-print], the report pack) charts are drawn as SVG
// without animation, and the html element gets data-drawn once every chart
// is painted, for the printer to wait on.
"use strict";
(function () {
  let drawn = [];
  const finished = new WeakSet();
  const print = document.querySelector("[data-print]") !== null;

  function draw(root) {
    root.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (el) {
      const box = document.getElementById(el.dataset.chart);
      if (!box) return;
      const spec = JSON.parse(el.textContent);
      const chart = echarts.init(box, "macarons", { renderer: print ? "svg" : "canvas" });
      chart.on("finished", function () { finished.add(chart); markDrawn(); });
      if (print) { // paper: no animation, no buttons, no zoom slider
        spec.option.animation = false;
        spec.option.toolbox = { show: false };
        [].concat(spec.option.dataZoom || []).forEach(function (z) { z.show = false; });
      }
      writeNumbers(spec.option, spec.number || { decimals: 1 });
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
  }

  // The page is drawn once no figure is still being computed and every
  // chart has finished drawing (its animation included): html[data-drawn],
  // which printing a page (dashboard/printing) waits for.
  function markDrawn() {
    if (pending(document) === 0 && drawn.every(function (c) { return finished.has(c); })) {
      document.documentElement.setAttribute("data-drawn", "");
    }
  }

  // writeNumbers makes the chart write its values as the page does
  // (dashboard/widgets/format.go): in the page's language (4,95 in Dutch,
  // 4.95 in English), with the chart's decimals and unit, "–" for none, in
  // tooltips, labels (a funnel's as "name: value"), value axes and the heat
  // map's scale.
  function writeNumbers(option, number) {
    const lang = document.documentElement.lang || "nl";
    const fixed = new Intl.NumberFormat(lang, { minimumFractionDigits: number.decimals, maximumFractionDigits: number.decimals, useGrouping: false });
    const scale = new Intl.NumberFormat(lang, { maximumFractionDigits: 2, useGrouping: false });
    const unit = number.unit || "";
    const last = function (v) { return Array.isArray(v) ? v[v.length - 1] : v; };
    const value = function (v) {
      v = last(v);
      return v === "-" || v == null || isNaN(v) ? "–" : fixed.format(v) + unit;
    };
    option.tooltip = Object.assign({}, option.tooltip, { valueFormatter: value });
    [].concat(option.series || []).forEach(function (s) {
      if (!s.label || !s.label.show) return;
      s.label.formatter = s.type === "funnel"
        ? function (p) { return p.name + ": " + value(p.value); }
        : function (p) { return value(p.value); };
    });
    ["xAxis", "yAxis"].forEach(function (k) {
      [].concat(option[k] || []).forEach(function (axis) {
        if (axis.type !== "value") return;
        const label = function (v) { return scale.format(v); };
        axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: label });
        // The tooltip's heading and the zoom slider's ends.
        axis.axisPointer = Object.assign({}, axis.axisPointer, { label: { formatter: function (p) { return label(p.value); } } });
        if (k === "xAxis") {
          [].concat(option.dataZoom || []).forEach(function (z) { z.labelFormatter = label; });
        }
      });
    });
    [].concat(option.visualMap || []).forEach(function (m) {
      m.formatter = function (v) { return fixed.format(v); };
    });
  }

  let filterTouched = false;
  document.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest("form.filters")) filterTouched = true;
  });

  const pending = function (root) { return root.querySelectorAll("[data-pending]").length; };
  let wait = 2000;
  const giveUp = Date.now() + 15 * 60 * 1000;

  function poll() {
    if (pending(document) === 0 || Date.now() > giveUp) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "charts.js" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        const next = html && new DOMParser().parseFromString(html, "text/html").querySelector("main");
        const main = document.querySelector("main");
        if (next && main && pending(next) < pending(main)) {
          const form = main.querySelector("form.filters");
          const newForm = next.querySelector("form.filters");
          if (filterTouched && form && newForm) newForm.replaceWith(form);
          drawn.forEach(function (c) { c.dispose(); });
          drawn = [];
          main.replaceWith(next);
          draw(next);
          markDrawn();
          wait = 2000;
        } else {
          wait = Math.min(wait * 1.5, 10000);
        }
      })
      .catch(function () { wait = 10000; })
      .finally(function () { setTimeout(poll, wait); });
  }

  draw(document);
  markDrawn();
  setTimeout(poll, wait);
  // ECharts measures a box once; follow the window.
  window.addEventListener("resize", function () {
    drawn.forEach(function (c) { c.resize(); });
  });
})();
