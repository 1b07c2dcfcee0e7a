"""Hand-made portals whose 信息公开目录 is a jQuery zTree (see catalogue_portals.py; templates in
tests/fixtures/catalogue/ztree_county/): `ztree_inline` writes the tree's nodes in the page
(`var zNodes = [{id:…, pId:…, name:'…'}, …]`), `ztree_ajax` loads them from a JSON tree URL; nodes without
a `url` open the list URL the page's click handler builds from the node (`"list.jsp?catId=" + treeNode.id`).
`ztree_ajax(literal=False)` builds its tree URL at run time: the tree cannot be read from the page.
"""

from __future__ import annotations

import json
import math
import zlib

from tests.crawl.catalogue_portals import Col, Portal, add_documents
from werkzeug import Request, Response

PER_PAGE = 20

# (node id, name, parent id, documents; 0 = blank, None = a parent that lists its children's documents)
_INLINE = (
    (1, "政府信息公开指南", 0, 1),
    (3, "法定主动公开内容", 0, None),
    (31, "机构职能", 3, 2),
    (32, "法规文件", 3, 25),
    (33, "规划信息", 3, 2),
    (34, "统计信息", 3, 2),
    (35, "行政许可", 3, 2),
    (36, "行政处罚", 3, 2),
    (37, "行政强制", 3, 2),
    (38, "财政预决算", 3, 2),
    (39, "行政事业性收费", 3, 0),
    (40, "政府集中采购", 3, 2),
    (41, "重大建设项目", 3, 2),
    (42, "人事信息", 3, 2),
    (43, "社会保障", 3, 2),
    (44, "突发事件应对", 3, 2),
    (45, "监督检查", 3, 2),
    (4, "重点领域信息公开", 0, None),
    (51, "义务教育", 4, 2),
    (52, "医疗卫生", 4, 2),
    (53, "社会救助", 4, 2),
    (54, "住房保障", 4, 2),
    (55, "生态环境", 4, 2),
    (56, "安全生产", 4, 2),
    (57, "食品药品监管", 4, 2),
    (58, "公共资源交易", 4, 2),
    (59, "养老服务", 4, 2),
    (60, "就业创业", 4, 2),
    (61, "征地拆迁", 4, 2),
    (62, "公共文化体育", 4, 2),
    (63, "乡村振兴", 4, 2),
    (64, "农村危房改造", 4, 2),
    (65, "户籍管理", 4, 2),
    (5, "政府信息公开年报", 0, 3),
)
_AJAX = (  # (id, code, name, parent id, documents)
    (1, "001", "政府信息公开指南", 0, 1),
    (2, "002", "政府信息公开制度", 0, 2),
    (3, "003", "法定主动公开内容", 0, None),
    (31, "003001", "机构概况", 3, 2),
    (32, "003002", "政策文件", 3, 2),
    (33, "003003", "规范性文件", 32, 24),
    (34, "003004", "其他文件", 32, 2),
    (35, "003005", "计划规划", 3, 2),
    (36, "003006", "统计数据", 3, 2),
    (37, "003007", "行政执法", 3, None),
    (38, "003008", "行政许可", 37, 2),
    (39, "003009", "行政处罚", 37, 2),
    (40, "003010", "行政强制", 37, 2),
    (41, "003011", "财政预决算", 3, 2),
    (42, "003012", "收费项目", 3, 2),
    (43, "003013", "政府采购", 3, 2),
    (44, "003014", "重大建设项目", 3, 2),
    (45, "003015", "人事信息", 3, 2),
    (46, "003016", "应急管理", 3, 0),
    (47, "003017", "监督检查", 3, 2),
    (48, "003018", "政策解读", 3, 2),
)


def _portal(unit: str, missing: set[str]) -> Portal:
    return Portal("ztree_county", unit, [], missing, handler=lambda r: None)


