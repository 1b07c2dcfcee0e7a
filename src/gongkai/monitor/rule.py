"""How probes count (the rule README.md and docs/monitoring.md state), and the failure share over a window.

The checklist (国办秘函〔2019〕19号 V2) counts the visits after which the site "still does not open after
15 seconds". We count so:

1. A probe is one GET of the page at its scheduled time, no redirect followed, the whole answer within the
   timeout (15 s). It is *up* when the answer's status is 200-399; *down* on a 4xx/5xx status, a timeout,
   a refused or cut connection, a name that does not resolve, a TLS failure.
2. A down attempt is retried once, by the same worker, after a short pause (10 s by default). The probe
   counts as failed only when the retry fails too; the stored status, latency and error are the last
   attempt's, with the number of attempts.
3. A probe we did not make (no worker ran at its time, its worker died, the egress guard refused the
   address) is *skipped*: counted neither way. A week with days under the daily minimum (20) is therefore
   UNCERTAIN, never FAIL.
4. The share is failed / (up + failed), per target (homepage, 专栏, other entry points), over the window's
   whole days (the ``window_days`` days before the cut-off date). FAIL when a target's share is above the
   framework's (5%) on a fully monitored window; the pre-warning fires above a tighter share (3%).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class ProbeState(enum.IntEnum):
    PLANNED = 0
    CLAIMED = 1  # a worker took the slot and is probing
    UP = 2
    DOWN = 3  # failed, retry included
    SKIPPED = 4  # not probed by our fault or policy: not counted


# Error codes stored with a probe (small integers), with their Chinese text.
NO_ERROR, TIMEOUT, CONNECT, RESET, DNS, TLS, HTTP, REFUSED, MISSED, OTHER = range(10)
ERRORS: dict[int, str] = {
    NO_ERROR: "",
    TIMEOUT: "超时无应答",
    CONNECT: "无法建立连接",
    RESET: "连接中断",
    DNS: "域名无法解析",
    TLS: "加密连接（证书）错误",
    HTTP: "HTTP 错误状态码",
    REFUSED: "出口守卫拒绝（不计入）",
    MISSED: "错过探测时间（不计入）",
    OTHER: "其他错误",
}


@dataclass(frozen=True)
class Attempt:
    """One request: its status (0 = no answer), latency in milliseconds and error code."""

    status: int = 0
    latency_ms: int = 0
    error: int = NO_ERROR

    @property
    def up(self) -> bool:
        return self.error == NO_ERROR and 200 <= self.status < 400

    def text(self) -> str:
        if self.error == HTTP or (self.status and self.error == NO_ERROR):
            return f"状态码 {self.status}"
        return ERRORS.get(self.error, "其他错误")


def classify(first: Attempt, retry: Attempt | None) -> ProbeState:
    """The state a probe counts as: up when an attempt was up; skipped when the guard refused it; down when
    the retry failed too (a first failure without its retry is not yet a failure)."""
    if first.up or (retry is not None and retry.up):
        return ProbeState.UP
    if first.error == REFUSED or (retry is not None and retry.error == REFUSED):
        return ProbeState.SKIPPED
    return ProbeState.DOWN if retry is not None else ProbeState.CLAIMED


@dataclass(frozen=True)
class ProbeDay:
    """One target's probes on one local day."""

    day: dt.date
    target: str  # 首页 | 专栏 | another entry point's name
    url: str
    up: int = 0
    down: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class ProbeFailure:
    """A failed probe, the evidence of a FAIL."""

    at: dt.datetime  # local time of the slot
    target: str
    url: str
    status: int = 0
    error: int = NO_ERROR
    latency_ms: int = 0
    attempts: int = 2

    def text(self) -> str:
        what = Attempt(self.status, self.latency_ms, self.error).text()
        again = "，重试一次仍失败" if self.attempts > 1 else ""
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.target}探测失败：{what}{again}"


@dataclass(frozen=True)
class ProbeHistory:
    """What the monitor knows of a unit's availability: per-day counts, the failed probes, and how probes
    were made (per day, timeout)."""

    days: tuple[ProbeDay, ...] = ()
    failures: tuple[ProbeFailure, ...] = ()
    per_day: int = 20
    timeout_s: float = 15.0


@dataclass(frozen=True)
class WindowStats:
    """One target's probes over a window."""

    target: str
    url: str
    up: int
    down: int
    skipped: int
    days: int  # days in the window
    monitored_days: int  # days with at least the daily minimum of counted probes
    failures: tuple[ProbeFailure, ...]

    @property
    def counted(self) -> int:
        return self.up + self.down

    @property
    def share(self) -> float:
        return self.down / self.counted if self.counted else 0.0

    @property
    def complete(self) -> bool:
        return self.monitored_days >= self.days


def window_stats(history: ProbeHistory, start: dt.date, end: dt.date, min_per_day: int) -> list[WindowStats]:
    """Per target, the probes of the days ``start`` <= day < ``end``."""
    days = (end - start).days
    targets: dict[str, list[ProbeDay]] = {}
    for d in history.days:
        if start <= d.day < end:
            targets.setdefault(d.target, []).append(d)
    out = []
    for target, rows in targets.items():
        out.append(
            WindowStats(
                target=target,
                url=rows[-1].url,
                up=sum(r.up for r in rows),
                down=sum(r.down for r in rows),
                skipped=sum(r.skipped for r in rows),
                days=days,
                monitored_days=sum(1 for r in rows if r.up + r.down >= min_per_day),
                failures=_failures(history.failures, target, start, end),
            )
        )
    return out


def _failures(failures: Iterable[ProbeFailure], target: str, start: dt.date, end: dt.date) -> tuple:
    return tuple(f for f in failures if f.target == target and start <= f.at.date() < end)
