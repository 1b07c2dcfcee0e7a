"""The probe schedule: targets from the unit records, slots planned a day ahead, due slots claimed and probed.

`tick()` is the one step every runner repeats: the in-process scheduler thread (`gongkai serve`), Celery beat
(`gongkai worker --beat`, task gongkai.monitor_tick), the demo's compressed week and the bench. Two runners
ticking at once probe nothing twice:

1. planning draws the same slots in every worker (gongkai.monitor.schedule) and inserts them ignoring
   conflicts on the unique (target, slot);
2. a worker claims due slots with one conditional update (state PLANNED -> CLAIMED, its own random token)
   and probes only the rows that carry its token;
3. a slot not probed in time (no runner, a runner that died) is marked skipped, never probed late.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import random
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import OperationalError, transaction

from gongkai.monitor import Prober, RealClock, day_slots
from gongkai.monitor.rule import MISSED, ProbeState
from gongkai.web.monitoring.models import PlannedDay, Probe, ProbeTarget, TargetKind
from gongkai.web.monitoring.pack import KEEP_DAYS, pack_before
from gongkai.web.units.models import Unit


@dataclass(frozen=True)
class MonitorConfig:
    """How probes are made; the framework's site.availability parameters, with env overrides."""

    per_day: int = 20
    timeout_s: float = 15.0
    retry_pause_s: float = 10.0
    window_days: int = 7
    max_share: float = 0.05
    warn_share: float = 0.03
    grace_s: int = 600  # a slot more than this late is skipped, not probed
    batch: int = 500  # slots claimed per step
    concurrency: int = 64


def monitor_config(**overrides: Any) -> MonitorConfig:
    """The configured framework's site.availability parameters (GONGKAI_MONITOR_FRAMEWORK) as a config."""
    params = _framework_params(settings.GONGKAI_MONITOR_FRAMEWORK)
    values = {
        "per_day": settings.GONGKAI_MONITOR_PER_DAY or int(params["min_per_day"]),
        "timeout_s": float(params["timeout_s"]),
        "retry_pause_s": float(settings.GONGKAI_MONITOR_RETRY_PAUSE),
        "window_days": int(params["window_days"]),
        "max_share": float(params["max_share"]),
        "warn_share": float(params["warn_share"]),
    }
    values.update(overrides)
    return MonitorConfig(**values)


@functools.lru_cache(maxsize=8)
def _framework_params(framework_id: str) -> dict[str, Any]:
    from gongkai.checks.registry import merged_params
    from gongkai.frameworks import load_framework

    params = merged_params("site.availability", {})
    for leaf in load_framework(framework_id).leaves():
        for ref in leaf.checks:
            if ref.check == "site.availability":
                params = merged_params("site.availability", ref.params)
    return params


def local_day(t: float) -> dt.date:
    return dt.datetime.fromtimestamp(t, ZoneInfo(settings.TIME_ZONE)).date()


# ------------------------------------------------------------------------------------------- targets


def sync_targets() -> list[ProbeTarget]:
    """Targets for every active unit's homepage and 专栏 (other entry points stay as entered); targets of
    inactive units or of addresses no longer registered stop. Returns the new targets."""
    wanted: dict[tuple[int, str], int] = {}
    for unit_id, website, zhuanlan in Unit.objects.filter(active=True).values_list(
        "pk", "website", "zhuanlan_url"
    ):
        if website:
            wanted[(unit_id, website)] = TargetKind.HOME
        if zhuanlan and zhuanlan != website:
            wanted[(unit_id, zhuanlan)] = TargetKind.ZHUANLAN
    existing = {(t.unit_id, t.url): t for t in ProbeTarget.objects.all()}
    stop = [
        t.pk for key, t in existing.items() if t.kind != TargetKind.ENTRY and key not in wanted and t.active
    ]
    ProbeTarget.objects.filter(pk__in=stop).update(active=False)
    revive = [t.pk for key, t in existing.items() if key in wanted and not t.active]
    ProbeTarget.objects.filter(pk__in=revive).update(active=True)
    new = [
        ProbeTarget(unit_id=u, url=url, kind=k) for (u, url), k in wanted.items() if (u, url) not in existing
    ]
    ProbeTarget.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        ProbeTarget.objects.filter(unit_id__in={t.unit_id for t in new}, url__in={t.url for t in new})
    )


