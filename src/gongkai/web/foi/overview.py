"""Figures of the application ledger on the overview and on a unit's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.web.accounts.access import scope
from gongkai.web.foi.models import Application

CLOSED = ("replied", "delivered")


def stats(user) -> list[dict]:
    apps = scope(Application.objects.all(), user)
    open_apps = apps.exclude(state__in=CLOSED)
    url = reverse("foi:index")
    return [
        {"label": "办理中的依申请公开", "value": open_apps.count(), "url": url},
        {"label": "已逾期", "value": open_apps.filter(due_on__lt=timezone.localdate()).count(), "url": url},
    ]


def unit_stats(unit, user) -> list[dict]:
    apps = Application.objects.filter(unit=unit)
    open_apps = apps.exclude(state__in=CLOSED)
    overdue = open_apps.filter(due_on__lt=timezone.localdate()).count()
    return [
        {
            "label": "依申请公开",
            "url": f"{reverse('foi:list')}?unit={unit.pk}",
            "text": f"共 {apps.count()} 件，办理中 {open_apps.count()} 件"
            + (f"，逾期 {overdue} 件" if overdue else ""),
        }
    ]
