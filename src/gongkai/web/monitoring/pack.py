"""Packing old probes: once a day is older than ``KEEP_DAYS``, each target's probes of that day become one
ProbeDay row (the day's counts and every probe in 8 bytes), and the probe rows go. Nothing is lost: the time
(to the second), state, status, latency (ms, capped at 65 s), error and attempts of every probe stay.

Layout of one probe, little-endian: u32 = seconds since local midnight (17 bits) | state << 17 (3 bits) |
error << 20 (4 bits) | attempts << 24 (2 bits); u16 status; u16 latency in ms.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min

from gongkai.monitor.rule import ProbeState
from gongkai.monitor.schedule import day_start
from gongkai.web.monitoring.models import Probe, ProbeDay

KEEP_DAYS = 35  # probe rows kept as they are: the strip's 30 days and a margin
_ONE = struct.Struct("<IHH")
_FINISHED = (ProbeState.UP, ProbeState.DOWN, ProbeState.SKIPPED)


def pack_probe(second: int, state: int, error: int, attempts: int, status: int, latency_ms: int) -> bytes:
    head = second | (state & 7) << 17 | (error & 15) << 20 | (min(attempts, 3) & 3) << 24
    return _ONE.pack(head, min(status, 65535), min(latency_ms, 65535))


def unpack(packed: bytes) -> Iterator[tuple[int, int, int, int, int, int]]:
    """(second of the day, state, error, attempts, status, latency_ms) of each probe of a packed day."""
    for head, status, latency in _ONE.iter_unpack(bytes(packed)):
        yield head & 0x1FFFF, head >> 17 & 7, head >> 20 & 15, head >> 24 & 3, status, latency


def pack_before(before: dt.date) -> int:
    """Pack every finished probe of the days before ``before``; returns the days packed. Safe to run twice
    or on two workers at once (a day's row is unique; a second packing finds no probe rows)."""
    tz = settings.TIME_ZONE
    cutoff = day_start(before, tz)
    finished = Probe.objects.filter(slot__lt=cutoff, state__in=_FINISHED)
    first = finished.aggregate(n=Min("slot"))["n"]
    days = 0
    while first is not None:  # only days that have probes (a long gap costs nothing)
        day = dt.datetime.fromtimestamp(first, ZoneInfo(tz)).date()
        _pack_day(day, tz)
        days += 1
        later = finished.filter(slot__gte=day_start(day + dt.timedelta(days=1), tz))
        first = later.aggregate(n=Min("slot"))["n"]
    return days


def _pack_day(day: dt.date, tz: str) -> None:
    start, end = day_start(day, tz), day_start(day + dt.timedelta(days=1), tz)
    finished = Probe.objects.filter(slot__gte=start, slot__lt=end, state__in=_FINISHED)
    rows: dict[int, ProbeDay] = {}
    parts: dict[int, list[bytes]] = {}
    fields = ("target_id", "slot", "state", "error", "attempts", "status", "latency_ms")
    for target_id, slot, state, error, attempts, status, latency in finished.order_by(
        "target_id", "slot"
    ).values_list(*fields):
        row = rows.get(target_id) or rows.setdefault(target_id, ProbeDay(target_id=target_id, day=day))
        row.up += state == ProbeState.UP
        row.down += state == ProbeState.DOWN
        row.skipped += state == ProbeState.SKIPPED
        parts.setdefault(target_id, []).append(
            pack_probe(slot - start, state, error, attempts, status, latency)
        )
    for target_id, row in rows.items():
        row.packed = b"".join(parts[target_id])
    ProbeDay.objects.bulk_create(list(rows.values()), ignore_conflicts=True, batch_size=1000)
    finished.delete()
