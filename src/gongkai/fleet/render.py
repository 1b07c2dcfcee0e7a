"""HTML, XML and JSON of a fleet site, rendered on request from its `SiteData`.

Three CMS styles: TRS (index_N.html + createPageHTML), 大汉 Hanweb (/col/colN/ + dataproxy.jsp XML),
广东 gkmlpt (window._CONFIG.TREE + JSON api); news columns of gkmlpt sites page with ?page=N.
`render(site, path, query)` returns (status, content type, body bytes).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import zlib

from gongkai.fleet import chrome, files, layouts, liuyan, regions
from gongkai.fleet import content as C
from gongkai.fleet.generate import FleetSite
from gongkai.fleet.model import HANWEB_DOWNLOAD, PAGE_SIZE, FColumn, FItem, hanweb_download, zhuanlan_path

Response = tuple[int, str, bytes]
e = html.escape


def _encode(site: FleetSite, text: str) -> Response:
    data = site.data
    ctype = "text/html"
    if data.encoding == "gbk":
        body = text.encode("gbk", errors="xmlcharrefreplace")
        if data.charset_in_header:
            ctype += "; charset=GBK"
    else:
        body = text.encode("utf-8")
        ctype += "; charset=utf-8"
    return 200, ctype, body


def _head(site: FleetSite, title: str, extra: dict[str, str] | None = None) -> str:
    data = site.data
    charset = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        if data.encoding == "gbk"
        else '<meta charset="utf-8">'
    )
    metas = {"SiteName": f"{site.full_name}门户网站", "SiteDomain": site.host or "localhost"}
    if data.site_meta:
        metas["SiteIDCode"] = data.identity.get("网站标识码") or "3300000000"
    metas.update(extra or {})
    tags = "".join(f'<meta name="{k}" content="{e(v)}">' for k, v in metas.items())
    furniture = chrome.head(site.name) if site.chrome else ""
    return f"<!DOCTYPE html><html><head>{charset}<title>{e(title)}</title>{tags}{furniture}</head><body>"


def _nav(site: FleetSite) -> str:
    news, notice = site.column("news"), site.column("notice")
    links = [("/", "首页")]
    links += [(c.path, c.name) for c in (news, notice) if c]
    links.append((zhuanlan_path(site.cms), "政府信息公开"))
    lis = "".join(f'<li><a href="{p}">{n}</a></li>' for p, n in links)
    bar = chrome.toolbar() if site.chrome else ""
    header = f'<div class="header"><h1>{e(site.full_name)}</h1>{layouts.service_links(site)}</div>'
    return f'{bar}{header}<div class="nav"><ul>{lis}</ul></div>'


def _footer(site: FleetSite) -> str:
    ident = site.data.identity
    parts = regions.footer_parts(site) or [f"主办单位：{e(ident['主办单位'])}", f"联系电话：{ident['phone']}"]
    if "网站标识码" in ident and not regions.of(site):
        parts.append(f"网站标识码：{ident['网站标识码']}")
    if not regions.of(site):
        parts.append(f'<a href="https://beian.miit.gov.cn/">{ident["ICP备案"]}</a>')
        parts.append(ident["公安备案"])
    mark = '<a href="/images/dzjg.png"><img src="/images/dzjg.png" alt="党政机关" title="党政机关"></a>'
    if not site.chrome:
        return f'<div class="footer"><p>{" ".join(parts)}</p>{mark}</div></body></html>'
    widget = chrome.widget(ident["网站标识码"]) if "网站标识码" in ident else ""
    return (
        f'{_latest(site)}{chrome.before_footer()}<div class="footer">{chrome.footer_links()}<p>{" ".join(parts)}</p>{mark}'
        f"{widget}</div></body></html>"
    )


def _recent(site: FleetSite, key: str, count: int, css: str, heading: str) -> str:
    """A block of a column's latest items, dated like its list, as CMS templates put beside pages."""
    column = site.column(key)
    rows = "".join(_li(i) for i in column.items[:count]) if column else ""
    return f'<div class="{css}"><h3>{heading}</h3><ul>{rows}</ul></div>'


def _latest(site: FleetSite) -> str:
    """最新发布: the latest news beside every page of a furnished site (the crawler must not take it for
    the list of the column it stands beside)."""
    return _recent(site, "news", 8, "zxfb", "最新发布")


