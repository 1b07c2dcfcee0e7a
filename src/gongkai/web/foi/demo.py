"""Demo ledger: realistic applications for each demo unit, with due-soon, overdue and paused items
relative to today, closed cases of last year (for tables 三/四) and a few 行政复议/行政诉讼.

Entry point for gongkai.web.demo: ``load_demo(ctx)``; also usable directly:
``load_demo(units)`` with a list or dict of Unit objects.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.calendar import CalendarError
from gongkai.foi import APPLICANT_TYPES, OUTCOMES, Event
from gongkai.web.foi import services
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.models import Application, Case

SUBJECTS = [
    "2025年度部门预算及“三公”经费使用明细",
    "某路段拓宽改造项目的立项批复和环评文件",
    "本村2024年度低保名单及审批材料",
    "城区老旧小区改造项目资金拨付情况",
    "某企业排污许可证及监督性监测报告",
    "2024年义务教育阶段学校招生划片方案",
    "房屋征收补偿方案及评估报告",
    "某食品生产企业抽检不合格的处罚决定书",
    "本单位2023年会议纪要",
    "某地块土地出让合同及规划条件",
]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴军"]
ORGS = {
    "commercial": ["云岭宏达建设有限公司", "云岭市鑫源商贸有限公司"],
    "research": ["云岭大学公共管理学院"],
    "social_welfare": ["云岭市绿源环保公益中心"],
    "legal_service": ["云岭正衡律师事务所"],
    "other": ["某小区业主委员会"],
}
CHANNELS = ["in_person", "post_signed", "online", "online", "online", "fax"]


def _units(arg: Any) -> list[Any]:
    if hasattr(arg, "units"):
        arg = arg.units
    if isinstance(arg, dict):
        return list(arg.values())
    return list(arg)


def _back(cal: Any, today: date, k: int) -> date:
    """The most recent working day d with exactly k working days after d up to today."""
    d = today
    while cal.working_days_between(d, today) < k or not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def _reaches_unknown_year(cal: Any, today: date) -> bool:
    """Whether an application received now and extended to 40 working days is due in a provisional year."""
    if not cal.provisional_years:
        return False
    try:
        return bool(cal.provisional_in(today, cal.add_working_days(today, 40)))
    except CalendarError:
        return False


def _applicant(rng: random.Random) -> tuple[str, str, str]:
    kind = rng.choices(list(APPLICANT_TYPES), weights=[70, 12, 4, 4, 6, 4])[0]
    if kind == "natural_person":
        return kind, rng.choice(NAMES), "身份证 5301**********" + str(rng.randrange(1000, 9999))
    return kind, rng.choice(ORGS[kind]), "统一社会信用代码 91530100" + str(rng.randrange(10**9, 10**10))


def _data(rng: random.Random, number: str, received: date) -> dict[str, Any]:
    kind, name, doc = _applicant(rng)
    channel = rng.choice(CHANNELS)
    data: dict[str, Any] = {
        "number": number,
        "applicant_type": kind,
        "applicant_name": name,
        "id_document": doc,
        "phone": f"138{rng.randrange(10**7, 10**8)}",
        "channel": channel,
        "submitted_on": received,
        "content": rng.choice(SUBJECTS),
        "requested_form": rng.choice(["纸质复印件，邮寄", "电子文档，电子邮件", "当面查阅"]),
    }
    if channel == "post_signed":
        data["signed_on"] = received
    elif channel in ("online", "fax", "post_ordinary"):
        data["confirmed_on"] = received
    return data


def _closed(rng: random.Random, cal: Any, received: date) -> list[Event]:
    key = rng.choices(
        list(OUTCOMES), weights=[40, 12, 1, 1, 1, 4, 3, 4, 2, 2, 14, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1]
    )[0]
    events: list[Event] = []
    day = received
    if key in ("unable.unclear", "other.overdue_correction"):
        day = cal.add_working_days(received, rng.randrange(2, 7))
        events.append(Event("correction_sent", day))
        if key == "unable.unclear":
            day = day + timedelta(days=rng.randrange(3, 12))
            events.append(Event("correction_received", day))
    if key == "denied.third_party":
        day = cal.add_working_days(day, rng.randrange(3, 8))
        events.append(Event("consultation_sent", day, consult="third_party"))
        day = cal.add_working_days(day, rng.randrange(5, 15))
        events.append(Event("consultation_answered", day, consult="third_party"))
    if key == "other.overdue_fee":
        day = cal.add_working_days(day, 5)
        events.append(Event("fee_notice", day, amount=Decimal(rng.choice([300, 700, 2200]))))
        day = cal.add_working_days(day, 21)
    if rng.random() < 0.1 and not events:
        day = cal.add_working_days(received, 18)
        events.append(
            Event(
                "extended",
                day,
                days=rng.choice([10, 15, 20]),
                approver="公开办主任 李明",
            )
        )
    replied = cal.add_working_days(max(day, received), rng.randrange(3, 19))
    events.append(Event("replied", replied, outcome=key))
    events.append(Event("delivered", replied + timedelta(days=rng.randrange(0, 4))))
    return events


def fill_unit(unit: Any, today: date | None = None, seed: int = 0, closed: int = 30) -> int:
    """Give one unit a ledger: closed applications over the last two years and open ones around today."""
    cal = platform_calendar()
    today = today or timezone.localdate()
    rng = random.Random(f"{unit.pk}-{seed}")
    n = 0
    year_start = date(today.year - 1, 1, 1)
    seq: dict[int, int] = {}

    def number(received: date) -> str:
        seq[received.year] = seq.get(received.year, 0) + 1
        return f"{received.year}-{seq[received.year]:03d}"

    span = max(1, (today - year_start).days - 100)
    for offset in sorted(rng.randrange(0, span) for _ in range(closed)):
        received = year_start + timedelta(days=offset)
        if not cal.is_working_day(received):
            received = cal.next_working_day(received)
        events = _closed(rng, cal, received)
        app = services.create_application(unit, _data(rng, number(received), received), events)
        if rng.random() < 0.12:
            replied = app.replied_on or received
            filed = replied + timedelta(days=rng.randrange(10, 50))
            if filed <= today:
                decided = filed + timedelta(days=rng.randrange(30, 120))
                done = decided <= today
                Case.objects.create(
                    application=app,
                    kind=rng.choice(["review", "review", "litigation_direct", "litigation_after_review"]),
                    filed_on=filed,
                    result=rng.choice(["upheld", "upheld", "corrected", "other"]) if done else "",
                    decided_on=decided if done else None,
                )
        n += 1
    # Open applications around today: overdue, due soon, paused, on time.
    open_specs = [("overdue", rng.randint(21, 28)) for _ in range(rng.randint(1, 2))]
    open_specs += [("soon", rng.randint(15, 19)) for _ in range(rng.randint(1, 3))]
    open_specs += [("fresh", rng.randint(1, 12)) for _ in range(rng.randint(1, 4))]
    open_specs += [("paused", rng.randint(4, 12)) for _ in range(rng.randint(1, 2))]
    open_specs += [("correction", rng.randint(2, 5))] if rng.random() < 0.6 else []
    open_specs += [("extended", rng.randint(22, 30))] if rng.random() < 0.5 else []
    if _reaches_unknown_year(cal, today):
        open_specs.append(("provisional", 1))  # extended to 40 working days: due in a year not yet confirmed
    open_specs.sort(key=lambda spec: -spec[1])
    for kind, ago in open_specs:
        received = _back(cal, today, ago)
        events: list[Event] = []
        if kind == "paused":
            events.append(
                Event(
                    "consultation_sent", _back(cal, today, 2), consult=rng.choice(["third_party", "agency"])
                )
            )
        elif kind == "correction":
            events.append(Event("correction_sent", _back(cal, today, 1)))
        elif kind == "extended":
            events.append(Event("extended", _back(cal, today, 6), days=20, approver="公开办主任 李明"))
        elif kind == "provisional":
            events.append(Event("extended", today, days=20, approver="公开办主任 李明"))
        services.create_application(unit, _data(rng, number(received), received), events)
        n += 1
    return n


@transaction.atomic
def load_demo(ctx: Any, today: date | None = None) -> list[str]:
    """Fill every demo unit's ledger (skipping units that already have applications)."""
    lines = []
    total = 0
    try:
        for unit in _units(ctx):
            if Application.objects.filter(unit=unit).exists():
                continue
            total += fill_unit(unit, today)
    except CalendarError as exc:
        lines.append(f"依申请公开演示台账未完整生成：{exc}")
    services.ensure_templates()
    lines.append(f"已生成依申请公开演示台账：{total} 件申请（含逾期、即将到期和暂停计时的待办）")
    provisional = Application.objects.filter(due_provisional=True).count()
    if provisional:
        lines.append(
            f"演示台账中 {provisional} 件的答复期限为暂定（跨入放假安排尚未确认的年份）："
            "管理员可在“依申请公开 → 工作日日历”（/foi/calendar/）粘贴国务院办公厅的放假安排通知并确认"
        )
    return lines
