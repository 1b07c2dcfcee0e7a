"""The ledger's daily work: paused clocks shown as paused, future dates refused, one Chinese date
form in notices, Excel export that the import reads back, and overview counts that link to their lists."""

import io
from datetime import date

from django.urls import reverse
from docx import Document as DocxDocument
from tests.web.foi.conftest import client_for

from gongkai.foi import Event
from gongkai.web.foi import services, views
from gongkai.web.foi.io import COLUMNS, EXPORT_EXTRA, import_ledger
from gongkai.web.foi.models import Application, Document

TODAY = date(2026, 12, 7)


def _fix_today(monkeypatch):
    monkeypatch.setattr(views, "_today", lambda: TODAY)


def test_paused_application_shows_days_used_and_left_not_a_countdown(people, city, make_app, monkeypatch):
    _fix_today(monkeypatch)
    # Received Mon 2026-11-02; consultation sent Mon 2026-11-16: Nov 3-6(4) 9-13(9) 16(10) -> used 10, left 10
    app = make_app(
        city["finance"],
        received=date(2026, 11, 2),
        events=[Event("consultation_sent", date(2026, 11, 16), consult="third_party")],
    )
    assert (app.state, app.paused_since, app.clock_used, app.clock_left) == (
        "paused",
        date(2026, 11, 16),
        10,
        10,
    )
    client = client_for(people["liaison"])
    detail = client.get(reverse("foi:detail", args=[app.pk])).content.decode()
    assert "暂停计时：自2026年11月16日起，已用 10 个工作日，剩余 10 个工作日" in detail
    index = client.get(reverse("foi:index")).content.decode()
    assert "已用 10，剩余 10" in index
    # The answer restarts the clock: no longer paused.
    services.add_event(app, Event("consultation_answered", date(2026, 11, 20), consult="third_party"))
    app.refresh_from_db()
    assert app.paused_since is None and app.clock_used is None


def test_correction_pending_is_shown_as_waiting_for_the_corrected_request(
    people, city, make_app, monkeypatch
):
    _fix_today(monkeypatch)
    app = make_app(
        city["finance"], received=date(2026, 11, 2), events=[Event("correction_sent", date(2026, 11, 4))]
    )
    assert app.state == "correction" and app.clock_used == 2 and app.clock_left is None
    detail = client_for(people["liaison"]).get(reverse("foi:detail", args=[app.pk])).content.decode()
    assert "收到补正材料后重新起算答复期限" in detail


def test_events_dated_in_the_future_are_refused_with_a_clear_message(people, city, make_app, monkeypatch):
    _fix_today(monkeypatch)
    app = make_app(city["finance"], received=date(2026, 12, 1))
    client = client_for(people["liaison"])
    response = client.post(
        reverse("foi:add_event", args=[app.pk]), {"kind": "correction_sent", "on": "2026-12-21"}, follow=True
    )
    assert "2026年12月21日 晚于今天（2026年12月7日）" in response.content.decode()
    assert app.events.count() == 1
    created = client.post(
        reverse("foi:create"),
        {
            "unit": city["finance"].pk,
            "number": "F-1",
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "channel": "in_person",
            "submitted_on": "2026-12-09",
            "content": "某文件",
        },
    )
    assert "尚未发生" in created.content.decode()
    assert not Application.objects.filter(number="F-1").exists()


def test_notice_dates_take_one_chinese_form_and_a_provisional_due_date_says_so(
    people, city, make_app, monkeypatch
):
    _fix_today(monkeypatch)
    app = make_app(city["finance"], received=date(2026, 12, 7))
    assert app.due_on == date(2027, 1, 5) and app.due_provisional
    assert app.due_label == "2027-01-05（暂定）"  # the platform-wide reminder panel shows this
    client = client_for(people["liaison"])
    client.post(
        reverse("foi:make_notice", args=[app.pk]),
        {"kind": "correction", "correction_items": "请写明文件名称", "correction_deadline": "2026-12-21"},
    )
    doc = Document.objects.get(application=app)
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(doc.file.read())).paragraphs)
    assert "2026年12月7日" in text and "2026年12月21日" in text
    assert "2026-12" not in text and "年12月07日" not in text
    client.post(reverse("foi:make_notice", args=[app.pk]), {"kind": "extension"})
    ext = Document.objects.filter(application=app, kind="extension").get()
    ext_text = "\n".join(p.text for p in DocxDocument(io.BytesIO(ext.file.read())).paragraphs)
    assert "2027年1月5日（暂定，以国务院公布的放假安排为准）" in ext_text


