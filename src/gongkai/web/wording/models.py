"""Dictionary entries kept in the database: the same fields as the data files (gongkai.wording.Entry)."""

from __future__ import annotations

import datetime as dt
import re

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
    must_not_use = models.BooleanField("禁用词（作为本单位自己的表述出现即判不合格）", default=False)
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


_PAST_LINE = re.compile(r"^(\S+)\s+(\d{4}-\d{1,2}-\d{1,2})$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n、，,；;]", text) if line.strip()]


class LeaderEntry(models.Model):
    """A leader of the province or city (or a national one, to correct the built-in list) with titles."""

    name = models.CharField("姓名", max_length=20, unique=True)
    group = models.CharField(
        "分组", max_length=50, help_text="同一分组的领导人并列时按排序检查先后，如“市委常委”"
    )
    order = models.PositiveIntegerField("排序", null=True, blank=True)
    titles = models.TextField("现任职务", help_text="每行一个（或用顿号分隔），如：市委书记、书记")
    unique_titles = models.TextField(
        "本地唯一职务",
        blank=True,
        help_text="现任职务中本地只有一人担任的（如市委书记、市长）：别人冠以此职务时判不合格",
    )
    past = models.TextField("曾任职务", blank=True, help_text="每行“职务 卸任日期”，如：市长 2025-01-20")
    confirmed = models.BooleanField("已核实", default=True, help_text="未核实的领导人职务配错只列为待核实")
    source = models.CharField("出处", max_length=300)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导人"
        verbose_name_plural = "领导人"
        ordering = ["group", "order", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{'、'.join(self.title_list())}）"

    def title_list(self) -> list[str]:
        return _lines(self.titles)

    def unique_title_list(self) -> list[str]:
        return _lines(self.unique_titles)

    def past_list(self) -> list[tuple[str, dt.date]]:
        out = []
        for line in self.past.splitlines():
            match = _PAST_LINE.match(line.strip())
            if match:
                out.append((match.group(1), dt.date.fromisoformat(_iso(match.group(2)))))
        return out

    def clean(self) -> None:
        errors = {}
        if not self.title_list():
            errors["titles"] = "至少写一个现任职务"
        stray = [t for t in self.unique_title_list() if t not in self.title_list()]
        if stray:
            errors["unique_titles"] = f"「{'」「'.join(stray)}」不在现任职务中"
        for number, line in enumerate(self.past.splitlines(), start=1):
            match = _PAST_LINE.match(line.strip())
            if line.strip() and not match:
                errors["past"] = f"第 {number} 行“{line.strip()}”应写作“职务 YYYY-MM-DD”"
                break
            if match:
                try:
                    dt.date.fromisoformat(_iso(match.group(2)))
                except ValueError:
                    errors["past"] = f"第 {number} 行的日期无效：{match.group(2)}"
                    break
        if errors:
            raise ValidationError(errors)


def _iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


class WordingAllowance(models.Model):
    """A 误报 remembered for a site: the phrase (or a piece of its sentence) is not reported again there."""

    CHECKS = [("", "全部表述检查"), ("wording.serious", "严重表述错误"), ("wording.nonstandard", "不规范表述"),
              ("wording.typo", "错别字")]  # fmt: skip

    url_prefix = models.URLField("网址前缀", max_length=500, help_text="网站首页或某个栏目的网址前缀")
    phrase = models.CharField("词语或句子片段", max_length=200)
    check_id = models.CharField("检查项", max_length=30, choices=CHECKS, blank=True, default="")
    reason = models.CharField("理由", max_length=300)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "表述误报（允许清单）"
        verbose_name_plural = "表述误报（允许清单）"
        ordering = ["url_prefix", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["url_prefix", "phrase", "check_id"], name="wording_allow_once")
        ]

    def __str__(self) -> str:
        return f"{self.url_prefix}：{self.phrase}"
