"""Scoring: framework x findings x manual scores -> a unit's score, 得分率, band; ranks in a group.

Rules (website-checks.md §1.1, §6.3):
- A leaf of type ``score`` loses ``deduct`` points per FAIL finding of each of its checks (or all
  its points when ``deduct: all``), never more than its points (扣完为止). UNCERTAIN findings cost
  nothing; they are listed for review.
- A ``veto`` leaf is hit when a check has at least ``threshold`` FAIL findings (or its manual score
  is 1): the unit is 不合格 and, with ``veto.score: zero``, scores 0.
- ``bonus`` leaves add points only when the base score is above ``bonus.gate``; the bonus is
  capped at ``bonus.cap``.
- Items that do not apply to the unit's group, or that the caller marks ``not_applicable``, are
  left out; with ``rescale_not_applicable`` the base is scaled back to the full points (the
  national 75 x 4/3 rule for departments without services).
- An item a unit has no authority over (``authority`` in YAML) scores the average of the units
  of its group that have it (六安 practice): see ``authority_averages`` and ``score_group``.
- A manual score (``manual_scores[path]``) decides its item, automatic or not (人工核减 too);
  manual items without one are ``pending`` and left out of total and max.
- A leaf with ``plan`` scores what ``plan_scores[path]`` gives (its points times the unit's task completion
  under the year's 工作要点, computed by the platform); a manual score still decides it; without either it is
  ``pending``.
- 得分率 (rate) = base score / applicable points; the bonus is not part of the rate.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from gongkai.frameworks.schema import Framework, FrameworkItem
from gongkai.model import Finding, Verdict

STATUS_LABELS = {
    "auto": "自动评分",
    "manual": "人工评分",
    "plan": "按工作要点任务完成率",
    "pending": "待人工评分",
    "not_applicable": "不适用",
    "not_assessable": "无法评估",
    "no_authority": "无权限（待取平均）",
    "authority_average": "无权限（取有权限单位平均分）",
}


@dataclass(frozen=True)
class ItemScore:
    """The score of one leaf for one unit."""

    path: str
    name: str
    type: str
    points: float
    score: float | None  # None when left out (pending, not applicable, ...)
    status: str
    fails: int = 0
    uncertain: int = 0
    vetoed: bool = False
    findings: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "name": self.name,
            "type": self.type,
            "points": self.points,
            "score": self.score,
            "status": self.status,
            "status_label": STATUS_LABELS.get(self.status, self.status),
            "fails": self.fails,
            "uncertain": self.uncertain,
            "vetoed": self.vetoed,
        }


@dataclass(frozen=True)
class UnitScore:
    """A unit's result under one framework version."""

    framework_id: str
    framework_version: str
    unit_group: str
    total: float
    max: float
    rate: float
    veto: bool
    bonus: float
    band: str
    base: float
    items: tuple[ItemScore, ...] = ()
    veto_items: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    unit: str = ""
    ignored_manual: tuple[str, ...] = ()  # manual_scores paths that are no leaf of the framework
    unscored: bool = False  # the crawl read no usable page: no score, no band (only site.unreachable)

    def item(self, path: str) -> ItemScore:
        return next(i for i in self.items if i.path == path)

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "unit_group": self.unit_group,
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "total": self.total,
            "max": self.max,
            "rate": self.rate,
            "veto": self.veto,
            "veto_items": list(self.veto_items),
            "bonus": self.bonus,
            "base": self.base,
            "band": self.band,
            "pending": list(self.pending),
            "ignored_manual": list(self.ignored_manual),
            "unscored": self.unscored,
            "items": [i.as_dict() for i in self.items],
        }


def _matches(finding: Finding, leaf: FrameworkItem, check_id: str) -> bool:
    return finding.check == check_id and finding.item in (leaf.path, "")


def _clamp(value: float, points: float) -> float:
    return max(0.0, min(float(value), points))


