"""Recover tables from flattened text, where cell boundaries were lost (`…申请数量801000081二、…`).

A row's digits are split into cells only when exactly one split satisfies the table's own sums
(table 三: six applicant columns add up to 总计; table 四: four results add up to 总计 per group;
one-cell rows of table 二). Anything else stays blank with a note saying which row is ambiguous.
Recovered tables are listed in `report.recovered`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from gongkai.annual.model import T2_KEYS, T2_LABELS, T3_KEYS_2019, T3_KEYS_2021, T3_LABELS, AnnualReport
from gongkai.annual.parse._core import note_missing_rows, t2_format

_QUOTES = str.maketrans("", "", "“”\"'‘’")
_MAX_STEPS = 200_000


def flat_norm(text: str) -> str:
    """NFKC, no quotes, spaces kept only between two digits (they are cell boundaries there)."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"(?<=\D)\s+|\s+(?=\D)", "", t)


def _label_regex(label: str) -> str:
    lab = flat_norm(label)
    m = re.match(r"(\d)[.、]", lab)
    if m:
        return r"\d[.、]" + re.escape(lab[2:])
    return re.escape(lab)


_GROUPS = ["三、本年度办理结果", "(三)不予公开", "(四)无法提供", "(五)不予处理"]


def _t3_pattern() -> re.Pattern[str]:
    parts = [f"(?P<k{i}>{_label_regex(T3_LABELS[k])})" for i, k in enumerate(T3_KEYS_2021)]
    parts.append(f"(?P<other>{re.escape(flat_norm('（六）其他处理'))})")
    parts += [re.escape(flat_norm(g)) for g in _GROUPS]
    return re.compile("|".join(parts))


_T3_RE = _t3_pattern()
_DIGITS = re.compile(r"[\d ]*\d")


