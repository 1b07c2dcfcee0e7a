"""Parse the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

The administrator pastes the notice (or uploads it as .txt/.docx); :func:`parse_notice` returns the
year's days off and 调休 working days with the festival each belongs to, every date checked
against the weekday the notice states ("1月26日（周日）"), and the "共N天" totals checked against
the ranges. Forms met in the notices since 2018 (full-width or half-width punctuation alike)::

    一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
    三、清明节：4月5日放假，与周末连休。
    一、2019年5月1日至4日放假调休，共4天。4月28日（星期日）、5月5日（星期日）上班。   (an adjusting notice)

Sentences that only encourage ("鼓励各单位……安排职工在除夕（2月9日）休息") are not days off and
are reported in ``notes``. What cannot be read is a :class:`NoticeError` with the reason in Chinese;
nothing is guessed.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.foi.deadlines import FoiError

__all__ = ["HolidaySchedule", "NoticeError", "merge", "notice_text_from_docx", "parse_notice"]

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "抗战胜利纪念日")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?")
_RANGE_SEP = re.compile(r"^\s*(?:至|到|—|－|-|~)\s*$")
_ITEM = re.compile(r"(?:^|(?<=[。\n]))\s*[一二三四五六七八九十]+、")
_TITLE_YEAR = re.compile(r"关于(?:调整)?(\d{4})年")
_BODY_YEAR = re.compile(r"现将(?:调整)?(\d{4})年|(\d{4})年是")
_TOTAL = re.compile(r"共(\d+)天")
_OFF = re.compile(r"放假|补休|调休|休息")
_MAIN_FESTIVALS = FESTIVALS[:7]


class NoticeError(FoiError):
    """The text is not a holiday notice that can be read with certainty (message in Chinese)."""


@dataclass
class HolidaySchedule:
    """Days off and 调休 working days announced by one notice (or several merged)."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)  # date -> festival
    workdays: dict[date, str] = field(default_factory=dict)  # 调休 working day -> festival
    notes: list[str] = field(default_factory=list)  # what was read but not taken (in Chinese)
    adjusting: bool = False  # 关于调整……的通知: changes part of a year already arranged

    def flags(self) -> dict[date, bool]:
        """Every announced date -> is a working day (the corrections to store)."""
        out = {d: False for d in self.holidays}
        out.update({d: True for d in self.workdays})
        return dict(sorted(out.items()))

    def is_working_day(self, d: date) -> bool:
        """The day as this schedule makes it: announced days first, else Monday to Friday."""
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def year_flags(self) -> dict[date, bool]:
        """Every day of the schedule's year -> is a working day."""
        d, out = date(self.year, 1, 1), {}
        while d.year == self.year:
            out[d] = self.is_working_day(d)
            d += timedelta(days=1)
        return out


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # （）：，０-９ -> ()：, digits
    text = text.replace("：", ":").replace("，", ",").replace("\u3000", " ")
    return re.sub(r"[ \t\r\xa0]+", "", text)


def _year_of(text: str, year: int | None) -> int:
    found = _TITLE_YEAR.search(text) or _BODY_YEAR.search(text)
    if found:
        return int(next(g for g in found.groups() if g))
    if year is not None:
        return year
    raise NoticeError(
        "未能从文本中识别年份：请粘贴包含标题“国务院办公厅关于××××年部分节假日安排的通知”的全文"
    )


def _items(body: str) -> list[str]:
    parts = _ITEM.split(body)
    return [p.strip() for p in parts[1:]] if len(parts) > 1 else [body]


