"""Availability pages: every visible unit's shares and reminders, and a unit's strip (liaisons see their own
units only; another unit's page is 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.monitor.rule import ERRORS, ProbeState
from gongkai.web.accounts.access import get_scoped_or_404, role_required, scope
from gongkai.web.monitoring.models import AvailabilityAlert, Probe, ProbeTarget
from gongkai.web.monitoring.scheduler import monitor_config
from gongkai.web.monitoring.strip import strip
from gongkai.web.units.models import Unit


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    units = scope(Unit.objects.filter(probe_targets__active=True).distinct(), request.user, field="pk")
    alerts = scope(AvailabilityAlert.objects.select_related("unit", "target"), request.user)[:50]
    return render(
        request,
        "monitoring/index.html",
        {"units": units.order_by("group", "name"), "alerts": alerts, "cfg": monitor_config()},
    )


@role_required()
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, field="pk", pk=pk)
    cfg = monitor_config()
    today = timezone.localdate()
    targets = strip(unit.pk, today, 30, cfg.warn_share, cfg.max_share)
    recent = (
        Probe.objects.filter(target__unit=unit, state=ProbeState.DOWN)
        .select_related("target")
        .order_by("-slot")[:20]
    )
    failures = [
        {
            "at": timezone.datetime.fromtimestamp(p.slot, timezone.get_current_timezone()),
            "target": p.target.get_kind_display(),
            "url": p.target.url,
            "what": f"状态码 {p.status}" if p.status else ERRORS.get(p.error, ""),
            "attempts": p.attempts,
        }
        for p in recent
    ]
    return render(
        request,
        "monitoring/unit.html",
        {
            "unit": unit,
            "targets": targets,
            "chart": {"targets": [{"name": t["name"], "cells": t["cells"]} for t in targets]},
            "alerts": unit.availability_alerts.select_related("target")[:20],
            "failures": failures,
            "cfg": cfg,
            "monitored": ProbeTarget.objects.filter(unit=unit).exists(),
        },
    )
