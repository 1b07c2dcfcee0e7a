"""Pages of the annual-report checker. Every query goes through gongkai.web.accounts.access: a liaison
sees, uploads and exports only its own units' reports (another unit's report is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.annual import ReadError
from gongkai.annual.model import (
    T2_FIELD_LABELS,
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_GROUP_LABELS,
    T3_LABELS,
    T4_FIELD_LABELS,
    T4_GROUP_LABELS,
    T4_GROUPS,
    T4_KEYS,
    cell_label,
)
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
from gongkai.web.annual import services
from gongkai.web.annual.forms import UPLOAD_MAX_MB, UploadForm
from gongkai.web.annual.models import ReportRecord
from gongkai.web.core.http import download
from gongkai.web.units.models import Unit

EDITORS = (ADMIN, EVALUATOR, LIAISON)


def _records(request: HttpRequest):
    records = scope(ReportRecord.objects.select_related("unit"), request.user)
    unit = request.GET.get("unit", "")
    year = request.GET.get("year", "")
    if unit.isdigit():
        records = records.filter(unit_id=int(unit))
    if year.isdigit():
        records = records.filter(year=int(year))
    return records


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    records = _records(request)
    context = {
        "records": records[:500],
        "total": records.count(),
        "with_errors": records.filter(errors__gt=0).count(),
        "with_warnings": records.filter(errors=0, warnings__gt=0).count(),
        "units": visible_units(request.user),
        "years": sorted(
            set(scope(ReportRecord.objects.all(), request.user).values_list("year", flat=True)), reverse=True
        ),
        "can_upload": role_of(request.user) in EDITORS,
        "query": request.GET.urlencode(),
    }
    return render(request, "annual/index.html", context)


@role_required(*EDITORS)
def upload(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not can_edit(request.user, unit):
            raise PermissionDenied("您无权为该单位上传年报")
        stored = []
        limit = UPLOAD_MAX_MB * 1024 * 1024
        for f in form.cleaned_data["files"]:
            if f.size > limit:
                messages.error(
                    request,
                    f"{f.name}：文件大小 {f.size // 1024 // 1024} MB 超过上限 {UPLOAD_MAX_MB} MB，未读取",
                )
                continue
            try:
                record = services.store_upload(
                    unit, f.name, f.read(), request.user, form.cleaned_data.get("year")
                )
            except ReadError as exc:
                messages.error(request, str(exc))
                continue
            stored.append(record)
            messages.success(
                request,
                f"{f.name}：已读取 {record.year} 年度年报，{record.errors} 个错误，{record.warnings} 个警告",
            )
        if len(stored) == 1:
            return redirect(stored[0])
        return redirect(f"{_url('annual:index')}?unit={unit.pk}")
    return render(request, "annual/upload.html", {"form": form, "max_mb": UPLOAD_MAX_MB})


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _bad_cells(problems: list[dict]) -> set[str]:
    cells: set[str] = set()
    for p in problems:
        cells.update(w for w in p.get("where", "").split(",") if w)
    return cells


def _is_bad(address: str, bad: set[str]) -> bool:
    if address in bad:
        return True
    parts = address.split(".")
    return any(".".join(parts[:i]) in bad for i in range(1, len(parts)))


def _fmt(v) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _t2_rows(tables: dict, bad: set[str]) -> list[dict]:
    t2 = tables.get("t2") or {}
    rows = []
    for row, label in T2_LABELS.items():
        cells = []
        for key, value in t2.items():
            if key.startswith(row + "."):
                addr = f"t2.{key}"
                fld = key.split(".", 1)[1]
                cells.append(
                    {"label": T2_FIELD_LABELS.get(fld, fld), "value": _fmt(value), "bad": _is_bad(addr, bad)}
                )
        rows.append({"label": label, "cells": cells})
    return rows


def _t3_rows(tables: dict, bad: set[str]) -> list[dict]:
    rows = []
    for key, values in (tables.get("t3") or {}).items():
        group = key.split(".")[0] if "." in key else ""
        label = (T3_GROUP_LABELS.get(group, "") + " " if group else "") + T3_LABELS.get(key, key)
        cells = [
            {"value": _fmt(v), "bad": _is_bad(f"t3.{key}.{c}", bad)}
            for c, v in zip(T3_COLUMNS, values, strict=False)
        ]
        rows.append({"label": label, "cells": cells})
    return rows


def _t4_cells(tables: dict, bad: set[str]) -> list[dict]:
    t4 = tables.get("t4") or []
    return [
        {
            "group": T4_GROUP_LABELS[k.split(".")[0]],
            "label": T4_FIELD_LABELS[k.split(".")[1]],
            "value": _fmt(v),
            "bad": _is_bad(f"t4.{k}", bad),
        }
        for k, v in zip(T4_KEYS, t4, strict=False)
    ]


def _where_label(where: str) -> str:
    """Chinese names of the first cells of a problem (the raw addresses stay in the title attribute)."""
    parts = [w for w in where.split(",") if w]
    names = [w[3:] if w.startswith("ch.") else cell_label(w) for w in parts[:2]]
    return "；".join(names) + (f" 等{len(parts)}处" if len(parts) > 2 else "")


@role_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_scoped_or_404(ReportRecord.objects.select_related("unit"), request.user, pk=pk)
    problems = [p | {"where_label": _where_label(p.get("where", ""))} for p in services.all_problems(record)]
    bad = _bad_cells(problems)
    context = {
        "record": record,
        "problems": problems,
        "t2": _t2_rows(record.tables, bad),
        "t3": _t3_rows(record.tables, bad),
        "t3_columns": [T3_COLUMN_LABELS[c] for c in T3_COLUMNS],
        "t4": _t4_cells(record.tables, bad),
        "t4_groups": [T4_GROUP_LABELS[g] for g in T4_GROUPS],
        "missing_chapters": [p for p in problems if p["rule"] == "CH-MISSING"],
        "can_edit": can_edit(request.user, record.unit),
    }
    return render(request, "annual/detail.html", context)


@role_required()
def history(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=unit_id)
    records = list(ReportRecord.objects.filter(unit=unit).order_by("year"))
    years = []
    for record in records:
        cross = services.cross_year(record)
        t3 = record.tables.get("t3") or {}
        years.append(
            {
                "record": record,
                "cross": cross,
                "new": (t3.get("new_received") or [None] * 7)[6],
                "over": (t3.get("carried_over") or [None] * 7)[6],
                "forward": (t3.get("carried_forward") or [None] * 7)[6],
                "total": (t3.get("total_processed") or [None] * 7)[6],
            }
        )
    return render(request, "annual/history.html", {"unit": unit, "years": years})


@role_required()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise PermissionDenied("只支持 CSV 或 XLSX")
    records = list(_records(request))
    data, ctype, name = services.summary_bytes(records, fmt)
    return download(data, name, ctype)
