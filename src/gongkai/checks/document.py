"""Misfiled documents: a document whose own evidence names one class while it sits in another's column.

Id: document.misfiled (contracts.md). Source: 六安市政务公开办2018年第一季度网上测评通报 ("公开的规范性文件
与其他文件，存在未厘清和栏目互相错放的问题"; "全体会议、专题会议、其他会议未厘清和栏目混放", CONFIRMED).
The classes, their column names, 文号 forms, category and title words, and the kinds of meeting are data
(frameworks/data/vocab/document_classes.yaml). A 文号 form is decisive; otherwise two independent signals
(信息分类 field, title words, 有效性 marking) must agree, and signals that disagree give UNCERTAIN.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.checks._site import SiteIndex, fail, norm_url, site_index, summarize, uncertain
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.frameworks.catalogue import names_match
from gongkai.frameworks.classes import DocumentClass, DocumentClasses, Meeting, document_classes
from gongkai.frameworks.schema import FrameworkError
from gongkai.model import Column, Document, Evidence, Finding, SiteModel

CHECK = "document.misfiled"
VALIDITY_WORDS = ("有效", "失效", "废止", "已修改", "已修订")
CATEGORY_KEYS = ("信息分类", "主题分类", "体裁分类", "文种分类")


@dataclass(frozen=True)
class Entry:
    """One listed document: its list row and, when read, its page."""

    title: str
    url: str
    doc: Document | None


@dataclass(frozen=True)
class Signals:
    """What a document's own evidence says about one class."""

    decisive: tuple[str, ...] = ()  # a 文号 form
    strong: tuple[str, ...] = ()  # the 信息分类 field
    weak: tuple[str, ...] = ()  # title words, 有效性 marking

    @property
    def count(self) -> int:
        return len(self.decisive) + len(self.strong) + len(self.weak)

    def all(self) -> tuple[str, ...]:
        return self.decisive + self.strong + self.weak


def _category_text(doc: Document | None) -> str:
    if doc is None:
        return ""
    values = [doc.category, *(doc.metadata.get(k, "") for k in CATEGORY_KEYS)]
    return " ".join(v for v in values if v)


def _category_hits(text: str, classes: tuple[DocumentClass, ...]) -> dict[str, str]:
    """The class each category word names; a longer word wins (非规范性文件 is not 规范性文件)."""
    words = sorted(((w, c.id) for c in classes for w in c.category_words), key=lambda p: -len(p[0]))
    hits: dict[str, str] = {}
    for word, cid in words:
        if word in text:
            hits.setdefault(cid, word)
            text = text.replace(word, "　")
    return hits


def _marked(doc: Document | None) -> str:
    """The document's 有效性 marking, '' when it has none."""
    mark = (doc.validity or doc.metadata.get("有效性", "")) if doc is not None else ""
    return mark if any(w in mark for w in VALIDITY_WORDS) else ""


def signals(entry: Entry, cls: DocumentClass, categories: dict[str, str], validity: bool = True) -> Signals:
    """The evidence in ``entry`` that it belongs to ``cls`` (``validity``: whether an 有效性 marking counts
    on this site)."""
    doc = entry.doc
    number = doc.doc_number if doc is not None else ""
    decisive = tuple(
        f"文号「{text}」"
        for text in (number, entry.title)
        if text and any(p.search(text) for p in cls.number_patterns)
    )[:1]
    strong = (f"信息分类「{categories[cls.id]}」",) if cls.id in categories else ()
    weak = tuple(f"标题含“{w}”" for w in cls.title_words if w in entry.title)[:1]
    if cls.validity and validity and _marked(doc):
        weak += (f"有效性标注「{_marked(doc)}」",)
    return Signals(decisive, strong, weak)


def column_class(column: Column, data: DocumentClasses, has_normative: bool) -> DocumentClass | None:
    """The class a column holds, by its name, else by its kind; a general 文件 column holds 其他文件 only
    when the site also has a 规范性文件 column (otherwise it rightly holds both)."""
    for cls in data.classes:
        if names_match(column.name, cls.column_names):
            return cls
    for cls in data.classes:
        if column.kind in cls.column_kinds and (cls.validity or has_normative):
            return cls
    return None


def _entries(column: Column, site: SiteModel, index: SiteIndex) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for item in column.items:
        key = norm_url(item.url)
        seen.setdefault(key, Entry(item.title, item.url, index.documents.get(key)))
    home = norm_url(column.url)
    for doc in site.documents:
        key = norm_url(doc.url)
        if doc.column_url and norm_url(doc.column_url) == home and key not in seen:
            seen[key] = Entry(doc.title, doc.url, doc)
    return list(seen.values())


def _evidence(index: SiteIndex, column: Column, entry: Entry, said: str) -> list[Evidence]:
    record = entry.doc.record if entry.doc is not None else ""
    return [
        index.evidence(entry.url, f"「{entry.title}」：{said}", record),
        index.evidence(column.url, f"所在栏目「{column.name}」"),
    ]


