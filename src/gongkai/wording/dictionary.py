"""The wording dictionaries: versioned data files of wrong phrases and of leaders' names and titles.

Built-in files live in ``frameworks/data/vocab/wording/`` (serious.yaml, nonstandard.yaml, typo.yaml,
leaders.yaml); an administrator's own files, in the same format, are merged over them. Files are read
with ``frameworks.datafile`` (JSON schema, line-precise Chinese errors) and checked semantically (an
unknown ``{VAR}``, an ``except`` that does not contain its phrase, a bad date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.frameworks.datafile import line_of, load_data_file
from gongkai.frameworks.schema import FrameworkError, Problem

SEVERITIES = {"serious": "严重表述错误", "nonstandard": "不规范表述", "typo": "错别字"}
BUILTIN = {"serious": "wording/serious", "nonstandard": "wording/nonstandard", "typo": "wording/typo"}
LEADERS = "wording/leaders"

_TEXT = {"type": "string", "minLength": 1}
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_DATE: dict[str, Any] = {}  # a YAML date or "YYYY-MM-DD", checked by _date

ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "entries"],
    "additionalProperties": False,
    "properties": {
        "version": _TEXT,
        "source": _TEXT,
        "severity": {"enum": list(SEVERITIES)},
        "vars": {"type": "object", "additionalProperties": {**_STRINGS, "minItems": 1}},
        "entries": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["phrase", "correct", "category", "source"],
                "additionalProperties": False,
                "properties": {
                    "phrase": _TEXT,
                    "correct": _TEXT,
                    "category": _TEXT,
                    "severity": {"enum": list(SEVERITIES)},
                    "must_not_use": {"type": "boolean"},
                    "source": _TEXT,
                    "until": _DATE,
                    "except": _STRINGS,
                    "note": {"type": "string"},
                },
            },
        },
    },
}

_PAST = {
    "type": "object",
    "required": ["title", "until"],
    "additionalProperties": False,
    "properties": {"title": _TEXT, "until": _DATE},
}
LEADERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version"],
    "additionalProperties": False,
    "properties": {
        "version": _TEXT,
        "as_of": _DATE,
        "source": _TEXT,
        "unique_titles": _STRINGS,
        "ambiguous_titles": _STRINGS,
        "removed_titles": _STRINGS,
        "leaders": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "group", "source"],
                "additionalProperties": False,
                "properties": {
                    "name": _TEXT,
                    "group": _TEXT,
                    "order": {"type": "integer", "minimum": 1},
                    "titles": _STRINGS,
                    "past": {"type": "array", "items": _PAST},
                    "confirmed": {"type": "boolean"},
                    "source": _TEXT,
                },
            },
        },
        "removed": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "since", "source"],
                "additionalProperties": False,
                "properties": {"name": _TEXT, "since": _DATE, "source": _TEXT},
            },
        },
    },
}


@dataclass(frozen=True)
class Entry:
    """One wrong or outdated phrase and what to write instead."""

    phrase: str
    correct: str
    category: str
    severity: str  # serious | nonstandard | typo
    source: str
    must_not_use: bool = False  # an exact match is a FAIL (serious only)
    until: dt.date | None = None  # the phrase was right before this date (historical mentions are fine)
    exceptions: tuple[str, ...] = ()  # longer right phrases that contain this one
    origin: str = ""  # file and line

    @property
    def label(self) -> str:
        return SEVERITIES[self.severity]


@dataclass(frozen=True)
class Leader:
    name: str
    group: str
    order: int | None
    titles: frozenset[str]
    past: tuple[tuple[str, dt.date], ...]
    confirmed: bool
    source: str


@dataclass(frozen=True)
class Leaders:
    leaders: dict[str, Leader] = field(default_factory=dict)
    removed: dict[str, tuple[dt.date, str]] = field(default_factory=dict)
    unique_titles: frozenset[str] = frozenset()
    ambiguous_titles: frozenset[str] = frozenset()
    removed_titles: frozenset[str] = frozenset()

    @property
    def titles(self) -> frozenset[str]:
        """Every title a name can be tested against."""
        own = {t for ld in self.leaders.values() for t in ld.titles}
        past = {t for ld in self.leaders.values() for t, _ in ld.past}
        return frozenset(own | past | self.unique_titles | self.ambiguous_titles)


_VAR = re.compile(r"\{([A-Z]+)\}")


def _expand(phrase: str, correct: str, variables: Mapping[str, list[str]]) -> Iterable[tuple[str, str]]:
    names = sorted(set(_VAR.findall(phrase)) | set(_VAR.findall(correct)))
    if not names:
        yield phrase, correct
        return
    for values in itertools.product(*(variables[n] for n in names)):
        bound = dict(zip(names, values, strict=True))

        def sub(text: str, bound: dict[str, str] = bound) -> str:
            return _VAR.sub(lambda m: bound[m.group(1)], text)

        yield sub(phrase), sub(correct)


def _entries(name_or_path: str | Path, default_severity: str | None) -> list[Entry]:
    data, lines = load_data_file(name_or_path, ENTRY_SCHEMA)
    variables = data.get("vars", {})
    problems: list[Problem] = []
    out: list[Entry] = []
    for i, raw in enumerate(data["entries"]):
        line = line_of(lines, ("entries", i))
        severity = raw.get("severity") or data.get("severity") or default_severity
        unknown = [v for v in _VAR.findall(raw["phrase"] + raw["correct"]) if v not in variables]
        if severity is None:
            problems.append(Problem(line, "未写明严重程度（severity：serious / nonstandard / typo）"))
            continue
        if unknown:
            problems.append(
                Problem(line, f"未定义的变量：{'、'.join(sorted(set(unknown)))}（在 vars 中定义）")
            )
            continue
        if raw.get("must_not_use") and severity != "serious":
            problems.append(Problem(line, "只有严重表述错误（serious）的条目可以设为禁用词 must_not_use"))
        until = _date(raw["until"], lines, ("entries", i, "until"), problems) if raw.get("until") else None
        for phrase, correct in _expand(raw["phrase"], raw["correct"], variables):
            exceptions = tuple(raw.get("except", []))
            bad = [x for x in exceptions if phrase not in x]
            if bad:
                problems.append(Problem(line, f"例外写法「{'」「'.join(bad)}」不含本条词语「{phrase}」"))
            if phrase == correct:
                problems.append(Problem(line, f"错误写法与建议写法相同：「{phrase}」"))
            out.append(
                Entry(phrase, correct, raw["category"], severity, raw["source"],
                      bool(raw.get("must_not_use")), until, exceptions, f"{name_or_path} 第 {line} 行")
            )  # fmt: skip
    if problems:
        raise FrameworkError(str(name_or_path), problems)
    return out


@lru_cache(maxsize=32)
def load_entries(extra: tuple[str, ...] = ()) -> tuple[Entry, ...]:
    """The built-in entries of the three severities, then the entries of each extra file (each entry
    names its severity, or the file does at top level); a later entry of the same phrase wins."""
    by_phrase: dict[str, Entry] = {}
    for severity, name in BUILTIN.items():
        for entry in _entries(name, severity):
            by_phrase[entry.phrase] = entry
    for path in extra:
        for entry in _entries(path, None):
            by_phrase[entry.phrase] = entry
    return tuple(by_phrase.values())


def _date(
    value: object, lines: Mapping[tuple[Any, ...], int], where: tuple[Any, ...], problems: list[Problem]
) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(Problem(line_of(lines, where), f"日期无效：{value}"))
        return dt.date.min


def _merge_leaders(base: Leaders, name_or_path: str | Path) -> Leaders:
    data, lines = load_data_file(name_or_path, LEADERS_SCHEMA)
    problems: list[Problem] = []
    leaders = dict(base.leaders)
    for i, raw in enumerate(data.get("leaders", [])):
        past = tuple(
            (p["title"], _date(p["until"], lines, ("leaders", i, "past", j, "until"), problems))
            for j, p in enumerate(raw.get("past", []))
        )
        leaders[raw["name"]] = Leader(
            raw["name"], raw["group"], raw.get("order"), frozenset(raw.get("titles", [])), past,
            bool(raw.get("confirmed", True)), raw["source"],
        )  # fmt: skip
    removed = dict(base.removed)
    for i, raw in enumerate(data.get("removed", [])):
        removed[raw["name"]] = (_date(raw["since"], lines, ("removed", i, "since"), problems), raw["source"])
    both = sorted(set(leaders) & set(removed))
    if both:
        problems.append(Problem(0, f"同一人既在现任名单又在 removed 名单：{'、'.join(both)}"))
    if problems:
        raise FrameworkError(str(name_or_path), problems)
    return Leaders(
        leaders,
        removed,
        base.unique_titles | frozenset(data.get("unique_titles", [])),
        base.ambiguous_titles | frozenset(data.get("ambiguous_titles", [])),
        base.removed_titles | frozenset(data.get("removed_titles", [])),
    )


@lru_cache(maxsize=32)
def load_leaders(extra: tuple[str, ...] = ()) -> Leaders:
    """The national leadership (built-in) merged with the administrator's files (province, city)."""
    leaders = _merge_leaders(Leaders(), LEADERS)
    for path in extra:
        leaders = _merge_leaders(leaders, path)
    return leaders


def with_leaders(base: Leaders, extra: Iterable[Leader], unique_titles: Iterable[str] = ()) -> Leaders:
    """``base`` with ``extra`` leaders added or replaced by name (the web platform's list of the province's
    and city's leaders) and their titles that only one person holds in the region."""
    leaders = dict(base.leaders)
    leaders.update((leader.name, leader) for leader in extra)
    removed = {name: why for name, why in base.removed.items() if name not in leaders}
    unique = base.unique_titles | frozenset(unique_titles)
    return dataclasses.replace(base, leaders=leaders, removed=removed, unique_titles=unique)
