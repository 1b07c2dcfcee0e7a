"""Shared helpers of the checks: a per-run index of the site model, evidence, dates.

``SiteIndex`` is built once per site and run (pages by URL, columns by URL, the home page,
the 专栏's columns) so that each check stays a short pure function.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

from gongkai.model import Column, Document, Evidence, Finding, Item, Link, Page, SiteModel, Verdict

_INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "index.jsp", "index.php", "default.htm")


@lru_cache(maxsize=200_000)
def norm_url(url: str) -> str:
    """A URL key that ignores a trailing slash and index.html (fragments stay: gkmlpt columns are #ids)."""
    parts = urlsplit(url.strip())
    path = parts.path
    for name in _INDEX_NAMES:
        if path.endswith("/" + name):
            path = path[: -len(name)]
            break
    path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment))


class SiteIndex:
    """Look-ups over one SiteModel, computed lazily and shared by the checks of a run."""

    def __init__(self, site: SiteModel) -> None:
        self.site = site

    @cached_property
    def pages(self) -> dict[str, Page]:
        return {norm_url(p.url): p for p in self.site.pages}

    @cached_property
    def columns(self) -> dict[str, Column]:
        return {norm_url(c.url): c for c in self.site.columns}

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {norm_url(d.url): d for d in self.site.documents}

    @cached_property
    def home(self) -> Page | None:
        page = self.pages.get(norm_url(self.site.site))
        if page is not None:
            return page
        return next((p for p in self.site.pages if p.kind == "home"), None)

    @cached_property
    def parents(self) -> set[str]:
        """Columns that have sub-columns (containers, judged through their children)."""
        return {norm_url(c.parent) for c in self.site.columns if c.parent}

    def page(self, url: str) -> Page | None:
        return self.pages.get(norm_url(url))

    def column(self, url: str) -> Column | None:
        return self.columns.get(norm_url(url))

    def record(self, url: str) -> str:
        page = self.page(url)
        return page.record if page is not None else ""

    def evidence(self, url: str, snippet: str = "", record: str = "") -> Evidence:
        """Evidence at ``url`` with the WARC record of the page when known."""
        return Evidence(url=url, snippet=snippet[:300], record=record or self.record(url))

    def document_kind(self, doc: Document) -> str:
        """The column kind a document was listed under, '' when unknown."""
        column = self.column(doc.column_url) if doc.column_url else None
        return column.kind if column is not None else ""

    def in_zhuanlan(self, url: str, column_url: str = "") -> bool:
        column = self.column(column_url) if column_url else None
        if column is not None and column.in_zhuanlan:
            return True
        root = norm_url(self.site.zhuanlan_url) if self.site.zhuanlan_url else ""
        return bool(root) and norm_url(url).startswith(root)


def site_index(site: SiteModel, index: object) -> SiteIndex:
    """The run's shared index when it belongs to ``site``, else a fresh one."""
    if isinstance(index, SiteIndex) and index.site is site:
        return index
    return SiteIndex(site)


def fail(check: str, subject: str, message: str, evidence: Iterable[Evidence]) -> Finding:
    return Finding(
        check=check, verdict=Verdict.FAIL, subject=subject, message=message, evidence=tuple(evidence)
    )


def passed(check: str, site: SiteModel, message: str) -> Finding:
    return Finding(check=check, verdict=Verdict.PASS, subject=site.site, message=message)


def not_assessable(check: str, site: SiteModel, message: str) -> Finding:
    return Finding(check=check, verdict=Verdict.NOT_ASSESSABLE, subject=site.site, message=message)


def uncertain(check: str, subject: str, message: str, evidence: Iterable[Evidence] = ()) -> Finding:
    return Finding(
        check=check, verdict=Verdict.UNCERTAIN, subject=subject, message=message, evidence=tuple(evidence)
    )


