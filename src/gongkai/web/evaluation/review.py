"""Before a round is published: evaluators decide the automatic findings (核减: confirm or mark 误报), and the
publishing gate lists what is still open (manual items unscored or unreviewed, UNCERTAIN findings undecided).

A 误报 leaves the unit's score; a confirmed UNCERTAIN counts as a FAIL. Every decision is audited
(django-simple-history on FindingReview); rechecking a unit replaces its findings and so their reviews.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from gongkai.checks import REGISTRY
from gongkai.reports.tongbao import plain_words
from gongkai.web.evaluation.models import (
    Decision,
    FindingReview,
    ManualScore,
    Round,
    StoredFinding,
    UnitResult,
    Verdict,
)

REVIEWED_VERDICTS = (Verdict.FAIL, Verdict.UNCERTAIN)


def check_title(check_id: str) -> str:
    """A check's Chinese name: the first clause of its documentation."""
    spec = REGISTRY.get(check_id)
    doc = (getattr(spec, "doc", "") or "").strip()
    if not doc:
        return "其他检查"
    # the first clause: what follows it tells how the framework's parameters change the check
    title = re.split(r"[；。]", plain_words(doc.splitlines()[0]), maxsplit=1)[0]
    return title + "）" * (title.count("（") - title.count("）"))


def counted_fails() -> Q:
    """The findings that count against a unit: FAILs not marked 误报, and UNCERTAINs confirmed."""
    return (Q(verdict=Verdict.FAIL) & ~Q(review__decision=Decision.FALSE_ALARM)) | Q(
        verdict=Verdict.UNCERTAIN, review__decision=Decision.CONFIRMED
    )


def effective_verdict(verdict: str, decision: str | None) -> str:
    """The verdict scoring uses once an evaluator has decided: 误报 passes, a confirmed UNCERTAIN fails."""
    if decision == Decision.FALSE_ALARM and verdict in REVIEWED_VERDICTS:
        return Verdict.PASS
    if decision == Decision.CONFIRMED and verdict == Verdict.UNCERTAIN:
        return Verdict.FAIL
    return verdict


@transaction.atomic
def decide(
    findings: Iterable[StoredFinding], decision: str, reason: str, user, remember: bool = False
) -> int:
    """Record one decision on many findings (the same cause repeated); returns how many were decided.
    ``remember`` with a 误报 on wording.* findings also adds their phrases to the unit's site allow-list."""
    reason = reason.strip()
    if decision not in Decision.values:
        raise ValueError("未知的复核结论")
    if decision == Decision.FALSE_ALARM and not reason:
        raise ValueError("标记为误报时必须写明理由")
    now = timezone.now()
    n = 0
    for finding in findings:
        if finding.verdict not in REVIEWED_VERDICTS:
            continue
        review = FindingReview.objects.filter(finding=finding).first() or FindingReview(finding=finding)
        review.decision, review.reason, review.reviewed_by, review.reviewed_at = decision, reason, user, now
        review.save()  # one by one, so each decision is in the audit log
        if remember and decision == Decision.FALSE_ALARM:
            remember_wording(finding, reason)
        n += 1
    return n


_PHRASE = re.compile(r"^「(.+?)」")


def remember_wording(finding: StoredFinding, reason: str) -> bool:
    """Remember a wording.* finding's phrase as a 误报 of the unit's site (an allow-list entry with the
    evaluator's reason), so the next round does not report it again; False for other findings."""
    from gongkai.web.wording.models import WordingAllowance

    match = _PHRASE.match(finding.message)
    site = finding.round_unit.url or finding.round_unit.unit.website
    if not finding.check_id.startswith("wording.") or not match or not site:
        return False
    allowance, _ = WordingAllowance.objects.get_or_create(
        url_prefix=site, phrase=match.group(1), check_id=finding.check_id, defaults={"reason": reason}
    )
    if allowance.reason != reason or not allowance.active:
        allowance.reason, allowance.active = reason, True
        allowance.save()
    return True


@dataclass
class CheckRow:
    check: str
    title: str
    fail: int = 0
    uncertain: int = 0
    undecided_uncertain: int = 0
    undecided_fail: int = 0
    confirmed: int = 0
    false_alarm: int = 0


def check_summary(round_: Round) -> list[CheckRow]:
    """Per check, the FAIL and UNCERTAIN findings of the round and how far their review has gone."""
    rows: dict[str, CheckRow] = {}
    qs = StoredFinding.objects.filter(round_unit__round=round_, verdict__in=REVIEWED_VERDICTS)
    for check_id, verdict, decision, n in (
        qs.values_list("check_id", "verdict", "review__decision").annotate(n=Count("pk")).order_by()
    ):
        row = rows.setdefault(check_id, CheckRow(check_id, check_title(check_id)))
        if verdict == Verdict.FAIL:
            row.fail += n
            row.undecided_fail += n if decision is None else 0
        else:
            row.uncertain += n
            row.undecided_uncertain += n if decision is None else 0
        row.confirmed += n if decision == Decision.CONFIRMED else 0
        row.false_alarm += n if decision == Decision.FALSE_ALARM else 0
    return sorted(rows.values(), key=lambda r: (-r.undecided_uncertain, -(r.fail + r.uncertain), r.check))


