"""From a token stream to an `AnnualReport`: label matching, tables 二/三/四, chapters, metadata.

Every reader (HTML, text, PDF, DOCX, XLSX) turns its input into plain text plus a list of `Token`s in
reading order: a token is one table cell (row id known) or one piece of running text (row -1). The
tables are then found by their labels, matched by normalised meaning, so that the same code reads a
web page, a PDF text layer and a Word table. Tokens live in `_tokens`, the placement of numbers that
converted text detached from their labels in `_layout`, chapters and metadata in `_meta`.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from gongkai.annual.labels import labels
from gongkai.annual.model import (
    CHAPTERS,
    T2_KEYS,
    T2_LABELS,
    T3_COLUMNS,
    T3_KEYS_2019,
    T3_KEYS_2021,
    T3_LABELS,
    T4_KEYS,
    AnnualReport,
    Number,
)
from gongkai.annual.parse._layout import (
    _SUB_ROW,
    _T3_HEAD,
    T3_PATTERNS,
    _header_fragment,
    _order_rows,
    _sums_hold,
    _t3_keys_in,
    _t4_groups,
    _t4_runs,
)
from gongkai.annual.parse._meta import fill_meta, guess_level, split_chapters
from gongkai.annual.parse._tokens import Token, _best, _find, _fit, _prepare, _runs, _Tok, classify, norm

# --- label patterns (on normalised text): labels.yaml ------------------------------------------------
T2_PATTERNS = labels().t2_rows
T2_EVIDENCE = labels().t2_evidence
T2_2019_FIELDS = {
    "regulations": ("new_made", "new_published", "total_published"),
    "normative_documents": ("new_made", "new_published", "total_published"),
    "licensing": ("last_year", "change", "decisions"),
    "other_services": ("last_year", "change", "decisions"),
    "punishment": ("last_year", "change", "decisions"),
    "coercion": ("last_year", "change", "decisions"),
    "fees": ("last_year", "change"),
    "procurement": ("projects", "amount"),
}


def t2_format(header: str, widths: dict[str, int]) -> str:
    """'2019' or '2021' for table 二 from all its evidence: headers, rows, blocks, then row widths.

    One label never decides: the format with more distinct pieces of evidence wins; with none, the
    number of cells in the decision rows (3 in 2019: 上一年项目数量/本年增减/处理决定数量).
    """
    score = {fmt: sum(1 for w in words if w in header) for fmt, words in T2_EVIDENCE.items()}
    if score["2019"] != score["2021"]:
        return "2019" if score["2019"] > score["2021"] else "2021"
    wide = [n for k, n in widths.items() if k in ("licensing", "punishment", "coercion")]
    return "2019" if wide and min(wide) >= 3 else "2021"


_T2_HEADER = re.compile(r"本年制发件数|本年新制作数量|本年处理决定数量")
_CH4_TOKEN = re.compile(
    r"^(?:四\.?、?.*行政复议|[三四五]、(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议|行政复议行政诉讼$)"
)


_T2_NOTE = re.compile(r"\([^()]*\)$")


def _t2_label(run: str) -> str:
    """A 表二 row label without the filling notes a provincial template appends to it
    (`规范性文件(行政机关制定发布的决定、公告…)`, `其他对外管理服务事项(指行政许可以外的…)`)."""
    while len(run) > 12 and _T2_NOTE.search(run):
        run = _T2_NOTE.sub("", run)
    return run


class Builder:
    """Fills an AnnualReport from prepared tokens; collects parse notes."""

    def __init__(self, report: AnnualReport, toks: list[_Tok], stream_blanks: bool) -> None:
        self.r = report
        self.toks = toks
        # In whitespace-split text (PDF text layer) blank cells vanish: a short row is ambiguous.
        self.stream_blanks = stream_blanks

    def note(self, where: str, message: str) -> None:
        self.r.notes.append((where, message))

    def cell(self, tok: _Tok, where: str, *, decimal: bool = False, signed: bool = False) -> Number | None:
        if tok.kind == "blank":
            return None
        if tok.kind != "value" or tok.value is None:
            self.r.invalid[where] = tok.text.strip()
            return None
        value = tok.value
        if tok.unit == "元":
            value = Decimal(value) / Decimal(10000)
        if decimal:
            value = Decimal(value)
        elif isinstance(value, Decimal):
            if value != value.to_integral_value():
                self.r.invalid[where] = tok.text.strip()
                return None
            value = int(value)
        if value < 0 and not signed:
            self.r.invalid[where] = tok.text.strip()
            return None
        return value

    # --- table anchors -------------------------------------------------------------------------
    def anchors(self) -> tuple[int, int, int]:
        toks = self.toks
        t3 = _find(toks, 0, lambda n: "本年新收" in n)
        t2 = _find(toks, 0, lambda n: "第二十条" in n)
        if t2 == -1:  # a table 二 printed without its 第二十条 block rows: its column headers
            t2 = _find(toks, 0, lambda n: len(n) < 40 and bool(_T2_HEADER.search(n)))
        if t3 != -1 and t2 > t3:
            t2 = -1
        t4 = _find(toks, max(t3, 0), lambda n: n == "行政复议" or bool(_CH4_TOKEN.match(n)))
        return t2, t3, t4

    def build(self) -> None:
        t2, t3, t4 = self.anchors()
        end3 = t4 if t4 != -1 else len(self.toks)
        if t2 != -1:
            self.table2(t2, t3 if t3 != -1 else (t4 if t4 != -1 else len(self.toks)))
        if t3 != -1:
            self.table3(t3, end3)
        if t4 != -1:
            self.table4(t4)

    def doubt(self, where: str, message: str) -> None:
        """Our extraction could not decide these cells (CELL-AMBIGUOUS, a warning naming why)."""
        self.r.doubts.append((where, message))

    def table2(self, start: int, end: int) -> None:
        header = "".join(t.norm for t in self.toks[start:end] if t.kind == "label")
        runs = [(run, labels[-1], values) for run, labels, values in _runs(self.toks, start, end) if values]
        widths = {}
        for run, _last, values in runs:
            hit = _best(T2_PATTERNS["2019"], _t2_label(run))
            if hit is not None:
                widths.setdefault(hit[0], sum(1 for v in values if v.kind == "value"))
        fmt = t2_format(header, widths)
        old = fmt == "2019"
        self.r.formats["t2"] = fmt
        found: dict[str, list[Number | None]] = {}
        for run, _last, values in runs:
            hit = _best(T2_PATTERNS[fmt], _t2_label(run))
            if hit is None:
                continue
            key, want = hit
            if key in found:
                continue
            vals = _fit(values, want, leading=_last.row != -1)
            fields = T2_2019_FIELDS[key] if old else _t2_fields(key)
            if len(vals) < want:
                label = T2_LABELS.get(key, key)
                self.doubt(
                    f"t2.{key}", f"表二「{label}」行应有{want}个数，只读到{len(vals)}个，无法确定各数所在的格"
                )
                found[key] = [None] * len(fields)
                continue
            found[key] = [
                self.cell(
                    vals[i],
                    f"t2.{key}.{fld}",
                    decimal=fld in ("amount_wan", "amount"),  # money: 万元 (2021) or 采购总金额 (2019)
                    signed=fld == "change",  # 本年增/减 (2019) may be negative
                )
                for i, fld in enumerate(fields)
            ]
        if old:
            for key, row in found.items():
                for fld, v in zip(T2_2019_FIELDS[key], row, strict=False):
                    self.r.t2_old[f"{key}.{fld}"] = v
            return
        if len(found) < len(T2_LABELS):
            self._t2_by_order(start, end, found)
        for key in T2_KEYS:
            row_key, _, fld = key.partition(".")
            row = found.get(row_key)
            self.r.t2[key] = None if row is None else row[_t2_fields(row_key).index(fld)]
        labels_text = [t.norm for t in self.toks[start:end] if t.kind == "label"]
        for row_key, label in T2_LABELS.items():
            if row_key in found:
                continue
            pat = next(p for k, p, _n in T2_PATTERNS["2021"] if k == row_key)
            if any(pat.search(x) for x in labels_text):
                self.doubt(f"t2.{row_key}", f"表二「{label}」行的标签在文中，但未能确定它的数字")
            else:
                self.note(f"t2.{row_key}", f"表二缺少「{label}」行")

    def _t2_by_order(self, start: int, end: int, found: dict[str, list[Number | None]]) -> None:
        """Rows of a 2021 table 二 placed in the national order when some labels lost their numbers.

        Converted text may print a one-cell row's number before its label (pdftotext). When the table
        holds exactly its 10 numbers and the rows read by label agree with that order, the order wins.
        """
        if any(t.row != -1 for t in self.toks[start:end]):
            return
        stop = next((i for i in range(start, end) if _T3_HEAD.search(self.toks[i].norm)), end)
        values = [t for t in self.toks[start:stop] if t.kind == "value"]
        if len(values) != 10:
            return
        rows, pos = {}, 0
        for key in T2_LABELS:
            fields = _t2_fields(key)
            toks = values[pos : pos + len(fields)]
            pos += len(fields)
            rows[key] = [
                self.cell(v, f"t2.{key}.{f}", decimal=f == "amount_wan")
                for v, f in zip(toks, fields, strict=True)
            ]
        if any(rows[k] != v for k, v in found.items()):
            return
        found.update(rows)
        self.r.doubts = [d for d in self.r.doubts if not d[0].startswith("t2")]

    def table3(self, start: int, end: int) -> None:
        found: dict[str, list[int | None]] = {}
        taken: dict[str, list[_Tok]] = {}  # the number tokens each row was read from
        # in a stream, fragments of the column headers (总计, 社会 公益 组织) printed among the rows are no labels
        toks = [t for t in self.toks[start:end] if not _header_fragment(t)]
        for run, names, values in _runs(toks, 0, len(toks)):
            if not values:
                continue
            _last = names[-1]
            # labels printed together only happen in a text stream (cells of a real table carry their row)
            keys = (
                [k for k in _t3_keys_in(run, names) if k not in found]
                if _last.row == -1 and len(names) > 1
                else []
            )
            if len(keys) > 1:
                rows = [values[7 * n : 7 * n + 7] for n in range(len(keys))]
                if all(len(r) == 7 and all(v.kind == "value" for v in r) for r in rows) and _sums_hold(rows):
                    # labels printed together, then their rows in the same order (each row adds up)
                    for key, row in zip(keys, rows, strict=True):
                        found[key] = self.t3_row(key, row, leading=False)
                else:  # which label the numbers belong to would be our guess: none is placed
                    for key in keys:
                        found[key] = [None] * 7
                        self.doubt(
                            f"t3.{key}",
                            f"表三「{T3_LABELS[key]}」行与相邻行的标签印在一起，无法确定哪些数字属于它",
                        )
                continue
            hit = _best(T3_PATTERNS, run)
            if hit is None:
                hit = _fuzzy_t3(_last.norm, found) if any(v.kind == "value" for v in values) else None
                if hit is None:
                    continue
            (key,) = hit
            if key in found and any(v is not None for v in found[key]):
                continue
            found[key] = self.t3_row(key, values, leading=_last.row != -1)
            taken[key] = [v for v in values if v.kind == "value"]
            if key == "carried_forward":
                break
        # a row whose numbers a later run carried is not missing (a header cell `总计` read first)
        self.r.notes = [
            n
            for i, n in enumerate(self.r.notes)
            if n not in self.r.notes[:i]
            and not (n[0].startswith("t3.") and any(v is not None for v in found.get(n[0][3:], ())))
        ]
        # The 2019 layout only when （六）其他处理 carries numbers and its 2021 sub-rows are nowhere in the
        # table (labels whose numbers we failed to read are still evidence of the 2021 layout).
        sub_rows = any(_SUB_ROW.search(t.norm) for t in self.toks[start:end] if t.kind == "label")
        single = "other" in found and not any(k.startswith("other.") for k in found) and not sub_rows
        keys = T3_KEYS_2019 if single else T3_KEYS_2021
        self._t3_fill_gaps(start, end, found, taken, keys)
        if self._t3_by_order(start, end, found, keys):
            return
        self.r.formats["t3"] = "2019" if single else "2021"
        for key in keys:
            self.r.t3[key] = found.get(key, [None] * 7)
        missing = [k for k in keys if k not in found]
        labels_text = [t.norm for t in toks if t.kind == "label"]
        labels_text.append("".join(labels_text))  # a label split over lines
        printed = {k for k, pat in T3_PATTERNS if k in missing and any(pat.search(x) for x in labels_text)}
        if keys is T3_KEYS_2021:  # （六）其他处理 is then a group header, not a row
            self.r.doubts = [d for d in self.r.doubts if d[0] != "t3.other"]
        for key in [k for k in missing if k in printed]:
            self.doubt(f"t3.{key}", f"表三「{T3_LABELS[key]}」行的标签在文中，但未能确定它的数字")
        note_missing_rows(self.r, [k for k in missing if k not in printed])

    def _t3_fill_gaps(self, start: int, end: int, found: dict, taken: dict, keys: tuple[str, ...]) -> None:
        """Table rows whose label a converter printed apart (or cut to a fragment), placed between the rows
        read by label in the national order, as a reader does: only when the unread rows between two read
        ones are exactly as many as the rows missing there, and the whole table then adds up (every row,
        every column's outcomes, the 勾稽 identity). Otherwise they stay doubtful (CELL-AMBIGUOUS)."""
        index = {id(t): i for i, t in enumerate(self.toks)}
        used = {id(v) for vals in taken.values() for v in vals}
        anchors = sorted(
            (index[id(vals[0])], keys.index(k))
            for k, vals in taken.items()
            if vals and k in keys and any(v is not None for v in found.get(k, ()))
        )
        missing = {k for k in keys if not any(v is not None for v in found.get(k, ()))}
        if not anchors or not missing:
            return
        groups: dict[tuple[int, int], list[list[_Tok]]] = {}
        for pos, row in _orphan_rows(self.toks, start, end, used):
            before = [a for a in anchors if a[0] < pos]
            after = [a for a in anchors if a[0] > pos]
            if before and after:
                groups.setdefault((before[-1][1], after[0][1]), []).append(row)
        placed: dict[str, list[_Tok]] = {}
        for (lo, hi), rows in groups.items():
            gap = [k for k in keys[lo + 1 : hi] if k in missing]
            if gap and len(gap) == len(rows) and len(gap) == hi - lo - 1:
                placed.update(zip(gap, rows, strict=True))
        for (lo, hi), rows in groups.items():
            for row in rows:
                if not _sums_hold([row]):  # a row that cannot add up whatever its label: say so, as a doubt
                    gap = ",".join(f"t3.{k}" for k in keys[lo + 1 : hi] if k in missing) or "t3"
                    nums = "、".join(str(v.value) for v in row)
                    self.doubt(
                        gap,
                        f"表三「{T3_LABELS[keys[lo]]}」与「{T3_LABELS[keys[hi]]}」之间有一行数字（{nums}）未能确定"
                        "属于哪一行，且其六类申请人之和与总计不符，请人工核对原件",
                    )
        if not placed or not _sums_hold(list(placed.values())):
            return
        trial = dict(found) | {k: [v.value for v in row] for k, row in placed.items()}
        if not _table_adds_up(trial, keys):
            return
        for key, row in placed.items():
            found[key] = [self.cell(v, f"t3.{key}.{col}") for v, col in zip(row, T3_COLUMNS, strict=True)]
        self.r.doubts = [d for d in self.r.doubts if d[0] not in {f"t3.{k}" for k in placed}]
        self.r.recovered.append("t3-gaps")

    def _t3_by_order(self, start: int, end: int, found: dict, keys: tuple[str, ...]) -> bool:
        """Rows placed in the national row order when labels are detached from their numbers.

        Converted text (pdftotext, pdfplumber) may print the labels apart from the rows of numbers, or
        before or after them. When rows are missing or doubtful (or rows read by label do not add up while
        the rows in order all do) and the numbers form exactly the rows of the 2021 (25) or 2019 (23)
        layout, they are placed in that order instead of by nearest label.
        """
        missing = [k for k in keys if k not in found]
        doubtful = [w for w, _ in self.r.doubts if w.startswith("t3")]
        unsummed = any(None not in row and sum(row[:6]) != row[6] for row in found.values())
        if not missing and not doubtful and not unsummed:
            return False
        if any(t.row != -1 for t in self.toks[start:end]):
            return False  # cells of a real table: its labels are in the rows
        lo = next(
            (
                i
                for i in range(start, max(start - 300, -1), -1)
                if "申请人情况" in self.toks[i].norm or "勾稽" in self.toks[i].norm
            ),
            start,
        )
        rows = _order_rows(self.toks, lo, end)
        if rows is None or len(rows) not in (23, 25):
            return False
        if not missing and not doubtful and not _sums_hold(rows):
            return False  # rows read by label that do not add up: the order does no better, keep them
        order = T3_KEYS_2021 if len(rows) == 25 else T3_KEYS_2019
        if any(k.startswith("other.") for k in found) and order is T3_KEYS_2019:
            return False  # the labels say the 2021 layout
        self.r.doubts = [d for d in self.r.doubts if not d[0].startswith("t3")]
        self.r.notes = [n for n in self.r.notes if not n[0].startswith("t3")]
        self.r.formats["t3"] = "2019" if order is T3_KEYS_2019 else "2021"
        for key, row in zip(order, rows, strict=True):
            self.r.t3[key] = [self.cell(v, f"t3.{key}.{col}") for v, col in zip(row, T3_COLUMNS, strict=True)]
        self.r.recovered.append("t3-order")
        return True

    def t3_row(self, key: str, values: list[_Tok], leading: bool) -> list[int | None]:
        vals = _fit(_one_table_row(values, 7), 7, leading)
        if len(vals) < 7:
            label = T3_LABELS[key]
            if not any(v.kind == "value" for v in vals):
                self.note(f"t3.{key}", f"表三「{label}」行没有数字（缺少该行的数）")
                return [None] * 7
            if self.stream_blanks:
                self.doubt(f"t3.{key}", f"表三「{label}」行应有7个数，只读到{len(vals)}个，其余各格未能定位")
            else:
                self.doubt(
                    f"t3.{key}",
                    f"表三「{label}」行只读到{len(vals)}个数，无法确定哪一格为空，整行按未能读出处理",
                )
                return [None] * 7
        row = [self.cell(v, f"t3.{key}.{col}") for v, col in zip(vals, T3_COLUMNS, strict=False)]
        return row + [None] * (7 - len(row))

    def table4(self, start: int) -> None:
        """One row of 15 cells, or three small tables of 5 (行政复议 / 未经复议直接起诉 / 复议后起诉)."""
        runs = _t4_runs(self.toks, start)
        self.r.formats["t4"] = "2021"
        first = runs[0][1] if runs else []
        vals = _fit(first, 15) if len(first) >= 15 or len(runs) < 2 else _t4_groups(runs)
        if vals is None:
            self.doubt("t4", "表四的数字分散在表头文字之间，无法确定各数所在的格，整表按未能读出处理")
            self.r.t4 = [None] * 15
            return
        if len(vals) < 15:
            if not any(v.kind == "value" for v in vals):
                self.note("t4", f"表四没有数字（缺少表四的数，只读到{len(vals)}格）")
                self.r.t4 = [None] * 15
                return
            if self.stream_blanks:
                self.doubt("t4", f"表四应有15个数，只读到{len(vals)}个，其余各格未能定位")
            else:
                self.doubt("t4", f"表四只读到{len(vals)}个数，无法确定哪一格为空，整表按未能读出处理")
                self.r.t4 = [None] * 15
                return
        row = [self.cell(v, f"t4.{k}") for v, k in zip(vals, T4_KEYS, strict=False)]
        self.r.t4 = row + [None] * (15 - len(row))


def _orphan_rows(toks: list[_Tok], start: int, end: int, used: set[int]):
    """(position, 7 number cells) of table rows no label was read for: a row of 7 numbers with no label
    cell, or only a fragment of one that names no row."""
    rows: dict[int, list[int]] = {}
    for i in range(start, end):
        if toks[i].row != -1:
            rows.setdefault(toks[i].row, []).append(i)
    for ids in rows.values():
        cells = [toks[i] for i in ids if toks[i].kind != "label"]
        labels = "".join(toks[i].norm for i in ids if toks[i].kind == "label")
        numbers = [c for c in cells if c.kind == "value"]
        if len(numbers) != 7 or any(id(c) in used for c in numbers) or _best(T3_PATTERNS, labels):
            continue
        yield ids[0], numbers


def _table_adds_up(t3: dict, keys: tuple[str, ...]) -> bool:
    """Every outcome row and column of table 三 complete and consistent, and the 勾稽 identity where its
    four cells are printed (the check a reader makes by hand)."""
    outcomes = keys[2:-1]  # the outcome rows and （七）总计
    rows = [t3.get(k) for k in outcomes]
    if any(r is None or len(r) != 7 or None in r for r in rows):
        return False
    complete = [r for r in (t3.get(k) for k in keys) if r and None not in r]
    if any(sum(r[:6]) != r[6] for r in complete):
        return False
    total = t3["total_processed"]
    if any(sum(t3[k][c] for k in outcomes[:-1]) != total[c] for c in range(7)):
        return False
    sides = [t3.get(k) or [None] * 7 for k in ("new_received", "carried_over", "carried_forward")]
    new, over, fwd = sides
    return all(
        new[c] + over[c] == total[c] + fwd[c] for c in range(7) if None not in (new[c], over[c], fwd[c])
    )


def _one_table_row(values: list[_Tok], want: int) -> list[_Tok]:
    """The cells of the one table row among surplus values: a stray number printed outside the table (a
    page number between a label and its row) is not the row's first cell."""
    numbers = [v for v in values if v.kind == "value"]
    if len(numbers) <= want:
        return values
    rows = {v.row for v in numbers if v.row != -1}
    if len(rows) != 1 or any(v.row == -1 for v in values[values.index(numbers[-1]) :]):
        return values
    (row_id,) = rows
    row = [v for v in values if v.row == row_id]
    return row if len(row) == want and len(numbers) - len(row) <= 2 else values


_T3_CANON = {
    k: re.sub(r"^(?:\d\.|\([一二三四五六七]\)|[一二三四]、)", "", norm(v)) for k, v in T3_LABELS.items()
}


def _fuzzy_t3(label: str, found: dict) -> tuple[str] | None:
    """A typo the keywords miss (`内部事物信息`): the one canonical label, not yet read, that is close enough."""
    text = re.sub(r"^(?:\d\.|\([一二三四五六七]\)|[一二三四]、)", "", label)
    if len(text) < 6:  # short labels are too close to each other (不予公开 ~ 予以公开)
        return None
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, text, canon).ratio(), key)
            for key, canon in _T3_CANON.items()
            if key not in found
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.75 or (len(scored) > 1 and scored[1][0] > scored[0][0] - 0.1):
        return None
    return (scored[0][1],)


