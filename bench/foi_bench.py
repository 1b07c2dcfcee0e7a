"""Benchmark of the 依申请公开 core and ledger; prints figures, asserts nothing.

1. Deadline computations per second: gongkai.calendar (precomputed flags and running counts) against
   the obvious baseline, a day-by-day loop over chinese_calendar.is_workday, on the same inputs.
2. Tables 三/四 for one unit with N applications (default 100,000): the ledger's two GROUP BY queries
   (gongkai.web.foi.services.tables_for) against the baseline of reading every row into Python and
   counting there (tables_from_records). SQLite in a temporary directory by default; PostgreSQL when
   DATABASE_URL is set (a throw-away test database is created and dropped).

    python bench/foi_bench.py [--apps 100000] [--deadlines 20000]
    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/gongkai python bench/foi_bench.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def bench_deadlines(n: int) -> None:
    import chinese_calendar

    from gongkai.calendar import WorkingCalendar
    from gongkai.foi import Event, compute_due, evaluate

    rng = random.Random(1)
    starts = [date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365)) for _ in range(n)]
    pauses = [
        [(s + timedelta(days=5), s + timedelta(days=12))] if i % 3 == 0 else [] for i, s in enumerate(starts)
    ]

    t = time.perf_counter()
    cal = WorkingCalendar()
    build = time.perf_counter() - t

    t = time.perf_counter()
    ours = [cal.add_working_days(s, 20, p) for s, p in zip(starts, pauses, strict=True)]
    mine = time.perf_counter() - t

    def baseline(start: date, days: int, pause: list[tuple[date, date]]) -> date:
        d, counted = start, 0
        while counted < days:
            d += timedelta(days=1)
            if chinese_calendar.is_workday(d) and not any(a < d <= b for a, b in pause):
                counted += 1
        return d

    m = min(n, 5000)
    t = time.perf_counter()
    base = [baseline(s, 20, p) for s, p in zip(starts[:m], pauses[:m], strict=True)]
    naive = time.perf_counter() - t
    assert base == ours[:m], "baseline and calendar disagree"

    t = time.perf_counter()
    for s, p in zip(starts, pauses, strict=True):
        compute_due(s, pauses=p, extend=5, calendar=cal)
    due_time = time.perf_counter() - t

    timeline = [
        Event("received", date(2025, 9, 26)),
        Event("consultation_sent", date(2025, 10, 9), consult="third_party"),
        Event("consultation_answered", date(2025, 10, 15), consult="third_party"),
        Event("extended", date(2025, 10, 28), days=10, approver="甲"),
        Event("replied", date(2025, 11, 10), outcome="granted"),
    ]
    k = max(1, n // 4)
    t = time.perf_counter()
    for _ in range(k):
        evaluate(timeline, cal)
    ev_time = time.perf_counter() - t

    t = time.perf_counter()
    pcal = WorkingCalendar(provisional_years=2)
    pbuild = time.perf_counter() - t
    late = [date(2026, 10, 1) + timedelta(days=rng.randrange(92)) for _ in range(n)]
    t = time.perf_counter()
    provisional = sum(bool(compute_due(s, calendar=pcal).provisional) for s in late)
    p_time = time.perf_counter() - t

    print("== 期限计算 / deadline computations ==")
    print(f"日历构建 calendar build (2004–2026): {build * 1000:.1f} ms")
    print(f"gongkai.calendar add_working_days(20, 1/3 with a pause): {_rate(n, mine)}")
    print(f"baseline day-by-day chinese_calendar.is_workday loop:    {_rate(m, naive)}")
    print(f"ratio: {(n / mine) / (m / naive):.0f}x faster than the baseline (same {m} results)")
    print(f"compute_due (with explanation object): {_rate(n, due_time)}")
    print(f"evaluate() of a 5-event timeline (all clocks):           {_rate(k, ev_time)}")
    print(f"暂定日历构建 provisional calendar build (+2 years, lunar holidays): {pbuild * 1000:.1f} ms")
    print(
        f"compute_due across the year boundary (Oct–Dec 2026, {provisional} of {n} 暂定): {_rate(n, p_time)}"
    )


def _setup_django(tmp: str) -> str:
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return connection.vendor


def bench_tables(n: int) -> None:
    from gongkai.foi import APPLICANT_TYPES, OUTCOMES, AppRecord, CaseRecord, tables_from_records
    from gongkai.web.foi.models import Application, Case
    from gongkai.web.foi.services import tables_for
    from gongkai.web.units.models import Unit

    rng = random.Random(2)
    unit = Unit.objects.create(name="基准测试单位", short_name="基准")
    other = Unit.objects.create(name="基准测试其他单位", short_name="其他")
    outcomes, types = list(OUTCOMES), list(APPLICANT_TYPES)
    t = time.perf_counter()
    rows = []
    for i in range(n + n // 10):
        received = date(2021, 1, 4) + timedelta(days=rng.randrange(5 * 365))
        replied = None if rng.random() < 0.05 else received + timedelta(days=rng.randrange(45))
        rows.append(
            Application(
                unit=unit if i < n else other,
                number=f"B-{i}",
                applicant_type=rng.choice(types),
                applicant_name="甲",
                channel="online",
                submitted_on=received,
                received_on=received,
                replied_on=replied,
                outcome=rng.choice(outcomes) if replied else "",
                state="replied" if replied else "processing",
                content="基准",
            )
        )
    Application.objects.bulk_create(rows, batch_size=5000)
    ids = list(Application.objects.filter(unit=unit).values_list("id", "received_on")[: n // 20])
    cases = []
    for app_id, received in ids:
        filed = received + timedelta(days=rng.randrange(30, 200))
        decided = filed + timedelta(days=rng.randrange(20, 300)) if rng.random() < 0.7 else None
        cases.append(
            Case(
                application_id=app_id,
                kind=rng.choice(["review", "litigation_direct"]),
                filed_on=filed,
                result=rng.choice(["upheld", "corrected"]) if decided else "",
                decided_on=decided,
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    load = time.perf_counter() - t

    year = 2024
    tables_for([unit], year)  # warm the connection and caches
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        ours = tables_for([unit], year)
        runs.append(time.perf_counter() - t)
    t = time.perf_counter()
    recs = [
        AppRecord(*r)
        for r in Application.objects.filter(unit=unit)
        .values_list("applicant_type", "received_on", "replied_on", "outcome")
        .iterator(chunk_size=5000)
    ]
    crecs = [
        CaseRecord(*r)
        for r in Case.objects.filter(application__unit=unit).values_list(
            "kind", "filed_on", "result", "decided_on"
        )
    ]
    base = tables_from_records(recs, crecs, year)
    naive = time.perf_counter() - t
    assert base == ours, "GROUP BY tables differ from the row-by-row count"
    print(f"== 表三/表四 / tables 三 and 四 ({n:,} applications of one unit, {len(cases):,} cases) ==")
    print(f"generating the ledger (bulk insert): {load:.1f} s")
    print(
        f"ledger GROUP BY (tables_for), best of 3: {min(runs) * 1000:.0f} ms (runs: {', '.join(f'{r * 1000:.0f}' for r in runs)} ms)"
    )
    print(f"baseline: every row into Python + tables_from_records: {naive * 1000:.0f} ms")
    print(f"ratio: {naive / min(runs):.1f}x; results identical")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=100_000)
    parser.add_argument("--deadlines", type=int, default=20_000)
    args = parser.parse_args()
    bench_deadlines(args.deadlines)
    with tempfile.TemporaryDirectory() as tmp:
        vendor = _setup_django(tmp)
        print(f"database: {vendor}")
        try:
            bench_tables(args.apps)
        finally:
            from django.db import connection

            if vendor == "postgresql":
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
