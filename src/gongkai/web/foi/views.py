"""Pages of the application ledger. Every query goes through gongkai.web.accounts.access, so a
liaison reads and changes only its own units' applications (another unit's is a 404)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.calendar import CalendarError
from gongkai.foi import APPLICANT_TYPES, OUTCOMES, T3_ROWS, T4_KEYS, Event, FoiError, chinese_date
from gongkai.foi.notices import DEFAULT_TEMPLATES, PLACEHOLDERS, fill, to_docx
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
from gongkai.web.foi import services, yearplan
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.forms import (
    ApplicationForm,
    CaseForm,
    EventForm,
    FeeForm,
    ImportForm,
    NoticeForm,
    StatsForm,
    TemplateForm,
    UploadForm,
)
from gongkai.web.foi.io import ImportRejected, export_workbook, import_ledger_report, template_workbook
from gongkai.web.foi.models import STATE_CHOICES, Application, Document, NoticeTemplate
from gongkai.web.units.models import Unit

EDITORS = (ADMIN, EVALUATOR, LIAISON)


def _today() -> date:
    return timezone.localdate()


def _editable_units(user):
    units = visible_units(user)
    return units if role_of(user) in EDITORS else units.none()


def _require_edit(user, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied("您无权修改该单位的依申请公开台账")


def _list_links(today: date, unit_id: str) -> dict[str, str]:
    """Query strings of the list that shows exactly what each overview count counts."""
    base = f"unit={unit_id}&" if unit_id.isdigit() else ""
    yesterday = (today - timedelta(days=1)).isoformat()
    try:
        soon = platform_calendar().add_working_days(today, services.DUE_SOON_DAYS).isoformat()
    except CalendarError:
        soon = ""
    return {
        "overdue": f"{base}state=processing&due_to={yesterday}",
        "due_soon": f"{base}state=processing&due_from={today.isoformat()}&due_to={soon}",
        "paused": f"{base}state=stopped",
        "provisional": f"{base}open=1&provisional=1",
        "yesterday": yesterday,
    }


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    apps = scope(Application.objects.all(), request.user)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        apps = apps.filter(unit_id=int(unit_id))
    lists = services.work_lists(apps, _today())
    reminders = [item for item in lists["due_soon"] if item.days_left is not None and item.days_left <= 3]
    links = _list_links(_today(), unit_id)
    summary = (
        apps.values("unit__id", "unit__name")
        .annotate(
            open=Count("id", filter=~Q(state__in=("replied", "delivered"))),
            total=Count("id"),
            overdue=Count("id", filter=~Q(state__in=("replied", "delivered")) & Q(due_on__lt=_today())),
        )
        .order_by("unit__name")
    )
    return render(
        request,
        "foi/index.html",
        {
            "lists": lists,
            "reminders": reminders,
            "summary": summary,
            "units": units,
            "unit_id": unit_id,
            "today": _today(),
            "can_create": role_of(request.user) in EDITORS,
            "is_admin": role_of(request.user) == ADMIN,
            "calendar_reminder": yearplan.reminder(_today()),
            "links": links,
        },
    )


STOPPED_STATES = ("correction", "paused", "fee")
LIST_FILTERS = (
    "q",
    "unit",
    "state",
    "year",
    "open",
    "provisional",
    "received_from",
    "received_to",
    "due_from",
    "due_to",
)


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _filtered(request: HttpRequest):
    """The user's applications narrowed by the list's filters (shared by the list and its export)."""
    apps = scope(Application.objects.select_related("unit"), request.user)
    get = request.GET
    params = {k: get.get(k, "").strip() for k in LIST_FILTERS}
    requested = get.getlist("state")
    if "stopped" in requested:  # the overview's 暂停计时 count
        requested += list(STOPPED_STATES)
    states = sorted({s for s in requested if s in dict(STATE_CHOICES)})
    if params["unit"].isdigit():
        apps = apps.filter(unit_id=int(params["unit"]))
    if states:
        apps = apps.filter(state__in=states)
    if params["year"].isdigit():
        apps = apps.filter(received_on__year=int(params["year"]))
    if params["open"] == "1":
        apps = apps.exclude(state__in=("replied", "delivered"))
    if params["provisional"] == "1":
        apps = apps.filter(due_provisional=True)
    ranges = {
        "received_from": "received_on__gte",
        "received_to": "received_on__lte",
        "due_from": "due_on__gte",
        "due_to": "due_on__lte",
    }
    for key, lookup in ranges.items():
        d = _iso(params[key]) if params[key] else None
        if d is not None:
            apps = apps.filter(**{lookup: d})
    if get.get("due") == "none":
        apps = apps.filter(due_on__isnull=True)
    if params["q"]:
        q = params["q"]
        apps = apps.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q) | Q(content__icontains=q))
    return apps, params, states


@role_required()
def app_list(request: HttpRequest) -> HttpResponse:
    apps, params, states = _filtered(request)
    page = Paginator(apps, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "foi/list.html",
        {
            "page": page,
            "total": apps.count(),
            "units": visible_units(request.user),
            "states": STATE_CHOICES,
            "selected_states": states,
            "unit_id": params["unit"],
            "q": params["q"],
            "year": params["year"],
            "f": params,
            "query": query.urlencode(),
        },
    )


@role_required()
def app_export(request: HttpRequest) -> HttpResponse:
    apps, _params, _states = _filtered(request)
    return download(export_workbook(apps), f"依申请公开台账-{_today():%Y%m%d}.xlsx", XLSX)


@role_required(*EDITORS)
def app_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, units=_editable_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        unit = form.cleaned_data["unit"]
        _require_edit(request.user, unit)
        if Application.objects.filter(unit=unit, number=data["number"]).exists():
            form.add_error("number", "本单位已有该申请编号")
        else:
            try:
                app = services.create_application(unit, data, today=_today())
            except FoiError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已登记申请 {app.number}，{app.due_note}")
                return redirect(app)
    return render(request, "foi/form.html", {"form": form, "title": "登记政府信息公开申请"})


@role_required(*EDITORS)
def app_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_scoped_or_404(Application.objects.all(), request.user, pk=pk)
    _require_edit(request.user, app.unit)
    form = ApplicationForm(request.POST or None, instance=app, units=_editable_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a receipt moved after later events is rolled back whole
                received = services.statutory_receipt(form.cleaned_data)
                updated = form.save(commit=False)
                updated.received_on = received
                updated.save()
                services.update_receipt(updated, _today())
        except FoiError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存")
            return redirect(app)
    return render(request, "foi/form.html", {"form": form, "title": f"修改申请 {app.number}"})


@role_required()
def app_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_scoped_or_404(Application.objects.select_related("unit"), request.user, pk=pk)
    status = services.refresh_view(app)
    days_left = None
    if app.is_open and app.due_on:
        try:
            days_left = platform_calendar().working_days_between(_today(), app.due_on)
        except CalendarError:
            days_left = None
    return render(
        request,
        "foi/detail.html",
        {
            "app": app,
            "status": status,
            "days_left": days_left,
            "events": app.events.all(),
            "cases": app.cases.all(),
            "documents": app.documents.all(),
            "editable": can_edit(request.user, app.unit),
            "event_form": EventForm(),
            "case_form": CaseForm(),
            "fee_form": FeeForm(initial={"fee_method": app.fee_method, "pages": app.pages}),
            "notice_form": NoticeForm(),
            "upload_form": UploadForm(),
            "outcome": OUTCOMES.get(app.outcome),
            "history": app.history.select_related("history_user")[:20]
            if role_of(request.user) == ADMIN
            else [],
        },
    )


def _editable_app(request: HttpRequest, pk: int) -> Application:
    app = get_scoped_or_404(Application.objects.select_related("unit"), request.user, pk=pk)
    _require_edit(request.user, app.unit)
    return app


@require_POST
@role_required(*EDITORS)
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    app = _editable_app(request, pk)
    form = EventForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "事件未登记："
            + "；".join(
                f"{form.fields[f].label if f in form.fields else ''}{e}"
                for f, es in form.errors.items()
                for e in es
            ),
        )
        return redirect(app)
    d = form.cleaned_data
    ev = Event(
        d["kind"],
        d["on"],
        outcome=d["outcome"] or "",
        days=d["days"] or 0,
        approver=d["approver"] or "",
        consult=d["consult"] or "",
        amount=d["amount"],
        note=d["note"] or "",
    )
    try:
        services.add_event(app, ev, _today())
    except FoiError as exc:
        messages.error(request, f"事件未登记：{exc}")
    else:
        messages.success(
            request, f"已登记：{d['on']} {dict(EventForm.base_fields['kind'].choices)[d['kind']]}"
        )
    return redirect(app)


@require_POST
@role_required(*EDITORS)
def add_case(request: HttpRequest, pk: int) -> HttpResponse:
    app = _editable_app(request, pk)
    form = CaseForm(request.POST)
    if form.is_valid():
        case = form.save(commit=False)
        today = _today()
        late = [d for d in (case.filed_on, case.decided_on) if d and d > today]
        if case.filed_on < app.received_on:
            messages.error(request, "复议诉讼未登记：立案日期早于收到申请日期")
        elif late:
            messages.error(
                request,
                f"复议诉讼未登记：日期 {chinese_date(late[0])} 晚于今天（{chinese_date(today)}），不能登记尚未发生的事",
            )
        else:
            case.application = app
            case.save()
            messages.success(request, f"已登记{case.get_kind_display()}")
    else:
        messages.error(request, "复议诉讼未登记：" + "；".join(e for es in form.errors.values() for e in es))
    return redirect(app)


@require_POST
@role_required(*EDITORS)
def set_fee(request: HttpRequest, pk: int) -> HttpResponse:
    app = _editable_app(request, pk)
    form = FeeForm(request.POST)
    if form.is_valid():
        method, pages = form.cleaned_data["fee_method"], form.cleaned_data["pages"]
        try:
            amount = services.quote_fee(app, method, pages)
        except FoiError as exc:
            messages.error(request, f"未计费：{exc}")
        else:
            app.fee_method, app.pages, app.fee_amount = method, pages, amount if method else None
            app.save()
            messages.success(request, f"信息处理费：{amount} 元")
    return redirect(app)


def _due_text(app: Application) -> str | None:
    """The due date in a notice: 2027年1月5日, marked 暂定 while next year's schedule is unknown."""
    if not app.due_on:
        return None
    text = chinese_date(app.due_on)
    return f"{text}（暂定，以国务院公布的放假安排为准）" if app.due_provisional else text


