"""What an evaluation round does, step by step: choose units (with a reproducible sample), crawl and check each
unit in the background, store findings, combine them with manual scores, and rank units within their group.

Views, the CLI and the job handlers call these functions; the domain core (crawl, checks, frameworks) does the
judging.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gongkai.frameworks import Framework, UnitInput, load_framework, rank, score_group
from gongkai.model import Coverage, Evidence, Finding, Verdict
from gongkai.plugins import import_optional
from gongkai.web.core import jobs
from gongkai.web.core.models import Job, JobStatus
from gongkai.web.evaluation.models import (
    ManualScore,
    Round,
    RoundState,
    RoundUnit,
    StoredFinding,
    UnitResult,
    UnitStatus,
)
from gongkai.web.units.models import Unit, UnitGroup

UNIT_JOB = "evaluation.unit"
DEFAULT_GROUPS = [UnitGroup.COUNTY, UnitGroup.ZONE, UnitGroup.DEPARTMENT, UnitGroup.TOWNSHIP]


class RoundError(ValueError):
    """A round cannot do what was asked; the message is Chinese and says why."""


_frameworks: dict[str, Framework] = {}


def framework_of(round_: Round) -> Framework:
    """The round's framework, parsed once per process (pages and jobs ask for it on every request)."""
    framework = _frameworks.get(round_.framework_id)
    if framework is None:
        framework = _frameworks[round_.framework_id] = load_framework(round_.framework_id)
    return framework


def draw_sample(units: list[Unit], size: int, seed: int) -> list[Unit]:
    """A reproducible random sample: the same units, seed and size always give the same draw."""
    ordered = sorted(units, key=lambda u: u.name)
    if size <= 0 or size >= len(ordered):
        return ordered
    return sorted(random.Random(seed).sample(ordered, size), key=lambda u: u.name)


@transaction.atomic
def create_round(
    name: str,
    framework_id: str,
    as_of: date,
    groups: Iterable[str] = DEFAULT_GROUPS,
    township_sample: int = 0,
    seed: int | None = None,
    user=None,
    previous: Round | None = None,
    **options,
) -> Round:
    framework = load_framework(framework_id)
    groups = [str(g) for g in groups]
    seed = seed if seed is not None else secrets.randbelow(10**9)
    round_ = Round.objects.create(
        name=name,
        framework_id=framework.id,
        framework_version=framework.version,
        as_of=as_of,
        groups=groups,
        township_sample=township_sample,
        sample_seed=seed,
        created_by=user,
        previous=previous,
        **options,
    )
    candidates = [
        u for u in Unit.objects.filter(active=True, group__in=groups) if u.website or u.zhuanlan_url
    ]
    townships = [u for u in candidates if u.group == UnitGroup.TOWNSHIP]
    chosen = [u for u in candidates if u.group != UnitGroup.TOWNSHIP]
    sampled = draw_sample(townships, township_sample, seed) if UnitGroup.TOWNSHIP in groups else []
    chosen += sampled
    if not chosen:
        raise RoundError("所选分组中没有填写了网站地址的在用单位，无法创建测评批次")
    sampled_ids = {u.pk for u in sampled} if township_sample else set()
    left_out = sorted(u.name for u in townships if u.pk not in {s.pk for s in sampled})
    if left_out:
        Round.objects.filter(pk=round_.pk).update(not_sampled=left_out)
        round_.not_sampled = left_out
    RoundUnit.objects.bulk_create(
        [
            RoundUnit(
                round=round_,
                unit=u,
                group=u.group,
                sampled=u.pk in sampled_ids,
                url=u.website or u.zhuanlan_url,
            )
            for u in chosen
        ]
    )
    return round_


def site_lock(url: str) -> str:
    return "site:" + (urlsplit(url).netloc or url)


