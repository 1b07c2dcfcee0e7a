"""Results of a round for people: group rankings with change since the previous round, the units that failed
each indicator, the 通报 (DOCX/PDF/XLSX) and the annual assessment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

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
    fails = StoredFinding.objects.filter(round_unit__round=round_, verdict="FAIL")
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
    doc = getattr(spec, "doc", "") or getattr(spec, "title", "") or check_id
    first = doc.strip().splitlines()[0] if doc.strip() else check_id
    return first if first.endswith(("。", "；")) else first + "。"


def build_tongbao(round_: Round, issuer: str = "政务公开办公室", issued: date | None = None) -> Tongbao:
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
            note = f"（随机抽查 {len(rows)} 个乡镇（街道），随机种子 {round_.sample_seed}）"
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
