"""The bundled demo: the fictional units of 临江市 with their websites (the fleet, served on loopback) and one
account per role; each capability adds its part
through a `demo.py` module in its app with `load_demo(ctx: DemoContext) -> list[str]` (lines to print)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.plugins import import_optional
from gongkai.web.accounts.models import Profile, Role
from gongkai.web.units.models import Unit

DEMO_PASSWORD = "gongkai-demo-2026"
FLEET_SITES = 13
FLEET_SEED = 2026
FLEET_GROUPS = ("county", "department", "department", "township")
FLEET_PORT_BASE = int(os.environ.get("GONGKAI_DEMO_FLEET_PORT", "18001"))

# Key areas (重点领域) by fleet topic or group, so authority averaging has something to do in the demo.
AREAS_BY_GROUP = {
    "county": ["财政预决算", "重大建设项目", "义务教育", "社会救助", "生态环境"],
    "township": ["社会救助", "涉农补贴"],
}
AREAS_BY_TOPIC = {
    "财政": ["财政预决算"],
    "教育": ["义务教育"],
    "生态环境": ["生态环境"],
    "农业": ["涉农补贴"],
    "自然资源": ["重大建设项目"],
    "文旅": ["公共文化服务"],
}

# (username, role, how to find the unit, include sub-units, display name)
DEMO_USERS = [
    ("admin", Role.ADMIN, "", False, "公开办管理员"),
    ("pinggu", Role.EVALUATOR, "", False, "测评员小王"),
    ("pinggu2", Role.EVALUATOR, "", False, "测评员小李（复核）"),
    ("caizheng", Role.LIAISON, "市财政局", False, "财政局联络员"),
    ("quxian", Role.LIAISON, "county", True, "区县联络员（含下属乡镇）"),
    ("chakan", Role.READONLY, "", False, "只读用户"),
]

# Modules that add their part of the demo, in order. Missing ones are skipped.
DEMO_MODULES = [
    "gongkai.web.monitoring.demo",  # before the round: its check reads the week of probes
    "gongkai.web.evaluation.demo",
    "gongkai.web.rectification.demo",
    "gongkai.web.foi.demo",
    "gongkai.web.annual.demo",
    "gongkai.web.plans.demo",
]


@dataclass
class DemoContext:
    units: dict[str, Unit]
    users: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


_fleet_server = None


def fleet_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "demo-fleet"


def demo_fleet(as_of: date):
    """The demo's fleet of fictional government sites of 临江市. It is kept in the data directory, so fixes
    applied during rectification survive a restart of the demo."""
    from gongkai.fleet import Fleet, generate_fleet

    if (fleet_dir() / "fleet.json").exists():
        return Fleet.load(fleet_dir())
    fleet = generate_fleet(FLEET_SITES, seed=FLEET_SEED, as_of=as_of, groups=FLEET_GROUPS)
    fleet.save(fleet_dir())
    return fleet


def serve_fleet(fleet):
    """Serve the fleet on loopback, on fixed ports so that stored evidence links stay valid across runs."""
    global _fleet_server
    from gongkai.fleet import FleetServer

    if _fleet_server is None:
        ports = {site.name: FLEET_PORT_BASE + i for i, site in enumerate(fleet.sites)}
        monitoring = import_optional("gongkai.web.monitoring.demo")  # sites that go down on a schedule
        extra = monitoring.fleet_options(fleet) if monitoring is not None else {}
        _fleet_server = FleetServer(fleet, ports=ports, **extra).start()
    return _fleet_server


def _parent_name(site, counties: dict[str, str]) -> str:
    for prefix, full_name in counties.items():
        if site.full_name.startswith(prefix) and site.full_name != full_name:
            return full_name
    return ""


@transaction.atomic
def load_units_and_users(fleet, server) -> DemoContext:
    counties = {s.full_name.removesuffix("人民政府"): s.full_name for s in fleet.sites if s.group == "county"}
    units: dict[str, Unit] = {}
    for site in fleet.sites:
        areas = AREAS_BY_GROUP.get(site.group) or AREAS_BY_TOPIC.get(site.topic, [])
        level = {"county": "county", "township": "township"}.get(site.group, "city")
        unit, _ = Unit.objects.update_or_create(
            name=site.full_name,
            defaults={
                "short_name": site.name,
                "group": site.group,
                "level": level,
                "key_areas": areas,
                "parent": units.get(_parent_name(site, counties)),
                "website": server.url_of(site),
                "liaison_name": f"{site.name}联络员",
                "liaison_phone": f"0599-8{site.index:03d}1234",
            },
        )
        units[site.full_name] = unit
    users: dict[str, Any] = {}
    User = get_user_model()
    for username, role, unit_key, subunits, display in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = display
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        unit = _demo_unit(units, unit_key)
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "unit": unit, "include_subunits": subunits}
        )
        users[username] = user
    return DemoContext(units=units, users=users)


def _demo_unit(units: dict[str, Unit], key: str) -> Unit | None:
    if not key:
        return None
    if key in ("county", "department", "township"):
        return next((u for u in units.values() if u.group == key), None)
    return next((u for u in units.values() if u.short_name == key), None)


def load_demo(options: dict[str, Any] | None = None) -> list[str]:
    """Load every part of the demo; returns lines for the console."""
    options = dict(options or {})
    as_of = options.get("as_of") or date.today()
    fleet = demo_fleet(as_of)
    server = serve_fleet(fleet)
    ctx = load_units_and_users(fleet, server)
    ctx.options.update(options, fleet=fleet, server=server, as_of=as_of)
    lines = [
        f"演示网站群：{len(fleet.sites)} 个虚构单位的网站，运行在本机 {server.url_of(fleet.sites[0])} 起的端口上",
        f"已载入演示单位 {len(ctx.units)} 个、演示账号 {len(ctx.users)} 个（密码均为 {DEMO_PASSWORD}）：",
    ]
    for username, role, _key, _sub, display in DEMO_USERS:
        unit = ctx.users[username].profile.unit
        lines.append(f"  {username:10s} {Role(role).label:6s} {display}{f'（{unit.name}）' if unit else ''}")
    for name in DEMO_MODULES:
        module = import_optional(name)
        if module is not None:
            lines.extend(module.load_demo(ctx))
    return lines