def _score_leaf(
    leaf: FrameworkItem,
    findings: Sequence[Finding],
    manual: Mapping[str, float],
    plan_scores: Mapping[str, float] | None = None,
) -> ItemScore:
    base = {"path": leaf.path, "name": leaf.name, "type": leaf.type, "points": leaf.points}
    own = [f for f in findings if any(_matches(f, leaf, ref.check) for ref in leaf.checks)]
    fails = [f for f in own if f.verdict is Verdict.FAIL]
    uncertain = sum(1 for f in own if f.verdict is Verdict.UNCERTAIN)
    if leaf.path in manual:
        value = float(manual[leaf.path])
        if leaf.type == "veto":
            hit = value >= 1
            return ItemScore(**base, score=None, status="manual", vetoed=hit, findings=tuple(own))
        return ItemScore(
            **base, score=_clamp(value, leaf.points), status="manual", fails=len(fails),
            uncertain=uncertain, findings=tuple(own),
        )  # fmt: skip
    if leaf.plan is not None:
        value = (plan_scores or {}).get(leaf.path)
        if value is None:
            return ItemScore(**base, score=None, status="pending")
        return ItemScore(**base, score=_clamp(value, leaf.points), status="plan")
    if not leaf.checks or not own:
        return ItemScore(**base, score=None, status="pending", findings=tuple(own))
    if all(f.verdict is Verdict.NOT_ASSESSABLE for f in own):
        status = "pending" if leaf.manual else "not_assessable"
        return ItemScore(**base, score=None, status=status, findings=tuple(own))
    if leaf.type == "veto":
        hit = any(
            sum(1 for f in fails if _matches(f, leaf, ref.check)) >= ref.threshold for ref in leaf.checks
        )
        return ItemScore(
            **base, score=None, status="auto", fails=len(fails), uncertain=uncertain, vetoed=hit,
            findings=tuple(own),
        )  # fmt: skip
    deducted = 0.0
    for ref in leaf.checks:
        n = sum(1 for f in fails if _matches(f, leaf, ref.check))
        if n:
            deducted += leaf.points if ref.deduct is None else n * ref.deduct
    return ItemScore(
        **base, score=_clamp(leaf.points - deducted, leaf.points), status="auto", fails=len(fails),
        uncertain=uncertain, findings=tuple(own),
    )  # fmt: skip


def _excluded(leaf: FrameworkItem, unit_group: str, not_applicable: Sequence[str]) -> bool:
    if unit_group not in leaf.applies_to:
        return True
    return any(leaf.path == p or leaf.path.startswith(p + "/") for p in not_applicable)


def band_of(framework: Framework, value: float) -> str:
    for band in framework.bands:
        if value >= band.min - 1e-9:
            return band.name
    return framework.bands[-1].name if framework.bands else ""


def score(
    framework: Framework,
    findings: Iterable[Finding],
    unit_group: str,
    manual_scores: Mapping[str, float] | None = None,
    authority: Mapping[str, float | None] | None = None,
    not_applicable: Iterable[str] = (),
    unit: str = "",
    *,
    unread: bool = False,
    plan_scores: Mapping[str, float] | None = None,
) -> UnitScore:
    """Score one unit. ``authority`` maps the items the unit lacks authority over to the score to
    give them (the average of the units that have it) or None while that average is unknown.
    ``unread``: the crawl read no usable page of the unit's site; it gets no score and no band (its
    findings keep site.unreachable), since nothing it publishes was seen.
    ``plan_scores``: the points of ``plan`` leaves (by path) from the unit's task completion."""
    findings = list(findings)
    manual = dict(manual_scores or {})
    lacks = dict(authority or {})
    skipped = tuple(not_applicable)
    items: list[ItemScore] = []
    applicable_points = 0.0
    for leaf in framework.leaves():
        head = {"path": leaf.path, "name": leaf.name, "type": leaf.type, "points": leaf.points}
        if _excluded(leaf, unit_group, skipped):
            items.append(ItemScore(**head, score=None, status="not_applicable"))
            continue
        if leaf.type == "score":
            applicable_points += leaf.points
        if leaf.path in lacks and leaf.path not in manual:
            value = lacks[leaf.path]
            if value is None:
                items.append(ItemScore(**head, score=None, status="no_authority"))
            else:
                items.append(ItemScore(**head, score=_clamp(value, leaf.points), status="authority_average"))
            continue
        items.append(_score_leaf(leaf, findings, manual, plan_scores))
    result = _total(framework, items, applicable_points, unit_group, unit)
    leaves = {i.path for i in items}
    ignored = tuple(sorted(p for p in manual if p not in leaves))
    if unread:
        result = dataclasses.replace(result, total=0.0, rate=0.0, bonus=0.0, band="", unscored=True)
    return dataclasses.replace(result, ignored_manual=ignored) if ignored else result


def _total(
    framework: Framework, items: list[ItemScore], applicable_points: float, unit_group: str, unit: str
) -> UnitScore:
    scored = [i for i in items if i.type == "score" and i.score is not None]
    base = sum(i.score or 0.0 for i in scored)
    base_max = sum(i.points for i in scored)
    if framework.rescale and applicable_points and applicable_points < framework.max_points:
        factor = framework.max_points / applicable_points
        base, base_max = base * factor, base_max * factor
    veto_items = tuple(i.path for i in items if i.vetoed)
    veto = bool(veto_items)
    bonus = sum(i.score or 0.0 for i in items if i.type == "bonus" and i.score is not None)
    if framework.bonus_cap is not None:
        bonus = min(bonus, framework.bonus_cap)
    if veto or (framework.bonus_gate is not None and base <= framework.bonus_gate):
        bonus = 0.0
    rate = base / base_max if base_max else 0.0
    total = base + bonus
    if veto and framework.veto_score == "zero":
        total, rate = 0.0, 0.0
    value = total if framework.band_basis == "total" else rate * 100
    band = framework.veto_band if veto else band_of(framework, value)
    pending = tuple(i.path for i in items if i.status in ("pending", "no_authority"))
    return UnitScore(
        framework_id=framework.id,
        framework_version=framework.version,
        unit_group=unit_group,
        total=round(total, 4),
        max=round(base_max, 4),
        rate=round(rate, 6),
        veto=veto,
        bonus=round(bonus, 4),
        band=band,
        base=round(base, 4),
        items=tuple(items),
        veto_items=veto_items,
        pending=pending,
        unit=unit,
    )


