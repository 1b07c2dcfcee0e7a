"""The document-class data file (vocab/document_classes.yaml): which column holds which class of
document (规范性文件 vs 其他文件), the kinds of meeting, the names of catalogue classifications.

Read by the checks document.misfiled and catalogue.classification; validated like the other data
files (JSON schema, Chinese problems with lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gongkai.frameworks.datafile import line_of, load_data_file
from gongkai.frameworks.schema import FrameworkError, Problem

_TEXT = {"type": "string", "minLength": 1}
_STRINGS = {"type": "array", "items": _TEXT}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "classes", "meetings", "classifications"],
    "additionalProperties": False,
    "properties": {
        "version": _TEXT,
        "source": _TEXT,
        "classes": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["label", "column_kinds", "column_names"],
                "additionalProperties": False,
                "properties": {
                    "label": _TEXT,
                    "column_kinds": _STRINGS,
                    "column_names": _STRINGS,
                    "category_words": _STRINGS,
                    "number_patterns": _STRINGS,
                    "title_words": _STRINGS,
                    "validity": {"type": "boolean"},
                },
            },
        },
        "meetings": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["column_names", "title_words"],
                "additionalProperties": False,
                "properties": {"column_names": _STRINGS, "title_words": _STRINGS},
            },
        },
        "relay_words": _STRINGS,
        "classifications": {"type": "object", "additionalProperties": _STRINGS},
    },
}


@dataclass(frozen=True)
class DocumentClass:
    """One class of document and the evidence that names it."""

    id: str
    label: str
    column_kinds: tuple[str, ...]
    column_names: tuple[str, ...]
    category_words: tuple[str, ...] = ()
    number_patterns: tuple[re.Pattern[str], ...] = ()
    title_words: tuple[str, ...] = ()
    validity: bool = False


@dataclass(frozen=True)
class Meeting:
    name: str
    column_names: tuple[str, ...]
    title_words: tuple[str, ...]


@dataclass(frozen=True)
class DocumentClasses:
    classes: tuple[DocumentClass, ...]
    meetings: tuple[Meeting, ...]
    relay_words: tuple[str, ...]
    classifications: dict[str, tuple[str, ...]]


def _compile(
    pattern: str, where: tuple[Any, ...], lines: dict[tuple[Any, ...], int], problems: list[Problem]
):
    try:
        return re.compile(pattern)
    except re.error as exc:
        problems.append(Problem(line_of(lines, where), f"正则表达式无效：{pattern}（{exc}）"))
        return re.compile(re.escape(pattern))


@lru_cache(maxsize=8)
def document_classes(name_or_path: str = "document_classes") -> DocumentClasses:
    """The data file by name (vocab/<name>.yaml) or path; FrameworkError with lines on errors."""
    data, lines = load_data_file(name_or_path, SCHEMA)
    problems: list[Problem] = []
    classes = []
    for cid, raw in data["classes"].items():
        patterns = tuple(
            _compile(p, ("classes", cid, "number_patterns", i), lines, problems)
            for i, p in enumerate(raw.get("number_patterns", []))
        )
        classes.append(
            DocumentClass(
                cid,
                raw["label"],
                tuple(raw["column_kinds"]),
                tuple(raw["column_names"]),
                tuple(raw.get("category_words", [])),
                patterns,
                tuple(raw.get("title_words", [])),
                bool(raw.get("validity", False)),
            )
        )
    if problems:
        raise FrameworkError(str(name_or_path), problems)
    meetings = tuple(
        Meeting(name, tuple(raw["column_names"]), tuple(raw["title_words"]))
        for name, raw in data["meetings"].items()
    )
    kinds = {name: tuple(words) for name, words in data["classifications"].items()}
    return DocumentClasses(tuple(classes), meetings, tuple(data.get("relay_words", [])), kinds)
