"""Hand-made portals of two more families (see catalogue_portals.py): a 专栏 platform on its own host and a
township's one-page 专栏, and `under` (a site moved below a folder of its host)."""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import replace

from tests.crawl.catalogue_portals import Col, Doc, Portal, add_documents, dates
from werkzeug import Request, Response

# ------------------------------------------------------------- a 专栏 on its own host (开普云-style)

_KPY_STATUTORY = (  # 条例第二十条's fifteen items under this site's names: (folder, name, documents)
    ("jgzn", "机构职能", 2),
    ("fgwj", "法规文件", 45),
    ("ghxx", "规划信息", 2),
    ("tjxx", "统计信息", 2),
    ("xzxk", "行政许可", 2),
    ("xzcf", "行政处罚", 2),
    ("xzqz", "行政强制", 2),
    ("czyjs", "财政预决算", 2),
    ("sfxm", "收费项目", 0),
    ("zfjzcg", "政府集中采购", 2),
    ("zdjsxm", "重大建设项目", 2),
    ("shbz", "社会保障", 2),
    ("tfsj", "突发事件应对", 2),
    ("jdjc", "监督检查", 2),
    ("rsxx", "人事信息", 2),
)
_KPY_AREAS = (
    ("ywjy", "义务教育"),
    ("ylws", "医疗卫生"),
    ("shjz", "社会救助"),
    ("ylfw", "养老服务"),
    ("jycy", "就业创业"),
    ("zdxm", "重大项目批准和实施"),
    ("ggzyjy", "公共资源交易"),
    ("zfbz", "住房保障"),
    ("sthj", "生态环境"),
    ("aqsc", "安全生产"),
    ("spyp", "食品药品监管"),
    ("zdjc", "征地拆迁"),
)
KPY_PER_PAGE = 20