def start_round(round_: Round, user=None, only_failed: bool = False, resume: bool = False) -> int:
    """Queue a crawl+check job for every unit not yet done (or only the failed ones). Returns how many.

    With `resume`, units left running or queued by an interrupted process are queued again; their crawl
    resumes from its archive without refetching finished pages.
    """
    if round_.state == RoundState.PUBLISHED:
        raise RoundError("已发布的测评批次不能重新检测")
    if resume:
        interrupted = round_.units.filter(status__in=[UnitStatus.QUEUED, UnitStatus.RUNNING])
        Job.objects.filter(pk__in=interrupted.values("job_id")).filter(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).update(status=JobStatus.CANCELLED, message="已中断，重新排队")
        interrupted.update(status=UnitStatus.PENDING)
    statuses = [UnitStatus.FAILED] if only_failed else [UnitStatus.PENDING, UnitStatus.FAILED]
    queued = 0
    for ru in round_.units.filter(status__in=statuses):
        job = jobs.enqueue(UNIT_JOB, {"round_unit": ru.pk}, lock_key=site_lock(ru.url), user=user)
        RoundUnit.objects.filter(pk=ru.pk).update(status=UnitStatus.QUEUED, job=job, message="")
        queued += 1
    Round.objects.filter(pk=round_.pk).update(state=RoundState.RUNNING)
    round_.refresh_from_db()
    if queued == 0:
        after_unit_done(round_)  # nothing left to check: go straight on to scoring
    return queued


def zhuanlan_of(ru: RoundUnit) -> str:
    """The 专栏 the unit's record names, when it is not the address crawled (another host, a provincial
    platform): the crawl reads it as the site's 政府信息公开 column."""
    url = ru.unit.zhuanlan_url
    return url if url and url != ru.url else ""


def archive_dir(ru: RoundUnit) -> Path:
    return Path(settings.DATA_DIR) / "archives" / f"round-{ru.round_id}" / f"unit-{ru.unit_id}"


