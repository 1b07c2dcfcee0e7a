"""A 解读 task is offered the number of 解读 by form from the unit's last crawl (read offline from its archive)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.plans.conftest import xlsx

from gongkai.crawl import CrawlConfig, crawl_site
from gongkai.fleet import FleetServer, generate_fleet
from gongkai.web.evaluation.models import Round, RoundUnit
from gongkai.web.plans import evidence
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Plan
from gongkai.web.testing import make_unit

AS_OF = dt.date(2026, 11, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_number_of_interpretations_of_the_year_is_counted_by_form_from_the_archive(tmp_path):
    fleet = generate_fleet(1, seed=11, defect_rate=0.0, as_of=AS_OF, scale=0.3, groups=("department",))
    site = fleet.sites[0]
    truth = {
        it.path
        for col in site.data.columns
        if col.kind == "interpretation"
        for it in col.items
        if it.published.year == AS_OF.year
    }
    with FleetServer(fleet) as server:
        unit = make_unit(site.full_name, website=server.url_of(site))
        crawled = crawl_site(server.url_of(site), tmp_path / "crawl", CrawlConfig(rate=50, max_pages=400))
    round_ = Round.objects.create(
        name="2026年第四季度网上测评", framework_id="zwgk-2026", as_of=AS_OF, state="scoring"
    )
    RoundUnit.objects.create(
        round=round_, unit=unit, group="department", status="done", archive=str(crawled.archive)
    )
    plan = Plan.objects.create(year=AS_OF.year, title="2026年要点")
    row = [
        1,
        "政策解读",
        "丰富解读形式",
        "",
        "",
        site.full_name,
        "",
        "每季度",
        "",
        "数字",
        "政策解读",
        "interpretation.missing",
    ]
    import_tasks(plan, xlsx([row]), "t.xlsx")
    offered = evidence.offered(plan.tasks.get(), unit)
    count = next(o for o in offered if o["label"] == "解读数量")
    assert truth and count["text"] == (
        f"最近一次测评抓取（2026年第四季度网上测评）中2026年发布的解读共 {len(truth)} 篇：文字解读 {len(truth)} 篇"
    )


@pytest.mark.parametrize(
    ("title", "form"),
    [("一图读懂《临江市促进消费若干措施》", "图解"), ("【视频解读】稳就业政策", "视频"),
     ("市财政局负责人就预算管理改革答记者问", "问答"), ("《关于推进政务公开的意见》政策解读", "文字")],
)  # fmt: skip
def test_the_form_of_an_interpretation_is_read_from_its_title(title, form):
    assert evidence.form_of(title) == form
