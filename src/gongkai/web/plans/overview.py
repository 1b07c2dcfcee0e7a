"""Figures of plans for the overview page and a unit's page."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.accounts.access import scope
from gongkai.web.plans import services
from gongkai.web.plans.models import Plan, Reminder


def stats(user) -> list[dict]:
    plan = Plan.objects.order_by("-year").first()
    if plan is None:
        return []
    reminders = scope(Reminder.objects.filter(assignment__task__plan=plan), user)
    url = reverse("plans:plan", args=[plan.pk])
    return [
        {
            "label": f"{plan.year}年工作要点逾期任务",
            "value": reminders.filter(kind="overdue").count(),
            "url": url,
        },
    ]


def unit_stats(unit, user) -> list[dict]:
    plan = Plan.objects.order_by("-year").first()
    if plan is None or not plan.tasks.filter(assignments__unit=unit).exists():
        return []
    c = services.completion(plan).get(unit.pk, services.Completion())
    rate = f"，完成率 {c.rate}%" if c.rate is not None else ""
    return [
        {
            "label": f"{plan.year}年工作要点",
            "url": reverse("plans:plan", args=[plan.pk]),
            "text": f"牵头任务已到期或已完成 {c.counted} 项次，已完成 {c.done} 项次，逾期 {c.overdue} 项次{rate}",
        }
    ]
