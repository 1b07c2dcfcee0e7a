"""索引号 patterns by region and footer identity forms: versioned data files read by the checks.

``index_rules()`` reads ``vocab/index_patterns.yaml`` and ``footer_forms()`` reads
``vocab/footer_forms.yaml`` (or an administrator's file by path). Both are validated the way
frameworks are (JSON schema, line-precise Chinese errors) and then checked semantically: every
regex compiles and every listed real example matches its own entry, so a data file that would
call a real 索引号 or footer invalid does not load.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.frameworks.datafile import line_of, load_data_file
from gongkai.frameworks.schema import FrameworkError, Problem

_STRINGS = {"type": "array", "items": {"type": "string"}}
_TEXT = {"type": "string", "minLength": 1}

INDEX_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "malformed", "patterns"],
    "additionalProperties": False,
    "properties": {
        "version": _TEXT,
        "source": _TEXT,
        "malformed": {
            "type": "object",
            "required": ["placeholders", "tokens", "truncated", "min_chars"],
            "additionalProperties": False,
            "properties": {
                "placeholders": _STRINGS,
                "labels": _STRINGS,
                "tokens": _STRINGS,
                "truncated": _STRINGS,
                "min_chars": {"type": "integer", "minimum": 1},
            },
        },
        "patterns": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "name", "regions", "regex", "examples", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*$"},
                    "name": _TEXT,
                    "regions": {**_STRINGS, "minItems": 1},
                    "regex": _TEXT,
                    "examples": {**_STRINGS, "minItems": 1},
                    "source": _TEXT,
                },
            },
        },
    },
}

FOOTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "elements", "marks"],
    "additionalProperties": False,
    "properties": {
        "version": _TEXT,
        "source": _TEXT,
        "elements": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "patterns", "examples", "source"],
                "additionalProperties": False,
                "properties": {
                    "name": _TEXT,
                    "patterns": {**_STRINGS, "minItems": 1},
                    "weak": _STRINGS,
                    "examples": {**_STRINGS, "minItems": 1},
                    "source": _TEXT,
                },
            },
        },
        "marks": {
            "type": "object",
            "required": ["element", "patterns"],
            "additionalProperties": False,
            "properties": {
                "element": _TEXT,
                "patterns": {**_STRINGS, "minItems": 1},
                "weak": _STRINGS,
                "source": _TEXT,
            },
        },
    },
}

_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "－": "-", "／": "/"})


def normalize(text: str) -> str:
    """Half-width (NFKC), one kind of dash, single spaces: the form the patterns are written for."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split())


@dataclass(frozen=True)
class IndexPattern:
    """One known way of writing a 索引号, with the regions it was seen in."""

    id: str
    name: str
    regions: tuple[str, ...]
    regex: re.Pattern[str]
    source: str


@dataclass(frozen=True)
class IndexVerdict:
    """What a 索引号 is: ``ok`` (a known pattern), ``other`` (known, but not for the regions asked),
    ``unknown`` (plausible, no known pattern) or ``malformed`` (certainly not a 索引号)."""

    kind: str
    reason: str = ""
    pattern: IndexPattern | None = None
    year: int | None = None


