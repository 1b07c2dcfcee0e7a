"""Results of a round for people: group rankings with change since the previous round, the units that failed
each indicator, the 通报 (DOCX/PDF/XLSX) and the annual assessment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from gongkai.checks import REGISTRY
from gongkai.frameworks.score import RANK_BASIS_LABELS
from gongkai.reports import charts
from gongkai.reports.tongbao import FindingRow, GroupRanking, ProblemArea, RankRow, Tongbao
from gongkai.web.evaluation.models import (
    Assessment,
    Decision,
    Round,
    RoundUnit,
    StoredFinding,
    Unevaluated,
    UnitResult,
    UnitStatus,
)
from gongkai.web.evaluation.review import check_title, counted_fails
from gongkai.web.units.models import UnitGroup

GROUP_ORDER = [
    UnitGroup.COUNTY,
    UnitGroup.ZONE,
    UnitGroup.DEPARTMENT,
    UnitGroup.TOWNSHIP,
    UnitGroup.VILLAGE,
    UnitGroup.OTHER,
]
GROUP_LABELS = dict(UnitGroup.choices)


@dataclass(frozen=True)
class ResultRow:
    """A unit's result as the ranking pages show it (read with values(), so 3,000 rows stay cheap)."""

    round_unit_id: int
    unit_id: int
    name: str
    short_name: str
    group: str
    sampled: bool
    rank: int | None
    tied: bool
    total: float
    max: float
    rate: float
    veto: bool
    band: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


RESULT_FIELDS = (
    "round_unit_id",
    "round_unit__unit_id",
    "round_unit__unit__name",
    "round_unit__unit__short_name",
    "round_unit__group",
    "round_unit__sampled",
    "rank",
    "tied",
    "total",
    "max",
    "rate",
    "veto",
    "band",
)