def _prev_next(site: FleetSite, col: FColumn, item: FItem) -> str:
    """上一篇 / 下一篇 under a document of a furnished site: its neighbours in the column, not related to it."""
    if not site.chrome or item not in col.items:
        return ""
    at = col.items.index(item)
    pairs = [
        ("上一篇", col.items[at - 1] if at > 0 else None),
        ("下一篇", col.items[at + 1] if at + 1 < len(col.items) else None),
    ]
    rows = "".join(
        f'<p>{label}：<a href="{i.path}">{e(i.title)}</a></p>' if i else f"<p>{label}：没有了</p>"
        for label, i in pairs
    )
    return f'<div class="prev-next">{rows}</div>'


def _hot_interpretations(site: FleetSite) -> str:
    """热点解读 under every document of a furnished site: the latest interpretations, which are not the
    interpretations of the document above them."""
    column = site.column("interpretation")
    if not site.chrome or column is None or not column.items:
        return ""
    return _recent(site, "interpretation", 3, "rdjd", "热点解读")


def _carousel(site: FleetSite) -> str:
    """焦点图: the latest news as an image carousel on a furnished homepage (undated rows of links, with
    the slide numbers as a second list)."""
    news = site.column("news")
    if not site.chrome or news is None or not news.items:
        return ""
    slides = news.items[:5]
    pics = "".join(
        f'<li><a href="{i.path}" target="_blank"><img src="/images/focus{n}.png" alt="{e(i.title)}"></a>'
        f'<p class="txt"><a href="{i.path}" target="_blank">{e(i.title)}</a></p></li>'
        for n, i in enumerate(slides, 1)
    )
    dots = "".join('<li class="on">1</li>' if n == 1 else f"<li>{n}</li>" for n in range(1, len(slides) + 1))
    return f'<div class="focus" id="slideBox"><ul class="pics">{pics}</ul><ul class="num">{dots}</ul></div>'


# the links a CMS template puts into the 相关链接 box of every document of a column, beside the
# document's own: (label, key of the column they lead to)
_TEMPLATE_RELATED = {
    "policy": (("政策解读", "interpretation"), ("更多政策文件", "policy")),
    "normative": (("政策解读", "interpretation"), ("更多规范性文件", "normative")),
    "interpretation": (("政策文件库", "policy"),),
    "consultation": (("意见征集结果反馈", "consultation"),),
}


def _related(site: FleetSite, col: FColumn, item: FItem) -> str:
    """相关链接 under a document: its own related documents and, on a furnished site, the column pages
    its template adds to every document of the column (a column page is no document's related one)."""
    rows = list(item.related)
    if site.chrome:
        for label, key in _TEMPLATE_RELATED.get(col.key, ()):
            target = site.column(key)
            if target is not None:
                rows.append((label, target.path))
    if not rows:
        return ""
    lis = "".join(f'<li><a href="{p}">{e(t)}</a></li>' for t, p in rows)
    return f'<div class="related"><h4>相关链接</h4><ul>{lis}</ul></div>'


def _li(item: FItem, *, date_fmt: str = "%Y-%m-%d") -> str:
    date = f'<span class="date">{item.published.strftime(date_fmt)}</span>' if item.list_date else ""
    top = '<span class="zd">[置顶]</span>' if item.pinned else ""
    cls = ' class="top"' if item.pinned else ""
    return f'<li{cls}>{top}<a href="{item.path}" title="{e(item.title)}" target="_blank">{e(item.title)}</a>{date}</li>'


