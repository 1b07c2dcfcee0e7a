"""核减 of wording findings: a 误报 remembered for the unit's site (an allow-list entry with the evaluator's
reason) so the next round's check does not report the phrase again."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.web.evaluation.conftest import AS_OF, new_round

from gongkai.checks import run_check
from gongkai.model import Page, SiteModel
from gongkai.web.evaluation.models import RoundUnit, StoredFinding
from gongkai.web.testing import make_unit, make_user
from gongkai.web.wording.models import WordingAllowance

pytestmark = pytest.mark.django_db

SITE = "http://yjj.linjiang.example.gov.cn/"
# a chemical reaction, not 反映情况: the 错别字 confusion set's hit is a 误报 on this site
SENTENCE = "县应急管理局组织专家对辖区危险化学品生产企业的反应情况开展安全评估，督促企业落实主体责任。"
REASON = "此处指化学反应，不是“反映情况”"


def site_model() -> SiteModel:
    page = Page(
        SITE + "xwzx/202603/t20260310_1.html", 200, "安全评估", SENTENCE, kind="detail", role="article"
    )
    return SiteModel(site=SITE, as_of=AS_OF, pages=(page,))


def phrase_findings(model: SiteModel) -> list:
    found = run_check("wording.typo", model, AS_OF)
    return [f for f in found if f.message.startswith("「反应情况」")]


def stored_round():
    round_ = new_round()
    unit = make_unit("临江市应急管理局", group="department", short_name="市应急局", website=SITE)
    ru = RoundUnit.objects.create(round=round_, unit=unit, group="department", status="done", url=SITE)
    (finding,) = phrase_findings(site_model())
    stored = StoredFinding.objects.create(
        round_unit=ru,
        check_id=finding.check,
        verdict=finding.verdict.value,
        subject=finding.subject,
        message=finding.message,
        evidence=[{"url": e.url, "snippet": e.snippet} for e in finding.evidence],
    )
    return round_, stored


def post_false_alarm(round_, stored, **extra):
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    data = {"finding": stored.pk, "decision": "false_alarm", "reason": REASON, **extra}
    return client.post(f"/evaluation/rounds/{round_.pk}/review/wording.typo/", data, follow=True)


def test_the_review_page_of_a_wording_check_offers_to_remember_the_phrase():
    round_, _stored = stored_round()
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    page = client.get(f"/evaluation/rounds/{round_.pk}/review/wording.typo/").content.decode()
    assert "记住此表述为本站误报" in page and 'name="remember"' in page


def test_a_remembered_false_alarm_does_not_come_back_next_round():
    round_, stored = stored_round()
    assert phrase_findings(site_model())[0].verdict.value == "UNCERTAIN"
    response = post_false_alarm(round_, stored, remember="1")
    assert "已复核 1 条检查结论" in response.content.decode()
    allowance = WordingAllowance.objects.get()
    assert (allowance.url_prefix, allowance.phrase, allowance.check_id, allowance.reason) == (
        SITE,
        "反应情况",
        "wording.typo",
        REASON,
    )
    assert allowance.history.count() == 1  # audited like every dictionary change
    found = run_check("wording.typo", site_model(), AS_OF)
    assert phrase_findings(site_model()) == []
    assert [f.verdict.value for f in found] == ["PASS"] and "已按允许清单排除" in found[0].message


def test_a_false_alarm_without_the_box_is_not_remembered():
    round_, stored = stored_round()
    post_false_alarm(round_, stored)
    stored.refresh_from_db()
    assert stored.review.decision == "false_alarm" and not WordingAllowance.objects.exists()
    assert len(phrase_findings(site_model())) == 1