@dataclass
class Blocker:
    """What keeps one unit's result from being published."""

    round_unit_id: int
    unit: str
    unscored: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    uncertain: int = 0

    def text(self) -> str:
        parts = []
        if self.unscored:
            parts.append(f"{len(self.unscored)} 个人工评分项待评")
        if self.unreviewed:
            parts.append(f"{len(self.unreviewed)} 个人工评分未复核")
        if self.uncertain:
            parts.append(f"{self.uncertain} 条待核实的检查结论未作结论")
        return "、".join(parts)


def publish_blockers(round_: Round) -> list[Blocker]:
    """Every unit with applicable manual items unscored or unreviewed, or UNCERTAIN findings undecided."""
    from gongkai.web.evaluation.services import framework_of

    manual_leaves = {leaf.path: leaf for leaf in framework_of(round_).leaves() if leaf.manual}
    manual_paths = set(manual_leaves)
    blockers: dict[int, Blocker] = {}
    names = dict(round_.units.values_list("pk", "unit__name"))
    groups = dict(round_.units.values_list("pk", "group"))

    def of(ru_id: int) -> Blocker:
        return blockers.setdefault(ru_id, Blocker(ru_id, names.get(ru_id, "")))

    for ru_id, items in UnitResult.objects.filter(round_unit__round=round_).values_list(
        "round_unit_id", "items"
    ):
        pending = [i["path"] for i in items if i["status"] == "pending" and i["path"] in manual_paths]
        if pending:
            of(ru_id).unscored = pending
        applicable = {p for p, leaf in manual_leaves.items() if groups.get(ru_id) in leaf.applies_to}
        unreviewed = ManualScore.objects.filter(round_unit_id=ru_id, reviewed_by__isnull=True)
        late = [path for path in unreviewed.values_list("item", flat=True) if path in applicable]
        if late:
            of(ru_id).unreviewed = late
    undecided = StoredFinding.objects.filter(
        round_unit__round=round_, verdict=Verdict.UNCERTAIN, review__isnull=True
    )
    for ru_id, n in undecided.values_list("round_unit_id").annotate(n=Count("pk")).order_by():
        of(ru_id).uncertain = n
    return sorted(blockers.values(), key=lambda b: b.unit)


def blocker_summary(blockers: list[Blocker]) -> str:
    totals: dict[str, int] = defaultdict(int)
    for b in blockers:
        totals["unscored"] += len(b.unscored)
        totals["unreviewed"] += len(b.unreviewed)
        totals["uncertain"] += b.uncertain
    parts = []
    if totals["unscored"]:
        parts.append(f"{totals['unscored']} 个人工评分项待评")
    if totals["unreviewed"]:
        parts.append(f"{totals['unreviewed']} 个人工评分未复核")
    if totals["uncertain"]:
        parts.append(f"{totals['uncertain']} 条待核实的检查结论未作结论")
    return f"{len(blockers)} 个单位尚有 " + "、".join(parts)


@dataclass
class QualityRow:
    """How one check's FAIL and UNCERTAIN findings fared in use: confirmed, 误报, granted on appeal."""

    check: str
    title: str
    findings: int = 0
    reviewed: int = 0
    confirmed: int = 0
    false_alarm: int = 0
    appealed: int = 0
    granted: int = 0

    @property
    def false_alarm_share(self) -> float | None:
        return self.false_alarm / self.reviewed if self.reviewed else None

    @property
    def confirmed_share(self) -> float | None:
        return self.confirmed / self.reviewed if self.reviewed else None

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "title": self.title,
            "findings": self.findings,
            "reviewed": self.reviewed,
            "confirmed": self.confirmed,
            "false_alarm": self.false_alarm,
            "appealed": self.appealed,
            "granted_on_appeal": self.granted,
            "confirmed_share": self.confirmed_share,
            "false_alarm_share": self.false_alarm_share,
        }


def quality(round_ids: Iterable[int] | None = None) -> list[QualityRow]:
    """Per check, over the given rounds (all when None): findings, decisions and appeals granted. A granted
    appeal also counts as a 误报 (its finding was marked so)."""
    from gongkai.web.evaluation.models import Appeal, AppealStatus

    findings = StoredFinding.objects.filter(verdict__in=REVIEWED_VERDICTS)
    appeals = Appeal.objects.exclude(finding=None)
    if round_ids is not None:
        ids = list(round_ids)
        findings = findings.filter(round_unit__round_id__in=ids)
        appeals = appeals.filter(round_unit__round_id__in=ids)
    rows: dict[str, QualityRow] = {}

    def row(check_id: str) -> QualityRow:
        return rows.setdefault(check_id, QualityRow(check_id, check_title(check_id)))

    for check_id, decision, n in (
        findings.values_list("check_id", "review__decision").annotate(n=Count("pk")).order_by()
    ):
        r = row(check_id)
        r.findings += n
        if decision is not None:
            r.reviewed += n
            r.confirmed += n if decision == Decision.CONFIRMED else 0
            r.false_alarm += n if decision == Decision.FALSE_ALARM else 0
    for check_id, status, n in (
        appeals.values_list("finding__check_id", "status").annotate(n=Count("pk")).order_by()
    ):
        r = row(check_id)
        r.appealed += n
        r.granted += n if status == AppealStatus.GRANTED else 0
    return sorted(rows.values(), key=lambda r: (-(r.false_alarm_share or 0), -r.findings, r.check))
