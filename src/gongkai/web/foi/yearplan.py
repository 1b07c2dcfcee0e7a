"""A year's holiday schedule in the platform: the month grid shown for confirmation and editing,
the reminder while next year is missing, and the confirmation that makes the year known and
recomputes every deadline it touches (audited, with the list of what moved)."""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from gongkai.calendar import WorkingCalendar
from gongkai.foi.holiday_law import statutory_holidays
from gongkai.foi.holiday_notice import HolidaySchedule
from gongkai.web.foi.calendar_source import invalidate, platform_calendar
from gongkai.web.foi.models import Application, CalendarCorrection, CalendarYear

REMIND_FROM_MONTH = 11  # from 1 November the administrator is reminded while next year is missing


@dataclass
class Day:
    day: date
    working: bool
    label: str  # festival or 调休, "" for an ordinary day

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def swapped(self) -> bool:
        """A day that differs from Monday–Friday working (a holiday on a weekday, a working weekend)."""
        return self.working == self.weekend


def year_days(year: int, schedule: HolidaySchedule | None = None) -> list[Day]:
    """Every day of ``year`` as the parsed notice says, or else as the platform counts it now
    (confirmed or library data; provisional: weekends and statutory holidays)."""
    if schedule is not None:
        labels = {**schedule.holidays, **schedule.workdays}
        return [Day(d, w, labels.get(d, "")) for d, w in schedule.year_flags().items()]
    cal = platform_calendar()
    statutory = statutory_holidays(year)
    notes = dict(
        CalendarCorrection.objects.filter(day__year=year).exclude(note="").values_list("day", "note")
    )
    covered = year in cal.known_years or year in cal.provisional_years
    days, d = [], date(year, 1, 1)
    while d.year == year:
        working = cal.is_working_day(d) if covered else d.weekday() < 5 and d not in statutory
        label = notes.get(d) or statutory.get(d, "")
        if not label and working == (d.weekday() >= 5):
            label = "调休上班" if working else "放假"
        days.append(Day(d, working, label))
        d += timedelta(days=1)
    return days


def current_schedule(year: int) -> HolidaySchedule:
    """The year as the platform counts it now, as a schedule an adjusting notice can be laid over."""
    out = HolidaySchedule(year)
    for x in year_days(year):
        if not x.working and (not x.weekend or x.label):
            out.holidays[x.day] = x.label or "放假"
        elif x.working and x.weekend:
            out.workdays[x.day] = x.label or "调休上班"
    return out


def month_grid(days: list[Day]) -> list[dict[str, Any]]:
    """Twelve months, each a list of weeks of seven cells (None outside the month), Monday first."""
    by_day = {x.day: x for x in days}
    year = days[0].day.year
    months = []
    for month in range(1, 13):
        weeks = [
            [by_day.get(d) if d.month == month else None for d in week]
            for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append({"month": month, "weeks": weeks})
    return months


def reminder(today: date, cal: WorkingCalendar | None = None) -> str:
    """The reminder an administrator sees while this or (from 1 November) next year is missing."""
    cal = cal or platform_calendar()
    if today.year not in cal.known_years:
        return (
            f"{today.year} 年的放假安排尚未确认：本年度的答复期限都是暂定的。"
            f"请导入国务院办公厅关于{today.year}年部分节假日安排的通知并确认全年安排。"
        )
    nxt = today.year + 1
    if today.month >= REMIND_FROM_MONTH and nxt not in cal.known_years:
        return (
            f"{nxt} 年的放假安排尚未确认：跨入 {nxt} 年的答复期限目前按周末和法定节假日暂定计算（未计调休）。"
            f"国务院办公厅公布《关于{nxt}年部分节假日安排的通知》后，请在“工作日日历”页面粘贴或上传通知并确认。"
        )
    return ""


def _corrections_for(year: int, working: set[date], labels: dict[date, str]) -> list[CalendarCorrection]:
    rows, d = [], date(year, 1, 1)
    while d.year == year:
        is_working = d in working
        if is_working != (d.weekday() < 5) or d in labels:
            rows.append(CalendarCorrection(day=d, is_working=is_working, note=labels.get(d, "")[:200]))
        d += timedelta(days=1)
    return rows


@transaction.atomic
def confirm_year(
    year: int, working: set[date], labels: dict[date, str], *, source: str = "", user: Any = None
) -> CalendarYear:
    """Store ``year`` as confirmed with exactly these working days, then recompute every deadline
    that was provisional or is still open. Returns the CalendarYear with ``moved`` filled."""
    CalendarCorrection.objects.filter(day__year=year).delete()
    CalendarCorrection.objects.bulk_create(_corrections_for(year, working, labels))
    record, _ = CalendarYear.objects.update_or_create(
        year=year,
        defaults={"source": source, "confirmed_by": getattr(user, "username", "") or "", "moved": []},
    )
    invalidate()
    record.moved = recompute_after_calendar_change(f"确认 {year} 年放假安排后重算期限")
    record.save(update_fields=["moved"])
    return record


def recompute_after_calendar_change(reason: str) -> list[dict[str, Any]]:
    """Refresh every open or provisional application; the ones whose due date changed, for the record."""
    from django.db.models import Q

    from gongkai.web.foi import services

    cal = platform_calendar()
    moved = []
    apps = Application.objects.filter(Q(due_provisional=True) | ~Q(state__in=("replied", "delivered")))
    for app in apps.select_related("unit").prefetch_related("events"):
        old, was_provisional = app.due_on, app.due_provisional
        app._change_reason = reason
        services.refresh(app, cal)
        if old != app.due_on or was_provisional != app.due_provisional:
            moved.append(
                {
                    "id": app.pk,
                    "number": app.number,
                    "unit": app.unit.name,
                    "old": old.isoformat() if old else "",
                    "new": app.due_on.isoformat() if app.due_on else "",
                    "was_provisional": was_provisional,
                    "provisional": app.due_provisional,
                }
            )
    return moved