def crawl_and_check(ru: RoundUnit, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Crawl the unit's site, run the round's framework on it, and store the findings. Returns #findings."""
    from gongkai.checks import run_checks
    from gongkai.crawl import CrawlConfig, crawl_site

    round_ = ru.round
    framework = framework_of(round_)
    RoundUnit.objects.filter(pk=ru.pk).update(status=UnitStatus.RUNNING)
    config = CrawlConfig(rate=round_.rate, max_pages=round_.max_pages, probe_external=round_.check_external)

    result = _crawl_reporting(
        ru,
        lambda report: crawl_site(ru.url, archive_dir(ru), config, progress=report, zhuanlan=zhuanlan_of(ru)),
        progress,
    )
    model = result.site_model
    monitoring = import_optional("gongkai.web.monitoring.history")
    if monitoring is not None:  # the scheduled probes, for site.availability
        model = monitoring.with_probes(model, ru.unit_id, round_.as_of)
    findings = run_checks(model, framework, round_.as_of, unit_group=ru.group, unit_name=ru.unit.name)
    store_findings(ru, findings)
    RoundUnit.objects.filter(pk=ru.pk).update(
        status=UnitStatus.DONE,
        pages=result.pages,
        errors=result.errors,
        partial=result.partial or (model.coverage is not None and not model.coverage.complete),
        coverage=coverage_record(model.coverage),
        archive=str(result.archive),
        checked_at=timezone.now(),
        message="；".join(result.faults[:5]) if result.faults else "",
    )
    return len(findings)


def coverage_record(coverage: Coverage | None) -> dict:
    """The coverage as a round unit keeps it: the scan JSON's keys, usable pages, and per cut whether it
    touched the catalogue ({} when unknown)."""
    if coverage is None:
        return {}
    return {
        **coverage.as_dict(),
        "read": coverage.read,
        "catalogue_complete": coverage.catalogue_complete,
        "cut": [
            {"what": c.what, "why": c.why, "catalogue": c.catalogue, "lost": c.lost} for c in coverage.cut
        ],
    }


def unread(ru: RoundUnit) -> bool:
    """The crawl read no usable page of the unit's site: it is not scored (未评分, 无法访问)."""
    return ru.coverage.get("read") == 0 if ru.coverage else False


def _crawl_reporting(ru: RoundUnit, crawl: Callable, progress: Callable | None):
    """Run the crawl (an asyncio loop) in its own thread and relay its progress to the job row from this
    thread: the database is never touched from inside the event loop."""
    latest: dict = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crawl") as pool:
        future = pool.submit(crawl, latest.update)
        while True:
            try:
                return future.result(timeout=0.5)
            except FutureTimeout:
                if progress is not None and latest:
                    pages = int(latest.get("pages", 0))
                    progress(
                        pages,
                        ru.round.max_pages,
                        f"正在抓取 {ru.unit.display_name}：已抓取 {pages} 页，错误 {latest.get('errors', 0)} 个",
                    )


@transaction.atomic
def store_findings(ru: RoundUnit, findings: Iterable[Finding]) -> None:
    StoredFinding.objects.filter(round_unit=ru).delete()
    StoredFinding.objects.bulk_create(
        [
            StoredFinding(
                round_unit=ru,
                check_id=f.check,
                item=f.item,
                verdict=f.verdict.value,
                subject=f.subject[:1000],
                message=f.message,
                evidence=[e.as_dict() for e in f.evidence],
            )
            for f in findings
        ],
        batch_size=500,
    )


def findings_of(ru: RoundUnit) -> list[Finding]:
    """The unit's findings as scoring sees them: a 误报 passes, a confirmed UNCERTAIN fails."""
    from gongkai.web.evaluation.review import effective_verdict

    rows = ru.findings.values_list(
        "check_id", "verdict", "subject", "message", "item", "evidence", "review__decision"
    )
    return [
        Finding(
            check=check_id,
            verdict=Verdict(effective_verdict(verdict, decision)),
            subject=subject,
            message=message,
            item=item,
            evidence=tuple(Evidence(**e) for e in evidence),
        )
        for check_id, verdict, subject, message, item, evidence, decision in rows
    ]


def lacks_authority(framework: Framework, unit: Unit) -> frozenset[str]:
    """Authority items (重点领域) the unit has no power over: those whose path names none of its key areas."""
    areas = [a for a in (unit.key_areas or []) if a]
    return frozenset(
        leaf.path
        for leaf in framework.leaves()
        if leaf.authority and not any(area in leaf.path or area in leaf.name for area in areas)
    )


def score_round(round_: Round, group: str = "") -> list[UnitResult]:
    """Compute every unit's score and its rank within its group, from stored findings and manual scores.
    With ``group``, only that group (ranks and authority averages never cross groups)."""
    framework = framework_of(round_)
    done = round_.units.filter(status=UnitStatus.DONE).select_related("unit")
    done = list(done.filter(group=group) if group else done)
    # a site the crawl could not read is not scored or ranked: it only gets site.unreachable
    members = [ru for ru in done if not unread(ru)]
    UnitResult.objects.filter(round_unit__in=[ru for ru in done if unread(ru)]).delete()
    manual = defaultdict(dict)
    marked_na = defaultdict(list)  # items the evaluator found not to apply to this unit
    for ms in ManualScore.objects.filter(round_unit__in=members):
        if ms.not_applicable:
            marked_na[ms.round_unit_id].append(ms.item)
        else:
            manual[ms.round_unit_id][ms.item] = ms.points
    plans = import_optional("gongkai.web.plans.scoring")  # items scored from the 工作要点 task completion
    from_plan = plans.plan_scores(framework, round_.as_of, [ru.unit for ru in members]) if plans else {}
    inputs = [
        UnitInput(
            unit=str(ru.pk),
            unit_group=ru.group,
            findings=findings_of(ru),
            manual_scores=manual[ru.pk],
            lacks_authority=lacks_authority(framework, ru.unit),
            not_applicable=tuple(marked_na[ru.pk]),
            plan_scores=from_plan.get(ru.unit_id, {}),
        )
        for ru in members
    ]
    scores = score_group(framework, inputs)
    by_group = defaultdict(list)
    for s in scores:
        by_group[s.unit_group].append(s)
    results = []
    with transaction.atomic():
        for group_scores in by_group.values():
            for ranked in rank(framework, group_scores):
                s = ranked.score
                result, _ = UnitResult.objects.update_or_create(
                    round_unit_id=int(s.unit),
                    defaults={
                        "total": s.total,
                        "max": s.max,
                        "rate": round(s.rate * 100, 4),  # stored in percent, as notices print it
                        "veto": s.veto,
                        "bonus": s.bonus,
                        "band": s.band,
                        "rank": ranked.rank,
                        "tied": ranked.tied,
                        "items": items_json(s),
                    },
                )
                results.append(result)
        from gongkai.web.evaluation.reporting import failed_by_indicator

        Round.objects.filter(pk=round_.pk).update(problems_summary=failed_by_indicator(round_))
    return results


def items_json(unit_score) -> list[dict]:
    return [
        {
            "path": i.path,
            "name": i.name,
            "type": i.type,
            "points": i.points,
            "score": i.score,
            "status": i.status,
            "fails": i.fails,
            "uncertain": i.uncertain,
            "vetoed": i.vetoed,
        }
        for i in unit_score.items
    ]


def manual_applies(leaf, ru: RoundUnit) -> bool:
    """Whether a manual item can be scored for this unit: items of other groups do not apply to it."""
    return bool(leaf.manual) and ru.group in leaf.applies_to


def rescore(round_: Round, group: str = "") -> None:
    """Totals follow every saved score or decision at once (a published round's stand as published); a
    change to one unit rescores its group only."""
    round_.refresh_from_db(fields=["state"])
    if round_.state == RoundState.SCORING:
        score_round(round_, group)


def after_unit_done(round_: Round) -> None:
    """When no unit is waiting any more, the round moves on to scoring and gets its first results."""
    waiting = round_.units.filter(status__in=[UnitStatus.PENDING, UnitStatus.QUEUED, UnitStatus.RUNNING])
    if waiting.exists():
        return
    updated = Round.objects.filter(pk=round_.pk, state=RoundState.RUNNING).update(state=RoundState.SCORING)
    if updated:
        score_round(round_)


def publish(round_: Round, user=None, override_reason: str = "") -> None:
    """Publish the round's results. Refused while applicable manual items are unscored or unreviewed, or
    UNCERTAIN findings undecided, unless an override reason is given (recorded in the audit log only)."""
    from gongkai.web.evaluation.appeals import appeal_blockers
    from gongkai.web.evaluation.review import blocker_summary, publish_blockers

    round_.refresh_from_db()
    if round_.state not in (RoundState.SCORING, RoundState.PUBLISHED):
        raise RoundError("只有检测完成、进入评分阶段的批次才能发布")
    if round_.state == RoundState.PUBLISHED:
        raise RoundError("该批次已经发布")
    score_round(round_)
    blockers = publish_blockers(round_)
    waiting = appeal_blockers(round_)
    reason = override_reason.strip()
    if waiting and not reason:
        raise RoundError(f"尚不能发布：{'；'.join(waiting)}。申诉期结束并处理完全部申诉后，排名才是最终结果")
    if blockers and not reason:
        raise RoundError(f"尚不能发布：{blocker_summary(blockers)}。请先评分、复核并对待核实的结论作出判断")
    blockers = blockers or waiting
    round_.refresh_from_db()
    round_.state, round_.published_at, round_.published_by = RoundState.PUBLISHED, timezone.now(), user
    round_.publish_override = reason if blockers else ""
    round_._change_reason = "越过发布检查发布" if blockers else "发布测评结果"
    round_.save()


def progress_of(round_: Round) -> dict:
    counts = defaultdict(int)
    for row in round_.units.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    total = sum(counts.values())
    done = counts[UnitStatus.DONE] + counts[UnitStatus.FAILED]
    return {
        "total": total,
        "done": done,
        "failed": counts[UnitStatus.FAILED],
        "running": counts[UnitStatus.RUNNING],
        "queued": counts[UnitStatus.QUEUED] + counts[UnitStatus.PENDING],
        "percent": int(100 * done / total) if total else 0,
    }
