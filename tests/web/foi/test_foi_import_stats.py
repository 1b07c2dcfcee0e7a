"""Excel import (all or nothing, row-level errors), tables 三/四 from the ledger against an independent
count, the statistics download, and the demo ledger."""

from __future__ import annotations

import io
import json
import random
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from tests.web.foi.conftest import client_for

from gongkai.foi import APPLICANT_TYPES, OUTCOMES, AppRecord, CaseRecord, tables_from_records
from gongkai.foi.tables import check_tables
from gongkai.foi.timeline import Event
from gongkai.web.foi import services
from gongkai.web.foi.io import COLUMNS, ImportRejected, import_ledger
from gongkai.web.foi.models import Application, Case

pytestmark = pytest.mark.django_db
HEADER = [h for h, _f, _r in COLUMNS]


def xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    "2024-001",
    "自然人",
    "张三",
    "",
    "13800000000",
    "当面提交",
    "2024-04-28",
    None,
    None,
    "预算文件",
    None,
    None,
    "2024-05-20",
    "予以公开",
]


def test_a_clean_ledger_is_imported_with_outcomes_and_due_dates(city):
    second = [
        "2024-002",
        "商业企业",
        "某公司",
        "",
        "",
        "互联网渠道",
        "2024-04-27",
        None,
        "2024-04-28",
        "环评文件",
        20,
        "王主任",
        None,
        None,
    ]
    assert import_ledger(city["finance"], xlsx([GOOD, second])) == 2
    first = Application.objects.get(number="2024-001")
    assert first.outcome == "granted"
    assert first.state == "replied"
    assert first.due_on == date(2024, 5, 28)  # received on the 调休 Sunday 2024-04-28
    ext = Application.objects.get(number="2024-002")
    assert ext.received_on == date(2024, 4, 28)
    assert ext.due_on == date(2024, 6, 26)  # 40 working days


def test_a_file_with_one_bad_row_is_rejected_whole_with_row_level_errors(city):
    bad_date = [
        "2024-003",
        "自然人",
        "李四",
        "",
        "",
        "当面提交",
        "2024-13-01",
        None,
        None,
        "文件",
        None,
        None,
        None,
        None,
    ]
    bad_type = [
        "2024-004",
        "外星人",
        "王五",
        "",
        "",
        "当面提交",
        "2024-05-06",
        None,
        None,
        "文件",
        None,
        None,
        None,
        None,
    ]
    reply_before = [
        "2024-005",
        "自然人",
        "赵六",
        "",
        "",
        "当面提交",
        "2024-05-06",
        None,
        None,
        "文件",
        None,
        None,
        "2024-05-01",
        "予以公开",
    ]
    over_extension = [
        "2024-006",
        "自然人",
        "钱七",
        "",
        "",
        "当面提交",
        "2024-05-06",
        None,
        None,
        "文件",
        25,
        "甲",
        None,
        None,
    ]
    missing = [
        "2024-007",
        "自然人",
        None,
        "",
        "",
        "传真",
        "2024-05-06",
        None,
        None,
        "文件",
        None,
        None,
        None,
        None,
    ]
    with pytest.raises(ImportRejected) as info:
        import_ledger(
            city["finance"], xlsx([GOOD, bad_date, bad_type, reply_before, over_extension, missing, GOOD])
        )
    errors = "\n".join(info.value.errors)
    assert "第 3 行“提交日期”" in errors
    assert "第 4 行“申请人类型”：无法识别的值“外星人”" in errors
    assert "第 5 行" in errors and "早于收到申请日期" in errors
    assert "第 6 行" in errors and "超过条例第三十三条" in errors
    assert "第 7 行“申请人”：必填" in errors
    assert "第 8 行“申请编号”：2024-001 与第 2 行重复" in errors
    assert Application.objects.count() == 0  # nothing half-imported


def test_a_file_that_is_not_a_workbook_is_rejected(city):
    with pytest.raises(ImportRejected, match="不是有效的 .xlsx"):
        import_ledger(city["finance"], b"%PDF-1.4 not a workbook")


def test_import_page_shows_the_errors_and_liaison_cannot_import_into_another_unit(city, people):
    client = client_for(people["liaison"])
    upload = io.BytesIO(xlsx([GOOD[:2] + [None] + GOOD[3:]]))
    upload.name = "ledger.xlsx"
    response = client.post(reverse("foi:import"), {"unit": city["finance"].pk, "file": upload})
    assert "第 2 行“申请人”：必填" in response.content.decode()
    upload = io.BytesIO(xlsx([GOOD]))
    upload.name = "ledger.xlsx"
    client.post(reverse("foi:import"), {"unit": city["education"].pk, "file": upload})
    assert not Application.objects.filter(unit=city["education"]).exists()


