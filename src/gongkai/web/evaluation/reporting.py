"""Results of a round for people: group rankings with change since the previous round, the units that failed
each indicator, the 通报 (DOCX/PDF/XLSX) and the annual assessment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from gongkai.checks import REGISTRY
from gongkai.reports import charts
from gongkai.reports.tongbao import FindingRow, GroupRanking, ProblemArea, RankRow, Tongbao
from gongkai.web.evaluation.models import Assessment, Round, RoundUnit, StoredFinding, UnitResult
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


def results_by_group(round_: Round, unit_ids: set[int] | None = None) -> list[tuple[str, list[UnitResult]]]:
    results = UnitResult.objects.filter(round_unit__round=round_).select_related("round_unit__unit")
    if unit_ids is not None:
        results = results.filter(round_unit__unit_id__in=unit_ids)
    grouped: dict[str, list[UnitResult]] = defaultdict(list)
    for r in results.order_by("rank", "round_unit__unit__name"):
        grouped[r.round_unit.group].append(r)
    return [(g, grouped[g]) for g in GROUP_ORDER if grouped.get(g)]


def previous_ranks(round_: Round) -> dict[int, int]:
    if round_.previous_id is None:
        return {}
    return {
        r.round_unit.unit_id: r.rank
        for r in UnitResult.objects.filter(round_unit__round_id=round_.previous_id).select_related(
            "round_unit"
        )
    }


def rank_change(result: UnitResult, before: dict[int, int]) -> int | None:
    old = before.get(result.round_unit.unit_id)
    return None if old is None or result.rank is None else old - result.rank


def failed_by_indicator(round_: Round, unit_ids: set[int] | None = None) -> list[dict]:
    """Per first-level indicator and check: what was found and which units (the 通报's 需要完善的事项)."""
    fails = StoredFinding.objects.filter(round_unit__round=round_, verdict="FAIL").select_related(
        "round_unit__unit"
    )
    if unit_ids is not None:
        fails = fails.filter(round_unit__unit_id__in=unit_ids)
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in fails.only("item", "check_id", "round_unit__unit__name", "round_unit__unit__short_name"):
        area = (f.item or "其他").split("/")[0]
        grouped[(area, f.check_id)].add(f.round_unit.unit.display_name)
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
    doc = getattr(spec, "doc", "") or getattr(spec, "title", "") or check_id
    first = doc.strip().splitlines()[0] if doc.strip() else check_id
    return first if first.endswith(("。", "；")) else first + "。"


def build_tongbao(round_: Round, issuer: str = "政务公开办公室", issued: date | None = None) -> Tongbao:
    before = previous_ranks(round_)
    groups = []
    for group, results in results_by_group(round_):
        rows = tuple(
            RankRow(
                rank=r.rank or 0,
                unit=r.round_unit.unit.display_name,
                total=r.total,
                max=r.max,
                rate=r.rate,
                band=r.band,
                veto=r.veto,
                tied=r.tied,
                change=rank_change(r, before),
                sampled=r.round_unit.sampled,
            )
            for r in results
        )
        note = ""
        if group == UnitGroup.TOWNSHIP and round_.township_sample:
            note = f"（随机抽查 {len(rows)} 个乡镇（街道），随机种子 {round_.sample_seed}）"
        groups.append(GroupRanking(label=GROUP_LABELS.get(group, group), rows=rows, sampled_note=note))
    problems = [
        ProblemArea(area=p["area"], description=p["description"], units=tuple(p["units"]))
        for p in failed_by_indicator(round_)
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
        findings=finding_rows(round_),
        framework=f"{round_.framework_id} {round_.framework_version}",
    )


def finding_rows(round_: Round) -> list[FindingRow]:
    rows = []
    qs = (
        StoredFinding.objects.filter(round_unit__round=round_)
        .exclude(verdict="PASS")
        .select_related("round_unit__unit")
    )
    for f in qs.order_by("round_unit__group", "round_unit__unit__name", "item"):
        url = f.evidence[0]["url"] if f.evidence else ""
        rows.append(
            FindingRow(
                unit=f.round_unit.unit.name,
                group=GROUP_LABELS.get(f.round_unit.group, ""),
                item=f.item,
                check=f.check_id,
                verdict=f.get_verdict_display(),
                subject=f.subject,
                message=f.message,
                url=url,
            )
        )
    return rows


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
    parts: dict[str, float | None]
    total: float
    rank: int = 0
    excellent: bool = False


def assessment_results(assessment: Assessment) -> dict[str, list[AssessmentRow]]:
    """Weighted combination of rounds' 得分率 and other items; 优秀 by share of each group and a minimum."""
    per_unit: dict[str, dict] = {}
    for entry in assessment.rounds:
        round_id, weight = entry["round"], float(entry["weight"])
        for r in UnitResult.objects.filter(round_unit__round_id=round_id).select_related("round_unit__unit"):
            row = per_unit.setdefault(
                r.round_unit.unit.name, {"group": r.round_unit.group, "parts": {}, "total": 0.0}
            )
            row["parts"][f"批次{round_id}"] = round(r.rate, 2)
            row["total"] += weight * r.rate
    for item in assessment.other_items or []:
        weight = float(item.get("weight", 0))
        for unit_name, value in (item.get("scores") or {}).items():
            if unit_name in per_unit:
                per_unit[unit_name]["parts"][item.get("name", "其他")] = value
                per_unit[unit_name]["total"] += weight * float(value)
    grouped: dict[str, list[AssessmentRow]] = defaultdict(list)
    for name, row in per_unit.items():
        grouped[row["group"]].append(AssessmentRow(name, row["group"], row["parts"], round(row["total"], 2)))
    out = {}
    for group in GROUP_ORDER:
        rows = sorted(grouped.get(group, []), key=lambda r: -r.total)
        quota = max(1, int(len(rows) * assessment.excellent_share)) if rows else 0
        for row in rows:
            row.rank = 1 + sum(1 for other in rows if other.total > row.total)
            row.excellent = row.rank <= quota and row.total >= assessment.excellent_min
        if rows:
            out[GROUP_LABELS.get(group, group)] = rows
    return out


def unit_round_history(round_unit: RoundUnit) -> list[UnitResult]:
    return list(
        UnitResult.objects.filter(round_unit__unit=round_unit.unit)
        .select_related("round_unit__round")
        .order_by("round_unit__round__as_of")
    )
