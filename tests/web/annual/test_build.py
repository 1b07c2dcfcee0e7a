"""The build page (编制年报): tables 三/四 pre-filled from the ledger, the rule check with highlighted cells,
downloads that read back to the same numbers, drafts with an audit trail, archiving into the unit's report
history, Chinese errors for bad cells, and unit scoping."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pypdfium2
import pytest
from django.urls import reverse

from gongkai.annual import parse_bytes
from gongkai.foi import Event
from gongkai.web.annual.models import ReportDraft, ReportRecord
from gongkai.web.foi import services as foi_services
from gongkai.web.foi.models import Case

pytestmark = pytest.mark.django_db
YEAR = 2025

T2 = {
    "t2.regulations.made": "0",
    "t2.regulations.repealed": "0",
    "t2.regulations.valid": "0",
    "t2.normative_documents.made": "2",
    "t2.normative_documents.repealed": "1",
    "t2.normative_documents.valid": "14",
    "t2.licensing.decisions": "125",
    "t2.punishment.decisions": "7",
    "t2.coercion.decisions": "0",
    "t2.fees.amount_wan": "1.25",
}
CHAPTERS = {
    "ch1": "2025年，本局认真落实《中华人民共和国政府信息公开条例》，全年新收政府信息公开申请3件。",
    "ch5": "政策解读形式还不够丰富。下一步将丰富解读形式。",
    "ch6": "本年度未收取信息处理费。",
}


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def application(unit, number, received, applicant_type="natural_person", replied=None, outcome=""):
    data = {
        "number": number,
        "applicant_type": applicant_type,
        "applicant_name": "张三",
        "channel": "in_person",
        "submitted_on": received,
        "content": "某路段改造项目批复文件",
    }
    events = [Event("replied", replied, outcome=outcome)] if replied else []
    return foi_services.create_application(unit, data, events)


@pytest.fixture
def ledger(city):
    """The finance bureau's 2025 ledger: one carried over from 2024, three new (one still open at year end),
    and a 行政复议 filed and upheld in 2025. Another unit's application must not leak in."""
    unit = city["finance"]
    application(unit, "2024-9", date(2024, 12, 20), replied=date(2025, 1, 10), outcome="granted")
    first = application(unit, "2025-1", date(2025, 3, 3), replied=date(2025, 3, 20), outcome="granted")
    application(
        unit,
        "2025-2",
        date(2025, 5, 6),
        applicant_type="commercial",
        replied=date(2025, 5, 20),
        outcome="denied.third_party",
    )
    application(unit, "2025-3", date(2025, 12, 15))
    application(city["education"], "E-1", date(2025, 4, 1), replied=date(2025, 4, 10), outcome="granted")
    Case.objects.create(
        application=first,
        kind="review",
        filed_on=date(2025, 6, 2),
        result="upheld",
        decided_on=date(2025, 8, 1),
    )
    return unit


def build_url(unit, year=YEAR) -> str:
    return f"{reverse('annual:build')}?unit={unit.pk}&year={year}"


def form_data(res) -> dict[str, str]:
    """The form as the browser would submit it (what the page shows)."""
    form = res.context["form"]
    data = {}
    for bf in form:
        value = bf.value()
        data[bf.html_name] = bf.field.prepare_value(value) if not form.is_bound else (value or "")
    return {k: ("" if v is None else str(v)) for k, v in data.items()}


def filled(client, unit) -> dict[str, str]:
    res = client.get(build_url(unit))
    assert res.status_code == 200
    return form_data(res) | T2 | CHAPTERS


def posted_tables(data: dict[str, str]) -> dict:
    """t3 rows as ints from the submitted form data (for comparisons)."""
    rows: dict[str, list] = {}
    for name, value in data.items():
        if name.startswith("t3."):
            key, _col = name[3:].rsplit(".", 1)
            rows.setdefault(key, []).append(int(value) if value else None)
    return rows


