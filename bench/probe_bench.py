"""Availability probe scheduling at scale: CPU share of a core and peak memory of one worker running the probe
schedule of many units for a compressed day, and the storage a unit's probes take per year. Prints figures and
the ratio against the issue's targets (baseline: < 5% of a core, < 200 MiB); not a test.

    python bench/probe_bench.py                      # 3,000 units, homepage + 专栏, 20 probes a day, one day
    python bench/probe_bench.py --units 300 --hours 6

The worker is this process: the real scheduler (`gongkai.web.monitoring.scheduler.tick`, units synced every
tick) on SQLite, ticking every 30 s of a virtual clock (as `gongkai serve` does in real time); every probe is a
real HTTP request to the fleet, served by another process (its CPU is not the worker's). A few fleet sites flap
(down 150 s each hour, by the same virtual clock, shared through a memory-mapped file), so retries and warnings
happen. CPU share = the worker's CPU seconds over the compressed span / the span's real length.
"""

from __future__ import annotations

import argparse
import mmap
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = 1796486400  # 2026-12-06 00:00 Asia/Shanghai
TICK_S = 30.0
TARGET_CORE = 0.05
TARGET_MIB = 200

SERVER = """
import json, mmap, struct, sys
from gongkai.fleet import FleetServer, Outages, generate_fleet
n, clock_file = int(sys.argv[1]), sys.argv[2]
fleet = generate_fleet(n, seed=20)
clock_fh = open(clock_file, "r+b")
mm = mmap.mmap(clock_fh.fileno(), 8)
now = lambda: struct.unpack("d", mm[:8])[0]
flap = Outages(flap_period=3600, flap_down=150)
server = FleetServer(fleet, outages={s.name: flap for s in fleet.sites[:2]}, clock=now).start()
print(json.dumps([[server.url_of(s), s.cms] for s in fleet.sites]), flush=True)
sys.stdin.read()
server.stop()
"""


