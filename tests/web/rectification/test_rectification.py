"""The rectification loop on real fleet sites: a problem list from a round; the unit answers; the platform
re-crawls and re-runs the same check by itself; a site fixed between the crawls is verified, an unfixed one
or a wrong link is returned with the reason; liaisons are confined to their own list; exports round-trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai.fleet import FleetServer, generate_fleet
from gongkai.reports.rectification import qingdan_xlsx, read_qingdan_xlsx
from gongkai.web.core import jobs
from gongkai.web.evaluation import services as rounds
from gongkai.web.rectification import services
from gongkai.web.rectification.models import ProblemItem, ProblemStatus
from gongkai.web.rectification.views import qingdan_rows
from gongkai.web.testing import make_unit, make_user

AS_OF = dt.date(2026, 3, 30)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
FIXABLE = (
    "column.blank",
    "column.stale",
    "meta.missing",
    "normative.validity",
    "privacy.id_number",
    "privacy.mobile",
    "guide.elements",
    "site.identity",
)


@pytest.fixture
def evaluated():
    fleet = generate_fleet(3, seed=5, defect_rate=0.6, as_of=AS_OF, scale=0.3)
    with FleetServer(fleet) as server:
        units = {
            s.full_name: make_unit(s.full_name, group=s.group, short_name=s.name, website=server.url_of(s))
            for s in fleet.sites
        }
        round_ = rounds.create_round(  # no external probes: the fleet's links to gov.cn lead to the internet
            "2026年第一季度网上测评", "zwgk-2026", AS_OF, seed=1, rate=50, max_pages=150, check_external=False
        )
        rounds.start_round(round_)
        jobs.run_pending()
        services.generate_problem_lists(round_, start=AS_OF)
        yield fleet, server, units, round_


def fixable_problem(fleet, units):
    """A problem produced by a check whose defect the fleet can fix, with the fleet site it belongs to."""
    for site in fleet.sites:
        unit = units[site.full_name]
        for problem in ProblemItem.objects.filter(unit=unit, check_id__in=FIXABLE).order_by("number"):
            truth = [d for d in site.manifest if d["check"] == problem.check_id]
            if truth:
                return site, problem, truth
    pytest.skip("这个随机网站群中没有可修复的缺陷")


def test_problem_lists_follow_the_findings(evaluated):
    _fleet, _server, _units, round_ = evaluated
    items = ProblemItem.objects.filter(round=round_)
    assert items.exists()
    for item in items.filter(source="auto"):
        assert item.evidence and item.check_id and item.indicator
        assert item.due == dt.date(
            2026, 4, 21
        )  # 15 working days after 2026-03-30, Qingming (4-4..4-6) skipped
    assert services.generate_problem_lists(round_) == 0  # generating again adds nothing


def test_fixed_site_is_verified_and_unfixed_one_is_returned(evaluated):
    fleet, server, units, _round = evaluated
    site, problem, truth = fixable_problem(fleet, units)
    link = server.url_of(site)
    still_broken = ProblemItem.objects.get(pk=problem.pk)

    services.submit_answer(still_broken, "已整改", [link], "已按要求整改")
    jobs.run_pending()
    still_broken.refresh_from_db()
    assert still_broken.status == ProblemStatus.RETURNED
    assert "仍不通过" in still_broken.verifications.first().message

    for defect in truth:
        assert fleet.apply_fix(site.name, defect)
    services.submit_answer(still_broken, "已整改", [link], "已重新整改")
    jobs.run_pending()
    still_broken.refresh_from_db()
    assert still_broken.status == ProblemStatus.VERIFIED, still_broken.verifications.first().message
    assert still_broken.verifications.first().verdict == "PASS"


def test_a_link_outside_the_units_site_is_returned_with_the_reason(evaluated):
    _fleet, _server, _units, round_ = evaluated
    problem = ProblemItem.objects.filter(round=round_).first()
    services.submit_answer(problem, "已整改", ["http://www.example.gov.cn/zwgk/"], "")
    jobs.run_pending()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RETURNED
    assert "不属于" in problem.office_note


def test_reasons_are_required_for_not_rectifying(evaluated):
    _fleet, _server, _units, round_ = evaluated
    problem = ProblemItem.objects.filter(round=round_).first()
    with pytest.raises(services.RectificationError, match="必须在情况说明中写明理由"):
        services.submit_answer(problem, "暂不整改", [], "")
    with pytest.raises(services.RectificationError, match="至少一个整改链接"):
        services.submit_answer(problem, "已整改", [], "改好了")
    services.submit_answer(problem, "无法整改", [], "区级不单独制作，统一转发市级信息")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED


def test_liaison_answers_only_its_own_list(evaluated):
    fleet, _server, units, round_ = evaluated
    own, other = units[fleet.sites[0].full_name], units[fleet.sites[1].full_name]
    liaison = make_user("lianluo", "liaison", unit=own)
    client = Client()
    client.force_login(liaison)
    theirs = ProblemItem.objects.filter(round=round_, unit=other).first()
    if theirs is not None:
        assert client.get(f"/rectification/items/{theirs.pk}/").status_code == 404
        response = client.post(
            f"/rectification/items/{theirs.pk}/", {"status": "无需整改", "explanation": "x"}
        )
        assert response.status_code == 404
        assert not theirs.answers.exists()
    assert client.get(f"/rectification/rounds/{round_.pk}/units/{other.pk}/").status_code == 404
    assert client.get(f"/rectification/rounds/{round_.pk}/qingdan.xlsx").status_code == 403
    mine = ProblemItem.objects.filter(round=round_, unit=own).first()
    if mine is not None:
        response = client.post(
            f"/rectification/items/{mine.pk}/",
            {"status": "无需整改", "explanation": "该栏目本单位无相关信息"},
        )
        assert response.status_code == 302
        assert mine.answers.get().submitted_by == liaison
        assert client.post(f"/rectification/items/{mine.pk}/close/").status_code == 403


def test_office_closes_withdraws_and_merges(evaluated):
    _fleet, _server, _units, round_ = evaluated
    admin = make_user("office", "admin")
    items = list(ProblemItem.objects.filter(round=round_).order_by("unit_id", "number"))
    first = items[0]
    services.submit_answer(first, "无需整改", [], "不适用")
    services.close(first, admin, "经核实不适用")
    first.refresh_from_db()
    assert first.status == ProblemStatus.CLOSED and first.closed_by == admin
    same_unit = [p for p in items if p.unit_id == items[1].unit_id][1:3]
    if len(same_unit) == 2:
        target = services.merge(same_unit, "同类问题")
        assert ProblemItem.objects.get(pk=same_unit[1].pk).merged_into == target
    with pytest.raises(services.RectificationError):
        services.withdraw(items[-1], "")
    assert first.history.count() >= 3  # every change is in the audit trail


def test_qingdan_xlsx_round_trips(evaluated):
    _fleet, _server, _units, round_ = evaluated
    problem = ProblemItem.objects.filter(round=round_).first()
    services.submit_answer(
        problem, "部分整改", ["http://a.gov.cn/1.html", "http://a.gov.cn/2.html"], "正在完善"
    )
    rows = qingdan_rows(ProblemItem.objects.filter(round=round_, unit=problem.unit).order_by("number"))
    back = read_qingdan_xlsx(qingdan_xlsx("整改清单", rows))
    assert back == rows


def test_a_late_verification_job_does_not_undo_closing(evaluated):
    _fleet, server, _units, round_ = evaluated
    problem = ProblemItem.objects.filter(round=round_).first()
    admin = make_user("office2", "admin")
    services.submit_answer(problem, "已整改", [problem.unit.website], "已整改")  # queues a verification job
    services.close(problem, admin, "经人工核实，予以销号")
    jobs.run_pending()  # the queued job runs after the office closed the item
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert not problem.verifications.exists()
