"""Figures of this app on the platform overview."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.accounts.access import scope
from gongkai.web.annual.models import ReportRecord


def stats(user) -> list[dict]:
    records = scope(ReportRecord.objects.all(), user)
    url = reverse("annual:index")
    return [
        {"label": "已校验年报", "value": records.count(), "url": url},
        {"label": "存在勾稽错误的年报", "value": records.filter(errors__gt=0).count(), "url": url},
    ]


def unit_stats(unit, user) -> list[dict]:
    records = ReportRecord.objects.filter(unit=unit).order_by("-year")
    latest = records.first()
    if latest is None:
        return [{"label": "政府信息公开年报", "url": reverse("annual:index"), "text": "尚未上传年报"}]
    state = (
        f"错误 {latest.errors} 处、警告 {latest.warnings} 处"
        if latest.errors or latest.warnings
        else "校验通过"
    )
    return [
        {
            "label": "政府信息公开年报",
            "url": reverse("annual:history", args=[unit.pk]),
            "text": f"{records.count()} 份；{latest.year} 年度：{state}",
        }
    ]
