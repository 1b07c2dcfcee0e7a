"""Benchmark: one evaluation round over N fleet sites, in-process vs Celery workers, side by side.

Prints wall time, sites per minute, the ratio to the politeness ideal (the slowest site's pages ÷ rate, since
sites are crawled in parallel) and the throughput per worker, so the README can size a province (≈1,000 sites)
and the whole country (≈14,000 sites).

    python bench/round_bench.py --sites 60                 # in-process only (no services needed)
    DATABASE_URL=postgres://gongkai:gongkai@127.0.0.1:5432/gongkai_bench REDIS_URL=redis://127.0.0.1:6390/1 \\
        python bench/round_bench.py --sites 300 --celery-workers 2

The database named in DATABASE_URL is emptied and migrated (use a scratch database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 3, 30)


def setup(data_dir: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    from gongkai.web.bootstrap import migrate, setup_django

    setup_django(data_dir)
    from django.core.management import call_command

    migrate()
    call_command("flush", interactive=False, verbosity=0)


def run_round(
    name: str, threads: int, celery_workers: int, data_dir: Path, rate: float
) -> tuple[float, object]:
    from django.test import override_settings

    from gongkai.web.core.jobs import run_pending_in_threads
    from gongkai.web.evaluation import services

    if celery_workers == 0:
        round_ = services.create_round(name, "zwgk-2026", AS_OF, seed=1, rate=rate, max_pages=5000)
        start = time.perf_counter()
        services.start_round(round_)
        run_pending_in_threads(threads)
        return time.perf_counter() - start, round_
    env = {**os.environ, "GONGKAI_WORKER": "celery"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "gongkai", "worker", "--concurrency", str(threads)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(celery_workers)
    ]
    try:
        time.sleep(4)  # let the workers connect
        with override_settings(WORKER_MODE="celery"):
            round_ = services.create_round(name, "zwgk-2026", AS_OF, seed=1, rate=rate, max_pages=5000)
            start = time.perf_counter()
            services.start_round(round_)
        total = round_.units.count()
        while services.progress_of(round_)["done"] < total:
            time.sleep(0.5)
        return time.perf_counter() - start, round_
    finally:
        for w in workers:
            w.terminate()
            w.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=60)
    parser.add_argument(
        "--scale", type=float, default=0.3, help="fleet size factor (≈150 pages per site at 1.0)"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="requests per second per site")
    parser.add_argument(
        "--threads", type=int, default=16, help="jobs at once per process (in-process and per worker)"
    )
    parser.add_argument("--celery-workers", type=int, default=0)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-round-bench-"))
    setup(data_dir)
    from gongkai.fleet import FleetServer, generate_fleet
    from gongkai.web.testing import make_unit

    fleet = generate_fleet(args.sites, seed=300, defect_rate=0.2, as_of=AS_OF, scale=args.scale)
    with FleetServer(fleet) as server:
        for s in fleet.sites:
            make_unit(s.full_name, group=s.group, short_name=s.name, website=server.url_of(s))
        runs = [("进程内执行者 in-process", 0)]
        if args.celery_workers:
            runs.append((f"Celery {args.celery_workers} 个执行者", args.celery_workers))
        print(
            f"{args.sites} 个网站，规模系数 {args.scale}，每站 {args.rate} 次/秒，每进程 {args.threads} 个任务并行"
        )
        baseline = None
        for label, workers in runs:
            wall, round_ = run_round(label, args.threads, workers, data_dir, args.rate)
            pages = [ru.pages for ru in round_.units.all()]
            # Ideal: every site fetched at exactly its polite rate, `parallel` sites at a time.
            parallel = args.threads * max(1, workers)
            ideal = sum(pages) / (args.rate * min(parallel, args.sites))
            per_worker = args.sites / wall * 60 / max(1, workers)
            baseline = baseline or wall
            print(
                f"{label:24s} 用时 {wall:7.1f} s  页面 {sum(pages):7d}  网站/分钟 {args.sites / wall * 60:7.1f}  "
                f"每执行者 {per_worker:6.1f} 站/分钟  与礼貌理想值之比 {wall / ideal:5.2f}  相对进程内 {baseline / wall:4.2f}×"
            )


if __name__ == "__main__":
    main()
