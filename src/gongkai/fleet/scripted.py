"""Script-rendered list layouts of the fleet, drawn from real sites.

A site served in one of these modes (`FleetServer(fleet, scripted={"云溪县": "json"})`) keeps its content
and changes how its lists reach the reader:

- `json`: a column's first list page is an empty `<ul id="list">` and an inline `$.ajax` call to the
  site's JSON API (`/api/list/<colid>.json?page=1&size=15`), whose answer holds the rows and the total;
- `browser`: the same API, but the script builds its URL at run time (`fetch(api + …)`) and draws the
  rows itself: only a browser reads the list;
- `post`: Hanweb's `dataproxy.jsp` answers only POST (GET gets 405), as on some real Hanweb servers.

Items, dates and placeholders are those of the site's data, so the fleet's truth is unchanged.
"""

from __future__ import annotations

import json
import math

from gongkai.fleet.generate import FleetSite
from gongkai.fleet.model import PAGE_SIZE, FColumn
from gongkai.fleet.render import Response, _encode, _page_shell

SCRIPTED_MODES = ("json", "browser", "post")
API_PREFIX = "/api/list/"
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
EMPTY_MESSAGE = "暂无信息"


def respond(site: FleetSite, mode: str, method: str, path: str, query: dict[str, str]) -> Response | None:
    """The answer of a site served in `mode` where it differs from the ordinary one, else None."""
    if mode == "post":
        if path == HANWEB_PROXY and method != "POST":
            return 405, "text/plain; charset=utf-8", "请求方式不被允许".encode()
        return None
    if path.startswith(API_PREFIX) and path.endswith(".json"):
        return _api(site, path, query)
    col = _first_list_page(site, path, query)
    if col is None:
        return None
    script = _ajax_script(col) if mode == "json" else _browser_script(col)
    inner = f'<div class="list-box"><ul id="list" class="list"></ul></div>{script}'
    return _encode(site, _page_shell(site, col, inner))


def _first_list_page(site: FleetSite, path: str, query: dict[str, str]) -> FColumn | None:
    """The column whose first list page `path` is (TRS and paged columns; Hanweb and gkmlpt keep theirs)."""
    for col in site.data.columns:
        if col.paging == "trs" and path in (col.path, f"/{col.slug}/", f"/{col.slug}/index.html"):
            return col
        if col.paging == "page" and path == col.path and query.get("page", "1") == "1":
            return col
    return None


def _api(site: FleetSite, path: str, query: dict[str, str]) -> Response:
    try:
        colid = int(path[len(API_PREFIX) : -len(".json")])
        page = max(1, int(query.get("page", "1")))
        size = min(500, max(1, int(query.get("size", str(PAGE_SIZE)))))
    except ValueError:
        return 400, "application/json; charset=utf-8", b'{"code":400,"msg":"\\u53c2\\u6570\\u9519\\u8bef"}'
    col = next((c for c in site.data.columns if c.colid == colid and c.paging in ("trs", "page")), None)
    if col is None:
        return 404, "application/json; charset=utf-8", b'{"code":404,"msg":"not found"}'
    items = [] if col.placeholder else col.items
    rows = [
        {
            "id": it.id,
            "title": it.title,
            "url": it.path,
            "publishTime": f"{it.published:%Y-%m-%d} 09:00:00" if it.list_date else "",
            "isTop": 1 if it.pinned else 0,
        }
        for it in items[(page - 1) * size : page * size]
    ]
    doc = {
        "code": 200,
        "msg": "" if items else EMPTY_MESSAGE,
        "data": {
            "total": len(items),
            "totalPage": max(1, math.ceil(len(items) / size)),
            "pageNo": page,
            "pageSize": size,
            "list": rows,
        },
    }
    return 200, "application/json; charset=utf-8", json.dumps(doc, ensure_ascii=False).encode("utf-8")


_DRAW = (
    "function draw(d){var ul=document.getElementById('list');var rows=(d.data&&d.data.list)||[];"
    "if(!rows.length){var li=document.createElement('li');li.className='empty';li.textContent=d.msg;"
    "ul.appendChild(li);return;}"
    "rows.forEach(function(it){var li=document.createElement('li');var a=document.createElement('a');"
    "a.setAttribute('href',it.url);a.setAttribute('title',it.title);a.textContent=it.title;li.appendChild(a);"
    "if(it.publishTime){var s=document.createElement('span');s.className='date';"
    "s.textContent=it.publishTime.slice(0,10);li.appendChild(s);}ul.appendChild(li);});}"
)


def _ajax_script(col: FColumn) -> str:
    """A jQuery page's call, as real list pages write it: URL and parameters written out."""
    return (
        '<script src="/js/jquery.min.js"></script><script type="text/javascript">'
        + _DRAW
        + f"$(function(){{$.ajax({{url:'{API_PREFIX}{col.colid}.json',type:'GET',dataType:'json',"
        f"data:{{page:1,size:{PAGE_SIZE}}},success:draw}});}});</script>"
    )


def _browser_script(col: FColumn) -> str:
    """A script that builds its API URL at run time and draws the rows: only a browser reads it."""
    return (
        '<script type="text/javascript">'
        + _DRAW
        + f"(function(){{var col='{col.colid}';var api='{API_PREFIX}'+col+'.json';"
        "fetch(api+'?page=1&size=500').then(function(r){return r.json();}).then(draw);})();</script>"
    )
