"""The administrator's working-day calendar pages: the State Council notice import, the year as a
month grid to check and edit, and the whole-year confirmation with what moved."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.calendar import library_years
from gongkai.foi.holiday_notice import NoticeError, merge, parse_notice
from gongkai.web.accounts.access import ADMIN, role_required
from gongkai.web.foi import yearplan
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.forms import NoticeImportForm
from gongkai.web.foi.models import Application, CalendarYear


def _today() -> date:
    return timezone.localdate()


@role_required(ADMIN)
def calendar_view(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and 2000 <= int(wanted) <= 2100:
        return redirect("foi:calendar_year", year=int(wanted))
    cal = platform_calendar()
    first, last = library_years()
    today = _today()
    years = sorted({today.year, today.year + 1, *cal.provisional_years})
    return render(
        request,
        "foi/calendar.html",
        {
            "form": NoticeImportForm(),
            "library": f"{first}–{last}",
            "known": cal.known_years,
            "provisional_years": cal.provisional_years,
            "confirmed": CalendarYear.objects.all(),
            "years": years,
            "reminder": yearplan.reminder(today, cal),
            "provisional_apps": Application.objects.filter(due_provisional=True)
            .exclude(state__in=("replied", "delivered"))
            .select_related("unit")
            .order_by("due_on")[:200],
        },
    )


@require_POST
@role_required(ADMIN)
def calendar_import(request: HttpRequest) -> HttpResponse:
    form = NoticeImportForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            text = form.notice_text()
            schedule = parse_notice(text)
            if schedule.adjusting:  # e.g. 关于调整2019年劳动节假期安排的通知: only part of the year
                schedule = merge(yearplan.current_schedule(schedule.year), schedule)
                schedule.notes.insert(0, "这是调整通知：已叠加在该年现有安排之上，其余日期保持不变")
        except NoticeError as exc:
            error = str(exc)
        else:
            return _year_page(request, schedule.year, schedule, text)
    else:
        error = "；".join(e for es in form.errors.values() for e in es)
    messages.error(request, f"未能读取通知：{error}")
    return redirect("foi:calendar")


def _year_page(request: HttpRequest, year: int, schedule=None, source: str = "") -> HttpResponse:
    days = yearplan.year_days(year, schedule)
    record = CalendarYear.objects.filter(year=year).first()
    labels = {x.day.isoformat(): x.label for x in days if x.label}
    return render(
        request,
        "foi/calendar_year.html",
        {
            "year": year,
            "months": yearplan.month_grid(days),
            "schedule": schedule,
            "source": source or (record.source if record else ""),
            "labels": json.dumps(labels, ensure_ascii=False),
            "record": record,
            "known": year in platform_calendar().known_years,
            "off_weekdays": sum(1 for x in days if not x.working and not x.weekend),
            "working_weekends": sum(1 for x in days if x.working and x.weekend),
        },
    )


@role_required(ADMIN)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404("年份超出范围")
    if request.method != "POST":
        return _year_page(request, year)
    working = set()
    for value in request.POST.getlist("work"):
        try:
            d = date.fromisoformat(value)
        except ValueError:
            continue
        if d.year == year:
            working.add(d)
    try:
        raw = json.loads(request.POST.get("labels") or "{}")
        labels = {date.fromisoformat(k): str(v) for k, v in raw.items() if k.startswith(str(year))}
    except (ValueError, AttributeError):
        labels = {}
    record = yearplan.confirm_year(
        year, working, labels, source=request.POST.get("source", ""), user=request.user
    )
    messages.success(
        request,
        f"已确认 {year} 年全年放假安排：重算后 {len(record.moved)} 件申请的答复期限有变化（明细见下方）",
    )
    return redirect("foi:calendar_year", year=year)
