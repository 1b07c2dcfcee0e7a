// 年历确认页：勾选/取消一天时即时改变格子的颜色（上班、放假、调休）。
// A static file rather than an inline handler: the Content-Security-Policy allows scripts from 'self' only.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches('.months input[type="checkbox"][name="work"]')) return;
  var cell = box.closest("td");
  var weekend = cell.dataset.weekend === "1";
  cell.className = (box.checked ? "work" : "off") + (box.checked === weekend ? " swapped" : "");
});