def notice_values(app: Application, extra: dict[str, object]) -> dict[str, object]:
    outcome = OUTCOMES.get(app.outcome)
    return {
        "申请人": app.applicant_name,
        "编号": app.number,
        "单位": app.unit.name,
        "收到日期": app.received_on,
        "申请内容": app.content,
        "答复期限": _due_text(app),
        "延期后期限": _due_text(app),
        "延期天数": sum(e.days for e in app.events.all() if e.kind == "extended") or None,
        "办理结果": outcome.label if outcome else None,
        "法律依据": app.legal_basis or (outcome.basis if outcome else None),
        "费用金额": app.fee_amount,
        "收费依据": dict(FeeForm.base_fields["fee_method"].choices).get(app.fee_method)
        if app.fee_method
        else None,
        "日期": _today(),
        **{k: v for k, v in extra.items() if v},
    }


@require_POST
@role_required(*EDITORS)
def make_notice(request: HttpRequest, pk: int) -> HttpResponse:
    app = _editable_app(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未生成：请选择文书类型")
        return redirect(app)
    kind = form.cleaned_data["kind"]
    template = NoticeTemplate.objects.filter(kind=kind).first()
    title, body = (template.title, template.body) if template else DEFAULT_TEMPLATES[kind]
    status = services.evaluate_rows(app.events.all())
    extra = {
        "说明": form.cleaned_data["explanation"],
        "补正事项": form.cleaned_data["correction_items"],
        "补正期限": form.cleaned_data["correction_deadline"],
        "缴费期限": status.fee_due,
    }
    try:
        text = fill(body, notice_values(app, extra))
    except FoiError as exc:
        messages.error(request, str(exc))
        return redirect(app)
    doc = Document(application=app, kind=kind, title=f"{title}（{app.number}）")
    doc.file.save(f"{app.number}-{kind}.docx", ContentFile(to_docx(title, text)), save=True)
    messages.success(request, f"已生成《{title}》")
    return redirect(app)


UPLOAD_SUFFIXES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".ofd", ".zip")


