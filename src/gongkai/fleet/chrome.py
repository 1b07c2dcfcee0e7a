"""Page furniture of a real government site, for fleets that need pages of real weight.

A CMS page of a county portal is 20-40 KB: a stylesheet and scripts inline (menus, tabs, font size, the
长者模式 switch, visit statistics, the 政府网站找错 widget), a toolbar, a 友情链接 block of other
governments' sites and a longer footer. None of it is content: the links lead to other hosts, to
`javascript:` or to a fragment of the same page, and no text names a column, a date or a 专栏. The
renderer adds a 最新发布 block of the latest news beside every page, dated like a column's own list. A
site's model is the same with or without all this (a test holds the crawler to that). The crawler benchmark
uses it, since its reference figures were taken on 28 KB pages with about 40 links each.
"""

from __future__ import annotations

import html
import zlib

# 友情链接: other governments' portals (other hosts: never followed, never counted as columns)
FRIEND_SITES = [
    ("中国政府网", "https://www.gov.cn/"),
    ("国务院客户端", "https://app.www.gov.cn/"),
    ("省人民政府门户网站", "https://www.province.gov.cn/"),
    ("临江市人民政府", "https://www.linjiang.gov.cn/"),
    ("东湖县人民政府", "https://www.donghu.gov.cn/"),
    ("青石县人民政府", "https://www.qingshi.gov.cn/"),
    ("北塘区人民政府", "https://www.beitang.gov.cn/"),
    ("南浦区人民政府", "https://www.nanpu.gov.cn/"),
    ("云岭县人民政府", "https://www.yunling.gov.cn/"),
    ("西溪县人民政府", "https://www.xixi.gov.cn/"),
    ("省发展和改革委员会", "https://fzggw.province.gov.cn/"),
    ("省教育厅", "https://jyt.province.gov.cn/"),
    ("省财政厅", "https://czt.province.gov.cn/"),
    ("省人力资源和社会保障厅", "https://rlsbt.province.gov.cn/"),
    ("省自然资源厅", "https://zrzyt.province.gov.cn/"),
    ("省生态环境厅", "https://sthjt.province.gov.cn/"),
    ("省卫生健康委员会", "https://wsjkw.province.gov.cn/"),
    ("省市场监督管理局", "https://scjgj.province.gov.cn/"),
    ("12345政务服务便民热线", "https://12345.linjiang.gov.cn/"),
    ("省政务服务网", "https://www.zwfw.province.gov.cn/"),
]

# the select box of State Council departments most portals carry beside their 友情链接
DEPARTMENTS = [
    ("外交部", "mfa"), ("国防部", "mod"), ("国家发展和改革委员会", "ndrc"), ("教育部", "moe"),
    ("科学技术部", "most"), ("工业和信息化部", "miit"), ("国家民族事务委员会", "neac"), ("公安部", "mps"),
    ("民政部", "mca"), ("司法部", "moj"), ("财政部", "mof"), ("人力资源和社会保障部", "mohrss"),
    ("自然资源部", "mnr"), ("生态环境部", "mee"), ("住房和城乡建设部", "mohurd"), ("交通运输部", "mot"),
    ("水利部", "mwr"), ("农业农村部", "moa"), ("商务部", "mofcom"), ("文化和旅游部", "mct"),
    ("国家卫生健康委员会", "nhc"), ("退役军人事务部", "mva"), ("应急管理部", "mem"), ("中国人民银行", "pbc"),
    ("审计署", "audit"), ("国务院国有资产监督管理委员会", "sasac"), ("海关总署", "customs"),
    ("国家税务总局", "chinatax"), ("国家市场监督管理总局", "samr"), ("国家统计局", "stats"),
]  # fmt: skip

_TOOLBAR = [
    ("无障碍浏览", "javascript:void(0);"),
    ("长者模式", "javascript:void(0);"),
    ("繁體版", "javascript:void(0);"),
    ("手机版", "https://m.linjiang.gov.cn/"),
    ("个人登录", "https://www.zwfw.province.gov.cn/login"),
    ("法人登录", "https://www.zwfw.province.gov.cn/login?type=legal"),
]

_FOOTER_LINKS = [
    ("返回顶部", "#top"),
    ("网站声明", "#statement"),
    ("联系我们", "#contact"),
    ("政府网站找错", "https://zfwzzc.www.gov.cn/"),
    ("适老化及无障碍服务", "javascript:void(0);"),
]

# the shapes of a CMS stylesheet: selectors by page region, and the declarations they take
_REGIONS = ["header", "topbar", "nav", "crumb", "main", "list", "article", "sidebar", "links", "footer"]
_PARTS = [
    "", " ul", " ul li", " ul li a", " ul li a:hover", " h2", " h3", " p", " .more", " .date", " img",
    " .title", " .tab-title li", " .tab-title li.on", " .tab-body", " span", " em", " i.icon",
]  # fmt: skip
_DECLS = [
    "margin:0 auto;padding:0;width:1200px;overflow:hidden",
    "float:left;display:inline-block;height:48px;line-height:48px;font-size:16px",
    "color:#333;text-decoration:none;font-family:'Microsoft YaHei',SimSun,sans-serif",
    "border-bottom:1px dashed #d9d9d9;padding:0 10px 0 14px;background:url(../images/dot.png) no-repeat 0 50%",
    "color:#c00;background-color:#f5f5f5;transition:all .2s ease-in-out",
    "font-size:18px;font-weight:bold;color:#1a5aa6;border-left:4px solid #1a5aa6;padding-left:10px",
    "text-indent:2em;line-height:2;font-size:16px;color:#333;text-align:justify",
    "position:relative;z-index:10;box-shadow:0 2px 6px rgba(0,0,0,.08)",
]

