"""annual_report.*, title.unit_year and the privacy checks (with real pages for false positives)."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from builders import ANNUAL, AS_OF, ZL, add_page, clean_site, with_column, with_document

from gongkai.checks import run_check
from gongkai.checks.privacy import luhn, valid_id
from gongkai.model import Attachment, Item, Verdict

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def fails(check_id, site, as_of=AS_OF, **params):
    return [f for f in run_check(check_id, site, as_of, params) if f.verdict is Verdict.FAIL]


def without_annual(site):
    site = dataclasses.replace(site, documents=tuple(x for x in site.documents if x.url != ANNUAL.url))
    return with_column(site, "政府信息公开年报", items=())


def test_no_report_for_last_year_is_missing_once_the_due_date_has_passed():
    site = without_annual(clean_site())
    [finding] = fails("annual_report.missing", site)
    assert "2025" in finding.message and finding.evidence[0].url == ZL + "nb/"
    # on 2026-01-31 the 2025 report is not yet due: the 2024 one is expected
    item = Item(
        "厦门市翔安区人民政府2024年政府信息公开工作年度报告", ZL + "nb/2024.html", dt.date(2025, 1, 20)
    )
    site = with_column(site, "政府信息公开年报", items=(item,))
    assert fails("annual_report.missing", site, as_of=dt.date(2026, 1, 31)) == []


def test_a_county_government_report_is_due_by_march_31():
    site = without_annual(clean_site())
    assert len(fails("annual_report.missing", site, as_of=dt.date(2026, 3, 1))) == 1
    ctx_site = site
    from gongkai.checks.registry import run_check as run

    county = [f for f in run("annual_report.missing", ctx_site, dt.date(2026, 3, 1), unit_group="county")]
    assert county[0].verdict is Verdict.FAIL and "2024" in county[0].message


def test_a_report_published_in_february_is_late_for_a_department():
    site = with_document(clean_site(), ANNUAL.url, published=dt.date(2026, 2, 3))
    [finding] = fails("annual_report.late", site)
    assert "2026-01-31" in finding.message


def test_a_budget_title_without_unit_name_or_year_fails():
    site = clean_site()
    budget = next(c for c in site.columns if c.kind == "budget")
    items = (
        Item("2026年部门预算", budget.url + "a.html", dt.date(2026, 2, 1)),
        Item("厦门市翔安区人民政府部门决算", budget.url + "b.html", dt.date(2026, 2, 1)),
        Item("关于2025年预算执行情况的审计报告", budget.url + "c.html", dt.date(2026, 2, 1)),
    )
    site = with_column(site, budget.name, items=items)
    found = {f.subject: f.message for f in fails("title.unit_year", site, unit_name="厦门市翔安区人民政府")}
    assert set(found) == {budget.url + "a.html", budget.url + "b.html"}
    assert "单位全称" in found[budget.url + "a.html"] and "年度" in found[budget.url + "b.html"]


ID = "350213199001011232"  # valid check digit
CARD = "6222021001112223331"  # Luhn-valid


def test_id_and_card_validators():
    assert valid_id(ID) and not valid_id(ID[:-1] + "8") and not valid_id("990213199001011237")
    assert not valid_id("350213199002301234")  # 30 February
    assert luhn(CARD) and not luhn(CARD[:-1] + "7")


def test_an_unmasked_id_number_in_an_attachment_is_found_and_masked_in_the_evidence():
    site = clean_site()
    doc = site.documents[0]
    att = Attachment(
        ZL + "dbmd.xlsx", "低保名单.xlsx", "xlsx", 200, f"张三 {ID} 300元\n李四 350213********1234 300元"
    )
    site = with_document(site, doc.url, attachments=(att,))
    [finding] = fails("privacy.id_number", site)
    assert finding.subject == ZL + "dbmd.xlsx"
    assert ID not in finding.evidence[0].snippet and "350213********1232" in finding.evidence[0].snippet


def test_masked_or_invalid_numbers_are_not_leaks():
    text = f"350213********1232 350213199001011238 {ID}1 {CARD[:-1]}7 138****5678"
    site = add_page(clean_site(), ZL + "gs/1.html", text)
    for check_id in ("privacy.id_number", "privacy.bank_card", "privacy.mobile"):
        assert fails(check_id, site) == [], check_id


def test_a_published_list_of_mobiles_leaks_but_one_contact_number_does_not():
    contact = add_page(
        clean_site(), ZL + "gs/1.html", "咨询电话：13906001234，联系人：王老师 手机：13906001235"
    )
    assert fails("privacy.mobile", contact) == []
    roster = add_page(clean_site(), ZL + "gs/2.html", "张三 13906001234 李四 13906001235 王五 15959001236")
    [finding] = fails("privacy.mobile", roster)
    assert "3 个" in finding.message and "139****1234" in finding.evidence[0].snippet


def test_a_luhn_valid_card_number_in_a_subsidy_list_leaks():
    site = add_page(clean_site(), ZL + "gs/3.html", f"户主 张三 补贴 500元 银行卡号 {CARD}")
    [finding] = fails("privacy.bank_card", site)
    assert CARD not in finding.evidence[0].snippet


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "handan-xxgk-detail-2020.html",
        "handan-xxgk-list-jinqixxgk-2020.html",
        "govcn-zhengce-detail-5365945-fragment.html",
        "govcn-zhengce-detail-5355822-fragment.html",
        "pingtan-zfxxgkzn-guide-2023.page.txt",
    ],
)
def test_real_government_pages_have_no_privacy_false_positives(name):
    text = (CORPUS / "gov_pages" / name).read_text(encoding="utf-8", errors="replace")
    site = add_page(clean_site(), "http://corpus.example/" + name, text)
    for check_id in ("privacy.id_number", "privacy.bank_card", "privacy.mobile"):
        assert fails(check_id, site) == [], check_id


@pytest.mark.corpus
def test_the_real_haicang_report_is_consistent_and_a_tampered_copy_is_not():
    text = (CORPUS / "annual_reports" / "haicang-2023.txt").read_text(encoding="utf-8")
    site = with_document(
        clean_site(), ANNUAL.url, body=text, title="厦门市海沧区人民政府2025年政府信息公开工作年度报告"
    )
    assert fails("annual_report.inconsistent", site) == []
    tampered = text.replace("数量 |\n104 |\n3 |", "数量 |\n107 |\n6 |", 1)
    assert tampered != text
    site = with_document(site, ANNUAL.url, body=tampered)
    [finding] = fails("annual_report.inconsistent", site)
    assert (
        "表三收结平衡" in finding.message
        and "T3-" not in finding.message
        and finding.evidence[0].url == ANNUAL.url
    )
