"""Progress on plan tasks: what each unit owes per period, its reports, the check of its links, reminders and
completion rates (which a framework item can score, see `gongkai.web.plans.scoring`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from gongkai.plans import Period
from gongkai.web.core import jobs
from gongkai.web.plans.models import (
    Assignment,
    EvidenceKind,
    Plan,
    Progress,
    ProgressStatus,
    Reminder,
    Task,
)

CHECK_LINKS_JOB = "plans.check_links"
MAX_LINKS = 10


class PlanError(ValueError):
    """A refused action; the message is Chinese and says why."""


@dataclass
class PeriodState:
    period: Period
    latest: Progress | None
    state: str  # done / overdue / due_soon / open / future

    @property
    def label(self) -> str:
        return {
            "done": "已完成",
            "overdue": "已逾期",
            "due_soon": "即将到期",
            "open": "进行中",
            "future": "未到期",
        }[self.state]


def _state(period: Period, latest: Progress | None, today: dt.date, soon_days: int) -> str:
    if latest is not None and latest.status == ProgressStatus.DONE:
        return "done"
    if period.due is not None and period.due < today:
        return "overdue"
    if period.due is not None and (period.due - today).days <= soon_days:
        return "due_soon"
    return "open" if period.start <= today else "future"


def latest_by_period(assignment: Assignment) -> dict[str, Progress]:
    """The newest report of each period (works on prefetched progress too)."""
    out: dict[str, Progress] = {}
    for p in sorted(assignment.progress.all(), key=lambda p: (p.submitted_at, p.pk)):
        out[p.period] = p
    return out


def period_states(assignment: Assignment, today: dt.date | None = None) -> list[PeriodState]:
    today = today or timezone.localdate()
    latest = latest_by_period(assignment)
    plan = assignment.task.plan
    return [
        PeriodState(p, latest.get(p.key), _state(p, latest.get(p.key), today, plan.due_soon_days))
        for p in assignment.task.periods()
    ]


def summary_state(states: list[PeriodState]) -> str:
    """One word for an assignment: overdue before due soon before open; done only when every period is."""
    kinds = [s.state for s in states]
    for kind in ("overdue", "due_soon", "open"):
        if kind in kinds:
            return kind
    return "done" if kinds and all(k == "done" for k in kinds) else "future"


STATE_LABELS = {
    "done": "已完成",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "open": "进行中",
    "future": "未到期",
}


# --- reports ---------------------------------------------------------------------------------------------


def validate_links(links: list[str]) -> None:
    if len(links) > MAX_LINKS:
        raise PlanError(f"链接最多填写 {MAX_LINKS} 个")
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PlanError(f"链接“{link}”不是有效的网址（应以 http:// 或 https:// 开头）")
        if "@" in parts.netloc:
            raise PlanError(f"链接“{link}”含用户名或密码，请填写网页的公开网址")


def _needs(assignment: Assignment, status: str, text: str, links, figure, attachment, previous) -> None:
    if status == ProgressStatus.BLOCKED and not text.strip():
        raise PlanError("选择“未能完成”时须在工作情况中写明原因")
    if status != ProgressStatus.DONE:
        return
    kind = assignment.task.evidence_kind
    has_file = bool(attachment) or bool(previous and previous.attachment)
    if kind == EvidenceKind.LINK and not links:
        raise PlanError("该任务的佐证材料为已公开页面链接：报送“已完成”须至少填写一个链接")
    if kind == EvidenceKind.DOCUMENT and not has_file:
        raise PlanError("该任务的佐证材料为文件：报送“已完成”须上传文件")
    if kind == EvidenceKind.FIGURE and figure is None:
        raise PlanError("该任务的佐证材料为数字：报送“已完成”须填写数字")
    if kind == EvidenceKind.TEXT and not text.strip():
        raise PlanError("该任务的佐证材料为文字说明：报送“已完成”须填写工作情况")


@transaction.atomic
def submit_progress(
    assignment: Assignment,
    period: str,
    status: str,
    text: str = "",
    links: list[str] | None = None,
    figure=None,
    figure_label: str = "",
    attachment=None,
    user=None,
) -> Progress:
    """Record a unit's report for one period; links are then checked in the background."""
    links = links or []
    keys = [p.key for p in assignment.task.periods()]
    if period not in keys:
        raise PlanError(f"报送周期“{period}”不是该任务的周期")
    if status not in ProgressStatus.values:
        raise PlanError(f"进展“{status}”无效")
    validate_links(links)
    previous = assignment.progress.filter(period=period).order_by("-submitted_at", "-pk").first()
    _needs(assignment, status, text, links, figure, attachment, previous)
    progress = Progress.objects.create(
        assignment=assignment,
        period=period,
        status=status,
        text=text,
        links="\n".join(links),
        figure=figure,
        figure_label=figure_label,
        attachment=attachment or (previous.attachment if previous and status == ProgressStatus.DONE else ""),
        submitted_by=user,
        link_checks=[{"url": u, "state": "pending", "message": "等待检查"} for u in links],
    )
    if status == ProgressStatus.DONE:
        Reminder.objects.filter(assignment=assignment, period=period).delete()
    else:
        Reminder.objects.filter(assignment=assignment, period=period).update(read=True)
    if links:
        transaction.on_commit(lambda: jobs.enqueue(CHECK_LINKS_JOB, {"progress": progress.pk}, user=user))
    return progress


