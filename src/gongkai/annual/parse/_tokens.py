"""Tokens: one table cell or piece of running text, classified (blank, value, label) and normalised.

Every reader turns its input into `Token`s in reading order; `_runs` groups them into label runs and the
value cells that follow, the unit the table readers work on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.annual.model import Number

BLANKS = frozenset({"", "/", "-", "—", "——", "--", "－", "／", "\\", "—/—", "无", "暂无", "空", "/件"})
_VALUE_RE = re.compile(r"([-+]?\d+(?:\.\d+)?)(件|个|条|项|次|万元|元)?")
_SPACE_RE = re.compile(r"\s+")
_RULE_RE = re.compile(r":?-{3,}:?")  # a Markdown table's header rule cell
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")


@dataclass(frozen=True)
class Token:
    """One cell or piece of text. `row` is the table row id, -1 when rows are unknown (a stream)."""

    text: str
    row: int = -1
    line: int = -1  # line of a whitespace-split word in plain text (-1: unknown)


def norm(text: str) -> str:
    """Normalise a label: NFKC (full width to half width), no spaces or quotes, `1、` -> `1.`."""
    t = unicodedata.normalize("NFKC", text)
    t = _SPACE_RE.sub("", t).translate(_QUOTES).strip("#*>")  # Markdown heading/bold marks
    return re.sub(r"(\d)[、.．]", r"\1.", t)


def classify(text: str) -> tuple[str, Number | None, str]:
    """('blank'|'value'|'label', number, unit) for one token's text."""
    t = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text)).replace(",", "")
    if t in BLANKS or _RULE_RE.fullmatch(t):
        return "blank", None, ""
    m = _VALUE_RE.fullmatch(t)
    if not m:
        return "label", None, ""
    raw = m.group(1)
    try:
        num: Number = int(raw) if "." not in raw else Decimal(raw)
    except (ValueError, InvalidOperation):  # pragma: no cover - regex guarantees digits
        return "label", None, ""
    return "value", num, m.group(2) or ""


_CH5_TOKEN = re.compile(r"^五[、.]")


@dataclass
class _Tok:
    text: str
    row: int
    kind: str
    value: Number | None
    unit: str
    norm: str
    line: int = -1


def _prepare(tokens: list[Token]) -> list[_Tok]:
    out = []
    for t in tokens:
        kind, value, unit = classify(t.text)
        out.append(_Tok(t.text, t.row, kind, value, unit, norm(t.text) if kind == "label" else "", t.line))
    return out


def _find(toks: list[_Tok], start: int, pred) -> int:
    for i in range(start, len(toks)):
        if toks[i].kind == "label" and pred(toks[i].norm):
            return i
    return -1


def _runs(toks: list[_Tok], start: int, end: int):
    """Yield (label run text, last label token, value tokens) between start and end."""
    i = start
    while i < end:
        labels: list[_Tok] = []
        while i < end and toks[i].kind == "label":
            labels.append(toks[i])
            i += 1
        values: list[_Tok] = []
        row = labels[-1].row if labels else -1
        while i < end and toks[i].kind != "label":
            if row != -1 and toks[i].row != row and values:
                break
            values.append(toks[i])
            i += 1
        if labels:
            yield "".join(t.norm for t in labels), labels, values
        elif not values:
            i += 1


def _fit(values: list[_Tok], want: int, leading: bool = True) -> list[_Tok]:
    """Pick `want` cells out of a value run.

    In a row (cells of one table row) or table 四, surplus blanks on the left are merged label cells
    or header padding; in a stream of cells, padding follows the values, so the run is cut on the right.
    """
    vals = list(values)
    if leading:
        while len(vals) > want and vals[0].kind == "blank":
            vals.pop(0)
    return vals[:want]


def _best(patterns, run: str):
    best = None
    for key, pat, *rest in patterns:
        for m in pat.finditer(run):
            score = (m.end(), m.end() - m.start())
            if best is None or score > best[0]:
                best = (score, key, rest)
    return None if best is None else (best[1], *best[2])