def note_missing_rows(report: AnnualReport, missing: list[str]) -> None:
    """One note per missing row, or one note for a long run of them (a truncated file)."""
    if len(missing) <= 3:
        for key in missing:
            report.notes.append((f"t3.{key}", f"表三缺少「{T3_LABELS[key]}」行"))
        return
    first, last = T3_LABELS[missing[0]], T3_LABELS[missing[-1]]
    where = ",".join(f"t3.{k}" for k in missing)
    report.notes.append((where, f"表三缺少{len(missing)}行（「{first}」至「{last}」等），文件可能不完整"))


def _t2_fields(key: str) -> tuple[str, ...]:
    if key in ("regulations", "normative_documents"):
        return ("made", "repealed", "valid")
    return ("amount_wan",) if key == "fees" else ("decisions",)


def detect_format(report: AnnualReport) -> str:
    """Per-document format from the per-table formats (contracts.md values)."""
    seen = {v for k, v in report.formats.items() if k in ("t2", "t3")}
    if not seen:
        if (report.year is not None and report.year < 2019) or "收费及减免" in report.text:
            return "pre2019"
        return "unknown"
    if len(seen) == 1:
        return seen.pop()
    return "mixed"


_FLAT_RE = re.compile(r"本年新收[^\n|\t]{0,20}?\d[\d \u3000]*二\s*、\s*上年结转")


