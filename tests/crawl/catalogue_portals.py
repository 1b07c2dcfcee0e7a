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
from dataclasses import dataclass, field
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


def dates(key: str, n: int) -> list[str]:
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
        for n, date in enumerate(dates(col.key, col.count), 1):
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
    for n, date in enumerate(dates(news.key, 3), 1):
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
