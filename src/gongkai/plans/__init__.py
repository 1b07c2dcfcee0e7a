"""Annual work plans (政务公开工作要点任务分解表) without Django: the work areas (a configurable list), deadlines
and reporting periods, and completion rates. The web app `gongkai.web.plans` keeps plans, tasks and progress.

Others import: Area, AreasError, load_areas, area_names, resolve_area, group_of, groups,
Period, periods, parse_deadline, deadline_text, KIND_LABELS, completion_points.
"""

from __future__ import annotations

from gongkai.plans.areas import (
    Area,
    AreasError,
    area_names,
    group_of,
    groups,
    heading_of,
    load_areas,
    resolve_area,
)
from gongkai.plans.deadlines import KIND_LABELS, Period, deadline_text, parse_deadline, periods


def completion_points(points: float, done: int, counted: int) -> float | None:
    """Points of a framework item scored from task completion: its points times the share of due (or already
    done) task periods that are done; None when nothing was due yet (the item stays pending)."""
    if counted <= 0:
        return None
    return round(points * done / counted, 2)


__all__ = [
    "KIND_LABELS",
    "Area",
    "AreasError",
    "Period",
    "area_names",
    "completion_points",
    "deadline_text",
    "group_of",
    "groups",
    "heading_of",
    "load_areas",
    "parse_deadline",
    "periods",
    "resolve_area",
]
