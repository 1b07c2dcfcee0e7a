"""The platform's working-day calendar: library data, the years an administrator confirmed as a
whole (CalendarYear) and the day corrections stored in the database."""

from __future__ import annotations

from gongkai.calendar import PROVISIONAL_YEARS, WorkingCalendar

_cache: dict[bool, WorkingCalendar] = {}


def platform_calendar(provisional: bool = True) -> WorkingCalendar:
    """The calendar with every CalendarCorrection applied and the confirmed years known (rebuilt
    when they change). ``provisional`` (the platform's default): the years after the known ones
    are counted provisionally (暂定) instead of refused."""
    cal = _cache.get(provisional)
    if cal is None:
        from gongkai.web.foi.models import CalendarCorrection, CalendarYear

        corrections = dict(CalendarCorrection.objects.values_list("day", "is_working"))
        confirmed = list(CalendarYear.objects.values_list("year", flat=True))
        cal = WorkingCalendar(corrections, confirmed, PROVISIONAL_YEARS if provisional else 0)
        _cache[provisional] = cal
    return cal


def invalidate(**_: object) -> None:
    _cache.clear()
