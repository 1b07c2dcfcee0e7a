"""The platform's working-day calendar: library data plus the corrections stored in the database."""

from __future__ import annotations

from gongkai.calendar import WorkingCalendar

_cache: dict[str, WorkingCalendar] = {}


def platform_calendar() -> WorkingCalendar:
    """The calendar with every CalendarCorrection applied (rebuilt when corrections change)."""
    cal = _cache.get("cal")
    if cal is None:
        from gongkai.web.foi.models import CalendarCorrection

        corrections = dict(CalendarCorrection.objects.values_list("day", "is_working"))
        cal = WorkingCalendar(corrections)
        _cache["cal"] = cal
    return cal


def invalidate(**_: object) -> None:
    _cache.clear()
