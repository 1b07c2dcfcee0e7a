"""Dictionary entries kept in the database: the same fields as the data files (gongkai.wording.Entry)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Severity(models.TextChoices):
    SERIOUS = "serious", "严重表述错误"
    NONSTANDARD = "nonstandard", "不规范表述"
    TYPO = "typo", "错别字"


class WordingEntry(models.Model):
    phrase = models.CharField("错误写法", max_length=100, unique=True)
    correct = models.CharField("建议写法", max_length=200)
    category = models.CharField("类别", max_length=50)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    must_not_use = models.BooleanField("禁用词（原样出现即判不合格）", default=False)
    until = models.DateField("此日期前为正确写法", null=True, blank=True)
    exceptions = models.TextField("例外写法", blank=True, help_text="每行一个含本词但正确的较长写法")
    source = models.CharField("出处", max_length=300)
    note = models.TextField("备注", blank=True)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "表述词条"
        verbose_name_plural = "表述词条"
        ordering = ["severity", "phrase"]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.correct}"

    def exception_list(self) -> list[str]:
        return [line.strip() for line in self.exceptions.splitlines() if line.strip()]

    def clean(self) -> None:
        errors = {}
        if self.must_not_use and self.severity != Severity.SERIOUS:
            errors["must_not_use"] = "只有严重表述错误的词条可以设为禁用词"
        if self.phrase and self.phrase == self.correct:
            errors["correct"] = "建议写法与错误写法相同"
        bad = [x for x in self.exception_list() if self.phrase and self.phrase not in x]
        if bad:
            errors["exceptions"] = f"例外写法「{'」「'.join(bad)}」不含本条词语「{self.phrase}」"
        if errors:
            raise ValidationError(errors)
