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
