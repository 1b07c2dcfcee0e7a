"""A 误报 exported as a regression case reproduces from its archive alone: the case's check, re-run on the
archived crawl of a real government page (corpus), gives the same verdict on the same subject again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.web.evaluation.conftest import AS_OF, new_round

from gongkai.crawl.archive import ArchiveWriter
from gongkai.model import Verdict
from gongkai.reports.regressions import find_cases, load_case, recurring_false_alarms
from gongkai.scan import scan_archive
from gongkai.web.evaluation.models import Decision, RoundUnit, StoredFinding
from gongkai.web.evaluation.regressions import export_false_alarms
from gongkai.web.evaluation.review import decide
from gongkai.web.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

HOME = "http://hdzfxxgk.hd.gov.cn/"
CORPUS = Path("/work/shared/corpus/gov_pages")
DETAIL = HOME + "gszbm/auto23716/202008/t20200802_1352104.html"


def test_a_false_alarm_exported_reproduces_from_its_archive(tmp_path):
    archive = tmp_path / "hd.warc.gz"
    writer = ArchiveWriter(archive)
    html = [("Content-Type", "text/html; charset=utf-8")]
    writer.write_response(
        HOME, 200, "OK", html, (CORPUS / "handan-xxgk-list-jinqixxgk-2020.html").read_bytes()
    )
    writer.write_response(DETAIL, 200, "OK", html, (CORPUS / "handan-xxgk-detail-2020.html").read_bytes())
    writer.close()
    result = scan_archive(archive, as_of=AS_OF, framework="zwgk-2026", site=HOME, unit_group="department")
    fail = next(f for f in result.findings if f.verdict is Verdict.FAIL)
    round_ = new_round()
    unit = make_unit("邯郸市教育局", website=HOME)
    ru = RoundUnit.objects.create(
        round=round_, unit=unit, group="department", status="done", url=HOME, archive=str(archive)
    )
    stored = StoredFinding.objects.create(
        round_unit=ru, check_id=fail.check, item=fail.item, verdict="FAIL", subject=fail.subject,
        message=fail.message, evidence=[e.as_dict() for e in fail.evidence],
    )  # fmt: skip
    decide([stored], Decision.FALSE_ALARM, "测评员核实：该栏目在别处设置", make_user("pinggu", "evaluator"))
    [directory] = export_false_alarms(round_, tmp_path / "regressions")
    assert find_cases(tmp_path / "regressions") == [directory]
    data = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    assert data["check"] == fail.check and data["not_verdicts"] == ["FAIL"] and data["status"] == "open"
    assert data["as_of"] == AS_OF.isoformat() and data["reason"].startswith("测评员核实")
    case = load_case(directory)
    again = recurring_false_alarms(case)
    assert again and all(f.check == fail.check and f.subject == fail.subject for f in again)
    assert dt.date.fromisoformat(case.as_of) == AS_OF


def test_the_export_keeps_one_case_per_subject_and_can_be_narrowed(tmp_path):
    archive = tmp_path / "site.warc.gz"
    writer = ArchiveWriter(archive)
    writer.write_response(HOME, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], b"<html></html>")
    writer.close()
    round_ = new_round()
    evaluator = make_user("pinggu", "evaluator")
    for name in ("邯郸市教育局", "邯郸市财政局"):
        ru = RoundUnit.objects.create(
            round=round_, unit=make_unit(name, website=HOME), group="department", status="done", url=HOME,
            archive=str(archive),
        )  # fmt: skip
        rows = [
            StoredFinding.objects.create(
                round_unit=ru,
                check_id=check,
                item="主动公开",
                verdict="UNCERTAIN",
                subject=HOME + "a.html",
                message="可能是引用",
                evidence=[],
            )  # fmt: skip
            for check in ("wording.serious", "wording.serious", "wording.typo")
        ]
        decide(rows, Decision.FALSE_ALARM, "引用原文", evaluator)
    every = export_false_alarms(round_, tmp_path / "all")
    assert len(every) == 4  # the repeated wording.serious finding of each unit is one case
    narrowed = export_false_alarms(round_, tmp_path / "one", checks=["wording.serious"], unit="财政局")
    assert [json.loads((d / "case.json").read_text("utf-8"))["unit_name"] for d in narrowed] == [
        "邯郸市财政局"
    ]
    assert len(export_false_alarms(round_, tmp_path / "few", limit=1)) == 2  # one per check
