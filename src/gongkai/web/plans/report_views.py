"""The 落实情况 report pages: the office edits the text blocks (prefilled from the units' progress) and downloads
the DOCX; the XLSX of every task with its status; a unit's own report of its tasks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.reports.luoshi import luoshi_docx, status_xlsx
from gongkai.web.accounts.access import ADMIN, EVALUATOR, get_scoped_or_404, role_of, role_required, scope
from gongkai.web.core.http import DOCX, XLSX, download
from gongkai.web.plans import report
from gongkai.web.plans.models import Assignment, Plan
from gongkai.web.units.models import Unit

OFFICE = (ADMIN, EVALUATOR)


@role_required(*OFFICE)
def office_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    blocks = report.blocks(plan)
    if request.method == "POST":
        reset = request.POST.get("reset", "")
        filled = report.prefill(plan) if reset else {}
        for block in blocks:
            if reset in (block.key, "all"):
                block.text = filled.get(block.key, "")
            elif not reset and f"block-{block.pk}" in request.POST:
                block.text = request.POST[f"block-{block.pk}"].strip()
            else:
                continue
            block.save()
        messages.success(request, "已按各单位报送的进展重新生成" if reset else "已保存落实情况报告")
        return redirect("plans:report", pk=plan.pk)
    if request.GET.get("download") == "docx":
        built = report.office_report(plan)
        return download(luoshi_docx(built), f"{built.title}.docx", DOCX)
    rows = [
        (b, report.block_label(b.key), forms.Textarea(attrs={"rows": 8 if b.key.startswith("area:") else 4}))
        for b in blocks
    ]
    rows = [(b, label, w.render(f"block-{b.pk}", b.text, {"id": f"id_block-{b.pk}"})) for b, label, w in rows]
    return render(request, "plans/report.html", {"plan": plan, "rows": rows})


@role_required()
def status_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every task and unit with its status; a liaison gets its units' rows only."""
    plan = get_object_or_404(Plan, pk=pk)
    assignments = scope(
        Assignment.objects.filter(task__plan=plan).select_related("task__plan", "task__source", "unit"),
        request.user,
    ).prefetch_related("progress")
    rows = report.status_rows(plan, assignments.order_by("task__number", "-role", "unit__name"))
    title = f"{plan.year}年政务公开工作要点任务完成情况"
    return download(status_xlsx(title, rows), f"{title}.xlsx", XLSX)


@role_required()
def unit_report(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=unit_id)
    if role_of(request.user) not in OFFICE and not plan.tasks.filter(assignments__unit=unit).exists():
        messages.error(request, f"{unit.name}在本年度工作要点中没有任务")
        return redirect(plan)
    built = report.unit_report(plan, unit)
    return download(luoshi_docx(built), f"{built.title}.docx", DOCX)