# ---- several units -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInput:
    """What is known of one unit in a round."""

    unit: str
    unit_group: str
    findings: Sequence[Finding] = ()
    manual_scores: Mapping[str, float] = field(default_factory=dict)
    lacks_authority: frozenset[str] = frozenset()
    not_applicable: tuple[str, ...] = ()
    plan_scores: Mapping[str, float] = field(default_factory=dict)


def authority_averages(scores: Iterable[UnitScore]) -> dict[str, float]:
    """Per item path, the average score of the units that have authority over it and were scored."""
    sums: dict[str, list[float]] = defaultdict(list)
    for unit_score in scores:
        for item in unit_score.items:
            if item.status in ("auto", "manual", "plan") and item.score is not None:
                sums[item.path].append(item.score)
    return {path: sum(values) / len(values) for path, values in sums.items()}


def score_group(framework: Framework, units: Sequence[UnitInput]) -> list[UnitScore]:
    """Score every unit; items a unit lacks authority over get the average of its group's units."""

    def one(unit: UnitInput, authority: Mapping[str, float | None]) -> UnitScore:
        return score(
            framework,
            unit.findings,
            unit.unit_group,
            unit.manual_scores,
            authority,
            unit.not_applicable,
            unit.unit,
            plan_scores=unit.plan_scores,
        )

    first = [one(u, dict.fromkeys(u.lacks_authority)) for u in units]
    by_group: dict[str, list[UnitScore]] = defaultdict(list)
    for result in first:
        by_group[result.unit_group].append(result)
    averages = {group: authority_averages(results) for group, results in by_group.items()}
    out = []
    for unit, result in zip(units, first, strict=True):
        if not unit.lacks_authority:
            out.append(result)
            continue
        avg = averages[unit.unit_group]
        out.append(one(unit, {path: avg.get(path) for path in unit.lacks_authority}))
    return out


@dataclass(frozen=True)
class Ranked:
    rank: int
    score: UnitScore
    tied: bool = False


RANK_BASIS_LABELS = {"rate": "综合得分率", "total": "综合得分"}


def rank_value(framework: Framework, s: UnitScore) -> float:
    """What units are ordered by: 得分率 in percent (the default) or the score, as the framework says."""
    if framework.rank_basis == "total":
        return round(s.total, framework.precision)
    return round(s.rate * 100, framework.precision)


def _subtree_value(framework: Framework, s: UnitScore, path: str) -> float:
    """A tie-break item's result: the leaves under ``path`` (or the leaf itself), by the ranking basis."""
    under = [
        i
        for i in s.items
        if (i.path == path or i.path.startswith(path + "/")) and i.type == "score" and i.score is not None
    ]
    if not under:
        return -math.inf
    got = sum(i.score or 0.0 for i in under)
    if framework.rank_basis == "total":
        return round(got, framework.precision)
    points = sum(i.points for i in under)
    return round(100 * got / points, framework.precision) if points else -math.inf


def rank(framework: Framework, scores: Sequence[UnitScore]) -> list[Ranked]:
    """Rank units (of one group): veto-free first, then by 得分率 (or by score when the framework's
    ``ranking.basis`` is ``total``), then the framework's tie-break items (by the same basis).

    Units' 应得分 differ (items not applicable, manual items not scored), so the raw score is only
    comparable where the framework says so. Equal keys (rounded to the framework's precision) share a
    rank: "shared" gives 1, 1, 3 and "dense" gives 1, 1, 2.
    """

    def key(s: UnitScore) -> tuple[float, ...]:
        parts = [0.0 if s.veto else 1.0, rank_value(framework, s)]
        parts.extend(_subtree_value(framework, s, path) for path in framework.tie_break)
        return tuple(parts)

    ordered = sorted(scores, key=key, reverse=True)
    keys = [key(s) for s in ordered]
    out: list[Ranked] = []
    current = 0
    for i, s in enumerate(ordered):
        if i == 0 or keys[i] != keys[i - 1]:
            current = i + 1 if framework.ties == "shared" else current + 1
        tied = (i > 0 and keys[i] == keys[i - 1]) or (i + 1 < len(keys) and keys[i] == keys[i + 1])
        out.append(Ranked(current, s, tied))
    return out
