"""The registry holds every check id of contracts.md, each documented in Chinese."""

import re
from pathlib import Path

import pytest
from builders import AS_OF, clean_site

from gongkai.checks import all_checks, get_check, run_check
from gongkai.checks.registry import UnknownCheckError, merged_params
from gongkai.model import Verdict

CONTRACTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "domain" / "contracts.md"


# Ids that contracts.md fixes for work still open, with the issue that builds them. An id leaves this
# table in the commit that registers its check (the test below fails while it stays here).
PLANNED = {
}


def contract_ids() -> list[str]:
    text = CONTRACTS.read_text(encoding="utf-8")
    section = text.split("## Check identifiers", 1)[1]
    return re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", section, flags=re.M)


def test_contracts_lists_the_check_ids():
    assert len(contract_ids()) >= 27


@pytest.mark.parametrize("check_id", sorted(PLANNED))
def test_a_planned_id_is_in_the_contract_and_not_yet_registered(check_id):
    assert check_id in contract_ids()
    assert check_id not in all_checks(), f"{check_id} is registered now: take it out of PLANNED"


@pytest.mark.parametrize("check_id", [c for c in contract_ids() if c not in PLANNED])
def test_every_contract_id_is_registered_and_documented_in_chinese(check_id):
    spec = get_check(check_id)
    assert re.search(r"[\u4e00-\u9fff]", spec.doc)
    assert spec.id == check_id


def test_docs_checks_md_documents_every_registered_check():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "checks.md").read_text(encoding="utf-8")
    missing = [cid for cid in all_checks() if f"`{cid}`" not in doc]
    assert missing == []


def test_unknown_check_id_raises_a_chinese_error():
    with pytest.raises(UnknownCheckError, match="未知的检查项：column.nope"):
        get_check("column.nope")


def test_an_unknown_parameter_is_refused_with_the_known_ones_named():
    with pytest.raises(ValueError, match="没有参数 window_days.*windows"):
        merged_params("column.stale", {"window_days": 3})


@pytest.mark.parametrize("check_id", sorted(all_checks()))
def test_every_check_finds_nothing_wrong_on_the_clean_site(check_id):
    findings = run_check(check_id, clean_site(), AS_OF)
    assert findings, "a check always says something (PASS, FAIL or why not)"
    assert [f for f in findings if f.verdict is Verdict.FAIL] == []


@pytest.mark.parametrize("check_id", sorted(all_checks()))
def test_every_check_is_pure(check_id):
    site = clean_site()
    assert run_check(check_id, site, AS_OF) == run_check(check_id, site, AS_OF)


def test_on_a_partial_crawl_absences_are_uncertain_not_fail():
    import dataclasses

    from gongkai.checks import run_checks
    from gongkai.frameworks import load_framework

    site = clean_site()
    site = dataclasses.replace(
        site,
        columns=tuple(c for c in site.columns if c.kind != "annual_report"),
        documents=tuple(d for d in site.documents if "年度报告" not in d.title),
    )
    framework = load_framework("zwgk-2026")
    full = {f.check for f in run_checks(site, framework, AS_OF) if f.verdict is Verdict.FAIL}
    assert {"annual_report.missing", "column.missing"} <= full
    partial = run_checks(dataclasses.replace(site, partial=True), framework, AS_OF)
    missing = [f for f in partial if f.check in ("annual_report.missing", "column.missing")]
    assert missing and all(f.verdict is Verdict.UNCERTAIN and "抓取未完成" in f.message for f in missing)
