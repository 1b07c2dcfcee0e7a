"""The demo's evaluation: a quarterly round over the demo fleet with the default framework, run in the
background with a progress bar; every applicable manual item scored by one evaluator and reviewed by another,
the UNCERTAIN findings decided (some confirmed, some 误报), then the results published through the gate."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.web.evaluation import appeals, review, services
from gongkai.web.evaluation.models import Decision, ManualScore, Round, RoundState, StoredFinding, UnitResult
from gongkai.web.evaluation.runner import run_with_progress
from gongkai.web.evaluation.services import RoundError

DEMO_ROUND = "2026年第四季度政务公开网上测评"
DEMO_FRAMEWORK = "zwgk-2026"
DEMO_BLOCKED_ROUND = "2026年第四季度乡镇（街道）政务公开专项测评"


def load_demo(ctx: Any) -> list[str]:
    return _published_round(ctx) + _blocked_round(ctx)


def _published_round(ctx: Any) -> list[str]:
    round_ = Round.objects.filter(name=DEMO_ROUND).first()
    if round_ is not None and round_.state == RoundState.PUBLISHED:
        return [f"测评批次“{DEMO_ROUND}”已存在（已发布），直接使用"]
    if round_ is not None:
        round_.delete()
    round_ = services.create_round(
        DEMO_ROUND,
        DEMO_FRAMEWORK,
        ctx.options["as_of"],
        township_sample=2,
        seed=20261120,
        user=ctx.users.get("pinggu"),
        number="临公开办〔2026〕12号",
        issuer="临江市人民政府办公室",
        rate=25,
        max_pages=400,
        check_external=False,  # the demo runs offline: its sites' links to gov.cn cannot be checked
        requirements="请各单位对照问题清单逐项整改，于15个工作日内通过平台报送整改情况和整改链接。\n"
        "整改情况将纳入下一季度测评和年度绩效考评。",
    )
    run_with_progress(round_, ctx.options.get("console"))
    _manual_scores(round_, ctx)
    _decide_findings(round_, ctx)
    _appeal(round_, ctx)
    services.publish(round_, user=ctx.users.get("pinggu"))
    n = UnitResult.objects.filter(round_unit__round=round_).count()
    return [f"已完成测评批次“{DEMO_ROUND}”：{n} 个单位已评分、分组排名并发布通报"]


def _manual_scores(round_: Round, ctx: Any) -> None:
    """Every manual item left to a person for each unit (those the checks could not decide, and those
    only a person can judge), scored by 测评员 pinggu and reviewed by pinggu2; the points vary by unit so
    that units' 得分率 differ."""
    framework = services.framework_of(round_)
    manual = {leaf.path: leaf for leaf in framework.leaves() if leaf.manual}
    evaluator, reviewer = ctx.users.get("pinggu"), ctx.users.get("pinggu2")
    results = UnitResult.objects.filter(round_unit__round=round_).select_related("round_unit")
    for i, result in enumerate(results.order_by("round_unit__unit__name")):
        pending = [
            manual[item["path"]]
            for item in result.items
            if item["status"] == "pending" and item["path"] in manual
        ]
        for j, leaf in enumerate(pending):
            points = 0.0 if leaf.type == "veto" else round(leaf.points * (0.6 + 0.1 * ((i + j) % 5)), 1)
            # every third unit handled no 建议提案 this period: the item does not apply, its 应得分 is lower
            absent = "建议" in leaf.name and i % 3 == 1
            ManualScore.objects.update_or_create(
                round_unit=result.round_unit,
                item=leaf.path,
                defaults={
                    "points": 0.0 if absent else points,
                    "not_applicable": absent,
                    "evaluator": evaluator,
                    "note": "本期未承办人大代表建议和政协委员提案，本项不适用"
                    if absent
                    else "测评员按评分要求人工核查后评分",
                    "evidence_url": result.round_unit.url,
                    "reviewed_by": reviewer,
                    "reviewed_at": timezone.now(),
                    "review_note": "复核无误",
                },
            )
    services.score_round(round_)


