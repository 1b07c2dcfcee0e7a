"""Hand-made portals of other CMS families, served on loopback for the catalogue tests.

Each portal is built from the HTML templates in tests/fixtures/catalogue/<family>/ (see the README there)
and knows its ground truth: every column its catalogue shows (path, name, parent path, how the catalogue
shows it), which column is blank, and which standard column the site genuinely lacks. Documents and list
rows are generated from the column's path (stable numbers, two or more documents a column).
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl

from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"


@dataclass(frozen=True)
class Col:
    """One column of a portal's catalogue, as the evaluator reads it."""

    key: str  # the column's URL path (gkmlpt: "/gkmlpt/index#<node id>")
    name: str
    parent: str  # the parent column's key, "" for a first-level entry
    found_by: str
    count: int = 2  # documents it lists
    blank: bool = False  # shows nothing (暂无信息, 0 records)
    single: bool = False  # the column's page is its one document (a 指南 written on the page)


@dataclass(frozen=True)
class Doc:
    path: str
    title: str
    date: str  # YYYY-MM-DD
    column: Col


@dataclass
class Portal:
    """A hand-made portal: its columns (ground truth) and a handler that serves it."""

    family: str
    unit: str
    columns: list[Col]
    missing: set[str]  # standard columns (vocab/catalogue.yaml names) the site genuinely lacks
    handler: Callable[[Request], Response | None] = field(repr=False)
    documents: dict[str, Doc] = field(default_factory=dict, repr=False)
    encoding: str = "utf-8"
    declare_charset: bool = True  # in the Content-Type header; else only in the page's <meta>
    # what the default framework's column.missing must fail besides (its catalogue asks for more items)
    framework_missing: set[str] = field(default_factory=set)

    def template(self, name: str) -> str:
        return (FIXTURES / self.family / name).read_bytes().decode(self.encoding)

    def docs(self, col: Col) -> list[Doc]:
        return [d for d in self.documents.values() if d.column.key == col.key]

    def serve(self, request: Request) -> Response:
        answer = self.handler(request)
        if answer is not None:
            return answer
        doc = self.documents.get(request.path)
        if doc is not None:
            return self.html(self.article(doc))
        return Response(
            "<html><body>页面不存在</body></html>", status=404, content_type="text/html; charset=utf-8"
        )

    def html(self, text: str) -> Response:
        ctype = f"text/html; charset={self.encoding}" if self.declare_charset else "text/html"
        return Response(text.encode(self.encoding), content_type=ctype)

    def article(self, doc: Doc) -> str:
        page = self.template("article.html")
        seq = f"{zlib.crc32(doc.path.encode()) % 100000:05d}"
        for key, value in (
            ("TITLE", doc.title),
            ("DATE", doc.date),
            ("YEAR", doc.date[:4]),
            ("NAME", doc.column.name),
            ("SEQ", seq),
            ("DOCNO", f"{self.unit[:2]}府办〔{doc.date[:4]}〕{int(seq) % 90 + 1}号"),
        ):
            page = page.replace("{{" + key + "}}", value)
        return page


def _dates(key: str, n: int) -> list[str]:
    """n publication dates in 2024, newest first, stable for the column."""
    start = zlib.crc32(key.encode()) % 20
    out = []
    for k in range(n):
        day = 300 - start - 3 * k  # day of year, from late October backwards
        month, mday = _month_day(day)
        out.append(f"2024-{month:02d}-{mday:02d}")
    return out


def _month_day(day: int) -> tuple[int, int]:
    lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    month = 0
    while day > lengths[month]:
        day -= lengths[month]
        month += 1
    return month + 1, day


def add_documents(portal: Portal, path_of: Callable[[Col, int, str], str]) -> None:
    """Give every column that is not blank its documents: `path_of(column, n, date)` names each."""
    for col in portal.columns:
        if col.blank or col.single:
            continue
        for n, date in enumerate(_dates(col.key, col.count), 1):
            path = path_of(col, n, date)
            title = f"{portal.unit}{col.name}公开事项（{date[:4]}年第{col.count - n + 1}号）"
            if "年报" in col.name:  # the reports of the years before, newest first
                date = f"{2024 - n}-01-{10 + n:02d}"
                title = f"{portal.unit}人民政府{2023 - n + 1}年政府信息公开工作年度报告"
            portal.documents[path] = Doc(path, title, date, col)


