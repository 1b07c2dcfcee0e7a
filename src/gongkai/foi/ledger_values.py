"""One ledger row (`ledger_layout.LedgerRow`) as an application's fields and events, or Chinese errors that
name the sheet, the row, the column and the value. Nothing is guessed: a word the vocabulary does not know,
or knows to be ambiguous, is an error; dates are Excel dates, serial numbers or text such as 2025-03-05,
2025.3.5, 2025/3/5 and 2025年3月5日.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from gongkai.foi.deadlines import Channel, FoiError, receipt_date
from gongkai.foi.ledger_layout import Cell, LedgerRow
from gongkai.foi.ledger_vocab import FIELDS, LedgerVocab
from gongkai.foi.timeline import Event

__all__ = ["DATE_FIELDS", "RowResult", "parse_date", "parse_row"]

DATE_FIELDS = (
    "submitted_on",
    "received_on",
    "signed_on",
    "confirmed_on",
    "correction_sent_on",
    "correction_received_on",
    "replied_on",
)
TEXT_LIMITS = {
    "number": 50,
    "applicant_name": 200,
    "id_document": 100,
    "phone": 50,
    "address": 300,
    "reply_form": 200,
}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-10
_DAYS = re.compile(r"(?:延期|延长)?\s*(\d{1,2})\s*(?:个)?\s*工作日")
RowResult = tuple[dict[str, Any], list[Event]]
_RECEIPT_FIELD = {
    Channel.IN_PERSON: "submitted_on",
    Channel.POST_SIGNED: "signed_on",
    Channel.POST_ORDINARY: "confirmed_on",
    Channel.ONLINE: "confirmed_on",
    Channel.FAX: "confirmed_on",
}


def parse_date(value: Any) -> date:
    """An Excel date, serial number or date text; ValueError (Chinese) otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if isinstance(value, (int, float)) or re.fullmatch(r"\d+(\.0+)?", text):
        serial = float(value) if isinstance(value, (int, float)) else float(text)
        compact = re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)", text.removesuffix(".0"))
        if compact:  # 20250305
            try:
                return date(int(compact[1]), int(compact[2]), int(compact[3]))
            except ValueError:
                raise ValueError(f"“{text}”不是有效的日期") from None
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1] and float(serial).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(serial))
        raise ValueError(f"“{text}”不是日期")
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(f"“{text}”不是日期，应为 2025-03-05、2025.3.5 或 2025年3月5日")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期") from None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class _Row:
    """Collects one row's errors in the fixed format."""

    def __init__(self, row: LedgerRow, vocab: LedgerVocab, headers: dict[str, Cell]) -> None:
        self.row, self.vocab, self.headers = row, vocab, headers
        self.errors: list[str] = []

    def line(self, cell: Cell, msg: str) -> str:
        col = f"（{cell.letter} 列）" if cell.letter else ""
        return f"工作表“{self.row.sheet}”第 {self.row.row} 行“{cell.header}”：{msg}{col}"

    def err(self, fld: str, msg: str) -> None:
        cell = self.row.cells.get(fld) or self.headers.get(fld) or Cell(None, FIELDS[fld], "")
        self.errors.append(self.line(cell, msg))

    def cell_err(self, cell: Cell, msg: str) -> None:
        self.errors.append(self.line(cell, msg))

    def get(self, fld: str) -> Any:
        cell = self.row.cells.get(fld)
        return None if cell is None else cell.value

    def date(self, fld: str) -> date | None:
        value = self.get(fld)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.err(fld, str(exc))
            return None

    def category(self, kind: str) -> str | None:
        ticks = self.row.ticks.get(kind, [])
        marked = [(key, c) for key, c in ticks if not self.vocab.is_flag("no", c.value)]
        for _key, c in marked:
            if not self.vocab.is_flag("yes", c.value):
                self.cell_err(c, f"打勾列只能填“√”或“是”，不能填“{_text(c.value)}”")
                return None
        if len(marked) > 1:
            names = "、".join(f"“{c.header}”" for _k, c in marked)
            self.err(kind, f"{names}同时打勾，只能选一项")
            return None
        if marked:
            return marked[0][0]
        value = self.get(kind)
        if value is None:
            return None
        text = _text(value)
        if kind == "outcome" and self.vocab.is_flag("open", text):
            return None
        key, doubt = self.vocab.resolve(kind, text)
        if key:
            return key
        self.err(
            kind, f"“{text}”{doubt}" if doubt else f"无法识别的值“{text}”，可填：{self.vocab.accepted(kind)}"
        )
        return None

    def yes_no(self, fld: str) -> bool | None:
        value = self.get(fld)
        if value is None or self.vocab.is_flag("no", value):
            return False
        if re.fullmatch(r"0+(\.0+)?\s*元?", _text(value)):  # a fee of 0 / 0.00元
            return False
        if self.vocab.is_flag("yes", value):
            return True
        return None


