// The availability strip of a unit's page (share of failed probes per day), from the page's #avail-data JSON.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("avail-data");
  if (!el || !window.echarts) return;
  var colors = {ok: "#2e9d5b", warn: "#e69a12", bad: "#d43f3a", none: "#c8ccd2"};
  JSON.parse(el.textContent).targets.forEach(function (t, i) {
    var box = document.getElementById("avail-chart-" + i);
    if (!box) return;
    echarts.init(box).setOption({
      grid: {left: 40, right: 10, top: 10, bottom: 30},
      tooltip: {formatter: function (p) {
        var c = t.cells[p.dataIndex];
        return c.day + "<br>探测 " + (c.up + c.down) + " 次，失败 " + c.down + " 次" + (c.share === null ? "" : "（" + c.share + "%）");
      }},
      xAxis: {type: "category", data: t.cells.map(function (c) { return c.label; })},
      yAxis: {type: "value", name: "失败%", min: 0},
      series: [{type: "bar", data: t.cells.map(function (c) {
        return {value: c.share === null ? 0.2 : Math.max(c.share, 0.2), itemStyle: {color: colors[c.level]}};
      })}]
    });
  });
});
