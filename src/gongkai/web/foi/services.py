"""Ledger operations shared by views, import, demo and benchmark: every change goes through the
domain core (gongkai.foi) first, so an impossible sequence is refused before anything is saved."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import CharField, Count, F, QuerySet, Value, When

from gongkai.calendar import CalendarError, WorkingCalendar
from gongkai.foi import (
    OUTCOMES,
    Event,
    FoiError,
    Status,
    by_volume_fee,
    evaluate,
    per_request_rate,
    receipt_date,
)
from gongkai.foi.rules import rules_on
from gongkai.foi.tables import tables_from_counts
from gongkai.plugins import import_optional
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.models import Application, Case
from gongkai.web.foi.models import Event as EventRow

EVENT_FIELDS = ("kind", "on", "outcome", "days", "approver", "consult", "amount", "note")
DUE_SOON_DAYS = 5  # working days: the "due soon" list and reminders


def fee_pauses_clock() -> bool:
    """GONGKAI_FOI_FEE_PAUSES_CLOCK (default false): does the time from a fee notice to payment stop
    the reply clock? The rules leave it unconfirmed, so each office decides."""
    from gongkai.web.settings import env_bool

    return env_bool("GONGKAI_FOI_FEE_PAUSES_CLOCK", False)


def to_domain(row: EventRow) -> Event:
    return Event(
        row.kind,
        row.on,
        outcome=row.outcome,
        days=row.days,
        approver=row.approver,
        consult=row.consult,
        amount=row.amount,
        note=row.note,
    )


def _ordered(events: Iterable[Event]) -> list[Event]:
    # Events are kept in date order; a later-recorded event on the same day comes after.
    return sorted(events, key=lambda e: e.on)


def evaluate_rows(rows: Iterable[EventRow], cal: WorkingCalendar | None = None) -> Status:
    return evaluate(
        _ordered(to_domain(r) for r in rows), cal or platform_calendar(), fee_pauses_clock=fee_pauses_clock()
    )


def _check_today(timeline: list[Event], today: date | None) -> None:
    """Refuse events dated after ``today`` (the pages pass it; imports of old ledgers too)."""
    if today is not None:
        evaluate(_ordered(timeline), platform_calendar(), fee_pauses_clock=fee_pauses_clock(), today=today)


def apply_status(app: Application, status: Status) -> None:
    app.state = status.state
    app.due_on = status.due.due if status.due else None
    app.due_note = (status.due.explanation if status.due else status.calendar_error)[:300]
    app.due_provisional = bool(status.due and status.due.provisional)
    app.paused_since = status.paused_since if status.clock_paused else None
    app.clock_used = status.clock_used if status.clock_paused else None
    app.clock_left = status.clock_left if status.clock_paused else None
    app.replied_on = status.replied_on
    app.outcome = status.outcome
    if status.outcome and not app.legal_basis:
        app.legal_basis = OUTCOMES[status.outcome].basis


def refresh(app: Application, cal: WorkingCalendar | None = None) -> Status:
    """Recompute the stored state and due date from the events (no due date when a year lacks data)."""
    status = evaluate_rows(app.events.all(), cal)
    apply_status(app, status)
    app.save()
    return status


def statutory_receipt(data: dict[str, Any]) -> date:
    return receipt_date(
        data["channel"],
        submitted=data.get("submitted_on"),
        signed=data.get("signed_on"),
        confirmed=data.get("confirmed_on"),
    )


@transaction.atomic
def create_application(
    unit: Any, data: dict[str, Any], events: Iterable[Event] = (), today: date | None = None
) -> Application:
    """Create an application with its 'received' event (and any later events), all checked first;
    with ``today``, nothing dated after it is accepted."""
    received = statutory_receipt(data)
    timeline = [Event("received", received), *events]
    _check_today(timeline, today)
    status = evaluate(timeline, platform_calendar(), fee_pauses_clock=fee_pauses_clock())
    app = Application(unit=unit, received_on=received, **data)
    apply_status(app, status)
    app.save()
    EventRow.objects.bulk_create([_row(app, ev) for ev in timeline])
    return app


def _row(app: Application, ev: Event) -> EventRow:
    return EventRow(
        application=app,
        kind=ev.kind,
        on=ev.on,
        outcome=ev.outcome,
        days=ev.days,
        approver=ev.approver,
        consult=ev.consult,
        amount=ev.amount,
        note=ev.note,
    )


@transaction.atomic
def add_event(app: Application, ev: Event, today: date | None = None) -> Status:
    """Record one more event; a FoiError (Chinese message) refuses it and nothing is saved
    (with ``today``, also an event dated after it)."""
    app = Application.objects.select_for_update().get(pk=app.pk)
    existing = [to_domain(r) for r in app.events.all()]
    cal = platform_calendar()
    evaluate(_ordered([*existing, ev]), cal, fee_pauses_clock=fee_pauses_clock(), today=today)  # refused
    _row(app, ev).save()
    return refresh(app, cal)


@transaction.atomic
def update_receipt(app: Application, today: date | None = None) -> Status:
    """After the channel or dates were edited: move the 'received' event to the new statutory date."""
    received = app.received_on
    _check_today([Event("received", received)], today)
    earlier = app.events.exclude(kind="received").filter(on__lt=received).first()
    if earlier is not None:
        raise FoiError(
            f"收到日期 {received.isoformat()} 晚于已登记的事件“{earlier.get_kind_display()}”"
            f"（{earlier.on.isoformat()}）：事件日期不能早于收到申请日期，请核对"
        )
    app.events.filter(kind="received").update(on=received)
    rows = list(app.events.all())
    evaluate_rows(rows)  # raises FoiError if other events now precede the receipt
    return refresh(app)


def recompute_open(cal: WorkingCalendar | None = None) -> int:
    """Refresh every open application (after calendar corrections changed); returns how many."""
    n = 0
    for app in Application.objects.exclude(state__in=("replied", "delivered")).prefetch_related("events"):
        refresh(app, cal)
        n += 1
    return n


# -- fees -----------------------------------------------------------------------------------------


def nth_request_in_month(app: Application) -> int:
    """Position of this application among the same applicant's requests to the unit in its month."""
    same = Application.objects.filter(
        unit=app.unit,
        applicant_name=app.applicant_name,
        id_document=app.id_document,
        received_on__year=app.received_on.year,
        received_on__month=app.received_on.month,
    )
    earlier = same.filter(received_on__lt=app.received_on).count()
    same_day = same.filter(received_on=app.received_on, pk__lte=app.pk).count()
    return earlier + same_day


