from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongkai.web.foi import services


@pytest.fixture(autouse=True)
def fresh_platform_calendar():
    """The platform calendar is cached per process; a rolled-back test must not leave its years behind."""
    from gongkai.web.foi.calendar_source import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make_app(db):
    counter = {"n": 0}

    def make(unit, received=date(2025, 9, 26), events=(), **kw):
        counter["n"] += 1
        data = {
            "number": kw.pop("number", f"T-{counter['n']:04d}"),
            "applicant_type": kw.pop("applicant_type", "natural_person"),
            "applicant_name": kw.pop("applicant_name", "张三"),
            "channel": "in_person",
            "submitted_on": received,
            "content": kw.pop("content", "某路段改造项目批复文件"),
            **kw,
        }
        return services.create_application(unit, data, events)

    return make
