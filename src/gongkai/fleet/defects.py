"""Choosing a site's defects against its defect-free build, and applying them to a build.

Every defect class is a contracts.md check id. `choose` draws the classes of this module with the
site's defect stream, then lets liuan.py, history.py, wording.py and liuyan.py draw on their own streams;
`apply` changes a freshly built `SiteData` so the defect shows on the served pages.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from gongkai.fleet import content as C
from gongkai.fleet import history, liuan, liuyan, wording
from gongkai.fleet.model import (
    Defect,
    FColumn,
    FItem,
    SiteData,
    file_path,
    find_item,
    item_path,
    zhuanlan_path,
)

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

# Defect classes the generator can inject, each a contracts.md check id.
DEFECT_CHECKS = (
    "homepage.stale",
    "column.missing",
    "column.blank",
    "column.stale",
    "item.undated",
    "link.broken",
    "meta.missing",
    "meta.index_invalid",
    "normative.validity",
    "disclosure.late",
    "interpretation.missing",
    "interpretation.late",
    "interpretation.elements",
    "consultation.elements",
    "consultation.period",
    "consultation.feedback",
    "guide.elements",
    "annual_report.missing",
    "annual_report.late",
    "annual_report.inconsistent",
    "title.unit_year",
    "privacy.id_number",
    "privacy.mobile",
    "privacy.bank_card",
    "site.identity",
    "site.meta",
    *liuan.CHECKS,
    *wording.CHECKS,
    *liuyan.CHECKS,
)
OWN_STREAMS = (*liuan.CHECKS, *wording.CHECKS, *liuyan.CHECKS)  # drawn by their own modules

# column-level classes: the columns one is drawn from, and its key prefix
_COLUMN_CLASSES = {
    "column.missing": (["system", "plan", "stats"], "missing"),
    "column.blank": (["stats", "plan", "personnel", "system"], "blank"),
    "column.stale": (["notice", "policy", "personnel", "plan"], "stale"),
    "item.undated": (["notice", "stats", "personnel"], "undated"),
}


# ------------------------------------------------------------------------------------------ choosing


def choose(site: FleetSite, base: SiteData, rng: random.Random, rate: float) -> list[Defect]:
    """Pick defect classes for a site and resolve their subjects against its defect-free build `base`."""
    chosen: list[Defect] = []
    used: set[str] = set()
    checks = [c for c in DEFECT_CHECKS if c not in OWN_STREAMS]  # liuan's and wording's draw on their own
    rng.shuffle(checks)  # conflicting classes (one annual report, one news column) take turns
    picker = _Picker(site, base, rng, used)
    for check in checks:
        if rng.random() >= rate:
            continue
        d = picker.pick(check)
        if d:
            chosen.extend(d)
    chosen += liuan.choose(site, base, rate, used) + history.choose(site, base, rate, used)
    return chosen + wording.choose(site, base, rate, used) + liuyan.choose(site, base, rate)


class _Picker:
    """Resolves one defect class to its subject: a free column or item of the build, marked as used."""

    def __init__(self, site: FleetSite, data: SiteData, rng: random.Random, used: set[str]) -> None:
        self.site, self.rng, self.used = site, rng, used
        self.cols = {c.key: c for c in data.columns}

    def pick(self, check: str) -> list[Defect]:
        family = check.split(".", 1)[0]
        handler = _PICKERS.get(check) or _PICKERS.get(family + ".*")
        return handler(self, check) if handler else []

    def free(self, keys: list[str]) -> FColumn | None:
        options = [self.cols[k] for k in keys if k not in self.used and self.cols[k].items]
        if not options:
            return None
        c = self.rng.choice(options)
        self.used.add(c.key)
        return c

    def item_of(self, key: str, kind: str = "", pred: Callable[[FItem], bool] | None = None) -> FItem | None:
        if key in self.used:
            return None
        its = [i for i in self.cols[key].items if (not kind or i.kind == kind) and (pred is None or pred(i))]
        its = [i for i in its if "_history" not in i.meta]  # fleet/history.py's documents have their own
        its = [i for i in its if f"item-{i.id}" not in self.used]
        if not its:
            return None
        it = self.rng.choice(its)
        self.used.add(f"item-{it.id}")
        return it

    def on_item(self, check: str, col_key: str, it: FItem | None, key: str = "") -> list[Defect]:
        """The defect of a detail page: subject and page are the item's path."""
        if not it:
            return []
        p = item_path(self.site, self.cols[col_key], it)
        return [Defect(check, p, p, key=key or f"{check}-{it.id}")]

    def column(self, check: str) -> list[Defect]:
        keys, prefix = _COLUMN_CLASSES[check]
        c = self.free(keys)
        if not c:
            return []
        url = zhuanlan_path(self.site.cms) if check == "column.missing" else c.path
        return [Defect(check, c.name, url, key=f"{prefix}-{c.key}")]

    def homepage_stale(self, check: str) -> list[Defect]:
        if "news" in self.used:
            return []
        self.used.add("news")
        news = self.cols["news"]
        return [
            Defect(check, "/", "/", key="homepage-stale"),
            Defect("column.stale", news.name, news.path, key="homepage-stale"),
        ]

    def link_broken(self, check: str) -> list[Defect]:
        it = self.item_of("news")
        if not it:
            return []
        bad = f"/xwzx/zwyw/{it.published:%Y%m}/t{it.published:%Y%m%d}_{it.id + 7}9.html"
        return [Defect(check, bad, item_path(self.site, self.cols["news"], it), key=f"broken-{it.id}")]

    def document(self, check: str) -> list[Defect]:
        it = self.item_of(self.rng.choice(["policy", "normative"]))
        if not it:
            return []
        return self.on_item(check, "policy" if it in self.cols["policy"].items else "normative", it)

    def normative(self, check: str) -> list[Defect]:
        return self.on_item(check, "normative", self.item_of("normative"))

    def interpretation_missing(self, check: str) -> list[Defect]:
        # removing the 解读 must not remove one that already carries interpretation.late / .elements
        taken = {i.meta.get("_doc") for i in self.cols["interpretation"].items if f"item-{i.id}" in self.used}
        return self.on_item(check, "policy", self.item_of("policy", pred=lambda i: str(i.id) not in taken))

    def interpretation(self, check: str) -> list[Defect]:
        it = self.item_of("interpretation", pred=lambda i: f"item-{i.meta.get('_doc')}" not in self.used)
        return self.on_item(check, "interpretation", it)

    def consultation(self, check: str) -> list[Defect]:
        pred = None
        if check == "consultation.feedback":
            items = self.cols["consultation"].items
            ends = {i.id for i in items if i.kind == "feedback"}
            pred = lambda i: any(f.meta.get("_for") == str(i.id) for f in items if f.id in ends)  # noqa: E731
        return self.on_item(check, "consultation", self.item_of("consultation", "consultation", pred))

    def guide(self, check: str) -> list[Defect]:
        return self.on_item(check, "guide", self.cols["guide"].items[0], key="guide")

    def annual_report(self, check: str) -> list[Defect]:
        if "annual" in self.used:
            return []
        self.used.add("annual")
        col = self.cols["annual_report"]
        if check == "annual_report.missing":
            return [Defect(check, col.name, col.path, key="annual")]
        return self.on_item(check, "annual_report", col.items[0], key="annual")

    def title(self, check: str) -> list[Defect]:
        it = self.item_of("budget")
        return self.on_item(check, "budget", it, key=f"title-{it.id}" if it else "")

    def privacy(self, check: str) -> list[Defect]:
        it = next(i for i in self.cols["notice"].items if i.kind == "privacy")
        p = item_path(self.site, self.cols["notice"], it)
        if check == "privacy.bank_card":
            xlsx = file_path(self.site, p, f"P0{it.path_date:%Y%m%d}{it.id % 1000:03d}9.xlsx")
            return [Defect(check, xlsx, p, key=check)]
        return [Defect(check, p, p, key=check)]

    def site_wide(self, check: str) -> list[Defect]:
        if check == "site.identity":
            return [Defect(check, "网站标识码", "/", key="identity")]
        return [Defect(check, "SiteIDCode", "/", key="sitemeta")]


