"""In a real browser, under the Content-Security-Policy: the vendored ECharts draws a unit's availability strip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.monitor.rule import HTTP, ProbeState
from gongkai.monitor.schedule import day_start
from gongkai.web.monitoring.models import Probe, ProbeTarget
from gongkai.web.testing import make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_liaison_sees_the_availability_strip_drawn(page, live_server, login):
    unit = make_unit("云岭市财政局", website="http://czj.example.gov.cn/")
    target = ProbeTarget.objects.create(unit=unit, url=unit.website)
    today = timezone.localdate()
    rows = []
    for back in range(1, 8):
        start = day_start(today - dt.timedelta(days=back))
        for i in range(20):
            down = back == 3 and i < 2  # one day with 2 of 20 failed
            rows.append(
                Probe(target=target, slot=start + i * 4320, state=ProbeState.DOWN if down else ProbeState.UP,
                      status=503 if down else 200, error=HTTP if down else 0, attempts=2 if down else 1)
            )  # fmt: skip
    Probe.objects.bulk_create(rows)
    make_user("caizheng", "liaison", unit=unit)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login("caizheng")
    page.goto(f"{live_server.url}/monitoring/units/{unit.pk}/")
    page.wait_for_selector("#avail-chart-0 canvas")  # ECharts drew the strip
    assert page.locator(".avail-strip td.avail-bad").count() == 1  # the day with 10% failed
    assert page.locator(".avail-strip td.avail-ok").count() == 6
    seven, thirty = page.locator(".availability .kpi").all_inner_texts()
    assert "1.43%" in seven and "探测 140 次，失败 2 次" in seven  # the 7 whole days before today
    assert "探测 140 次" in thirty
    assert violations == []
