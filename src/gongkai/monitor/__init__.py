"""Availability monitoring (国办秘函〔2019〕19号 V2 站点无法访问): scheduled probes of each unit's homepage and
专栏, the counting rule, and the failure share over a window. Plain Python: the platform's monitoring app
(gongkai.web.monitoring) stores the probes and runs the schedule; the check site.availability judges.

Public API (others import only these):
- ``day_slots``: a target's randomised probe times for one day (schedule).
- ``Attempt``, ``ProbeState``, ``ERRORS``, ``classify``: one probe's outcome and how it counts (rule).
- ``ProbeDay``, ``ProbeFailure``, ``ProbeHistory``, ``WindowStats``, ``window_stats``: what the check reads.
- ``Prober``: probes URLs through the egress guard with the checklist's timeout and the retry rule (probe).
- ``RealClock``, ``SteppedClock``: wall time, or a compressed/virtual schedule (demo, bench, tests).
"""

from gongkai.monitor.clock import RealClock, SteppedClock
from gongkai.monitor.probe import Prober
from gongkai.monitor.rule import (
    ERRORS,
    Attempt,
    ProbeDay,
    ProbeFailure,
    ProbeHistory,
    ProbeState,
    WindowStats,
    classify,
    window_stats,
)
from gongkai.monitor.schedule import day_slots

__all__ = [
    "ERRORS",
    "Attempt",
    "ProbeDay",
    "ProbeFailure",
    "ProbeHistory",
    "ProbeState",
    "Prober",
    "RealClock",
    "SteppedClock",
    "WindowStats",
    "classify",
    "day_slots",
    "window_stats",
]