# ------------------------------------------------------------------------------- 浙江 Hanweb jcms

_HANWEB_TREE = re.compile(r'<a href="(/col/col(\d+)/index\.html)">([^<]+)</a>')
_ZDLY_AREAS = (
    "乡村振兴",
    "教育信息",
    "医疗卫生",
    "生态环境",
    "安全生产",
    "食品药品",
    "公共资源交易",
    "住房保障",
    "就业创业",
    "养老服务",
    "征地拆迁",
    "公共文化体育",
)
HANWEB_PER_GROUP = 45  # jpage writes three pages of 15 records into the page, the rest come by POST


def hanweb_zj() -> Portal:
    """A 浙江 county portal on Hanweb jcms (tests/fixtures/catalogue/README.md)."""
    portal = Portal("hanweb_zj", "松阳县", [], {"政府信息公开制度"}, handler=lambda r: None)
    tree = portal.template("tree.html")
    statutory, policy = "/col/col1229100030/index.html", "/col/col1229100032/index.html"
    cols: list[Col] = []
    for path, colid, name in _HANWEB_TREE.findall(tree):
        if colid in ("1229100010", "1229100030", "1229100050", "1229100060", "1229100070"):
            parent = ""
        elif colid in ("1229100321", "1229100322"):
            parent = policy
        else:
            parent = statutory
        count = {"1229100321": 60, "1229100060": 3, "1229100010": 1, "1229100070": 1}.get(colid, 2)
        cols.append(Col(path, name, parent, "left_tree", count, blank=colid == "1229100035"))
    zdly = "/col/col1229100050/index.html"
    for n, name in enumerate(_ZDLY_AREAS, 1):
        cols.append(Col(f"/col/col12291005{n:02d}/index.html", name, zdly, "more", 3))
    portal.columns = cols
    add_documents(
        portal,
        lambda c, n, d: (
            f"/art/{d[:4]}/{int(d[5:7])}/{int(d[8:])}/art_{c.key[8:18]}_{59000000 + zlib.crc32(c.key.encode()) % 90000 + n}.html"
        ),
    )
    by_path = {c.key: c for c in cols}
    news = Col("/col/col1229000002/index.html", "今日松阳", "", "nav", 3)
    for n, date in enumerate(_dates(news.key, 3), 1):
        path = f"/art/{date[:4]}/{int(date[5:7])}/{int(date[8:])}/art_1229000002_5890000{n}.html"
        portal.documents[path] = Doc(path, f"松阳县召开重点工作推进会（{n}）", date, news)

    def page(name: str, body: str) -> str:
        return (
            portal.template("zhuanlan.html")
            .replace("{{NAME}}", name)
            .replace("<!--TREE-->", tree)
            .replace("<!--BODY-->", body)
        )

    def record(doc: Doc) -> str:
        return (
            f'<record><![CDATA[<li><a href="{doc.path}" title="{doc.title}" target="_blank">{doc.title}</a>'
            f"<span>{doc.date}</span></li>]]></record>"
        )

    def list_body(col: Col) -> str:
        colid = col.key[8:18]
        rows = "\n".join(record(d) for d in portal.docs(col)[:HANWEB_PER_GROUP])
        return (
            portal.template("list_body.html")
            .replace("{{NAME}}", col.name)
            .replace("{{COLID}}", colid)
            .replace("{{UNITID}}", str(7000000 + int(colid) % 100000))
            .replace("<!--RECORDS-->", rows)
        )

    def zdly_body() -> str:
        blocks = []
        for col in (c for c in cols if c.parent == zdly):
            rows = "".join(
                f'<li><a href="{d.path}" title="{d.title}" target="_blank">{d.title}</a><span>{d.date[5:]}</span></li>'
                for d in portal.docs(col)[:3]
            )
            blocks.append(
                f'<div class="zdly-item"><div class="zdly-hd"><h4>{col.name}</h4>'
                f'<a href="{col.key}" target="_blank">更多&gt;&gt;</a></div><ul>{rows}</ul></div>'
            )
        return portal.template("zdly_body.html").replace("<!--BLOCKS-->", "\n".join(blocks))

    def proxy(request: Request) -> Response:
        if request.method != "POST":  # jpage asks by POST; a GET is refused, as the real servlet does
            return Response("Method Not Allowed", status=405)
        q = dict(parse_qsl(request.query_string.decode())) | dict(request.form)
        col = next((c for c in cols if c.key[8:18] == q.get("columnid")), None)
        if col is None:
            return Response("<datastore></datastore>", content_type="text/xml; charset=utf-8")
        docs = portal.docs(col)
        start, end = int(q.get("startrecord", 1)), int(q.get("endrecord", 45))
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(docs)}</totalrecord><totalpage>{math.ceil(len(docs) / 15)}</totalpage><recordset>"
            + "".join(record(d) for d in docs[start - 1 : end])
            + "</recordset></datastore>"
        )
        return Response(xml.encode(), content_type="text/xml; charset=utf-8")

    def handler(request: Request) -> Response | None:
        path = request.path
        if path == "/":
            return portal.html(portal.template("root.html"))
        if path == "/col/col1229000001/index.html":
            rows = "".join(
                f'<tr><td><a href="{d.path}" target="_blank" title="{d.title}">{d.title}</a></td><td>{d.date}</td></tr>'
                for d in portal.docs(news)
            )
            return portal.html(portal.template("home.html").replace("<!--NEWS-->", rows))
        if path == "/module/web/jpage/dataproxy.jsp":
            return proxy(request)
        if path == "/col/col1229100000/index.html":
            return portal.html(page("政务公开", '<div class="lm-title">政府信息公开</div>'))
        if path == zdly:
            return portal.html(page("重点领域信息公开", zdly_body()))
        if path == statutory:
            return portal.html(page("法定主动公开内容", '<div class="lm-title">法定主动公开内容</div>'))
        if path == news.key:
            return portal.html(page(news.name, list_body(news)))
        if path in by_path:
            return portal.html(page(by_path[path].name, list_body(by_path[path])))
        if path in ("/col/col1229000097/index.html", "/col/col1229000098/index.html"):
            return portal.html(page("联系我们", "<p>地址：松阳县西屏街道 电话：0578-8061234</p>"))
        return None

    portal.handler = handler
    portal.framework_missing = {"重大决策预公开", "重大会议"}  # (zwgk-2026) not on this site either
    return portal