class SharedClock:
    """The virtual clock, written where the fleet process reads it."""

    def __init__(self, path: Path, start: float) -> None:
        self.file = open(path, "r+b")  # noqa: SIM115 - kept open for the map
        self.mm = mmap.mmap(self.file.fileno(), 8)
        self.set(start)

    def now(self) -> float:
        return struct.unpack("d", self.mm[:8])[0]

    def set(self, t: float) -> None:
        self.mm[:8] = struct.pack("d", t)

    def advance(self, s: float) -> float:
        self.set(self.now() + s)
        return self.now()

    async def pause(self, s: float) -> None:
        self.advance(s)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--sites", type=int, default=20, help="fleet sites the units' addresses are spread over")
    ap.add_argument("--hours", type=float, default=24.0, help="virtual hours to run (a compressed day)")
    ap.add_argument("--per-day", type=int, default=20)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="probe-bench-"))
    os.environ["GONGKAI_DATA_DIR"] = str(work)
    os.environ["GONGKAI_MONITOR_PER_DAY"] = str(args.per_day)
    clock_file = work / "clock"
    clock_file.write_bytes(b"\0" * 8)
    clock = SharedClock(clock_file, START)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.sites), str(clock_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    import json

    sites = json.loads(server.stdout.readline())
    try:
        run(args, work, clock, sites)
    finally:
        server.stdin.close()
        server.wait(30)


def run(args, work: Path, clock: SharedClock, sites: list) -> None:
    from gongkai.web.bootstrap import migrate, setup_django

    setup_django(work)
    migrate()
    from django.db import connection

    from gongkai.fleet.generate import zhuanlan_path
    from gongkai.monitor.rule import ProbeState
    from gongkai.web.monitoring.models import AvailabilityAlert, Probe
    from gongkai.web.monitoring.scheduler import monitor_config, tick
    from gongkai.web.units.models import Unit

    Unit.objects.bulk_create(
        [
            Unit(
                name=f"基准单位{i:05d}",
                website=f"{sites[i % len(sites)][0]}?u={i}",
                zhuanlan_url=f"{sites[i % len(sites)][0].rstrip('/')}{zhuanlan_path(sites[i % len(sites)][1])}?u={i}",
            )
            for i in range(args.units)
        ]
    )
    cfg = monitor_config()
    end = START + args.hours * 3600
    ticks, cpu0, wall0 = 0, cpu(), time.perf_counter()
    while clock.now() < end:
        tick(clock, cfg)
        ticks += 1
        clock.set(START + ticks * TICK_S)
    used, wall = cpu() - cpu0, time.perf_counter() - wall0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    done = Probe.objects.filter(state__in=[ProbeState.UP, ProbeState.DOWN])
    counted, failed = done.count(), done.filter(state=ProbeState.DOWN).count()
    skipped = Probe.objects.filter(state=ProbeState.SKIPPED).count()
    span = args.hours * 3600
    share = used / span
    per_probe = probe_bytes(connection, Probe.objects.count())
    per_unit_year = per_probe * args.per_day * 2 * 365

    print(f"单位 {args.units} 个（首页 + 专栏），每天每个地址 {args.per_day} 次，压缩运行 {args.hours:g} 小时，"
          f"每 {TICK_S:g} 秒一次排程（共 {ticks} 次）")  # fmt: skip
    print(f"探测 {counted} 次（失败 {failed} 次，未探测 {skipped} 次），可用性提醒 {AvailabilityAlert.objects.count()} 条；"
          f"实际耗时 {wall:.0f} 秒")  # fmt: skip
    print(f"执行者 CPU：{used:.1f} 秒 / {span:.0f} 秒 = {share:.3%} 个核心（目标 < {TARGET_CORE:.0%}，"
          f"比值 {share / TARGET_CORE:.3f}）；每次探测 {1000 * used / max(counted, 1):.2f} 毫秒")  # fmt: skip
    print(f"峰值内存：{peak_mib:.0f} MiB（目标 < {TARGET_MIB} MiB，比值 {peak_mib / TARGET_MIB:.2f}）")
    print(f"存储（原样，最近 35 天）：每次探测 {per_probe:.1f} 字节（含索引），折合每个单位每年 {per_unit_year / 1024:.0f} KiB"
          f"（{args.per_day} 次 x 2 个地址 x 365 天），{args.units} 个单位每年 {per_unit_year * args.units / 2**30:.2f} GiB")  # fmt: skip
    packed_day = packed_bytes(connection, counted + skipped, args.per_day)
    packed_year = packed_day * 2 * 365
    print(f"存储（35 天后按日打包，每次探测 8 字节）：每个地址每天 {packed_day:.0f} 字节（含索引），每个单位每年 "
          f"{packed_year / 1024:.0f} KiB，{args.units} 个单位每年 {packed_year * args.units / 2**30:.2f} GiB"
          f"（原样的 1/{per_unit_year / packed_year:.1f}）")  # fmt: skip


def packed_bytes(connection, probes: int, per_day: int) -> float:
    """Bytes per target and day once packed: the finished probes are packed here (pack_before), the table
    and its index measured; a partial day is scaled to ``per_day`` probes (8 bytes each)."""
    import datetime as dt

    from gongkai.web.monitoring.models import ProbeDay
    from gongkai.web.monitoring.pack import pack_before

    pack_before(dt.date(2100, 1, 1))
    rows = ProbeDay.objects.count()
    with connection.cursor() as c:
        c.execute("VACUUM")
        c.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('monitoring_probeday', 'monitoring_day_unique')"
            " OR name LIKE 'sqlite_autoindex_monitoring_probeday%'"
        )
        total = c.fetchone()[0] or 0
    return (total - 8 * probes) / max(rows, 1) + 8 * per_day


def probe_bytes(connection, rows: int) -> float:
    """Bytes per probe row of the probe table and its indexes (SQLite dbstat), after a VACUUM."""
    with connection.cursor() as c:
        c.execute("VACUUM")
        c.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('monitoring_probe', 'monitoring_probe_due',"
            " 'monitoring_probe_unique_slot') OR name LIKE 'sqlite_autoindex_monitoring_probe%'"
        )
        total = c.fetchone()[0] or 0
    return total / max(rows, 1)


if __name__ == "__main__":
    main()