def _serve(
    portal: Portal,
    tree_js: str,
    template: tuple[str, str, str],
    list_of: dict[str, Col],
    children: dict[str, list[Col]],
    extra: dict[str, str],
    empty: str,
) -> None:
    """Serve the 专栏 (`/xxgk/index.jsp` or `/gkml/index.jsp`), its list pages and the homepage."""
    sitecode = f"42{zlib.crc32(portal.unit.encode()) % 10**8:08d}"

    def page(name: str, body: str) -> str:
        out = portal.template("xxgk.html").replace("<!--TREE-->", tree_js).replace("<!--BODY-->", body)
        for key, value in (
            ("NAME", name),
            ("UNIT", portal.unit),
            ("SITECODE", sitecode),
            ("TEMPLATE", template[0]),
            ("FIELD", template[1]),
            ("SUFFIX", f' + "{template[2]}"' if template[2] else ""),
        ):
            out = out.replace("{{" + key + "}}", value)
        return out

    def rows(col: Col) -> list[str]:
        docs = [d for c in children.get(col.key, [col]) for d in portal.docs(c)]
        return [
            f'<li><a href="{d.path}" target="_blank">{d.title}</a><span>{d.date}</span></li>' for d in docs
        ]

    def list_page(col: Col, number: int) -> str:
        shown = rows(col)
        pages = max(1, math.ceil(len(shown) / PER_PAGE))
        listed = "".join(shown[(number - 1) * PER_PAGE : number * PER_PAGE])
        if not shown:
            listed = empty
        pager = f'<div class="page">共{len(shown)}条 第{number}/{pages}页 '
        if number < pages:
            pager += f'<a href="{col.key}&amp;pageNo={number + 1}">下一页</a>'
        body = (
            f'<div class="list-hd"><h2>{col.name}</h2></div><ul class="xxgk-list">{listed}</ul>{pager}</div>'
        )
        return page(col.name, body)

    def guide(col: Col) -> str:
        body = (
            f'<div class="xxgk-article"><h1>{col.name}</h1><p>发布日期：2024-01-15</p>'
            f"<p>为保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。</p></div>"
        )
        return page(col.name, body)

    def handler(request: Request) -> Response | None:
        path = request.path
        full = path + (f"?{request.query_string.decode()}" if request.query_string else "")
        if path == "/":
            page_ = portal.template("home.html").replace("{{UNIT}}", portal.unit)
            return portal.html(
                page_.replace("{{SITECODE}}", sitecode).replace("/xxgk/index.jsp", extra["zl"])
            )
        if path in extra:
            text = extra[path]
            return Response(text.encode(), content_type="application/json; charset=utf-8")
        if path == extra["zl"]:
            latest = sorted(portal.documents.values(), key=lambda d: d.date, reverse=True)[:8]
            shown = "".join(f'<li><a href="{d.path}">{d.title}</a><span>{d.date}</span></li>' for d in latest)
            return portal.html(
                page("政府信息公开", f'<div class="latest"><h3>最新公开</h3><ul>{shown}</ul></div>')
            )
        number = int(request.args.get("pageNo", "1") or 1)
        key = full.split("&pageNo=")[0]
        col = list_of.get(key)
        if col is not None and col.single:
            return portal.html(guide(col))
        if col is not None:
            return portal.html(list_page(col, number))
        if path in ("/lxwm.html", "/wzdt.html"):
            return portal.html(page("联系我们", "<p>电话：0710-1234567</p>"))
        return None

    portal.handler = handler


def _documents(portal: Portal) -> None:
    add_documents(
        portal,
        lambda c, n, d: f"/xxgk/art/{d[:4]}/{d[5:7]}/art_{zlib.crc32(c.key.encode()) % 9000 + 1000}_{n}.html",
    )