def summarize(
    check: str, site: SiteModel, findings: list[Finding], ok: str, none: str = ""
) -> Iterator[Finding]:
    """The findings, or one PASS (``ok``) when there are none, or NOT_ASSESSABLE when ``none`` is given."""
    if findings:
        yield from findings
    elif none:
        yield not_assessable(check, site, none)
    else:
        yield passed(check, site, ok)


def summarize_judged(
    check: str, site: SiteModel, findings: list[Finding], judged: int, ok: str, none: str
) -> Iterator[Finding]:
    """The findings, plus one PASS (``ok``) when ``judged`` subjects were judged and none failed or is
    uncertain (NOT_ASSESSABLE ones, e.g. documents older than the rule, stand beside the PASS);
    NOT_ASSESSABLE (``none``) when there is nothing at all."""
    yield from findings
    if judged and not any(f.verdict in (Verdict.FAIL, Verdict.UNCERTAIN) for f in findings):
        yield passed(check, site, ok)
    elif not findings:
        yield not_assessable(check, site, none)


def archived_bodies(site: SiteModel, records: set[str]) -> dict[str, bytes]:
    """Response bodies by WARC record id, read from the archive the model was extracted from.

    Tables survive in the archived HTML, not in the flattened page text; reading the local archive
    keeps the check pure (same archive, same findings). Unreadable archives give what was read.
    """
    path = Path(site.archive) if site.archive else None
    if not records or path is None or not path.is_file():
        return {}
    from warcio.archiveiterator import ArchiveIterator

    out: dict[str, bytes] = {}
    try:
        with path.open("rb") as fh:
            for rid, offset in _find_records(fh, records).items():
                fh.seek(offset)
                rec = next(iter(ArchiveIterator(fh)))
                out[rid] = rec.content_stream().read()
    except Exception:  # noqa: BLE001 - a truncated or odd archive: keep what was read
        return out
    return out


def _find_records(fh: BinaryIO, records: set[str]) -> dict[str, int]:
    """Offsets of the wanted response records; HTTP headers are not parsed and the scan stops early."""
    from warcio.archiveiterator import ArchiveIterator

    offsets: dict[str, int] = {}
    it = ArchiveIterator(fh, no_record_parse=True)
    try:
        for rec in it:
            rid = rec.rec_headers.get_header("WARC-Record-ID") or ""
            if rec.rec_type == "response" and rid in records:
                offsets[rid] = it.get_record_offset()
                if len(offsets) == len(records):
                    break
    except Exception:  # noqa: BLE001 - a truncated tail
        pass
    return offsets


# ---- dates ---------------------------------------------------------------------------------

_PERIOD = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")