_SCRIPT = """
(function ($) {
  "use strict";
  function switchTab(box, index) {
    $(box).find(".tab-title li").removeClass("on").eq(index).addClass("on");
    $(box).find(".tab-body > div").hide().eq(index).show();
  }
  $(".tab-box").each(function () {
    var box = this;
    $(box).find(".tab-title li").each(function (index) {
      $(this).on("mouseenter", function () { switchTab(box, index); });
    });
  });
  var sizes = [14, 16, 18, 20], current = 1;
  function setFontSize(step) {
    current = Math.max(0, Math.min(sizes.length - 1, current + step));
    $(".article, .main").css("font-size", sizes[current] + "px");
    try { window.localStorage.setItem("fontSize", String(current)); } catch (e) {}
  }
  $(".font-bigger").on("click", function () { setFontSize(1); });
  $(".font-smaller").on("click", function () { setFontSize(-1); });
  function elderMode(on) {
    $("html").toggleClass("elder", on);
    $(".nav ul li a").css({ "font-size": on ? "22px" : "16px", "padding": on ? "0 24px" : "0 18px" });
  }
  $(".toolbar a").eq(1).on("click", function () { elderMode(!$("html").hasClass("elder")); });
  $(window).on("scroll", function () {
    $(".go-top").toggle($(window).scrollTop() > 400);
  });
  $(".go-top").on("click", function () { $("html, body").animate({ scrollTop: 0 }, 300); });
  $(".links select").on("change", function () {
    var target = $(this).val();
    if (target) { window.open(target, "_blank"); }
  });
})(window.jQuery);
"""


def head(site_key: str) -> str:
    """Stylesheet and scripts of <head>: inline, as most CMS templates have them."""
    rules = []
    for i, region in enumerate(_REGIONS):
        for j, part in enumerate(_PARTS):
            rules.append(f".{region}{part}{{{_DECLS[(i + j) % len(_DECLS)]}}}")
    style = "\n".join(rules)
    stat = zlib.crc32(site_key.encode()) & 0xFFFFFFFF
    return (
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/css/common.css"><link rel="stylesheet" href="/css/index.css">'
        f"<style>\n{style}\n</style>"
        '<script src="/js/jquery-1.12.4.min.js"></script>'
        f"<script>var _hmt = _hmt || [];(function(){{var hm=document.createElement('script');"
        f"hm.src='https://hm.baidu.com/hm.js?{stat:08x}{stat:08x}{stat:08x}{stat:08x}';"
        "var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm,s);})();</script>"
    )


def _anchors(links: list[tuple[str, str]], separator: str = "") -> str:
    return separator.join(f'<a href="{html.escape(url)}">{name}</a>' for name, url in links)


def toolbar() -> str:
    """The strip above the header: accessibility, 长者模式, mobile site, 政务服务 logins."""
    return (
        f'<a name="top"></a><div class="topbar"><div class="toolbar">{_anchors(_TOOLBAR)}</div>'
        '<form class="search" action="https://search.linjiang.gov.cn/" method="get">'
        '<input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>'
        '<span class="font"><a class="font-bigger" href="javascript:void(0);">大</a>'
        '<a class="font-smaller" href="javascript:void(0);">小</a></span></div>'
    )


def before_footer() -> str:
    """友情链接 (a list and the select box CMS templates keep beside it) and the page script."""
    items = "".join(f'<li><a href="{u}" target="_blank">{n}</a></li>' for n, u in FRIEND_SITES)
    options = "".join(f'<option value="{u}">{n}</option>' for n, u in FRIEND_SITES)
    departments = "".join(f'<option value="https://www.{d}.gov.cn/">{n}</option>' for n, d in DEPARTMENTS)
    return (
        f'<div class="links"><h3>友情链接</h3><ul>{items}</ul>'
        f'<select><option value="">—— 地方政府网站 ——</option>{options}</select>'
        f'<select><option value="">—— 国务院部门网站 ——</option>{departments}</select></div>'
        f"<script>{_SCRIPT}</script>"
    )


def footer_links() -> str:
    return (
        f'<p class="footer-links">{_anchors(_FOOTER_LINKS, " | ")}</p>'
        '<p class="footer-tip">建议使用1366×768分辨率，IE10以上版本浏览器浏览本网站</p>'
        '<a class="go-top" href="#top">顶部</a>'
    )


def widget(site_code: str) -> str:
    """The 政府网站找错 widget every government site carries."""
    return (
        f'<script id="_jiucuo_" sitecode="{html.escape(site_code)}" '
        'src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
    )
