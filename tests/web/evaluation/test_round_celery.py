"""The same round over 30 fleet sites, run by the in-process worker and by two Celery workers on Redis with
PostgreSQL, gives identical results. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; `./run.sh test` starts both."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import override_settings

from gongkai.fleet import FleetServer, generate_fleet
from gongkai.web.core.jobs import run_pending_in_threads
from gongkai.web.core.models import Job
from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import UnitResult
from gongkai.web.testing import make_unit

AS_OF = dt.date(2026, 3, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.slow]


def needs_services() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("需要 PostgreSQL（DATABASE_URL）和 Redis（REDIS_URL）：由 ./run.sh test 启动")


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def start_workers(n: int, tmp_path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GONGKAI_WORKER": "celery",
        "GONGKAI_DATA_DIR": str(tmp_path),
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "gongkai", "worker", "--concurrency", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"worker{i}.log", "w"),
        )
        for i in range(n)
    ]


def outcome(round_) -> dict[str, tuple]:
    return {
        r.round_unit.unit.name: (round(r.total, 4), round(r.rate, 4), r.veto, r.band, r.rank)
        for r in UnitResult.objects.filter(round_unit__round=round_).select_related("round_unit__unit")
    }


def test_celery_workers_and_in_process_worker_agree(tmp_path, settings):
    needs_services()
    settings.DATA_DIR = tmp_path
    fleet = generate_fleet(30, seed=30, defect_rate=0.3, as_of=AS_OF, scale=0.15)
    with FleetServer(fleet) as server:
        for s in fleet.sites:
            make_unit(s.full_name, group=s.group, short_name=s.name, website=server.url_of(s))

        # check_external=False: the fleet's links to gov.cn lead to the internet, which tests never reach
        local = services.create_round(
            "进程内", "zwgk-2026", AS_OF, seed=7, rate=40, max_pages=2000, check_external=False
        )
        services.start_round(local)
        run_pending_in_threads(4)

        workers = start_workers(2, tmp_path)
        try:
            with override_settings(WORKER_MODE="celery"):
                distributed = services.create_round(
                    "Celery", "zwgk-2026", AS_OF, seed=7, rate=40, max_pages=2000, check_external=False
                )
                services.start_round(distributed)
            deadline = time.monotonic() + 600
            while services.progress_of(distributed)["done"] < 30:
                assert time.monotonic() < deadline, services.progress_of(distributed)
                assert all(w.poll() is None for w in workers), (tmp_path / "worker0.log").read_text()[-2000:]
                time.sleep(1)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(30)

    assert services.progress_of(distributed)["failed"] == 0
    ran_on = set(
        Job.objects.filter(
            params__round_unit__in=list(distributed.units.values_list("pk", flat=True))
        ).values_list("worker", flat=True)
    )
    assert len({w.split(":")[1] for w in ran_on}) == 2  # both worker processes took units
    assert outcome(distributed) == outcome(local)
    assert len(outcome(local)) == 30
