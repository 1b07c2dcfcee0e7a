"""The application ledger (依申请公开台账): applications per unit, their dated events, documents,
行政复议/行政诉讼 cases, calendar corrections and editable 告知书 templates.

The rules live in the domain core (gongkai.foi); these models store what happened. The fields
state, due_on, replied_on and outcome are kept in step with the events by
gongkai.web.foi.services so lists and statistics are plain queries.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gongkai.foi import APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, EVENT_KINDS, OUTCOMES, STATES
from gongkai.foi.deadlines import CHANNEL_LABELS
from gongkai.foi.timeline import CONSULT_KINDS

APPLICANT_TYPE_CHOICES = list(APPLICANT_TYPES.items())
CHANNEL_CHOICES = [(c.value, label) for c, label in CHANNEL_LABELS.items()]
OUTCOME_CHOICES = [(o.key, f"{o.group} {o.label}") for o in OUTCOMES.values()]
STATE_CHOICES = list(STATES.items())
EVENT_CHOICES = list(EVENT_KINDS.items())
CONSULT_CHOICES = list(CONSULT_KINDS.items())
CASE_KIND_CHOICES = list(CASE_KINDS.items())
CASE_RESULT_CHOICES = [(k, v) for k, v in CASE_RESULTS.items() if k != "pending"]
FEE_METHOD_CHOICES = [("", "不收费"), ("per_request", "按件计收"), ("by_volume", "按量计收")]


class Application(models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, verbose_name="单位", related_name="foi_applications"
    )
    number = models.CharField("申请编号", max_length=50)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_document = models.CharField(
        "证件类型及号码",
        max_length=100,
        blank=True,
        help_text="自然人填身份证件，法人或其他组织填统一社会信用代码",
    )
    legal_representative = models.CharField("法定代表人或负责人", max_length=100, blank=True)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通讯地址", max_length=300, blank=True)
    channel = models.CharField("申请渠道", max_length=20, choices=CHANNEL_CHOICES)
    submitted_on = models.DateField("提交日期")
    signed_on = models.DateField("签收日期", null=True, blank=True, help_text="邮寄需签收的申请填写")
    confirmed_on = models.DateField(
        "确认日期", null=True, blank=True, help_text="平信、互联网、传真申请与申请人确认之日"
    )
    received_on = models.DateField("收到日期", db_index=True, help_text="依条例第三十一条确定")
    content = models.TextField("申请公开的政府信息内容")
    requested_form = models.CharField("获取信息的方式和载体", max_length=200, blank=True)
    # Kept in step with the events (services.refresh).
    state = models.CharField(
        "状态", max_length=20, choices=STATE_CHOICES, default="processing", db_index=True
    )
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_note = models.CharField("期限说明", max_length=300, blank=True)
    due_provisional = models.BooleanField(
        "期限暂定", default=False, db_index=True, help_text="期限涉及放假安排尚未确认的年份，确认后自动重算"
    )
    paused_since = models.DateField("暂停计时起始日", null=True, blank=True)
    clock_used = models.PositiveSmallIntegerField("已用工作日", null=True, blank=True)
    clock_left = models.PositiveSmallIntegerField("剩余工作日（暂停时）", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True, db_index=True)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    reply_form = models.CharField(
        "答复形式", max_length=200, blank=True, help_text="如：书面告知书并提供纸质复印件"
    )
    fee_method = models.CharField("收费方式", max_length=20, choices=FEE_METHOD_CHOICES, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    fee_amount = models.DecimalField(
        "信息处理费（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    created = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="申请变更记录")

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="foi_application_unit_number")]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "state", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        return reverse("foi:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state not in ("replied", "delivered")

    @property
    def due_label(self) -> str:
        """The due date as shown outside the ledger: '2027-01-05（暂定）' while next year is unconfirmed."""
        if not self.due_on:
            return "—"
        return f"{self.due_on.isoformat()}（暂定）" if self.due_provisional else self.due_on.isoformat()

    @property
    def clock_paused(self) -> bool:
        return self.is_open and self.paused_since is not None


class Event(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name="申请"
    )
    kind = models.CharField("事件", max_length=30, choices=EVENT_CHOICES)
    on = models.DateField("日期")
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    days = models.PositiveSmallIntegerField("延期天数", default=0)
    approver = models.CharField("批准人", max_length=100, blank=True)
    consult = models.CharField("征求意见对象", max_length=20, choices=CONSULT_CHOICES, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    created = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="办理事件变更记录")

    class Meta:
        verbose_name = "办理事件"
        verbose_name_plural = "办理事件"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Document(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name="申请"
    )
    kind = models.CharField("文书类型", max_length=30, blank=True)
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="foi/%Y/%m/")
    created = models.DateTimeField("生成时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="文书变更记录")

    class Meta:
        verbose_name = "答复文书"
        verbose_name_plural = "答复文书"
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class Case(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cases", verbose_name="申请"
    )
    kind = models.CharField("类型", max_length=30, choices=CASE_KIND_CHOICES)
    filed_on = models.DateField("立案（申请）日期")
    result = models.CharField(
        "结果", max_length=20, choices=CASE_RESULT_CHOICES, blank=True, help_text="留空表示尚未审结"
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)

    history = HistoricalRecords(verbose_name="复议诉讼变更记录")

    class Meta:
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"


class CalendarCorrection(models.Model):
    day = models.DateField("日期", unique=True)
    is_working = models.BooleanField("是工作日", help_text="勾选：该日上班（如调休）；不勾选：该日放假")
    note = models.CharField(
        "说明", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )

    history = HistoricalRecords(verbose_name="日历更正变更记录")

    class Meta:
        verbose_name = "工作日日历更正"
        verbose_name_plural = "工作日日历更正"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_working else '放假'}"


class CalendarYear(models.Model):
    """A year whose whole schedule (holidays and 调休) an administrator confirmed: only then does
    the year count as known; until then deadlines reaching into it are provisional (暂定)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.TextField("通知原文", blank=True, help_text="国务院办公厅关于该年部分节假日安排的通知")
    confirmed_by = models.CharField("确认人", max_length=150, blank=True)
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    moved = models.JSONField("重算结果", default=list, blank=True, help_text="确认后期限变化的申请")

    history = HistoricalRecords(verbose_name="全年放假安排确认记录")

    class Meta:
        verbose_name = "已确认的年度放假安排"
        verbose_name_plural = "已确认的年度放假安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排（已确认）"


NOTICE_KINDS = [
    ("correction", "补正通知书"),
    ("extension", "延期答复告知书"),
    ("granted", "予以公开告知书"),
    ("partial", "部分公开告知书"),
    ("denied", "不予公开告知书"),
    ("unable", "无法提供告知书"),
    ("not_processed", "不予处理告知书"),
    ("fee", "收费通知书"),
]


class NoticeTemplate(models.Model):
    kind = models.CharField("文书类型", max_length=30, choices=NOTICE_KINDS, unique=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField(
        "正文", help_text="可用占位符：{申请人} {收到日期} {申请内容} {编号} {单位} {答复期限} 等"
    )

    history = HistoricalRecords(verbose_name="文书模板变更记录")

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = "告知书模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
