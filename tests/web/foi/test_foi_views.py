"""Ledger pages: role scoping (a liaison never reaches another unit's applications), events refused
with the domain core's message, 告知书 DOCX, calendar corrections (admin only)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from tests.web.foi.conftest import client_for

from gongkai.web.foi.models import Application, CalendarCorrection, CalendarYear, Document, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(city, make_app):
    return {
        "finance": make_app(city["finance"], applicant_name="财政申请人"),
        "education": make_app(city["education"], applicant_name="教育申请人"),
    }


def test_liaison_lists_only_its_units_applications(people, ledger):
    client = client_for(people["liaison"])
    body = client.get(reverse("foi:list")).content.decode()
    assert "财政申请人" in body
    assert "教育申请人" not in body
    body = client.get(reverse("foi:index")).content.decode()
    assert "云岭市教育局" not in body


def test_liaison_gets_404_for_another_units_application_by_crafted_url(people, ledger):
    client = client_for(people["liaison"])
    other = ledger["education"]
    assert client.get(reverse("foi:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("foi:edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("foi:add_event", args=[other.pk]),
        {"kind": "replied", "on": "2025-10-10", "outcome": "granted"},
    )
    assert response.status_code == 404
    assert client.post(reverse("foi:make_notice", args=[other.pk]), {"kind": "granted"}).status_code == 404
    assert (
        client.post(
            reverse("foi:add_case", args=[other.pk]), {"kind": "review", "filed_on": "2025-11-01"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("foi:set_fee", args=[other.pk]), {"fee_method": "by_volume", "pages": "250"}
        ).status_code
        == 404
    )
    assert not Event.objects.filter(application=other, kind="replied").exists()
    assert client.get(reverse("foi:detail", args=[ledger["finance"].pk])).status_code == 200


def test_liaison_cannot_download_another_units_document(people, ledger):
    admin = client_for(people["admin"])
    admin.post(reverse("foi:make_notice", args=[ledger["education"].pk]), {"kind": "granted"})
    doc = Document.objects.get(application=ledger["education"])
    assert client_for(people["liaison"]).get(reverse("foi:document", args=[doc.pk])).status_code == 404
    assert admin.get(reverse("foi:document", args=[doc.pk])).status_code == 200


def test_liaison_cannot_create_in_another_unit(city, people):
    client = client_for(people["liaison"])
    response = client.post(
        reverse("foi:create"),
        {
            "unit": city["education"].pk,
            "number": "X-1",
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "channel": "in_person",
            "submitted_on": "2025-09-26",
            "content": "某文件",
        },
    )
    assert response.status_code == 200  # the form refuses the unit choice
    assert not Application.objects.filter(number="X-1").exists()


def test_readonly_user_cannot_create(people):
    assert client_for(people["readonly"]).get(reverse("foi:create")).status_code == 403


def test_creating_an_application_computes_the_statutory_due_date(city, people):
    client = client_for(people["liaison"])
    response = client.post(
        reverse("foi:create"),
        {
            "unit": city["finance"].pk,
            "number": "2025-100",
            "applicant_type": "commercial",
            "applicant_name": "某公司",
            "channel": "online",
            "submitted_on": "2025-09-25",
            "confirmed_on": "2025-09-26",
            "content": "某文件",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get(number="2025-100")
    assert app.received_on == date(2025, 9, 26)  # online: the date both sides confirmed
    assert app.due_on == date(2025, 10, 30)
    assert "20 个工作日" in app.due_note


def test_online_application_without_confirmation_date_is_refused_with_the_reason(city, people):
    client = client_for(people["liaison"])
    response = client.post(
        reverse("foi:create"),
        {
            "unit": city["finance"].pk,
            "number": "2025-101",
            "applicant_type": "commercial",
            "applicant_name": "某公司",
            "channel": "online",
            "submitted_on": "2025-09-25",
            "content": "某文件",
        },
    )
    assert "双方确认之日" in response.content.decode()
    assert not Application.objects.filter(number="2025-101").exists()


def test_impossible_event_is_refused_with_the_domain_message(people, ledger):
    client = client_for(people["liaison"])
    app = ledger["finance"]
    url = reverse("foi:add_event", args=[app.pk])
    client.post(url, {"kind": "replied", "on": "2025-10-20", "outcome": "granted"})
    response = client.post(
        url, {"kind": "replied", "on": "2025-10-21", "outcome": "denied.third_party"}, follow=True
    )
    assert "已于 2025-10-20 答复" in response.content.decode()
    response = client.post(
        url, {"kind": "extended", "on": "2025-10-21", "days": "5", "approver": "甲"}, follow=True
    )
    assert "不能再登记" in response.content.decode()
    app.refresh_from_db()
    assert app.outcome == "granted"
    assert app.state == "replied"
    assert app.events.count() == 2


def test_extension_over_twenty_days_is_refused_in_the_web(people, ledger):
    client = client_for(people["liaison"])
    url = reverse("foi:add_event", args=[ledger["finance"].pk])
    client.post(url, {"kind": "extended", "on": "2025-10-20", "days": "15", "approver": "王主任"})
    response = client.post(
        url, {"kind": "extended", "on": "2025-10-21", "days": "6", "approver": "王主任"}, follow=True
    )
    assert "超过条例第三十三条" in response.content.decode()
    app = Application.objects.get(pk=ledger["finance"].pk)
    assert app.due_on == date(2025, 11, 20)  # 20 + 15: Oct 30 + Oct 31, Nov 3-7, 10-14, 17-20


def test_reply_notice_is_a_docx_with_the_applicants_facts(people, ledger):
    client = client_for(people["liaison"])
    app = ledger["finance"]
    client.post(
        reverse("foi:add_event", args=[app.pk]),
        {"kind": "replied", "on": "2025-10-20", "outcome": "denied.process_info"},
    )
    client.post(
        reverse("foi:make_notice", args=[app.pk]), {"kind": "denied", "explanation": "属于内部讨论记录"}
    )
    doc = Document.objects.get(application=app)
    response = client.get(reverse("foi:document", args=[doc.pk]))
    text = "\n".join(
        p.text for p in DocxDocument(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert "财政申请人" in text
    assert "2025年9月26日" in text
    assert "属于四类过程性信息" in text
    assert "第十六条第二款" in text


def test_edited_template_is_used_and_a_broken_one_is_refused(people, ledger):
    admin = client_for(people["admin"])
    admin.get(reverse("foi:templates"))
    from gongkai.web.foi.models import NoticeTemplate

    tpl = NoticeTemplate.objects.get(kind="granted")
    response = admin.post(
        reverse("foi:template_edit", args=[tpl.pk]), {"title": "答复", "body": "{申请人 你好"}
    )
    assert "花括号" in response.content.decode()
    admin.post(
        reverse("foi:template_edit", args=[tpl.pk]), {"title": "答复书", "body": "{申请人}：同意公开。{单位}"}
    )
    admin.post(reverse("foi:make_notice", args=[ledger["finance"].pk]), {"kind": "granted"})
    doc = Document.objects.get(application=ledger["finance"])
    text = "\n".join(p.text for p in DocxDocument(doc.file.path).paragraphs)
    assert "财政申请人：同意公开。云岭市财政局" in text


def test_fee_by_volume_and_per_request(people, ledger, make_app, city):
    client = client_for(people["liaison"])
    app = ledger["finance"]
    client.post(reverse("foi:set_fee", args=[app.pk]), {"fee_method": "by_volume", "pages": "250"})
    app.refresh_from_db()
    assert app.fee_amount == 4700
    # The same applicant's 11th request of the month costs 100 元.
    apps = [
        make_app(city["finance"], received=date(2025, 9, d), applicant_name="频繁申请人")
        for d in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15)
    ]
    client.post(reverse("foi:set_fee", args=[apps[-1].pk]), {"fee_method": "per_request"})
    apps[-1].refresh_from_db()
    assert apps[-1].fee_amount == 100
    client.post(reverse("foi:set_fee", args=[apps[0].pk]), {"fee_method": "per_request"})
    apps[0].refresh_from_db()
    assert apps[0].fee_amount == 0


def test_cli_reads_confirmed_years_from_the_platform_database(people, city, monkeypatch):
    from typer.testing import CliRunner

    from gongkai.cli import app as cli_app

    CalendarCorrection.objects.create(day=date(2027, 1, 1), is_working=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://unused")  # the platform database is the test database
    # A single correction does not make 2027 known: refused, as the contract says.
    assert CliRunner().invoke(cli_app, ["foi", "due", "--received", "2026-12-10"]).exit_code == 2
    CalendarYear.objects.create(year=2027)
    result = CliRunner().invoke(cli_app, ["foi", "due", "--received", "2026-12-10"])
    assert result.exit_code == 0, result.stderr
    # Dec 11(1) 14-18(6) 21-25(11) 28-31(15) | Jan 1 off | Jan 4-8(20)
    assert result.stdout.strip() == "2027-01-08"


def test_moving_the_receipt_after_a_reply_is_refused_and_rolled_back(people, ledger):
    client = client_for(people["liaison"])
    app = ledger["finance"]
    client.post(
        reverse("foi:add_event", args=[app.pk]), {"kind": "replied", "on": "2025-10-20", "outcome": "granted"}
    )
    response = client.post(
        reverse("foi:edit", args=[app.pk]),
        {
            "number": app.number,
            "applicant_type": "natural_person",
            "applicant_name": "财政申请人",
            "channel": "in_person",
            "submitted_on": "2025-10-24",
            "content": "某文件",
        },
    )
    assert "晚于已登记的事件“作出答复”（2025-10-20）" in response.content.decode()
    app.refresh_from_db()
    assert app.received_on == date(2025, 9, 26)
    assert app.events.get(kind="received").on == date(2025, 9, 26)


def test_county_liaison_with_subunits_sees_its_townships_ledger(city, people, make_app):
    make_app(city["township"], applicant_name="乡镇申请人")
    make_app(city["education"], applicant_name="教育申请人")
    body = client_for(people["county_liaison"]).get(reverse("foi:list")).content.decode()
    assert "乡镇申请人" in body
    assert "教育申请人" not in body


def test_reminders_include_overdue_and_nearly_due_applications_of_visible_units(city, people, make_app):
    from gongkai.web.foi.services import reminders_for

    # Received 2025-09-26, due 2025-10-30. On 2025-10-28 two working days are left.
    make_app(city["finance"], applicant_name="快到期")
    make_app(city["education"], applicant_name="他单位")
    items = reminders_for(people["liaison"], date(2025, 10, 28))
    assert [(i.app.applicant_name, i.days_left) for i in items] == [("快到期", 2)]
    items = reminders_for(people["liaison"], date(2025, 11, 3))
    assert [(i.app.applicant_name, i.days_left) for i in items] == [("快到期", -2)]
    assert reminders_for(people["liaison"], date(2025, 10, 20)) == []


def test_uploaded_reply_documents_are_kept_and_scoped(people, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people["liaison"])
    app = ledger["finance"]
    pdf = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 scanned", content_type="application/pdf")
    client.post(reverse("foi:upload", args=[app.pk]), {"title": "送达回证", "file": pdf})
    doc = Document.objects.get(application=app, kind="upload")
    response = client.get(reverse("foi:document", args=[doc.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scanned"
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("foi:upload", args=[app.pk]), {"title": "坏文件", "file": exe}, follow=True
    )
    assert "不支持的文件类型" in response.content.decode()
    other = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    assert (
        client.post(
            reverse("foi:upload", args=[ledger["education"].pk]), {"title": "x", "file": other}
        ).status_code
        == 404
    )


def test_fee_notice_pauses_the_clock_when_the_office_configures_it(people, ledger, monkeypatch):
    client = client_for(people["liaison"])
    app = ledger["finance"]
    client.post(
        reverse("foi:add_event", args=[app.pk]), {"kind": "fee_notice", "on": "2025-10-09", "amount": "300"}
    )
    client.post(reverse("foi:add_event", args=[app.pk]), {"kind": "fee_paid", "on": "2025-10-15"})
    app.refresh_from_db()
    assert app.due_on == date(2025, 10, 30)  # default: the fee window does not stop the clock
    monkeypatch.setenv("GONGKAI_FOI_FEE_PAUSES_CLOCK", "true")
    client.post(
        reverse("foi:add_event", args=[app.pk]),
        {"kind": "consultation_sent", "on": "2025-10-16", "consult": "agency"},
    )
    client.post(
        reverse("foi:add_event", args=[app.pk]),
        {"kind": "consultation_answered", "on": "2025-10-16", "consult": "agency"},
    )
    app.refresh_from_db()
    # Notice 10-09 to payment 10-15 not counted: Oct 10, 11*, 13, 14, 15 = 5 -> Oct 31, Nov 3, 4, 5, 6.
    assert app.due_on == date(2025, 11, 6)