def _zl_nav(site: FleetSite) -> str:
    """Left navigation of the 专栏: first-level columns with 法定主动公开内容's children nested."""
    if site.variety is not None:
        return layouts.catalogue(site)
    cols = site.data.columns
    out = []
    for c in cols:
        if not c.in_zhuanlan or c.parent:
            continue
        kids = [k for k in cols if k.parent == c.key]
        sub = "".join(f'<li><a href="{k.path}">{k.name}</a></li>' for k in kids)
        out.append(f'<li><a href="{c.path}">{c.name}</a>' + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
    return f'<div class="xxgk-nav"><h3>政府信息公开</h3><ul>{"".join(out)}</ul></div>'


def home(site: FleetSite) -> Response:
    blocks = []
    for key in ("news", "notice"):
        col = site.column(key)
        if col is None:
            continue
        items = [i for i in col.items][:8]
        blocks.append(
            f'<div class="block {key}"><h2><a href="{col.path}">{col.name}</a></h2>'
            f'<ul>{"".join(_li(i) for i in items)}</ul><a class="more" href="{col.path}">更多</a></div>'
        )
    month = site.as_of.strftime("%Y-%m")
    extra = (
        f'<div class="tools"><a href="/calendar/index.html?month={month}">活动日历</a>'
        '<a href="/search/index.html?q=政务公开">站内搜索</a>'
        f'<a href="{zhuanlan_path(site.cms)}">政府信息公开专栏</a>{liuyan.entry(site)}</div>'
    )
    text = (
        _head(site, f"{site.full_name}门户网站")
        + _nav(site)
        + _carousel(site)
        + "".join(blocks)
        + extra
        + _footer(site)
    )
    return _encode(site, text)


def zhuanlan(site: FleetSite) -> Response:
    if site.cms == "gkmlpt":
        return gkmlpt_index(site)
    text = (
        _head(site, f"政府信息公开_{site.full_name}", {"ColumnName": "政府信息公开"})
        + _nav(site)
        + _zl_nav(site)
        + f'<div class="main">{layouts.zhuanlan_main(site, _li)}</div>'
        + _footer(site)
    )
    return _encode(site, text)


def _list_body(site: FleetSite, col: FColumn, items: list[FItem]) -> str:
    if col.placeholder or not col.items:
        return '<ul class="list"><li class="empty">暂无信息</li></ul>'
    rows = layouts.list_markup(site, items)
    if rows is not None:
        return rows
    return f'<ul class="list">{"".join(_li(i) for i in items)}</ul>'


def _page_shell(
    site: FleetSite, col: FColumn, inner: str, metas: dict[str, str] | None = None, title: str = ""
) -> str:
    crumbs = (
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="{col.path}">{col.name}</a></div>'
    )
    left = _zl_nav(site) if col.in_zhuanlan else ""
    side = layouts.side_block(site, _li) if col.in_zhuanlan else ""
    return (
        _head(site, f"{title or col.name}_{site.full_name}", metas or {"ColumnName": col.name})
        + _nav(site)
        + crumbs
        + left
        + f'<div class="main"><h2>{col.name}</h2>{inner}</div>'
        + side
        + _footer(site)
    )


def parent_column(site: FleetSite, col: FColumn) -> Response:
    inner = layouts.parent_page(site, col, _li)
    if inner is None:
        kids = [k for k in site.data.columns if k.parent == col.key]
        inner = (
            '<ul class="sub">' + "".join(f'<li><a href="{k.path}">{k.name}</a></li>' for k in kids) + "</ul>"
        )
    return _encode(site, _page_shell(site, col, inner))


def trs_list(site: FleetSite, col: FColumn, page: int) -> Response | None:
    pages = max(1, math.ceil(len(col.items) / PAGE_SIZE))
    if page >= pages:
        return None
    items = col.items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    pager = (
        '<div class="page"><script type="text/javascript">'
        f'var countPage = {pages};createPageHTML({pages}, {page}, "index", "html");</script></div>'
    )
    return _encode(site, _page_shell(site, col, _list_body(site, col, items) + pager))


def generic_list(site: FleetSite, col: FColumn, page: int) -> Response | None:
    pages = max(1, math.ceil(len(col.items) / PAGE_SIZE))
    if page < 1 or page > pages:
        return None
    items = col.items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    base = col.path
    links = [f"<span>共{pages}页 第{page}页</span>", f'<a href="{base}?page=1">首页</a>']
    if page > 1:
        links.append(f'<a href="{base}?page={page - 1}">上一页</a>')
    if page < pages:
        links.append(f'<a href="{base}?page={page + 1}">下一页</a>')
    links.append(f'<a href="{base}?page={pages}">尾页</a>')
    pager = f'<div class="pager">{" ".join(links)}</div>'
    return _encode(site, _page_shell(site, col, _list_body(site, col, items) + pager))


def _record(item: FItem) -> str:
    return f"<record><![CDATA[{_li(item)}]]></record>"


def hanweb_column(site: FleetSite, col: FColumn) -> Response:
    unitid = 50000 + col.colid
    first = col.items[:PAGE_SIZE]
    proxy = (
        f"/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={col.colid}"
        f"&unitid={unitid}&webname={e(site.full_name)}&permissiontype=0"
    )
    records = "".join(_record(i) for i in first)
    empty = '<li class="empty">暂无信息</li>' if col.placeholder or not col.items else ""
    inner = (
        f'<div id="{unitid}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{proxy}"></a>]]>'
        f"</nextgroup><recordset>{records}</recordset></datastore></script>{empty}</div>"
        f'<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>'
        f"<script>$(document).ready(function(){{$('#{unitid}').jpage({{dataStore:dataStore,"
        f"perPage:{PAGE_SIZE},totalRecord:{len(col.items)},proxyUrl:'/module/web/jpage/dataproxy.jsp',"
        f"groupSize:3,barPosition:'bottom',ajaxParam:{{'columnid':{col.colid},'unitid':{unitid},"
        f"'webid':1,'permissiontype':0}}}});}});</script>"
    )
    return _encode(site, _page_shell(site, col, inner))


def hanweb_proxy(site: FleetSite, query: dict[str, str]) -> Response:
    try:
        colid = int(query.get("columnid", "0"))
        start = max(1, int(query.get("startrecord", "1")))
        end = int(query.get("endrecord", str(start + PAGE_SIZE * 3 - 1)))
    except ValueError:
        return 400, "text/plain; charset=utf-8", "参数错误".encode()
    col = next((c for c in site.data.columns if c.colid == colid and c.paging == "hanweb"), None)
    if col is None:
        return 404, "text/plain; charset=utf-8", b"not found"
    items = col.items[start - 1 : end]
    total = len(col.items)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore>'
        f"<totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage><recordset>"
        + "".join(_record(i) for i in items)
        + "</recordset></datastore>"
    )
    return 200, "text/xml; charset=utf-8", xml.encode("utf-8")


