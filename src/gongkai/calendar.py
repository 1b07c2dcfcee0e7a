"""Working days on the official Chinese calendar, with administrator corrections.

This module owns the answer to "is this date a working day?" for the whole platform:
weekends and official holidays are days off, 调休 weekend days are working days (data from
the ``chinese_calendar`` package), and corrections an administrator entered (for instance next
year's schedule the day the State Council publishes it) override both.

A date in a year the program knows nothing about is an error (:class:`CalendarRangeError`,
with a Chinese message naming the year), never a silent guess. A year is known when the library
has data for it or when an administrator confirmed its whole schedule (``extra_years``); a
correction of a single day does not make its year known.

Provisional years (``provisional_years=N``): the N years after the last known one are counted on
weekends and the statutory holidays of the 全国年节及纪念日放假办法 only
(:mod:`gongkai.foi.holiday_law`), with any corrections entered for them; 调休 is unknown.
:meth:`WorkingCalendar.provisional_in` tells whether a span touches such a year, so every date
computed on them is shown as 暂定 (provisional) with the reason.

Counting convention (used by every statutory period here): day 0 is the start date and
counting begins the next day, so ``add_working_days(d, 1)`` is the first working day after
``d`` and ``working_days_between(a, b)`` counts working days ``x`` with ``a < x <= b``.

The calendar precomputes a flag per day and a running count, so a deadline costs a few
list look-ups (hundreds of thousands per second).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from chinese_calendar import constants as _cc

__all__ = [
    "CalendarError",
    "CalendarRangeError",
    "WorkingCalendar",
    "default_calendar",
    "provisional_calendar",
    "library_years",
    "provisional_reason",
]


class CalendarError(ValueError):
    """A calendar question that cannot be answered (bad arguments or unknown dates)."""


class CalendarRangeError(CalendarError):
    """A date falls in a year without holiday data; ``year`` names it."""

    def __init__(self, year: int, known: Sequence[int] = ()) -> None:
        self.year = year
        span = f"（已知年份：{_describe_years(known)}）" if known else ""
        super().__init__(
            f"{year} 年的节假日安排未知：工作日日历中没有 {year} 年的数据{span}。"
            f"请管理员在“工作日日历”页面导入国务院办公厅关于 {year} 年部分节假日安排的通知并确认全年安排后再计算。"
        )


def _describe_years(years: Sequence[int]) -> str:
    """'2004–2026、2028' style summary of a sorted list of years."""
    parts: list[str] = []
    ys = sorted(set(years))
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        parts.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return "、".join(parts)


def provisional_reason(years: Sequence[int]) -> str:
    """Why a date counted on ``years`` is only provisional (Chinese, for every place it is shown)."""
    ys = "、".join(str(y) for y in sorted(set(years)))
    return (
        f"暂定：{ys} 年的放假和调休安排尚未公布或尚未确认，按周末和《全国年节及纪念日放假办法》"
        f"规定的法定节假日推算，未计调休；安排确认后自动重算"
    )


def library_years() -> tuple[int, int]:
    """First and last year the installed chinese_calendar has holiday data for."""
    return min(_cc.holidays).year, max(_cc.holidays).year


def _library_flag(d: date) -> bool:
    if d in _cc.workdays:
        return True
    return d.weekday() < 5 and d not in _cc.holidays


class WorkingCalendar:
    """Working days from chinese_calendar plus corrections (date -> is a working day)."""

    def __init__(
        self,
        corrections: Mapping[date, bool] | None = None,
        extra_years: Iterable[int] = (),
        provisional_years: int = 0,
    ) -> None:
        self.corrections: dict[date, bool] = dict(corrections or {})
        first, last = library_years()
        known = set(range(first, last + 1)) | set(extra_years)
        self.known_years: tuple[int, ...] = tuple(sorted(known))
        self._known = frozenset(known)
        self._last_known = self.known_years[-1]
        self.provisional_years: tuple[int, ...] = tuple(
            range(self._last_known + 1, self._last_known + 1 + max(0, provisional_years))
        )
        self._provisional = frozenset(self.provisional_years)
        self._covered = self._known | self._provisional
        self._first_year = self.known_years[0]
        self._last_year = max(self._covered)
        self._base = date(self._first_year, 1, 1).toordinal()
        self._build()

    def _build(self) -> None:
        end = date(self._last_year, 12, 31).toordinal()
        flags = bytearray(end - self._base + 1)
        cum = [0] * len(flags)
        working: list[int] = []
        running = 0
        lib_first, lib_last = library_years()
        statutory: dict[date, str] = {}
        if self._provisional:
            from gongkai.foi.holiday_law import statutory_holidays  # data for provisional years only

            for year in self.provisional_years:
                statutory.update(statutory_holidays(year))
        for i in range(len(flags)):
            d = date.fromordinal(self._base + i)
            if d in self.corrections:
                flag = self.corrections[d]
            elif lib_first <= d.year <= lib_last:
                flag = _library_flag(d)
            else:
                flag = d.weekday() < 5 and d not in statutory
            if flag:
                flags[i] = 1
                running += 1
                working.append(self._base + i)
            cum[i] = running
        self._flags = flags
        self._cum = cum
        self._working = working

    # -- look-ups ---------------------------------------------------------------------------

    def _index(self, d: date) -> int:
        if d.year not in self._covered:
            raise CalendarRangeError(d.year, self.known_years)
        return d.toordinal() - self._base

    def _check_years(self, a: date, b: date) -> None:
        for year in range(min(a.year, b.year), max(a.year, b.year) + 1):
            if year not in self._covered:
                raise CalendarRangeError(year, self.known_years)

    def is_known(self, d: date) -> bool:
        """True when the year of ``d`` is known for certain (library data or confirmed)."""
        return d.year in self._known

    def provisional_in(self, a: date, b: date) -> tuple[int, ...]:
        """The provisional years a count from ``a`` to ``b`` relies on (empty: the result is final)."""
        hi = max(a.year, b.year)
        if hi <= self._last_known:
            return ()
        return tuple(y for y in range(min(a.year, b.year), hi + 1) if y in self._provisional)

    def is_working_day(self, d: date) -> bool:
        """True for a working day (including 调休 weekend working days)."""
        return bool(self._flags[self._index(d)])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days ``x`` with ``a < x <= b`` (negative when ``b`` is before ``a``)."""
        self._check_years(a, b)
        return self._cum[b.toordinal() - self._base] - self._cum[a.toordinal() - self._base]

    def add_working_days(
        self,
        start: date,
        n: int,
        pauses: Iterable[tuple[date, date]] = (),
    ) -> date:
        """The day the count of working days after ``start`` reaches ``n``.

        Working days ``d`` with ``A < d <= B`` for a pause ``(A, B)`` are not counted
        (third-party or inter-agency consultation). ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise CalendarError(f"工作日天数不能为负数：{n}")
        start_i = self._index(start)
        if n == 0:
            return start
        merged = _merge_pauses(pauses)
        k = self._cum[start_i]  # working days up to and including start
        extra = 0
        while True:
            pos = k + n + extra - 1
            if pos >= len(self._working):
                raise CalendarRangeError(self._last_year + 1, self.known_years)
            due_ord = self._working[pos]
            paused = self._paused(merged, start.toordinal(), due_ord)
            if paused == extra:
                break
            extra = paused
        due = date.fromordinal(due_ord)
        self._check_years(start, due)
        return due

    def _paused(self, merged: list[tuple[int, int]], start_ord: int, due_ord: int) -> int:
        total = 0
        cum = self._cum
        base = self._base
        for a, b in merged:
            lo = max(a, start_ord)
            hi = min(b, due_ord)
            if hi > lo:
                total += cum[hi - base] - cum[lo - base]
        return total

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def working_days_in(self, year: int) -> list[date]:
        """All working days of a known year."""
        if year not in self._covered:
            raise CalendarRangeError(year, self.known_years)
        lo = date(year, 1, 1).toordinal()
        hi = date(year, 12, 31).toordinal()
        i = bisect.bisect_left(self._working, lo)
        j = bisect.bisect_right(self._working, hi)
        return [date.fromordinal(o) for o in self._working[i:j]]


def _merge_pauses(pauses: Iterable[tuple[date, date]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ordinal intervals (A, B]; a pause ending before it starts is an error."""
    spans: list[tuple[int, int]] = []
    for a, b in pauses:
        if b < a:
            raise CalendarError(f"暂停区间无效：结束日期 {b.isoformat()} 早于开始日期 {a.isoformat()}")
        if b > a:
            spans.append((a.toordinal(), b.toordinal()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The library calendar without corrections (shared, built once)."""
    return WorkingCalendar()


@lru_cache(maxsize=1)
def provisional_calendar() -> WorkingCalendar:
    """The library calendar with two provisional years after it (shared, built once)."""
    return WorkingCalendar(provisional_years=PROVISIONAL_YEARS)


PROVISIONAL_YEARS = 2  # years after the last known one counted provisionally
