// Today's plots (issue 18): each <canvas data-chart> reads its server-computed configuration from the JSON script
// the page renders beside it and draws it with Chart.js (static/vendor/). The table stays for screen readers;
// without JavaScript, or if Chart.js did not load, only the table shows.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) return;
      var figure = canvas.closest("figure");
      figure.querySelector(".chart-canvas").hidden = false;
      figure.querySelector(".chart-table").classList.add("visually-hidden");
      new window.Chart(canvas, JSON.parse(source.textContent));
      canvas.dataset.drawn = "yes";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
