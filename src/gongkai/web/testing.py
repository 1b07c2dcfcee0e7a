"""Builders for tests of the web apps: units and users with a role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from gongkai.web.accounts.models import Profile
from gongkai.web.units.models import Unit


def make_unit(
    name: str = "某某市测试局", group: str = "department", parent: Unit | None = None, **kw: Any
) -> Unit:
    kw.setdefault("short_name", name[:4])
    return Unit.objects.create(name=name, group=group, parent=parent, **kw)


def make_user(
    username: str,
    role: str,
    unit: Unit | None = None,
    password: str = "pass-1234567",
    include_subunits: bool = False,
) -> Any:
    is_admin = role == "admin"
    user = get_user_model().objects.create_user(
        username=username, password=password, is_staff=is_admin, is_superuser=is_admin
    )
    Profile.objects.create(user=user, role=role, unit=unit, include_subunits=include_subunits)
    return user
