"""Placing numbers when converted text detaches them from their labels, and table 四's layouts.

pdftotext, pdfplumber and flattened pages print table 三's labels apart from its rows of numbers, rows
column by column, labels several at a time; table 四 comes as one row of 15 cells or three tables of 5.
Numbers are placed only when the placement is certain (national row order, row sums, group labels);
otherwise the caller leaves the cells empty with a CELL-AMBIGUOUS doubt.
"""

from __future__ import annotations

import itertools
import re

from gongkai.annual.labels import labels
from gongkai.annual.parse._tokens import _CH5_TOKEN, _best, _fit, _Tok

T3_PATTERNS = labels().t3_rows
_T3_ANY = re.compile("|".join(f"(?:{pat.pattern})" for _key, pat in T3_PATTERNS))  # any row label at all

_HEADER_CHARS = re.compile(r"[自然人法或其他组织商业企业科研机构社会公益律服务总计申请情况]+")


def _header_fragment(t: _Tok) -> bool:
    """A piece of table 三's column headers printed among the rows of a text stream."""
    return t.kind == "label" and t.row == -1 and bool(_HEADER_CHARS.fullmatch(t.norm))


def _t3_keys_in(run: str, labels: list[_Tok]) -> list[str]:
    """The table 三 rows a label run names, in reading order (several when labels were printed together).

    Each label is matched on its own (`3.其他`, `（七）总计` are whole labels), then the joined run for a
    label split over lines, whose row comes last.
    """
    keys: list[str] = []
    for t in labels:
        if not _T3_ANY.search(t.norm):
            continue
        hit = _best(T3_PATTERNS, t.norm)
        if hit is not None and hit[0] not in keys:
            keys.append(hit[0])
    hit = _best(T3_PATTERNS, run)
    if hit is not None and hit[0] not in keys:
        keys.append(hit[0])
    if "other" in keys and any(k.startswith("other.") for k in keys):
        keys.remove("other")  # （六）其他处理 is then the group header over its sub-rows
    return keys


def _order_rows(toks: list[_Tok], lo: int, hi: int) -> list[list[_Tok]] | None:
    """Runs of numbers cut into rows of 7, row by row or (pdftotext) column by column.

    Row by row is the rule. pdftotext prints a block of k rows as seven paragraphs (blank lines between)
    of k numbers, one a line: such a block is read column by column, and only when every row's six
    applicant columns then add up to its total; anything else is undecidable (None).
    """
    rows: list[list[_Tok]] = []
    run: list[_Tok] = []
    for t in [*toks[lo:hi], None]:
        if t is not None and t.kind == "value":
            run.append(t)
            continue
        if t is not None and _header_fragment(t):
            continue
        if run:
            got = _run_rows(run)
            if got is None:
                return None
            rows += got
        run = []
    return rows


def _run_rows(run: list[_Tok]) -> list[list[_Tok]] | None:
    if run[0].line == -1 or len({v.line for v in run}) < len(run):
        return [run[i : i + 7] for i in range(0, len(run), 7)] if len(run) % 7 == 0 else None
    paras: list[list[_Tok]] = [[run[0]]]
    for prev, v in itertools.pairwise(run):
        if v.line == prev.line + 1:
            paras[-1].append(v)
        else:
            paras.append([v])
    rows: list[list[_Tok]] = []
    single: list[_Tok] = []
    i = 0
    while i < len(paras):
        k = len(paras[i])
        block = paras[i : i + 7]
        if k > 1 and len(block) == 7 and all(len(p) == k for p in block):
            if len(single) % 7:
                return None
            by_col = [[block[j][r] for j in range(7)] for r in range(k)]
            if not _sums_hold(by_col):
                return None
            rows += [single[n : n + 7] for n in range(0, len(single), 7)] + by_col
            single = []
            i += 7
            continue
        single += paras[i]
        i += 1
    if len(single) % 7:
        return None
    return rows + [single[n : n + 7] for n in range(0, len(single), 7)]


def _sums_hold(rows: list[list[_Tok]]) -> bool:
    return all(sum(v.value for v in r[:6]) == r[6].value for r in rows)  # type: ignore[misc]


def _same(a: list[list[_Tok]], b: list[list[_Tok]]) -> bool:
    return [[v.value for v in r] for r in a] == [[v.value for v in r] for r in b]


_SUB_ROW = re.compile(r"逾期不补正|不补正、|缴纳费用|收费通知要求")
_T3_HEAD = re.compile(r"^三、收到|勾稽|申请人情况")
_T4_GROUP_WORDS = (
    ("litigation_direct", "直接起诉"),
    ("litigation_after_review", "复议后起诉"),
    ("review", "行政复议"),
)


def _t4_runs(toks: list[_Tok], start: int) -> list[tuple[str, list[_Tok]]]:
    """(labels before, value cells) runs of table 四, up to chapter 五 or running text."""
    runs: list[tuple[str, list[_Tok]]] = []
    labels_text, values = "", []
    count = 0
    for i in range(start, len(toks)):
        t = toks[i]
        if t.kind != "label":
            values.append(t)
            continue
        if i > start and (_CH5_TOKEN.match(t.norm) or len(t.norm) > 40):
            break
        if any(v.kind == "value" for v in values):
            runs.append((labels_text, values))
            count += sum(1 for v in values if v.kind == "value")
            labels_text, values = "", []
            if len(runs[0][1]) >= 15 or count >= 15:
                return runs
        elif values:
            values = []
        labels_text += t.norm
    if any(v.kind == "value" for v in values) or (values and not runs):
        runs.append((labels_text, values))  # a blank table (the national template) is 15 blank cells
    return runs


def _t4_groups(runs: list[tuple[str, list[_Tok]]]) -> list[_Tok] | None:
    """Three tables of 5 cells each, placed by their group labels (else in the national order).

    None when the numbers do not fall into three clean groups of five (pdftotext scattering them
    among the header words): which number is which cell is then our doubt, not the report's error.
    """
    if len(runs) != 3:
        return None
    groups: dict[str, list[_Tok]] = {}
    order = ("review", "litigation_direct", "litigation_after_review")
    for n, (text, values) in enumerate(runs):
        named = [g for g, word in _T4_GROUP_WORDS if word in text]
        litigation = [g for g in named if g != "review"]
        if len(litigation) > 1:
            return None
        group = litigation[0] if litigation else ("review" if named else order[n])
        vals = _fit(values, 5)
        if group in groups or len(vals) != 5:
            return None
        groups[group] = vals
    return [v for g in order for v in groups[g]]