_PICKERS: dict[str, Callable[[_Picker, str], list[Defect]]] = {
    **dict.fromkeys(_COLUMN_CLASSES, _Picker.column),
    "homepage.stale": _Picker.homepage_stale,
    "link.broken": _Picker.link_broken,
    **dict.fromkeys(("meta.missing", "meta.index_invalid", "disclosure.late"), _Picker.document),
    "normative.validity": _Picker.normative,
    "interpretation.missing": _Picker.interpretation_missing,
    "interpretation.late": _Picker.interpretation,
    "interpretation.elements": _Picker.interpretation,
    **dict.fromkeys(
        ("consultation.elements", "consultation.period", "consultation.feedback"), _Picker.consultation
    ),
    "guide.elements": _Picker.guide,
    "annual_report.*": _Picker.annual_report,
    "title.unit_year": _Picker.title,
    "privacy.*": _Picker.privacy,
    "site.identity": _Picker.site_wide,
    "site.meta": _Picker.site_wide,
}


# ------------------------------------------------------------------------------------------ applying


def apply(site: FleetSite, data: SiteData, d: Defect) -> None:
    """Change a freshly built site so that defect `d` shows."""
    if d.check in liuan.CHECKS:
        liuan.apply(data, d)
    elif d.check in wording.CHECKS:
        wording.apply(data, d)
    elif d.check in liuyan.CHECKS:
        liuyan.apply(site, data, d)
    elif d.check in _SITE_APPLIERS:
        _SITE_APPLIERS[d.check](site, data, d)
    else:
        found = find_item(data, d.url)
        if not found:
            return
        col, it = found
        applier = _ITEM_APPLIERS.get(d.check)
        if applier:
            applier(site, data, d, col, it)


