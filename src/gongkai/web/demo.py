"""The bundled demo: fictional units of 云岭市 and one account per role; each capability adds its part
through a `demo.py` module in its app with `load_demo(ctx: DemoContext) -> list[str]` (lines to print)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.plugins import import_optional
from gongkai.web.accounts.models import Profile, Role
from gongkai.web.units.models import Unit

CITY = "云岭市"
DEMO_PASSWORD = "gongkai-demo-2026"

# (full name, short name, group, level, parent full name, key areas)
DEMO_UNITS: list[tuple[str, str, str, str, str, list[str]]] = [
    ("云岭市人民政府办公室", "市政府办", "department", "city", "", ["政府信息公开", "重大行政决策"]),
    ("云岭市财政局", "市财政局", "department", "city", "", ["财政预决算"]),
    ("云岭市教育局", "市教育局", "department", "city", "", ["义务教育"]),
    ("云岭市生态环境局", "市生态环境局", "department", "city", "", ["生态环境"]),
    ("云岭市市场监督管理局", "市市场监管局", "department", "city", "", ["食品药品监管", "双随机一公开"]),
    ("云岭市人力资源和社会保障局", "市人社局", "department", "city", "", ["社会保障", "就业创业"]),
    (
        "云岭市东城区人民政府",
        "东城区",
        "county",
        "county",
        "",
        ["财政预决算", "重大建设项目", "义务教育", "社会救助"],
    ),
    ("云岭市西山区人民政府", "西山区", "county", "county", "", ["财政预决算", "重大建设项目", "社会救助"]),
    (
        "云岭市南湖县人民政府",
        "南湖县",
        "county",
        "county",
        "",
        ["财政预决算", "重大建设项目", "义务教育", "社会救助"],
    ),
    ("云岭高新技术产业开发区管理委员会", "高新区管委会", "zone", "county", "", ["重大建设项目", "招商引资"]),
    ("云岭市东城区青石街道办事处", "青石街道", "township", "township", "云岭市东城区人民政府", ["社会救助"]),
    (
        "云岭市南湖县白水镇人民政府",
        "白水镇",
        "township",
        "township",
        "云岭市南湖县人民政府",
        ["社会救助", "涉农补贴"],
    ),
    ("云岭市南湖县柳塘乡人民政府", "柳塘乡", "township", "township", "云岭市南湖县人民政府", ["涉农补贴"]),
]

# (username, role, unit full name or "", include sub-units, display name)
DEMO_USERS = [
    ("admin", Role.ADMIN, "", False, "公开办管理员"),
    ("pinggu", Role.EVALUATOR, "", False, "测评员小王"),
    ("caizheng", Role.LIAISON, "云岭市财政局", False, "财政局联络员"),
    ("nanhu", Role.LIAISON, "云岭市南湖县人民政府", True, "南湖县联络员（含乡镇）"),
    ("chakan", Role.READONLY, "", False, "只读用户"),
]

# Modules that add their part of the demo, in order. Missing ones are skipped.
DEMO_MODULES = [
    "gongkai.web.evaluation.demo",
    "gongkai.web.rectification.demo",
    "gongkai.web.foi.demo",
    "gongkai.web.annual.demo",
]


@dataclass
class DemoContext:
    units: dict[str, Unit]
    users: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def load_units_and_users() -> DemoContext:
    units: dict[str, Unit] = {}
    for name, short, group, level, parent, areas in DEMO_UNITS:
        unit, _ = Unit.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "group": group,
                "level": level,
                "key_areas": areas,
                "parent": units.get(parent),
                "liaison_name": f"{short}联络员",
            },
        )
        units[name] = unit
    users: dict[str, Any] = {}
    User = get_user_model()
    for username, role, unit_name, subunits, display in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = display
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "unit": units.get(unit_name), "include_subunits": subunits}
        )
        users[username] = user
    return DemoContext(units=units, users=users)


def load_demo(options: dict[str, Any] | None = None) -> list[str]:
    """Load every part of the demo; returns lines for the console."""
    ctx = load_units_and_users()
    ctx.options.update(options or {})
    lines = [
        f"已载入演示单位 {len(ctx.units)} 个、演示账号 {len(ctx.users)} 个（密码均为 {DEMO_PASSWORD}）："
    ]
    for username, role, unit_name, _sub, display in DEMO_USERS:
        lines.append(
            f"  {username:10s} {Role(role).label:6s} {display}{('（' + unit_name + '）') if unit_name else ''}"
        )
    for name in DEMO_MODULES:
        module = import_optional(name)
        if module is not None:
            lines.extend(module.load_demo(ctx))
    return lines
