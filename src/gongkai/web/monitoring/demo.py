"""The demo's availability monitoring: a compressed week of scheduled probes of every demo unit (the real
scheduler on a virtual clock, a few seconds), with two fleet sites that go down on a schedule: 市财政局 one
72-minute part of each afternoon (1 of 20 probes a day: 5%, past the 3% pre-warning, not the veto), and another
department two parts of each night (10%: site.availability FAILs in the round, with the failed probes)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings

from gongkai.fleet import Outages
from gongkai.monitor import SteppedClock
from gongkai.monitor.schedule import day_start

PART = 86400 // 20  # the schedule draws one slot in each 72-minute part of the day
WARNED = "市财政局"
WARN_OUTAGE = Outages(daily=((12 * PART, 13 * PART),))  # 14:24-15:36
VETO_OUTAGE = Outages(daily=((1 * PART, 3 * PART),))  # 01:12-03:36
CLOCK = SteppedClock(time.time())  # the fleet's time: the compressed week, then frozen at noon


def _veto_site(fleet) -> str:
    return next(s.name for s in fleet.sites if s.group == "department" and s.name != WARNED)


def fleet_options(fleet) -> dict[str, Any]:
    """The demo fleet server's outages and the clock they follow."""
    outages = {_veto_site(fleet): VETO_OUTAGE}
    if any(s.name == WARNED for s in fleet.sites):
        outages[WARNED] = WARN_OUTAGE
    return {"outages": outages, "clock": CLOCK.now}


def load_demo(ctx: Any) -> list[str]:
    from gongkai.web.monitoring.models import AvailabilityAlert, Probe
    from gongkai.web.monitoring.scheduler import monitor_config, run_compressed

    as_of: dt.date = ctx.options["as_of"]
    start = day_start(as_of - dt.timedelta(days=7), settings.TIME_ZONE)
    end = min(time.time(), day_start(as_of, settings.TIME_ZONE) + 86400 - 1)
    if Probe.objects.filter(slot__gte=start, slot__lt=start + 86400).exists():
        CLOCK.freeze(day_start(as_of, settings.TIME_ZONE) + 12 * 3600)
        return ["可用性监测：演示数据已存在，直接使用"]
    report = run_compressed(start, end, cfg=monitor_config(), clock=CLOCK)
    CLOCK.freeze(day_start(as_of, settings.TIME_ZONE) + 12 * 3600)  # the sites stay up for the round's crawl
    from gongkai.monitor.rule import ProbeState

    failed = Probe.objects.filter(state=ProbeState.DOWN).count()
    warned = sorted({a.unit.name for a in AvailabilityAlert.objects.select_related("unit")})
    return [
        f"可用性监测：压缩运行 {(end - start) / 86400:.1f} 天的探测排程，共探测 {report.probed} 次、失败 {failed} 次；"
        f"{len(warned)} 个单位收到可用性提醒（{'、'.join(warned)}）"
    ]
