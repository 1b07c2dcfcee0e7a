"""The 落实情况 report of a plan: its text blocks (stored, editable, prefilled from the units' progress the first
time), the task status rows, and a unit's own report of its tasks (always written from its progress)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from gongkai.plans import group_of, groups, heading_of
from gongkai.reports.luoshi import LuoshiReport, StatusRow
from gongkai.web.plans import services
from gongkai.web.plans.models import Assignment, Plan, Progress, ProgressStatus, ReportBlock

ORDINALS = "一二三四五六七八九十"


def _assignments(plan: Plan, unit=None):
    qs = Assignment.objects.filter(task__plan=plan).select_related("task__plan", "task__source", "unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.prefetch_related("progress").order_by("task__number", "-role", "unit__name")


def _figure(p: Progress | None) -> str:
    if p is None or p.figure is None:
        return ""
    return f"{p.figure_label}{p.figure.normalize():f}" if p.figure_label else f"{p.figure.normalize():f}"


def _reported(a: Assignment) -> list[Progress]:
    """The newest report of each period, in period order."""
    latest = services.latest_by_period(a)
    return [latest[p.key] for p in a.task.periods() if p.key in latest]


def _sentence(a: Assignment) -> str:
    parts = []
    for p in _reported(a):
        if p.status != ProgressStatus.DONE and not p.text:
            continue
        bits = [x for x in (p.text.rstrip("。；;"), _figure(p) and f"（{_figure(p)}）") if x]
        if p.link_list:
            bits.append(f"（见 {'、'.join(p.link_list)}）")
        if bits:
            parts.append("".join(bits))
    return f"{a.unit.name}：" + "；".join(parts) if parts else ""


def area_texts(plan: Plan, unit=None) -> dict[str, str]:
    """Per report chapter (area group), "一是…二是…" from the tasks and what their units reported."""
    tasks: dict[str, dict[int, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for a in _assignments(plan, unit):
        tasks[group_of(a.task.area)][a.task.number].append(a)
    out = {}
    for group, by_task in tasks.items():
        lines = []
        for i, assignments in enumerate(by_task.values()):
            task = assignments[0].task
            said = [s for s in (_sentence(a) for a in assignments) if s]
            lines.append(
                f"{ORDINALS[i % 10]}是{task.content.rstrip('。')}。"
                + ("；".join(said) + "。" if said else "尚无单位报送工作情况。")
            )
        out[group] = "\n".join(lines)
    return out


def problems_text(plan: Plan, unit=None, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    overdue, blocked = [], []
    for a in _assignments(plan, unit):
        for s in services.period_states(a, today):
            if s.state == "overdue":
                overdue.append(f"任务{a.task.number}{s.period.label}（{a.unit.name}）")
            if s.latest is not None and s.latest.status == ProgressStatus.BLOCKED:
                blocked.append(f"任务{a.task.number}（{a.unit.name}）：{s.latest.text.rstrip('。')}")
    lines = []
    if overdue:
        lines.append(
            f"（一）部分任务未按期完成。截至{today:%Y年%m月%d日}，共有 {len(overdue)} 项任务（周期）逾期未报送完成情况："
            + "、".join(overdue[:20])
            + ("等" if len(overdue) > 20 else "")
            + "。"
        )
    if blocked:
        lines.append(f"（{ORDINALS[len(lines)]}）部分任务未能完成：" + "；".join(blocked[:10]) + "。")
    return "\n".join(lines) or "各项任务均已按期推进，暂未发现逾期未完成的任务。"


def next_text(plan: Plan, unit=None, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    late = {
        a.task.number
        for a in _assignments(plan, unit)
        if services.summary_state(services.period_states(a, today)) in ("overdue", "due_soon", "open")
    }
    lines = []
    if late:
        lines.append(
            f"（一）抓好未完成任务的落实。对尚未完成的 {len(late)} 项任务逐项督办，明确责任单位和完成时限，按期报送进展。"
        )
    lines.append(
        f"（{ORDINALS[len(lines)]}）对照{plan.year + 1}年政务公开工作要点，及时制定任务分解表，"
        "做到年度重点工作任务清单化、清单内容具体化、具体事项责任化。"
    )
    return "\n".join(lines)


def prefill(plan: Plan, unit=None) -> dict[str, str]:
    texts = area_texts(plan, unit)
    who = unit.name if unit is not None else ""
    out = {
        "title": f"{who}{plan.year}年政务公开工作要点落实情况",
        "intro": f"根据{_sources_text(plan)}要求，{who or '我单位'}对照{plan.year}年政务公开工作任务分解表开展自查，"
        "现将主要任务落实情况报告如下：",
        "problems": problems_text(plan, unit),
        "next": next_text(plan, unit),
    }
    for group in _groups(plan, unit):
        out[f"area:{group}"] = texts.get(group, "")
    return out


def _sources_text(plan: Plan) -> str:
    names = [f"《{s.title}》" + (f"（{s.number}）" if s.number else "") for s in plan.sources.all()]
    return "、".join(names) or "上级政务公开工作要点"


def _groups(plan: Plan, unit=None) -> list[str]:
    """Report chapters: the configured ones that have tasks, in the list's order, then any others."""
    used = {
        group_of(t.area) for t in plan.tasks.all() if unit is None or t.assignments.filter(unit=unit).exists()
    }
    return [g for g in groups() if g in used] + sorted(used - set(groups()))