def plan(days: Iterable[dt.date], cfg: MonitorConfig, targets: Iterable[ProbeTarget] | None = None) -> int:
    """Insert the slots of ``days`` for the targets (all active ones by default). Idempotent. Rows are made
    and inserted a few thousand at a time, so planning thousands of units takes little memory."""
    if targets is None:
        targets = ProbeTarget.objects.filter(active=True).values_list("pk", flat=True).iterator()
    else:
        targets = [t.pk for t in targets]
    secret = settings.SECRET_KEY[:16]  # slot times a site cannot predict
    days = list(days)
    total, rows = 0, []
    for target_id in targets:
        for day in days:
            rows += [
                Probe(target_id=target_id, slot=s)
                for s in day_slots(str(target_id), day, cfg.per_day, secret=secret, tz=settings.TIME_ZONE)
            ]
        if len(rows) >= 2000:
            total += _insert(rows)
            rows = []
    return total + _insert(rows)


def _insert(rows: list[Probe]) -> int:
    Probe.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# ------------------------------------------------------------------------------------------ probing


def skip_missed(now: float, cfg: MonitorConfig) -> int:
    """Slots no runner probed in time, and claims whose runner died: skipped (counted neither way)."""
    late = Probe.objects.filter(state=ProbeState.PLANNED, slot__lt=now - cfg.grace_s)
    n = late.update(state=ProbeState.SKIPPED, error=MISSED)
    abandoned_before = now - cfg.grace_s - 4 * cfg.timeout_s - cfg.retry_pause_s - 600
    n += Probe.objects.filter(state=ProbeState.CLAIMED, slot__lt=abandoned_before).update(
        state=ProbeState.SKIPPED, error=MISSED, claim=0
    )
    return n


def claim_due(now: float, cfg: MonitorConfig) -> tuple[int, list[Probe]]:
    """Claim up to ``cfg.batch`` due slots for this runner: (token, the claimed probes with their targets)."""
    ids = list(
        Probe.objects.filter(state=ProbeState.PLANNED, slot__lte=now)
        .order_by("slot")
        .values_list("pk", flat=True)[: cfg.batch]
    )
    if not ids:
        return 0, []
    token = secrets.randbits(62) or 1
    with transaction.atomic():  # a claim that fails half way leaves no row claimed
        Probe.objects.filter(pk__in=ids, state=ProbeState.PLANNED).update(
            state=ProbeState.CLAIMED, claim=token
        )
        return token, list(Probe.objects.filter(pk__in=ids, claim=token).select_related("target"))


async def _probe_all(probes: list[Probe], cfg: MonitorConfig, clock: Any) -> list[tuple]:
    prober = Prober(
        timeout_s=cfg.timeout_s, retry_pause_s=cfg.retry_pause_s, clock=clock, concurrency=cfg.concurrency
    )
    for p in probes:
        prober.allow(p.target.url)
    limit = asyncio.Semaphore(cfg.concurrency)

    async def one(p: Probe) -> tuple:
        async with limit:
            return (p, *await prober.probe_counted(p.target.url))

    async with prober:
        return await asyncio.gather(*(one(p) for p in probes))


def store(token: int, results: list[tuple]) -> list[int]:
    """Write the results of a claim; returns the targets with a new failure."""
    failed = []
    with transaction.atomic():
        for probe, state, attempt, attempts in results:
            Probe.objects.filter(pk=probe.pk, claim=token).update(
                state=state,
                status=attempt.status,
                latency_ms=attempt.latency_ms,
                error=attempt.error,
                attempts=attempts,
                claim=0,
            )
            if state == ProbeState.DOWN:
                failed.append(probe.target_id)
    return failed


