"""Pages of the annual-report checker and builder. Every query goes through gongkai.web.accounts.access: a
liaison sees, uploads, builds and exports only its own units' reports (another unit's report is a 404)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.annual import ReadError
from gongkai.annual.model import (
    T2_FIELD_LABELS,
    T2_KEYS,
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_GROUP_LABELS,
    T3_KEYS_2021,
    T3_LABELS,
    T4_FIELD_LABELS,
    T4_FIELDS,
    T4_GROUP_LABELS,
    T4_GROUPS,
    T4_KEYS,
    cell_label,
)
from gongkai.annual.rules import rule_name
from gongkai.annual.write import report_bytes
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
from gongkai.web.annual.forms import (
    TEXT_CHAPTERS,
    UPLOAD_MAX_MB,
    BuildChooseForm,
    ReportForm,
    UploadForm,
    chapter_field,
    t3_address,
)
from gongkai.web.annual.models import ReportDraft, ReportRecord, ReportVersion
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


@transaction.non_atomic_requests  # the isolated parse must not hold the write lock; it writes in its own transaction
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
            for notice in record.notices:
                messages.warning(request, f"{f.name}：{notice}")
            earlier = record.versions.all()[1:2]
            if not record.new_version:
                messages.info(request, f"{f.name}：与当前版本的内容相同，未另存新版本。")
            elif earlier:
                prev = earlier[0]
                messages.warning(
                    request,
                    f"{unit.name} {record.year} 年度已有年报（{prev.source_name}，"
                    f"{timezone.localtime(prev.uploaded_at):%Y-%m-%d %H:%M} 上传）：本次上传成为当前版本，"
                    f"原版本保留在该年报的「历史版本」中，可随时下载。",
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


def _where_names(where: str) -> list[str]:
    return [w[3:] if w.startswith("ch.") else cell_label(w) for w in where.split(",") if w]


def _where_label(where: str) -> str:
    """Chinese names of the first cells of a problem (all of them in the title attribute)."""
    names = _where_names(where)
    return "；".join(names[:2]) + (f" 等{len(names)}处" if len(names) > 2 else "")


def _shown(problem: dict) -> dict:
    """A problem as a page shows it: the rule's Chinese name and the cells' names, never their ids."""
    where = problem.get("where", "")
    return problem | {
        "where_label": _where_label(where),
        "where_title": "；".join(_where_names(where)),
        "rule_name": rule_name(problem.get("rule", "")),
    }


@role_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_scoped_or_404(ReportRecord.objects.select_related("unit"), request.user, pk=pk)
    problems = [_shown(p) for p in services.all_problems(record)]
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
        "draft": record.drafts.first(),
        "versions": record.versions.select_related("uploaded_by").defer("data"),
    }
    return render(request, "annual/detail.html", context)


@role_required()
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """Download one uploaded version of a report, exactly as it was uploaded."""
    v = get_scoped_or_404(
        ReportVersion.objects.select_related("record__unit"), request.user, "record__unit", pk=pk
    )
    ctype = "application/octet-stream"
    return download(bytes(v.data), v.source_name, ctype)


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
                "cross": [_shown(p) for p in cross],
                "new": (t3.get("new_received") or [None] * 7)[6],
                "over": (t3.get("carried_over") or [None] * 7)[6],
                "forward": (t3.get("carried_forward") or [None] * 7)[6],
                "total": (t3.get("total_processed") or [None] * 7)[6],
            }
        )
    context = {
        "unit": unit,
        "years": years,
        "drafts": ReportDraft.objects.filter(unit=unit).select_related("author", "record").order_by("-year"),
        "can_build": role_of(request.user) in EDITORS and can_edit(request.user, unit),
    }
    return render(request, "annual/history.html", context)


@role_required()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise PermissionDenied("只支持 CSV 或 XLSX")
    records = list(_records(request))
    data, ctype, name = services.summary_bytes(records, fmt)
    return download(data, name, ctype)


# --- building a unit's own report (编制年报) -------------------------------------------------------------
DOWNLOADS = ("docx", "xlsx", "pdf", "html")


def _default_year() -> int:
    return timezone.localdate().year - 1


def _build_url(unit_id: int, year: int, **extra: str) -> str:
    query = urlencode({"unit": unit_id, "year": year, **extra})
    return f"{_url('annual:build')}?{query}"


def _cell(form: ReportForm, address: str, errors: set[str], warnings: set[str], ledger: dict | None) -> dict:
    field = form[address]
    state = ""
    if field.errors or _is_bad(address, errors):
        state = "bad"
    elif _is_bad(address, warnings):
        state = "warn"
    cell = {"field": field, "state": state, "ledger": None}
    if ledger is not None and address in ledger:
        shown = field.value()
        shown = field.field.prepare_value(shown) if not form.is_bound else (shown or "").strip()
        expected = "" if ledger[address] is None else str(ledger[address])
        if shown != expected:
            cell["ledger"] = expected or "空"
    return cell


def _build_tables(form: ReportForm, problems: list[dict], ledger_tables: dict | None) -> dict:
    errors = _bad_cells([p for p in problems if p["severity"] == "error"])
    warnings = _bad_cells([p for p in problems if p["severity"] != "error"])
    ledger = None
    if ledger_tables is not None:
        flat = ReportForm.initial_from(ledger_tables, {})
        ledger = {k: v for k, v in flat.items() if k.startswith(("t3.", "t4."))}
    t2 = []
    for row, label in T2_LABELS.items():
        keys = [k for k in T2_KEYS if k.startswith(row + ".")]
        cells = [
            _cell(form, f"t2.{k}", errors, warnings, None) | {"label": T2_FIELD_LABELS[k.split(".", 1)[1]]}
            for k in keys
        ]
        t2.append({"label": label, "cells": cells})
    t3 = []
    for key in T3_KEYS_2021:
        group = key.split(".")[0] if "." in key else ""
        label = (T3_GROUP_LABELS.get(group, "") + " " if group else "") + T3_LABELS[key]
        cells = [_cell(form, t3_address(key, c), errors, warnings, ledger) for c in T3_COLUMNS]
        t3.append({"label": label, "cells": cells})
    t4 = []
    for group in T4_GROUPS:
        cells = [_cell(form, f"t4.{group}.{f}", errors, warnings, ledger) for f in T4_FIELDS]
        t4.append({"label": T4_GROUP_LABELS[group], "cells": cells})
    chapters = []
    for heading in TEXT_CHAPTERS:
        address = f"ch.{heading}"
        field = form[chapter_field(heading)]
        state = "bad" if field.errors or address in errors else ("warn" if address in warnings else "")
        chapters.append({"heading": heading, "field": field, "state": state})
    return {"t2": t2, "t3": t3, "t4": t4, "chapters": chapters}


@role_required(*EDITORS)
def build(request: HttpRequest) -> HttpResponse:
    """Compose a unit's own annual report: tables 三/四 pre-filled from the ledger (editable), table 二 and the
    text chapters by hand; check it with every rule, download it in the national layout, save it as a draft
    and archive it into the unit's report history."""
    units = visible_units(request.user).order_by("name")
    unit = None
    unit_param = request.GET.get("unit", "")
    if unit_param:
        if not unit_param.isdigit():
            raise Http404("没有找到该单位，或您无权查看")
        unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=int(unit_param))
        if not can_edit(request.user, unit):
            raise PermissionDenied("您无权为该单位编制年报")
    elif units.count() == 1:
        unit = units.first()
    year_param = request.GET.get("year", "") or str(_default_year())
    if unit is None:
        choose = BuildChooseForm(units=units, initial={"year": _default_year()})
        return render(request, "annual/build.html", {"choose": choose})
    choose = BuildChooseForm({"unit": unit.pk, "year": year_param}, units=units)
    if not choose.is_valid():
        return render(request, "annual/build.html", {"choose": choose})
    year = choose.cleaned_data["year"]
    draft = ReportDraft.objects.filter(unit=unit, year=year).select_related("author", "record").first()
    ledger = services.ledger_tables(unit, year)
    problems: list[dict] | None = None

    if request.method == "POST":
        form = ReportForm(request.POST)
        action = request.POST.get("action", "check")
        if not form.is_valid():
            count = sum(len(e) for e in form.errors.values())
            messages.error(
                request, f"有 {count} 处填写有误，本次未保存，也未校验；请按标红处的提示修改后再提交。"
            )
        else:
            tables, chapters = form.tables(), form.chapters()
            report = services.compose(unit, year, tables, chapters)
            if action.startswith("download:") and action.split(":", 1)[1] in DOWNLOADS:
                # a report that fails its checks downloads marked 草稿 on every page
                failing = any(p["severity"] == "error" for p in services.check_composed(report, unit))
                data, ctype, name = report_bytes(report, action.split(":", 1)[1], draft=failing)
                return download(data, name, ctype)
            if action == "save":
                services.save_draft(unit, year, tables, chapters, request.user)
                messages.success(request, f"已保存 {unit.name} {year} 年度年报草稿。")
                return redirect(_build_url(unit.pk, year))
            problems = services.check_composed(report, unit)
            errors = sum(p["severity"] == "error" for p in problems)
            if action == "archive":
                with transaction.atomic():
                    draft = services.save_draft(unit, year, tables, chapters, request.user)
                    if errors:
                        messages.error(
                            request,
                            f"草稿已保存，但校验发现 {errors} 个错误，未归档；请改正后再归档为本单位年报。",
                        )
                    else:
                        record = services.archive_draft(draft, report, request.user)
                        messages.success(
                            request,
                            f"已归档为 {unit.name} {year} 年度年报（{record.source_name}），"
                            f"可在本单位历年年报中查看。",
                        )
                        return redirect(record)
    else:
        if draft is not None:
            tables, chapters = dict(draft.tables), dict(draft.chapters)
            if request.GET.get("refill"):
                tables.update({"t3": ledger["t3"], "t4": ledger["t4"]})
                messages.info(request, "已按台账重新填入表三、表四（尚未保存）；表二和正文保留草稿内容。")
        else:
            tables, chapters = {"t3": ledger["t3"], "t4": ledger["t4"]}, {}
        form = ReportForm(initial=ReportForm.initial_from(tables, chapters))

    shown = [_shown(p) for p in problems or []]
    context = {
        "choose": choose,
        "unit": unit,
        "year": year,
        "draft": draft,
        "form": form,
        "problems": shown,
        "checked": problems is not None,
        "error_count": sum(p["severity"] == "error" for p in shown),
        "warning_count": sum(p["severity"] != "error" for p in shown),
        "t3_columns": [T3_COLUMN_LABELS[c] for c in T3_COLUMNS],
        "t4_fields": [T4_FIELD_LABELS[f] for f in T4_FIELDS],
        "form_errors": [e for errs in form.errors.values() for e in errs] if form.is_bound else [],
        "refill_url": _build_url(unit.pk, year, refill="1"),
        "record": ReportRecord.objects.filter(unit=unit, year=year).first(),
        **_build_tables(form, shown, ledger),
    }
    return render(request, "annual/build.html", context)
