"""Plan pages: the office's plans and task lists, import and export of the 任务分解表, each task, and a unit's
page for reporting progress. A liaison sees only its units' tasks (another unit's task or report is a 404);
only admins create plans and import; liaisons (and admins) report for their units."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.web.accounts.access import (
    ADMIN,
    EVALUATOR,
    LIAISON,
    can_edit,
    get_scoped_or_404,
    role_of,
    role_required,
    scope,
    visible_units,
)
from gongkai.web.core.http import XLSX, download
from gongkai.web.plans import evidence, services
from gongkai.web.plans.forms import PlanForm, ProgressForm, SourceFormSet
from gongkai.web.plans.io import ImportRejected, export_tasks, import_tasks
from gongkai.web.plans.models import Assignment, Plan, Progress, Reminder, Task

OFFICE = (ADMIN, EVALUATOR)


def _tasks_for(plan: Plan, user):
    """The plan's tasks the user may see: all for the office and read-only users, its units' for a liaison."""
    tasks = plan.tasks.all()
    if role_of(user) == LIAISON:
        tasks = tasks.filter(assignments__unit__in=visible_units(user)).distinct()
    return tasks.select_related("source").prefetch_related("assignments__unit", "assignments__progress")


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    services.refresh_reminders()
    reminders = scope(Reminder.objects.select_related("unit", "assignment__task"), request.user).filter(
        read=False
    )
    mine = []
    if role_of(request.user) == LIAISON:
        mine = scope(
            Assignment.objects.select_related("task__plan", "unit").prefetch_related("progress"), request.user
        ).order_by("-task__plan__year", "task__number")
        mine = [(a, services.summary_state(services.period_states(a))) for a in mine]
    return render(
        request,
        "plans/index.html",
        {
            "plans": Plan.objects.all(),
            "reminders": reminders[:50],
            "mine": [(a, state, services.STATE_LABELS[state]) for a, state in mine],
            "is_admin": role_of(request.user) == ADMIN,
        },
    )


@role_required(ADMIN)
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk) if pk else None
    form = PlanForm(request.POST or None, instance=plan)
    formset = SourceFormSet(request.POST or None, instance=plan or Plan())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        plan = form.save()
        formset.instance = plan
        formset.save()
        messages.success(request, f"已保存“{plan.title}”")
        return redirect(plan)
    title = f"编辑：{plan.title}" if plan else "新建年度工作要点"
    return render(
        request, "plans/plan_form.html", {"form": form, "formset": formset, "title": title, "plan": plan}
    )


@role_required()
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    tasks = _tasks_for(plan, request.user)
    area = request.GET.get("area", "")
    state_filter = request.GET.get("state", "")
    if area:
        tasks = tasks.filter(area=area)
    rows = []
    for task in tasks:
        state = services.task_status(task)
        if not state_filter or state == state_filter:
            rows.append((task, state, services.STATE_LABELS[state]))
    visible = set(visible_units(request.user).values_list("pk", flat=True))
    completion = services.completion(plan)  # lead tasks: what a framework's plan item scores
    units = {a.unit_id: a.unit for t in tasks for a in t.assignments.all() if a.unit_id in visible}
    per_unit = sorted(
        ((units[uid], c) for uid, c in completion.items() if uid in units), key=lambda x: x[0].name
    )
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "rows": rows,
            "areas": sorted({t.area for t in plan.tasks.all()}),
            "area": area,
            "state": state_filter,
            "states": services.STATE_LABELS.items(),
            "per_unit": per_unit,
            "assessment_lines": "\n".join(f"{n} {r:g}" for n, r in services.assessment_scores(plan).items())
            if role_of(request.user) in OFFICE
            else "",
            "is_admin": role_of(request.user) == ADMIN,
            "is_office": role_of(request.user) in OFFICE,
        },
    )


@transaction.non_atomic_requests  # the isolated parse must not hold the write lock; it writes in its own transaction
@role_required(ADMIN)
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["请选择要导入的任务分解表（XLSX 文件）"]
        else:
            try:
                result = import_tasks(plan, upload.read(), upload.name)
            except ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(
                    request, f"导入完成：新增 {result.created} 项任务，更新 {result.updated} 项任务"
                )
                return redirect(plan)
    return render(request, "plans/import.html", {"plan": plan, "errors": errors})


@role_required()
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    return download(export_tasks(plan, _tasks_for(plan, request.user)), f"{plan.title}.xlsx", XLSX)


@role_required()
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("plan", "source"), pk=pk)
    assignments = scope(task.assignments.select_related("unit"), request.user)
    if role_of(request.user) == LIAISON and not assignments.exists():
        raise Http404("没有找到该记录，或您无权查看")
    rows = []
    for a in assignments:
        states = services.period_states(a)
        rows.append((a, states, services.STATE_LABELS[services.summary_state(states)]))
    return render(request, "plans/task.html", {"task": task, "rows": rows})


def _may_report(user, assignment: Assignment) -> bool:
    return role_of(user) in (LIAISON, ADMIN) and can_edit(user, assignment.unit)


@role_required()
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's share of a task: its periods, its reports, the evidence the platform holds, the report form."""
    a = get_scoped_or_404(
        Assignment.objects.select_related("task__plan", "task__source", "unit"), request.user, pk=pk
    )
    states = services.period_states(a)
    may_report = _may_report(request.user, a)
    current = next(
        (s.period.key for s in states if s.state != "done"), states[-1].period.key if states else ""
    )
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        periods=[s.period for s in states],
        initial={"period": request.GET.get("period", current)},
    )
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied("您无权报送该任务的进展")
        if form.is_valid():
            try:
                services.submit_progress(
                    a,
                    form.cleaned_data["period"],
                    form.cleaned_data["status"],
                    form.cleaned_data["text"],
                    form.link_list(),
                    form.cleaned_data["figure"],
                    form.cleaned_data["figure_label"],
                    form.cleaned_data.get("attachment"),
                    request.user,
                )
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已报送进展；平台正在自动打开所填链接进行检查")
                return redirect(a)
    if role_of(request.user) == LIAISON:
        Reminder.objects.filter(assignment=a).update(read=True)  # the liaison has now seen them
    labels = {s.period.key: s.period.label for s in states}
    history = [(p, labels.get(p.period, p.period)) for p in a.progress.select_related("submitted_by")]
    return render(
        request,
        "plans/assignment.html",
        {
            "a": a,
            "task": a.task,
            "states": states,
            "history": history,
            "form": form,
            "may_report": may_report,
            "offered": evidence.offered(a.task, a.unit),
        },
    )


@role_required()
def progress_file(request: HttpRequest, pk: int) -> FileResponse:
    progress = get_scoped_or_404(
        Progress.objects.select_related("assignment"), request.user, "assignment__unit", pk=pk
    )
    if not progress.attachment:
        raise Http404("该报送没有附件")
    name = progress.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(progress.attachment.open("rb"), as_attachment=True, filename=name)


def unit_tasks(plan: Plan, unit) -> dict[str, list[Assignment]]:
    """A unit's assignments of a plan grouped by area (its own report and page)."""
    grouped: dict[str, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(task__plan=plan, unit=unit).select_related(
        "task__source", "task__plan"
    ):
        grouped[a.task.area].append(a)
    return grouped
