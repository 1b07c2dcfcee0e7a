"""Sites that go down on a schedule, for availability monitoring (tests, the demo, the bench).

An ``Outages`` says when a site is down, as a function of time (epoch seconds from a clock the server is
given: wall time, or the virtual clock of a compressed schedule):

- ``daily``: windows in local seconds of the day, e.g. ((7200, 12600),) = down 02:00-03:30 every day;
- ``flap_period``/``flap_down``: down for ``flap_down`` seconds at the start of every ``flap_period``
  seconds (a flapping site: a retry a short pause later often finds it down still).

While down the site answers every request with ``how``: "503" (服务不可用) or "reset" (connection cut).
"""

from __future__ import annotations

from dataclasses import dataclass

OUTAGE_MODES = ("503", "reset")


@dataclass(frozen=True)
class Outages:
    daily: tuple[tuple[float, float], ...] = ()
    flap_period: float = 0.0
    flap_down: float = 0.0
    how: str = "503"
    utc_offset: float = 8 * 3600  # local time of the daily windows (Asia/Shanghai)

    def __post_init__(self) -> None:
        if self.how not in OUTAGE_MODES:
            raise ValueError(f"未知的停机方式：{self.how}（可选：{', '.join(OUTAGE_MODES)}）")

    def down_at(self, t: float) -> bool:
        local = (t + self.utc_offset) % 86400
        if any(start <= local < end for start, end in self.daily):
            return True
        return bool(self.flap_period) and (t % self.flap_period) < self.flap_down

    def down_share(self) -> float:
        """The share of a day the site is down (windows assumed not to overlap the flaps much)."""
        daily = sum(end - start for start, end in self.daily) / 86400
        flaps = self.flap_down / self.flap_period if self.flap_period else 0.0
        return min(1.0, daily + flaps)
