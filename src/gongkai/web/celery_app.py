"""Celery on Redis for scale-out: `gongkai worker` starts a worker on any machine that reaches the database
and Redis. Each Celery task runs one stored Job through the same code as the in-process worker.

Tasks are acknowledged late and rejected when a worker is lost, so a killed worker's job is delivered again;
a job whose lock (its site) is held by another worker is retried a little later.

Celery beat (`gongkai worker --beat`, or `celery -A gongkai.web.celery_app beat`) runs the availability probe
schedule: a tick every 30 s; ticks on several workers at once probe no slot twice (gongkai.web.monitoring).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")

app = Celery("gongkai")
app.conf.update(
    broker_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_default_queue="gongkai",
    beat_schedule={
        "monitor-tick": {"task": "gongkai.monitor_tick", "schedule": 30.0, "options": {"expires": 25}},
    },
)


@app.task(name="gongkai.run_job", bind=True, max_retries=None)
def run_job_task(self, job_id: int) -> str:
    import django

    django.setup()
    from gongkai.web.core import jobs
    from gongkai.web.core.models import Job, JobStatus

    jobs.requeue_stale()
    job = jobs.claim(job_id)
    if job is None:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        if status == JobStatus.QUEUED:  # its lock is held by another worker: try again shortly
            raise self.retry(countdown=2)
        return f"job {job_id}: {status}"
    jobs.run(job)
    return f"job {job_id}: done"


@app.task(name="gongkai.monitor_tick", ignore_result=True)
def monitor_tick_task() -> str:
    import django

    django.setup()
    from django.conf import settings

    if not settings.GONGKAI_MONITOR:
        return "monitoring off"
    from gongkai.web.monitoring.scheduler import tick

    report = tick()
    return f"probed {report.probed}, failed {report.failed}, alerts {len(report.alerts)}"
