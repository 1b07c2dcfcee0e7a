"""Finding the table in an office's own ledger sheet (台账): the header row among the first rows (title
and 填报单位 lines above it), up to two more header rows under merged parents ("申请人" over "类型 |
姓名或名称"; "申请人类型" over 自然人 and 法人或其他组织, the latter over one tick column per table 三
type), the columns' fields by the vocabulary, then the data rows with blank rows, pre-numbered empty
rows, 合计 rows and signature lines left out.

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
MAX_HEADER_ROWS = 3
_TOTAL = re.compile(r"(合计|总计|小计|共计)(\d+件?)?")
_FOOTER = re.compile(
    r"\s*(填表人|制表人|填报人|审核人|负责人|填表日期|制表日期|填报日期|(注|说明)\s*\d*\s*[:：])"
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


def _column(index: int, path: list[str], vocab: LedgerVocab) -> Column:
    """A column from its header texts, top to bottom: the longest ending that names a field ("申请人" over
    "类型" is 申请人类型), else a tick column under a category header ("申请人类型" over "法人或其他组织"
    over "商业企业"), else not imported."""
    path = [t for i, t in enumerate(path) if t and (i == 0 or t != path[i - 1])]
    if not path:
        return Column(index, "", None)
    header = "/".join(path)
    for j in range(len(path)):
        fld = vocab.field_of("".join(path[j:]))
        if fld:
            return Column(index, header, fld)
    leaf = path[-1]
    for ancestor in reversed(path[:-1]):
        kind = vocab.field_of(ancestor)
        if kind in KINDS:
            key = vocab.value_of(kind, leaf)
            if key:
                return Column(index, header, kind, flag=key)
            doubt = vocab.value_doubt(kind, leaf)
            if doubt:
                return Column(index, header, None, doubt=doubt)
    doubt = vocab.header_doubt(leaf)
    return Column(index, header, None, doubt=doubt)


def _paths(levels: list[list[Any]]) -> list[list[str]]:
    """Each column's header texts, top to bottom; a blank cell above a filled one (the right part of a
    merged header) takes its left neighbour's text."""
    width = max(len(level) for level in levels)
    grid = [[_text(v) for v in level] + [""] * (width - len(level)) for level in levels]
    for depth in range(len(grid) - 1):
        for i in range(1, width):
            below = any(grid[d][i] for d in range(depth + 1, len(grid)))
            if not grid[depth][i] and below:
                grid[depth][i] = grid[depth][i - 1]
    return [[grid[d][i] for d in range(len(grid))] for i in range(width)]


def _sub_header(levels: list[list[Any]], sub: list[Any], vocab: LedgerVocab) -> bool:
    """Whether the row under the header is one more header row (its cells name fields with those above)."""
    texts = [_text(v) for v in sub]
    if not any(texts) or any(_looks_like_data(v) for v in sub if _text(v)):
        return False
    paths = _paths([*levels, list(sub)])
    named = [_column(i, paths[i], vocab) for i, t in enumerate(texts) if t]
    return sum(1 for c in named if c.field or c.doubt) >= 2


def _locate(rows: list[list[Any]], vocab: LedgerVocab) -> tuple[int, int] | None:
    """(first header row, number of header rows), 0-based."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(_fields_in(row, vocab)) >= MIN_HEADER_FIELDS:
            depth = 1
            while depth < MAX_HEADER_ROWS and r + depth < len(rows):
                if not _sub_header(rows[r : r + depth], rows[r + depth], vocab):
                    break
                depth += 1
            return r, depth
    return None


def _columns(rows: list[list[Any]], r: int, depth: int, vocab: LedgerVocab) -> list[Column]:
    return [_column(i, path, vocab) for i, path in enumerate(_paths(rows[r : r + depth]))]


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
    if _TOTAL.fullmatch(norm(texts[0])):
        return f"“{texts[0]}”行（合计），未导入"
    if len(texts) <= 3 and _FOOTER.match(texts[0]):
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
    r, depth = found
    layout = SheetLayout(name, tuple(range(r + 1, r + depth + 1)), _columns(rows, r, depth, vocab))
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
