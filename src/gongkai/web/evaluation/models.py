"""Evaluation rounds (测评批次): units in scope, each unit's crawl and findings, manual scores, results.

Every number is traceable: a UnitResult is computed from the stored findings and manual scores of its
RoundUnit by the framework named on the round (id and version), and can be recomputed at any time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class RoundState(models.TextChoices):
    DRAFT = "draft", "草稿"
    RUNNING = "running", "检测中"
    SCORING = "scoring", "评分中"
    PUBLISHED = "published", "已发布"


class Round(models.Model):
    name = models.CharField("批次名称", max_length=200)
    number = models.CharField("通报文号", max_length=100, blank=True, help_text="例如：云公开办〔2026〕5号")
    issuer = models.CharField(
        "通报署名",
        max_length=200,
        blank=True,
        help_text="发文单位全称，例如：临江市人民政府办公室；默认沿用上一批次的署名",
    )
    framework_id = models.CharField("指标体系", max_length=100)
    framework_version = models.CharField("指标体系版本", max_length=50, blank=True)
    as_of = models.DateField("数据采集时间节点")
    state = models.CharField("状态", max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    groups = models.JSONField("参评分组", default=list)
    township_sample = models.IntegerField("乡镇抽查数", default=0, help_text="0 表示全部乡镇（街道）参评")
    sample_seed = models.BigIntegerField("抽样随机种子", null=True, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="上一批次"
    )
    rate = models.FloatField("每站每秒请求数", default=2.0)
    max_pages = models.IntegerField("每站页面上限", default=300)
    check_external = models.BooleanField(
        "检查外部链接",
        default=True,
        help_text="逐一访问指向其他网站的链接（友情链接、上级政府网站等），判断是否可用；本机不能访问互联网时请取消",
    )
    requirements = models.TextField("工作要求（写入通报）", blank=True)
    problem_due_days = models.IntegerField("整改期限（工作日）", default=15)
    appeal_days = models.IntegerField(
        "申诉期（天）",
        default=5,
        help_text="向各单位发布初步结果后，联络员可在此期限内对检查结论和人工评分提出申诉",
    )
    appeal_until = models.DateTimeField("申诉截止时间", null=True, blank=True)
    problems_summary = models.JSONField(
        "问题汇总",
        default=list,
        blank=True,
        help_text="评分时生成：每个指标和检查项不通过的单位，供仪表盘和通报使用",
    )
    not_sampled = models.JSONField(
        "未抽中的单位",
        default=list,
        blank=True,
        help_text="创建批次时未被随机抽中的乡镇（街道）名称：本批次未测评，不评分、不排名",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    publish_override = models.TextField(
        "越过发布检查的理由",
        blank=True,
        help_text="尚有未评、未复核或待核实的事项时，管理员写明理由后发布；只记入变更记录，不写入通报",
    )

    history = HistoricalRecords(verbose_name="测评批次变更记录")

    class Meta:
        verbose_name = "测评批次"
        verbose_name_plural = "测评批次"
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:round", args=[self.pk])


class UnitStatus(models.TextChoices):
    PENDING = "pending", "待检测"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "检测中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RoundUnit(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units", verbose_name="测评批次")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="round_units", verbose_name="单位"
    )
    group = models.CharField("参评分组", max_length=20)
    sampled = models.BooleanField("抽查选中", default=False)
    status = models.CharField(
        "检测状态", max_length=20, choices=UnitStatus.choices, default=UnitStatus.PENDING
    )
    url = models.URLField("检测网址", max_length=500, blank=True)
    pages = models.IntegerField("页面数", default=0)
    errors = models.IntegerField("错误数", default=0)
    partial = models.BooleanField("抓取不完整", default=False)
    archive = models.CharField("存档文件", max_length=500, blank=True)
    message = models.TextField("说明", blank=True)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField("检测时间", null=True, blank=True)
    # what the crawl read and cut (gongkai.model.Coverage, with "read" and each cut's catalogue flag)
    coverage = models.JSONField("覆盖情况", default=dict, blank=True)

    history = HistoricalRecords(verbose_name="参评单位变更记录")

    class Meta:
        verbose_name = "参评单位"
        verbose_name_plural = "参评单位"
        unique_together = [("round", "unit")]
        ordering = ["round", "group", "unit__name"]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    @property
    def group_label(self) -> str:
        from gongkai.web.units.models import UnitGroup

        return dict(UnitGroup.choices).get(self.group, "其他")


class Verdict(models.TextChoices):
    PASS = "PASS", "通过"
    FAIL = "FAIL", "不通过"
    UNCERTAIN = "UNCERTAIN", "待核实"
    NOT_ASSESSABLE = "NOT_ASSESSABLE", "无法评估"


class StoredFinding(models.Model):
    """A check's verdict as stored: written by the checks, never edited by hand (no audit needed)."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField("检查项", max_length=100)
    item = models.CharField("指标", max_length=300, blank=True)
    verdict = models.CharField("结论", max_length=20, choices=Verdict.choices)
    subject = models.CharField("对象", max_length=1000, blank=True)
    message = models.TextField("说明", blank=True)
    evidence = models.JSONField("证据", default=list)

    class Meta:
        verbose_name = "检查结论"
        verbose_name_plural = "检查结论"
        indexes = [
            models.Index(fields=["round_unit", "verdict"]),
            models.Index(fields=["check_id", "verdict"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}：{self.subject or self.item}"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "确认扣分"
    FALSE_ALARM = "false_alarm", "误报"


class FindingReview(models.Model):
    """An evaluator's decision on an automatic finding (核减): a confirmed FAIL or UNCERTAIN counts against the
    unit; a 误报 leaves the score. Rechecking the unit replaces its findings and so their reviews."""

    finding = models.OneToOneField(
        StoredFinding, on_delete=models.CASCADE, related_name="review", verbose_name="检查结论"
    )
    decision = models.CharField("复核结论", max_length=20, choices=Decision.choices)
    reason = models.TextField("理由", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="复核人",
    )
    reviewed_at = models.DateTimeField("复核时间")

    history = HistoricalRecords(verbose_name="检查结论复核变更记录")

    class Meta:
        verbose_name = "检查结论复核"
        verbose_name_plural = "检查结论复核"

    def __str__(self) -> str:
        from gongkai.web.evaluation.review import check_title

        return f"{check_title(self.finding.check_id)}：{self.get_decision_display()}"


class ManualScore(models.Model):
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="manual_scores")
    item = models.CharField("指标", max_length=300)
    points = models.FloatField("得分")
    not_applicable = models.BooleanField(
        "本单位不适用",
        default=False,
        help_text="本单位没有该项职能或事项（如本期未承办人大代表建议）：不计分，该项分值不计入应得分；须在评分说明中写明依据",
    )
    note = models.TextField("评分说明", blank=True)
    evidence_url = models.URLField("证据网址", max_length=1000, blank=True)
    screenshot = models.FileField("截图", upload_to="evidence/%Y/%m/", blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="测评员",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    review_note = models.TextField("复核意见", blank=True)
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="人工评分变更记录")

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        unique_together = [("round_unit", "item")]

    def __str__(self) -> str:
        return f"{self.item}：{'不适用' if self.not_applicable else f'{self.points:g} 分'}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "维持原结论"
    GRANTED = "granted", "申诉成立"


class Appeal(models.Model):
    """A unit's appeal (申诉) against a finding or a manual deduction, and the evaluator's decision."""

    round_unit = models.ForeignKey(
        RoundUnit, on_delete=models.CASCADE, related_name="appeals", verbose_name="参评单位"
    )
    finding = models.ForeignKey(
        StoredFinding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name="检查结论",
    )
    item = models.CharField("指标", max_length=300, blank=True)
    reason = models.TextField("申诉理由")
    links = models.TextField("证明材料网址", blank=True, help_text="每行一个网址")
    attachment = models.FileField("证明材料", upload_to="appeals/%Y/%m/", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="申诉人",
    )
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    status = models.CharField(
        "处理结果", max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision_note = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    history = HistoricalRecords(verbose_name="申诉变更记录")

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.round_unit.unit}：{self.item or '检查结论'}（{self.get_status_display()}）"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class UnitResult(models.Model):
    round_unit = models.OneToOneField(RoundUnit, on_delete=models.CASCADE, related_name="result")
    total = models.FloatField("得分")
    max = models.FloatField("应得分")
    rate = models.FloatField("得分率（%）")
    veto = models.BooleanField("单项否决", default=False)
    bonus = models.FloatField("加分", default=0)
    band = models.CharField("等次", max_length=20, blank=True)
    rank = models.IntegerField("组内排名", null=True)
    tied = models.BooleanField("并列", default=False)
    items = models.JSONField("分项得分", default=list)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "测评结果"
        verbose_name_plural = "测评结果"
        ordering = ["round_unit__group", "rank"]

    def __str__(self) -> str:
        return f"{self.round_unit}：{self.total:g} 分"


class Unevaluated(models.TextChoices):
    """How the annual assessment treats a unit that a round did not evaluate (a township not sampled)."""

    REWEIGHT = "reweight", "按参评批次的权重折算（默认）"
    ZERO = "zero", "未参评批次记 0 分"
    EXCLUDE = "exclude", "缺少任一批次的单位不参与年度排名"


class Assessment(models.Model):
    """Annual assessment (绩效考评): a year's rounds combined with weights, plus other scored items."""

    name = models.CharField("考评名称", max_length=200)
    year = models.IntegerField("年度")
    rounds = models.JSONField("测评批次及权重", default=list, help_text='形如 [{"round": 1, "weight": 0.5}]')
    other_items = models.JSONField(
        "其他考评项",
        default=list,
        blank=True,
        help_text='形如 [{"name": "工作台账", "weight": 0.2, "scores": {"单位全称": 90}}]',
    )
    excellent_share = models.FloatField("优秀比例", default=0.3, help_text="各组得分前若干比例评为优秀")
    excellent_min = models.FloatField("优秀最低分", default=90)
    unevaluated = models.CharField(
        "未参评批次的处理",
        max_length=20,
        choices=Unevaluated.choices,
        default=Unevaluated.REWEIGHT,
        help_text="乡镇（街道）未被某批次抽中时：默认只按其参评批次的权重折算，不给未测评的批次打分",
    )

    history = HistoricalRecords(verbose_name="绩效考评变更记录")

    class Meta:
        verbose_name = "年度绩效考评"
        verbose_name_plural = "年度绩效考评"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.name
