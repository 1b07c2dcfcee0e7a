"""The availability strip of a unit: per target, each of the last 30 days' share of failed probes, and the
shares over the last 7 and 30 days (what the page and its ECharts chart show)."""

from __future__ import annotations

import datetime as dt

from gongkai.web.monitoring.history import day_counts
from gongkai.web.monitoring.models import ProbeTarget


def _share(up: int, down: int) -> float | None:
    return round(100 * down / (up + down), 2) if up + down else None


def strip(
    unit_id: int, today: dt.date, days: int = 30, warn: float = 0.03, limit: float = 0.05
) -> list[dict]:
    """Per active target: a cell for each of the ``days`` days before ``today`` and today so far (date, up,
    down, skipped, share %, level), and the shares over the last 7 and 30 whole days (the check's windows)."""
    start = today - dt.timedelta(days=days)
    counts = day_counts(unit_id, start, today + dt.timedelta(days=1))
    out = []
    for target in ProbeTarget.objects.filter(unit_id=unit_id, active=True).order_by("kind", "pk"):
        by_day = {c.day: c for c in counts if c.url == target.url}
        cells = []
        for i in range(days + 1):
            day = start + dt.timedelta(days=i)
            c = by_day.get(day)
            up, down, skipped = (c.up, c.down, c.skipped) if c else (0, 0, 0)
            share = _share(up, down)
            level = (
                "none"
                if share is None
                else "bad"
                if share > 100 * limit
                else "warn"
                if share > 100 * warn
                else "ok"
            )
            cells.append({"day": day.isoformat(), "label": f"{day:%m-%d}", "up": up, "down": down,
                          "skipped": skipped, "share": share, "level": level})  # fmt: skip
        out.append(
            {
                "name": target.label,
                "url": target.url,
                "cells": cells,
                "share7": _total(cells[-8:-1]),
                "share30": _total(cells[:-1]),
            }
        )
    return out


def _total(cells: list[dict]) -> dict:
    up = sum(c["up"] for c in cells)
    down = sum(c["down"] for c in cells)
    return {"up": up, "down": down, "share": _share(up, down)}
