"""The own-password form reads in Chinese: labels, help texts and error messages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db]

ENGLISH = ("Old password", "New password", "Password confirmation", "password", "Password", "characters")


def _visible_text(html: str) -> str:
    main = html[html.find("<main") : html.find("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_empty_form_has_no_english(people):
    client = Client()
    client.force_login(people["liaison"])
    text = _visible_text(client.get("/accounts/password/").content.decode())
    assert "旧密码：" in text and "新密码：" in text
    assert "8 个字符" in text  # the password rules, as Django's validators word them in Chinese
    for word in ENGLISH:
        assert word not in text


def test_errors_are_in_chinese(people):
    client = Client()
    client.force_login(people["liaison"])
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong-one", "new_password1": "12345678", "new_password2": "87654321"},
    )
    text = _visible_text(response.content.decode())
    assert "旧密码" in text and ("不正确" in text or "错误" in text)
    for word in ENGLISH:
        assert word not in text


def test_a_weak_new_password_is_refused_in_chinese(people):
    client = Client()
    client.force_login(people["liaison"])
    response = client.post(
        "/accounts/password/",
        {"old_password": "pass-1234567", "new_password1": "1234", "new_password2": "1234"},
    )
    text = _visible_text(response.content.decode())
    assert "太短" in text and "只包含数字" in text
    for word in ENGLISH:
        assert word not in text


def test_a_password_like_the_username_is_refused_in_chinese(people):
    client = Client()
    client.force_login(people["liaison"])
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pass-1234567",
            "new_password1": "finance_liaison",
            "new_password2": "finance_liaison",
        },
    )
    text = _visible_text(response.content.decode())
    assert "太相似" in text
    for word in ENGLISH:
        assert word not in text
