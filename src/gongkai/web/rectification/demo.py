"""The demo's rectification: problem lists for every unit of the demo round; the finance bureau has answered
part of its list: one item really fixed on its site (verified by the platform and closed by the office), one
declared impossible with a reason, one answered with a wrong link (returned by the platform)."""

from __future__ import annotations

from typing import Any

from gongkai.web.core.jobs import run_pending
from gongkai.web.evaluation.models import Round
from gongkai.web.rectification import services
from gongkai.web.rectification.models import ProblemItem, ProblemStatus

FIXABLE = (
    "column.blank",
    "column.stale",
    "meta.missing",
    "normative.validity",
    "privacy.id_number",
    "privacy.mobile",
    "guide.elements",
    "site.identity",
    "item.undated",
    "title.unit_year",
)


def load_demo(ctx: Any) -> list[str]:
    from gongkai.web.evaluation.demo import DEMO_ROUND

    round_ = Round.objects.filter(name=DEMO_ROUND).first()
    if round_ is None:
        return []
    if ProblemItem.objects.filter(round=round_).exists():
        return ["问题清单已存在，直接使用"]
    created = services.generate_problem_lists(round_)
    lines = [f"已为各单位生成问题清单：共 {created} 项"]
    liaison, office = ctx.users.get("caizheng"), ctx.users.get("admin")
    unit = liaison.profile.unit if liaison else None
    if unit is None:
        return lines
    items = list(ProblemItem.objects.filter(round=round_, unit=unit).order_by("number"))
    fleet, server = ctx.options["fleet"], ctx.options["server"]
    site = fleet.site(unit.name)
    fixed = _answer_fixed(items, fleet, site, server, liaison, office)
    rest = [p for p in items if p.pk not in fixed]
    if rest:
        services.submit_answer(
            rest[0],
            "无法整改",
            [],
            "该类信息由市级统一发布，本单位不单独制作，已在栏目中链接市级发布页面",
            liaison,
        )
    if len(rest) > 1:
        services.submit_answer(
            rest[1], "已整改", ["http://www.example.gov.cn/zwgk/"], "已在门户网站发布", liaison
        )
        run_pending()  # the verification job the answer queued
    fleet.save(ctx.options.get("fleet_dir") or _fleet_dir())
    closed = ProblemItem.objects.filter(round=round_, unit=unit, status=ProblemStatus.CLOSED).count()
    lines.append(
        f"{unit.name}已答复 {min(len(items), len(fixed) + 2)} 项：平台自动复核通过并销号 {closed} 项，退回 1 项"
    )
    return lines


def _answer_fixed(items, fleet, site, server, liaison, office) -> set[int]:
    """Fix the first fixable defect on the fleet site, answer it, let the platform verify it, close it."""
    for problem in items:
        if problem.check_id not in FIXABLE:
            continue
        truth = [d for d in site.manifest if d["check"] == problem.check_id]
        if not truth:
            continue
        for defect in truth:
            fleet.apply_fix(site.name, defect)
        services.submit_answer(problem, "已整改", [server.url_of(site)], "已补充栏目内容并规范发布", liaison)
        run_pending()  # the platform verifies the answer by itself, as it does for every answer with links
        problem.refresh_from_db()
        if problem.status == ProblemStatus.VERIFIED:
            services.close(problem, office, "平台复核通过，予以销号")
        return {problem.pk}
    return set()


def _fleet_dir():
    from gongkai.web.demo import fleet_dir

    return fleet_dir()
