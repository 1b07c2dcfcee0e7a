"""Unit appeals (申诉) through the web pages: the office opens the window, a liaison contests its unit's
finding with a reason and links, publishing waits, an evaluator grants it and the liaison sees the decision."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.web.evaluation.conftest import checked_unit, new_round

from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import Appeal, FindingReview, RoundState, StoredFinding, UnitResult
from gongkai.web.testing import make_user

pytestmark = pytest.mark.django_db


def client_of(username: str, role: str, unit=None) -> Client:
    client = Client()
    client.force_login(make_user(username, role, unit=unit))
    return client


@pytest.fixture
def appealable():
    round_ = new_round(appeal_days=3)
    framework = services.framework_of(round_)
    check = next(
        ref.check for leaf in framework.leaves() if "department" in leaf.applies_to for ref in leaf.checks
    )
    own = checked_unit(round_, "临江市财政局", "市财政局", fail_checks=(check,))
    other = checked_unit(round_, "临江市教育局", "市教育局", fail_checks=(check,))
    services.score_round(round_)
    return round_, own, other


def test_an_appeal_granted_lifts_the_score_and_the_liaison_sees_it(appealable):
    round_, own, other = appealable
    office = client_of("pinggu", "evaluator")
    liaison = client_of("caizheng", "liaison", unit=own.unit)
    finding = StoredFinding.objects.get(round_unit=own, verdict="FAIL")
    form_url = f"/evaluation/units/{own.pk}/appeal/?finding={finding.pk}"
    assert "当前不在申诉期内" in liaison.get(form_url).content.decode()

    office.post(f"/evaluation/rounds/{round_.pk}/appeals/open/")
    round_.refresh_from_db()
    assert round_.appeal_until is not None
    page = liaison.get(f"/evaluation/units/{own.pk}/").content.decode()
    assert f"?finding={finding.pk}" in page and "申诉期至" in page
    refused = liaison.post(form_url, {"finding": finding.pk, "reason": "已公开", "links": "ftp://x"})
    assert "网址应以 http:// 或 https:// 开头" in refused.content.decode()
    liaison.post(
        form_url,
        {
            "finding": finding.pk,
            "reason": "该栏目2026年3月已更新",
            "links": "http://czj.example.gov.cn/tzgg/1.html",
        },
    )
    appeal = Appeal.objects.get()
    assert appeal.finding == finding and appeal.link_list == ["http://czj.example.gov.cn/tzgg/1.html"]
    theirs = StoredFinding.objects.get(round_unit=other, verdict="FAIL")
    assert liaison.get(f"/evaluation/units/{other.pk}/appeal/?finding={theirs.pk}").status_code == 404

    with pytest.raises(services.RoundError, match="申诉期"):
        services.publish(round_)
    office.post(f"/evaluation/rounds/{round_.pk}/appeals/close/")
    with pytest.raises(services.RoundError, match="1 件申诉待处理"):
        services.publish(round_)
    late = liaison.post(form_url, {"finding": finding.pk, "reason": "再次申诉"}).content.decode()
    assert "当前不在申诉期内" in late

    before = UnitResult.objects.get(round_unit=own).total
    listing = office.get(f"/evaluation/rounds/{round_.pk}/appeals/").content.decode()
    assert "该栏目2026年3月已更新" in listing and "http://czj.example.gov.cn/tzgg/1.html" in listing
    office.post(
        f"/evaluation/appeals/{appeal.pk}/decide/", {"decision": "granted", "note": "核实栏目已按期更新"}
    )
    appeal.refresh_from_db()
    assert (
        appeal.status == "granted" and appeal.decided_by.username == "pinggu" and appeal.history.count() == 2
    )
    assert FindingReview.objects.get(finding=finding).decision == "false_alarm"
    assert UnitResult.objects.get(round_unit=own).total > before
    seen = liaison.get(f"/evaluation/units/{own.pk}/").content.decode()
    assert "申诉成立" in seen and "核实栏目已按期更新" in seen


def test_an_upheld_appeal_keeps_the_finding(appealable):
    round_, own, _other = appealable
    office = client_of("pinggu", "evaluator")
    liaison = client_of("caizheng", "liaison", unit=own.unit)
    office.post(f"/evaluation/rounds/{round_.pk}/appeals/open/")
    finding = StoredFinding.objects.get(round_unit=own, verdict="FAIL")
    liaison.post(f"/evaluation/units/{own.pk}/appeal/", {"finding": finding.pk, "reason": "我们认为没有问题"})
    appeal = Appeal.objects.get()
    office.post(
        f"/evaluation/appeals/{appeal.pk}/decide/", {"decision": "upheld", "note": "存档页面显示确未更新"}
    )
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and not FindingReview.objects.exists()
    round_.refresh_from_db()
    assert round_.state == RoundState.SCORING


def test_a_granted_appeal_on_a_manual_deduction_sets_the_new_points(appealable):
    round_, own, _other = appealable
    from gongkai.web.evaluation.models import ManualScore

    leaf = next(
        leaf
        for leaf in services.framework_of(round_).leaves()
        if leaf.manual and not leaf.checks and leaf.type == "score" and "department" in leaf.applies_to
    )
    ManualScore.objects.create(round_unit=own, item=leaf.path, points=0, note="未见办理结果")
    services.score_round(round_)
    office = client_of("pinggu", "evaluator")
    liaison = client_of("caizheng", "liaison", unit=own.unit)
    office.post(f"/evaluation/rounds/{round_.pk}/appeals/open/")
    assert "?item=" in liaison.get(f"/evaluation/units/{own.pk}/").content.decode()
    liaison.post(f"/evaluation/units/{own.pk}/appeal/", {"item": leaf.path, "reason": "办理结果在专栏第二页"})
    appeal = Appeal.objects.get()
    decide = f"/evaluation/appeals/{appeal.pk}/decide/"
    office.post(decide, {"decision": "granted", "note": "核实", "points": leaf.points + 1})
    assert Appeal.objects.get().status == "pending"  # more than the item's points is refused
    before = UnitResult.objects.get(round_unit=own).total
    office.post(decide, {"decision": "granted", "note": "核实已公开", "points": leaf.points})
    assert ManualScore.objects.get(round_unit=own, item=leaf.path).points == leaf.points
    assert UnitResult.objects.get(round_unit=own).total == before + leaf.points


def test_quality_counts_confirmed_false_alarms_and_granted_appeals_per_check(appealable):
    from gongkai.web.evaluation import review

    round_, own, other = appealable
    office = client_of("pinggu", "evaluator")
    liaison = client_of("caizheng", "liaison", unit=own.unit)
    office.post(f"/evaluation/rounds/{round_.pk}/appeals/open/")
    mine = StoredFinding.objects.get(round_unit=own, verdict="FAIL")
    liaison.post(f"/evaluation/units/{own.pk}/appeal/", {"finding": mine.pk, "reason": "已更新"})
    office.post(
        f"/evaluation/appeals/{Appeal.objects.get().pk}/decide/", {"decision": "granted", "note": "核实"}
    )
    theirs = StoredFinding.objects.get(round_unit=other, verdict="FAIL")
    review.decide([theirs], "confirmed", "", make_user("pinggu2", "evaluator"))
    [row] = review.quality()
    assert (row.findings, row.reviewed, row.confirmed, row.false_alarm, row.appealed, row.granted) == (
        2,
        2,
        1,
        1,
        1,
        1,
    )
    assert row.false_alarm_share == 0.5
    page = client_of("chakan", "readonly").get("/evaluation/quality/").content.decode()
    assert row.title in page and "50.0%" in page
