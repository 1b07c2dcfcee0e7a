"""One pass of a multi-pattern automaton over a text, then context rules on each match.

``Matcher`` is built once per set of dictionaries (``matcher()`` caches it): one ahocorasick-rs
automaton holds every wrong phrase and every leader's name. A phrase match is then judged in its
context (a longer right phrase around it, whose words it is — a title, a quotation, a mention of the
word, reported text, see ``context.voice`` —, the words it sits in, a former name used for a date before
the change, the page's own date); a name match is judged by the title written right before or after it
and by the order of the names listed with it. When the text has whitespace between Chinese characters
or traditional characters, a second pass over the normalized text finds the phrases written that way
(split by a tag or a line break, 臺灣政府) and maps them back to the original offsets. Only a must-not-use
phrase in the unit's own words, and a title that only someone else holds (unique nationally) next to a
confirmed leader's name, are FAIL; everything else is UNCERTAIN for an evaluator to confirm or dismiss.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from gongkai.wording.context import (
    BROKEN,
    EMPHASIS,
    EXTENDS,
    GAP_CHARS,
    GLUED,
    OWN,
    SILENT,
    Normalized,
    boundary,
    normalized,
    quote_marks,
    reprint_source,
    voice,
)
from gongkai.wording.dictionary import Entry, Leader, Leaders, load_entries, load_leaders, with_leaders

FAIL, UNCERTAIN = "FAIL", "UNCERTAIN"
_STOPS = "。！？!?；;\n"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年|[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))")
# Words that say the sentence tells of the change itself (撤销……并入……), so the former name is right there.
_CHANGE_WORDS = ("撤销", "更名", "改名", "改为", "并入", "组建", "不再保留", "整合为", "划入")
_FORMER = ("原", "前")
_LIST_GAP = 16  # characters between two names listed together (titles in between included)
_LIST_SEPARATORS = "、，,和与及"


@dataclass(frozen=True)
class Hit:
    """One wording problem in a text: what was matched, where, the verdict and why (Chinese)."""

    severity: str  # serious | nonstandard | typo
    verdict: str  # FAIL | UNCERTAIN
    phrase: str  # the text matched (a wrong phrase, or a name with the title next to it)
    start: int
    end: int
    correct: str
    category: str
    reason: str
    sentence: str
    source: str = ""


def sentence_at(text: str, start: int, end: int, width: int = 60) -> str:
    """The sentence holding ``text[start:end]`` (at most ``width`` characters either side), one line."""
    lo = max(0, start - width)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in _STOPS:
            lo = i + 1
            break
    hi = min(len(text), end + width)
    for i in range(end, hi):
        if text[i] in _STOPS:
            hi = i + 1
            break
    return " ".join(text[lo:hi].split())


def quoted(text: str, start: int, end: int, width: int = 80) -> str:
    """The marks around ``text[start:end]`` ('《》', '“”', '""' ...) or ''."""
    marks = quote_marks(text, start, end, width)
    return marks[0] if marks else ""


def historical(text: str, start: int, end: int, until: dt.date, page_date: dt.date | None) -> str:
    """Why a phrase that was right before ``until`` is right here ('' when nothing says so): the page
    predates the change, a '原' marks the former name, or a year before the change is written nearby."""
    if page_date is not None and page_date < until:
        return f"页面日期 {page_date.isoformat()} 早于 {until.isoformat()}"
    if start and text[start - 1] in _FORMER:
        return f"写作“{text[start - 1]}{text[start:end]}”"
    window = sentence_at(text, start, end, 30)
    years = [int(y) for y in _YEAR.findall(window)]
    if any(y < until.year for y in years):
        return f"附近写有更早的年份 {min(years)} 年"
    change = next((w for w in _CHANGE_WORDS if w in window), "")
    return f"同一句写明了变更（“{change}”）" if change else ""


def _former(text: str, start: int, width: int = 10) -> bool:
    """Whether 原/前 marks what starts at ``start`` as former (原中央政法委书记周永康), same clause only."""
    for i in range(start - 1, max(-1, start - width - 1), -1):
        if text[i] in _FORMER:
            return True
        if text[i] in _STOPS or text[i] in "，,、：:":
            return False
    return False


_NOTES = {
    "split": "词语中间有空格或换行（可能是网页标签或分段隔开）",
    "traditional": "以繁体字写出，可能是照录台港澳或境外原文",
    EXTENDS: "与后文连成“{word}”，可能是名称的一部分",
    BROKEN: "末字与后文连成“{word}”，可能并非此词",
}


def _shape(text: str, start: int, end: int, entry: Entry) -> tuple[str, str]:
    """How the sentence's words sit on a serious phrase (context.boundary); none for other severities,
    whose wrong forms (错别字, 旧名称) are often not words a segmenter knows."""
    return boundary(text, start, end) if entry.severity == "serious" else ("", "")


def _variant(text: str, lo: int, hi: int, norm: Normalized, start: int) -> str:
    """How a phrase found only in the normalized text is written: 'spaced' (a space between every two
    characters: letter spacing, unambiguous), 'split' (some gaps: a tag or a paragraph break may lie
    between) or 'traditional'."""
    pieces = [p for p in GAP_CHARS.split(text[lo:hi]) if p]
    joined = "".join(pieces)
    if joined != norm.text[start : start + len(joined)]:
        return "traditional"
    return "spaced" if len(joined) > 2 and all(len(p) == 1 for p in pieces) else "split"


def _excepted(text: str, start: int, entry: Entry) -> bool:
    for longer in entry.exceptions:
        offset = longer.find(entry.phrase)
        if text.startswith(longer, start - offset) and start - offset >= 0:
            return True
    return False


class Matcher:
    """The automaton over every phrase and name, with the leaders and the entries it came from."""

    def __init__(self, entries: Iterable[Entry], leaders: Leaders) -> None:
        self.entries = {e.phrase: e for e in entries}
        self.leaders = leaders
        self.names = set(leaders.leaders) | set(leaders.removed)
        patterns = list(self.entries) + sorted(self.names - set(self.entries))
        self.patterns = patterns
        self.automaton = ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        titles = leaders.titles | leaders.removed_titles
        self.titles = titles
        self.title_lengths = sorted({len(t) for t in titles}, reverse=True)

    def scan(self, text: str, page_date: dt.date | None = None) -> list[Hit]:
        """Every wording problem in ``text`` (a page dated ``page_date`` when known), in text order."""
        hits: list[Hit] = []
        names: list[tuple[str, int, int]] = []
        page: dict[str, str] = {}  # the page's reprint source, read once when needed
        found: list[tuple[int, int]] = []
        for index, start, end in self.automaton.find_matches_as_indexes(text):
            pattern = self.patterns[index]
            entry = self.entries.get(pattern)
            if entry is not None:
                found.append((index, start))
                if not _excepted(text, start, entry):
                    shape = _shape(text, start, end, entry)
                    hit = self._phrase(text, start, end, entry, page_date, page, shape=shape)
                    if hit is not None:
                        hits.append(hit)
            else:
                names.append((pattern, start, end))
        hits.extend(self._variants(text, found, page_date, page))
        for name, start, end in names:
            hits.extend(self._name(text, name, start, end, page_date))
        hits.extend(self._order(text, names))
        hits.sort(key=lambda h: h.start)
        return hits

    # ---- phrases ----------------------------------------------------------------------------

    def _variants(
        self, text: str, found: list[tuple[int, int]], page_date: dt.date | None, page: dict[str, str]
    ) -> list[Hit]:
        """Phrases written with whitespace inside (split by an HTML tag, a line break, letter spacing) or in
        traditional characters: matched in the normalized text, judged in the original."""
        norm = normalized(text)
        if norm is None:
            return []
        matches = [
            (i, s, e) for i, s, e in self.automaton.find_matches_as_indexes(norm.text)
            if self.patterns[i] in self.entries
        ]  # fmt: skip
        if len(matches) == len(found) and all(m[0] == f[0] for m, f in zip(matches, found, strict=True)):
            return []  # the same phrases as in the text itself (the usual case)
        plain = {(i, s) for i, s in found}
        out = []
        for index, start, end in matches:
            entry = self.entries[self.patterns[index]]
            lo, hi = norm.span(start, end)
            if (index, lo) in plain or _excepted(norm.text, start, entry):
                continue
            variant = _variant(text, lo, hi, norm, start)
            if variant == "split" and boundary(norm.text, start, end)[0]:
                continue  # joined across a gap into other words: 政府信息公开 法定… is no 政府信息公开法
            shape = _shape(norm.text, start, end, entry)
            hit = self._phrase(text, lo, hi, entry, page_date, page, variant=variant, shape=shape)
            if hit is not None:
                out.append(hit)
        return out

    def _phrase(
        self,
        text: str,
        start: int,
        end: int,
        entry: Entry,
        page_date: dt.date | None,
        page: dict[str, str],
        variant: str = "",
        shape: tuple[str, str] = ("", ""),
    ) -> Hit | None:
        if shape[0] == GLUED:
            return None  # its first character belongs to a word before it (东北|朝鲜族, 充满|清新)
        if entry.until is not None and historical(text, start, end, entry.until, page_date):
            return None
        if "reprint" not in page and entry.must_not_use:
            page["reprint"] = reprint_source(text)
        said = voice(text, start, end, page.get("reprint", ""), entry.correct)
        if said.kind in SILENT or (said.kind == EMPHASIS and not entry.must_not_use):
            return None  # a title, a quotation or the word itself reproduces the words as written
        plain = said.kind == OWN and variant in ("", "spaced") and not shape[0]
        verdict = FAIL if entry.must_not_use and plain else UNCERTAIN
        reason = f"{entry.label}（{entry.category}）：“{entry.phrase}”应为“{entry.correct}”"
        notes = [
            n
            for n in (said.why, _NOTES.get(variant, ""), _NOTES.get(shape[0], "").format(word=shape[1]))
            if n
        ]
        if notes:
            reason += "；" + "；".join(notes)
            if verdict == UNCERTAIN and "需人工核实" not in reason:
                reason += "，需人工核实"
        elif entry.until is not None:
            reason += f"（{entry.until.isoformat()} 起已变更；如为历史表述可标为误报）"
        elif verdict == UNCERTAIN:
            reason += "；需人工核实"
        phrase = " ".join(text[start:end].split())
        return Hit(entry.severity, verdict, phrase, start, end, entry.correct, entry.category,
                   reason, sentence_at(text, start, end), entry.source)  # fmt: skip

    # ---- names and titles ---------------------------------------------------------------------

    def _title_after(self, text: str, end: int) -> str:
        for length in self.title_lengths:
            piece = text[end : end + length]
            if piece in self.titles:
                return piece
        return ""

    def _title_before(self, text: str, start: int) -> str:
        for length in self.title_lengths:
            if length <= start and text[start - length : start] in self.titles:
                return text[start - length : start]
        return ""

    def _name(self, text: str, name: str, start: int, end: int, page_date: dt.date | None) -> list[Hit]:
        out = []
        before = self._title_before(text, start)
        after = self._title_after(text, end)
        for title, lo, hi in ((before, start - len(before), end), (after, start, end + len(after))):
            if not title:
                continue
            former = _former(text, lo)
            hit = (
                self._removed(text, name, title, lo, hi, page_date, former)
                if name in self.leaders.removed
                else self._leader(text, name, title, lo, hi, page_date, former)
            )
            if hit is not None:
                out.append(hit)
        return out

    def _hit(
        self, verdict: str, text: str, lo: int, hi: int, correct: str, category: str, reason: str, source: str
    ) -> Hit:
        return Hit("serious", verdict, text[lo:hi], lo, hi, correct, category, reason,
                   sentence_at(text, lo, hi), source)  # fmt: skip

    def _leader(
        self, text: str, name: str, title: str, lo: int, hi: int, page_date: dt.date | None, former: bool
    ) -> Hit | None:
        leader = self.leaders.leaders[name]
        if title in leader.titles or former:
            return None
        current = "、".join(sorted(leader.titles)) or "（已卸任）"
        for past, until in leader.past:
            if past == title:
                if historical(text, lo, hi, until, page_date):
                    return None
                reason = f"领导人职务过时：{name}已于 {until.isoformat()} 不再任{title}（现任：{current}）；如为历史表述可标为误报"
                return self._hit(UNCERTAIN, text, lo, hi, current, "领导人职务", reason, leader.source)
        marks = quoted(text, lo, hi)
        if title in self.leaders.unique_titles and leader.confirmed and not marks:
            reason = f"领导人职务错误：{name}不是{title}（现任：{current}）"
            return self._hit(FAIL, text, lo, hi, current, "领导人职务", reason, leader.source)
        reason = f"领导人职务可能有误：{name}现任{current}，文中写作“{title}”；需人工核实"
        return self._hit(UNCERTAIN, text, lo, hi, current, "领导人职务", reason, leader.source)

    def _removed(
        self, text: str, name: str, title: str, lo: int, hi: int, page_date: dt.date | None, former: bool
    ) -> Hit | None:
        since, source = self.leaders.removed[name]
        if former or historical(text, lo, hi, since, page_date):
            return None
        reason = (
            f"{name}已于 {since.isoformat()} 被开除党籍、撤销职务，文中仍称“{title}”；如为历史报道可标为误报"
        )
        return self._hit(UNCERTAIN, text, lo, hi, "（不应作为现任官员出现）", "落马官员", reason, source)

    def _order(self, text: str, names: list[tuple[str, int, int]]) -> list[Hit]:
        """Names of one group listed together (、 ， 和 between, no sentence end) out of their order."""
        out: list[Hit] = []
        run: list[tuple[str, int, int]] = []
        for item in names + [("", len(text) + _LIST_GAP + 1, 0)]:
            if run and self._listed(text, run[-1][2], item[1]):
                run.append(item)
                continue
            out.extend(self._order_run(text, run))
            run = [item] if item[0] else []
        return out

    def _listed(self, text: str, end: int, start: int) -> bool:
        gap = text[end:start]
        return (
            0 < start - end <= _LIST_GAP
            and not any(c in _STOPS for c in gap)
            and any(c in _LIST_SEPARATORS for c in gap)
        )

    def _order_run(self, text: str, run: list[tuple[str, int, int]]) -> list[Hit]:
        ranked = [(self.leaders.leaders[n], s, e) for n, s, e in run if n in self.leaders.leaders]
        out = []
        for (a, s, _), (b, _, e) in zip(ranked, ranked[1:], strict=False):
            if a.group == b.group and a.order and b.order and a.order > b.order:
                reason = f"领导人排序可能有误：{a.group}中{b.name}应排在{a.name}之前；需人工核实"
                out.append(
                    self._hit(UNCERTAIN, text, s, e, f"{b.name}、{a.name}", "领导人排序", reason, a.source)
                )
        return out


# Entry sources beside the files: the web platform registers the dictionary its administrators maintain
# (gongkai.web.wording). A source returns (version, load): the version keys the cache, ``load()`` gives the
# entries, merged over the built-in and file entries (same phrase: the source wins).
# A leaders source's ``load()`` gives (leaders, titles only one person holds in the region).
EntrySource = Callable[[], tuple[str, Callable[[], Iterable[Entry]]]]
LeaderSource = Callable[[], tuple[str, Callable[[], tuple[Iterable[Leader], Iterable[str]]]]]
_SOURCES: list[EntrySource] = []
_LEADER_SOURCES: list[LeaderSource] = []
_BUILT: dict[tuple[Any, ...], Matcher] = {}


def register_source(source: EntrySource) -> None:
    """Merge the entries of ``source`` into every matcher built from now on (once per source)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def register_leaders_source(source: LeaderSource) -> None:
    """Merge the leaders of ``source`` into every matcher built from now on (once per source)."""
    if source not in _LEADER_SOURCES:
        _LEADER_SOURCES.append(source)


