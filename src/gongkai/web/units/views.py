"""Unit pages: list, detail, create and edit, import and export. Liaisons see only their own units."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.plugins import import_optional
from gongkai.web.accounts.access import ADMIN, get_scoped_or_404, role_of, role_required, scope
from gongkai.web.core.http import XLSX, download
from gongkai.web.units.forms import UnitForm
from gongkai.web.units.io import ImportRejected, export_units, import_units
from gongkai.web.units.models import Unit, UnitGroup


def _filtered(request: HttpRequest):
    units = scope(Unit.objects.select_related("parent"), request.user, field="pk")
    q = request.GET.get("q", "").strip()
    group = request.GET.get("group", "")
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(website__icontains=q))
    if group in UnitGroup.values:
        units = units.filter(group=group)
    return units, q, group


# Apps whose overview module offers unit_stats(unit, user): their figures for this unit, on its page.
UNIT_PANEL_APPS = ["evaluation", "rectification", "foi", "annual", "plans", "monitoring"]


def unit_panels(unit: Unit, user) -> list[dict]:
    panels: list[dict] = []
    for name in UNIT_PANEL_APPS:
        module = import_optional(f"gongkai.web.{name}.overview")
        if module is not None and hasattr(module, "unit_stats"):
            panels.extend(module.unit_stats(unit, user))
    return panels


@role_required()
def unit_list(request: HttpRequest) -> HttpResponse:
    units, q, group = _filtered(request)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "units/list.html",
        {
            "page": page,
            "q": q,
            "group": group,
            "groups": UnitGroup.choices,
            "is_admin": role_of(request.user) == ADMIN,
            "total": units.count(),
        },
    )


@role_required()
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.select_related("parent"), request.user, field="pk", pk=pk)
    children = scope(unit.children.all(), request.user, field="pk")
    history = unit.history.select_related("history_user")[:20] if role_of(request.user) == ADMIN else []
    panels = unit_panels(unit, request.user)
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "children": children,
            "history": history,
            "can_edit": role_of(request.user) == ADMIN,
            "panels": panels,
            "liaisons": unit.liaisons.select_related("user"),
        },
    )


@role_required(ADMIN)
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, f"已新增单位“{unit.name}”")
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "title": "新增单位"})


@role_required(ADMIN)
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存单位“{unit.name}”")
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "title": f"编辑单位：{unit.name}", "unit": unit})


@transaction.non_atomic_requests  # the isolated parse must not hold the write lock; it writes in its own transaction
@role_required(ADMIN)
def unit_import(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["请选择要导入的 CSV 或 XLSX 文件"]
        else:
            try:
                result = import_units(upload.read(), upload.name)
            except ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(
                    request, f"导入完成：新增 {result.created} 个单位，更新 {result.updated} 个单位"
                )
                return redirect("units:list")
    return render(request, "units/import.html", {"errors": errors})


@role_required()
def unit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    units, _q, _group = _filtered(request)
    filename = f"单位名单.{fmt}"
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": XLSX,
    }[fmt]
    return download(export_units(units, filename), filename, content_type)