def blocks(plan: Plan) -> list[ReportBlock]:
    """The office report's blocks in order; missing ones are created from the progress."""
    filled = None
    keys = ["title", "intro"] + [f"area:{g}" for g in _groups(plan)] + ["problems", "next"]
    existing = {b.key: b for b in plan.blocks.all()}
    out = []
    for key in keys:
        if key not in existing:
            filled = filled or prefill(plan)
            existing[key] = ReportBlock.objects.create(plan=plan, key=key, text=filled.get(key, ""))
        out.append(existing[key])
    return out


def block_label(key: str) -> str:
    if key.startswith("area:"):
        return f"重点工作落实情况：{heading_of(key[5:])}"
    return {"title": "报告标题", "intro": "开头", "problems": "存在问题", "next": "下一步工作计划"}.get(
        key, key
    )


def status_rows(plan: Plan, assignments=None) -> list[StatusRow]:
    rows = []
    for a in assignments if assignments is not None else _assignments(plan):
        states = services.period_states(a)
        reported = _reported(a)
        last = max(reported, key=lambda p: (p.submitted_at, p.pk)) if reported else None
        done = sum(s.state == "done" for s in states)
        task = a.task
        rows.append(
            StatusRow(
                number=task.number,
                area=task.area,
                content=task.content,
                source=(task.source.label + (f" {task.clause}" if task.clause else ""))
                if task.source
                else task.clause,
                deadline=task.deadline_text,
                unit=a.unit.name,
                role=a.get_role_display(),
                status=services.STATE_LABELS[services.summary_state(states)],
                periods_done=f"{done}/{len(states)}" if len(states) > 1 else "",
                reported_at=timezone.localtime(last.submitted_at).strftime("%Y-%m-%d %H:%M") if last else "",
                text="\n".join(p.text for p in reported if p.text),
                figure="；".join(f for f in (_figure(p) for p in reported) if f),
                links=tuple(link for p in reported for link in p.link_list),
            )
        )
    return rows


def office_report(plan: Plan) -> LuoshiReport:
    by_key = {b.key: b.text for b in blocks(plan)}
    return LuoshiReport(
        title=by_key["title"],
        intro=by_key["intro"],
        sections=[(heading_of(g), by_key.get(f"area:{g}", "")) for g in _groups(plan)],
        problems=by_key["problems"],
        next_steps=by_key["next"],
        rows=status_rows(plan),
    )


def unit_report(plan: Plan, unit) -> LuoshiReport:
    filled = prefill(plan, unit)
    return LuoshiReport(
        title=filled["title"],
        intro=filled["intro"],
        sections=[(heading_of(g), filled.get(f"area:{g}", "")) for g in _groups(plan, unit)],
        problems=filled["problems"],
        next_steps=filled["next"],
        rows=status_rows(plan, _assignments(plan, unit)),
    )