def _texts(r: _Row, number_prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for fld in ("number", "applicant_name", "id_document", "phone", "address", "content", "reply_form"):
        value = r.get(fld)
        if value is None:
            continue
        text = _text(value)
        limit = TEXT_LIMITS.get(fld)
        if limit and len(text) > limit:
            r.err(fld, f"超过 {limit} 个字")
        data[fld] = text
    if "number" not in data and r.get("seq") is not None:
        data["number"] = f"{number_prefix}-{_text(r.get('seq'))}"
    for fld in ("number", "applicant_name", "content"):
        if fld not in data:
            r.err(fld, "必填，不能为空" if fld != "number" else "必填，不能为空（无编号时填序号）")
    return data


def _receipt(r: _Row, data: dict[str, Any], channel: str, dates: dict[str, date | None]) -> date | None:
    field_ = _RECEIPT_FIELD[Channel(channel)]
    received = dates.get("received_on")
    own = dates.get(field_)
    if own and received and own != received:
        r.err(
            "received_on",
            f"{received.isoformat()} 与“{FIELDS[field_]}”{own.isoformat()} 不一致（条例第三十一条），请核对",
        )
        return None
    for fld in ("submitted_on", "signed_on", "confirmed_on"):
        if dates.get(fld):
            data[fld] = dates[fld]
    if received and not own:
        data[field_] = received
    data.setdefault("submitted_on", received)
    if data.get("submitted_on") is None:
        r.err("submitted_on", "必填：提交日期或收到日期至少填一个")
        return None
    try:
        return receipt_date(
            channel,
            submitted=data.get("submitted_on"),
            signed=data.get("signed_on"),
            confirmed=data.get("confirmed_on"),
        )
    except FoiError as exc:
        r.err("channel", str(exc))
        return None


def _extension(r: _Row) -> tuple[int, str] | None:
    """(days, approver) of an extension, (0, "") for none; None after an error."""
    days_value, flag = r.get("days"), r.get("extended")
    days = 0
    if days_value is not None:
        text = _text(days_value)
        m = _DAYS.fullmatch(text) or re.fullmatch(r"(\d{1,2})", text)
        if not m:
            r.err("days", f"“{text}”不是有效的数字")
            return None
        days = int(m[1])
    if flag is not None:
        text = _text(flag)
        m = _DAYS.fullmatch(text)  # a bare number here may mean “是” (1), so only “20个工作日” gives days
        said = r.yes_no("extended")
        if m:
            days = days or int(m[1])
        elif said is None:
            r.err("extended", f"无法识别的值“{text}”，应为“是”“否”或“延期20个工作日”")
            return None
        elif said and not days:
            r.err("extended", "写明了延期但没有延期天数，请填写“延期天数”（不超过 20 个工作日）")
            return None
        elif not said and days:
            r.err("extended", f"写的是“{text}”，但“延期天数”为 {days}，请核对")
            return None
    return days, _text(r.get("approver") or "")


def _side_matters(r: _Row) -> None:
    """Columns the import cannot turn into events: only 'no' is accepted."""
    messages = {
        "consultation": "征求意见须在平台录入发出和收到答复的日期（期限暂停计算），整体导入不能确定，请导入后在详情页补录，本列留空或填“否”",
        "fee": "收费须在平台录入收费通知和缴费日期，整体导入不能确定，请导入后在详情页补录，本列留空或填“否”",
        "review": "行政复议、行政诉讼须在平台录入类型和日期，整体导入不能确定，请导入后在详情页补录，本列留空或填“无”",
    }
    for fld, msg in messages.items():
        if r.yes_no(fld) is False:
            continue
        r.err(fld, f"“{_text(r.get(fld))}”：{msg}")


def _events(r: _Row, dates: dict[str, date | None], received: date) -> list[Event] | None:
    events: list[Event] = []
    said = r.yes_no("correction")
    if said is None:
        r.err("correction", f"无法识别的值“{_text(r.get('correction'))}”，应为“是”或“否”")
        return None
    if dates.get("correction_sent_on"):
        events.append(Event("correction_sent", dates["correction_sent_on"]))
    if dates.get("correction_received_on"):
        events.append(Event("correction_received", dates["correction_received_on"]))
    if said and not events:
        r.err(
            "correction",
            "写明了补正但没有“补正通知日期”和“收到补正日期”；答复期限自收到补正之日重新起算，请填写",
        )
        return None
    ext = _extension(r)
    if ext is None:
        return None
    replied, outcome = dates.get("replied_on"), r.category("outcome")
    if ext[0] and not ext[1]:
        r.err(
            "extended" if "extended" in r.row.cells else "days",
            "延期须经政府信息公开工作机构负责人同意（条例第三十三条），请在“延期批准人”列填写批准人",
        )
        return None
    if ext[0]:
        when = replied or max([received, *(e.on for e in events)])
        events.append(Event("extended", when, days=ext[0], approver=ext[1]))
    if replied or outcome:
        if not (replied and outcome):
            if not r.errors:
                r.err("outcome", "答复日期和办理结果须同时填写")
            return None
        events.append(Event("replied", replied, outcome=outcome))
    return events


def parse_row(
    row: LedgerRow, vocab: LedgerVocab, headers: dict[str, Cell], number_prefix: str
) -> tuple[RowResult | None, list[str]]:
    """The application's fields and events after the 'received' one, or the row's errors. ``headers``
    gives each field's column (a Cell without value) for messages about an empty cell."""
    r = _Row(row, vocab, headers)
    for cell, reason in row.doubts:
        r.cell_err(cell, f"“{_text(cell.value)}”：{reason}")
    data = _texts(r, number_prefix)
    kinds: dict[str, str | None] = {}
    for kind in ("applicant_type", "channel"):
        before = len(r.errors)
        kinds[kind] = r.category(kind)
        if kinds[kind] is None and len(r.errors) == before:
            r.err(kind, "必填，不能为空")
    dates = {fld: r.date(fld) for fld in DATE_FIELDS}
    _side_matters(r)
    if r.errors:
        return None, r.errors
    data["applicant_type"], data["channel"] = kinds["applicant_type"], kinds["channel"]
    received = _receipt(r, data, data["channel"], dates)
    if received is None:
        return None, r.errors
    events = _events(r, dates, received)
    if events is None or r.errors:
        return None, r.errors
    return (data, events), []
