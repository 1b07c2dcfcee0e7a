"""When a target is probed: ``per_day`` times a day at randomised times, one in each equal part of the day
(so visits are spread, as the checklist's "每天访问20次以上" means, and a site cannot learn the times).

The times are drawn from a hash of (secret, target, day): every worker that plans the same day draws the
same slots, so planning twice (two workers, a restart) adds nothing (the store's unique key does the rest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from zoneinfo import ZoneInfo

DAY = 86400


def day_start(day: dt.date, tz: str = "Asia/Shanghai") -> int:
    """Epoch seconds of local midnight starting ``day``."""
    return int(dt.datetime.combine(day, dt.time(), ZoneInfo(tz)).timestamp())


def day_slots(
    key: str, day: dt.date, per_day: int, *, secret: str = "", tz: str = "Asia/Shanghai"
) -> list[int]:
    """The ``per_day`` probe times (epoch seconds, ascending) of target ``key`` on local ``day``."""
    if per_day < 1:
        raise ValueError(f"每日探测次数应为正整数，而不是 {per_day}")
    seed = hashlib.blake2b(f"{secret}|{key}|{day.isoformat()}".encode(), digest_size=8).digest()
    rng = random.Random(int.from_bytes(seed, "big"))
    start = day_start(day, tz)
    end = day_start(day + dt.timedelta(days=1), tz)  # 23 or 25 hours on a DST change elsewhere
    part = (end - start) / per_day
    return [start + int(i * part + rng.random() * part) for i in range(per_day)]
