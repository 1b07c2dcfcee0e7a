"""What a task's evidence source (a check id or an annual-report figure) is called in Chinese.

Stored as codes (``interpretation.missing``, ``年报:t2.regulations.made``) so evidence lookups stay exact; shown,
exported and accepted back in the 任务分解表 under their Chinese names, which is what the office writes.
"""

from __future__ import annotations

from functools import cache

from gongkai.annual.model import T2_KEYS, T3_COLUMNS, T3_KEYS_2021, T4_KEYS, cell_label
from gongkai.checks.registry import REGISTRY
from gongkai.web.evaluation.review import check_title

ANNUAL_PREFIX = "年报:"


def source_label(source: str) -> str:
    """The Chinese name of a stored evidence source ('' stays '')."""
    if source.startswith(ANNUAL_PREFIX):
        return "年报" + cell_label(source[len(ANNUAL_PREFIX) :])
    return check_title(source) if source in REGISTRY else source


@cache
def _codes_by_label() -> dict[str, str]:
    """Chinese name -> code, for every check and annual-report figure (names shared by two codes left out)."""
    figures = [
        *(f"t2.{key}" for key in T2_KEYS),
        *(f"t3.{row}.{column}" for row in T3_KEYS_2021 for column in T3_COLUMNS),
        *(f"t4.{key}" for key in T4_KEYS),
    ]
    codes = [*REGISTRY, *(ANNUAL_PREFIX + figure for figure in figures)]
    by_label: dict[str, list[str]] = {}
    for code in codes:
        by_label.setdefault(source_label(code), []).append(code)
    return {label: found[0] for label, found in by_label.items() if len(found) == 1}


def source_code(text: str) -> str:
    """The stored code for what a user wrote: a Chinese name from the export, or the code itself."""
    return _codes_by_label().get(text.strip(), text.strip())