def shift_back(as_of: dt.date, period: str | int) -> dt.date:
    """``as_of`` minus a period: an int of days, or '14d', '2w', '6m', '1y' (calendar months)."""
    if isinstance(period, int):
        return as_of - dt.timedelta(days=period)
    match = _PERIOD.match(str(period))
    if not match:
        raise ValueError(f"无法识别的期限：{period}（应为 14d、2w、6m、1y 之类）")
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return as_of - dt.timedelta(days=n)
    if unit == "w":
        return as_of - dt.timedelta(weeks=n)
    months = n if unit == "m" else 12 * n
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    day = min(as_of.day, _calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def period_label(period: str | int) -> str:
    """A period in Chinese: '2w' -> '2周'."""
    if isinstance(period, int):
        return f"{period}天"
    match = _PERIOD.match(str(period))
    if not match:
        return str(period)
    return match.group(1) + {"d": "天", "w": "周", "m": "个月", "y": "年"}[match.group(2)]


def newest(items: Iterable[Item], as_of: dt.date) -> dt.date | None:
    """The maximum list date up to the cut-off (pinned old items and future dates do not count)."""
    dates = [i.date for i in items if i.date is not None and i.date <= as_of]
    return max(dates) if dates else None


_CN_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Valid dates in ``text`` with their offsets: 2026年1月5日, 2026-01-05, 2026/1/5, 2026.01.05."""
    out: list[tuple[int, dt.date]] = []
    for match in _CN_DATE.finditer(text):
        try:
            out.append(
                (match.start(), dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
            )
        except ValueError:
            continue
    return out


def snippet_at(text: str, start: int, end: int, width: int = 30) -> str:
    """Text around ``text[start:end]`` on one line."""
    piece = text[max(0, start - width) : end + width]
    return " ".join(piece.split())


# ---- rules in force, implausible dates, calendar coverage (timeliness checks) ---------------

EARLIEST_PLAUSIBLE = dt.date(1949, 10, 1)
PLACEHOLDER_DATES = ["1900-01-01", "1899-12-30", "1970-01-01"]


def param_date(value: object) -> dt.date | None:
    """A date parameter as YAML gives it (a date, or 'YYYY-MM-DD'); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def implausible_date(dates: dict[str, dt.date], as_of: dt.date, placeholders: Iterable[str]) -> str:
    """Why one of the labelled ``dates`` cannot be taken at its word ('' when all are plausible):
    a placeholder (1900-01-01 ...), a date before 1949-10-01, or one after the cut-off date."""
    marks = {str(p) for p in placeholders}
    for label, day in dates.items():
        if day.isoformat() in marks:
            return f"{label} {day.isoformat()} 像是系统占位值，不是真实日期"
        if day < EARLIEST_PLAUSIBLE:
            return f"{label} {day.isoformat()} 早于1949年10月1日，不可信"
        if day > as_of:
            return f"{label} {day.isoformat()} 晚于检查截止日期 {as_of.isoformat()}"
    return ""


def calendar_gap(calendar: object, *days: dt.date) -> str:
    """'' when the working-day calendar has holiday data for every year of ``days``, else the reason.

    Only asked after the rule-in-force test, so a calendar is never asked about years no rule covers."""
    is_known = getattr(calendar, "is_known", None)
    if is_known is None:
        return ""
    missing = sorted({d.year for d in days if not is_known(d)})
    if not missing:
        return ""
    years = "、".join(str(y) for y in missing)
    return f"工作日日历没有 {years} 年的节假日数据，无法计算工作日"


_NAV_ROLES = frozenset({"home", "catalogue", "list"})
_CATALOGUE_NAME_MAX = 20  # a column's name; longer link texts are documents' titles


def dead_catalogue_links(site: SiteModel, index: SiteIndex) -> list[Link]:
    """Links of the site's navigation (home, catalogue and list pages) to pages inside the 专栏 that answered
    4xx: the columns those pages hold or list were never seen. Dead links of the portal around the 专栏
    (新闻中心, 无障碍 ...) and dead documents say nothing of the catalogue."""
    root = urlsplit(site.zhuanlan_url or site.site)
    folder = root.path.rsplit("/", 1)[0] + "/"
    items = {norm_url(it.url) for column in site.columns for it in column.items}  # documents, not columns
    out: dict[str, Link] = {}
    for link in site.links:
        failed = link.status is not None and 400 <= link.status < 500  # 5xx and timeouts are cuts already
        where = urlsplit(link.url)
        if (
            not failed
            or link.is_attachment
            or where.netloc != root.netloc
            or not where.path.startswith(folder)
        ):
            continue
        name = link.text.strip()
        if not name or len(name) > _CATALOGUE_NAME_MAX or norm_url(link.url) in items:
            continue
        source = index.page(link.source) if link.source else None
        if source is not None and source.role in _NAV_ROLES:
            out.setdefault(f"{norm_url(link.url)} {name}", link)  # each name it goes by
    return list(out.values())


def link_outcome(link: Link) -> str:
    return f"状态码 {link.status}" if link.status else (link.error or "无应答")


def unread_note(unread: list[Link]) -> str:
    pages = {norm_url(lk.url) for lk in unread}
    shown = "、".join(f"「{lk.text.strip()}」（{link_outcome(lk)}）" for lk in unread[:3])
    more = f"等 {len(pages)} 个" if len(pages) > 3 else ""
    return f"目录未读完整：{shown}{more}栏目或目录页无法访问，其下栏目未读"
