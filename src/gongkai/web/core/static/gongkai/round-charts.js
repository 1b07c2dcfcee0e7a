// Charts of a round's page (rank and distribution of score rates), from the page's #chart-data JSON.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.textContent);
  var names = [], rates = [];
  data.groups.forEach(function (g) { g.names.forEach(function (n, i) { names.push(n); rates.push(g.rates[i]); }); });
  echarts.init(document.getElementById("chart-rank")).setOption({
    grid: {left: 110, right: 30, top: 10, bottom: 30}, tooltip: {},
    xAxis: {type: "value", max: 100}, yAxis: {type: "category", data: names.slice().reverse()},
    series: [{type: "bar", data: rates.slice().reverse(), itemStyle: {color: "#1d4f91"}, label: {show: true, position: "right", formatter: "{c}%"}}]
  });
  var bins = ["60以下", "60-70", "70-80", "80-90", "90以上"], counts = [0, 0, 0, 0, 0];
  data.rates.forEach(function (r) { counts[r < 60 ? 0 : r < 70 ? 1 : r < 80 ? 2 : r < 90 ? 3 : 4] += 1; });
  echarts.init(document.getElementById("chart-dist")).setOption({
    tooltip: {}, xAxis: {type: "category", data: bins}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: counts, itemStyle: {color: "#3a7bd5"}, label: {show: true, position: "top"}}]
  });
});