def _own_hosts(unit) -> set[str]:
    from gongkai.crawl.polite import host_of

    return {host_of(p) for p in unit.prefix_list if host_of(p)}


def check_links(progress: Progress, config=None) -> list[dict]:
    """Open each link through the crawler's egress guard: the unit's own site hosts are asked even on a
    private address (the office named them), any other host only on a public one. Records and returns
    one result per link: reachable or not, and whether it is on the unit's own site."""
    from gongkai.crawl import CrawlConfig
    from gongkai.crawl.egress import REFUSED, same_host, url_within

    unit = progress.assignment.unit
    allowed = _own_hosts(unit)
    results = []
    for url in progress.link_list:
        fetched = _fetch(url, allowed, config or CrawlConfig(rate=2, retries=0, timeout_s=15))
        own = any(url_within(url, p) or same_host(url, p) for p in unit.prefix_list)
        if fetched.status is not None and fetched.status < 400:
            message = f"可以访问（HTTP {fetched.status}）" + ("" if own else "；不在本单位网站上")
            state = "ok"
        elif fetched.error in REFUSED:
            why = fetched.detail or fetched.error
            message, state = f"未访问：{why}（平台不访问内网地址和含凭据的网址）", "failed"
        else:
            why = (
                f"HTTP {fetched.status}"
                if fetched.status
                else (fetched.detail or fetched.error or "无法连接")
            )
            message, state = f"无法访问（{why}）", "failed"
        results.append({"url": url, "state": state, "own_site": own, "message": message})
    Progress.objects.filter(pk=progress.pk).update(link_checks=results)
    return results


def _fetch(url: str, allowed: set[str], config):
    from gongkai.crawl.engine import run_sync
    from gongkai.crawl.fetch import Fetcher

    async def one():
        async with Fetcher(config, set(allowed)) as f:
            return await f.fetch(url)

    return run_sync(one())


# --- reminders -------------------------------------------------------------------------------------------


def refresh_reminders(today: dt.date | None = None) -> int:
    """Due-soon and overdue reminders for every task period without a 已完成 report (once per kind), for the
    plans of this year and last year; a few queries whatever the number of tasks."""
    today = today or timezone.localdate()
    assignments = (
        Assignment.objects.select_related("task__plan", "unit")
        .filter(task__plan__year__gte=today.year - 1)
        .prefetch_related("progress")
    )
    existing = set(
        Reminder.objects.filter(assignment__in=assignments).values_list("assignment_id", "period", "kind")
    )
    new = []
    for a in assignments:
        for s in period_states(a, today):
            if s.state not in ("overdue", "due_soon") or (a.pk, s.period.key, s.state) in existing:
                continue
            what = f"任务{a.task.number}“{a.task.content[:24]}”" + (s.period.label if s.period.key else "")
            if s.state == "overdue":
                text = f"{what}已超过完成时限（{s.period.due:%Y-%m-%d}），尚未报送完成情况"
            else:
                text = f"{what}将于 {s.period.due:%Y-%m-%d} 到期，请及时报送进展"
            new.append(Reminder(assignment=a, unit=a.unit, period=s.period.key, kind=s.state, message=text))
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- completion ------------------------------------------------------------------------------------------


@dataclass
class Completion:
    done: int = 0
    counted: int = 0  # periods due by the date, plus those already done
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        return round(100 * self.done / self.counted, 1) if self.counted else None


def completion(
    plan: Plan, as_of: dt.date | None = None, roles=(Assignment.LEAD,), areas=()
) -> dict[int, Completion]:
    """Per unit id: how many of its task periods due by `as_of` (and those done early) are done."""
    as_of = as_of or timezone.localdate()
    out: dict[int, Completion] = defaultdict(Completion)
    assignments = Assignment.objects.filter(task__plan=plan, role__in=roles).select_related("task__plan")
    if areas:
        assignments = assignments.filter(task__area__in=areas)
    for a in assignments.prefetch_related("progress"):
        latest: dict[str, Progress] = {}
        for p in sorted(a.progress.all(), key=lambda p: (p.submitted_at, p.pk)):
            latest[p.period] = p
        c = out[a.unit_id]
        for period in a.task.periods():
            done = period.key in latest and latest[period.key].status == ProgressStatus.DONE
            due = period.due is not None and period.due <= as_of
            if done or due:
                c.counted += 1
                c.done += done
                c.overdue += due and not done
    return dict(out)


def assessment_scores(plan: Plan, as_of: dt.date | None = None) -> dict[str, float]:
    """Per unit name, its lead-task completion in percent: the "其他考评项" of an annual assessment (年度绩效考评,
    weighted with the rounds), as 晋江 counts its 要点 item. Units with nothing due are left out."""
    from gongkai.web.units.models import Unit

    rates = {uid: c.rate for uid, c in completion(plan, as_of).items() if c.rate is not None}
    names = dict(Unit.objects.filter(pk__in=rates).values_list("pk", "name"))
    return {names[uid]: rate for uid, rate in sorted(rates.items(), key=lambda x: names[x[0]])}


def task_status(task: Task, today: dt.date | None = None) -> str:
    """The task's word for lists and the XLSX: the worst of its units' assignments."""
    states = [summary_state(period_states(a, today)) for a in task.assignments.all()]
    for kind in ("overdue", "due_soon", "open", "future"):
        if kind in states:
            return kind
    return "done" if states else "future"
