"""广东 gkmlpt's catalogue as real pages write it.

A gkmlpt page sets `window._CONFIG = {...}` in a script. Real pages write it as a JavaScript object, not
JSON: unquoted keys, single-quoted values, trailing commas (`SID: '200001', TREE: [...], DETAIL: null,`),
with the catalogue tree as a JSON value inside. `gkmlpt_tree` reads the tree from either form: the whole
config as JSON where it is, else the value after `TREE:` cut out by matching brackets (strings respected).
It imports nothing of the crawler but the vocabulary, so `crawl.extract` can read trees with it too.
`gkmlpt_columns` makes the tree's nodes columns (`<page>#<node id>`), under the page's 法定主动公开内容 tab
(`statutory_tab`) when its menu shows one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gongkai.crawl.classify import classify
from gongkai.crawl.jsliteral import balanced

if TYPE_CHECKING:
    from gongkai.crawl.catalogue import CatalogueLink

_CONFIG = re.compile(r"window\._CONFIG\s*=\s*\{", re.S)
_TREE_KEY = re.compile(r"""["']?TREE["']?\s*:\s*""")
_SID = re.compile(r"""["']?SID["']?\s*:\s*["']?([\w-]+)""")


def gkmlpt_tree(text: str) -> list[object]:
    """The catalogue tree of a gkmlpt page (a list of {id, name, children} nodes), [] when it has none."""
    m = _CONFIG.search(text)
    if not m:
        return []
    start = m.end() - 1
    whole = balanced(text, start)
    if whole:
        try:
            config = json.loads(whole)
        except ValueError:
            config = None
        if isinstance(config, dict):
            return _nodes(config.get("TREE"))
    key = _TREE_KEY.search(text, m.end(), m.end() + len(whole) if whole else len(text))
    if not key:
        return []
    value = balanced(text, key.end())
    try:
        return _nodes(json.loads(value)) if value else []
    except ValueError:
        return []


def gkmlpt_sid(text: str) -> str:
    """The site id the page's list API asks for (`sid=`)."""
    m = _CONFIG.search(text)
    sid = _SID.search(text, m.end()) if m else None
    return sid.group(1) if sid else ""


def gkmlpt_nodes(nodes: Iterable[object], parent: object = None) -> Iterable[dict[str, object]]:
    """Every node of a tree, depth first, with its parent's id as `_parent`."""
    for node in nodes:
        if isinstance(node, dict) and "id" in node:
            yield {**node, "_parent": parent}
            yield from gkmlpt_nodes(node.get("children") or [], node.get("id"))


def _nodes(tree: object) -> list[object]:
    if isinstance(tree, list):
        return tree
    if isinstance(tree, dict):  # one root node, or nodes keyed by their id
        if "id" in tree:
            return [tree]
        return [v for v in tree.values() if isinstance(v, dict) and "id" in v]
    return []


def statutory_tab(anchors: Iterable[CatalogueLink], zl_url: str) -> dict[str, object] | None:
    """The 专栏 page as a column of its own menu: gkmlpt's 法定主动公开内容 tab is the tree's page itself."""
    for url, name, _parent, how, _sig in anchors:
        if url.split("#", 1)[0] == zl_url and classify(name) == "statutory":
            return {"name": name, "parent": "", "zl": True, "url": zl_url, "found_by": how}
    return None


def gkmlpt_columns(
    zl_url: str, tree: list[object], statutory: dict[str, object] | None = None
) -> dict[str, dict[str, object]]:
    """The columns of a gkmlpt catalogue tree, named `<专栏 URL>#<node id>`; under `statutory` (the page's
    法定主动公开内容 tab, the tree's own page) when the page's menu shows one."""
    found: dict[str, dict[str, object]] = {zl_url: statutory} if statutory else {}
    ids: dict[object, str] = {}
    for node in gkmlpt_nodes(tree):
        url = f"{zl_url}#{node['id']}"
        ids[node["id"]] = url
        parent = ids.get(node.get("_parent"), zl_url if statutory else "")
        found[url] = {
            "name": str(node.get("name", "")),
            "parent": parent,
            "zl": True,
            "url": url,
            "gk": node["id"],
            "found_by": "gkmlpt",
        }
    return found