def validity_telling(site: SiteModel, data: DocumentClasses, has_normative: bool, index: SiteIndex) -> bool:
    """Whether an 有效性 marking tells a 规范性文件 on this site: not where most documents of the other
    files' columns (those not already shown normative by 文号 or 信息分类) carry one too."""
    marked = total = 0
    for column in site.columns:
        cls = column_class(column, data, has_normative)
        if cls is None or cls.validity:
            continue
        for entry in _entries(column, site, index):
            categories = _category_hits(_category_text(entry.doc), data.classes)
            known = [
                c
                for c in data.classes
                if c.validity and (signals(entry, c, categories).decisive or c.id in categories)
            ]
            if entry.doc is None or known:
                continue
            total += 1
            marked += bool(_marked(entry.doc))
    return marked * 2 < total or total == 0


def _class_finding(
    entry: Entry,
    column: Column,
    home: DocumentClass,
    data: DocumentClasses,
    index: SiteIndex,
    validity: bool,
) -> Finding | None:
    categories = _category_hits(_category_text(entry.doc), data.classes)
    own = signals(entry, home, categories, validity)
    for other in data.classes:
        if other.id == home.id:
            continue
        found = signals(entry, other, categories, validity)
        if not found.count:
            continue
        said = "、".join(found.all())
        where = f"「{entry.title}」{said}，属于{other.label}，却放在{home.label}栏目「{column.name}」"
        agree = (found.decisive and not own.decisive and not own.strong) or (
            found.count >= 2 and not own.count
        )
        if agree:
            return fail(CHECK, entry.url, f"文件错放：{where}", _evidence(index, column, entry, said))
        if found.decisive or found.strong or found.count >= 2:
            why = (
                f"{where}；但{'、'.join(own.all())}又表明属于{home.label}，依据不一致，需人工核实"
                if own.count
                else f"{where}；只有这一项依据，需人工核实"
            )
            return uncertain(CHECK, entry.url, f"文件可能错放：{why}", _evidence(index, column, entry, said))
    return None


def column_meeting(column: Column, data: DocumentClasses) -> Meeting | None:
    return next((m for m in data.meetings if names_match(column.name, m.column_names)), None)


def _meeting_finding(
    entry: Entry, column: Column, home: Meeting, data: DocumentClasses, index: SiteIndex
) -> Finding | None:
    named = [m for m in data.meetings if any(w in entry.title for w in m.title_words)]
    if len(named) != 1 or named[0].name == home.name:
        return None
    if any(w in entry.title for w in data.relay_words):
        return None  # 传达学习……会议精神: a higher body's meeting, not this unit's record
    other = named[0]
    said = f"标题表明是{other.name}"
    where = f"「{entry.title}」{said}，却放在{home.name}栏目「{column.name}」"
    category = _category_text(entry.doc)
    if home.name in category or (home.title_words and any(w in category for w in home.title_words)):
        why = f"{where}；但信息分类「{category}」写的是{home.name}，需人工核实"
        return uncertain(CHECK, entry.url, f"会议信息可能混放：{why}", _evidence(index, column, entry, said))
    return fail(CHECK, entry.url, f"会议信息混放：{where}", _evidence(index, column, entry, said))


def validate(params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese) with the class data file a framework names."""
    try:
        document_classes(str(params.get("classes") or "document_classes"))
    except FrameworkError as exc:
        return [p.render(exc.path) for p in exc.problems]
    return []


@check(
    CHECK,
    doc="文件错放：文件自身的依据（信息分类字段、“X规〔年〕N号”之类的文号、有效性标注、标题用词）表明属于一类，"
    "却放在另一类的栏目中（规范性文件与其他文件互相错放；全体会议、常务会议、专题会议、其他会议混放）。"
    "文号为决定性依据，其余须有两项依据一致才判定，依据相互矛盾的为待核实；类别词表可由管理员维护。",
    params={"classes": "document_classes", "files": True, "meetings": True},
    roles=DOCUMENT_ROLES,
    validate=validate,
)
def document_misfiled(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    data = document_classes(str(ctx.param("classes")))
    normative = [c for c in data.classes if c.validity]
    has_normative = any(column_class(c, data, False) in normative for c in site.columns if normative)
    validity = validity_telling(site, data, has_normative, index)
    found: list[Finding] = []
    judged = 0
    for column in site.columns:
        cls = column_class(column, data, has_normative) if ctx.param("files") else None
        meeting = column_meeting(column, data) if ctx.param("meetings") else None
        if cls is None and meeting is None:
            continue
        for entry in _entries(column, site, index):
            judged += 1
            finding = (
                _class_finding(entry, column, cls, data, index, validity)
                if cls is not None
                else _meeting_finding(entry, column, meeting, data, index)  # type: ignore[arg-type]
            )
            if finding is not None:
                found.append(finding)
    none = "" if judged else "未发现规范性文件、其他文件或会议类栏目中的信息"
    yield from summarize(CHECK, site, found, f"{judged} 条文件、会议信息均放在对应栏目", none)