def splits(digits: str, n: int, ok: Callable[[list[int]], bool], limit: int = 2) -> list[list[int]]:
    """Splits (at most `limit` are returned) of `digits` into n integers that pass `ok`.

    A space is a forced boundary; a part is `0` or has no leading zero.
    """
    segments = digits.split()
    found: list[list[int]] = []
    steps = 0

    def rec(seg: int, pos: int, parts: list[int]) -> None:
        nonlocal steps
        steps += 1
        if len(found) >= limit or steps > _MAX_STEPS:
            return
        if seg == len(segments):
            if len(parts) == n and ok(parts):
                found.append(list(parts))
            return
        s = segments[seg]
        if len(parts) >= n:
            return
        for end in range(pos + 1, min(len(s), pos + 7) + 1):
            piece = s[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            parts.append(int(piece))
            if end == len(s):
                rec(seg + 1, 0, parts)
            else:
                rec(seg, end, parts)
            parts.pop()

    rec(0, 0, [])
    return found


def _t3_ok(parts: list[int]) -> bool:
    return sum(parts[:6]) == parts[6]


def _t4_ok(parts: list[int]) -> bool:
    return all(sum(parts[g : g + 4]) == parts[g + 4] for g in (0, 5, 10))


def recover_flat(report: AnnualReport, text: str) -> None:
    """Fill tables 二/三/四 of `report` from flattened text where the split is unique."""
    t = flat_norm(text)
    start = t.find("一、本年新收")
    if start == -1:
        return
    _recover_t2(report, t[:start])
    end = _recover_t3(report, t, start)
    _recover_t4(report, t, end)


def _recover_t3(report: AnnualReport, t: str, start: int) -> int:
    cands: dict[str, list[list[int]]] = {}
    raw: dict[str, str] = {}
    matches = list(_T3_RE.finditer(t, start))
    end = start
    for i, m in enumerate(matches):
        key = _t3_key(m)
        if key is None:
            continue
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(t)
        dm = _DIGITS.match(t, m.end(), stop)
        if not dm:
            continue
        end = dm.end()
        if key in cands:
            continue
        raw[key] = dm.group(0)
        cands[key] = splits(dm.group(0).strip(), 7, _t3_ok, limit=_MAX_CANDS)
        if key == "carried_forward":
            break
    if not cands:
        return end
    keys = T3_KEYS_2019 if "other" in cands and "other.other" not in cands else T3_KEYS_2021
    rows = _resolve(cands, keys)
    for key in keys:
        if key not in cands:
            report.t3[key] = [None] * 7
        elif key in rows:
            report.t3[key] = rows[key]
        else:
            report.t3[key] = [None] * 7
            why = "有多种拆分" if cands[key] else "无法拆分成合计相符的7个数"
            report.doubts.append(
                (f"t3.{key}", f"表三「{T3_LABELS[key]}」行的数字「{raw[key]}」{why}，未能确定各格")
            )
    note_missing_rows(report, [k for k in keys if k not in cands])
    report.formats["t3"] = "2019" if keys is T3_KEYS_2019 else "2021"
    report.recovered.append("t3")
    return end


_MAX_CANDS = 40


def _resolve(cands: dict[str, list[list[int]]], keys: tuple[str, ...]) -> dict[str, list[int]]:
    """Rows whose split is unique, using the column sums of table 三 to settle ambiguous rows."""
    fixed = {k: c[0] for k, c in cands.items() if len(c) == 1}
    open_keys = [k for k, c in cands.items() if 1 < len(c) < _MAX_CANDS]
    if not open_keys or any(k not in cands for k in keys):
        return fixed
    total = 1
    for k in open_keys:
        total *= len(cands[k])
    if total > 100_000 or any(len(cands[k]) == 0 for k in keys):
        return fixed
    outcomes = keys[2:-2]
    good: list[dict[str, list[int]]] = []
    for combo in itertools.product(*(cands[k] for k in open_keys)):
        rows = fixed | dict(zip(open_keys, combo, strict=True))
        if all(
            rows["new_received"][c] + rows["carried_over"][c]
            == rows["total_processed"][c] + rows["carried_forward"][c]
            and sum(rows[k][c] for k in outcomes) == rows["total_processed"][c]
            for c in range(7)
        ):
            good.append(rows)
            if len(good) > 1:
                return fixed
    return good[0] if good else fixed


def _t3_key(m: re.Match[str]) -> str | None:
    if m.lastgroup == "other":
        return "other"
    if m.lastgroup and m.lastgroup.startswith("k"):
        return T3_KEYS_2021[int(m.lastgroup[1:])]
    return None


def _recover_t4(report: AnnualReport, t: str, start: int) -> None:
    head = t.find("复议后起诉", start)
    if head == -1:
        return
    last = t.rfind("总计", head, head + 200)
    if last == -1:
        return
    dm = _DIGITS.match(t, last + 2)
    if not dm:
        return
    found = splits(dm.group(0).strip(), 15, _t4_ok)
    report.formats["t4"] = "2021"
    if len(found) == 1:
        report.t4 = list(found[0])
        report.recovered.append("t4")
    else:
        report.t4 = [None] * 15
        why = "有多种拆分" if found else "无法拆分成合计相符的15个数"
        report.doubts.append(("t4", f"表四的数字「{dm.group(0)}」{why}，未能确定各格"))


_T2_ROWS = (
    ("regulations", r"(?<!行政)(?<!范性)规章", 3),
    ("normative_documents", r"(?:行政)?规范性文件", 3),
    ("licensing", r"行政许可", 1),
    ("punishment", r"行政处罚", 1),
    ("coercion", r"行政强制", 1),
    ("fees", r"行政事业性收费", 1),
)
_RUN = re.compile(r"[\d. ]*\d")


def _recover_t2(report: AnnualReport, t: str) -> None:
    """Table 二 rows of flattened text: a label, then its digits up to the next label.

    A one-cell row takes its whole number (`行政处罚135行政强制54`, `行政事业性收费5949.088667`); a
    three-cell row is split only when the split is certain (spaces between the numbers, or three digits
    such as `000`). An absent row is a blank (CELL-BLANK); digits that split several ways are doubts.
    """
    i = t.find("第二十条第(一)项")
    if i == -1:
        return
    end = t.find("三、收到和处理", i)
    part = t[i : end if end != -1 else len(t)]
    if t2_format(part, {}) == "2019":
        report.formats["t2"] = "2019"  # detected, but its digits are not recovered
        report.doubts.append(("t2", "表二为2019年试行格式，拍平的文字中各格数字无法唯一读出"))
        return
    for key in T2_KEYS:
        report.t2[key] = None
    report.formats["t2"] = "2021"
    for row, pattern, cells in _T2_ROWS:
        label = T2_LABELS[row]
        m = re.search(pattern + r"\s*(" + _RUN.pattern + ")", part)
        if m is None:
            if not re.search(pattern, part):
                report.notes.append((f"t2.{row}", f"表二缺少「{label}」行"))
            else:
                report.doubts.append((f"t2.{row}", f"表二「{label}」行后没有读到数字"))
            continue
        raw = m.group(1).strip()
        values = _t2_values(raw, cells, decimal=row == "fees")
        if values is None:
            report.doubts.append((f"t2.{row}", f"表二「{label}」行的数字「{raw}」有多种拆分，未能确定各格"))
            continue
        for fld, v in zip(_FIELDS[row], values, strict=True):
            report.t2[f"{row}.{fld}"] = v
    report.recovered.append("t2")


_FIELDS = {
    "regulations": ("made", "repealed", "valid"),
    "normative_documents": ("made", "repealed", "valid"),
    "licensing": ("decisions",),
    "punishment": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount_wan",),
}


def _t2_values(raw: str, cells: int, *, decimal: bool) -> list[int | Decimal] | None:
    """The row's numbers when certain, else None."""
    parts = raw.split()
    if cells == 1:
        if len(parts) != 1 or (not decimal and "." in raw) or raw.count(".") > 1:
            return None
        return [Decimal(raw) if decimal else int(raw)]
    if "." in raw:
        return None
    if len(parts) == cells:
        return [int(p) for p in parts]
    if len(parts) == 1 and len(raw) == cells:
        return [int(ch) for ch in raw]
    return None