def results_by_group(
    round_: Round,
    unit_ids: set[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
    only_group: str = "",
) -> list[tuple[str, list[ResultRow], int]]:
    """Per group in the usual order: (group, its results by rank from `offset`, at most `limit`, how many
    it has). `only_group` keeps one group (a page of the full ranking)."""
    results = UnitResult.objects.filter(round_unit__round=round_)
    if unit_ids is not None:
        results = results.filter(round_unit__unit_id__in=unit_ids)
    counts = dict(results.values_list("round_unit__group").annotate(n=Count("pk")))
    out = []
    for group in GROUP_ORDER:
        if not counts.get(group) or (only_group and group != only_group):
            continue
        rows = results.filter(round_unit__group=group).order_by("rank", "round_unit__unit__name")
        rows = rows.values_list(*RESULT_FIELDS)
        rows = rows[offset : offset + limit] if limit else rows[offset:]
        out.append((group, [ResultRow(*row) for row in rows], counts[group]))
    return out


def basis_label(round_: Round) -> str:
    """What the round's ranking orders by, in the 通报's words: 综合得分率 unless the framework ranks by score."""
    from gongkai.web.evaluation.services import framework_of

    return RANK_BASIS_LABELS.get(framework_of(round_).rank_basis, "综合得分率")


def unevaluated_units(round_: Round) -> list[tuple[str, str]]:
    """Units the round did not evaluate, with why: not drawn in the sample, or their site could not be
    checked. They are shown as such and never scored or ranked."""
    out = [(name, "未抽中") for name in round_.not_sampled or []]
    failed = round_.units.exclude(status=UnitStatus.DONE).filter(result__isnull=True)
    for name, status in failed.values_list("unit__name", "status").order_by("unit__name"):
        out.append((name, "检测失败" if status == UnitStatus.FAILED else "尚未检测完成"))
    return out


def previous_ranks(round_: Round) -> dict[int, int]:
    if round_.previous_id is None:
        return {}
    return dict(
        UnitResult.objects.filter(round_unit__round_id=round_.previous_id).values_list(
            "round_unit__unit_id", "rank"
        )
    )


def rank_change(result: ResultRow, before: dict[int, int]) -> int | None:
    old = before.get(result.unit_id)
    return None if old is None or result.rank is None else old - result.rank


def failed_by_indicator(round_: Round, unit_ids: set[int] | None = None) -> list[dict]:
    """Per first-level indicator and check: what was found and which units (the 通报's 需要完善的事项).

    The database does the grouping (one row per unit, item and check), so a round with a million findings
    costs one aggregate query; the office's dashboard reads the copy stored on the round at scoring time.
    """
    fails = StoredFinding.objects.filter(counted_fails(), round_unit__round=round_)
    if unit_ids is not None:
        fails = fails.filter(round_unit__unit_id__in=unit_ids)
    names = {
        pk: short or name
        for pk, name, short in round_.units.values_list("unit_id", "unit__name", "unit__short_name")
    }
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, check_id, unit_id in fails.values_list("item", "check_id", "round_unit__unit_id").distinct():
        grouped[((item or "其他").split("/")[0], check_id)].add(names[unit_id])
    rows = []
    for (area, check_id), units in sorted(grouped.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        spec = REGISTRY.get(check_id)
        rows.append(
            {
                "area": area,
                "check": check_id,
                "description": _describe(spec, check_id),
                "units": sorted(units),
            }
        )
    return rows


def _describe(spec, check_id: str) -> str:
    """What the check finds, as the notice says it: the first clause of its documentation (the rest
    explains the framework's parameters, which are not news to a unit)."""
    if spec is None or not (getattr(spec, "doc", "") or "").strip():
        return "其他问题。"
    return check_title(check_id) + "。"


DEFAULT_ISSUER = "政务公开办公室"


def build_tongbao(
    round_: Round, issuer: str = "", issued: date | None = None, unit_ids: set[int] | None = None
) -> Tongbao:
    """The round's 通报. The sign-off is the round's 署名 (carried over from the office's previous round);
    with ``unit_ids`` (a liaison's units) the sheet of findings lists those units only."""
    issuer = issuer or round_.issuer or DEFAULT_ISSUER
    issued = issued or (round_.published_at.date() if round_.published_at else None)
    before = previous_ranks(round_)
    groups = []
    for group, results, _count in results_by_group(round_):
        rows = tuple(
            RankRow(
                rank=r.rank or 0,
                unit=r.display_name,
                total=r.total,
                max=r.max,
                rate=r.rate,
                band=r.band,
                veto=r.veto,
                tied=r.tied,
                change=rank_change(r, before),
                sampled=r.sampled,
            )
            for r in results
        )
        note = ""
        if group == UnitGroup.TOWNSHIP and round_.township_sample:
            note = f"本次随机抽查 {len(rows)} 个乡镇（街道）"
            if round_.not_sampled:
                note += f"，其余 {len(round_.not_sampled)} 个本次未测评，不参与排名"
            note += "。"
        groups.append(GroupRanking(label=GROUP_LABELS.get(group, group), rows=rows, sampled_note=note))
    summary = round_.problems_summary or failed_by_indicator(round_)
    problems = [
        ProblemArea(area=p["area"], description=p["description"], units=tuple(p["units"])) for p in summary
    ]
    return Tongbao(
        title=f"关于{round_.name}结果的通报",
        issuer=issuer,
        as_of=round_.as_of,
        issued=issued or date.today(),
        number=round_.number,
        groups=groups,
        problems=problems,
        requirements=round_.requirements,
        findings=finding_rows(round_, unit_ids),
        framework=f"{round_.framework_id} {round_.framework_version}",
        basis=basis_label(round_),
        unevaluated=tuple(f"{name}（{why}）" for name, why in unevaluated_units(round_) if why != "未抽中"),
    )


def finding_rows(round_: Round, unit_ids: set[int] | None = None) -> list[FindingRow]:
    rows = []
    qs = (
        StoredFinding.objects.filter(round_unit__round=round_)
        .exclude(verdict="PASS")
        .exclude(review__decision=Decision.FALSE_ALARM)
        .select_related("round_unit__unit", "review")
    )
    if unit_ids is not None:
        qs = qs.filter(round_unit__unit_id__in=unit_ids)
    for f in qs.order_by("round_unit__group", "round_unit__unit__name", "item"):
        url = f.evidence[0]["url"] if f.evidence else ""
        rows.append(
            FindingRow(
                unit=f.round_unit.unit.name,
                group=GROUP_LABELS.get(f.round_unit.group, ""),
                item=f.item,
                check=check_title(f.check_id),
                verdict=_verdict_text(f),
                subject=f.subject,
                message=f.message,
                url=url,
            )
        )
    return rows


def _verdict_text(f: StoredFinding) -> str:
    review = f.review if hasattr(f, "review") else None  # no review: the reverse accessor raises
    if review is not None and review.decision == Decision.CONFIRMED:
        return "不通过（已复核）"
    return f.get_verdict_display()


def tongbao_charts(tb: Tongbao) -> list[tuple[str, bytes]]:
    out = []
    for g in tb.groups:
        out.append(
            (
                f"{g.label}得分率排名",
                charts.ranking_bars(f"{g.label}得分率", [r.unit for r in g.rows], [r.rate for r in g.rows]),
            )
        )
    all_rates = [r.rate for g in tb.groups for r in g.rows]
    if all_rates:
        out.append(("得分率分布", charts.score_distribution("各单位得分率分布", all_rates)))
    changed = [(r.unit, r.change) for g in tb.groups for r in g.rows if r.change is not None]
    if changed:
        out.append(
            (
                "名次变化",
                charts.rank_changes("较上一批次名次变化", [c[0] for c in changed], [c[1] for c in changed]),
            )
        )
    return out


@dataclass
class AssessmentRow:
    unit: str
    group: str
    parts: dict[str, float | str | None]
    total: float | None
    rank: int = 0
    excellent: bool = False
    note: str = ""


def _round_label(round_: Round | None, round_id: int) -> str:
    return round_.name if round_ is not None else f"第 {round_id} 号批次"


def assessment_results(assessment: Assessment) -> dict[str, list[AssessmentRow]]:
    """Weighted combination of rounds' 得分率 and other items; 优秀 by share of each group and a minimum.

    A unit a round did not evaluate (a township not sampled) gets no score for it: by default its
    evaluated rounds' weights are scaled up to the whole (``reweight``); the assessment may instead count
    the missing round as 0 or leave the unit out of the year's ranking."""
    entries = [(int(e["round"]), float(e["weight"])) for e in assessment.rounds]
    rounds = Round.objects.in_bulk([rid for rid, _w in entries])
    per_unit: dict[str, dict] = {}
    for round_id, weight in entries:
        label = _round_label(rounds.get(round_id), round_id)
        results = UnitResult.objects.filter(round_unit__round_id=round_id).select_related("round_unit__unit")
        for r in results:
            row = per_unit.setdefault(r.round_unit.unit.name, {"group": r.round_unit.group, "rates": {}})
            row["rates"][label] = (r.rate, weight)
    round_weight = sum(w for _rid, w in entries)
    labels = [_round_label(rounds.get(rid), rid) for rid, _w in entries]
    grouped: dict[str, list[AssessmentRow]] = defaultdict(list)
    for name, row in per_unit.items():
        grouped[row["group"]].append(_assessment_row(assessment, name, row, labels, round_weight))
    for item in assessment.other_items or []:
        weight = float(item.get("weight", 0))
        for rows in grouped.values():
            for arow in rows:
                value = (item.get("scores") or {}).get(arow.unit)
                if value is not None and arow.total is not None:
                    arow.parts[item.get("name", "其他")] = value
                    arow.total = round(arow.total + weight * float(value), 2)
    out = {}
    for group in GROUP_ORDER:
        rows = grouped.get(group, [])
        ranked = sorted((r for r in rows if r.total is not None), key=lambda r: -(r.total or 0))
        quota = max(1, int(len(ranked) * assessment.excellent_share)) if ranked else 0
        for row in ranked:
            row.rank = 1 + sum(1 for other in ranked if (other.total or 0) > (row.total or 0))
            row.excellent = row.rank <= quota and (row.total or 0) >= assessment.excellent_min
        if rows:
            out[GROUP_LABELS.get(group, group)] = ranked + [r for r in rows if r.total is None]
    return out


def _assessment_row(assessment: Assessment, name: str, row: dict, labels: list[str], full: float):
    parts: dict[str, float | str | None] = {}
    got = weight_seen = 0.0
    missing = []
    for label in labels:
        if label in row["rates"]:
            rate, weight = row["rates"][label]
            parts[label] = round(rate, 2)
            got += weight * rate
            weight_seen += weight
        else:
            parts[label] = "未测评"
            missing.append(label)
    note = ""
    if missing and assessment.unevaluated == Unevaluated.EXCLUDE:
        return AssessmentRow(name, row["group"], parts, None, note="有批次未测评，不参与年度排名")
    if missing and assessment.unevaluated == Unevaluated.REWEIGHT and weight_seen:
        got = got * full / weight_seen
        note = "按参评批次的权重折算"
    elif missing:
        note = "未测评批次记 0 分"
    return AssessmentRow(name, row["group"], parts, round(got, 2), note=note)


def unit_round_history(round_unit: RoundUnit) -> list[UnitResult]:
    return list(
        UnitResult.objects.filter(round_unit__unit=round_unit.unit)
        .select_related("round_unit__round")
        .order_by("round_unit__round__as_of")
    )