class _Reader:
    def __init__(self, year: int) -> None:
        self.schedule = HolidaySchedule(year)

    def dates(self, sentence: str) -> list[tuple[date, str, int, int]]:
        """Dates in the sentence with their stated weekday text and span; month/year carried over."""
        out: list[tuple[date, str, int, int]] = []
        year, month = self.schedule.year, None
        for m in _DATE.finditer(sentence):
            y, mo, dd, note = m.group(1), m.group(2), m.group(3), m.group(4) or ""
            year = int(y) if y else year
            month = int(mo) if mo else month
            if month is None:
                raise NoticeError(f"“{sentence}”中的日期“{m.group(0)}”缺少月份")
            try:
                d = date(year, month, int(dd))
            except ValueError as exc:
                raise NoticeError(f"“{sentence}”中的日期“{m.group(0)}”无效") from exc
            self._check_weekday(d, note, sentence)
            out.append((d, note, m.start(), m.end()))
        return out

    def _check_weekday(self, d: date, note: str, sentence: str) -> None:
        m = re.search(r"(?:星期|周)([一二三四五六日天])", note)
        if m and _WEEKDAYS[m.group(1)] != d.weekday():
            raise NoticeError(
                f"“{sentence}”：{d.year}年{d.month}月{d.day}日不是{m.group(0)}，请核对年份或日期（可能粘贴了别的年份的通知）"
            )

    def sentence(self, sentence: str, festival: str) -> None:
        """One sentence, clause by clause (split at commas): a clause with 上班 gives working days,
        one with 放假/补休/调休/休息 gives days off; ranges "A至B" are expanded."""
        found = self.dates(sentence)
        if not found:
            return
        off: list[date] = []
        for lo, hi in _clauses(sentence):
            clause = sentence[lo:hi]
            inside = [f for f in found if lo <= f[2] < hi]
            if not inside:
                continue
            if "上班" in clause:
                self._workdays(inside, festival)
            elif _OFF.search(clause):
                off.extend(self._ranges(sentence, inside))
            else:
                self.schedule.notes.append(f"未识别（未采用）：{clause}")
        total = _TOTAL.search(sentence)
        if total and off and int(total.group(1)) != len(off):
            raise NoticeError(f"“{sentence}”：放假日期共 {len(off)} 天，与“共{total.group(1)}天”不符，请核对")
        for d in off:
            self.schedule.holidays[d] = festival or "放假"

    def _ranges(self, sentence: str, found: list[tuple[date, str, int, int]]) -> list[date]:
        days: list[date] = []
        i = 0
        while i < len(found):
            start = end = found[i][0]
            if i + 1 < len(found) and _RANGE_SEP.match(sentence[found[i][3] : found[i + 1][2]]):
                end = found[i + 1][0]
                i += 1
            if end < start:
                raise NoticeError(f"“{sentence}”：结束日期早于开始日期")
            days.extend(start + timedelta(days=k) for k in range((end - start).days + 1))
            i += 1
        return days

    def _workdays(self, found: list[tuple[date, str, int, int]], festival: str) -> None:
        for d, _, _, _ in found:
            if d.weekday() < 5:
                self.schedule.notes.append(f"{d.isoformat()} 本为工作日，通知仍写明上班（{festival}）")
            self.schedule.workdays[d] = festival or "调休上班"

    def item(self, text: str) -> None:
        festival = ""
        m = re.match(r"([^:：。]{1,40})[:：]", text)
        if m and (any(f in m.group(1) for f in FESTIVALS) or not _DATE.search(m.group(1))):
            festival = m.group(1)
            text = text[m.end() :]
        for sentence in filter(None, (s.strip() for s in text.split("。"))):
            if "鼓励" in sentence or "倡导" in sentence:
                if _DATE.search(sentence):
                    self.schedule.notes.append(f"未作为放假日：{sentence}")
                continue
            self.sentence(sentence, festival)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated clauses of a sentence (commas inside parentheses do not split)."""
    spans, depth, lo = [], 0, 0
    for i, ch in enumerate(sentence):
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;；" and depth <= 0:
            spans.append((lo, i))
            lo = i + 1
    spans.append((lo, len(sentence)))
    return spans


def parse_notice(text: str, year: int | None = None) -> HolidaySchedule:
    """The days off and 调休 working days of a pasted notice (``year`` when the text has no title)."""
    norm = _normalise(text)
    y = _year_of(norm, year)
    start = re.search(r"(?:(?:通知|安排)如下|作如下调休)[。:]?", norm)
    body = norm[start.end() :] if start else norm
    end = re.search(r"(?:节假日|劳动节|春节)期间,各地区|(?:^|\n)国务院办公厅\n", body)
    body = body[: end.start()] if end else body
    reader = _Reader(y)
    for item in _items(body):
        reader.item(item)
    schedule = reader.schedule
    # A notice naming only one or two festivals (关于调整……劳动节假期安排, a one-off 纪念日) changes
    # part of a year already arranged; the yearly notice names all seven.
    schedule.adjusting = sum(f in norm for f in _MAIN_FESTIVALS) < 4
    if not schedule.holidays:
        raise NoticeError(
            "文本中没有找到放假安排（如“1月1日放假”“2月10日至17日放假调休，共8天”），请粘贴通知全文"
        )
    if not any(d.year == y for d in schedule.holidays):
        raise NoticeError(f"通知标题是 {y} 年，但放假日期都不在 {y} 年，请核对")
    overlap = sorted(set(schedule.holidays) & set(schedule.workdays))
    if overlap:
        raise NoticeError(f"{overlap[0].isoformat()} 同时被写为放假和上班，请核对通知")
    return schedule


def merge(base: HolidaySchedule, later: HolidaySchedule) -> HolidaySchedule:
    """``base`` with an adjusting notice for the same year applied on top (its days win)."""
    if base.year != later.year:
        raise NoticeError(f"调整通知是 {later.year} 年的，不能叠加到 {base.year} 年的安排上")
    out = HolidaySchedule(
        base.year, dict(base.holidays), dict(base.workdays), base.notes + later.notes, base.adjusting
    )
    for d, name in later.holidays.items():
        out.workdays.pop(d, None)
        out.holidays[d] = name
    for d, name in later.workdays.items():
        out.holidays.pop(d, None)
        out.workdays[d] = name
    return out


def notice_text_from_docx(data: bytes) -> str:
    """The paragraphs (and table cells) of an uploaded .docx notice as plain text."""
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
        raise NoticeError("无法读取上传的 Word 文件：请上传 .docx 格式，或直接粘贴通知全文") from exc
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)