def shift(items: list[FItem], days: int) -> None:
    """Move items (and their 发布日期 / 成文日期) `days` back."""
    for it in items:
        it.published -= dt.timedelta(days=days)
        if it.created:
            it.created -= dt.timedelta(days=days)
        if "发布日期" in it.meta:
            it.meta["发布日期"] = f"{it.published:%Y-%m-%d}"
            it.meta["成文日期"] = f"{it.created:%Y-%m-%d}"


def _shift_interpretations(data: SiteData, doc_ids: set[int], days: int) -> None:
    """Move the 解读 of shifted documents with them, so they are not late by accident."""
    col = next((c for c in data.columns if c.key == "interpretation"), None)
    if col is None:
        return
    shift([i for i in col.items if i.meta.get("_doc") and int(i.meta["_doc"]) in doc_ids], days)
    col.items.sort(key=lambda x: x.published, reverse=True)


def _by_name(data: SiteData, name: str) -> FColumn:
    return {c.name: c for c in data.columns}[name]


def _column_missing(site: FleetSite, data: SiteData, d: Defect) -> None:
    col = _by_name(data, d.subject)
    data.columns.remove(col)
    data.missing.add(col.key)


def _column_blank(site: FleetSite, data: SiteData, d: Defect) -> None:
    col = _by_name(data, d.subject)
    col.items = []
    col.placeholder = True


def _column_stale(site: FleetSite, data: SiteData, d: Defect) -> None:
    col = _by_name(data, d.subject)
    limit = {"news": 14, "notice": 183, "policy": 183, "personnel": 366, "plan": 366}[col.kind]
    newest = max(i.published for i in col.items if not i.pinned)
    days = (site.as_of - newest).days + limit + 20
    shift(col.items, days)
    if col.kind in ("policy", "normative"):
        _shift_interpretations(data, {i.id for i in col.items}, days)


def _homepage_stale(site: FleetSite, data: SiteData, d: Defect) -> None:
    # its companion column.stale moves 动态要闻 back; the notices shown beside them must age too,
    # or the homepage still has fresh items
    notice = next((c for c in data.columns if c.key == "notice"), None)
    if notice and notice.items:
        newest = max(i.published for i in notice.items if not i.pinned)
        if (site.as_of - newest).days < 20:
            shift(notice.items, 20 - (site.as_of - newest).days)


def _annual_missing(site: FleetSite, data: SiteData, d: Defect) -> None:
    col = next((c for c in data.columns if c.key == "annual_report"), None)
    if col and col.items:
        col.items.pop(0)  # the report for the last year


def _site_identity(site: FleetSite, data: SiteData, d: Defect) -> None:
    data.identity.pop("网站标识码", None)


def _site_meta(site: FleetSite, data: SiteData, d: Defect) -> None:
    data.site_meta = False


