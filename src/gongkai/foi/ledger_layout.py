"""Finding the table in an office's own ledger sheet (台账): the header row among the first rows (title
and 填报单位 lines above it), a second header row under merged parents ("申请人" over "类型 | 姓名或名称",
"申请人类型" over one tick column per type), the columns' fields by the vocabulary, then the data rows
with blank rows, pre-numbered empty rows, 合计 rows and signature lines left out.

Plain Python: rows come in as lists of cell values, from any reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.foi.ledger_vocab import FIELDS, KINDS, LedgerVocab, norm

__all__ = ["Cell", "Column", "LedgerRow", "SheetLayout", "letter", "read_sheet", "REQUIRED"]

HEADER_SEARCH_ROWS = 15
MIN_HEADER_FIELDS = 3
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
FOOTER_WORDS = (
    "填表人",
    "制表人",
    "填报人",
    "审核人",
    "负责人",
    "填表日期",
    "制表日期",
    "填报日期",
    "注",
    "说明",
)
# Field groups a sheet must have: one field of each.
REQUIRED: list[tuple[str, ...]] = [
    ("number", "seq"),
    ("applicant_type",),
    ("applicant_name",),
    ("channel",),
    ("submitted_on", "received_on"),
    ("content",),
]
_DATE_TEXT = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}")
_NUMBER_TEXT = re.compile(r"^\s*\d+(\.\d+)?\s*$")


def letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index (0 -> A, 26 -> AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written; a two-row header as "申请人/类型"
    field: str | None  # None: not imported
    flag: str | None = None  # a tick column: the value of ``field`` it marks
    doubt: str | None = None  # a header the vocabulary knows but cannot place

    @property
    def letter(self) -> str:
        return letter(self.index)

    def describe(self) -> str:
        if self.doubt:
            return f"{self.letter} 列“{self.header}”→ 不能确定（{self.doubt}）"
        if self.field is None:
            return f"{self.letter} 列“{self.header}”→ 未导入"
        target = FIELDS[self.field]
        if self.flag:
            target += f"：打勾即“{KINDS[self.field][self.flag]}”"
        return f"{self.letter} 列“{self.header}”→ {target}"


@dataclass(frozen=True)
class Cell:
    value: Any
    header: str
    letter: str


@dataclass
class LedgerRow:
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    cells: dict[str, Cell] = field(default_factory=dict)
    ticks: dict[str, list[tuple[str, Cell]]] = field(default_factory=dict)
    doubts: list[tuple[Cell, str]] = field(default_factory=list)


@dataclass
class SheetLayout:
    name: str
    header_rows: tuple[int, ...] = ()
    columns: list[Column] = field(default_factory=list)
    rows: int = 0
    skipped: list[str] = field(default_factory=list)

    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field and not c.doubt}

    def mapping(self) -> list[str]:
        return [c.describe() for c in self.columns if c.header]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _fields_in(row: list[Any], vocab: LedgerVocab) -> set[str]:
    found = {vocab.field_of(t) for t in map(_text, row) if t}
    return found - {None, "ignore"}


def _looks_like_data(value: Any) -> bool:
    if isinstance(value, (int, float, date)):
        return True
    text = _text(value)
    return bool(_DATE_TEXT.match(text) or _NUMBER_TEXT.match(text))


def _column(index: int, parent: str, child: str, vocab: LedgerVocab) -> Column:
    if not child:
        header = parent
        doubt = vocab.header_doubt(header)
        return Column(index, header, None if doubt else vocab.field_of(header), doubt=doubt)
    header = f"{parent}/{child}" if parent else child
    combined = vocab.field_of(parent + child) if parent else None
    if combined:
        return Column(index, header, combined)
    parent_field = vocab.field_of(parent) if parent else None
    if parent_field in KINDS:
        key = vocab.value_of(parent_field, child)
        if key:
            return Column(index, header, parent_field, flag=key)
        doubt = vocab.value_doubt(parent_field, child)
        if doubt:
            return Column(index, header, None, doubt=doubt)
    doubt = vocab.header_doubt(child)
    return Column(index, header, None if doubt else vocab.field_of(child), doubt=doubt)


def _sub_header(parents: list[str], sub: list[Any], vocab: LedgerVocab) -> bool:
    """Whether the row under the header is a second header row (its cells name fields with their parents)."""
    texts = [_text(v) for v in sub]
    if not any(texts) or any(_looks_like_data(v) for v in sub if _text(v)):
        return False
    filled = _fill(parents, texts)
    named = [_column(i, filled[i], t, vocab) for i, t in enumerate(texts) if t]
    return sum(1 for c in named if c.field or c.doubt) >= 2


def _fill(parents: list[str], texts: list[str]) -> list[str]:
    """Parents carried right over the blank cells of a merged header, where the row below has a child."""
    out = list(parents) + [""] * max(0, len(texts) - len(parents))
    for i in range(1, len(out)):
        if not out[i] and i < len(texts) and texts[i]:
            out[i] = out[i - 1]
    return out


def _locate(rows: list[list[Any]], vocab: LedgerVocab) -> tuple[int, bool] | None:
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(_fields_in(row, vocab)) >= MIN_HEADER_FIELDS:
            parents = [_text(v) for v in row]
            two = r + 1 < len(rows) and _sub_header(parents, rows[r + 1], vocab)
            return r, two
    return None


def _columns(rows: list[list[Any]], r: int, two: bool, vocab: LedgerVocab) -> list[Column]:
    parents = [_text(v) for v in rows[r]]
    if not two:
        return [_column(i, p, "", vocab) for i, p in enumerate(parents)]
    texts = [_text(v) for v in rows[r + 1]]
    width = max(len(parents), len(texts))
    texts += [""] * (width - len(texts))
    filled = _fill(parents, texts)
    return [_column(i, filled[i], texts[i], vocab) for i in range(width)]


def _layout_problems(layout: SheetLayout, where: str) -> list[str]:
    problems = []
    seen: dict[str, Column] = {}
    for col in layout.columns:
        if not col.field or col.field == "ignore" or col.flag:
            continue
        if col.field in seen:
            first = seen[col.field]
            problems.append(
                f"{where}：“{first.header}”（{first.letter} 列）和“{col.header}”（{col.letter} 列）"
                f"都对应“{FIELDS[col.field]}”，不能确定用哪一列；请删去或改名其中一列"
            )
        seen[col.field] = col
    ticked = {c.field for c in layout.columns if c.flag}
    for fld in ticked & set(seen):
        problems.append(f"{where}：“{FIELDS[fld]}”既有单独一列又有打勾列，不能确定以哪个为准")
    have = layout.fields()
    missing = ["或".join(FIELDS[f] for f in group) for group in REQUIRED if not have & set(group)]
    if missing:
        problems.append(f"{where}缺少必需的列：{'、'.join(missing)}")
    return problems


def _skip_reason(raw: list[Any]) -> str | None:
    texts = [t for t in map(_text, raw) if t]
    if not texts:
        return ""
    first = norm(texts[0])
    if any(first.startswith(w) for w in TOTAL_WORDS):
        return f"“{texts[0]}”行（合计），未导入"
    if len(texts) <= 3 and any(first.startswith(w) for w in FOOTER_WORDS):
        return f"“{texts[0]}”行（表尾说明或签字），未导入"
    return None


def _row(name: str, number: int, raw: list[Any], columns: list[Column]) -> LedgerRow:
    row = LedgerRow(name, number)
    for col in columns:
        value = raw[col.index] if col.index < len(raw) else None
        if isinstance(value, str):
            value = value.strip() or None
        if value is None or col.field == "ignore":
            continue
        cell = Cell(value, col.header, col.letter)
        if col.doubt:
            row.doubts.append((cell, col.doubt))
        elif col.flag and col.field:
            row.ticks.setdefault(col.field, []).append((col.flag, cell))
        elif col.field:
            row.cells[col.field] = cell
    return row


def read_sheet(
    name: str, rows: list[list[Any]], vocab: LedgerVocab
) -> tuple[SheetLayout | None, list[LedgerRow], list[str]]:
    """The sheet's layout (None when it has no ledger header), its data rows, and layout problems."""
    found = _locate(rows, vocab)
    if found is None:
        return None, [], []
    r, two = found
    layout = SheetLayout(name, (r + 1, r + 2) if two else (r + 1,), _columns(rows, r, two, vocab))
    where = f"工作表“{name}”第 {'–'.join(map(str, layout.header_rows))} 行表头"
    problems = _layout_problems(layout, where)
    if problems:
        return layout, [], problems
    header_key = [norm(_text(v)) for v in rows[r]]
    out: list[LedgerRow] = []
    for i in range(r + len(layout.header_rows), len(rows)):
        raw = list(rows[i])
        reason = _skip_reason(raw)
        if reason is None and [norm(_text(v)) for v in raw] == header_key:
            reason = "重复的表头行，未导入"
        if reason:
            layout.skipped.append(f"第 {i + 1} 行：{reason}")
            continue
        if reason == "":
            continue
        row = _row(name, i + 1, raw, layout.columns)
        if not (set(row.cells) - {"seq"}) and not row.ticks and not row.doubts:
            continue  # a pre-numbered empty row of the template
        out.append(row)
    layout.rows = len(out)
    return layout, out, []