def quote_fee(app: Application, method: str, pages: int | None = None) -> Decimal:
    """The 信息处理费 for this application under the chosen method (按件 or 按量, never both)."""
    rules = rules_on(app.received_on)  # the fee bands in force when the application was received
    if method == "per_request":
        return Decimal(per_request_rate(nth_request_in_month(app), rules))
    if method == "by_volume":
        if pages is None:
            raise FoiError("按量计收须填写页数")
        return Decimal(by_volume_fee(pages, rules=rules))
    if method == "":
        return Decimal(0)
    raise FoiError(f"未知的收费方式“{method}”")


# -- work lists -----------------------------------------------------------------------------------


@dataclass
class WorkItem:
    app: Application
    days_left: int | None  # working days from today to the due date (negative: overdue)


def work_lists(
    apps: QuerySet[Application], today: date, cal: WorkingCalendar | None = None
) -> dict[str, list[WorkItem]]:
    """Open applications split into overdue, due soon (≤5 working days) and paused, with days left."""
    cal = cal or platform_calendar()
    lists: dict[str, list[WorkItem]] = {
        "overdue": [],
        "due_soon": [],
        "paused": [],
        "unknown": [],
        "provisional": [],
    }
    open_apps = (
        apps.exclude(state__in=("replied", "delivered")).select_related("unit").order_by("due_on", "id")
    )
    for app in open_apps:
        left = None
        if app.due_on is not None:
            try:
                left = cal.working_days_between(today, app.due_on)
            except CalendarError:
                left = None
        item = WorkItem(app, left)
        if app.due_provisional:
            lists["provisional"].append(item)  # for review: recomputed when the year is confirmed
        if app.state in ("paused", "correction", "fee"):
            # a suspended clock often has no due date until it runs again: still a paused item, not "unknown"
            lists["paused"].append(item)
        elif left is None:
            lists["unknown"].append(item)
        elif app.due_on < today:
            lists["overdue"].append(item)
        elif left <= DUE_SOON_DAYS:
            lists["due_soon"].append(item)
    return lists


