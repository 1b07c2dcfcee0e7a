"""Probe history read back: per-day counts for the availability strip and the check, and the failed probes
(the check's evidence). Days are local days (settings.TIME_ZONE)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, ExpressionWrapper, F, IntegerField

from gongkai.model import SiteModel
from gongkai.monitor.rule import ProbeDay as ProbeDayCounts
from gongkai.monitor.rule import ProbeFailure, ProbeHistory, ProbeState
from gongkai.monitor.schedule import day_start
from gongkai.web.monitoring.models import Probe, ProbeDay, ProbeTarget
from gongkai.web.monitoring.pack import unpack

HISTORY_DAYS = 31  # what a round's check is given: enough for any framework's window


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_counts(unit_id: int, start: dt.date, end: dt.date) -> list[ProbeDayCounts]:
    """Per target and local day in [start, end): probes up, down and skipped."""
    first, last = day_start(start, settings.TIME_ZONE), day_start(end, settings.TIME_ZONE)
    offset = int(dt.datetime.fromtimestamp(first, _tz()).utcoffset().total_seconds())
    rows = (
        Probe.objects.filter(target__unit_id=unit_id, slot__gte=first, slot__lt=last)
        .annotate(d=ExpressionWrapper((F("slot") + offset) / 86400, output_field=IntegerField()))
        .values("target_id", "d", "state")
        .annotate(n=Count("id"))
    )
    targets = {t.pk: t for t in ProbeTarget.objects.filter(unit_id=unit_id)}
    cells: dict[tuple[int, int], dict[int, int]] = {}
    for r in rows:
        cells.setdefault((r["target_id"], r["d"]), {})[r["state"]] = r["n"]
    out = _packed_counts(unit_id, start, end)
    for (target_id, d), n in sorted(cells.items()):
        t = targets[target_id]
        out.append(
            ProbeDayCounts(
                day=dt.date(1970, 1, 1) + dt.timedelta(days=d),
                target=t.label,
                url=t.url,
                up=n.get(ProbeState.UP, 0),
                down=n.get(ProbeState.DOWN, 0),
                skipped=n.get(ProbeState.SKIPPED, 0),
            )
        )
    return out


def _packed_days(unit_id: int, start: dt.date, end: dt.date):
    return ProbeDay.objects.filter(target__unit_id=unit_id, day__gte=start, day__lt=end).select_related(
        "target"
    )


def _packed_counts(unit_id: int, start: dt.date, end: dt.date) -> list[ProbeDayCounts]:
    return [
        ProbeDayCounts(d.day, d.target.label, d.target.url, d.up, d.down, d.skipped)
        for d in _packed_days(unit_id, start, end).defer("packed")
    ]


def _packed_failures(unit_id: int, start: dt.date, end: dt.date) -> list[ProbeFailure]:
    out = []
    for d in _packed_days(unit_id, start, end).filter(down__gt=0).order_by("day"):
        midnight = dt.datetime.combine(d.day, dt.time())
        for second, state, error, attempts, status, latency in unpack(d.packed):
            if state == ProbeState.DOWN:
                at = midnight + dt.timedelta(seconds=second)
                out.append(ProbeFailure(at, d.target.label, d.target.url, status, error, latency, attempts))
    return out


def failures(unit_id: int, start: dt.date, end: dt.date) -> list[ProbeFailure]:
    first, last = day_start(start, settings.TIME_ZONE), day_start(end, settings.TIME_ZONE)
    rows = (
        Probe.objects.filter(target__unit_id=unit_id, slot__gte=first, slot__lt=last, state=ProbeState.DOWN)
        .select_related("target")
        .order_by("slot")
    )
    return _packed_failures(unit_id, start, end) + [
        ProbeFailure(
            at=dt.datetime.fromtimestamp(p.slot, _tz()).replace(tzinfo=None),
            target=p.target.label,
            url=p.target.url,
            status=p.status,
            error=p.error,
            latency_ms=p.latency_ms,
            attempts=p.attempts,
        )
        for p in rows
    ]


def probe_history(unit_id: int, as_of: dt.date, days: int = HISTORY_DAYS) -> ProbeHistory | None:
    """The unit's probes of the ``days`` days before ``as_of`` (None when it was never monitored)."""
    if not ProbeTarget.objects.filter(unit_id=unit_id).exists():
        return None
    from gongkai.web.monitoring.scheduler import monitor_config

    cfg = monitor_config()
    start = as_of - dt.timedelta(days=days)
    return ProbeHistory(
        days=tuple(day_counts(unit_id, start, as_of)),
        failures=tuple(failures(unit_id, start, as_of)),
        per_day=cfg.per_day,
        timeout_s=cfg.timeout_s,
    )


def with_probes(model: SiteModel, unit_id: int, as_of: dt.date) -> SiteModel:
    """The site model with the unit's probe history, for site.availability (unchanged when unmonitored)."""
    history = probe_history(unit_id, as_of)
    return model if history is None else dataclasses.replace(model, probes=history)
