"""The overview page: what the platform holds, scoped to what the user may see."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gongkai.plugins import import_optional
from gongkai.web.accounts.access import ADMIN, EVALUATOR, role_of, role_required, scope, visible_units
from gongkai.web.accounts.models import Role
from gongkai.web.core.models import Job, JobStatus
from gongkai.web.units.models import UnitGroup

# Apps may add figures to the overview with a module `overview.py` defining stats(user) -> list of
# {"label", "value", "url"}; the overview asks each in turn.
OVERVIEW_APPS = ["evaluation", "rectification", "foi", "annual", "plans"]


def _app_stats(user) -> list[dict]:
    stats: list[dict] = []
    for app in OVERVIEW_APPS:
        module = import_optional(f"gongkai.web.{app}.overview")
        if module is not None:
            stats.extend(module.stats(user))
    return stats


def reminders(user, limit: int = 12) -> list[dict]:
    """What needs doing soon, across the platform: FOI replies due or overdue, rectification and plan reminders."""
    items: list[dict] = []
    foi = import_optional("gongkai.web.foi.services")
    if foi is not None:
        for item in foi.reminders_for(user, timezone.localdate())[:limit]:
            late = item.days_left is not None and item.days_left < 0
            when = "已逾期" if late else f"还剩 {item.days_left} 个工作日"
            items.append(
                {
                    "kind": "依申请公开",
                    "urgent": late,
                    "url": item.app.get_absolute_url(),
                    "text": f"{item.app.unit.display_name} 申请 {item.app.number} 答复期限 {item.app.due_label}（{when}）",
                }
            )
    rectification = import_optional("gongkai.web.rectification.models")
    if rectification is not None:
        for r in scope(rectification.Reminder.objects.select_related("unit", "problem"), user).filter(
            read=False
        )[:limit]:
            items.append(
                {
                    "kind": "整改",
                    "urgent": r.kind != "due_soon",
                    "url": r.problem.get_absolute_url(),
                    "text": f"{r.unit.display_name}：{r.message}",
                }
            )
    plans = import_optional("gongkai.web.plans.models")
    if plans is not None:
        import_optional("gongkai.web.plans.services").refresh_reminders()
        for r in scope(plans.Reminder.objects.select_related("unit"), user).filter(read=False)[:limit]:
            items.append(
                {
                    "kind": "工作要点",
                    "urgent": r.kind == "overdue",
                    "url": reverse("plans:assignment", args=[r.assignment_id]),
                    "text": f"{r.unit.display_name}：{r.message}",
                }
            )
    return items


@role_required()
def overview(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    group_labels = dict(UnitGroup.choices)
    by_group = [
        {"label": group_labels.get(row["group"], row["group"]), "count": row["n"]}
        for row in units.values("group").annotate(n=Count("pk")).order_by("group")
    ]
    context = {
        "unit_count": units.count(),
        "by_group": by_group,
        "app_stats": _app_stats(request.user),
        "reminders": reminders(request.user),
    }
    if role_of(request.user) == ADMIN:
        role_labels = dict(Role.choices)
        users = get_user_model().objects.filter(is_active=True)
        context["user_count"] = users.count()
        context["by_role"] = [
            {"label": role_labels.get(row["profile__role"], "未设置角色"), "count": row["n"]}
            for row in users.values("profile__role").annotate(n=Count("pk")).order_by("profile__role")
        ]
    return render(request, "core/overview.html", context)


@role_required(ADMIN, EVALUATOR)
def job_list(request: HttpRequest) -> HttpResponse:
    """Background jobs with live progress (the table refreshes itself while any job is queued or running)."""
    jobs = list(Job.objects.select_related("created_by").order_by("-created")[:100])
    active = any(j.status in (JobStatus.QUEUED, JobStatus.RUNNING) for j in jobs)
    template = "core/_jobs.html" if request.htmx else "core/jobs.html"
    return render(request, template, {"jobs": jobs, "active": active})
