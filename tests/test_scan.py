"""`gongkai scan` end to end on a fleet site served on loopback: crawl, checks, score, reports."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.crawl import CrawlConfig
from gongkai.fleet import FleetServer, generate_fleet
from gongkai.scan import scan_archive, scan_site

AS_OF = dt.date(2026, 11, 20)
PRECISE = {  # checks whose fleet defects the scan must find on this site
    "meta.missing",
    "meta.index_invalid",
    "normative.validity",
    "disclosure.late",
    "interpretation.missing",
    "interpretation.late",
    "interpretation.elements",
    "consultation.elements",
    "consultation.period",
    "consultation.feedback",
    "guide.elements",
    "privacy.id_number",
    "privacy.mobile",
    "privacy.bank_card",
    "column.blank",
    "column.missing",
    "title.unit_year",
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    fleet = generate_fleet(1, seed=11, defect_rate=0.6, as_of=AS_OF, groups=("department",), scale=0.4)
    site = fleet.sites[0]
    out = tmp_path_factory.mktemp("scan")
    with FleetServer(fleet) as server:
        url = server.url_of(site)
        config = CrawlConfig(rate=500, concurrency_per_host=4)
        result = scan_site(
            url, out_dir=out, as_of=AS_OF, unit_group=site.group, unit_name=site.full_name, config=config
        )
    return site, result


def test_the_scan_json_follows_the_contract(scanned):
    _, result = scanned
    data = result.as_json()
    assert {"site", "as_of", "framework", "crawl", "findings", "score"} <= set(data)
    assert data["as_of"] == "2026-11-20"
    assert data["framework"]["id"] == "zwgk-2026" and data["framework"]["version"]
    assert set(data["crawl"]) >= {"pages", "errors", "partial", "archive"}
    assert data["crawl"]["archive"].endswith(".warc.gz") and data["crawl"]["pages"] > 20
    assert {"total", "max", "rate", "veto"} <= set(data["score"])
    for f in data["findings"]:
        assert set(f) == {"check", "verdict", "item", "subject", "message", "evidence"}
        assert f["verdict"] in ("FAIL", "PASS", "UNCERTAIN", "NOT_ASSESSABLE")
        assert f["item"]
        if f["verdict"] == "FAIL":
            assert f["evidence"] and f["evidence"][0]["url"].startswith("http")


def test_the_scan_finds_the_injected_defects_with_archived_evidence(scanned):
    site, result = scanned
    truth = [d for d in site.manifest if d["check"] in PRECISE]
    assert truth, "the fixture fleet injects defects"
    fails = {(f.check, f.subject) for f in result.findings if f.verdict.value == "FAIL"}
    for d in truth:
        assert (d["check"], d["subject"]) in fails, d
    records = [ev.record for f in result.findings if f.verdict.value == "FAIL" for ev in f.evidence]
    assert any(r.startswith("<urn:uuid:") for r in records)


def test_manual_items_name_what_to_judge_and_where(scanned):
    _, result = scanned
    assert result.manual
    assert all(m.what and m.pages for m in result.manual)
    assert "主动公开/重点领域信息公开/食品药品安全" in {m.path for m in result.manual}


def test_rescoring_the_archive_with_another_framework_needs_no_network(scanned):
    _, result = scanned
    again = scan_archive(
        result.crawl["archive"], as_of=AS_OF, framework="luan-quarterly", unit_group="department"
    )
    assert again.framework.id == "luan-quarterly"
    assert again.score.max != result.score.max
    same = scan_archive(
        result.crawl["archive"], as_of=AS_OF, unit_group="department", unit_name=result.unit_name
    )
    assert [f.as_dict() for f in same.findings] == [f.as_dict() for f in result.findings]


def test_the_cli_rescoring_writes_json_html_and_docx(scanned, tmp_path):
    _, result = scanned
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "scan",
            "--from-archive",
            result.crawl["archive"],
            "--as-of",
            "2026-11-20",
            "--framework",
            "national-2019",
            "--group",
            "department",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
            "--docx",
            str(tmp_path / "r.docx"),
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["framework"]["id"] == "national-2019"
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "得分率" in html and "发现的问题" in html and "<a href='http" in html
    with zipfile.ZipFile(tmp_path / "r.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "分项得分" in document and "w:hyperlink" in document and 'TargetMode="External"' in rels


def test_the_cli_refuses_a_bad_date_and_a_broken_framework_file(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["scan", "http://127.0.0.1:9/", "--as-of", "2026-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    broken = tmp_path / "x.yaml"
    broken.write_text("id: x\nversion: 1\nname: 坏\nitems:\n  - name: A\n    points: 1\n", encoding="utf-8")
    out = runner.invoke(app, ["frameworks", "check", str(broken)])
    assert out.exit_code == 1 and "第 5 行" in out.output and "既无自动检查" in out.output
    out = runner.invoke(
        app, ["scan", "--from-archive", str(tmp_path / "none.warc.gz"), "--framework", str(broken)]
    )
    assert out.exit_code == 2


def test_a_site_that_does_not_answer_is_unreachable_and_nothing_else_is_judged(tmp_path):
    from gongkai.crawl import CrawlConfig

    result = scan_site(
        "http://127.0.0.1:1/", out_dir=tmp_path, as_of=AS_OF, config=CrawlConfig(rate=50, retries=0)
    )
    fails = [f for f in result.findings if f.verdict.value == "FAIL"]
    assert [f.check for f in fails] == ["site.unreachable"]
    assert "无法连接" in fails[0].message or "应答" in fails[0].message
    assert {f.verdict.value for f in result.findings if f.check != "site.unreachable"} == {"NOT_ASSESSABLE"}
    # an unread site is not scored: no rate, no band (contracts.md), only site.unreachable
    data = result.as_json()
    assert data["score"]["band"] is None and data["score"]["rate"] is None and result.score.unscored
    coverage = data["crawl"]["coverage"]
    assert coverage["complete"] is False and data["crawl"]["partial"] is True
    assert coverage["cut"] == [{"what": "http://127.0.0.1:1/", "why": "无法连接（连接被拒绝或不可达）"}]


def test_the_scan_summary_shows_coverage_and_no_score_for_an_unread_site(tmp_path):
    from gongkai.crawl import CrawlConfig

    result = scan_site(
        "http://127.0.0.1:1/", out_dir=tmp_path, as_of=AS_OF, config=CrawlConfig(rate=50, retries=0)
    )
    out = CliRunner().invoke(
        app,
        [
            "scan",
            "--from-archive",
            result.crawl["archive"],
            "--as-of",
            AS_OF.isoformat(),
            "--json",
            str(tmp_path / "s.json"),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "未评分（无法访问）" in out.output and "覆盖情况" in out.output and "无法连接" in out.output
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["score"]["band"] is None and data["crawl"]["coverage"]["complete"] is False
