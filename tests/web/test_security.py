"""Login protection, security headers, secure cookies, Chinese password messages and one-line 403 logs."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db
RIGHT = "pass-1234567"
WEB = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "web"


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(people):
    client = Client()
    for _ in range(4):
        assert _login(client, "admin1", "wrong-password").status_code == 200
    assert _login(client, "admin1", "wrong-password").status_code == 429  # the fifth failure locks
    response = _login(client, "admin1", RIGHT)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "连续 5 次登录失败" in page and "15 分钟后可再试" in page
    assert not _logged_in(client)


def test_the_account_lock_holds_from_another_address(people):
    for i in range(5):
        _login(Client(), "eval1", "wrong-password", address=f"10.0.1.{i}")
    client = Client()
    assert _login(client, "eval1", RIGHT, address="10.0.2.9").status_code == 429
    assert not _logged_in(client)


def test_an_address_is_locked_after_failures_on_many_accounts(people):
    for i in range(5):
        _login(Client(), f"guess{i}", "wrong-password", address="10.9.9.9")
    client = Client()
    assert _login(client, "viewer", RIGHT, address="10.9.9.9").status_code == 429
    other = Client()
    assert _login(other, "viewer", RIGHT, address="10.9.9.10").status_code == 302  # another address is free


def test_fewer_failures_then_the_right_password_logs_in(people):
    client = Client()
    for _ in range(4):
        _login(client, "admin1", "wrong-password")
    assert _login(client, "admin1", RIGHT).status_code == 302
    assert _logged_in(client)


def test_the_lock_lifts_after_the_cooloff(people, settings):
    for _ in range(5):
        _login(Client(), "admin1", "wrong-password")
    assert _login(Client(), "admin1", RIGHT).status_code == 429
    # time travel: the failures happened 16 minutes ago, past the 15-minute cool-off
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=16)
        )
    client = Client()
    assert _login(client, "admin1", RIGHT).status_code == 302
    assert _logged_in(client)


def test_an_admin_unlocks_in_the_admin_site(people):
    for _ in range(5):
        _login(Client(), "eval1", "wrong-password")
    admin = Client()
    admin.force_login(people["admin"])
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "登录失败记录" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="eval1")
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client = Client()
    assert _login(client, "eval1", RIGHT).status_code == 302


def test_pages_carry_the_security_headers(people):
    client = Client()
    client.force_login(people["admin"])
    for url in ("/login/", "/", "/units/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in WEB.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*[\"']", text)]
    assert offenders == []


def _settings_under(env: dict[str, str]) -> str:
    code = (
        "from gongkai.web import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.AXES_FAILURE_LIMIT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_cookies_are_secure_behind_https_and_limits_come_from_settings():
    assert _settings_under({"GONGKAI_HTTPS": "0"}) == "False False 0 5"
    assert (
        _settings_under({"GONGKAI_HTTPS": "1", "GONGKAI_HSTS_SECONDS": "31536000"}) == "True True 31536000 5"
    )
    assert _settings_under({"GONGKAI_LOGIN_FAILURES": "3"}).endswith(" 3")


def test_password_change_messages_are_chinese(people):
    client = Client()
    client.force_login(people["readonly"])

    def attempt(old: str, new: str) -> str:
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        return client.post("/accounts/password/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "旧密码不正确" in attempt("wrong", "a-better-Passw0rd")
    page = attempt(RIGHT, "12345678")
    assert "这个密码太常见了" in page and "密码只包含数字" in page, re.findall(
        r"<ul class=\"errorlist[^>]*>.*?</ul>", page
    )


def test_a_refused_request_is_logged_as_one_line(people):
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(f.__class__.__name__ == "OneLineForbidden" for f in h.filters)
    )
    stream, old = io.StringIO(), handler.stream  # (setStream would flush a stream pytest may have closed)
    handler.stream = stream
    try:
        client = Client()
        client.force_login(people["liaison"])
        assert client.get("/accounts/audit/").status_code == 403
    finally:
        handler.stream = old
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert lines == ["Forbidden (Permission denied): /accounts/audit/"]