@require_POST
@role_required(*EDITORS)
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    app = _editable_app(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "未上传：请填写标题并选择文件")
        return redirect(app)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        messages.error(
            request, f"未上传：不支持的文件类型“{suffix or upload.name}”，可上传 {'、'.join(UPLOAD_SUFFIXES)}"
        )
        return redirect(app)
    doc = Document(application=app, kind="upload", title=form.cleaned_data["title"])
    doc.file.save(f"{app.number}-upload{suffix}", upload, save=True)
    messages.success(request, f"已上传《{doc.title}》")
    return redirect(app)


@role_required()
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_scoped_or_404(Document.objects.all(), request.user, field="application__unit", pk=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    suffix = Path(doc.file.name).suffix or ".docx"
    return FileResponse(handle, as_attachment=True, filename=f"{doc.title}{suffix}")


@transaction.non_atomic_requests  # the isolated parse must not hold the write lock; it writes in its own transaction
@role_required(*EDITORS)
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, units=_editable_units(request.user))
    errors: list[str] = []
    mapping: list[str] = []
    preview: int | None = None
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        _require_edit(request.user, unit)
        commit = "preview" not in request.POST
        try:
            result = import_ledger_report(unit, form.cleaned_data["file"].read(), _today(), commit=commit)
        except ImportRejected as exc:
            errors, mapping = exc.errors, getattr(exc, "mapping", [])
        else:
            if not commit:
                preview, mapping = result.count, result.mapping
            else:
                skipped = "".join(f"；{note}" for note in result.notes)
                messages.success(request, f"已导入 {result.count} 件申请到“{unit.name}”{skipped}")
                return redirect(f"{redirect('foi:list').url}?unit={unit.pk}")
    context = {"form": form, "errors": errors, "mapping": mapping, "preview": preview}
    return render(request, "foi/import.html", context)


