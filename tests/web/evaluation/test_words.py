"""Every page and export of a round speaks Chinese: no internal code (verdicts, item types and statuses,
groups, decisions, check and rule ids, object reprs) reaches what a user reads."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest
from django.test import Client
from tests.web.evaluation.conftest import checked_unit, new_round
from tests.web.words import leaks, visible

from gongkai.web.evaluation import appeals, services
from gongkai.web.evaluation.models import Assessment, Decision, ManualScore, StoredFinding
from gongkai.web.evaluation.review import decide
from gongkai.web.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_round():
    round_ = new_round(appeal_days=3)
    framework = services.framework_of(round_)
    check = next(
        ref.check for leaf in framework.leaves() if "department" in leaf.applies_to for ref in leaf.checks
    )
    own = checked_unit(round_, "临江市财政局", "市财政局", fail_checks=(check,), uncertain_checks=())
    other = checked_unit(round_, "临江市教育局", "市教育局", uncertain_checks=(check,))
    checked_unit(round_, "临江市某县甲镇人民政府", "甲镇", group="township", fail_checks=(check,))
    evaluator = make_user("pinggu", "evaluator")
    leaf = next(x for x in framework.leaves() if x.manual and not x.checks and "department" in x.applies_to)
    ManualScore.objects.create(round_unit=own, item=leaf.path, points=1, evaluator=evaluator)
    decide(
        StoredFinding.objects.filter(round_unit=other, verdict="UNCERTAIN"),
        Decision.FALSE_ALARM,
        "核实无误",
        evaluator,
    )
    services.score_round(round_)
    appeals.open_window(round_)
    liaison = make_user("caizheng", "liaison", unit=own.unit)
    finding = StoredFinding.objects.get(round_unit=own, verdict="FAIL")
    appeals.file_appeal(own, liaison, "已更新", "http://czj.example.gov.cn/", finding_id=finding.pk)
    Assessment.objects.create(name="年度考评", year=2026, rounds=[{"round": round_.pk, "weight": 1}])
    return round_, own, check, leaf


def test_no_internal_code_on_any_round_page_or_export(full_round):
    round_, own, check, leaf = full_round
    client = Client()
    client.force_login(make_user("guanli", "admin"))
    pages = [
        "/evaluation/",
        f"/evaluation/rounds/{round_.pk}/",
        f"/evaluation/rounds/{round_.pk}/progress/",
        f"/evaluation/rounds/{round_.pk}/publish/",
        f"/evaluation/rounds/{round_.pk}/review/",
        f"/evaluation/rounds/{round_.pk}/review/{check}/?show=all",
        f"/evaluation/rounds/{round_.pk}/appeals/",
        f"/evaluation/units/{own.pk}/",
        f"/evaluation/units/{own.pk}/manual/?item={leaf.path}",
        "/evaluation/rounds/new/",
        f"/evaluation/assessments/{Assessment.objects.get().pk}/",
        "/evaluation/assessments/new/",
        "/evaluation/quality/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(visible(response.content.decode())) == [], url
    notice = client.get(f"/evaluation/rounds/{round_.pk}/tongbao.docx").content
    document = docx.Document(io.BytesIO(notice))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert leaks(text) == [] and "随机种子" not in text  # the sample's seed is the office's record, not news
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/evaluation/rounds/{round_.pk}/tongbao.xlsx").content)
    )
    cells = " ".join(
        str(c.value)
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if c.value is not None and c.column != 8
    )  # column 8 of 问题明细 is the evidence address
    assert leaks(re.sub(r"https?://\S+", " ", cells)) == []


def test_audited_objects_are_named_in_chinese(full_round):
    from gongkai.web.evaluation.models import Appeal, FindingReview, UnitResult

    for obj in (
        *FindingReview.objects.all(), *ManualScore.objects.all(), *Appeal.objects.all(), *UnitResult.objects.all(),
    ):  # fmt: skip
        assert leaks(str(obj)) == [] and " object (" not in str(obj), str(obj)
