"""Benchmark: dashboard and ranking pages with 3,000 units and 1,000,000 findings on PostgreSQL.

Fills a scratch database (COPY for the findings), starts `gongkai serve` against it, and measures each page with
ApacheBench (`ab`, Debian package apache2-utils) as a logged-in office user; the login page is the baseline
(the cost of the framework and the server alone). Prints median, p95 and p99 latency per page.

    createdb -O gongkai gongkai_bench   # once (./run.sh test starts PostgreSQL)
    DATABASE_URL=postgres://gongkai:gongkai@127.0.0.1:5432/gongkai_bench python bench/dashboard_bench.py
    [--units 3000 --findings 1000000 --requests 300 --concurrency 4]

The database is emptied first: never point this at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHECKS = [
    "column.stale",
    "column.blank",
    "meta.missing",
    "link.broken",
    "privacy.mobile",
    "disclosure.late",
    "interpretation.missing",
    "site.meta",
    "normative.validity",
    "item.undated",
]
GROUPS = ["county", "department", "township"]


def fill(units: int, findings: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    from gongkai.web.evaluation import services
    from gongkai.web.evaluation.models import Round, RoundUnit, UnitResult
    from gongkai.web.units.models import Unit

    call_command("flush", interactive=False, verbosity=0)
    framework = services.load_framework("zwgk-2026")
    leaves = [leaf.path for leaf in framework.leaves() if leaf.checks]
    Unit.objects.bulk_create(
        Unit(
            name=f"临江市第{i:04d}单位",
            short_name=f"单位{i:04d}",
            group=GROUPS[i % 3],
            website=f"http://u{i}.example.gov.cn/",
        )
        for i in range(units)
    )
    round_ = Round.objects.create(
        name="基准测评批次",
        framework_id=framework.id,
        framework_version=framework.version,
        as_of=dt.date(2026, 3, 30),
        state="published",
    )
    RoundUnit.objects.bulk_create(
        RoundUnit(round=round_, unit=u, group=u.group, status="done", url=u.website, pages=300)
        for u in Unit.objects.all()
    )
    ru_ids = list(RoundUnit.objects.filter(round=round_).values_list("pk", flat=True))
    rng = random.Random(1)
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY evaluation_storedfinding (round_unit_id, check_id, item, verdict, subject, message, evidence) FROM STDIN"
        ) as copy,
    ):
        for n in range(findings):
            verdict = "FAIL" if rng.random() < 0.3 else "PASS"
            url = f"http://u{n % units}.example.gov.cn/art/{n}.html"
            copy.write_row(
                (
                    ru_ids[n % len(ru_ids)],
                    CHECKS[n % len(CHECKS)],
                    leaves[n % len(leaves)],
                    verdict,
                    url,
                    "栏目超过规定时间未更新",
                    f'[{{"url": "{url}", "snippet": "", "record": ""}}]',
                )
            )
    print(f"写入 {findings:,} 条检查结论用时 {time.perf_counter() - started:.1f} s")
    UnitResult.objects.bulk_create(
        UnitResult(
            round_unit_id=pk,
            total=rng.uniform(50, 100),
            max=100,
            rate=rng.uniform(50, 100),
            band="良好",
            rank=i // 3 + 1,
            items=[],
        )
        for i, pk in enumerate(ru_ids)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    from gongkai.web.evaluation.reporting import failed_by_indicator

    Round.objects.filter(pk=round_.pk).update(problems_summary=failed_by_indicator(round_))
    print(f"评分时生成问题汇总（一次性）用时 {time.perf_counter() - started:.2f} s")
    return round_.pk


def session_cookie() -> str:
    from django.test import Client

    from gongkai.web.testing import make_user

    make_user("bench", "evaluator", password="bench-pass-123")
    client = Client()
    assert client.login(username="bench", password="bench-pass-123")
    return client.cookies["sessionid"].value


def ab(url: str, cookie: str, requests: int, concurrency: int) -> dict[str, float]:
    out = subprocess.run(
        ["ab", "-q", "-n", str(requests), "-c", str(concurrency), "-C", f"sessionid={cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pct = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return {
        "p50": float(pct["50"]),
        "p95": float(pct["95"]),
        "p99": float(pct["99"]),
        "failed": failed,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("请设置 DATABASE_URL 指向一个可清空的 PostgreSQL 数据库（见脚本说明）")
    if not shutil.which("ab"):
        sys.exit("找不到 ab：请安装 Debian 软件包 apache2-utils")
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-dash-bench-"))
    from gongkai.web.bootstrap import migrate, setup_django

    setup_django(data_dir)
    migrate()
    round_id = fill(args.units, args.findings)
    cookie = session_cookie()
    from gongkai.web.evaluation.models import RoundUnit

    some_unit = RoundUnit.objects.filter(round_id=round_id).order_by("pk").first().pk
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        pages = [
            ("登录页（基线）", "/login/"),
            ("总览", "/"),
            ("测评批次列表", "/evaluation/"),
            ("批次仪表盘（排名、图表、问题汇总）", f"/evaluation/rounds/{round_id}/"),
            ("全组排名翻页（每页 50 个单位）", f"/evaluation/rounds/{round_id}/?group=township&page=10"),
            ("单位检查结论（约 333 条）", f"/evaluation/units/{some_unit}/"),
            ("检测进度（htmx 轮询）", f"/evaluation/rounds/{round_id}/progress/"),
        ]
        print(f"{args.units} 个单位，{args.findings:,} 条检查结论，PostgreSQL；每页 ab -n {args.requests}")
        for concurrency in args.concurrency:
            print(f"\n并发 {concurrency}：{'页面':32s} {'中位数':>8s} {'p95':>8s} {'p99':>8s}  失败")
            for label, path in pages:
                ab(base + path, cookie, 20, 2)  # warm up
                r = ab(base + path, cookie, args.requests, concurrency)
                failed = r["failed"] + r["non2xx"]
                print(f"        {label:34s} {r['p50']:6.0f}ms {r['p95']:6.0f}ms {r['p99']:6.0f}ms  {failed}")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