def _patiently(fn: Any, *args: Any) -> Any:
    """Run ``fn`` again when SQLite reports a lock another runner holds beyond the busy timeout (the shared
    cache of an in-memory database does not wait at all): probes made are not lost for a busy moment."""
    for attempt in range(50):
        try:
            return fn(*args)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05 + random.random() * 0.05)
    raise AssertionError("unreachable")


@dataclass
class TickReport:
    planned: int = 0
    skipped: int = 0
    probed: int = 0
    failed: int = 0
    alerts: list = field(default_factory=list)


def _prepare(now: float, cfg: MonitorConfig, sync: bool) -> tuple[int, int]:
    """Targets from the unit records, today's and tomorrow's slots, old days packed, missed slots skipped."""
    planned_rows = 0
    today = local_day(now)
    days = [today, today + dt.timedelta(days=1)]
    new = sync_targets() if sync else []
    planned = set(PlannedDay.objects.filter(day__in=days).values_list("day", flat=True))
    if new and planned:
        planned_rows += plan(sorted(planned), cfg, new)
    for day in days:
        if day not in planned:
            planned_rows += plan([day], cfg)
            PlannedDay.objects.get_or_create(day=day)
            pack_before(today - dt.timedelta(days=KEEP_DAYS))  # once a day: old probes into day rows
    return planned_rows, skip_missed(now, cfg)


def tick(clock: Any = None, cfg: MonitorConfig | None = None, *, sync: bool = True) -> TickReport:
    """One step of the schedule at ``clock.now()``: plan today and tomorrow, skip missed slots, probe the
    due ones (in batches until none is due), and raise warnings for targets with new failures."""
    from gongkai.web.monitoring.alerts import check_targets

    clock = clock or RealClock()
    cfg = cfg or monitor_config()
    now = clock.now()
    report = TickReport()
    report.planned, report.skipped = _patiently(_prepare, now, cfg, sync)
    failed: set[int] = set()
    while True:
        token, probes = _patiently(claim_due, now, cfg)
        if not probes:
            break
        results = asyncio.run(_probe_all(probes, cfg, clock))
        failed.update(_patiently(store, token, results))
        report.probed += len(results)
        if len(probes) < cfg.batch:
            break  # nothing more was due
    report.failed = len(failed)
    if failed:
        report.alerts = check_targets(failed, now, cfg)
    return report


def run_compressed(
    start: float,
    end: float,
    step_s: float = 3600.0,
    cfg: MonitorConfig | None = None,
    clock: Any = None,
    jump: bool = True,
) -> TickReport:
    """Run the schedule from ``start`` to ``end`` (epoch seconds) on a virtual clock: each step goes ``step_s``
    on (the tick interval of a real runner) or, with ``jump``, to the next planned slot when that comes first
    (each probe at its exact time). The demo's compressed week, the bench's day and the tests use it."""
    from django.db.models import Min

    from gongkai.monitor import SteppedClock

    clock = clock or SteppedClock(start)
    clock.set(start)
    cfg = cfg or monitor_config()
    total = TickReport()
    synced: dt.date | None = None
    while clock.now() <= end:
        day = local_day(clock.now())
        r = tick(clock, cfg, sync=day != synced)  # units are read again each (virtual) day
        synced = day
        total.planned += r.planned
        total.skipped += r.skipped
        total.probed += r.probed
        total.failed += r.failed
        total.alerts.extend(r.alerts)
        now = clock.now()
        if jump:
            nxt = Probe.objects.filter(state=ProbeState.PLANNED, slot__gt=now).aggregate(n=Min("slot"))["n"]
            clock.set(min(now + step_s, nxt) if nxt is not None else now + step_s)
        else:
            clock.set(now + step_s)
    return total