def _sid(site: FleetSite) -> str:
    return f"7{site.index:05d}"


def gkmlpt_index(site: FleetSite) -> Response:
    cols = site.data.columns

    def node(c: FColumn) -> dict[str, object]:
        return {
            "id": c.colid,
            "name": c.name,
            "children": [node(k) for k in cols if k.parent == c.key],
        }

    tree = [node(c) for c in cols if c.in_zhuanlan and not c.parent]
    config = {"SID": _sid(site), "TREE": tree, "DETAIL": None, "SITE_NAME": site.full_name}
    text = (
        _head(site, f"政府信息公开_{site.full_name}", {"ColumnName": "政府信息公开"})
        + _nav(site)
        + f"<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>"
        + '<div id="app"><noscript>请开启JavaScript以浏览政府信息公开目录</noscript></div>'
        + _footer(site)
    )
    return _encode(site, text)


def gkmlpt_api(site: FleetSite, catid: int, query: dict[str, str]) -> Response:
    col = next((c for c in site.data.columns if c.colid == catid and c.paging in ("gkmlpt", "none")), None)
    if col is None or query.get("sid") != _sid(site):
        return 404, "application/json", b'{"error": "not found"}'
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    items = col.items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if page > 1 and not items:
        return 404, "application/json", b'{"error": "not found"}'

    def art(i: FItem) -> dict[str, object]:
        ts = None
        if i.list_date:
            ts = int(dt.datetime.combine(i.published, dt.time(9, 30)).timestamp())
        return {
            "id": i.id,
            "title": i.title,
            "url": i.path,
            "display_publish_time": ts,
            "is_top": int(i.pinned),
        }

    doc = {"total": len(col.items), "page": page, "per_page": PAGE_SIZE, "articles": [art(i) for i in items]}
    if col.placeholder:
        doc["message"] = "暂无信息"
    return 200, "application/json; charset=utf-8", json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _meta_table(site: FleetSite, item: FItem) -> str:
    fields = [(k, v) for k, v in item.meta.items() if not k.startswith("_")]
    if not fields:
        return ""
    if site.cms == "hanweb":
        ps = "".join(f"<p><strong>{k}</strong>：{e(v)}</p>" for k, v in fields)
        return f'<div class="xxgk-info">{ps}</div>'
    label = (lambda k: " ".join(k) + "：") if site.cms == "gkmlpt" else (lambda k: k + "：")
    rows = []
    for n in range(0, len(fields), 2):
        pair = fields[n : n + 2]
        rows.append(
            "<tr>" + "".join(f'<td class="t">{label(k)}</td><td>{e(v)}</td>' for k, v in pair) + "</tr>"
        )
    return f'<table class="xxgk-table">{"".join(rows)}</table>'


