"""Next year's schedule in one step: paste the State Council notice, check the month grid, confirm;
the year becomes known and every provisional deadline is recomputed, with the list of what moved."""

from datetime import date
from pathlib import Path

from django.urls import reverse
from tests.web.foi.conftest import client_for

from gongkai.foi import Event
from gongkai.foi.holiday_notice import parse_notice
from gongkai.web.foi import views, yearplan
from gongkai.web.foi.models import CalendarCorrection, CalendarYear

NOTICES = Path(__file__).parents[2] / "foi" / "fixtures" / "holiday_notices"

# A 2027 notice in the State Council's wording, constructed for this test (weekdays checked):
# no real 2027 notice was available when it was written.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
"""


def _extended(app_date):
    return [Event("extended", app_date, days=20, approver="王主任")]


def test_provisional_deadline_then_confirmation_recomputes_and_lists_what_moved(people, city, make_app):
    # Received Mon 2026-12-28, extended to 40 working days.
    # Provisional 2027: Dec 29-31(3) | Jan 1 off | Jan 4-8(8) 11-15(13) 18-22(18) 25-29(23)
    # Feb 1-4(27) | 5 除夕, 8 初三 off | 9-12(31) 15-19(36) 22-25(40) -> 2027-02-25 (暂定)
    app = make_app(city["finance"], received=date(2026, 12, 28), events=_extended(date(2026, 12, 28)))
    assert app.due_on == date(2027, 2, 25) and app.due_provisional
    assert "暂定" in app.due_note and "未计调休" in app.due_note
    admin = client_for(people["admin"])
    page = admin.get(reverse("foi:calendar")).content.decode()
    assert app.number in page  # listed for review

    preview = admin.post(reverse("foi:calendar_import"), {"text": NOTICE_2027}).content.decode()
    assert "2027 年工作日日历" in preview and "调休上班日 5 天" in preview
    assert 'value="2027-02-20" checked' in preview  # the 调休 Saturday is a working day
    assert 'value="2027-02-10" checked' not in preview  # 春节 holiday on a Wednesday
    assert not CalendarYear.objects.exists()  # nothing stored before confirmation

    # Confirm exactly what the grid shows (as the browser would post it).
    schedule_days = yearplan.year_days(2027, parse_notice(NOTICE_2027))
    working = [d.day.isoformat() for d in schedule_days if d.working]
    response = admin.post(
        reverse("foi:calendar_year", args=[2027]),
        {"work": working, "labels": "{}", "source": NOTICE_2027},
        follow=True,
    )
    body = response.content.decode()
    assert "已确认 2027 年全年放假安排" in body
    # Confirmed: Feb 1-4(27) | 5-12 off | 15-19(32) | Sat 20 works (33) | 22-26(38) Mar 1(39) 2(40)
    app.refresh_from_db()
    assert app.due_on == date(2027, 3, 2) and not app.due_provisional
    record = CalendarYear.objects.get(year=2027)
    assert record.confirmed_by == "admin1"
    assert record.moved == [
        {
            "id": app.pk,
            "number": app.number,
            "unit": "云岭市财政局",
            "old": "2027-02-25",
            "new": "2027-03-02",
            "was_provisional": True,
            "provisional": False,
        }
    ]
    assert "2027-02-25" in body and "2027-03-02" in body  # the list of what moved
    # Audited: the history of the application records the recomputation and its reason.
    last = app.history.first()
    assert last.due_on == date(2027, 3, 2) and "2027 年放假安排" in (last.history_change_reason or "")
    assert CalendarCorrection.objects.filter(day=date(2027, 2, 20), is_working=True).exists()


def test_the_grid_edits_a_whole_year_and_a_partial_year_is_not_known(people, city, make_app):
    admin = client_for(people["admin"])
    # The grid of an unconfirmed year shows the provisional days: 除夕 2027-02-05 off.
    page = admin.get(reverse("foi:calendar_year", args=[2027])).content.decode()
    assert "尚未确认" in page and 'value="2027-02-05" checked' not in page
    assert 'value="2027-02-09" checked' in page  # 初四: a working day until the notice says otherwise
    # Entering one day off does not make the year known (only a whole-year confirmation does).
    CalendarCorrection.objects.create(day=date(2027, 2, 9), is_working=False)
    app = make_app(city["finance"], received=date(2026, 12, 28))
    assert app.due_provisional


def test_a_notice_that_cannot_be_read_is_refused_with_the_reason(people):
    admin = client_for(people["admin"])
    wrong_year = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("2026年", "2027年")
    response = admin.post(reverse("foi:calendar_import"), {"text": wrong_year}, follow=True)
    assert "未能读取通知" in response.content.decode() and "不是周" in response.content.decode()
    assert admin.post(reverse("foi:calendar_import"), {"text": ""}, follow=True).status_code == 200
    assert not CalendarYear.objects.exists()


def test_docx_upload_is_read(people):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    doc = Document()
    for line in NOTICE_2027.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    upload = SimpleUploadedFile("通知.docx", buf.getvalue())
    page = client_for(people["admin"]).post(reverse("foi:calendar_import"), {"file": upload}).content.decode()
    assert "2027 年工作日日历" in page


def test_only_the_administrator_confirms(people):
    liaison = client_for(people["liaison"])
    assert liaison.get(reverse("foi:calendar")).status_code == 403
    assert liaison.post(reverse("foi:calendar_year", args=[2027]), {"work": []}).status_code == 403
    assert not CalendarYear.objects.exists()


def test_reminder_from_november_while_next_year_is_missing(people, monkeypatch):
    assert yearplan.reminder(date(2026, 10, 31)) == ""
    text = yearplan.reminder(date(2026, 11, 1))
    assert "2027 年的放假安排尚未确认" in text
    monkeypatch.setattr(views, "_today", lambda: date(2026, 12, 7))
    page = client_for(people["admin"]).get(reverse("foi:index")).content.decode()
    assert "2027 年的放假安排尚未确认" in page and "导入放假安排通知" in page
    CalendarYear.objects.create(year=2027)
    assert yearplan.reminder(date(2026, 12, 7)) == ""


def test_an_adjusting_notice_is_laid_over_the_years_current_arrangement(people):
    # 国务院办公厅关于调整2019年劳动节假期安排的通知: only May changes; 春节 stays as it was.
    text = (NOTICES / "2019-adjust.txt").read_text(encoding="utf-8")
    page = client_for(people["admin"]).post(reverse("foi:calendar_import"), {"text": text}).content.decode()
    assert "这是调整通知" in page
    assert 'value="2019-05-03" checked' not in page and 'value="2019-05-05" checked' in page
    assert 'value="2019-02-05" checked' not in page  # 春节 of the existing 2019 data kept
    assert 'value="2019-02-11" checked' in page


def test_any_year_can_be_opened_in_the_grid(people):
    admin = client_for(people["admin"])
    response = admin.get(reverse("foi:calendar"), {"year": "2029"})
    assert response.status_code == 302 and response.url == reverse("foi:calendar_year", args=[2029])
    page = admin.get(response.url).content.decode()
    assert "2029 年工作日日历" in page and 'value="2029-01-01" checked' not in page  # 元旦
