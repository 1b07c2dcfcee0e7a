"""A site model's coverage: what the crawl read and what it cut, from the crawl summary it wrote.

The crawl records its cuts, usable pages, budget share and pages rendered by a browser (`rendered`, once
a crawl renders any) in the crawl-info record's `coverage` (`urn:gongkai:crawl`);
the counts of columns and list pages come from the site model. The crawl's own model and the one
`extract_archive` rebuilds read the same record, so both have the same coverage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gongkai.model import Column, Coverage, Cut, Page

_NO_SUMMARY = Cut("抓取摘要", "归档中没有抓取摘要：抓取被中断，尚未完成", True)
_NOTHING_READ = Cut("全部页面", "未读到任何可用页面（无应答或只有错误页）", True)
_OLD_PARTIAL = Cut("抓取", "抓取未完成（该归档未记录被截去的内容）", True)


def coverage_of(info: Mapping[str, object], columns: Sequence[Column], pages: Sequence[Page]) -> Coverage:
    """The coverage of a site model built from `columns` and `pages`, by the crawl summary `info`."""
    recorded = info.get("coverage") if info else None
    if not info:
        cuts = [_NO_SUMMARY]
    elif isinstance(recorded, Mapping):
        cuts = [_cut(c) for c in recorded.get("cuts", []) or [] if isinstance(c, Mapping)]
    else:  # an archive written before coverage was recorded
        cuts = []
    if not any(c.lost for c in cuts) and info.get("partial", False):
        cuts = [*cuts, _OLD_PARTIAL]
    read = recorded.get("read") if isinstance(recorded, Mapping) else None
    if not isinstance(read, int):
        read = sum(1 for p in pages if 200 <= p.status < 300)
    if read == 0 and not any(c.lost for c in cuts):
        cuts = [*cuts, _NOTHING_READ]
    used = recorded.get("budget_used", 0.0) if isinstance(recorded, Mapping) else 0.0
    return Coverage(
        complete=not any(c.lost for c in cuts) and read > 0,
        columns=len(columns),
        list_pages=sum(c.pages for c in columns),
        rendered=_count(recorded, "rendered"),
        budget_used=float(used) if isinstance(used, (int, float)) else 0.0,
        cut=tuple(cuts),
        read=read,
    )


def _count(recorded: object, key: str) -> int:
    value = recorded.get(key, 0) if isinstance(recorded, Mapping) else 0
    return value if isinstance(value, int) else 0


def _cut(record: Mapping[str, object]) -> Cut:
    what, why = str(record.get("what", "")), str(record.get("why", ""))
    return Cut(what, why, bool(record.get("catalogue", True)), bool(record.get("lost", True)))
