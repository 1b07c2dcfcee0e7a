"""The counting rule and the verdict of site.availability, on probe histories and on a real local server."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from gongkai.checks import run_check
from gongkai.model import SiteModel, Verdict
from gongkai.monitor import Attempt, ProbeDay, ProbeFailure, ProbeHistory, ProbeState, classify, day_slots
from gongkai.monitor.rule import HTTP, REFUSED, TIMEOUT

AS_OF = dt.date(2026, 12, 7)
HOME = "http://www.example.gov.cn/"


def history(down_per_day: list[int], per_day: int = 20, timeout_s: float = 15) -> ProbeHistory:
    """Probes of the homepage on the days before AS_OF (the last entry is the day before)."""
    days, failures = [], []
    for back, down in enumerate(reversed(down_per_day), start=1):
        day = AS_OF - dt.timedelta(days=back)
        days.append(ProbeDay(day, "首页", HOME, up=per_day - down, down=down))
        failures += [
            ProbeFailure(dt.datetime.combine(day, dt.time(2, i)), "首页", HOME, status=503, error=HTTP)
            for i in range(down)
        ]
    return ProbeHistory(days=tuple(days), failures=tuple(failures), timeout_s=timeout_s)


def verdicts(probes: ProbeHistory | None, **params) -> list:
    return run_check("site.availability", SiteModel(HOME, probes=probes), AS_OF, params)


def test_slots_are_spread_over_the_day_at_random_times_and_the_same_in_every_worker():
    slots = day_slots("7", AS_OF, 20)
    assert len(slots) == 20 and slots == sorted(slots)
    midnight = int(dt.datetime(2026, 12, 7, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
    assert [(s - midnight) // 4320 for s in slots] == list(range(20))  # one in each 72-minute part
    assert day_slots("7", AS_OF, 20) == slots  # another worker plans the same slots
    assert day_slots("8", AS_OF, 20) != slots  # another target, other times
    assert day_slots("7", AS_OF + dt.timedelta(days=1), 20)[0] - 86400 != slots[0]


def test_a_failure_counts_only_when_its_retry_fails_too():
    assert classify(Attempt(503, 10, HTTP), Attempt(200, 12)) is ProbeState.UP
    assert classify(Attempt(0, 15000, TIMEOUT), Attempt(503, 5, HTTP)) is ProbeState.DOWN
    assert classify(Attempt(301, 3), None) is ProbeState.UP  # 3xx is up
    assert classify(Attempt(0, 0, REFUSED), None) is ProbeState.SKIPPED  # never counted


def test_no_probe_data_is_uncertain_never_fail():
    [finding] = verdicts(None)
    assert finding.verdict is Verdict.UNCERTAIN and "一次抓取不能代替" in finding.message


def test_more_than_five_percent_over_a_fully_monitored_week_fails_with_the_failed_probes():
    [finding] = verdicts(history([0, 0, 3, 0, 4, 0, 1]))  # 8 of 140 = 5.71%
    assert finding.verdict is Verdict.FAIL
    assert "140 次" in finding.message and "5.71%" in finding.message
    assert len(finding.evidence) == 8
    assert "状态码 503，重试一次仍失败" in finding.evidence[0].snippet


def test_exactly_five_percent_passes_with_the_pre_warning_noted():
    [finding] = verdicts(history([1, 1, 1, 1, 1, 1, 1]))  # 7 of 140 = 5.00%
    assert finding.verdict is Verdict.PASS and "已超过预警线 3%" in finding.message


def test_a_week_with_a_day_under_twenty_probes_is_uncertain_even_when_failing():
    h = history([0, 0, 10, 0, 0, 0, 0])
    short = ProbeHistory(days=h.days[:-1] + (ProbeDay(AS_OF - dt.timedelta(days=7), "首页", HOME, up=5),),
                         failures=h.failures)  # fmt: skip
    [finding] = verdicts(short)
    assert finding.verdict is Verdict.UNCERTAIN and "监测不足" in finding.message
    assert finding.evidence  # the failures are still shown


def test_probes_made_with_a_shorter_timeout_than_the_framework_asks_are_not_judged():
    [finding] = verdicts(history([5] * 7, timeout_s=5))
    assert finding.verdict is Verdict.UNCERTAIN


def test_the_window_is_the_framework_s_days_before_the_cut_off_date():
    h = history([20] + [0] * 7)  # a full day down, 8 days ago: outside a 7-day window
    [finding] = verdicts(h)
    assert finding.verdict is Verdict.PASS
    [finding] = verdicts(h, window_days=8)
    assert finding.verdict is Verdict.FAIL


@pytest.mark.parametrize("bad", [{"max_share": 5}, {"min_per_day": 0}])
def test_bad_parameters_are_refused_in_chinese(bad):
    from gongkai.checks import get_check

    assert get_check("site.availability").validate(bad)


def test_a_probe_of_a_flapping_local_server_is_retried_after_the_pause():
    from gongkai.fleet import FleetServer, Outages, generate_fleet
    from gongkai.monitor import Prober, SteppedClock

    fleet = generate_fleet(1, seed=11)
    clock = SteppedClock(1_000_000_000)  # a multiple of 100: the flap is down for 30 s from here
    outage = {fleet.sites[0].name: Outages(flap_period=100, flap_down=30)}
    with FleetServer(fleet, outages=outage, clock=clock.now) as server:
        url = server.url_of(fleet.sites[0])

        async def go(pause: float):
            async with Prober(retry_pause_s=pause, clock=clock) as p:
                p.allow(url)
                return await p.probe_counted(url)

        state, attempt, n = asyncio.run(go(40))  # down now, up 40 s later
        assert (state, attempt.status, n) == (ProbeState.UP, 200, 2)
        clock.set(1_000_000_100)
        state, attempt, n = asyncio.run(go(10))  # still down 10 s later: counted as failed
        assert (state, attempt.status, n) == (ProbeState.DOWN, 503, 2)
        clock.set(1_000_000_150)
        state, attempt, n = asyncio.run(go(10))
        assert (state, n) == (ProbeState.UP, 1)


def test_the_egress_guard_refuses_an_address_no_unit_registered():
    from gongkai.monitor import Prober

    async def go():
        async with Prober() as p:  # nothing allowed: loopback is special-purpose
            return await p.probe_counted("http://127.0.0.1:9/")

    state, attempt, n = asyncio.run(go())
    assert (state, attempt.error, n) == (ProbeState.SKIPPED, REFUSED, 1)


def test_a_site_the_crawl_could_not_read_is_still_judged_on_its_probes():
    from gongkai.checks import run_checks
    from gongkai.frameworks import load_framework
    from gongkai.model import Coverage

    unread = SiteModel(HOME, coverage=Coverage(complete=False, read=0), probes=history([2] * 7))
    findings = run_checks(unread, load_framework("national-2019"), AS_OF, "department")
    [finding] = [f for f in findings if f.check == "site.availability"]
    assert finding.verdict is Verdict.FAIL  # 14 of 140 = 10%
    assert {f.verdict for f in findings if f.check == "homepage.stale"} == {Verdict.NOT_ASSESSABLE}
