"""Rectification (整改): each unit's problem list (问题清单) from a round, the unit's answers, the platform's own
re-verification of the answer links, and the office closing items one by one (盘点销号)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "已答复待复核"
    VERIFIED = "verified", "复核通过待销号"
    RETURNED = "returned", "复核未通过已退回"
    CLOSED = "closed", "已销号"
    WITHDRAWN = "withdrawn", "已撤销"
    MERGED = "merged", "已合并"


class AnswerStatus(models.TextChoices):
    DONE = "已整改", "已整改"
    PARTIAL = "部分整改", "部分整改"
    LATER = "暂不整改", "暂不整改"
    CANNOT = "无法整改", "无法整改"
    NOT_NEEDED = "无需整改", "无需整改"


NEEDS_REASON = {AnswerStatus.LATER, AnswerStatus.CANNOT, AnswerStatus.NOT_NEEDED}
ACTIVE = [ProblemStatus.OPEN, ProblemStatus.ANSWERED, ProblemStatus.VERIFIED, ProblemStatus.RETURNED]


class ProblemItem(models.Model):
    round = models.ForeignKey(
        "evaluation.Round", on_delete=models.CASCADE, related_name="problems", verbose_name="测评批次"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="problems", verbose_name="单位"
    )
    number = models.IntegerField("序号")
    indicator = models.CharField("指标路径", max_length=500, help_text="一级/二级/三级/四级指标，以“/”分隔")
    check_id = models.CharField(
        "检查项", max_length=100, blank=True, help_text="人工扣分或公开办新增的问题为空"
    )
    subjects = models.JSONField(
        "问题对象", default=list, help_text="原检查结论的对象（栏目名或网址），复核时逐一核对"
    )
    detail = models.TextField("问题明细")
    evidence = models.JSONField("证据", default=list)
    source = models.CharField(
        "来源",
        max_length=20,
        default="auto",
        choices=[("auto", "自动检查"), ("manual", "人工评分扣分"), ("office", "公开办新增")],
    )
    status = models.CharField(
        "状态", max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    due = models.DateField("整改期限", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name="并入",
    )
    office_note = models.TextField("公开办意见", blank=True, help_text="撤销、合并、退回、销号的理由")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销号人",
    )
    created = models.DateTimeField("生成时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="问题清单变更记录")

    class Meta:
        verbose_name = "整改问题"
        verbose_name_plural = "整改问题"
        ordering = ["round", "unit__name", "number"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.unit.display_name} 第{self.number}项：{self.detail[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:item", args=[self.pk])

    @property
    def levels(self) -> list[str]:
        parts = [p for p in self.indicator.split("/") if p]
        return (parts + ["", "", "", ""])[:4] if len(parts) <= 4 else parts[:3] + ["/".join(parts[3:])]

    @property
    def latest_answer(self):
        return self.answers.order_by("-submitted_at").first()


class Answer(models.Model):
    problem = models.ForeignKey(ProblemItem, on_delete=models.CASCADE, related_name="answers")
    status = models.CharField("整改情况", max_length=20, choices=AnswerStatus.choices)
    links = models.TextField("整改链接", blank=True, help_text="每行一个网址")
    explanation = models.TextField("情况说明", blank=True)
    attachment = models.FileField("附件", upload_to="rectification/%Y/%m/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="答复人",
    )
    submitted_at = models.DateTimeField("答复时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="整改答复变更记录")

    class Meta:
        verbose_name = "整改答复"
        verbose_name_plural = "整改答复"

    def __str__(self) -> str:
        return f"{self.problem} 的答复（{self.get_status_display()}）"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Verification(models.Model):
    """The platform's own re-check of an answer: the same check, re-run on the unit's site now."""

    problem = models.ForeignKey(ProblemItem, on_delete=models.CASCADE, related_name="verifications")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="verifications")
    verdict = models.CharField("复核结论", max_length=20)  # PASS / FAIL / UNCERTAIN
    message = models.TextField("复核说明")
    evidence = models.JSONField("复核证据", default=list)
    checked_at = models.DateTimeField("复核时间", auto_now_add=True)

    class Meta:
        verbose_name = "自动复核"
        verbose_name_plural = "自动复核"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        verdict = {"PASS": "已整改", "FAIL": "仍未整改", "UNCERTAIN": "无法判定"}.get(
            self.verdict, self.verdict
        )
        return f"{self.problem} 的自动复核（{verdict}）"


class Reminder(models.Model):
    """An in-platform reminder to a unit (due soon, overdue, returned)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="rectification_reminders")
    problem = models.ForeignKey(ProblemItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("类型", max_length=20)  # due_soon / overdue / returned
    message = models.TextField("内容")
    created = models.DateTimeField("时间", auto_now_add=True)
    read = models.BooleanField("已读", default=False)

    class Meta:
        verbose_name = "整改提醒"
        verbose_name_plural = "整改提醒"
        ordering = ["-created"]
        unique_together = [("problem", "kind")]

    def __str__(self) -> str:
        return f"整改提醒：{self.message[:40]}"


class HuitoukanSection(models.Model):
    """Sections of the 回头看 report that the office writes itself."""

    year = models.IntegerField("年度", unique=True)
    title = models.CharField("报告标题", max_length=200)
    introduction = models.TextField("前言", blank=True)
    summary = models.TextField("存在问题综述", blank=True)
    next_steps = models.TextField("下一步工作", blank=True)

    history = HistoricalRecords(verbose_name="回头看报告变更记录")

    class Meta:
        verbose_name = "回头看报告"
        verbose_name_plural = "回头看报告"

    def __str__(self) -> str:
        return f"{self.year}年回头看报告：{self.title}"