def _item_undated(site: FleetSite, data: SiteData, d: Defect) -> None:
    col = _by_name(data, d.subject)
    for it in [i for i in col.items if not i.pinned][:3]:
        it.list_date = False


_SITE_APPLIERS: dict[str, Callable[[FleetSite, SiteData, Defect], None]] = {
    "column.missing": _column_missing,
    "column.blank": _column_blank,
    "column.stale": _column_stale,
    "homepage.stale": _homepage_stale,
    "annual_report.missing": _annual_missing,
    "site.identity": _site_identity,
    "site.meta": _site_meta,
    "item.undated": _item_undated,
}

ItemApplier = Callable[["FleetSite", SiteData, Defect, FColumn, FItem], None]


def _meta_missing(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.meta.pop("发布机构", None)
    it.meta.pop("索引号", None)


def _index_invalid(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.meta["索引号"] = f"null02D/01A/D3C{it.published:%Y%m%d}"


def _normative_validity(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.meta.pop("有效性", None)


def _disclosure_late(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.created = it.published - dt.timedelta(days=75)
    it.meta["成文日期"] = f"{it.created:%Y-%m-%d}"


def _interpretation_missing(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.meta["_nointerp"] = "1"
    for c in data.columns:
        if c.key == "interpretation":
            c.items = [i for i in c.items if i.meta.get("_doc") != str(it.id)]


def _interpretation_late(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.published += dt.timedelta(days=21)
    it.published = min(it.published, site.as_of)


def _interpretation_elements(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.meta["_nolink"] = "1"
    it.body = [p for p in it.body if "咨询" not in p]


def _consultation_elements(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.body = [p for p in it.body if not p.startswith("反馈方式")]
    it.attachments = [a for a in it.attachments if not a[0].startswith("起草说明")]


def _consultation_period(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    start = dt.date.fromisoformat(it.meta["_start"])
    end = start + dt.timedelta(days=15)
    it.body[1] = f"征求意见时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}。"


def _consultation_feedback(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    col.items = [i for i in col.items if i.meta.get("_for") != str(it.id)]


def _guide_elements(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.body = C.guide_paragraphs(site.full_name, data.identity["phone"], complete=False)


def _annual_late(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    # after 31 March: late for departments (31 January) and for governments (31 March) alike
    it.published = min(dt.date(it.published.year, 4, 20), site.as_of)


def _annual_inconsistent(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    t3 = json.loads(it.meta["_t3"])
    t3["new_received"][0] += 3
    t3["new_received"][6] += 3
    rng = random.Random(f"annual-{site.seed}-{site.index}")
    it.html = C.annual_report_html(site.full_name, int(it.meta["_year"]), t3, rng)


def _title_unit_year(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.title = it.title.replace(site.full_name, "").replace(f"{it.published.year}年", "")
    it.title = it.title.replace(f"{it.published.year - 1}年", "")
    it.meta["名称"] = it.title


def _link_broken(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
    it.links.append(("相关链接：往期工作动态", d.subject))


def _unmask(what: str) -> ItemApplier:
    """A privacy defect: the list shows one kind of personal data (`what`) unmasked."""

    def unmask(site: FleetSite, data: SiteData, d: Defect, col: FColumn, it: FItem) -> None:
        it.meta["_mask"] = it.meta["_mask"].replace(what, "")

    return unmask


_ITEM_APPLIERS: dict[str, ItemApplier] = {
    "meta.missing": _meta_missing,
    "meta.index_invalid": _index_invalid,
    "normative.validity": _normative_validity,
    "disclosure.late": _disclosure_late,
    "interpretation.missing": _interpretation_missing,
    "interpretation.late": _interpretation_late,
    "interpretation.elements": _interpretation_elements,
    "consultation.elements": _consultation_elements,
    "consultation.period": _consultation_period,
    "consultation.feedback": _consultation_feedback,
    "guide.elements": _guide_elements,
    "annual_report.late": _annual_late,
    "annual_report.inconsistent": _annual_inconsistent,
    "title.unit_year": _title_unit_year,
    "link.broken": _link_broken,
    "privacy.id_number": _unmask("id"),
    "privacy.mobile": _unmask("mobile"),
    "privacy.bank_card": _unmask("card"),
}