def test_export_has_the_import_columns_and_round_trips(people, city, make_app):
    a = make_app(city["finance"], received=date(2025, 9, 26), applicant_name="王五", phone="13800000000")
    services.add_event(a, Event("extended", date(2025, 10, 20), days=10, approver="王主任"))
    services.add_event(a, Event("replied", date(2025, 11, 3), outcome="denied.process_info"))
    make_app(
        city["finance"], received=date(2025, 10, 9), applicant_type="commercial", applicant_name="某公司"
    )
    make_app(city["education"], received=date(2025, 10, 10))
    client = client_for(people["admin"])
    response = client.get(reverse("foi:export"), {"unit": city["finance"].pk})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header == [h for h, _f, _r in COLUMNS] + EXPORT_EXTRA
    assert ws.max_row == 3  # the finance unit only
    # Round trip: the exported file imports into another unit with the same facts.
    assert import_ledger(city["county"], data) == 2
    fields = (
        "number",
        "applicant_type",
        "applicant_name",
        "phone",
        "channel",
        "submitted_on",
        "received_on",
        "content",
        "replied_on",
        "outcome",
        "due_on",
        "state",
    )
    original = {
        x.number: [getattr(x, f) for f in fields] for x in Application.objects.filter(unit=city["finance"])
    }
    copied = {
        x.number: [getattr(x, f) for f in fields] for x in Application.objects.filter(unit=city["county"])
    }
    assert copied == original


def test_export_filters_by_status_and_date_ranges(people, city, make_app):
    make_app(city["finance"], received=date(2025, 9, 26), number="A")
    make_app(city["finance"], received=date(2025, 11, 3), number="B")
    replied = make_app(city["finance"], received=date(2025, 11, 4), number="C")
    services.add_event(replied, Event("replied", date(2025, 11, 10), outcome="granted"))
    client = client_for(people["admin"])

    def numbers(**params):
        import openpyxl

        response = client.get(reverse("foi:export"), params)
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True))

    assert numbers(received_from="2025-11-01") == ["B", "C"]
    assert numbers(received_from="2025-11-01", state="processing") == ["B"]
    assert numbers(due_to="2025-10-31") == ["A"]  # A is due 2025-10-30
    assert numbers(open="1") == ["A", "B"]
    listed = client.get(
        reverse("foi:list"), {"received_from": "2025-11-01", "state": "processing"}
    ).content.decode()
    assert "共 1 件" in listed and "export.xlsx?received_from=2025-11-01&amp;state=processing" in listed


def test_overview_counts_link_to_the_lists_they_count(people, city, make_app, monkeypatch):
    _fix_today(monkeypatch)
    make_app(city["finance"], received=date(2026, 10, 12))  # due 2026-11-09: overdue
    make_app(city["finance"], received=date(2026, 11, 6))  # due 2026-12-04: overdue
    make_app(city["finance"], received=date(2026, 11, 9))  # due 2026-12-07: due today
    make_app(
        city["finance"], received=date(2026, 11, 20), events=[Event("correction_sent", date(2026, 11, 23))]
    )
    make_app(city["finance"], received=date(2026, 12, 7))  # provisional
    client = client_for(people["admin"])
    lists = services.work_lists(Application.objects.all(), TODAY)
    links = views._list_links(TODAY, "")
    for key in ("overdue", "due_soon", "paused", "provisional"):
        page = client.get(reverse("foi:list") + "?" + links[key]).content.decode()
        assert f"共 {len(lists[key])} 件" in page, key
        assert len(lists[key]) >= 1, key
    index = client.get(reverse("foi:index")).content.decode()
    assert links["overdue"].replace("&", "&amp;") in index


def test_platform_overview_counts_link_to_the_lists_they_count(people, city, make_app):
    from django.utils import timezone

    from gongkai.web.foi.overview import stats

    today = timezone.localdate()
    make_app(city["finance"], received=date(2025, 9, 26))  # long overdue
    make_app(city["finance"], received=today)
    client = client_for(people["admin"])
    for item in stats(people["admin"]):
        page = client.get(item["url"]).content.decode()
        assert f"共 {item['value']} 件" in page, item


def test_a_case_dated_in_the_future_is_refused(people, city, make_app, monkeypatch):
    _fix_today(monkeypatch)
    app = make_app(city["finance"], received=date(2026, 10, 12))
    client = client_for(people["liaison"])
    response = client.post(
        reverse("foi:add_case", args=[app.pk]), {"kind": "review", "filed_on": "2026-12-20"}, follow=True
    )
    assert "晚于今天（2026年12月7日）" in response.content.decode()
    assert not app.cases.exists()
    client.post(reverse("foi:add_case", args=[app.pk]), {"kind": "review", "filed_on": "2026-12-01"})
    assert app.cases.count() == 1