def kpy_subdomain(portal_url: str, xxgk_url: str) -> tuple[Portal, Portal]:
    """A county portal (www) whose 专栏 is a platform on its own host (xxgk), GBK declared only in <meta>
    (tests/fixtures/catalogue/README.md): the portal, and the 专栏's host with the truth."""
    home = Portal("kpy_subdomain", "青山县", [], set(), handler=lambda r: None, encoding="gbk")
    home.declare_charset = False
    xxgk = Portal("kpy_subdomain", "青山县", [], {"政府信息公开年报"}, handler=lambda r: None, encoding="gbk")
    xxgk.declare_charset = False
    cols = [
        Col("/zfxxgkzn/", "政府信息公开指南", "", "nav", 1, single=True),
        Col("/zfxxgkzd/", "政府信息公开制度", "", "nav", 3),
        Col("/fdzdgknr/", "法定主动公开内容", "", "nav", 0),
        Col("/zdlyxxgk/", "重点领域信息公开", "", "nav", 0),
        Col("/ysqgk/", "依申请公开", "", "nav", 1, single=True),
    ]
    cols += [
        Col(f"/fdzdgknr/{f}/", name, "/fdzdgknr/", "more", n, blank=n == 0) for f, name, n in _KPY_STATUTORY
    ]
    cols += [Col(f"/zdlyxxgk/{f}/", name, "/zdlyxxgk/", "tab", 3) for f, name in _KPY_AREAS]
    xxgk.columns = cols
    add_documents(
        xxgk,
        lambda c, n, d: (
            f"{c.key}{d[:4]}{d[5:7]}/t{d.replace('-', '')}_{3000000 + zlib.crc32(c.key.encode()) % 90000 * 10 + n}.html"
        ),
    )
    news = Col("/xwzx/gzdt/", "工作动态", "", "more", 3)
    for n, date in enumerate(dates(news.key, 3), 1):
        path = f"/xwzx/gzdt/{date[:4]}{date[5:7]}/t{date.replace('-', '')}_88{n}.html"
        home.documents[path] = Doc(path, f"青山县召开政务公开工作推进会（{n}）", date, news)
    by_key = {c.key: c for c in cols}

    def rows(docs: list[Doc]) -> str:
        return "".join(
            f'<li><a href="{d.path}" target="_blank">{d.title}</a><span>{d.date}</span></li>' for d in docs
        )

    def frame(name: str, body: str) -> str:
        page = xxgk.template("xxgk_frame.html").replace("{{NAME}}", name).replace("<!--BODY-->", body)
        return page.replace("{{PORTAL}}", portal_url)

    def list_page(col: Col, page: int) -> str:
        docs = xxgk.docs(col)
        pages = max(1, math.ceil(len(docs) / KPY_PER_PAGE))
        shown = docs[(page - 1) * KPY_PER_PAGE : page * KPY_PER_PAGE]
        listed = rows(shown) if shown else '<li class="no-data">暂无信息</li>'
        pager = f'<div class="pagination"><span>共{len(docs)}条 第{page}/{pages}页</span>'
        if page > 1:
            pager += f'<a href="?pageIndex=1">首页</a><a href="?pageIndex={page - 1}">上一页</a>'
        if page < pages:
            pager += f'<a href="?pageIndex={page + 1}">下一页</a><a href="?pageIndex={pages}">尾页</a>'
        body = f'<div class="gk-list"><h2>{col.name}</h2><ul>{listed}</ul>{pager}</div></div>'
        return frame(col.name, body)

    def statutory() -> str:
        blocks = []
        for col in (c for c in cols if c.parent == "/fdzdgknr/"):
            shown = rows(xxgk.docs(col)[:5]) or '<li class="no-data">暂无信息</li>'
            blocks.append(
                f'<div class="gk-block"><div class="gk-block-hd"><span class="tit">{col.name}</span>'
                f'<a class="more" href="{col.key}">更多</a></div><ul>{shown}</ul></div>'
            )
        return frame("法定主动公开内容", f'<div class="gk-blocks">{"".join(blocks)}</div>')

    def key_areas() -> str:
        areas = [c for c in cols if c.parent == "/zdlyxxgk/"]
        titles = "".join(
            ('<li class="on">' if k == 0 else "<li>") + f"{c.name}</li>" for k, c in enumerate(areas)
        )
        panes = "".join(
            f'<div class="tab-pane"><ul>{rows(xxgk.docs(c))}</ul>'
            f'<a class="more" href="{c.key}">更多&gt;&gt;</a></div>'
            for c in areas
        )
        body = (
            f'<div class="zdly-tab"><ul class="tab-hd">{titles}</ul><div class="tab-bd">{panes}</div></div>'
        )
        return frame("重点领域信息公开", body)

    def landing() -> str:
        latest = sorted(xxgk.documents.values(), key=lambda d: d.date, reverse=True)[:8]
        units = "".join(
            f'<li><a href="/bm/{f}/">{name}</a></li>'
            for f, name in (("jyj", "县教育局"), ("wjj", "县卫生健康局"), ("qsz", "青山镇"))
        )
        body = (
            f'<div class="gk-new"><h3>最新公开</h3><ul>{rows(latest)}</ul></div>'
            f'<div class="gk-units"><h3>部门和乡镇信息公开</h3><ul>{units}</ul></div>'
        )
        return frame("政府信息公开", body)

    def platform(request: Request) -> Response | None:
        path = request.path
        if path == "/":
            return xxgk.html(landing())
        if path == "/fdzdgknr/":
            return xxgk.html(statutory())
        if path == "/zdlyxxgk/":
            return xxgk.html(key_areas())
        col = by_key.get(path)
        if col is not None and col.single:
            guide = xxgk.template("guide.html").replace("{{NAME}}", col.name)
            return xxgk.html(frame(col.name, guide))
        if col is not None:
            return xxgk.html(list_page(col, int(request.args.get("pageIndex", "1") or 1)))
        if path.startswith("/bm/"):
            return xxgk.html(frame("部门信息公开", f"<ul>{rows(xxgk.docs(cols[6])[:2])}</ul>"))
        if path == "/lxwm/":
            return xxgk.html(frame("联系我们", "<p>电话：0719-1234567</p>"))
        return None

    def portal(request: Request) -> Response | None:
        path = request.path
        if path == "/":
            page = home.template("portal_home.html").replace("{{XXGK}}", xxgk_url)
            return home.html(page.replace("<!--NEWS-->", rows(home.docs(news))))
        if path == "/xwzx/gzdt/":
            page = home.template("portal_home.html").replace("{{XXGK}}", xxgk_url)
            return home.html(
                page.replace("<!--NEWS-->", rows(home.docs(news))).replace("<title>", "<title>工作动态_")
            )
        if path in ("/lxwm/", "/wzdt/"):
            return home.html(
                home.template("portal_home.html").replace("{{XXGK}}", xxgk_url).replace("<!--NEWS-->", "")
            )
        return None

    home.handler, xxgk.handler = portal, platform
    xxgk.framework_missing = {"政策解读", "重大决策预公开", "建议提案办理", "重大会议"}
    return home, xxgk


# ------------------------------------------------------------ a township whose 专栏 is one page

_TOWNSHIP = (  # (part id, name, parent part, documents; 0 = 暂无信息); a parent part is a heading only
    ("gkzn", "政府信息公开指南", "", 1),
    ("fdzdgknr", "法定主动公开内容", "", 0),
    ("jgzn", "机构职能", "fdzdgknr", 2),
    ("zcwj", "政策文件", "fdzdgknr", 12),
    ("czzj", "财政资金", "fdzdgknr", 3),
    ("rsxx", "人事信息", "fdzdgknr", 2),
    ("jhzj", "计划总结", "fdzdgknr", 2),
    ("zdxm", "重大项目", "fdzdgknr", 2),
    ("jcml", "基层政务公开标准目录", "", 0),
    ("shjz", "社会救助", "jcml", 3),
    ("ylfw", "养老服务", "jcml", 2),
    ("hjgl", "户籍管理", "jcml", 2),
    ("snbt", "涉农补贴", "jcml", 0),
    ("ywjy", "义务教育", "jcml", 2),
    ("ggflfw", "公共法律服务", "jcml", 2),
    ("wfgz", "农村危房改造", "jcml", 2),
    ("gknb", "政府信息公开年报", "", 3),
)