def _privacy_table(item: FItem) -> str:
    rows = json.loads(item.meta["_rows"])
    mask = item.meta["_mask"]
    out = ["<tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>联系电话</th><th>救助金额（元）</th></tr>"]
    for n, (name, idn, mob, _card) in enumerate(rows, 1):
        idn = C.mask_id(idn) if "id" in mask else idn
        mob = C.mask_mobile(mob) if "mobile" in mask else mob
        out.append(f"<tr><td>{n}</td><td>{name}</td><td>{idn}</td><td>{mob}</td><td>{n * 300}</td></tr>")
    return f'<table class="gs">{"".join(out)}</table>'


def detail(site: FleetSite, col: FColumn, item: FItem) -> Response:
    pub = dt.datetime.combine(item.published, dt.time(9, 30))
    extra = {"ArticleTitle": item.title, "PubDate": f"{pub:%Y-%m-%d %H:%M}", "ColumnName": col.name}
    if "发布机构" in item.meta:
        extra["ContentSource"] = item.meta["发布机构"]
    body_cls = {"trs": 'class="TRS_Editor"', "hanweb": 'id="zoom"', "gkmlpt": 'class="article-content"'}
    paras = "".join(f"<p>{e(p)}</p>" for p in item.body)
    if item.kind == "privacy":
        paras += _privacy_table(item)
    paras += item.html
    paras += "".join(f'<p><a href="{p}">{e(t)}</a></p>' for t, p in item.links)
    attach = ""
    if item.attachments:
        lis = "".join(f'<p><a href="{p}">{e(n)}</a></p>' for n, p in item.attachments)
        attach = f'<div class="fj"><p>附件：</p>{lis}</div>'
    inner = (
        _meta_table(site, item)
        + f'<h1 class="title">{e(item.title)}</h1>'
        + f'<div class="info">发布时间：{pub:%Y-%m-%d %H:%M} 来源：{e(site.full_name)}</div>'
        + f"<div {body_cls.get(site.cms, '')}>{paras}</div>"
        + attach
        + _related(site, col, item)
        + _prev_next(site, col, item)
        + _hot_interpretations(site)
    )
    return _encode(site, _page_shell(site, col, inner, extra, item.title))


def calendar(site: FleetSite, query: dict[str, str]) -> Response:
    """A spider trap: every month links to the next and previous one, forever."""
    try:
        month = dt.date.fromisoformat(query.get("month", site.as_of.strftime("%Y-%m")) + "-01")
    except ValueError:
        month = site.as_of.replace(day=1)
    prev = (month - dt.timedelta(days=1)).strftime("%Y-%m")
    nxt = (month + dt.timedelta(days=32)).strftime("%Y-%m")
    inner = (
        f"<h2>{month:%Y年%m月}活动日历</h2>"
        f'<a href="/calendar/index.html?month={prev}">上个月</a> <a href="/calendar/index.html?month={nxt}">下个月</a>'
    )
    return _encode(site, _head(site, "活动日历") + inner + "</body></html>")


def file_response(site: FleetSite, kind: str, args: tuple) -> Response:
    if kind == "pdf":
        # one PDF per fleet: WeasyPrint costs about a second per document
        body = files.pdf_bytes("政策文件正文", ("本文件为政策文件正文附件。", "各单位要认真贯彻执行。"))
        return 200, "application/pdf", body
    if kind == "docx":
        # a few distinct files per fleet: python-docx costs tens of ms per document
        variant = zlib.crc32(args[0].encode()) % len(_DOC_TITLES)
        return 200, _DOCX, files.docx_bytes(_DOC_TITLES[variant], ("附件正文。", "各单位要认真贯彻执行。"))
    if kind == "xlsx":
        rows = (
            ("指标", "本月", "同比增长（%）"),
            ("地区生产总值（亿元）", "35.2", "5.1"),
            ("一般公共预算收入", "3.1", "2.4"),
        )
        return 200, _XLSX, files.xlsx_bytes("统计数据", rows)
    if kind == "privacy_xlsx":
        item = next((i for c in site.data.columns for i in c.items if i.id == args[0]), None)
        if item is None:
            return 404, "text/plain", b""
        mask = item.meta["_mask"]
        rows = [("姓名", "银行卡号", "救助金额（元）")]
        for n, (name, _i, _m, card) in enumerate(json.loads(item.meta["_rows"]), 1):
            rows.append((name, C.mask_card(card) if "card" in mask else card, str(n * 300)))
        return 200, _XLSX, files.xlsx_bytes(item.title, tuple(rows))
    return 404, "text/plain", b""


