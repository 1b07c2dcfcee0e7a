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
