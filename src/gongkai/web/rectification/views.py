"""Rectification pages: the office's overview and actions, each unit's problem list and answers, exports.

A liaison sees and answers only its own units' lists (another unit's item is a 404); only the office
(admins and evaluators) generates lists, closes, reopens, withdraws, merges, splits and adds items.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.reports import rectification as writer
from gongkai.web.accounts.access import (
    ADMIN,
    EVALUATOR,
    LIAISON,
    can_edit,
    get_scoped_or_404,
    role_of,
    role_required,
    scope,
)
from gongkai.web.core.http import DOCX, XLSX, download
from gongkai.web.evaluation.models import Round
from gongkai.web.rectification import services
from gongkai.web.rectification.forms import AddItemForm, AnswerForm, HuitoukanForm, NoteForm, SplitForm
from gongkai.web.rectification.models import HuitoukanSection, ProblemItem, ProblemStatus, Reminder
from gongkai.web.rectification.services import RectificationError
from gongkai.web.units.models import Unit

OFFICE = (ADMIN, EVALUATOR)


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    services.refresh_reminders()
    problems = scope(ProblemItem.objects.select_related("unit", "round"), request.user)
    active = problems.filter(status__in=[ProblemStatus.OPEN, ProblemStatus.RETURNED])
    today = timezone.localdate()
    overdue = active.filter(due__lt=today).order_by("due")[:50]
    due_soon = [
        p
        for p in active.filter(due__gte=today).order_by("due")[:200]
        if (services.working_days_left(p.due, today) or 99) <= services.DUE_SOON_DAYS
    ][:50]
    rounds = Round.objects.filter(pk__in=problems.values("round_id")).order_by("-as_of")
    per_round = []
    for r in rounds:
        units = (
            problems.filter(round=r)
            .values("unit_id", "unit__name")
            .annotate(
                total=Count("pk", filter=~Q(status__in=["withdrawn", "merged"])),
                closed=Count("pk", filter=Q(status="closed")),
                open=Count("pk", filter=Q(status__in=["open", "returned"])),
                waiting=Count("pk", filter=Q(status__in=["answered", "verified"])),
            )
            .order_by("unit__name")
        )
        per_round.append((r, units, services.statistics(problems.filter(round=r))))
    reminders = scope(Reminder.objects.select_related("problem", "unit"), request.user).filter(read=False)[
        :30
    ]
    generatable = (
        Round.objects.filter(state__in=["scoring", "published"]).exclude(
            pk__in=ProblemItem.objects.values("round_id")
        )
        if role_of(request.user) in OFFICE
        else []
    )
    return render(
        request,
        "rectification/index.html",
        {
            "overdue": overdue,
            "due_soon": due_soon,
            "per_round": per_round,
            "reminders": reminders,
            "generatable": generatable,
            "is_office": role_of(request.user) in OFFICE,
        },
    )


@require_POST
@role_required(*OFFICE)
def generate(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=round_id)
    n = services.generate_problem_lists(round_)
    messages.success(request, f"已为“{round_.name}”生成问题清单，共 {n} 项问题")
    return redirect("rectification:index")


@role_required()
def unit_list(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=round_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=unit_id)
    items = ProblemItem.objects.filter(round=round_, unit=unit).order_by("number")
    recurred = services.recurring(round_).get(unit.pk, []) if round_.previous_id else []
    return render(
        request,
        "rectification/unit.html",
        {
            "round": round_,
            "unit": unit,
            "items": items,
            "stats": services.statistics(items),
            "recurred": recurred,
            "is_office": role_of(request.user) in OFFICE,
            "add_form": AddItemForm(),
        },
    )


@role_required()
def item(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_scoped_or_404(ProblemItem.objects.select_related("unit", "round"), request.user, pk=pk)
    can_answer = (
        role_of(request.user) in (LIAISON, ADMIN)
        and can_edit(request.user, problem.unit)
        and problem.status in (ProblemStatus.OPEN, ProblemStatus.RETURNED, ProblemStatus.ANSWERED)
    )
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied("您无权答复该问题")
        if form.is_valid():
            try:
                services.submit_answer(
                    problem,
                    form.cleaned_data["status"],
                    form.link_list(),
                    form.cleaned_data["explanation"],
                    request.user,
                    form.cleaned_data.get("attachment"),
                )
            except RectificationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已提交整改答复；平台正在自动打开整改链接并重新检查")
                return redirect(problem)
    if role_of(request.user) == LIAISON:
        Reminder.objects.filter(problem=problem).update(read=True)  # the liaison has now seen it
    return render(
        request,
        "rectification/item.html",
        {
            "problem": problem,
            "answers": problem.answers.select_related("submitted_by").order_by("-submitted_at"),
            "verifications": problem.verifications.all(),
            "form": form,
            "can_answer": can_answer,
            "is_office": role_of(request.user) in OFFICE,
            "note_form": NoteForm(),
            "split_form": SplitForm(),
            "days_left": services.working_days_left(problem.due),
        },
    )


@require_POST
@role_required(*OFFICE)
def office_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    problem = get_object_or_404(ProblemItem, pk=pk)
    note = request.POST.get("note", "")
    try:
        if action == "close":
            services.close(problem, request.user, note)
            messages.success(request, f"第 {problem.number} 项已销号")
        elif action == "reopen":
            services.reopen(problem, note)
            messages.success(request, f"第 {problem.number} 项已退回重新整改")
        elif action == "withdraw":
            services.withdraw(problem, note)
            messages.success(request, f"第 {problem.number} 项已撤销")
        elif action == "split":
            parts = services.split(problem, request.POST.get("details", "").splitlines())
            messages.success(request, f"已拆分为 {len(parts)} 项")
        elif action == "verify":
            answer = problem.latest_answer
            if answer is None:
                raise RectificationError("该问题还没有答复，无法复核")
            v = services.verify(problem, answer)
            if v is None:
                raise RectificationError("该问题当前状态不需要复核（已销号、撤销、合并或尚未答复）")
            messages.success(request, f"复核结论：{v.message}")
        else:
            raise RectificationError(f"未知的操作“{action}”")
    except RectificationError as exc:
        messages.error(request, str(exc))
    return redirect(problem)


@require_POST
@role_required(*OFFICE)
def merge(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    items = list(
        ProblemItem.objects.filter(pk__in=request.POST.getlist("items"), round_id=round_id, unit_id=unit_id)
    )
    try:
        target = services.merge(items, request.POST.get("note", "") or "公开办合并同类问题")
        messages.success(request, f"已将 {len(items)} 项合并为第 {target.number} 项")
    except RectificationError as exc:
        messages.error(request, str(exc))
    return redirect("rectification:unit", round_id=round_id, unit_id=unit_id)


@require_POST
@role_required(*OFFICE)
def add(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    form = AddItemForm(request.POST)
    if form.is_valid():
        p = services.add_item(
            get_object_or_404(Round, pk=round_id),
            get_object_or_404(Unit, pk=unit_id),
            form.cleaned_data["indicator"],
            form.cleaned_data["detail"],
            request.user,
        )
        messages.success(request, f"已新增第 {p.number} 项问题")
    else:
        messages.error(request, "新增问题须填写指标路径和问题明细")
    return redirect("rectification:unit", round_id=round_id, unit_id=unit_id)


def qingdan_rows(items, with_unit: bool = False) -> list[writer.QingdanRow]:
    rows = []
    for p in items.exclude(status__in=[ProblemStatus.WITHDRAWN, ProblemStatus.MERGED]).select_related("unit"):
        a = p.latest_answer
        rows.append(
            writer.QingdanRow(
                number=p.number,
                levels=tuple(p.levels),
                detail=p.detail,
                status=a.status if a else "",
                links=tuple(a.link_list) if a else (),
                explanation=a.explanation if a else "",
                unit=p.unit.name if with_unit else "",
            )
        )
    return rows


@role_required()
def export_unit(request: HttpRequest, round_id: int, unit_id: int, kind: str) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=round_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=unit_id)
    rows = qingdan_rows(ProblemItem.objects.filter(round=round_, unit=unit).order_by("number"))
    title = f"{unit.name}{round_.name}问题整改清单"
    if kind == "xlsx":
        return download(writer.qingdan_xlsx(title, rows), f"{title}.xlsx", XLSX)
    return download(writer.qingdan_docx(title, rows), f"{title}.docx", DOCX)


@role_required(*OFFICE)
def export_round(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=round_id)
    items = ProblemItem.objects.filter(round=round_).order_by("unit__name", "number")
    title = f"{round_.name}问题整改清单"
    return download(
        writer.qingdan_xlsx(title, qingdan_rows(items, with_unit=True), with_unit=True), f"{title}.xlsx", XLSX
    )


@role_required(*OFFICE)
def huitoukan(request: HttpRequest, year: int) -> HttpResponse:
    section, _ = HuitoukanSection.objects.get_or_create(
        year=year, defaults={"title": f"{year}年度政务公开回头看"}
    )
    form = HuitoukanForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已保存回头看报告的自写部分")
        return redirect("rectification:huitoukan", year=year)
    items = ProblemItem.objects.filter(round__as_of__year=year)
    if request.GET.get("download"):
        report = writer.Huitoukan(
            title=section.title,
            introduction=section.introduction,
            summary=section.summary,
            next_steps=section.next_steps,
            rows=qingdan_rows(items.order_by("unit__name", "number"), with_unit=True),
            stats=services.statistics(items),
        )
        return download(writer.huitoukan_docx(report), f"{section.title}.docx", DOCX)
    return render(
        request,
        "rectification/huitoukan.html",
        {
            "form": form,
            "year": year,
            "stats": services.statistics(items),
            "per_indicator": services.per_indicator(items),
        },
    )
