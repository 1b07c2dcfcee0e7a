"""Availability over scheduled probes: site.availability (contracts.md; 国办秘函〔2019〕19号 V2 站点无法访问).

The probes come with the site model (``SiteModel.probes``, a gongkai.monitor.ProbeHistory the platform's
monitor fills in); the counting rule is gongkai.monitor.rule's. One crawl is not a week of probes: with no
probe data, or a window not fully monitored, the check says UNCERTAIN, never FAIL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.checks._site import fail, uncertain
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Evidence, Finding, SiteModel, Verdict
from gongkai.monitor.rule import WindowStats, window_stats

PARAMS = {
    "window_days": 7,  # 19号 V2: monitored for one week
    "max_share": 0.05,  # FAIL above this share of failed probes
    "min_per_day": 20,  # at least 20 spaced visits a day
    "timeout_s": 15,  # a visit fails when the page does not open within 15 s
    "warn_share": 0.03,  # pre-warning above this share (开普云: 首页不连通率超过3%)
}
EVIDENCE_LIMIT = 30  # failed probes quoted as evidence


def _validate(params: Mapping[str, Any]) -> list[str]:
    problems = []
    for name in ("window_days", "min_per_day", "timeout_s"):
        value = params.get(name, PARAMS[name])
        if not isinstance(value, int | float) or value <= 0:
            problems.append(f"{name} 应为正数，而不是 {value!r}")
    for name in ("max_share", "warn_share"):
        value = params.get(name, PARAMS[name])
        if not isinstance(value, int | float) or not 0 <= value < 1:
            problems.append(f"{name} 应为 0 到 1 之间的比例（如 0.05），而不是 {value!r}")
    return problems


@check(
    "site.availability",
    doc="网站首页或政府信息公开专栏在监测窗口内定时探测的失败比例超过体系规定（国家：7天、每天≥20次、15秒超时、"
    "超过5%否决）；失败的探测为证据。失败一次即在短暂停顿后重试一次，重试仍失败才计为失败；未探测的时段不计。"
    "无监测数据或窗口未监测满时为“不确定”。",
    params=PARAMS,
    roles=ALL_ROLES,
    validate=_validate,
    own_evidence=lambda site: site.probes is not None,  # scheduled probes, not the crawl
)
def site_availability(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    days = int(ctx.param("window_days"))
    end = ctx.as_of
    start = end - dt.timedelta(days=days)
    history = site.probes
    window = f"{start:%Y-%m-%d}至{end - dt.timedelta(days=1):%Y-%m-%d}"
    if history is None:
        yield uncertain(
            "site.availability", site.site, "无可用性监测数据：一次抓取不能代替一周的定时探测，需监测后再判"
        )
        return
    stats = window_stats(history, start, end, int(ctx.param("min_per_day")))
    if not stats:
        yield uncertain("site.availability", site.site, f"监测窗口（{window}）内没有探测记录，需人工核实")
        return
    if history.timeout_s < float(ctx.param("timeout_s")):
        yield uncertain(
            "site.availability",
            site.site,
            f"探测超时 {history.timeout_s:g} 秒短于体系规定的 {ctx.param('timeout_s')} 秒，失败比例不能据以判定",
        )
        return
    for s in stats:
        yield _verdict(s, ctx, window)


def _verdict(s: WindowStats, ctx: CheckContext, window: str) -> Finding:
    limit = float(ctx.param("max_share"))
    warn = float(ctx.param("warn_share"))
    summary = f"{s.target}在{window}共探测 {s.counted} 次，失败 {s.down} 次（{s.share:.2%}）"
    evidence = [Evidence(f.url, f.text()) for f in s.failures[:EVIDENCE_LIMIT]]
    if not s.complete:
        gap = (
            f"监测不足：{s.days} 天中只有 {s.monitored_days} 天达到每天 {ctx.param('min_per_day')} 次有效探测"
        )
        return uncertain("site.availability", s.url, f"{summary}；{gap}，不作否决判定", evidence)
    if s.share > limit:
        return fail("site.availability", s.url, f"{summary}，超过 {limit:.0%}", evidence)
    note = f"，已超过预警线 {warn:.0%}" if s.share > warn else f"，未超过 {limit:.0%}"
    return Finding("site.availability", Verdict.PASS, s.url, summary + note)
