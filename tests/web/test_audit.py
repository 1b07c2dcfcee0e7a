"""The audit trail keeps who changed what, when, with the values before and after."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.web.accounts.audit import recent_entries

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_unit_edit_is_recorded_with_user_and_before_after(city, people):
    client = Client()
    client.force_login(people["admin"])
    unit = city["finance"]
    client.post(
        f"/units/{unit.pk}/edit/",
        {
            "name": unit.name,
            "short_name": "财政局",
            "group": "department",
            "level": "city",
            "liaison_name": "张三",
            "active": "on",
        },
    )
    record = unit.history.first()
    assert record.history_user == people["admin"]
    changes = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert changes["liaison_name"] == ("", "张三")
    page = client.get("/accounts/audit/?model=单位").content.decode()
    assert "张三" in page and "admin1" in page


def test_role_changes_are_audited_too(city, people):
    profile = people["liaison"].profile
    profile.unit = city["education"]
    profile.save()
    entries = recent_entries(model_name="用户角色")
    assert any(any(field == "所属单位" for field, _o, _n in e.changes) for e in entries)


def test_audit_page_is_for_admins_only(people):
    client = Client()
    client.force_login(people["liaison"])
    assert client.get("/accounts/audit/").status_code == 403


def _history_rows() -> int:
    from gongkai.web.accounts.audit import history_models

    return sum(m.objects.count() for m in history_models())


def test_a_login_writes_no_history_row(people):
    before = _history_rows()
    client = Client()
    response = client.post("/login/", {"username": "admin1", "password": "pass-1234567"})
    assert response.status_code == 302
    people["admin"].refresh_from_db()
    assert people["admin"].last_login is not None  # the login time is still kept
    assert _history_rows() == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_audit_write_in_a_request_leaves_neither_the_change_nor_its_row(city, people, monkeypatch):
    from simple_history.models import HistoricalRecords

    unit = city["finance"]
    rows_before = unit.history.count()

    def broken(*_args, **_kwargs):
        raise RuntimeError("审计表写入失败")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", broken)
    client = Client(raise_request_exception=False)
    client.force_login(people["admin"])
    response = client.post(
        f"/units/{unit.pk}/edit/",
        {"name": unit.name, "short_name": "财政局", "group": "department", "level": "city", "active": "on"},
    )
    assert response.status_code == 500
    unit.refresh_from_db()
    assert unit.short_name != "财政局"
    assert unit.history.count() == rows_before


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_request_commits_with_its_row_or_not_at_all(city, monkeypatch):
    from simple_history.models import HistoricalRecords

    unit = city["education"]
    rows_before = unit.history.count()
    monkeypatch.setattr(HistoricalRecords, "create_historical_record", lambda *a, **k: 1 / 0)
    unit.short_name = "教育局"
    with pytest.raises(ZeroDivisionError):
        unit.save()  # autocommit, as in the CLI or the in-process worker
    unit.refresh_from_db()
    assert unit.short_name != "教育局" and unit.history.count() == rows_before


def test_the_log_reads_in_chinese_labels_names_and_beijing_time(city, people):
    from datetime import UTC, datetime

    profile = people["liaison"].profile
    profile.unit = city["education"]
    profile.role = "readonly"
    profile.include_subunits = True
    profile.save()
    record = profile.history.first()
    type(record).objects.filter(pk=record.pk).update(history_date=datetime(2030, 1, 1, 0, 30, tzinfo=UTC))
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/accounts/audit/?model=用户角色").content.decode()
    assert "2030-01-01 08:30:00" in page and "2030-01-01 00:30:00" not in page
    assert "<b>角色</b>：单位联络员 → 只读" in page
    assert "<b>所属单位</b>：云岭市财政局 → 云岭市教育局" in page
    assert "<b>可查看下级单位</b>：否 → 是" in page
    assert "finance_liaison（只读）" in page
    for raw in ("liaison →", "→ readonly", "Profile object", "False", "True"):
        assert raw not in page


def test_rectification_records_are_named_in_chinese(people):
    from gongkai.web.rectification.models import HuitoukanSection

    section = HuitoukanSection.objects.create(year=2026, title="政务公开问题整改回头看报告")
    section.summary = "部分单位栏目更新不及时"
    section.save()
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/accounts/audit/?model=回头看报告").content.decode()
    assert "2026年回头看报告：政务公开问题整改回头看报告" in page
    assert "<b>存在问题综述</b>：（空） → 部分单位栏目更新不及时" in page
    assert "object (" not in page


def test_changed_times_read_in_beijing_time(db):
    from datetime import UTC, datetime

    from gongkai.web.accounts.audit import _shown
    from gongkai.web.rectification.models import ProblemItem

    closed_at = ProblemItem._meta.get_field("closed_at")
    assert _shown(closed_at, datetime(2026, 3, 1, 18, 5, tzinfo=UTC)) == "2026-03-02 02:05"
    assert _shown(closed_at, None) == ""