_DOC_TITLES = ("政策文件附件", "征求意见稿", "起草说明", "实施方案", "管理办法", "工作方案")
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TRS_PAGE = re.compile(r"^(?P<dir>/.+/)index(?:_(?P<n>\d+))?\.html?$")
_FOCUS_IMAGE = re.compile(r"^/images/focus\d\.png$")
_GK_API = re.compile(r"^/gkmlpt/api/all/(?P<cat>\d+)$")

NOT_FOUND_HTML = "<html><head><meta charset='utf-8'><title>404</title></head><body>页面不存在</body></html>"


def render(site: FleetSite, path: str, query: dict[str, str]) -> Response:
    """Serve one path of a site."""
    resp = _route(site, path, query)
    if resp is None:
        return 404, "text/html; charset=utf-8", NOT_FOUND_HTML.encode("utf-8")
    return resp


def _route(site: FleetSite, path: str, query: dict[str, str]) -> Response | None:
    data = site.data
    if path in ("/", "/index.html", "/index.htm"):
        return home(site)
    if path == "/robots.txt":
        return 200, "text/plain", b"User-agent: *\nDisallow: /search/\n"
    if path == "/images/dzjg.png" or _FOCUS_IMAGE.match(path):
        return 200, "image/png", files.PNG_1X1
    if path == "/calendar/index.html":
        return calendar(site, query)
    board = liuyan.respond(site, path, query, lambda title, inner: _board_page(site, title, inner))
    if board is not None:
        return board
    if path == layouts.DECOY_NEWS:
        service = layouts.decoy_news(site, _li)
    else:
        service = layouts.service_page(site, path)
    if service is not None:
        return _encode(
            site,
            _head(site, f"{layouts.SERVICE_PAGES.get(path, '图片新闻')}_{site.full_name}")
            + _nav(site)
            + service
            + _footer(site),
        )
    if path == zhuanlan_path(site.cms) or (site.cms == "trs" and path == "/zfxxgk/"):
        return zhuanlan(site)
    if path == "/module/web/jpage/dataproxy.jsp":
        return hanweb_proxy(site, query)
    m = _GK_API.match(path)
    if m and site.cms == "gkmlpt":
        return gkmlpt_api(site, int(m["cat"]), query)
    if path == HANWEB_DOWNLOAD:  # the file is named by the query
        path = hanweb_download(query.get("filename", ""))
    if path in data.files:
        kind, args = data.files[path]
        return file_response(site, kind, args)
    for col in data.columns:
        resp = _column_route(site, col, path, query)
        if resp is not None:
            return resp
    return _detail_route(site, path)


def _board_page(site: FleetSite, title: str, inner: str) -> Response:
    """A page of the 留言 board (fleet/liuyan.py) in the site's frame."""
    return _encode(
        site,
        _head(site, f"{title}_{site.full_name}")
        + _nav(site)
        + f'<div class="main">{inner}</div>'
        + _footer(site),
    )


def _column_route(site: FleetSite, col: FColumn, path: str, query: dict[str, str]) -> Response | None:
    if col.paging == "none":
        if path == col.path:
            return parent_column(site, col)
        return None
    if col.paging == "hanweb":
        return hanweb_column(site, col) if path == col.path else None
    if col.paging == "page":
        if path != col.path:
            return None
        try:
            page = int(query.get("page", "1"))
        except ValueError:
            return None
        return generic_list(site, col, page)
    if col.paging == "trs":
        m = _TRS_PAGE.match(path)
        if m and m["dir"] == f"/{col.slug}/":
            return trs_list(site, col, int(m["n"] or 0))
        if path == f"/{col.slug}/":
            return trs_list(site, col, 0)
    return None


def _detail_route(site: FleetSite, path: str) -> Response | None:
    index = getattr(site, "_path_index", None)
    if index is None or index[0] is not site.data:
        table = {it.path: (c, it) for c in site.data.columns for it in c.items}
        index = (site.data, table)
        object.__setattr__(site, "_path_index", index)
    hit = index[1].get(path)
    if hit is None:
        return None
    return detail(site, hit[0], hit[1])
