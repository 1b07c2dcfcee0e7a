"""Queue and run background jobs.

A job kind maps to a handler `handler(job: Job, progress: Callable[[int, int, str], None]) -> dict`
(registered with `@job_handler("kind")`). `enqueue()` stores the job; a worker claims it with a conditional
update (only one worker wins), runs the handler, and records the result or the error. A job whose worker died
(no heartbeat for STALE_AFTER) is put back in the queue and retried, up to MAX_ATTEMPTS. Jobs with the same
`lock_key` never run at the same time (a site is never crawled by two workers at once).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.plugins import import_optional
from gongkai.web.core.models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job, Callable[[int, int, str], None]], dict]
HANDLERS: dict[str, Handler] = {}
# Modules that register handlers; imported on first use so the core app needs none of them.
HANDLER_MODULES = [
    "gongkai.web.evaluation.tasks",
    "gongkai.web.rectification.tasks",
    "gongkai.web.plans.tasks",
]
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def _load_handlers() -> None:
    for name in HANDLER_MODULES:
        import_optional(name)


def enqueue(kind: str, params: dict | None = None, lock_key: str = "", user: Any = None) -> Job:
    job = Job.objects.create(kind=kind, params=params or {}, lock_key=lock_key, created_by=user)
    if settings.WORKER_MODE == "celery":
        from gongkai.web.celery_app import run_job_task

        transaction.on_commit(lambda: run_job_task.delay(job.pk))
    else:
        wake_worker()
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def requeue_stale() -> int:
    """Put back jobs whose worker stopped sending heartbeats (killed worker)."""
    cutoff = timezone.now() - STALE_AFTER
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat__lt=cutoff)
    retry = stale.filter(attempts__lt=MAX_ATTEMPTS).update(status=JobStatus.QUEUED, worker="")
    stale.update(status=JobStatus.FAILED, message="执行者多次中断，任务已放弃", finished=timezone.now())
    return retry


def claim(job_id: int | None = None) -> Job | None:
    """Claim one queued job (or the given one). Returns None when nothing could be claimed."""
    candidates = Job.objects.filter(status=JobStatus.QUEUED)
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    busy_keys = set(
        Job.objects.filter(status=JobStatus.RUNNING).exclude(lock_key="").values_list("lock_key", flat=True)
    )
    for job in candidates.order_by("created", "pk")[:50]:
        if job.lock_key and job.lock_key in busy_keys:
            continue
        now = timezone.now()
        won = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            worker=worker_name(),
            started=now,
            heartbeat=now,
            attempts=job.attempts + 1,
        )
        if won:
            job.refresh_from_db()
            return job
    return None


def run(job: Job) -> Job:
    """Run a claimed job to the end, recording progress, result or error."""
    _load_handlers()
    handler = HANDLERS.get(job.kind)
    if handler is None:
        return _finish(job, JobStatus.FAILED, f"未知的任务类型“{job.kind}”")

    def progress(done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(
            done=done, total=total, message=message, heartbeat=timezone.now()
        )

    try:
        result = handler(job, progress) or {}
    except Exception as exc:  # a failed job is recorded, never kills the worker
        log.exception("job %s failed", job.pk)
        return _finish(
            job, JobStatus.FAILED, f"任务失败：{exc}", {"traceback": traceback.format_exc()[-4000:]}
        )
    return _finish(job, JobStatus.DONE, job_message(job.pk) or "已完成", result)


def job_message(pk: int) -> str:
    return Job.objects.filter(pk=pk).values_list("message", flat=True).first() or ""


def _finish(job: Job, status: str, message: str, result: dict | None = None) -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, result=result or {}, finished=timezone.now(), heartbeat=timezone.now()
    )
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs in this thread until none is left (or `limit` ran). Returns how many ran."""
    ran = 0
    requeue_stale()
    while limit is None or ran < limit:
        job = claim()
        if job is None:
            break
        run(job)
        ran += 1
    return ran


def active_jobs(extra: Q | None = None):
    qs = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return qs.filter(extra) if extra is not None else qs


# --- the in-process worker ------------------------------------------------------------------------------

_wake = threading.Condition()
_worker_threads: list[threading.Thread] = []
DEFAULT_THREADS = int(os.environ.get("GONGKAI_WORKER_THREADS", "4"))


def wake_worker() -> None:
    with _wake:
        _wake.notify_all()


def _worker_loop(poll_seconds: float) -> None:
    while True:
        with _wake:
            _wake.wait(poll_seconds)
        try:
            run_pending()
        except Exception:  # keep the worker alive whatever one pass met
            log.exception("in-process worker pass failed")
        finally:
            close_old_connections()


def start_inprocess_worker(
    threads: int = DEFAULT_THREADS, poll_seconds: float = 2.0
) -> list[threading.Thread]:
    """Start daemon threads that run queued jobs (used by `gongkai serve` and `gongkai demo`). Several
    threads let several sites be crawled at once; each site is still crawled by one job at a time."""
    alive = [t for t in _worker_threads if t.is_alive()]
    for i in range(len(alive), threads):
        thread = threading.Thread(
            target=_worker_loop, args=(poll_seconds,), name=f"gongkai-worker-{i}", daemon=True
        )
        thread.start()
        alive.append(thread)
    _worker_threads[:] = alive
    return alive


def run_pending_in_threads(threads: int = DEFAULT_THREADS) -> None:
    """Run every queued job with `threads` threads and return when the queue is empty (CLI and demo)."""

    def drain() -> None:
        # A job whose site is locked by another thread's job stays queued: keep trying until none is left.
        try:
            while Job.objects.filter(status=JobStatus.QUEUED).exists():
                if run_pending() == 0:
                    time.sleep(0.2)
        finally:
            connections.close_all()  # this thread ends: its database connections must not outlive it

    workers = [threading.Thread(target=drain, name=f"gongkai-run-{i}") for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
