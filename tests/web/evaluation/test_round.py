"""A whole evaluation round in-process: fleet sites served on loopback are crawled and checked in the
background, scored, ranked within their groups, and published as a 通报 whose tables read back."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.test import Client

from gongkai.fleet import FleetServer, generate_fleet
from gongkai.web.core import jobs
from gongkai.web.evaluation import reporting, services
from gongkai.web.evaluation.models import ManualScore, RoundState, RoundUnit, UnitResult
from gongkai.web.testing import make_unit, make_user

AS_OF = dt.date(2026, 3, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(scope="module")
def served_fleet():
    fleet = generate_fleet(6, seed=11, defect_rate=0.3, as_of=AS_OF, scale=0.3)
    with FleetServer(fleet) as server:
        yield fleet, server


def units_for(fleet, server):
    return {
        site.full_name: make_unit(
            site.full_name, group=site.group, short_name=site.name, website=server.url_of(site)
        )
        for site in fleet.sites
    }


def run_round(name="2026年第一季度网上测评", **kw):
    # check_external=False: the fleet's links to gov.cn lead to the internet, which tests never reach
    kw.setdefault("check_external", False)
    round_ = services.create_round(name, "zwgk-2026", AS_OF, seed=20260330, rate=50, max_pages=150, **kw)
    services.start_round(round_)
    jobs.run_pending()
    round_.refresh_from_db()
    return round_


def test_round_crawls_checks_scores_and_ranks_every_unit(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    round_ = run_round()
    assert round_.state == RoundState.SCORING
    members = list(round_.units.all())
    assert len(members) == 6 and all(m.status == "done" and m.pages > 10 for m in members), [
        (m.unit.name, m.status, m.message) for m in members
    ]
    # a finished job says it finished, not the last "正在抓取…" line
    assert all(m.job.message.startswith("已完成") and "检查结论" in m.job.message for m in members)
    results = list(UnitResult.objects.filter(round_unit__round=round_))
    assert len(results) == 6
    for group, group_results, _count in reporting.results_by_group(round_):
        ranks = sorted(r.rank for r in group_results)
        assert ranks[0] == 1, group
        totals = [r.total for r in sorted(group_results, key=lambda r: r.rank)]
        assert totals == sorted(totals, reverse=True)
    # every FAIL stored has evidence (a FAIL without evidence is UNCERTAIN)
    fails = [f for m in members for f in m.findings.filter(verdict="FAIL")]
    assert fails and all(f.evidence for f in fails)
    # 留言 (issue 20): each unit's board was read and its reply times judged, the board page as evidence
    replies = [f for m in members for f in m.findings.filter(check_id="interaction.reply_time")]
    assert len(replies) >= 6 and all(f.verdict in ("PASS", "FAIL") and f.evidence for f in replies)
    assert all("回复用时中位数" in f.message for f in replies)


def test_same_seed_draws_the_same_township_sample(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    for i in range(4):
        make_unit(f"云岭市某县第{i}镇人民政府", group="township", website=f"http://127.0.0.1:9/{i}/")
    first = services.create_round("甲", "zwgk-2026", AS_OF, township_sample=2, seed=42)
    second = services.create_round("乙", "zwgk-2026", AS_OF, township_sample=2, seed=42)
    pick = lambda r: sorted(m.unit.name for m in r.units.filter(group="township"))  # noqa: E731
    assert pick(first) == pick(second) and len(pick(first)) == 2
    assert first.sample_seed == 42


def test_manual_score_changes_the_total_and_tongbao_reads_back(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    round_ = run_round()
    framework = services.framework_of(round_)
    manual_leaf = next(leaf for leaf in framework.leaves() if leaf.manual)
    ru = round_.units.first()
    before = UnitResult.objects.get(round_unit=ru).total
    ManualScore.objects.create(round_unit=ru, item=manual_leaf.path, points=manual_leaf.points)
    services.score_round(round_)
    after = UnitResult.objects.get(round_unit=ru).total
    assert after >= before

    with pytest.raises(services.RoundError, match="人工评分项待评"):
        services.publish(round_)
    services.publish(round_, override_reason="测试：其余人工评分线下进行")
    round_.refresh_from_db()
    assert round_.state == RoundState.PUBLISHED and round_.publish_override.startswith("测试")
    assert round_.history.filter(publish_override__startswith="测试").exists()
    tb = reporting.build_tongbao(round_)
    from gongkai.reports.tongbao import build_docx, build_xlsx

    document = docx.Document(io.BytesIO(build_docx(tb)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一、本次网上测评的绩效排序" in text and "2026年3月30日" in text
    ranked_names = [row.cells[1].text for t in document.tables for row in t.rows[1:]]
    assert sorted(ranked_names) == sorted(s.name for s in fleet.sites)
    sheet = openpyxl.load_workbook(io.BytesIO(build_xlsx(tb)))["得分排名"]
    assert sheet.max_row == 7


def test_liaison_sees_only_its_own_result(served_fleet):
    fleet, server = served_fleet
    units = units_for(fleet, server)
    round_ = run_round()
    own_site, other_site = fleet.sites[0], fleet.sites[1]
    liaison = make_user("lianluo", "liaison", unit=units[own_site.full_name])
    client = Client()
    client.force_login(liaison)
    page = client.get(f"/evaluation/rounds/{round_.pk}/").content.decode()
    assert own_site.name in page and other_site.full_name not in page
    other = RoundUnit.objects.get(round=round_, unit=units[other_site.full_name])
    assert client.get(f"/evaluation/units/{other.pk}/").status_code == 404
    assert client.get(f"/evaluation/rounds/{round_.pk}/tongbao.xlsx").status_code == 403
    own = RoundUnit.objects.get(round=round_, unit=units[own_site.full_name])
    assert client.get(f"/evaluation/units/{own.pk}/").status_code == 200


def test_progress_fragment_links_each_unit(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    round_ = services.create_round("进度", "zwgk-2026", AS_OF, seed=1, check_external=False)
    client = Client()
    client.force_login(make_user("pg", "evaluator"))
    fragment = client.get(f"/evaluation/rounds/{round_.pk}/progress/").content.decode()
    first = round_.units.order_by("group", "unit__name").first()
    assert f'href="/evaluation/units/{first.pk}/"' in fragment
    data = client.get(f"/evaluation/rounds/{round_.pk}/progress/", HTTP_ACCEPT="application/json").json()
    assert data == {
        "state": "draft",
        "total": 6,
        "done": 0,
        "failed": 0,
        "running": 0,
        "queued": 6,
        "percent": 0,
    }


def test_the_office_runs_a_round_through_the_web_pages(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    response = client.post(
        "/evaluation/rounds/new/",
        {
            "name": "网页创建的批次",
            "number": "临公开办〔2026〕1号",
            "framework_id": "zwgk-2026",
            "as_of": "2026-03-30",
            "groups": ["county", "department", "township"],
            "township_sample": "1",
            "sample_seed": "5",
            "rate": "20",
            "max_pages": "150",
            "problem_due_days": "15",
            "requirements": "请按期整改。",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = services.Round.objects.get(name="网页创建的批次")
    assert round_.units.filter(group="township").count() == 1 and round_.sample_seed == 5
    # 检查外部链接 left unticked (the fleet's links to gov.cn lead to the internet): the round says so
    assert round_.check_external is False
    assert (
        "每站每秒 20 次、至多 150 页、不检查外部链接"
        in client.get(f"/evaluation/rounds/{round_.pk}/").content.decode()
    )
    assert client.post(f"/evaluation/rounds/{round_.pk}/publish/", follow=True).status_code == 200
    round_.refresh_from_db()
    assert round_.state == RoundState.DRAFT  # publishing before checking is refused with a message
    client.post(f"/evaluation/rounds/{round_.pk}/start/")
    jobs.run_pending()
    confirm = client.get(f"/evaluation/rounds/{round_.pk}/publish/").content.decode()
    assert "尚不能发布" in confirm and "人工评分项待评" in confirm and "override_reason" not in confirm
    client.post(f"/evaluation/rounds/{round_.pk}/publish/", {"override_reason": "evaluator cannot"})
    round_.refresh_from_db()
    assert round_.state == RoundState.SCORING  # an evaluator cannot override the gate
    admin = Client()
    admin.force_login(make_user("guanli", "admin"))
    assert "override_reason" in admin.get(f"/evaluation/rounds/{round_.pk}/publish/").content.decode()
    admin.post(f"/evaluation/rounds/{round_.pk}/publish/", {"override_reason": "领导同意先行发布"})
    round_.refresh_from_db()
    assert round_.state == RoundState.PUBLISHED and round_.publish_override == "领导同意先行发布"
    page = client.get(f"/evaluation/rounds/{round_.pk}/").content.decode()
    assert "得分与排名" in page and "chart-data" in page
    notice = client.get(f"/evaluation/rounds/{round_.pk}/tongbao.docx")
    assert notice.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(notice.content)).paragraphs)
    assert "临公开办〔2026〕1号" in text and "请按期整改。" in text
    assert client.get(f"/evaluation/rounds/{round_.pk}/tongbao.pdf").content.startswith(b"%PDF")


def test_an_interrupted_round_is_resumed_without_redoing_finished_units(served_fleet):
    fleet, server = served_fleet
    units_for(fleet, server)
    round_ = services.create_round(
        "中断", "zwgk-2026", AS_OF, seed=1, rate=50, max_pages=150, check_external=False
    )
    services.start_round(round_)
    first = round_.units.order_by("pk").first()
    job = jobs.claim(first.job_id)  # a worker took the first unit ...
    RoundUnit.objects.filter(pk=first.pk).update(status="running")
    jobs.Job.objects.filter(pk=job.pk).update(heartbeat=None)  # ... and was killed
    jobs.run_pending()  # the others finish
    assert services.progress_of(round_)["done"] == 5
    queued = services.start_round(round_, resume=True)
    assert queued == 1  # only the interrupted unit runs again
    jobs.run_pending()
    round_.refresh_from_db()
    assert services.progress_of(round_)["done"] == 6 and round_.state == RoundState.SCORING