def _flattened(text: str) -> bool:
    """Table rows glued into one line of text: no cell boundaries to read."""
    return bool(_FLAT_RE.search(text))


def _tables_as_chapters(report: AnnualReport) -> None:
    """Chapters 二/三/四 are their tables: a table read with numbers is its chapter even when the heading
    above it is worded beyond recognition (a missing chapter is an error, so it must be certain)."""
    tables = ((CHAPTERS[1], report.t2 or report.t2_old), (CHAPTERS[2], report.t3), (CHAPTERS[3], report.t4))
    for heading, table in tables:
        values = table.values() if isinstance(table, dict) else table
        cells = [v for x in values for v in (x if isinstance(x, list) else [x])]
        if heading not in report.chapters and any(v is not None for v in cells):
            report.chapters[heading] = ""
    report.chapters = {h: report.chapters[h] for h in CHAPTERS if h in report.chapters}


def _narrative(report: AnnualReport) -> bool:
    """Any of the narrative chapters (一、五、六) present: the file is a whole report, not just its tables."""
    return any(h in report.chapters for h in (CHAPTERS[0], CHAPTERS[4], CHAPTERS[5]))


_TRAD = "開報處總機關請於際據條與辦數複訟結轉撥書門頁號"
_SIMP = "开报处总机关请于际据条与办数复讼结转拨书门页号"