def _generate(unit, n, seed):
    """Bulk-insert n applications with random dates and outcomes; returns the same as plain records."""
    rng = random.Random(seed)
    rows, records = [], []
    for i in range(n):
        received = date(2023, 1, 2) + timedelta(days=rng.randrange(3 * 365))
        replied = None if rng.random() < 0.08 else received + timedelta(days=rng.randrange(50))
        outcome = rng.choice(list(OUTCOMES)) if replied else ""
        atype = rng.choice(list(APPLICANT_TYPES))
        rows.append(
            Application(
                unit=unit,
                number=f"G-{i}",
                applicant_type=atype,
                applicant_name="甲",
                channel="in_person",
                submitted_on=received,
                received_on=received,
                replied_on=replied,
                outcome=outcome,
                state="replied" if replied else "processing",
                content="x",
            )
        )
        records.append(AppRecord(atype, received, replied, outcome))
    Application.objects.bulk_create(rows, batch_size=1000)
    apps = list(Application.objects.filter(unit=unit).order_by("id")[: n // 10])
    cases = []
    for app in apps:
        filed = app.received_on + timedelta(days=rng.randrange(30, 200))
        decided = filed + timedelta(days=rng.randrange(20, 300)) if rng.random() < 0.7 else None
        result = rng.choice(["upheld", "corrected", "other"]) if decided else ""
        kind = rng.choice(["review", "litigation_direct", "litigation_after_review"])
        cases.append(Case(application=app, kind=kind, filed_on=filed, result=result, decided_on=decided))
    Case.objects.bulk_create(cases)
    return records, [CaseRecord(c.kind, c.filed_on, c.result, c.decided_on) for c in cases]


def test_tables_from_a_generated_ledger_equal_an_independent_count(city):
    records, cases = _generate(city["finance"], 4000, seed=11)
    _generate(city["education"], 500, seed=12)  # another unit's ledger must not leak in
    for year in (2023, 2024, 2025):
        tables = services.tables_for([city["finance"]], year)
        assert tables == tables_from_records(records, cases, year)
        assert check_tables(tables) == []
        first, last = date(year, 1, 1), date(year, 12, 31)
        # Independent count of a few cells straight from the records.
        new_total = sum(1 for r in records if first <= r.received <= last)
        open_at_end = sum(
            1
            for r in records
            if r.received <= last
            and (r.replied is None or r.replied > last)
            and not (r.replied is not None and r.replied < first)
        )
        granted_np = sum(
            1
            for r in records
            if r.outcome == "granted"
            and r.applicant_type == "natural_person"
            and r.replied
            and first <= r.replied <= last
        )
        reviews = sum(1 for c in cases if c.kind == "review" and c.filed.year == year)
        assert tables["t3"]["new_received"][6] == new_total
        assert tables["t3"]["carried_forward"][6] == open_at_end
        assert tables["t3"]["granted"][0] == granted_np
        assert tables["t4"][4] == reviews


def test_stats_json_download_is_scoped_to_visible_units(city, people, make_app):
    make_app(city["finance"], received=date(2025, 3, 3))
    make_app(city["education"], received=date(2025, 3, 3))
    client = client_for(people["liaison"])
    response = client.get(reverse("foi:stats"), {"unit": city["finance"].pk, "year": 2025, "format": "json"})
    payload = json.loads(response.content)
    assert payload["tables"]["t3"]["new_received"] == [1, 0, 0, 0, 0, 0, 1]
    assert len(payload["tables"]["t4"]) == 15
    response = client.get(
        reverse("foi:stats"), {"unit": city["education"].pk, "year": 2025, "format": "json"}
    )
    assert response["Content-Type"].startswith("text/html")  # the form refuses a unit it cannot see


def test_demo_ledger_has_overdue_due_soon_and_paused_items(city, people):
    from gongkai.web.foi.demo import load_demo

    today = date(2026, 11, 20)  # a fixed day inside the calendar data
    lines = load_demo([city["finance"]], today=today)
    assert "演示台账" in lines[-1]
    lists = services.work_lists(Application.objects.all(), today)
    assert lists["overdue"] and lists["due_soon"] and lists["paused"]
    # 40 working days from 2026-11-20 reach 2027, whose schedule is not confirmed: a 暂定 deadline.
    assert lists["provisional"] and all(i.app.due_on.year == 2027 for i in lists["provisional"])
    assert any("/foi/calendar/" in line for line in lines)
    assert all(item.days_left < 0 for item in lists["overdue"])
    assert all(0 <= item.days_left <= 5 for item in lists["due_soon"])
    assert (
        Application.objects.filter(state="replied").count()
        + Application.objects.filter(state="delivered").count()
        >= 25
    )
    assert client_for(people["liaison"]).get(reverse("foi:index")).status_code == 200


def test_stats_page_shows_the_tables_and_hands_them_to_the_annual_writer(city, people, make_app):
    make_app(city["finance"], received=date(2025, 3, 3))
    client = client_for(people["admin"])
    params = {"unit": city["finance"].pk, "year": 2025}
    body = client.get(reverse("foi:stats"), params).content.decode()
    assert "一、本年新收政府信息公开申请数量" in body
    assert "勾稽关系全部成立" in body
    write = pytest.importorskip("gongkai.annual.write")
    assert write is not None
    response = client.get(reverse("foi:stats"), {**params, "format": "xlsx"})
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert any(isinstance(v, str) and "本年新收" in v for v in values)
    response = client.get(reverse("foi:stats"), {**params, "format": "docx"})
    assert response["Content-Type"].endswith("wordprocessingml.document")


def test_calendar_page_lists_known_years_for_the_admin(people):
    body = client_for(people["admin"]).get(reverse("foi:calendar")).content.decode()
    assert "2004–2026" in body


def test_a_paused_application_without_a_due_date_is_listed_as_paused(city, make_app):
    """While a consultation suspends the clock the due date may be unknown; the work list still shows it as paused
    (it used to fall into "unknown", and the demo ledger sometimes had no paused item at all)."""
    today = date(2026, 11, 20)
    app = make_app(
        city["finance"],
        received=date(2026, 11, 10),
        events=[Event("consultation_sent", date(2026, 11, 18), consult="agency")],
    )
    app.due_on = None  # as the ledger stores it when the clock is suspended without a known restart
    app.save(update_fields=["due_on"])
    lists = services.work_lists(Application.objects.filter(pk=app.pk), today)
    assert [item.app.pk for item in lists["paused"]] == [app.pk]
    assert lists["paused"][0].days_left is None and not lists["unknown"]
