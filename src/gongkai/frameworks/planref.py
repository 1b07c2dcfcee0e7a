"""Framework leaves scored from the year's 工作要点 (``plan``): the reference and its validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.plans import AreasError, area_names


@dataclass(frozen=True)
class PlanRef:
    """A leaf scored from the plan's task completion: the tasks of these areas (all when empty), of the units
    that lead them (``lead``) or also of those that help (``all``)."""

    areas: tuple[str, ...] = ()
    units: str = "lead"


def plan_ref(raw: dict[str, Any], name: str, item_type: str) -> tuple[PlanRef, list[tuple[tuple, str]]]:
    """The leaf's PlanRef and its problems as (path below the item, Chinese message)."""
    problems: list[tuple[tuple, str]] = []
    spec = raw["plan"] if isinstance(raw["plan"], dict) else {}
    if raw["plan"] is False:
        problems.append(
            (("plan",), f"指标「{name}」的 plan 只能为 true 或映射；不按任务完成率计分时请删去 plan")
        )
    if "checks" in raw:
        problems.append(
            (("plan",), f"指标「{name}」按工作要点任务完成率计分（plan），不能同时设置自动检查（checks）")
        )
    if item_type == "veto":
        problems.append((("plan",), f"指标「{name}」是单项否决指标，不能按任务完成率计分（plan）"))
    areas = tuple(spec.get("areas", ()))
    try:
        known = area_names()
    except AreasError as exc:
        problems.append((("plan",), str(exc)))
        known = list(areas)
    for i, area in enumerate(areas):
        if area not in known:
            problems.append(
                (("plan", "areas", i), f"「{area}」不是工作要点的工作领域；可用：{'、'.join(known)}")
            )
    return PlanRef(areas=areas, units=spec.get("units", "lead")), problems
