"""Units (单位): the bodies whose websites are evaluated and whose records the platform keeps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class UnitGroup(models.TextChoices):
    COUNTY = "county", "县区政府"
    ZONE = "zone", "管委会"
    DEPARTMENT = "department", "市直部门"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"
    OTHER = "other", "其他"


class UnitLevel(models.TextChoices):
    """The body's administrative level; statutory dates (e.g. the annual report's) depend on it."""

    CITY = "city", "市级"
    COUNTY = "county", "县（区）级"
    TOWNSHIP = "township", "乡镇（街道）级"


def validate_prefixes(value: str) -> None:
    for number, line in enumerate(value.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith(("http://", "https://")):
            raise ValidationError(f"第 {number} 行“{line}”不是以 http:// 或 https:// 开头的网址前缀")


class Unit(models.Model):
    name = models.CharField("单位全称", max_length=200, unique=True)
    short_name = models.CharField("简称", max_length=100, blank=True)
    group = models.CharField("分组", max_length=20, choices=UnitGroup.choices, default=UnitGroup.DEPARTMENT)
    level = models.CharField("行政层级", max_length=20, choices=UnitLevel.choices, default=UnitLevel.CITY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级单位",
    )
    website = models.URLField("网站首页", max_length=500, blank=True)
    zhuanlan_url = models.URLField("政府信息公开专栏", max_length=500, blank=True)
    url_prefixes = models.TextField(
        "所属网址前缀",
        blank=True,
        validators=[validate_prefixes],
        help_text="每行一个；页面和问题按最长前缀归属到单位",
    )
    liaison_name = models.CharField("联络员", max_length=50, blank=True)
    liaison_phone = models.CharField("联系电话", max_length=50, blank=True)
    liaison_email = models.EmailField("电子邮箱", blank=True)
    key_areas = models.JSONField("具有职权的重点领域", default=list, blank=True)
    active = models.BooleanField("在用", default=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="单位变更记录")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def prefix_list(self) -> list[str]:
        """URL prefixes of the unit: the explicit ones, else its website and 专栏 roots."""
        explicit = [line.strip() for line in self.url_prefixes.splitlines() if line.strip()]
        return explicit or [u for u in (self.website, self.zhuanlan_url) if u]

    def descendants(self) -> list[Unit]:
        """All sub-units, depth first (a unit tree is small: a city has a few hundred units)."""
        found: list[Unit] = []
        frontier = list(self.children.all())
        while frontier:
            unit = frontier.pop()
            found.append(unit)
            frontier.extend(unit.children.all())
        return found


def attribute_url(url: str, units: list[Unit]) -> Unit | None:
    """The unit whose URL prefix is the longest match for url (hosts and paths compared parsed), or None."""
    from gongkai.crawl.egress import url_within

    best: tuple[int, Unit | None] = (0, None)
    for unit in units:
        for prefix in unit.prefix_list:
            if len(prefix) > best[0] and url_within(url, prefix):
                best = (len(prefix), unit)
    return best[1]
