"""Clocks of the probe schedule: wall time, or a virtual time that a demo, a bench or a test steps through
(a compressed schedule). Fleet sites that go down on a schedule read the same clock."""

from __future__ import annotations

import asyncio
import threading
import time


class RealClock:
    """Wall time; pauses really wait."""

    def now(self) -> float:
        return time.time()

    async def pause(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class SteppedClock:
    """Virtual time (epoch seconds) advanced by ``advance``; a pause moves it on at once, so a week of
    probes runs in seconds. Shared by threads (the fleet server reads it from its own loop)."""

    def __init__(self, start: float) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def freeze(self, t: float) -> None:
        """Stop at ``t`` (a compressed schedule is over; what reads the clock now sees that moment)."""
        self.set(t)

    def set(self, t: float) -> None:
        with self._lock:
            self._now = float(t)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    async def pause(self, seconds: float) -> None:
        self.advance(seconds)
        await asyncio.sleep(0)
