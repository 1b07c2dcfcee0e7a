"""A unit whose record names its 政府信息公开专栏 on another host (a provincial platform the portal does not
even link to): the round crawls that 专栏 with the portal and checks it as the unit's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from gongkai.crawl import extract_archive
from gongkai.fleet import FleetServer, generate_fleet
from gongkai.fleet.generate import zhuanlan_path
from gongkai.web.core import jobs
from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import RoundUnit, UnitStatus
from gongkai.web.testing import make_unit

AS_OF = dt.date(2026, 3, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_units_recorded_zhuanlan_is_crawled_and_checked(httpserver: HTTPServer) -> None:
    fleet = generate_fleet(1, seed=4, defect_rate=0.0, as_of=AS_OF, scale=0.3, cms_mix=("trs",))
    page = '<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body><p>欢迎访问</p></body></html>'
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html; charset=utf-8")
    with FleetServer(fleet) as platform:
        site = fleet.sites[0]
        zhuanlan = platform.url_of(site).rstrip("/") + zhuanlan_path(site.cms)
        make_unit(site.full_name, group=site.group, website=httpserver.url_for("/"), zhuanlan_url=zhuanlan)
        round_ = services.create_round(
            "专栏在省级平台", "zwgk-2026", AS_OF, seed=1, rate=50, max_pages=150, check_external=False
        )
        services.start_round(round_)
        jobs.run_pending()
    ru = RoundUnit.objects.get(round=round_)
    assert ru.status == UnitStatus.DONE and ru.pages > 20
    model = extract_archive(Path(ru.archive), ru.url)
    assert model.zhuanlan_url == zhuanlan
    in_zhuanlan = [c for c in model.columns if c.in_zhuanlan]
    assert {"政策文件", "政府信息公开指南"} <= {c.name for c in in_zhuanlan}
    assert all(c.url.startswith(platform.url_of(site)) for c in in_zhuanlan)
