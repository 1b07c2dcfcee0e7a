"""Work plans (工作要点): a plan per year with its sources (国办/省/市 要点 and their 文号), the tasks of its
任务分解表 with their responsible units, the units' progress per reporting period, reminders, and the
editable text blocks of the 落实情况 report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gongkai.plans import deadlines as _periods


class SourceLevel(models.TextChoices):
    NATIONAL = "national", "国办"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    LOCAL = "local", "本级"


class Plan(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=200, help_text="例如：2026年政务公开工作要点任务分解表")
    grace_days = models.PositiveSmallIntegerField(
        "周期任务报送宽限（天）",
        default=10,
        help_text="按月、季度、半年报送的任务，在每个周期结束后多少天内报送进展（例如季度结束后10天）",
    )
    due_soon_days = models.PositiveSmallIntegerField(
        "临期提醒（天）", default=7, help_text="到期前多少天提醒"
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="工作要点变更记录")

    class Meta:
        verbose_name = "年度工作要点"
        verbose_name_plural = "年度工作要点"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])


class PlanSource(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sources", verbose_name="工作要点")
    level = models.CharField("层级", max_length=20, choices=SourceLevel.choices)
    title = models.CharField("文件名称", max_length=300)
    number = models.CharField("文号", max_length=100, blank=True, help_text="例如：国办发〔2026〕8号")

    history = HistoricalRecords(verbose_name="要点来源变更记录")

    class Meta:
        verbose_name = "要点来源"
        verbose_name_plural = "要点来源"
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def label(self) -> str:
        return f"{self.get_level_display()}：{self}"


class EvidenceKind(models.TextChoices):
    LINK = "link", "已公开页面链接"
    DOCUMENT = "document", "文件"
    FIGURE = "figure", "数字"
    TEXT = "text", "文字说明"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="工作要点")
    number = models.PositiveIntegerField("序号")
    area = models.CharField("工作领域", max_length=50)
    content = models.TextField("任务内容")
    source = models.ForeignKey(
        PlanSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="来源",
    )
    clause = models.CharField("条款", max_length=300, blank=True, help_text="例如：第二条第（三）项")
    period = models.CharField(
        "完成时限类型",
        max_length=20,
        choices=list(_periods.KIND_LABELS.items()),
        default=_periods.ONCE,
    )
    due = models.DateField("完成时限", null=True, blank=True, help_text="按期限完成的任务的截止日期")
    criteria = models.TextField("完成标准", blank=True, help_text="怎样算完成：公开哪些内容、形成什么材料")
    evidence_kind = models.CharField(
        "佐证材料", max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.LINK
    )
    column = models.CharField("对应栏目", max_length=100, blank=True, help_text="任务对应的公开栏目名称")
    evidence_source = models.CharField(
        "对应检查或数据",
        max_length=120,
        blank=True,
        help_text="检查项编号（如 interpretation.missing）或年报数字（如 年报:t2.regulations.made）；"
        "平台据此给出已掌握的最新证据",
    )
    units = models.ManyToManyField(
        "units.Unit", through="Assignment", related_name="plan_tasks", verbose_name="责任单位"
    )

    history = HistoricalRecords(verbose_name="任务变更记录")

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_task_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:task", args=[self.pk])

    def periods(self) -> list[_periods.Period]:
        return _periods.periods(self.plan.year, self.period, self.due, self.plan.grace_days)

    @property
    def evidence_source_label(self) -> str:
        from gongkai.web.plans.sources import source_label  # the checks' names load with the registry

        return source_label(self.evidence_source)

    @property
    def deadline_text(self) -> str:
        return _periods.deadline_text(self.period, self.due)

    def lead_names(self) -> list[str]:
        return [a.unit.name for a in self.assignments.all() if a.role == Assignment.LEAD]

    def co_names(self) -> list[str]:
        return [a.unit.name for a in self.assignments.all() if a.role == Assignment.CO]


class Assignment(models.Model):
    """One unit's share of a task (牵头 or 配合); liaisons see and report on their units' assignments."""

    LEAD, CO = "lead", "co"
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="任务")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="plan_assignments", verbose_name="单位"
    )
    role = models.CharField(
        "分工", max_length=10, choices=[(LEAD, "牵头单位"), (CO, "配合单位")], default=LEAD
    )

    history = HistoricalRecords(verbose_name="任务分工变更记录")

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task", "-role", "unit__name"]  # 牵头 (lead) before 配合 (co)
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="plans_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.unit.display_name}（{self.get_role_display()}）：{self.task}"

    def get_absolute_url(self) -> str:
        return reverse("plans:assignment", args=[self.pk])


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    BLOCKED = "blocked", "未能完成"


class Progress(models.Model):
    """A unit's report on its share of a task for one period; each report is kept (the newest counts)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="progress", verbose_name="任务分工"
    )
    period = models.CharField("报送周期", max_length=10, blank=True)
    status = models.CharField("进展", max_length=20, choices=ProgressStatus.choices)
    text = models.TextField("工作情况", blank=True)
    links = models.TextField("链接", blank=True, help_text="每行一个网址")
    figure = models.DecimalField("数字", max_digits=14, decimal_places=2, null=True, blank=True)
    figure_label = models.CharField("数字说明", max_length=100, blank=True, help_text="例如：发布解读（篇）")
    attachment = models.FileField("附件", upload_to="plans/%Y/%m/", blank=True)
    link_checks = models.JSONField("链接检查", default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="报送人",
    )
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="任务进展变更记录")

    class Meta:
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["assignment", "period"])]

    def __str__(self) -> str:
        return f"{self.assignment}：{self.get_status_display()}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Reminder(models.Model):
    """An in-platform reminder to a unit: a task period due soon or overdue without a 已完成 report."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="plan_reminders")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField("报送周期", max_length=10, blank=True)
    kind = models.CharField("类型", max_length=20)  # due_soon / overdue
    message = models.TextField("内容")
    created = models.DateTimeField("时间", auto_now_add=True)
    read = models.BooleanField("已读", default=False)

    class Meta:
        verbose_name = "工作要点提醒"
        verbose_name_plural = "工作要点提醒"
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period", "kind"], name="plans_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"工作要点提醒：{self.message[:40]}"


class ReportBlock(models.Model):
    """An editable text block of the 落实情况 report (per area what was done, 存在问题, 下一步工作计划),
    prefilled from the units' progress the first time the report page is opened."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="blocks", verbose_name="工作要点")
    key = models.CharField("段落", max_length=80)  # "intro", "area:<group>", "problems", "next"
    text = models.TextField("内容", blank=True)

    history = HistoricalRecords(verbose_name="落实情况报告变更记录")

    class Meta:
        verbose_name = "落实情况报告段落"
        verbose_name_plural = "落实情况报告段落"
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plans_block_unique")]

    def __str__(self) -> str:
        return f"{self.plan}：{self.key}"
