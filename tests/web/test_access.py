"""Role scoping: a liaison reads and changes only its own unit (and sub-units when granted), whatever URL it
crafts; read-only users change nothing; only administrators manage units and users."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.web.accounts.access import can_edit, scope, visible_units
from gongkai.web.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_liaison_sees_only_its_unit(city, people):
    assert list(visible_units(people["liaison"])) == [city["finance"]]


def test_liaison_with_subunits_sees_its_townships(city, people):
    names = {u.name for u in visible_units(people["county_liaison"])}
    assert names == {"云岭市南湖县人民政府", "云岭市南湖县白水镇人民政府"}


def test_other_roles_see_every_unit(city, people):
    for role in ("admin", "evaluator", "readonly"):
        assert visible_units(people[role]).count() == 4


def test_scope_filters_related_records_by_unit(city, people):
    profiles_qs = Unit.objects.all()
    assert list(scope(profiles_qs, people["liaison"], field="pk")) == [city["finance"]]


def test_can_edit_follows_roles(city, people):
    assert can_edit(people["admin"], city["education"])
    assert can_edit(people["liaison"], city["finance"])
    assert not can_edit(people["liaison"], city["education"])
    assert not can_edit(people["readonly"], city["finance"])


def test_liaison_gets_404_for_another_units_page(city, people):
    client = client_for(people["liaison"])
    assert client.get(f"/units/{city['finance'].pk}/").status_code == 200
    response = client.get(f"/units/{city['education'].pk}/")
    assert response.status_code == 404
    assert "云岭市教育局" not in response.content.decode()


def test_liaison_unit_list_and_export_hold_only_its_unit(city, people):
    client = client_for(people["liaison"])
    page = client.get("/units/").content.decode()
    assert "云岭市财政局" in page and "云岭市教育局" not in page
    export = client.get("/units/export.csv").content.decode("utf-8-sig")
    assert "云岭市财政局" in export and "云岭市教育局" not in export


def test_liaison_cannot_change_units_even_its_own(city, people):
    client = client_for(people["liaison"])
    response = client.post(f"/units/{city['education'].pk}/edit/", {"name": "改名", "group": "department"})
    assert response.status_code == 403
    assert client.post(f"/units/{city['finance'].pk}/edit/", {"name": "改名"}).status_code == 403
    assert Unit.objects.filter(name="改名").count() == 0


def test_readonly_and_evaluator_cannot_create_units_or_manage_users(people):
    for role in ("readonly", "evaluator"):
        client = client_for(people[role])
        assert client.post("/units/new/", {"name": "新单位", "group": "department"}).status_code == 403
        assert client.get("/accounts/users/").status_code == 403
        assert client.get("/accounts/audit/").status_code == 403
    assert not Unit.objects.filter(name="新单位").exists()


def test_anonymous_user_is_sent_to_login(city):
    response = Client().get(f"/units/{city['finance'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_admin_creates_and_edits_a_unit(people):
    client = client_for(people["admin"])
    response = client.post(
        "/units/new/",
        {
            "name": "云岭市统计局",
            "short_name": "市统计局",
            "group": "department",
            "level": "city",
            "key_areas_text": "统计信息、财政预决算",
            "active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="云岭市统计局")
    assert unit.key_areas == ["统计信息", "财政预决算"]


def test_unit_cannot_become_its_own_ancestor(city, people):
    client = client_for(people["admin"])
    county = city["county"]
    response = client.post(
        f"/units/{county.pk}/edit/",
        {
            "name": county.name,
            "group": "county",
            "level": "county",
            "parent": city["township"].pk,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    county.refresh_from_db()
    assert county.parent is None


def test_liaison_account_needs_a_unit(people):
    client = client_for(people["admin"])
    response = client.post("/accounts/users/new/", {"username": "x1", "role": "liaison", "is_active": "on"})
    assert "单位联络员必须指定所属单位" in response.content.decode()


def test_admin_creates_a_liaison_with_a_one_time_password(city, people):
    client = client_for(people["admin"])
    response = client.post(
        "/accounts/users/new/",
        {"username": "jyj", "role": "liaison", "unit": city["education"].pk, "is_active": "on"},
        follow=True,
    )
    assert "一次性密码" in response.content.decode()
    new_user = type(people["admin"]).objects.get(username="jyj")
    assert list(visible_units(new_user)) == [city["education"]]
    assert new_user.profile.must_change_password


def test_a_one_time_password_must_be_replaced_first(people):
    user = people["liaison"]
    user.profile.must_change_password = True
    user.profile.save()
    client = client_for(user)
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pass-1234567",
            "new_password1": "Yunling-2026-x",
            "new_password2": "Yunling-2026-x",
        },
    )
    assert response.status_code == 302
    assert client.get("/units/").status_code == 200


def test_an_oversized_upload_is_refused_before_it_is_read(people, settings):
    settings.MAX_UPLOAD_MB = 1
    client = client_for(people["admin"])
    body = b"x" * (2 * 1024 * 1024)
    response = client.generic("POST", "/units/import/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "不能超过 1 MB" in response.content.decode()


def test_a_units_page_links_its_work_in_every_area(city, people):
    page = client_for(people["liaison"]).get(f"/units/{city['finance'].pk}/").content.decode()
    for label in ("网站测评", "问题整改", "依申请公开", "政府信息公开年报"):
        assert label in page
