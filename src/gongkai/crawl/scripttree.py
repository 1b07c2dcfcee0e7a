"""信息公开目录 trees drawn by script: jQuery zTree and its kin, as county and department platforms write them.

Two forms (real platforms, see tests/fixtures/catalogue/README.md):

- inline: `var zNodes = [{id:1, pId:0, name:"政府信息公开指南", url:"…", open:true}, …]`, a JavaScript
  object literal (unquoted keys, single quotes, trailing commas), flat with `pId` or nested `children`;
- loaded: `$.ajax({url: "/xxgk/getTree.do", …})`, `$.post("…")`, `$.getJSON("…")` or zTree's own
  `async: {enable: true, url: "…"}`, whose JSON answer holds the nodes (a list, or under data/list/rows).

A node names its page by `url` (or href/link), else the page turns its id into a list URL by a template
literal in its script (`"list.jsp?catId=" + treeNode.id`). `script_tree(base, text)` reads the page's
form (pure, no network); `tree_links` makes the nodes catalogue links with their parents. Callers gate on
`has_tree(text)` (one substring test) so pages without a tree pay nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.crawl.jsliteral import balanced, js_value
from gongkai.crawl.resource import absolute

FOUND = "script_tree"
_ZNODES = re.compile(r"\bzNodes\w*\s*=\s*(?=[\[{])")
# a literal URL (one followed by `+` is built at run time: not the tree's)
_AJAX_URL = re.compile(r"""(?:\burl\s*:\s*|\$\.(?:post|get|getJSON)\(\s*)(['"])([^'"\s]+)\1(?!\s*\+)""")
# "list.jsp?catId=" + treeNode.id (+ "&type=1"): the page's own list URL for a node
_TEMPLATE = re.compile(
    r"""(['"])([^'"\s]*[?=/])\1\s*\+\s*(treeNode|node|n|item|data)\.(\w+)(?:\s*\+\s*(['"])([^'"\s]*)\5)?"""
)
_NOT_TREE_URL = (".js", ".css", ".png", ".gif", ".jpg", ".html", ".htm", ".shtml")
_ID_KEYS, _PID_KEYS = ("id", "Id", "ID", "code"), ("pId", "pid", "parentId", "parentid", "pcode", "parent")
_NAME_KEYS, _URL_KEYS = ("name", "text", "title", "catName"), ("url", "href", "link", "linkUrl")


def has_tree(text: str) -> bool:
    """Whether a page's source names a zTree at all, the gate before any regex: one substring scan, as
    every zTree is drawn by `$.fn.zTree.init(...)` (its nodes written inline or loaded)."""
    return "zTree" in text


@dataclass
class ScriptTree:
    """A page's script tree: its inline nodes, or the URL its script loads them from; the template that
    turns a node's field into its list URL (prefix, field, suffix), when the script writes one."""

    base: str
    nodes: list[dict[str, object]] = field(default_factory=list)
    ajax: str = ""
    template: tuple[str, str, str] | None = None


def script_tree(base: str, text: str) -> ScriptTree | None:
    """The page's script tree, or None when its source names none (callers gate on `has_tree`)."""
    tree = ScriptTree(base)
    # the click handler's own node first: another string joined to a variable (a search box's query) may
    # come before it
    t = next((m for m in _TEMPLATE.finditer(text) if m.group(3) == "treeNode"), None) or _TEMPLATE.search(
        text
    )
    if t:
        tree.template = (t.group(2), t.group(4), t.group(6) or "")
    m = _ZNODES.search(text)
    if m:
        value = balanced(text, m.end())
        tree.nodes = tree_nodes(js_value(value)) if value else []
    if not tree.nodes:
        start = m.start() if m else 0
        for u in _AJAX_URL.finditer(text, start):
            url = u.group(2)
            if not url.split("?", 1)[0].endswith(_NOT_TREE_URL) and not url.startswith(("#", "javascript")):
                tree.ajax = absolute(base, url) or ""
                break
    return tree


def tree_nodes(doc: object) -> list[dict[str, object]]:
    """The nodes of a tree answer or literal, flat, each {id, pid, name, url}; nested children get their
    parent's id. [] when it holds no named nodes."""
    if isinstance(doc, dict):
        doc = next((v for k, v in doc.items() if k in ("data", "list", "rows", "nodes", "result")), [doc])
        if isinstance(doc, dict):
            doc = tree_nodes(doc)
    return list(_flat(doc if isinstance(doc, list) else [], None))


def _flat(nodes: Iterable[object], parent: object) -> Iterable[dict[str, object]]:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        name = next((node[k] for k in _NAME_KEYS if isinstance(node.get(k), str)), "")
        if not name:
            continue
        ident = next((node[k] for k in _ID_KEYS if k in node), None)
        pid = next((node[k] for k in _PID_KEYS if k in node), parent)
        url = next((node[k] for k in _URL_KEYS if isinstance(node.get(k), str) and node[k]), "")
        yield {"id": ident, "pid": pid, "name": name.strip(), "url": url, "raw": node}
        kids = node.get("children")
        if isinstance(kids, list):
            yield from _flat(kids, ident)


def node_url(base: str, node: dict[str, object], template: tuple[str, str, str] | None) -> str:
    """A node's page: its own url, else the page's template applied to it; '' when it names none."""
    url = str(node.get("url") or "")
    if url and not url.lower().startswith(("javascript", "#")):
        return absolute(base, url) or ""
    raw = node.get("raw")
    if template is not None and isinstance(raw, dict) and raw.get(template[1]) not in (None, ""):
        return absolute(base, f"{template[0]}{raw[template[1]]}{template[2]}") or ""
    return ""


def tree_links(
    base: str, nodes: list[dict[str, object]], template: tuple[str, str, str] | None
) -> list[tuple[str, str, str]]:
    """(url, name, parent url) of every node that names a page, parents first; a node's parent is its
    nearest ancestor that names a page ('' for none)."""
    by_id = {n["id"]: n for n in nodes if n["id"] is not None}
    urls = {id(n): node_url(base, n, template) for n in nodes}
    out = []
    for n in nodes:
        url = urls[id(n)]
        if not url:
            continue
        parent, depth, p, seen = "", 0, by_id.get(n["pid"]), {id(n)}
        while p is not None and id(p) not in seen:
            seen.add(id(p))
            parent = parent or urls[id(p)]
            depth += 1
            p = by_id.get(p["pid"])
        out.append((depth, url, str(n["name"]), parent if parent != url else ""))
    out.sort(key=lambda row: row[0])  # stable: page order within a level, parents before children
    return [row[1:] for row in out]


def tree_anchors(site: Any, f: Any) -> list[tuple[str, str, str, str, str]]:
    """The catalogue links (url, name, parent url, how, signature) of a page's script tree: its inline
    nodes, else the nodes its tree URL answered, each with its page (its url, else the page's template)."""
    tree = f.script_tree
    if tree is None:
        return []
    nodes = _nodes_of(site, tree)
    return [(u, n, p, FOUND, FOUND) for u, n, p in tree_links(tree.base, nodes, tree.template)]


def _nodes_of(site: Any, tree: ScriptTree) -> list[dict[str, object]]:
    if tree.nodes or not tree.ajax:
        return tree.nodes
    answer = site.get(tree.ajax)
    return answer.tree_nodes if answer is not None else []


def unread_tree(site: Any, f: Any) -> str:
    """Why a page's script tree could not be read whole (Chinese), '' when it was or there is none."""
    tree = f.script_tree
    if tree is None:
        return ""
    nodes = _nodes_of(site, tree)
    if tree_links(tree.base, nodes, tree.template):
        below = {n["pid"] for n in nodes}
        lazy = [n for n in nodes if n["id"] not in below and _is_parent(n)]
        if lazy:  # zTree's async mode asks for a node's children when it is opened
            return f"目录树「{lazy[0]['name']}」等 {len(lazy)} 个节点的下级栏目按需加载，未读取"
        return ""
    if tree.ajax and not nodes:
        return f"目录树数据 {tree.ajax} 未取得或无法解析"
    if nodes:
        return "目录树节点未给出栏目地址，页面脚本中也没有可用的地址模板"
    return "目录树由脚本在运行时生成（节点数据和数据地址均无法从页面读出）"


def _is_parent(node: dict[str, object]) -> bool:
    raw = node.get("raw")
    return isinstance(raw, dict) and raw.get("isParent") in (True, "true")
