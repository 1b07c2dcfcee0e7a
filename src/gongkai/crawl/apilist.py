"""Rows of a list API's JSON answer, whatever its shape: the records a script-rendered list page draws.

Government CMSs answer their list pages' scripts with JSON of many shapes (`{"data": {"list": [...]}}`,
`{"rows": [...], "total": 120}`, `{"datas": [...]}`, a bare array). The rows are the largest array of
objects whose members mostly carry a title and a link; a row's date is its first field named like a
publication date that parses as one. Pagination follows the request's own page parameter when the
answer says how many pages or records there are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from gongkai.model import Item
from gongkai.text import parse_date, squash

TITLE_KEYS = (
    "title",
    "doctitle",
    "doc_title",
    "articletitle",
    "infotitle",
    "showtitle",
    "docname",
    "name",
    "subject",
    "bt",
    "xxmc",
    "wjmc",
)
URL_KEYS = (
    "url",
    "link",
    "href",
    "docpuburl",
    "chnldocurl",
    "docurl",
    "linkurl",
    "pageurl",
    "detailurl",
    "puburl",
    "weburl",
    "staticurl",
    "path",
)
DATE_KEYS = (
    "publishtime",
    "publish_time",
    "pubdate",
    "pub_date",
    "docreltime",
    "publishdate",
    "releasedate",
    "releasetime",
    "fbrq",
    "fbsj",
    "docpubtime",
    "date",
    "time",
    "createtime",
    "create_time",
    "crtime",
    "writetime",
)
PIN_KEYS = ("is_top", "istop", "top", "zhiding")
PAGE_PARAMS = (
    "page",
    "pageno",
    "page_no",
    "pagenum",
    "pageindex",
    "curpage",
    "currpage",
    "currentpage",
    "pn",
)
_TOTAL_PAGES = ("totalpage", "totalpages", "pagecount", "pages", "total_page")
_TOTAL_ROWS = ("total", "totalcount", "totalrecord", "totalrecords", "recordcount", "count", "totalelements")
_PAGE_SIZE = ("pagesize", "page_size", "perpage", "per_page", "size", "limit", "rows")
_TAG = re.compile(r"<[^>]+>")
_MAX_DEPTH = 6


def json_arrays(doc: object, depth: int = 0) -> Iterator[list[dict[str, object]]]:
    """Every array of objects inside `doc` (a few levels deep)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(doc, list):
        rows = [r for r in doc if isinstance(r, dict)]
        if rows:
            yield rows
        for r in rows:
            yield from json_arrays(r, depth + 1)
    elif isinstance(doc, dict):
        for v in doc.values():
            if isinstance(v, list | dict):
                yield from json_arrays(v, depth + 1)


def _field(row: dict[str, object], keys: tuple[str, ...]) -> object:
    lower = {k.lower(): v for k, v in row.items() if isinstance(k, str)}
    for key in keys:
        v = lower.get(key)
        if v not in (None, ""):
            return v
    return None


def _row_like(row: dict[str, object]) -> bool:
    return isinstance(_field(row, TITLE_KEYS), str) and isinstance(_field(row, URL_KEYS), str)


def list_rows(doc: object) -> list[dict[str, object]]:
    """The list's records: the largest array of objects whose members mostly have a title and a link."""
    best: list[dict[str, object]] = []
    for rows in json_arrays(doc):
        good = [r for r in rows if _row_like(r)]
        if len(good) * 2 >= len(rows) and len(good) > len(best):
            best = good
    return best


def _date(row: dict[str, object]) -> dt.date | None:
    lower = {k.lower(): v for k, v in row.items() if isinstance(k, str)}
    for key in DATE_KEYS:
        v = lower.get(key)
        if isinstance(v, int | float) and not isinstance(v, bool) and v > 1e8:
            return dt.datetime.fromtimestamp(v / 1000 if v > 1e11 else v, dt.UTC).date()
        if isinstance(v, str) and v:
            date = parse_date(v)
            if date:
                return date
    return None


def api_items(doc: object, base: str, column_url: str) -> list[Item]:
    """The rows of a list API's answer as items (links resolved against `base`)."""
    out = []
    for row in list_rows(doc):
        href = str(_field(row, URL_KEYS)).strip()
        url = urljoin(base, href)
        if not url.startswith(("http://", "https://")):
            continue
        pin = _field(row, PIN_KEYS)
        out.append(
            Item(
                title=squash(_TAG.sub("", str(_field(row, TITLE_KEYS)))),
                url=url,
                date=_date(row),
                column_url=column_url,
                pinned=pin in (True, 1, "1", "true", "是"),
            )
        )
    return out


def _number(doc: object, keys: tuple[str, ...], depth: int = 0) -> int:
    """The first positive integer under one of `keys`, searched breadth-first in the answer's objects."""
    if not isinstance(doc, dict) or depth > 3:
        return 0
    v = _field(doc, keys)
    try:
        n = int(str(v)) if v is not None else 0
    except ValueError:
        n = 0
    if n > 0:
        return n
    for child in doc.values():
        n = _number(child, keys, depth + 1)
        if n > 0:
            return n
    return 0


def api_pages(url: str, doc: object, max_pages: int) -> list[str]:
    """The further pages of a list API whose first page `url` answered `doc` (its page parameter set to
    2 … N), when the URL carries a page parameter and the answer says how many pages there are."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    name = next((k for k, v in query if k.lower() in PAGE_PARAMS and v in ("1", "0")), "")
    if not name:
        return []
    rows = len(list_rows(doc))
    pages = _number(doc, _TOTAL_PAGES)
    if not pages and rows:
        size = _number(doc, _PAGE_SIZE) or rows
        pages = math.ceil(_number(doc, _TOTAL_ROWS) / max(size, 1))
    first = int(dict(query)[name])
    out = []
    for n in range(first + 1, min(pages - (1 - first), first + max_pages - 1) + 1):
        q = urlencode([(k, str(n) if k == name else v) for k, v in query])
        out.append(urlunsplit((parts.scheme, parts.netloc, parts.path, q, "")))
    return out
