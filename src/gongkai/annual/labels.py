"""The label variants of labels.yaml, loaded once and compiled (table 三/二 rows, table 二 evidence, chapters)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LABELS_FILE = Path(__file__).with_name("labels.yaml")


@dataclass(frozen=True)
class Labels:
    t3_rows: tuple[tuple[str, re.Pattern[str]], ...]
    t2_rows: dict[str, tuple[tuple[str, re.Pattern[str], int], ...]]  # format -> (key, pattern, cells)
    t2_evidence: dict[str, tuple[str, ...]]
    chapters: tuple[re.Pattern[str], ...]  # one per chapter: its key phrases


def _alt(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def labels() -> Labels:
    data = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    t3 = tuple((key, _alt(pats)) for key, pats in data["t3_rows"].items())
    t2 = {
        fmt: tuple((key, _alt(row["patterns"]), int(row["cells"])) for key, row in rows.items())
        for fmt, rows in data["t2_rows"].items()
    }
    evidence = {fmt: tuple(words) for fmt, words in data["t2_evidence"].items()}
    chapters = tuple(_alt([re.escape(w) for w in words]) for words in data["chapters"])
    return Labels(t3, t2, evidence, chapters)


__all__ = ["LABELS_FILE", "Labels", "labels"]
