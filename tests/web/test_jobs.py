"""Background jobs: claimed by exactly one worker, progress recorded, failures kept, killed workers retried,
and two jobs on the same site never run at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.web.core import jobs
from gongkai.web.core.models import Job, JobStatus

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def handlers():
    seen: list[int] = []

    @jobs.job_handler("test.count")
    def count(job, progress):
        for i in range(3):
            progress(i + 1, 3, f"第 {i + 1} 步")
        seen.append(job.params["n"])
        return {"n": job.params["n"]}

    @jobs.job_handler("test.fail")
    def fail(job, progress):
        raise ValueError("网站无法访问")

    yield seen
    jobs.HANDLERS.pop("test.count")
    jobs.HANDLERS.pop("test.fail")


def test_queued_jobs_run_in_order_with_progress(handlers):
    first = jobs.enqueue("test.count", {"n": 1})
    jobs.enqueue("test.count", {"n": 2})
    assert jobs.run_pending() == 2
    assert handlers == [1, 2]
    first.refresh_from_db()
    assert (first.status, first.done, first.total, first.result) == (JobStatus.DONE, 3, 3, {"n": 1})


def test_a_failing_job_is_recorded_and_the_next_still_runs(handlers):
    bad = jobs.enqueue("test.fail")
    jobs.enqueue("test.count", {"n": 7})
    jobs.run_pending()
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED and "网站无法访问" in bad.message
    assert handlers == [7]


def test_a_job_is_claimed_only_once():
    job = jobs.enqueue("test.count", {"n": 1})
    assert jobs.claim(job.pk) is not None
    assert jobs.claim(job.pk) is None


def test_jobs_on_the_same_site_never_run_together():
    running = jobs.enqueue("test.count", {"n": 1}, lock_key="site:a")
    jobs.enqueue("test.count", {"n": 2}, lock_key="site:a")
    other_site = jobs.enqueue("test.count", {"n": 3}, lock_key="site:b")
    assert jobs.claim().pk == running.pk
    assert jobs.claim().pk == other_site.pk  # the second job of site a waits
    assert jobs.claim() is None


def test_a_killed_workers_job_is_put_back_and_retried(handlers):
    job = jobs.enqueue("test.count", {"n": 5})
    jobs.claim(job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(hours=1))
    assert jobs.requeue_stale() == 1
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_unknown_job_kind_fails_with_a_message():
    job = jobs.enqueue("no.such.kind")
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "未知的任务类型" in job.message


def test_the_jobs_page_shows_progress_to_the_office_only(handlers, people):
    from django.test import Client

    jobs.enqueue("test.count", {"n": 1})
    jobs.run_pending()
    client = Client()
    client.force_login(people["evaluator"])
    page = client.get("/jobs/").content.decode()
    assert "test.count" in page and "已完成" in page and "3 / 3" in page
    client.force_login(people["liaison"])
    assert client.get("/jobs/").status_code == 403


def test_the_jobs_page_names_kinds_in_chinese_and_hides_the_worker_id(people):
    from django.test import Client

    done = jobs.enqueue("rectification.verify", {"problem": 1})
    Job.objects.filter(pk=done.pk).update(
        status=JobStatus.DONE, worker="vm:9161:abcdef", message="已完成", finished=timezone.now()
    )
    jobs.enqueue("evaluation.unit", {"round_unit": 1})
    jobs.enqueue("annual.unknown_kind")
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/jobs/").content.decode()
    assert "整改自动复核" in page and "单位检测（抓取与检查）" in page
    assert "rectification.verify" not in page and "evaluation.unit" not in page
    assert "annual.unknown_kind" in page  # an unlisted kind falls back to its code
    assert "vm:9161" not in page
    assert "已完成" in page