# Allow-list sources: the web platform's 误报 remembered per site. ``source(site_url)`` gives entries
# {phrase, reason, url (prefix), check ('' = every wording check)} for that site.
AllowSource = Callable[[str], list[dict[str, str]]]
_ALLOW_SOURCES: list[AllowSource] = []


def register_allow_source(source: AllowSource) -> None:
    """Add the allow-list entries of ``source`` to the wording checks' parameter ``allow``."""
    if source not in _ALLOW_SOURCES:
        _ALLOW_SOURCES.append(source)


def remembered_allowances(site_url: str, check_id: str) -> list[dict[str, str]]:
    """The registered sources' allow-list entries for ``site_url`` that apply to ``check_id``."""
    out = []
    for source in _ALLOW_SOURCES:
        out.extend(a for a in source(site_url) if a.get("check", "") in ("", check_id))
    return out


def matcher(dictionaries: tuple[str, ...] = (), leaders: tuple[str, ...] = ()) -> Matcher:
    """The matcher over the built-in dictionaries, the administrator's files and the registered sources;
    built once per combination of their versions."""
    sources = [source() for source in _SOURCES]
    leader_sources = [source() for source in _LEADER_SOURCES]
    versions = tuple(version for version, _ in sources + leader_sources)  # type: ignore[operator]
    key = (dictionaries, leaders, versions)
    built = _BUILT.get(key)
    if built is None:
        entries = {e.phrase: e for e in load_entries(dictionaries)}
        for _, load in sources:
            entries.update((e.phrase, e) for e in load())
        people = load_leaders(leaders)
        for _, load_people in leader_sources:
            people = with_leaders(people, *load_people())
        built = Matcher(entries.values(), people)
        if len(_BUILT) >= 16:
            _BUILT.clear()
        _BUILT[key] = built
    return built
