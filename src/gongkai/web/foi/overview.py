"""Figures of the application ledger on the overview and on a unit's page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from gongkai.web.accounts.access import scope
from gongkai.web.foi.models import Application

CLOSED = ("replied", "delivered")


def stats(user) -> list[dict]:
    """Each count links to the ledger list that shows exactly the applications it counts."""
    apps = scope(Application.objects.all(), user)
    open_apps = apps.exclude(state__in=CLOSED)
    today = timezone.localdate()
    url = reverse("foi:list")
    yesterday = (today - timedelta(days=1)).isoformat()
    out = [
        {"label": "办理中的依申请公开", "value": open_apps.count(), "url": f"{url}?open=1"},
        {
            "label": "已逾期",
            "value": open_apps.filter(due_on__lt=today).count(),
            "url": f"{url}?open=1&due_to={yesterday}",
        },
    ]
    provisional = open_apps.filter(due_provisional=True).count()
    if provisional:
        out.append(
            {
                "label": "期限暂定（待确认放假安排）",
                "value": provisional,
                "url": f"{url}?open=1&provisional=1",
            }
        )
    return out


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
