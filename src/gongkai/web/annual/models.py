"""Annual reports read by the platform: one record per unit and year, with tables and problems.

The parsed tables and the problems of the in-year rules are stored; the cross-year rules (X-CARRY,
X-VALID) are computed when a page is shown, so uploading last year's report later updates them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ReportRecord(models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, verbose_name="单位", related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    source_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("文件大小（字节）", default=0)
    fmt = models.CharField("格式", max_length=10, default="unknown")
    formats = models.JSONField("各表格式", default=dict, blank=True)
    detected_unit = models.CharField("报告中的单位名称", max_length=200, blank=True)
    published = models.DateField("发布日期", null=True, blank=True)
    url = models.CharField("原文链接", max_length=500, blank=True)
    tables = models.JSONField("表格", default=dict)
    chapters = models.JSONField("章节", default=dict, blank=True)
    problems = models.JSONField("问题（本年度规则）", default=list, blank=True)
    recovered = models.JSONField("由无格式文本恢复的表", default=list, blank=True)
    notices = models.JSONField("提醒（单位或年度不符等）", default=list, blank=True)
    sources = models.JSONField("单位、年度读自何处", default=dict, blank=True)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    history = HistoricalRecords(verbose_name="年报变更记录")

    class Meta:
        verbose_name = "年报"
        verbose_name_plural = "年报"
        ordering = ["unit__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="annual_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度政府信息公开工作年度报告"

    def get_absolute_url(self) -> str:
        return reverse("annual:detail", args=[self.pk])

    @property
    def fmt_label(self) -> str:
        from gongkai.annual.model import FORMAT_LABELS

        return FORMAT_LABELS.get(self.fmt, self.fmt)

    @property
    def format_labels(self) -> list[str]:
        """Each table's format in words, such as 表三：2021年版."""
        from gongkai.annual.model import FORMAT_LABELS
        from gongkai.annual.rules import TABLE_NAMES

        return [
            f"{TABLE_NAMES.get(t, t)}：{FORMAT_LABELS.get(f, f)}" for t, f in (self.formats or {}).items()
        ]


class ReportVersion(models.Model):
    """Every file uploaded for a unit's year, kept: the newest is the record's current report, the
    earlier ones stay listed and downloadable (a new upload never silently replaces the stored report)."""

    record = models.ForeignKey(
        ReportRecord, on_delete=models.CASCADE, verbose_name="年报", related_name="versions"
    )
    source_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("文件大小（字节）", default=0)
    data = models.BinaryField("文件内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    detected_unit = models.CharField("报告中的单位名称", max_length=200, blank=True)
    detected_year = models.PositiveSmallIntegerField("报告中的年度", null=True, blank=True)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "年报版本"
        verbose_name_plural = "年报版本"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.record} · {self.source_name}"


class ReportDraft(models.Model):
    """A unit's own report being composed on the build page (编制年报): tables in the contracts JSON shape
    and the text chapters. Archiving turns it into a ReportRecord the same way an upload does."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, verbose_name="单位", related_name="annual_drafts"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    tables = models.JSONField("表格", default=dict)
    chapters = models.JSONField("章节", default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="编制人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    record = models.ForeignKey(
        ReportRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="已归档的年报",
        related_name="drafts",
    )

    history = HistoricalRecords(verbose_name="年报草稿变更记录")

    class Meta:
        verbose_name = "年报草稿"
        verbose_name_plural = "年报草稿"
        ordering = ["unit__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="annual_draft_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度年报草稿"

    def get_absolute_url(self) -> str:
        return f"{reverse('annual:build')}?unit={self.unit_id}&year={self.year}"