def test_liaison_builds_checks_and_downloads_their_units_report(client, people, ledger):
    client.force_login(people["liaison"])
    res = client.get(reverse("annual:build"))  # a liaison's only unit, last year by default
    assert res.status_code == 200 and res.context["unit"] == ledger
    assert res.context["year"] == date.today().year - 1

    res = client.get(build_url(ledger))
    expected = foi_services.tables_for([ledger], YEAR)
    data = form_data(res)
    assert posted_tables(data) == expected["t3"]
    # Independent count of the ledger above.
    assert expected["t3"]["new_received"] == [2, 1, 0, 0, 0, 0, 3]
    assert expected["t3"]["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert expected["t3"]["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]
    assert data["t4.review.upheld"] == "1" and data["t4.review.total"] == "1"
    assert data["t2.licensing.decisions"] == "" and data["ch1"] == ""  # blank, not 0

    data |= T2 | CHAPTERS
    res = client.post(build_url(ledger), data | {"action": "check"})
    assert res.status_code == 200
    assert res.context["checked"] and res.context["error_count"] == 0
    assert "无错误" in res.content.decode()

    for fmt in ("docx", "xlsx"):
        res = client.post(build_url(ledger), data | {"action": f"download:{fmt}"})
        assert res.status_code == 200
        assert "attachment" in res["Content-Disposition"]
        report = parse_bytes(res.content, f"report.{fmt}")
        assert report.year == YEAR and report.unit == "云岭市财政局"
        assert report.t3 == expected["t3"]
        assert report.t4 == expected["t4"]
        assert report.t2["licensing.decisions"] == 125
        assert str(report.t2["fees.amount_wan"]) == "1.25"
        assert "政策解读形式还不够丰富" in report.chapters["五、存在的主要问题及改进情况"]
    for fmt, ctype in (("html", "text/html"), ("pdf", "application/pdf")):
        res = client.post(build_url(ledger), data | {"action": f"download:{fmt}"})
        assert res.status_code == 200 and res["Content-Type"].startswith(ctype)
    assert not ReportDraft.objects.exists()  # checking and downloading store nothing
    assert "草稿" not in res["Content-Disposition"]