@role_required()
def import_template(request: HttpRequest) -> HttpResponse:
    return download(template_workbook(), "依申请公开台账模板.xlsx", XLSX)


@role_required()
def stats(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = StatsForm(request.GET or None, units=units, initial={"year": _today().year - 1})
    tables = None
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        tables = services.tables_for([unit], year)
        fmt = request.GET.get("format", "")
        if fmt == "json":
            payload = {"unit": unit.name, "year": year, "tables": tables}
            return download(
                json.dumps(payload, ensure_ascii=False, indent=1),
                f"{unit.name}-{year}-表三表四.json",
                "application/json; charset=utf-8",
            )
        if fmt in ("docx", "xlsx"):
            built = services.annual_export(unit, year, tables, fmt)
            if built is None:
                messages.error(request, "年报模块尚未提供该格式的导出")
            else:
                data, content_type = built
                return download(data, f"{unit.name}-{year}-年报表三表四.{fmt}", content_type)
    rows = []
    if tables:
        rows = [(services.t3_label(k), tables["t3"][k]) for k in T3_ROWS]
    t4 = None
    if tables:
        values = tables["t4"]
        t4 = [values[i * 5 : i * 5 + 5] for i in range(3)]
    return render(
        request,
        "foi/stats.html",
        {
            "form": form,
            "rows": rows,
            "t4": t4,
            "columns": [*APPLICANT_TYPES.values(), "总计"],
            "t4_keys": T4_KEYS,
            "query": request.GET.urlencode(),
            "problems": services.validate_tables(tables, form.cleaned_data["unit"], form.cleaned_data["year"])
            if tables
            else [],
        },
    )


@role_required(ADMIN)
def templates_view(request: HttpRequest) -> HttpResponse:
    services.ensure_templates()
    return render(
        request,
        "foi/templates.html",
        {"templates": NoticeTemplate.objects.all(), "placeholders": PLACEHOLDERS},
    )


@role_required(ADMIN)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(NoticeTemplate, pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            fill(form.cleaned_data["body"], {})
        except FoiError as exc:
            form.add_error("body", str(exc))
        else:
            form.save()
            messages.success(request, f"已保存模板《{template.title}》")
            return redirect("foi:templates")
    return render(
        request,
        "foi/form.html",
        {"form": form, "title": f"编辑模板：{template.get_kind_display()}", "placeholders": PLACEHOLDERS},
    )
