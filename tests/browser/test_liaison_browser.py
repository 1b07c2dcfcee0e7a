"""A liaison logs in with a real browser, sees its own unit, and is refused another unit's page."""

from __future__ import annotations

import pytest

from gongkai.web.testing import make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_sees_own_unit_and_is_refused_another(page, live_server, login):
    own = make_unit("云岭市财政局", website="http://czj.example.gov.cn/")
    other = make_unit("云岭市教育局")
    make_user("caizheng", "liaison", unit=own)

    login("caizheng")
    assert "单位联络员" in page.inner_text("header")
    page.click("text=单位")
    table = page.locator("table.table").inner_text()
    assert "云岭市财政局" in table and "云岭市教育局" not in table
    page.click("text=云岭市财政局")
    assert page.locator("h1").inner_text().startswith("云岭市财政局")

    response = page.goto(f"{live_server.url}/units/{other.pk}/")
    assert response.status == 404
    assert "云岭市教育局" not in page.content()
    response = page.goto(f"{live_server.url}/units/{own.pk}/edit/")
    assert response.status == 403
    assert "无权" in page.inner_text("main")


def test_wrong_password_shows_a_chinese_message(page, live_server):
    make_user("caizheng", "liaison", unit=make_unit("云岭市财政局"))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "caizheng")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("main")