def ztree_inline() -> Portal:
    """A county's platform whose catalogue is `var zNodes = [...]` in the page (a JavaScript literal):
    34 columns on one list URL (`/xxgk/list.jsp?catId=N`), more than the trap guard's 30 variants a path."""
    portal = _portal("白河县", {"政府信息公开制度"})
    template = ("/xxgk/list.jsp?catId=", "id", "")
    keys = {}
    for node, _name, _p, _count in _INLINE:
        keys[node] = "/xxgk/zn.html" if node == 1 else f"{template[0]}{node}"
    cols = [
        Col(
            keys[node],
            name,
            keys[p] if p else "",
            "script_tree",
            count or 0,
            blank=count == 0,
            single=node == 1,
        )
        for node, name, p, count in _INLINE
    ]
    portal.columns = cols
    _documents(portal)
    lines = []
    for node, name, p, count in _INLINE:
        extra = ", url:\"/xxgk/zn.html\", target:'_self'" if node == 1 else ""
        extra += ", open:true" if count is None else ""
        lines.append(f"    {{ id:{node}, pId:{p}, name:'{name}'{extra} }},")
    tree_js = "  var zNodes = [\n" + "\n".join(lines) + "\n  ];\n"
    tree_js += '  $(document).ready(function(){ $.fn.zTree.init($("#catalogTree"), setting, zNodes); });\n'
    list_of = {c.key: c for c in cols}
    children = _children(cols)
    empty = '<li class="nodata">暂无信息</li>'
    _serve(portal, tree_js, template, list_of, children, {"zl": "/xxgk/index.jsp"}, empty)
    portal.framework_missing = set()
    return portal


def ztree_ajax(literal: bool = True) -> Portal:
    """A department's platform whose tree comes from `$.ajax({url: "/gkml/getCatalogTree.do?siteId=1021"})`
    (JSON nodes with a `code`; the list URL is `"/gkml/list.do?catalogCode=" + treeNode.code + "&siteId=1021"`).
    `literal=False`: the script builds the tree URL from the page's path at run time."""
    portal = _portal("白河县交通运输局", {"政府信息公开年报"})
    template = ("/gkml/list.do?catalogCode=", "code", "&siteId=1021")
    keys = {}
    for node, code, _name, _p, _count in _AJAX:
        keys[node] = "/gkml/zn.html" if node == 1 else f"{template[0]}{code}{template[2]}"
    cols = [
        Col(keys[n], name, keys[p] if p else "", "script_tree", count or 0, blank=count == 0, single=n == 1)
        for n, _code, name, p, count in _AJAX
    ]
    portal.columns = cols
    _documents(portal)
    nodes = [
        {"id": n, "pId": p, "code": code, "name": name, "isParent": count is None}
        | ({"url": "/gkml/zn.html"} if n == 1 else {})
        for n, code, name, p, count in _AJAX
    ]
    answer = json.dumps({"code": 0, "msg": "success", "data": nodes}, ensure_ascii=False)
    url = '"/gkml/getCatalogTree.do?siteId=1021"' if literal else 'ctx + "/getCatalogTree.do?siteId=1021"'
    tree_js = (
        '  var ctx = "/" + window.location.pathname.split("/")[1];\n'
        "  var zNodes = [];\n"
        f'  $.ajax({{ url: {url}, type: "get", dataType: "json", async: false,\n'
        "    success: function (result) { zNodes = result.data; "
        '$.fn.zTree.init($("#catalogTree"), setting, zNodes); } });\n'
    )
    list_of = {c.key: c for c in cols}
    extra = {"zl": "/gkml/index.jsp", "/gkml/getCatalogTree.do": answer}
    _serve(portal, tree_js, template, list_of, _children(cols), extra, "")
    return portal


def _children(cols: list[Col]) -> dict[str, list[Col]]:
    """A parent node's list page lists the documents of every column below it."""
    out: dict[str, list[Col]] = {}
    for col in cols:
        p = col.parent
        while p:
            out.setdefault(p, []).append(col)
            p = next((c.parent for c in cols if c.key == p), "")
    return out