@dataclass(frozen=True)
class IndexRules:
    """The 索引号 data file, loaded: patterns and the tests for certainly malformed values."""

    version: str
    patterns: tuple[IndexPattern, ...]
    placeholders: frozenset[str]
    tokens: tuple[str, ...]
    truncated: tuple[re.Pattern[str], ...]
    min_chars: int
    labels: frozenset[str] = frozenset()

    def allowed(self, regions: tuple[str, ...] = ()) -> tuple[IndexPattern, ...]:
        """The patterns of ``regions`` (all when empty)."""
        if not regions:
            return self.patterns
        wanted = set(regions)
        return tuple(p for p in self.patterns if wanted & set(p.regions))

    def malformed(self, number: str) -> str:
        """Why ``number`` is certainly not a 索引号 ('' when it may be one)."""
        compact = "".join(normalize(number).split())
        if compact.lower() in self.placeholders or not re.sub(r"[\W_]", "", compact):
            return "为占位值"
        token = next((t for t in self.tokens if t in compact), "")
        if token:
            return f"含有程序空值或模板变量「{token}」"
        if len(re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", compact)) < self.min_chars:
            return "过短，不成编号"
        if any(p.search(compact.upper()) for p in self.truncated):
            return "明显不完整（缺少序号或以分隔符结尾）"
        return ""

    def classify(self, number: str, regions: tuple[str, ...] = (), extra: str = "") -> IndexVerdict:
        """Classify ``number`` against the patterns of ``regions`` (plus ``extra``, a regex)."""
        compact = "".join(normalize(number).split())
        if compact in self.labels:
            return IndexVerdict("unknown", "是元数据的标签文字，可能是表头被读成了值")
        why = self.malformed(number)
        if why:
            return IndexVerdict("malformed", why)
        own = [re.compile(extra, re.IGNORECASE)] if extra else []
        for regex in own:
            match = regex.match(compact)
            if match:
                return IndexVerdict("ok", "符合指标体系规定的编制规则", year=_year(match))
        allowed = () if extra and not regions else self.allowed(regions)
        for pattern in allowed:
            match = pattern.regex.match(compact)
            if match:
                return IndexVerdict("ok", pattern.name, pattern, _year(match))
        for pattern in self.patterns:
            if pattern not in allowed and pattern.regex.match(compact):
                return IndexVerdict("other", f"符合{pattern.name}的写法", pattern)
        return IndexVerdict("unknown", "未见于已收录的任何写法")


def _year(match: re.Match[str]) -> int | None:
    return int(match.group("y")) if "y" in match.re.groupindex and match.group("y") else None


def _compile(pattern: str, where: tuple[Any, ...], lines: dict, problems: list[Problem]) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        problems.append(Problem(line_of(lines, where), f"正则表达式无法编译：{exc}"))
        return re.compile(r"(?!)")


def _path(name_or_path: str | Path) -> str:
    return str(name_or_path)


@lru_cache(maxsize=8)
def index_rules(name_or_path: str = "index_patterns") -> IndexRules:
    """The 索引号 data file by name (vocab/<name>.yaml) or path; FrameworkError with lines on errors."""
    data, lines = load_data_file(name_or_path, INDEX_SCHEMA)
    problems: list[Problem] = []
    bad = data["malformed"]
    truncated = tuple(
        _compile(p, ("malformed", "truncated", i), lines, problems) for i, p in enumerate(bad["truncated"])
    )
    patterns = []
    for i, entry in enumerate(data["patterns"]):
        regex = _compile(entry["regex"], ("patterns", i, "regex"), lines, problems)
        pattern = IndexPattern(entry["id"], entry["name"], tuple(entry["regions"]), regex, entry["source"])
        patterns.append(pattern)
        for j, example in enumerate(entry["examples"]):
            if not regex.match("".join(normalize(example).split())):
                problems.append(
                    Problem(
                        line_of(lines, ("patterns", i, "examples", j)), f"实例「{example}」不符合本条规则"
                    )
                )
    rules = IndexRules(
        str(data["version"]),
        tuple(patterns),
        frozenset(p.lower() for p in bad["placeholders"]),
        tuple(bad["tokens"]),
        truncated,
        int(bad["min_chars"]),
        frozenset("".join(normalize(x).split()) for x in bad.get("labels", [])),
    )
    for i, entry in enumerate(data["patterns"]):
        for j, example in enumerate(entry["examples"]):
            why = rules.malformed(example)
            if why:
                where = ("patterns", i, "examples", j)
                problems.append(Problem(line_of(lines, where), f"实例「{example}」被判为{why}"))
    if problems:
        raise FrameworkError(_path(name_or_path), problems)
    return rules


@dataclass(frozen=True)
class FooterElement:
    """One identity element of the footer: the forms that show it, and the weak forms (a label only)."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]

    def find(self, text: str) -> str:
        """'strong', 'weak' or '' for the normalised footer ``text``."""
        if any(p.search(text) for p in self.patterns):
            return "strong"
        if any(p.search(text) for p in self.weak):
            return "weak"
        return ""


@dataclass(frozen=True)
class FooterForms:
    """The footer data file, loaded: the elements in order and the 党政机关 mark's forms in HTML."""

    version: str
    elements: dict[str, FooterElement]
    mark_element: str
    marks: re.Pattern[str]
    weak_marks: re.Pattern[str] | None = None  # an image that may be the mark, unlinked: not proven absent


@lru_cache(maxsize=8)
def footer_forms(name_or_path: str = "footer_forms") -> FooterForms:
    """The footer data file by name (vocab/<name>.yaml) or path; FrameworkError with lines on errors."""
    data, lines = load_data_file(name_or_path, FOOTER_SCHEMA)
    problems: list[Problem] = []
    elements: dict[str, FooterElement] = {}
    for i, entry in enumerate(data["elements"]):
        strong = tuple(
            _compile(p, ("elements", i, "patterns", j), lines, problems)
            for j, p in enumerate(entry["patterns"])
        )
        weak = tuple(
            _compile(p, ("elements", i, "weak", j), lines, problems)
            for j, p in enumerate(entry.get("weak", []))
        )
        element = FooterElement(entry["name"], strong, weak)
        elements[element.name] = element
        for j, example in enumerate(entry["examples"]):
            if element.find(normalize(example)) != "strong":
                where = ("elements", i, "examples", j)
                problems.append(Problem(line_of(lines, where), f"实例「{example}」未被本项的写法识别"))
    marks = data["marks"]
    if marks["element"] not in elements:
        problems.append(
            Problem(line_of(lines, ("marks", "element")), f"没有名为「{marks['element']}」的标识项")
        )
    alternatives = "|".join(f"(?:{p})" for p in marks["patterns"])
    regex = _compile(alternatives, ("marks", "patterns"), lines, problems)
    weak = "|".join(f"(?:{p})" for p in marks.get("weak", []))
    weak_regex = _compile(weak, ("marks", "weak"), lines, problems) if weak else None
    if problems:
        raise FrameworkError(_path(name_or_path), problems)
    return FooterForms(str(data["version"]), elements, marks["element"], regex, weak_regex)