def township() -> Portal:
    """A township site whose 专栏 is one page: a menu of #anchors over its parts (GBK in <meta>)."""
    portal = Portal("township", "红石镇", [], {"政府信息公开制度"}, handler=lambda r: None, encoding="gbk")
    portal.declare_charset = False
    zwgk = "/zwgk/"
    heads = {p for _f, _n, p, _c in _TOWNSHIP if p}
    portal.columns = [
        Col(f"{zwgk}#{f}", name, f"{zwgk}#{p}" if p else "", "anchor", n, blank=n == 0 and f not in heads)
        for f, name, p, n in _TOWNSHIP
    ]
    add_documents(
        portal,
        lambda c, n, d: f"{zwgk}{c.key.split('#')[1]}/{d[:4]}{d[5:7]}/t{d.replace('-', '')}_{4000 + n}.html",
    )
    news = Col("/xwdt/", "新闻动态", "", "more", 3)
    for n, date in enumerate(dates(news.key, 3), 1):
        path = f"/xwdt/{date[:4]}{date[5:7]}/t{date.replace('-', '')}_9{n}.html"
        portal.documents[path] = Doc(path, f"红石镇开展人居环境整治活动（{n}）", date, news)

    def rows(docs: list[Doc]) -> str:
        return "".join(
            f'<li><a href="{d.path}" target="_blank" title="{d.title}">{d.title}</a><span>({d.date})</span></li>'
            for d in docs
        )

    def menu() -> str:
        out = []
        for f, name, parent, _n in _TOWNSHIP:
            if parent:
                continue
            kids = "".join(f'<li><a href="#{k}">{kn}</a></li>' for k, kn, p, _c in _TOWNSHIP if p == f)
            out.append(f'<li><a href="#{f}">{name}</a>' + (f"<ul>{kids}</ul>" if kids else "") + "</li>")
        return "\n".join(out)

    def sections() -> str:
        out = []
        for col, (f, name, _p, _n) in zip(portal.columns, _TOWNSHIP, strict=True):
            if f in heads:
                out.append(f'<div class="gk_sec_h" id="{f}"><h2>{name}</h2></div>')
                continue
            listed = rows(portal.docs(col)) or "<li>暂无信息</li>"
            out.append(
                f'<div class="gk_sec" id="{f}"><h3>{name}</h3><ul>{listed}</ul>'
                '<p align="right"><a href="#top">返回顶部</a></p></div>'
            )
        return "\n".join(out)

    def handler(request: Request) -> Response | None:
        if request.path == "/":
            return portal.html(portal.template("home.html").replace("<!--NEWS-->", rows(portal.docs(news))))
        if request.path == zwgk:
            page = portal.template("zwgk.html").replace("<!--MENU-->", menu())
            return portal.html(page.replace("<!--SECTIONS-->", sections()))
        if request.path == news.key:
            return portal.html(portal.template("home.html").replace("<!--NEWS-->", rows(portal.docs(news))))
        return None

    portal.handler = handler
    # a township's 专栏 shows only what its 基层 catalogue asks: zwgk-2026's 条例第二十条 items are absent
    portal.framework_missing = {
        "统计信息",
        "行政许可和其他对外管理服务",
        "行政处罚和行政强制",
        "行政事业性收费",
        "政府集中采购",
        "突发公共事件应急",
        "监督检查",
        "政策解读",
        "重大决策预公开",
        "建议提案办理",
        "重大会议",
    }
    return portal


def under(portal: Portal, prefix: str) -> Portal:
    """The same site served below a folder of its host (a department's site on its government's host,
    `/yjzjj/gkmlpt/index`): every path and link of it moves under `prefix`."""
    inner = portal.serve
    moved = {
        c.key: replace(c, key=prefix + c.key, parent=prefix + c.parent if c.parent else "")
        for c in portal.columns
    }

    def handler(request: Request) -> Response | None:
        if not request.path.startswith(prefix + "/"):
            return Response("<html><body>页面不存在</body></html>", status=404, content_type="text/html")
        environ = dict(request.environ)
        environ["PATH_INFO"] = request.path[len(prefix) :]
        answer = inner(Request(environ))
        body = answer.get_data()
        for attr in (b'href="/', b'src="/', b"href='/"):
            body = body.replace(attr, attr + prefix[1:].encode() + b"/")
        body = re.sub(rb'(https?://[^/"]+)/gkmlpt/', rb"\1" + prefix.encode() + rb"/gkmlpt/", body)
        answer.set_data(body)
        return answer

    out = Portal(portal.family, portal.unit, list(moved.values()), portal.missing, handler=handler)
    out.encoding, out.declare_charset = portal.encoding, portal.declare_charset
    out.framework_missing = portal.framework_missing
    out.documents = {
        prefix + p: replace(d, path=prefix + p, column=moved.get(d.column.key, d.column))
        for p, d in portal.documents.items()
    }
    return out