# -- tables 三/四 -----------------------------------------------------------------------------------


def tables_for(units: Iterable[Any] | QuerySet, year: int) -> dict[str, object]:
    """Tables 三/四 for the units' ledgers in ``year``, from two GROUP BY queries."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    apps = Application.objects.filter(unit__in=units, received_on__lte=last).exclude(replied_on__lt=first)
    rows = (
        apps.annotate(
            origin=DbCase(
                When(received_on__gte=first, then=Value("new_received")),
                default=Value("carried_over"),
                output_field=CharField(),
            ),
            fate=DbCase(
                When(replied_on__lte=last, then=F("outcome")),
                default=Value("carried_forward"),
                output_field=CharField(),
            ),
        )
        .values_list("applicant_type", "origin", "fate")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(t, o, f): n for t, o, f, n in rows}
    cases = (
        Case.objects.filter(application__unit__in=units, filed_on__year=year)
        .annotate(
            res=DbCase(
                When(decided_on__lte=last, result__gt="", then=F("result")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
        .values_list("kind", "res")
        .annotate(n=Count("id"))
        .order_by()
    )
    case_counts = {(k, r): n for k, r, n in cases}
    return tables_from_counts(counts, case_counts)


def refresh_view(app: Application) -> Status | None:
    """The status for display (None if stored events are inconsistent, e.g. edited in the admin)."""
    try:
        return evaluate_rows(app.events.all())
    except FoiError:
        return None


def ensure_templates() -> None:
    """Create the default 告知书 templates that an administrator has not yet stored."""
    from gongkai.foi.notices import DEFAULT_TEMPLATES
    from gongkai.web.foi.models import NoticeTemplate

    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        NoticeTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def t3_label(key: str) -> str:
    """The printed label of a table 三 row (the annual-report engine's wording when installed)."""
    annual = import_optional("gongkai.annual.model")
    if annual is None:
        from gongkai.foi.outcomes import OUTCOMES

        outcome = OUTCOMES.get(key)
        return f"{outcome.group} {outcome.label}" if outcome else key
    label = annual.T3_LABELS.get(key, key)
    group = key.split(".")[0]
    if "." in key and group in annual.T3_GROUP_LABELS:
        label = f"{annual.T3_GROUP_LABELS[group]} {label}"
    return label


def _report(unit: Any, year: int, tables: dict[str, object]) -> Any:
    annual = import_optional("gongkai.annual.model")
    if annual is None:
        return None
    return annual.AnnualReport.from_tables(tables, unit=unit.name, year=year)


def validate_tables(tables: dict[str, object], unit: Any = None, year: int | None = None) -> list[str]:
    """勾稽 problems of built tables (none expected: they hold by construction), checked by the
    annual-report validator when it is installed, else by the domain core's own check."""
    from gongkai.foi.tables import check_tables

    rules = import_optional("gongkai.annual.rules")
    report = _report(unit, year or 0, tables) if unit is not None else None
    if rules is None or report is None:
        return check_tables(tables)
    problems = rules.t3_problems(report) + rules.t4_problems(report) + rules.cell_problems(report)
    return [f"{p.rule}：{p.message}" for p in problems if p.rule.startswith(("T3-", "T4-", "CELL-INVALID"))]


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def annual_export(unit: Any, year: int, tables: dict[str, object], fmt: str) -> tuple[bytes, str] | None:
    """The tables in the national layout by the annual-report writer (None when it is not installed)."""
    write = import_optional("gongkai.annual.write")
    report = _report(unit, year, tables)
    if write is None or report is None or fmt not in CONTENT_TYPES:
        return None
    writer = write.write_docx if fmt == "docx" else write.write_xlsx
    with tempfile.TemporaryDirectory() as tmp:
        path = writer(report, Path(tmp) / f"report.{fmt}")
        return Path(path).read_bytes(), CONTENT_TYPES[fmt]


def reminders_for(user: Any, today: date, within: int = 3) -> list[WorkItem]:
    """Open applications of the user's visible units due within ``within`` working days or overdue,
    soonest first: for a reminder panel anywhere in the platform."""
    from gongkai.web.accounts.access import scope

    lists = work_lists(scope(Application.objects.all(), user), today)
    soon = [i for i in lists["due_soon"] if i.days_left is not None and i.days_left <= within]
    return lists["overdue"] + soon
