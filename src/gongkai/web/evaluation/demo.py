"""The demo's evaluation: a quarterly round over the demo fleet with the default framework, run in the
background with a progress bar, a few manual scores (one reviewed), and the results published."""

from __future__ import annotations

from typing import Any

from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import ManualScore, Round, RoundState, UnitResult
from gongkai.web.evaluation.runner import run_with_progress

DEMO_ROUND = "2026年第四季度政务公开网上测评"
DEMO_FRAMEWORK = "zwgk-2026"


def load_demo(ctx: Any) -> list[str]:
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
        rate=25,
        max_pages=400,
        check_external=False,  # the demo runs offline: its sites' links to gov.cn cannot be checked
        requirements="请各单位对照问题清单逐项整改，于15个工作日内通过平台报送整改情况和整改链接。\n"
        "整改情况将纳入下一季度测评和年度绩效考评。",
    )
    run_with_progress(round_, ctx.options.get("console"))
    _manual_scores(round_, ctx)
    services.publish(round_)
    n = UnitResult.objects.filter(round_unit__round=round_).count()
    return [f"已完成测评批次“{DEMO_ROUND}”：{n} 个单位已评分、分组排名并发布通报"]


def _manual_scores(round_: Round, ctx: Any) -> None:
    framework = services.framework_of(round_)
    manual_leaves = [leaf for leaf in framework.leaves() if leaf.manual]
    evaluator, reviewer = ctx.users.get("pinggu"), ctx.users.get("pinggu2")
    for i, ru in enumerate(round_.units.order_by("unit__name")[:4]):
        for j, leaf in enumerate(manual_leaves[:2]):
            points = round(leaf.points * (0.6 + 0.1 * ((i + j) % 4)), 1)
            ManualScore.objects.update_or_create(
                round_unit=ru,
                item=leaf.path,
                defaults={
                    "points": points,
                    "evaluator": evaluator,
                    "note": "测评员按评分要求人工核查后评分",
                    "evidence_url": ru.url,
                    "reviewed_by": reviewer if j == 0 else None,
                },
            )
