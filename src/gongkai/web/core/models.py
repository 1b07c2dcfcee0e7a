"""Background jobs: one row per long task, claimed by a worker with a conditional update.

The same job runs in the in-process worker (default, no services) or on Celery workers (REDIS_URL);
progress is written to the row so the web UI and the CLI can show it live.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


# What users read for each job kind; a kind missing here is shown by its code.
KIND_LABELS = {
    "evaluation.unit": "单位检测（抓取与检查）",
    "rectification.verify": "整改自动复核",
    "plans.check_links": "检查工作要点进展中的链接",
}


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=100)
    params = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    lock_key = models.CharField(
        "互斥键", max_length=200, blank=True, help_text="同一互斥键的任务不会同时运行（如同一网站）"
    )
    done = models.IntegerField("已完成", default=0)
    total = models.IntegerField("总数", default=0)
    message = models.TextField("说明", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    attempts = models.IntegerField("尝试次数", default=0)
    worker = models.CharField("执行者", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    started = models.DateTimeField("开始时间", null=True, blank=True)
    finished = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat = models.DateTimeField("心跳", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "created"])]

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk}（{self.get_status_display()}）"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def percent(self) -> int:
        return (
            int(100 * self.done / self.total) if self.total else (100 if self.status == JobStatus.DONE else 0)
        )
