"""Availability monitoring end to end: the real scheduler probes fleet sites that go down on a schedule or
flap (a compressed schedule on a virtual clock), stores every probe, warns liaisons, and feeds the check."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail

from gongkai.fleet import FleetServer, Outages, generate_fleet
from gongkai.model import SiteModel, Verdict
from gongkai.monitor import SteppedClock
from gongkai.monitor.rule import ProbeState
from gongkai.web.monitoring import scheduler
from gongkai.web.monitoring.models import AvailabilityAlert, Probe, ProbeTarget
from gongkai.web.testing import make_unit, make_user

START = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()  # local midnight
DAY = 86400
NIGHTLY = Outages(daily=((1 * 3600, 4 * 3600),))  # down 01:00-04:00 every night: 2 or 3 of 20 probes
FLAPPING = Outages(flap_period=3600, flap_down=150)  # down 150 s every hour


@pytest.fixture(scope="module")
def fleet():
    return generate_fleet(3, seed=5)


@pytest.fixture
def clock():
    return SteppedClock(START)


@pytest.fixture
def sites(fleet, clock):
    outages = {fleet.sites[0].name: NIGHTLY, fleet.sites[1].name: FLAPPING}
    with FleetServer(fleet, outages=outages, clock=clock.now) as server:
        yield server


@pytest.fixture
def units(db, fleet, sites, settings):
    settings.SECRET_KEY = "monitoring-tests-fixed-secret"  # fixed slot times
    names = ["夜间停机局", "时断时续局", "一直正常局"]
    return [make_unit(n, website=sites.url_of(s)) for n, s in zip(names, fleet.sites, strict=True)]


def cfg(**kw):
    return scheduler.monitor_config(retry_pause_s=10, **kw)


def states(unit):
    return list(
        Probe.objects.filter(target__unit=unit).order_by("slot").values_list("slot", "state", "status")
    )


def test_every_scheduled_probe_is_made_and_stored_with_failures_only_inside_the_outage(units, clock):
    scheduler.run_compressed(START, START + 2 * DAY - 1, cfg=cfg(), clock=clock)
    night, _, steady = units
    done = [p for p in states(night) if p[0] < START + 2 * DAY]
    assert len(done) == 40  # 20 a day
    for slot, state, status in done:
        inside = NIGHTLY.down_at(slot) and NIGHTLY.down_at(slot + 10)
        assert state == (ProbeState.DOWN if inside else ProbeState.UP), (slot, state)
        assert status == (503 if inside else 200)
    assert {state for slot, state, _ in states(steady) if slot < START + 2 * DAY} == {ProbeState.UP}


def test_a_missed_slot_is_skipped_not_probed_late_and_not_counted(units, clock):
    scheduler.tick(clock, cfg())  # plans today and tomorrow
    clock.set(START + 6 * 3600)  # the runner was away for 6 hours
    report = scheduler.tick(clock, cfg())
    missed = Probe.objects.filter(target__unit=units[2], state=ProbeState.SKIPPED).count()
    assert missed >= 3 and report.probed <= 3  # only slots within the grace period are probed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_at_once_never_probe_a_slot_twice(fleet, sites, clock, settings):
    settings.SECRET_KEY = "monitoring-tests-fixed-secret"
    unit = make_unit("一直正常局", website=sites.url_of(fleet.sites[2]))
    scheduler.tick(clock, cfg())
    clock.set(START + 12 * 3600)  # half the day's slots are due (the grace is spent: make it long)
    config = cfg(grace_s=13 * 3600)
    before = len(sites.requests_of(fleet.sites[2]))
    errors = []

    def work():
        try:
            scheduler.tick(clock, config)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    probed = Probe.objects.filter(target__unit=unit, state=ProbeState.UP).count()
    assert probed == 10
    assert len(sites.requests_of(fleet.sites[2])) - before == probed  # one request per slot, no double
    assert not Probe.objects.filter(state=ProbeState.CLAIMED).exists()


@pytest.mark.postgres
def test_a_reminder_reaches_the_liaison_when_failures_pass_three_percent(units, clock, settings):
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    night = units[0]
    night.liaison_email = "lly@example.gov.cn"
    night.save()
    make_user("yejian", "liaison", unit=night)
    report = scheduler.run_compressed(START, START + 2 * DAY - 1, cfg=cfg(), clock=clock)
    alerts = AvailabilityAlert.objects.filter(unit=night)
    assert alerts.exists() and report.alerts
    alert = alerts.order_by("pk").first()
    assert alert.share > 0.03 and "预警线" in alert.message or "否决线" in alert.message
    assert alert.emailed == 1
    assert mail.outbox and mail.outbox[0].to == ["lly@example.gov.cn"]
    assert "夜间停机局" in mail.outbox[0].subject
    assert not AvailabilityAlert.objects.filter(unit=units[2]).exists()


def test_no_email_without_an_smtp_server_but_the_reminder_is_kept(units, clock, settings):
    settings.EMAIL_HOST = ""
    units[0].liaison_email = "lly@example.gov.cn"
    units[0].save()
    scheduler.run_compressed(START, START + 2 * DAY - 1, cfg=cfg(), clock=clock)
    assert AvailabilityAlert.objects.filter(unit=units[0], emailed=0).exists()
    assert mail.outbox == []


@pytest.mark.postgres
def test_the_check_fails_a_unit_down_every_night_over_a_monitored_week_with_its_failed_probes(units, clock):
    from gongkai.checks import run_checks
    from gongkai.frameworks import load_framework, score
    from gongkai.web.monitoring.history import with_probes

    scheduler.run_compressed(START, START + 7 * DAY - 1, cfg=cfg(), clock=clock)
    as_of = dt.date(2026, 11, 8)
    framework = load_framework("national-2019")
    night, flapping, steady = units
    model = with_probes(SiteModel(night.website), night.pk, as_of)
    findings = [
        f for f in run_checks(model, framework, as_of, "department") if f.check == "site.availability"
    ]
    [finding] = findings
    assert finding.verdict is Verdict.FAIL and "站点无法访问" in finding.item
    assert finding.evidence and all(
        " 01:" in e.snippet or " 02:" in e.snippet or " 03:" in e.snippet for e in finding.evidence
    )
    assert score(framework, findings, "department").veto
    steady_model = with_probes(SiteModel(steady.website), steady.pk, as_of)
    [ok] = [
        f for f in run_checks(steady_model, framework, as_of, "department") if f.check == "site.availability"
    ]
    assert ok.verdict is Verdict.PASS and "140 次" in ok.message


def test_an_unmonitored_unit_gives_the_check_no_history(units):
    from gongkai.web.monitoring.history import with_probes

    model = with_probes(SiteModel(units[0].website), units[0].pk, dt.date(2026, 11, 8))
    assert model.probes is None and not ProbeTarget.objects.exists()


def test_the_liaison_sees_the_strip_of_their_own_unit_and_not_another(units, clock, client, monkeypatch):
    scheduler.run_compressed(START, START + 2 * DAY - 1, cfg=cfg(), clock=clock)
    night, flapping, steady = units
    client.force_login(make_user("yejian", "liaison", unit=night))
    from django.urls import reverse
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 11, 2))  # the strip ends "today"
    page = client.get(reverse("monitoring:unit", args=[night.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="avail-') >= 30 and "avail-bad" in html and 'id="avail-data"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html
    assert client.get(reverse("monitoring:unit", args=[steady.pk])).status_code == 404
    index = client.get(reverse("monitoring:index")).content.decode()
    assert night.name in index and steady.name not in index


def test_the_unit_page_links_to_its_availability_with_the_latest_reminder(units, clock, client):
    from django.urls import reverse

    scheduler.run_compressed(START, START + 2 * DAY - 1, cfg=cfg(), clock=clock)
    client.force_login(make_user("admin1", "admin"))
    html = client.get(reverse("units:detail", args=[units[0].pk])).content.decode()
    assert "可用性监测" in html and reverse("monitoring:unit", args=[units[0].pk]) in html
    assert "最近提醒：预警" in html


def test_packing_old_days_keeps_every_probe_the_history_shows(units, clock):
    from gongkai.web.monitoring.history import probe_history
    from gongkai.web.monitoring.models import ProbeDay
    from gongkai.web.monitoring.pack import pack_before

    scheduler.run_compressed(START, START + 3 * DAY - 1, cfg=cfg(), clock=clock)
    as_of = dt.date(2026, 11, 4)
    before = probe_history(units[0].pk, as_of)
    rows = Probe.objects.count()
    assert pack_before(dt.date(2026, 11, 3)) == 2 and pack_before(dt.date(2026, 11, 3)) == 0
    after = probe_history(units[0].pk, as_of)
    assert sorted(after.days, key=lambda d: d.day) == sorted(before.days, key=lambda d: d.day)
    assert after.failures == before.failures and len(before.failures) >= 4
    assert ProbeDay.objects.count() == 2 * 3  # two days of three targets
    assert Probe.objects.count() == rows - 2 * 3 * 20


def test_another_entry_point_an_administrator_registers_is_probed_too(units, clock, sites, fleet):
    from gongkai.web.monitoring.models import TargetKind

    entry = ProbeTarget.objects.create(
        unit=units[2], kind=TargetKind.ENTRY, url=sites.url_of(fleet.sites[2]) + "?x=1"
    )
    scheduler.run_compressed(START, START + DAY - 1, cfg=cfg(), clock=clock)
    entry.refresh_from_db()
    assert entry.active and entry.probes.filter(state=ProbeState.UP).count() == 20
    assert entry.history.exists()  # audited like every business record


def test_the_celery_beat_task_runs_a_tick_of_the_real_schedule(units):
    from gongkai.web.celery_app import app, monitor_tick_task

    assert app.conf.beat_schedule["monitor-tick"]["task"] == monitor_tick_task.name
    result = monitor_tick_task.apply().get()  # in this process, as a worker would run it
    assert result.startswith("probed ")
    assert Probe.objects.filter(target__unit=units[0]).count() == 40  # today and tomorrow planned