def _traditional(text: str) -> bool:
    """Written in traditional characters: their markers outnumber the simplified ones clearly."""
    sample = text[:20000]
    trad = sum(sample.count(c) for c in _TRAD)
    return trad >= 10 and trad > 3 * sum(sample.count(c) for c in _SIMP)


def _simplified(text: str, tokens: list[Token]) -> tuple[str, list[Token]]:
    import opencc

    conv = opencc.OpenCC("t2s")
    return conv.convert(text), [Token(conv.convert(t.text), t.row, t.line) for t in tokens]


def build_report(
    text: str, tokens: list[Token], *, kind: str, source: str = "", stream_blanks: bool = False
) -> AnnualReport:
    """The shared last step of every reader."""
    traditional = _traditional(text)
    if traditional:  # a 繁體 page (a site's 繁體版 button, a mirror): read as the simplified report it is
        text, tokens = _simplified(text, tokens)
    report = AnnualReport(source=source, kind=kind, text=text)
    if traditional:
        report.info.append("报告为繁体字，已转为简体字读取（单位名称亦为简体）")
    fill_meta(report, text, source.rsplit("/", 1)[-1])
    toks = _prepare(tokens)
    if _flattened(text):
        from gongkai.annual.parse._flat import recover_flat

        recover_flat(report, text)
    else:
        Builder(report, toks, stream_blanks).build()
    report.chapters = split_chapters(text)
    _tables_as_chapters(report)
    report.format = detect_format(report)
    if kind in ("xlsx", "xls") and report.has_tables() and not _narrative(report):
        report.tables_only = True
        report.info.append(
            "该工作簿只含表格（表二、表三、表四），不检查六个部分的正文（CH-MISSING 等正文规则不适用）"
        )
    return report


__all__ = ["Token", "build_report", "classify", "guess_level", "norm", "note_missing_rows", "split_chapters"]
