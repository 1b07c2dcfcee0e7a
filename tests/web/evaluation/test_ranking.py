"""Ranking within a group by the framework's rule (得分率 by default) when units' 应得分 differ, units not
evaluated shown as such, the 通报's wording and the annual assessment's treatment of unsampled townships."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from tests.web.evaluation.conftest import checked_unit, new_round

from gongkai.reports.tongbao import build_docx, build_xlsx
from gongkai.web.evaluation import reporting, services
from gongkai.web.evaluation.models import (
    Assessment,
    ManualScore,
    RoundUnit,
    UnitResult,
)
from gongkai.web.testing import make_unit

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 30)


def test_equal_scores_with_different_full_marks_rank_by_rate_not_tied():
    round_ = new_round()
    framework = services.framework_of(round_)
    scored = checked_unit(round_, "临江市财政局", "市财政局")
    unscored = checked_unit(round_, "临江市教育局", "市教育局")
    for leaf in framework.leaves():  # 财政局's manual items were scored 0: same score, larger 应得分
        if leaf.manual and not leaf.checks and leaf.type == "score" and "department" in leaf.applies_to:
            ManualScore.objects.create(round_unit=scored, item=leaf.path, points=0)
    services.score_round(round_)
    a, b = UnitResult.objects.get(round_unit=scored), UnitResult.objects.get(round_unit=unscored)
    assert a.total == b.total and a.max > b.max and a.rate < b.rate
    assert (b.rank, b.tied, a.rank, a.tied) == (1, False, 2, False)

    tb = reporting.build_tongbao(round_)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(build_docx(tb))).paragraphs)
    assert "按综合得分率排序依次为：市教育局、市财政局。" in text
    sheet = openpyxl.load_workbook(io.BytesIO(build_xlsx(tb)))["得分排名"]
    rate = sheet.cell(row=2, column=6)
    assert rate.number_format == "0.00%" and rate.value == pytest.approx(b.rate / 100)


def test_unsampled_and_failed_units_are_shown_unscored():
    round_ = new_round(township_sample=1, not_sampled=["临江市某县乙镇人民政府"])
    checked_unit(round_, "临江市某县甲镇人民政府", "甲镇", group="township")
    broken = make_unit("临江市某县丙镇人民政府", group="township", website="http://bing.example.gov.cn/")
    RoundUnit.objects.create(round=round_, unit=broken, group="township", status="failed", url=broken.website)
    services.score_round(round_)
    assert UnitResult.objects.filter(round_unit__round=round_).count() == 1
    assert reporting.unevaluated_units(round_) == [
        ("临江市某县乙镇人民政府", "未抽中"),
        ("临江市某县丙镇人民政府", "检测失败"),
    ]
    tb = reporting.build_tongbao(round_)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(build_docx(tb))).paragraphs)
    assert "其余 1 个本次未测评，不参与排名" in text and "临江市某县丙镇人民政府（检测失败）" in text
    assert "随机种子" not in text


def assessment_of(unevaluated):
    first, second = new_round("第一季度"), new_round("第二季度")
    for round_ in (first, second):
        checked_unit(round_, "临江市财政局", "市财政局")
    checked_unit(first, "临江市某县甲镇人民政府", "甲镇", group="township")
    checked_unit(second, "临江市某县乙镇人民政府", "乙镇", group="township", fail_checks=("column.stale",))
    for round_ in (first, second):
        services.score_round(round_)
    return Assessment.objects.create(
        name="2026年度政务公开绩效考评",
        year=2026,
        rounds=[{"round": first.pk, "weight": 0.5}, {"round": second.pk, "weight": 0.5}],
        unevaluated=unevaluated,
    )


def test_annual_assessment_does_not_score_a_round_a_township_was_not_sampled_in():
    groups = reporting.assessment_results(assessment_of("reweight"))
    township = {r.unit: r for r in groups["乡镇（街道）"]}
    jia = township["临江市某县甲镇人民政府"]
    rate = UnitResult.objects.get(round_unit__unit__name=jia.unit).rate
    assert jia.parts["第二季度"] == "未测评" and jia.total == pytest.approx(round(rate, 2))
    zero_assessment = Assessment.objects.get()
    zero_assessment.unevaluated = "zero"
    zero = {r.unit: r for r in reporting.assessment_results(zero_assessment)["乡镇（街道）"]}
    assert zero["临江市某县甲镇人民政府"].total == pytest.approx(round(rate / 2, 2), abs=0.01)


def test_annual_assessment_may_leave_partly_evaluated_units_out():
    groups = reporting.assessment_results(assessment_of("exclude"))
    rows = groups["乡镇（街道）"]
    assert all(r.total is None and r.rank == 0 for r in rows)
    assert groups["市直部门"][0].rank == 1


def test_the_annual_assessment_is_a_form_of_rounds_weights_and_other_items():
    from django.test import Client

    from gongkai.web.testing import make_user

    first, second = new_round("第一季度"), new_round("第二季度")
    for round_ in (first, second):
        checked_unit(round_, "临江市财政局", "市财政局")
        services.score_round(round_)
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    form = client.get("/evaluation/assessments/new/").content.decode()
    assert "第一季度的权重" in form and "[{" not in form  # no JSON to type
    data = {
        "name": "2026年度考评", "year": 2026, "excellent_share": 0.3, "excellent_min": 90,
        "unevaluated": "reweight", f"weight_{first.pk}": 0.4, f"weight_{second.pk}": 0.4,
        "other_name_1": "工作台账", "other_weight_1": 0.3, "other_scores_1": "临江市财政局 95",
    }  # fmt: skip
    assert "权重合计应为 1，现为 1.1" in client.post("/evaluation/assessments/new/", data).content.decode()
    data["other_weight_1"] = 0.2
    response = client.post("/evaluation/assessments/new/", data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.rounds == [{"round": second.pk, "weight": 0.4}, {"round": first.pk, "weight": 0.4}]
    assert assessment.other_items == [{"name": "工作台账", "weight": 0.2, "scores": {"临江市财政局": 95.0}}]
    page = client.get(response["Location"]).content.decode()
    assert "工作台账：95" in page and "第一季度：" in page and "第二季度：" in page