def hanweb_needs_post(portal: Portal) -> list[Col]:
    return [c for c in portal.columns if c.count > HANWEB_PER_GROUP]


# ----------------------------------------------------------------------------- 广东 gkmlpt

GK_SID = "755013"
_GK_NODES = [  # (node id, name, parent id, documents; 0 = blank)
    (2530, "机构职能", 0, 2),
    (2531, "政策文件", 0, 2),
    (2532, "规范性文件", 2531, 20),
    (2533, "其他文件", 2531, 2),
    (2534, "政策解读", 0, 2),
    (2535, "规划计划", 0, 2),
    (2536, "统计数据", 0, 2),
    (2537, "财政资金", 0, 2),
    (2538, "财政预决算", 2537, 2),
    (2539, "政府采购", 2537, 2),
    (2540, "行政执法", 0, 2),
    (2541, "行政许可", 2540, 2),
    (2542, "行政处罚", 2540, 2),
    (2543, "行政强制", 2540, 2),
    (2544, "行政事业性收费", 0, 2),
    (2545, "重大项目", 0, 2),
    (2546, "人事信息", 0, 2),
    (2547, "应急管理", 0, 0),
    (2548, "监督检查", 0, 2),
    (2549, "建议提案办理", 0, 2),
    (2550, "社会救助", 0, 2),
    (2560, "重点领域信息公开", 0, 0),
    *((2561 + k, name, 2560, 2) for k, name in enumerate(_ZDLY_AREAS)),
]
GK_PER_PAGE = 15


