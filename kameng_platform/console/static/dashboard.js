// The dashboard's trend charts (Chart.js, served from the platform). The numbers and the words come from the
// page's data attributes (JSON the server escaped), so nothing here is inline script and CSP script-src 'self'
// holds. Chart.js draws the words as canvas text, never as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("charts");
  if (!box || typeof Chart === "undefined") { return; }
  var data = JSON.parse(box.dataset.chart);
  var words = JSON.parse(box.dataset.labels);
  var colours = { gmv: "#1f3b57", cost: "#c97b12", profit: "#2b8a3e", orders: "#1f3b57", margin: "#2b8a3e",
                  payment_success: "#1864ab", topup_failure: "#c92a2a" };
  function draw(id, type, keys, unit) {
    var chart = new Chart(document.getElementById(id), {
      type: type,
      data: { labels: data.labels, datasets: keys.map(function (k) {
        return { label: words[k], data: data[k], borderColor: colours[k], backgroundColor: colours[k],
                 spanGaps: true, tension: 0.2, pointRadius: 2 };
      }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 scales: { y: { beginAtZero: true, title: { display: true, text: words[unit] } } } }
    });
    document.getElementById(id).dataset.points = String(chart.data.datasets[0].data.length);
  }
  draw("chart-money", "line", ["gmv", "cost", "profit"], "yuan");
  draw("chart-orders", "bar", ["orders"], "orders");
  draw("chart-rates", "line", ["margin", "payment_success", "topup_failure"], "percent");
});