def _appeal(round_: Round, ctx: Any) -> None:
    """The preliminary results go out with an appeal window; 财政局's liaison contests one finding with a link,
    the evaluator grants it; the window is then closed early so the ranking becomes final."""
    appeals.open_window(round_)
    liaison, evaluator = ctx.users.get("caizheng"), ctx.users.get("pinggu")
    ru = round_.units.filter(unit__name="临江市财政局").first()
    finding = (
        StoredFinding.objects.filter(round_unit=ru, verdict="FAIL", review__isnull=True)
        .order_by("pk")
        .first()
        if ru is not None and liaison is not None
        else None
    )
    if finding is not None:
        appeal = appeals.file_appeal(
            ru,
            liaison,
            "该栏目在数据采集时间节点前已更新，附页面地址",
            links=(finding.evidence[0]["url"] if finding.evidence else ru.url),
            finding_id=finding.pk,
        )
        appeals.decide_appeal(appeal, True, "测评员打开存档页面核实，申诉成立", evaluator)
    appeals.close_window(round_)
    services.score_round(round_)


def _decide_findings(round_: Round, ctx: Any) -> None:
    """The UNCERTAIN findings decided before publishing: those of every other check confirmed, the rest
    marked 误报 with the evaluator's reason; one FAIL check is marked 误报 too, to show it lifts the score."""
    evaluator = ctx.users.get("pinggu")
    uncertain = StoredFinding.objects.filter(round_unit__round=round_, verdict="UNCERTAIN")
    # words inside 《》 or quotation marks reproduce what others wrote: an evaluator calls these 误报
    quoted = uncertain.filter(check_id__startswith="wording.", message__contains="可能是引用")
    if quoted.exists():
        reason = "测评员核实：这是书名号或引号内引用的原文，不是本单位的表述"
        review.decide(quoted, Decision.FALSE_ALARM, reason, evaluator)
    uncertain = uncertain.exclude(pk__in=quoted.values("pk"))
    checks = sorted(set(uncertain.values_list("check_id", flat=True)))
    for k, check in enumerate(checks):
        decision = Decision.CONFIRMED if k % 2 == 0 else Decision.FALSE_ALARM
        reason = "" if decision == Decision.CONFIRMED else "测评员打开存档页面核查，该项符合要求"
        review.decide(uncertain.filter(check_id=check), decision, reason, evaluator)
    fail = StoredFinding.objects.filter(round_unit__round=round_, verdict="FAIL").order_by("pk").first()
    if fail is not None:
        review.decide([fail], Decision.FALSE_ALARM, "测评员打开存档页面核查，该项实际符合要求", evaluator)
    services.score_round(round_)


def _blocked_round(ctx: Any) -> list[str]:
    """A second round, of every township, stopped at the publishing gate: one township's manual items are
    scored but not yet reviewed, the others not scored, the UNCERTAIN findings not decided. The demo's
    attempt to publish it is refused, and the round's page shows why."""
    round_ = Round.objects.filter(name=DEMO_BLOCKED_ROUND).first()
    if round_ is not None and round_.state == RoundState.SCORING:
        return [f"测评批次“{DEMO_BLOCKED_ROUND}”已存在（评分中，尚未通过发布检查），直接使用"]
    if round_ is not None:
        round_.delete()
    round_ = services.create_round(
        DEMO_BLOCKED_ROUND,
        DEMO_FRAMEWORK,
        ctx.options["as_of"],
        groups=["township"],
        seed=20261201,
        user=ctx.users.get("pinggu"),
        number="临公开办〔2026〕13号",
        issuer="临江市人民政府办公室",
        rate=25,
        max_pages=400,
        check_external=False,
    )
    run_with_progress(round_, ctx.options.get("console"))
    first = UnitResult.objects.filter(round_unit__round=round_).order_by("round_unit__unit__name").first()
    if first is not None:
        manual = {leaf.path for leaf in services.framework_of(round_).leaves() if leaf.manual}
        for item in first.items:
            if item["status"] == "pending" and item["path"] in manual:
                ManualScore.objects.update_or_create(
                    round_unit=first.round_unit,
                    item=item["path"],
                    defaults={"points": 0.0 if item["type"] == "veto" else item["points"] * 0.8,
                              "evaluator": ctx.users.get("pinggu"), "note": "测评员按评分要求人工核查后评分"},
                )  # fmt: skip
        services.score_round(round_)
    try:
        services.publish(round_, user=ctx.users.get("pinggu"))
    except RoundError as exc:
        return [f"测评批次“{DEMO_BLOCKED_ROUND}”未能发布，发布检查拦下了它：{exc}"]
    return [f"测评批次“{DEMO_BLOCKED_ROUND}”已发布"]