def test_a_draft_that_fails_its_checks_downloads_marked_on_every_page(client, people, ledger):
    client.force_login(people["liaison"])
    data = filled(client, ledger)
    data["t3.total_processed.natural_person"] = str(int(data["t3.total_processed.natural_person"]) + 1)
    res = client.post(build_url(ledger), data | {"action": "download:docx"})
    assert "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89" in res["Content-Disposition"]  # （草稿）in the file name
    with zipfile.ZipFile(io.BytesIO(res.content)) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert any("草稿（未通过校验" in h for h in headers)  # the section header repeats on every page
    res = client.post(build_url(ledger), data | {"action": "download:pdf"})
    pdf = pypdfium2.PdfDocument(res.content)
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(pages) >= 2 and all("草稿" in text for text in pages)
    res = client.post(build_url(ledger), data | {"action": "download:xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(res.content)).active
    assert "草稿" in ws.oddHeader.center.text and str(ws["A1"].value).startswith("【草稿】")


def test_an_inconsistent_table_three_shows_the_rule_and_highlights_the_cell(client, people, ledger):
    client.force_login(people["liaison"])
    data = filled(client, ledger)
    data["t3.total_processed.natural_person"] = str(int(data["t3.total_processed.natural_person"]) + 1)
    res = client.post(build_url(ledger), data | {"action": "check"})
    page = res.content.decode()
    rules = {p["rule"] for p in res.context["problems"] if p["severity"] == "error"}
    assert {"T3-RESULTTOTAL", "T3-IDENTITY", "T3-ROWSUM"} <= rules
    assert "表三办理结果合计" in page and "表三自然人列：各项办理结果之和为2，与（七）总计3不符" in page
    assert "T3-RESULTTOTAL" not in page  # users read the rule's name, not its id
    cell = re.search(
        r'<td class="num ([a-z]+)"[^>]*><input[^>]*name="t3\.total_processed\.natural_person"', page
    )
    assert cell and cell.group(1) == "bad"
    # An untouched consistent cell is not highlighted.
    assert not re.search(r'<td class="num bad"[^>]*><input[^>]*name="t3\.granted\.research"', page)
    # The entered value is kept on the page, and the changed cell shows the ledger's number.
    assert 'name="t3.total_processed.natural_person" value="3"' in page
    assert "台账：2" in page

    # Archiving a report with errors saves the draft but does not record it as the unit's report.
    res = client.post(build_url(ledger), data | {"action": "archive"}, follow=True)
    assert "未归档" in res.content.decode()
    assert ReportDraft.objects.filter(unit=ledger, year=YEAR).exists()
    assert not ReportRecord.objects.exists()


def test_missing_chapter_is_reported_on_the_chapter(client, people, ledger):
    client.force_login(people["liaison"])
    data = filled(client, ledger) | {"ch5": "  "}
    res = client.post(build_url(ledger), data | {"action": "check"})
    missing = [p for p in res.context["problems"] if p["rule"] == "CH-MISSING"]
    assert len(missing) == 1 and "五" in missing[0]["message"]
    assert res.context["chapters"][1]["state"] == "bad"


def test_build_page_is_scoped_by_role_and_unit(client, city, people, ledger):
    other = build_url(city["education"])
    client.force_login(people["liaison"])
    assert client.get(other).status_code == 404
    assert client.post(other, {"action": "save"}).status_code == 404
    assert not ReportDraft.objects.exists()
    assert "云岭市教育局" not in client.get(reverse("annual:build")).content.decode()

    client.force_login(people["readonly"])
    assert client.get(reverse("annual:build")).status_code == 403
    assert client.get(build_url(ledger)).status_code == 403

    client.force_login(people["county_liaison"])
    assert client.get(build_url(city["township"])).status_code == 200
    assert client.get(build_url(city["finance"])).status_code == 404

    for role in ("evaluator", "admin"):
        client.force_login(people[role])
        assert client.get(build_url(city["education"])).status_code == 200
        assert client.get(build_url(ledger)).status_code == 200
        assert "编制年报" in client.get(reverse("annual:index")).content.decode()


def test_saving_twice_updates_the_draft_and_archiving_adds_it_to_the_units_history(client, people, ledger):
    client.force_login(people["liaison"])
    data = filled(client, ledger)
    res = client.post(build_url(ledger), data | {"action": "save"})
    assert res.status_code == 302
    draft = ReportDraft.objects.get(unit=ledger, year=YEAR)
    assert draft.tables["t2"]["licensing.decisions"] == 125 and draft.author == people["liaison"]

    data["t2.licensing.decisions"] = "130"
    client.post(build_url(ledger), data | {"action": "save"})
    draft.refresh_from_db()
    assert draft.tables["t2"]["licensing.decisions"] == 130
    assert ReportDraft.objects.count() == 1
    assert draft.history.count() == 2
    assert [h.tables["t2"]["licensing.decisions"] for h in draft.history.order_by("history_id")] == [125, 130]

    # The saved draft is what the page shows next time.
    res = client.get(build_url(ledger))
    assert form_data(res)["t2.licensing.decisions"] == "130"
    assert form_data(res)["ch5"] == CHAPTERS["ch5"]

    res = client.post(build_url(ledger), data | {"action": "archive"}, follow=True)
    record = ReportRecord.objects.get(unit=ledger, year=YEAR)
    assert res.redirect_chain[-1][0] == record.get_absolute_url()
    assert record.errors == 0 and record.kind == "docx" and record.source_name.endswith(".docx")
    assert record.tables["t3"] == foi_services.tables_for([ledger], YEAR)["t3"]
    assert record.uploaded_by == people["liaison"]
    draft.refresh_from_db()
    assert draft.record == record
    assert "打开编制页" in res.content.decode()

    page = client.get(reverse("annual:history", args=[ledger.pk])).content.decode()
    assert f'href="{record.get_absolute_url()}">{YEAR}</a>' in page
    assert "已归档" in page
    csv = client.get(reverse("annual:export", args=["csv"])).content.decode("utf-8-sig")
    assert "云岭市财政局" in csv and str(YEAR) in csv


def test_bad_cells_get_chinese_errors_and_the_saved_draft_is_unchanged(client, people, ledger):
    client.force_login(people["liaison"])
    data = filled(client, ledger)
    client.post(build_url(ledger), data | {"action": "save"})
    draft = ReportDraft.objects.get(unit=ledger, year=YEAR)
    before = (draft.tables, draft.chapters, draft.history.count())

    bad = data | {
        "t3.granted.natural_person": "abc",
        "t4.review.pending": "-1",
        "t2.fees.amount_wan": "1.5万",
        "ch6": "很长" * 10001,
    }
    res = client.post(build_url(ledger), bad | {"action": "save"})
    assert res.status_code == 200
    page = res.content.decode()
    assert "表三「（一）予以公开」自然人列：「abc」不是数字" in page
    assert "表四「行政复议·尚未审结」：不能为负数" in page
    assert "表二「行政事业性收费·本年收费金额（单位：万元）」：「1.5万」不是数字" in page
    assert "六、其他需要报告的事项：正文不能超过 20000 字" in page
    assert "本次未保存" in page
    # What the user typed stays on the page.
    assert 'value="abc"' in page
    draft.refresh_from_db()
    assert (draft.tables, draft.chapters, draft.history.count()) == before

    # The same input in check or download is refused the same way.
    res = client.post(build_url(ledger), bad | {"action": "download:docx"})
    assert res.status_code == 200 and "不是数字" in res.content.decode()


def test_cells_accept_blanks_and_full_width_digits_but_not_fractions(client, people, ledger):
    client.force_login(people["admin"])
    data = filled(client, ledger) | {"t2.regulations.made": "/", "t2.coercion.decisions": "１２"}
    client.post(build_url(ledger), data | {"action": "save"})
    t2 = ReportDraft.objects.get().tables["t2"]
    assert t2["regulations.made"] is None and t2["coercion.decisions"] == 12
    res = client.post(build_url(ledger), data | {"t2.coercion.decisions": "1.5", "action": "check"})
    assert "表二「行政强制·本年处理决定数量」：应为整数" in res.content.decode()


def test_a_year_before_the_2021_layout_is_refused_with_a_message(client, people, ledger):
    client.force_login(people["liaison"])
    res = client.get(build_url(ledger, 2019))
    assert res.status_code == 200 and "年度须为2021年及以后" in res.content.decode()
