"""The rectification loop: problem lists from a round, answers, automatic re-verification, closing.

Re-verification does what an evaluator would: it opens every 整改链接 (politely; each must answer and belong
to the unit's site), re-crawls the unit's site (reusing unchanged pages from the round's archive) and re-runs
the very check that produced the problem. The item passes only if that check no longer fails on the problem's
subjects; otherwise it is returned to the unit with the reason and the evidence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from gongkai.calendar import CalendarRangeError, default_calendar
from gongkai.web.core import jobs
from gongkai.web.evaluation.models import ManualScore, Round, RoundUnit
from gongkai.web.evaluation.review import check_title, counted_fails
from gongkai.web.evaluation.services import archive_dir, framework_of, site_lock, zhuanlan_of
from gongkai.web.rectification.models import (
    ACTIVE,
    NEEDS_REASON,
    Answer,
    AnswerStatus,
    ProblemItem,
    ProblemStatus,
    Reminder,
    Verification,
)

VERIFY_JOB = "rectification.verify"
DUE_SOON_DAYS = 3


class RectificationError(ValueError):
    """A refused action; the message is Chinese and says why."""


# --- problem lists ---------------------------------------------------------------------------------------


def due_date(start: dt.date, working_days: int) -> dt.date | None:
    """The due date in working days; None (set by hand) when the calendar has no data for that year."""
    try:
        return default_calendar().add_working_days(start, working_days)
    except CalendarRangeError:
        return None


@transaction.atomic
def generate_problem_lists(round_: Round, start: dt.date | None = None) -> int:
    """One problem item per failed indicator and check of each unit (and per manual deduction). Idempotent."""
    start = start or timezone.localdate()
    framework = framework_of(round_)
    points = {leaf.path: leaf.points for leaf in framework.leaves()}
    created = 0
    for ru in round_.units.filter(status="done").select_related("unit"):
        if ProblemItem.objects.filter(round=round_, unit=ru.unit).exists():
            continue
        due = due_date(start, round_.problem_due_days)
        items = _auto_items(ru) + _manual_items(ru, points)
        for number, (indicator, check_id, subjects, detail, evidence, source) in enumerate(items, start=1):
            ProblemItem.objects.create(
                round=round_,
                unit=ru.unit,
                number=number,
                indicator=indicator,
                check_id=check_id,
                subjects=subjects,
                detail=detail,
                evidence=evidence,
                source=source,
                due=due,
            )
            created += 1
    return created


def _auto_items(ru: RoundUnit) -> list[tuple]:
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for f in ru.findings.filter(counted_fails()).order_by("item", "check_id", "pk"):  # 误报 left out
        grouped[(f.item, f.check_id)].append(f)
    items = []
    for (item, check_id), findings in grouped.items():
        messages = list(dict.fromkeys(f.message for f in findings))
        detail = "；".join(messages[:8]) + (f"（共 {len(findings)} 处）" if len(findings) > 1 else "")
        evidence = [e for f in findings for e in f.evidence][:20]
        subjects = list(dict.fromkeys(f.subject for f in findings))
        items.append((item, check_id, subjects, detail, evidence, "auto"))
    return items


def _manual_items(ru: RoundUnit, points: dict[str, float]) -> list[tuple]:
    items = []
    for ms in ManualScore.objects.filter(round_unit=ru).order_by("item"):
        lost = points.get(ms.item, 0) - ms.points
        if lost > 0:
            detail = f"人工评分扣 {lost:g} 分" + (f"：{ms.note}" if ms.note else "")
            evidence = [{"url": ms.evidence_url, "snippet": ms.note, "record": ""}] if ms.evidence_url else []
            items.append((ms.item, "", [], detail, evidence, "manual"))
    return items


def add_item(round_: Round, unit, indicator: str, detail: str, user=None) -> ProblemItem:
    number = (
        ProblemItem.objects.filter(round=round_, unit=unit)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    return ProblemItem.objects.create(
        round=round_,
        unit=unit,
        number=number,
        indicator=indicator,
        detail=detail,
        source="office",
        due=due_date(timezone.localdate(), round_.problem_due_days),
    )


def withdraw(problem: ProblemItem, reason: str) -> None:
    if not reason.strip():
        raise RectificationError("撤销问题须填写理由")
    _set(problem, ProblemStatus.WITHDRAWN, reason)


@transaction.atomic
def merge(items: Iterable[ProblemItem], reason: str) -> ProblemItem:
    """Merge items of one unit and round into the first: details, subjects and evidence are combined."""
    items = sorted(items, key=lambda p: p.number)
    if len(items) < 2:
        raise RectificationError("合并至少需要选择两个问题")
    if len({(p.unit_id, p.round_id) for p in items}) != 1:
        raise RectificationError("只能合并同一单位、同一批次的问题")
    target, rest = items[0], items[1:]
    target.detail = "；".join([target.detail] + [p.detail for p in rest])
    target.subjects = list(dict.fromkeys(target.subjects + [s for p in rest for s in p.subjects]))
    target.evidence = (target.evidence + [e for p in rest for e in p.evidence])[:40]
    target.office_note = reason
    target.save()
    for p in rest:
        p.merged_into = target
        _set(p, ProblemStatus.MERGED, f"并入第 {target.number} 项：{reason}")
    return target


@transaction.atomic
def split(problem: ProblemItem, details: list[str]) -> list[ProblemItem]:
    """Split an item into several, one per detail line; the original keeps the first."""
    details = [d.strip() for d in details if d.strip()]
    if len(details) < 2:
        raise RectificationError("拆分至少需要两条问题明细（每行一条）")
    problem.detail = details[0]
    problem.save()
    out = [problem]
    for detail in details[1:]:
        copy = add_item(problem.round, problem.unit, problem.indicator, detail)
        copy.check_id, copy.subjects, copy.evidence, copy.source, copy.due = (
            problem.check_id,
            problem.subjects,
            problem.evidence,
            problem.source,
            problem.due,
        )
        copy.save()
        out.append(copy)
    return out


def _set(problem: ProblemItem, status: str, note: str = "") -> None:
    problem.status = status
    if note:
        problem.office_note = note
    problem.save()


# --- answers and verification ----------------------------------------------------------------------------


def validate_answer(status: str, links: list[str], explanation: str) -> None:
    if status not in AnswerStatus.values:
        raise RectificationError(f"整改情况“{status}”无效")
    if status in NEEDS_REASON and not explanation.strip():
        raise RectificationError(f"选择“{status}”时必须在情况说明中写明理由（如：涉密、区级不单独制作）")
    if status in (AnswerStatus.DONE, AnswerStatus.PARTIAL) and not links:
        raise RectificationError(f"选择“{status}”时须填写至少一个整改链接")
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RectificationError(f"整改链接“{link}”不是有效的网址（应以 http:// 或 https:// 开头）")
        if "@" in parts.netloc:
            raise RectificationError(f"整改链接“{link}”含用户名或密码，请填写网页的公开网址")


@transaction.atomic
def submit_answer(
    problem: ProblemItem, status: str, links: list[str], explanation: str, user=None, attachment=None
) -> Answer:
    if problem.status not in (ProblemStatus.OPEN, ProblemStatus.RETURNED, ProblemStatus.ANSWERED):
        raise RectificationError(f"该问题当前状态为“{problem.get_status_display()}”，不能再答复")
    validate_answer(status, links, explanation)
    answer = Answer.objects.create(
        problem=problem,
        status=status,
        links="\n".join(links),
        explanation=explanation,
        submitted_by=user,
        attachment=attachment or "",
    )
    _set(problem, ProblemStatus.ANSWERED)
    if links:
        transaction.on_commit(
            lambda: jobs.enqueue(
                VERIFY_JOB,
                {"problem": problem.pk, "answer": answer.pk},
                lock_key=site_lock(links[0]),
                user=user,
            )
        )
    return answer


def _belongs(link: str, problem: ProblemItem) -> bool:
    """Whether a 整改链接 is on the unit's site: under one of its prefixes or on the host of one, both
    compared parsed (a link carrying a user name or password belongs nowhere)."""
    from gongkai.crawl.egress import same_host, url_within

    return any(url_within(link, p) or same_host(link, p) for p in problem.unit.prefix_list)


def verify(problem: ProblemItem, answer: Answer, crawl_budget: int | None = None) -> Verification | None:
    """Re-check an answered problem; records a Verification and moves the item to VERIFIED or RETURNED.

    Returns None without judging when the answer is no longer the one to check: the item was closed,
    withdrawn or merged meanwhile, or the unit has answered again (a queued job must not undo the office).
    """
    from gongkai.crawl import CrawlConfig, fetch_url

    problem.refresh_from_db()
    latest = problem.latest_answer
    if (
        problem.status not in (ProblemStatus.ANSWERED, ProblemStatus.VERIFIED)
        or latest is None
        or latest.pk != answer.pk
    ):
        return None

    config = CrawlConfig(
        rate=problem.round.rate,
        max_pages=crawl_budget or problem.round.max_pages,
        probe_external=problem.round.check_external,
    )
    evidence = []
    for link in answer.link_list:
        if not _belongs(link, problem):
            return _conclude(problem, answer, "FAIL", f"整改链接“{link}”不属于{problem.unit.name}的网站", [])
        fetched = fetch_url(link, config)
        if fetched.status is None or fetched.status >= 400:
            why = f"HTTP {fetched.status}" if fetched.status else (fetched.error or "无法连接")
            return _conclude(
                problem,
                answer,
                "FAIL",
                f"整改链接“{link}”无法访问（{why}）",
                [{"url": link, "snippet": why, "record": ""}],
            )
        evidence.append({"url": fetched.final_url or link, "snippet": f"HTTP {fetched.status}", "record": ""})
    if not problem.check_id:
        return _conclude(
            problem, answer, "UNCERTAIN", "整改链接均可访问；该问题来自人工评分或公开办，需人工确认", evidence
        )
    still = _still_failing(problem, config)
    if still:
        message = "复核未通过，同一检查仍不通过：" + "；".join(dict.fromkeys(f.message for f in still[:5]))
        return _conclude(
            problem, answer, "FAIL", message, [e.as_dict() for f in still[:5] for e in f.evidence]
        )
    return _conclude(
        problem, answer, "PASS", f"已重新检查（{check_title(problem.check_id)}），原问题不再出现", evidence
    )


def _still_failing(problem: ProblemItem, config) -> list:
    """Re-crawl the unit's site (incrementally) and re-run the problem's check; the FAILs that remain."""
    from gongkai.checks import run_checks
    from gongkai.crawl import crawl_site

    ru = RoundUnit.objects.select_related("round", "unit").get(round=problem.round, unit=problem.unit)
    previous = Path(ru.archive) if ru.archive and Path(ru.archive).exists() else None
    # Re-verification crawls sit beside the round's archives, one folder per unit, newest crawl per host.
    out_dir = archive_dir(ru).parent / f"verify-{ru.unit_id}"
    result = crawl_site(ru.url, out_dir, config, previous_archive=previous, zhuanlan=zhuanlan_of(ru))
    findings = run_checks(
        result.site_model,
        framework_of(problem.round),
        timezone.localdate(),
        unit_group=ru.group,
        unit_name=ru.unit.name,
    )
    subjects = set(problem.subjects)
    return [
        f
        for f in findings
        if f.check == problem.check_id
        and f.verdict.value == "FAIL"
        and f.item == problem.indicator
        and (not subjects or f.subject in subjects)
    ]


def _conclude(
    problem: ProblemItem, answer: Answer, verdict: str, message: str, evidence: list
) -> Verification:
    v = Verification.objects.create(
        problem=problem, answer=answer, verdict=verdict, message=message, evidence=evidence
    )
    if verdict == "PASS":
        _set(problem, ProblemStatus.VERIFIED)
    elif verdict == "FAIL":
        _set(problem, ProblemStatus.RETURNED, f"自动复核退回：{message}")
        Reminder.objects.update_or_create(
            problem=problem,
            kind="returned",
            defaults={
                "unit": problem.unit,
                "message": f"第 {problem.number} 项整改被退回：{message}",
                "read": False,
            },
        )
    return v


def close(problem: ProblemItem, user, note: str = "") -> None:
    if problem.status not in (ProblemStatus.VERIFIED, ProblemStatus.ANSWERED):
        raise RectificationError("只有已答复或复核通过的问题才能销号")
    problem.closed_at, problem.closed_by = timezone.now(), user
    _set(problem, ProblemStatus.CLOSED, note or "已销号")


def reopen(problem: ProblemItem, note: str) -> None:
    if not note.strip():
        raise RectificationError("退回重新整改须填写理由")
    problem.closed_at = problem.closed_by = None
    _set(problem, ProblemStatus.RETURNED, note)


# --- deadlines, reminders, recurrence -------------------------------------------------------------------


def refresh_reminders(today: dt.date | None = None) -> int:
    """Create due-soon and overdue reminders for open items (once per item and kind)."""
    today = today or timezone.localdate()
    calendar = default_calendar()
    made = 0
    for p in ProblemItem.objects.filter(
        status__in=[ProblemStatus.OPEN, ProblemStatus.RETURNED], due__isnull=False
    ):
        if p.due < today:
            kind, text = "overdue", f"第 {p.number} 项问题已超过整改期限（{p.due:%Y-%m-%d}）"
        else:
            try:
                left = calendar.working_days_between(today, p.due)
            except CalendarRangeError:
                continue
            if left > DUE_SOON_DAYS:
                continue
            kind, text = "due_soon", f"第 {p.number} 项问题还剩 {left} 个工作日到期（{p.due:%Y-%m-%d}）"
        _, created = Reminder.objects.get_or_create(
            problem=p, kind=kind, defaults={"unit": p.unit, "message": text}
        )
        made += created
    return made


def working_days_left(due: dt.date | None, today: dt.date | None = None) -> int | None:
    if due is None:
        return None
    today = today or timezone.localdate()
    try:
        days = default_calendar().working_days_between(min(today, due), max(today, due))
    except CalendarRangeError:
        return None
    return days if due >= today else -days


def recurring(round_: Round) -> dict[int, list[ProblemItem]]:
    """Per unit id: items of the previous round whose check fails again on the same subject in this round."""
    if round_.previous_id is None:
        return {}
    now = defaultdict(set)
    for ru in round_.units.all():
        for check_id, subject in ru.findings.filter(counted_fails()).values_list("check_id", "subject"):
            now[ru.unit_id].add((check_id, subject))
    out: dict[int, list[ProblemItem]] = defaultdict(list)
    for p in ProblemItem.objects.filter(round_id=round_.previous_id).exclude(check_id=""):
        hits = now.get(p.unit_id, set())
        if any((p.check_id, s) in hits for s in p.subjects) or (
            not p.subjects and any(c == p.check_id for c, _ in hits)
        ):
            out[p.unit_id].append(p)
    return dict(out)


def statistics(problems) -> dict:
    counts = defaultdict(int)
    for status in problems.values_list("status", flat=True):
        counts[status] += 1
    total = sum(v for k, v in counts.items() if k not in (ProblemStatus.WITHDRAWN, ProblemStatus.MERGED))
    closed = counts[ProblemStatus.CLOSED]
    return {
        "total": total,
        "closed": closed,
        "verified": counts[ProblemStatus.VERIFIED],
        "answered": counts[ProblemStatus.ANSWERED],
        "returned": counts[ProblemStatus.RETURNED],
        "open": counts[ProblemStatus.OPEN],
        "rate": round(100 * closed / total, 1) if total else 0.0,
        "active": sum(counts[s] for s in ACTIVE),
    }


def per_indicator(problems) -> list[dict]:
    """Per first-level indicator: how many were found and how many are closed (the 回头看 table)."""
    rows: dict[str, dict] = {}
    for p in problems.exclude(status__in=[ProblemStatus.WITHDRAWN, ProblemStatus.MERGED]):
        area = p.levels[0] or "其他"
        row = rows.setdefault(area, {"area": area, "found": 0, "closed": 0, "answered": 0})
        row["found"] += 1
        row["closed"] += p.status == ProblemStatus.CLOSED
        row["answered"] += p.status in (ProblemStatus.ANSWERED, ProblemStatus.VERIFIED, ProblemStatus.CLOSED)
    return list(rows.values())
