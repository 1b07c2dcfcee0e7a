"""A round shows what each crawl read (覆盖情况) and leaves a site it could not read unscored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai.fleet import FleetServer, generate_fleet
from gongkai.web.core import jobs
from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import RoundUnit, UnitResult
from gongkai.web.testing import make_unit, make_user

AS_OF = dt.date(2026, 3, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_round_shows_coverage_and_does_not_score_a_site_it_could_not_read():
    fleet = generate_fleet(2, seed=11, defect_rate=0.0, as_of=AS_OF, scale=0.3)
    with FleetServer(fleet) as server:
        for site in fleet.sites:
            make_unit(site.full_name, group=site.group, short_name=site.name, website=server.url_of(site))
        dead = make_unit("某某县无法访问局", group=fleet.sites[0].group, website="http://127.0.0.1:9/")
        round_ = services.create_round(
            "覆盖情况", "zwgk-2026", AS_OF, seed=1, rate=50, max_pages=40, check_external=False
        )
        services.start_round(round_)
        jobs.run_pending()
    unread = RoundUnit.objects.get(round=round_, unit=dead)
    assert unread.status == "done" and unread.coverage["read"] == 0 and unread.partial
    assert not UnitResult.objects.filter(round_unit=unread).exists()
    scored = RoundUnit.objects.filter(round=round_).exclude(pk=unread.pk)
    assert UnitResult.objects.filter(round_unit__in=scored).count() == 2
    client = Client()
    client.force_login(make_user("cov", "evaluator"))
    page = client.get(f"/evaluation/units/{unread.pk}/").content.decode()
    assert "未评分" in page and "无法访问" in page and "覆盖情况" in page
    one = scored.first()
    assert (
        one.coverage["columns"] >= 13 and one.coverage["catalogue_complete"]
    )  # 40 pages: the catalogue first
    page = client.get(f"/evaluation/units/{one.pk}/").content.decode()
    assert "覆盖情况" in page and "已达到页面上限 40" in page and "未评分" not in page
    progress = client.get(f"/evaluation/rounds/{round_.pk}/progress/").content.decode()
    assert "无法访问（未评分）" in progress