def gkmlpt_gd(js_config: bool = False) -> Portal:
    """A 广东 district portal whose 专栏 is gkmlpt (tests/fixtures/catalogue/README.md); `js_config`: its
    `window._CONFIG` written as real pages write it, a JavaScript object (SID: '…', TREE: [...],)."""
    portal = Portal("gkmlpt_gd", "新会区", [], set(), handler=lambda r: None)
    index = "/gkmlpt/index"
    # the menu's 法定主动公开内容 tab is the tree's own page: the tree's first level is under it
    cols: list[Col] = [Col(index, "法定主动公开内容", "", "nav", 0)]
    for node, name, parent, count in _GK_NODES:
        key = f"{index}#{node}"
        cols.append(
            Col(
                key,
                name,
                f"{index}#{parent}" if parent else index,
                "gkmlpt",
                count,
                blank=count == 0 and node != 2560,
            )
        )
    for path, name in (
        ("/gkmlpt/guide", "政府信息公开指南"),
        ("/gkmlpt/policy", "政府信息公开制度"),
        ("/gkmlpt/annualreport", "政府信息公开年报"),
    ):
        cols.append(Col(path, name, "", "nav", 3 if "annual" in path else 1))
    portal.columns = cols
    add_documents(
        portal,
        lambda c, n, d: (
            f"/gkmlpt/content/2/{2500 + zlib.crc32(c.key.encode()) % 90}/post_{2500000 + zlib.crc32(c.key.encode()) % 90000 * 10 + n}.html"
        ),
    )

    def tree(parent: int) -> list[dict[str, object]]:
        return [
            {"id": node, "name": name, "parent": parent, "jump_url": "", "children": tree(node)}
            for node, name, p, _count in _GK_NODES
            if p == parent
        ]

    def api(node: int, query: dict[str, str]) -> Response:
        col = next((c for c in cols if c.key == f"{index}#{node}"), None)
        if col is None or query.get("sid") != GK_SID:
            return Response('{"error":"not found"}', status=404, content_type="application/json")
        page = max(1, int(query.get("page", "1")))
        docs = portal.docs(col)
        rows = docs[(page - 1) * GK_PER_PAGE : page * GK_PER_PAGE]
        doc = {
            "articles": [
                {
                    "id": int(d.path.rsplit("_", 1)[1][:-5]),
                    "title": d.title,
                    "url": f"http://{{host}}{d.path}",
                    "identifier": f"007025131/{d.date[:4]}-{zlib.crc32(d.path.encode()) % 100000:05d}",
                    "document_number": "",
                    "first_publish_time": _stamp(d.date),
                    "display_publish_time": _stamp(d.date),
                    "publisher": "江门市新会区人民政府办公室",
                }
                for d in rows
            ],
            "classify": {"id": node, "name": col.name},
            "total": len(docs),
            "page": page,
        }
        text = json.dumps(doc, ensure_ascii=False)
        return Response(text.encode(), content_type="application/json; charset=utf-8")

    def handler(request: Request) -> Response | None:
        path = request.path
        host = request.host
        if path == "/":
            return portal.html(portal.template("home.html"))
        if path == "/zwgk/":
            return portal.html(portal.template("zwgk.html"))
        if path == index:
            page = portal.template("index_js.html" if js_config else "index.html")
            config = page.replace("{{TREE}}", json.dumps(tree(0), ensure_ascii=False))
            return portal.html(config.replace("{{SID}}", GK_SID))
        m = re.fullmatch(r"/gkmlpt/api/all/(\d+)", path)
        if m:
            answer = api(int(m.group(1)), dict(parse_qsl(request.query_string.decode())))
            answer.set_data(answer.get_data().replace(b"{host}", host.encode()))
            return answer
        single = {c.key: c for c in cols if c.found_by == "nav"}
        if path in single:
            col = single[path]
            rows = "".join(
                f'<li><a href="{d.path}" target="_blank">{d.title}</a><span>{d.date}</span></li>'
                for d in portal.docs(col)
            )
            return portal.html(
                portal.template("page.html").replace("{{NAME}}", col.name).replace("<!--ROWS-->", rows)
            )
        if path in ("/zwgk/lxwm/", "/zwgk/wzdt/"):
            return portal.html(
                portal.template("page.html").replace("{{NAME}}", "联系我们").replace("<!--ROWS-->", "")
            )
        return None

    portal.handler = handler
    portal.framework_missing = {"重大决策预公开", "重大会议"}
    return portal


def _stamp(date: str) -> int:
    import datetime as dt

    return int(dt.datetime.fromisoformat(f"{date}T09:30:00+08:00").timestamp())


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
    for n, date in enumerate(_dates(news.key, 3), 1):
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
    for n, date in enumerate(_dates(news.key, 3), 1):
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
