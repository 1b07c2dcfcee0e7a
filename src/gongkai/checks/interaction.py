"""互动回应 checks: 留言 left unanswered beyond the limit, and reply times against it.

Ids: interaction.unanswered, interaction.reply_time (contracts.md). Source: 国办秘函〔2019〕19号 V5
(CONFIRMED): within the 1 year before the check point, a 政务咨询-type column (在线访谈, 调查征集, 网上信访
and 纪检举报 excluded) has valid messages unanswered for more than 3 months; website-checks.md V5 reads it
as (reply − ask) > 3 months, or no reply and (check point − ask) > 3 months.

"3 months" is counted in calendar months: the limit ends on the same day of the month 3 months after the
ask date (the month's last day when it has no such day: 11-30 + 3 months = 02-28/29); a reply on that day
is in time, a reply after it (or no reply when the check point is after it) is late. Limits and the window
are parameters ('3m', '90d', '2w', '1y'), so a framework can set its own.

Only messages the pages show are judged (crawl.interaction reads them); a FAIL names the message by its
URL, title (ID and mobile numbers masked), ask date and reply date or state, never the asker. Withdrawn,
refused or passed-on messages (已撤回, 不予受理, 已转办 ...), messages asked before the window, and
messages still within the limit are not FAILs; a message whose dates cannot be read reliably (no year, a
reply before the ask) or whose page does not say whether it was answered is UNCERTAIN.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import statistics
from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.checks._site import fail, not_assessable, passed, period_label, shift_back, uncertain
from gongkai.checks.privacy import ID_RE, MOBILE_RE, mask
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Evidence, Finding, Message, SiteModel, Verdict

# Boards V5 does not judge (19号: 在线访谈, 调查征集, 网上信访, 纪检举报), matched in the board's name.
EXCLUDED_BOARDS = ["在线访谈", "访谈", "调查征集", "调查", "征集", "信访", "纪检", "举报"]
DEFAULTS: dict[str, Any] = {"limit": "3m", "window": "1y", "exclude": EXCLUDED_BOARDS}
_PERIOD = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")
_VOID = re.compile(r"撤回|撤销|不予受理|不受理|转办|转交|转至|无效|重复|驳回|退回|不予公开|已关闭|删除")
_SHOWN = 3  # messages named in one finding's evidence
SAMPLE = re.compile(r"选登|精选|摘登|选编|选刊|典型")


def validate(params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese) with the parameters: periods the checks cannot read."""
    problems = []
    for name in ("limit", "window"):
        value = params.get(name, DEFAULTS[name])
        if not isinstance(value, int) and not _PERIOD.match(str(value)):
            problems.append(f"参数 {name} 的期限“{value}”无法识别（应为 90d、2w、3m、1y 之类）")
    return problems


def deadline(asked: dt.date, limit: str | int) -> dt.date:
    """The last day a reply to a message asked on ``asked`` is in time: ``asked`` plus the limit, in
    calendar months for 'Nm'/'Ny' (the month's last day when it has no such day)."""
    if isinstance(limit, int):
        return asked + dt.timedelta(days=limit)
    match = _PERIOD.match(str(limit))
    if not match:
        raise ValueError(f"无法识别的期限：{limit}（应为 90d、2w、3m、1y 之类）")
    n, unit = int(match.group(1)), match.group(2)
    if unit in "dw":
        return asked + dt.timedelta(days=n * (7 if unit == "w" else 1))
    months = n if unit == "m" else 12 * n
    year, month = divmod(asked.year * 12 + asked.month - 1 + months, 12)
    day = min(asked.day, _calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def _clean(text: str) -> str:
    """A title as evidence: ID and mobile numbers the page may show are masked."""
    text = ID_RE.sub(lambda m: mask(m.group(1)), text)
    return MOBILE_RE.sub(lambda m: mask(m.group(1)), text)[:60]


def _line(m: Message) -> str:
    asked = m.asked.isoformat() if m.asked else "日期不明"
    if m.answered:
        reply = f"回复 {m.answered.isoformat()}"
    elif m.replied:
        reply = "已回复（未显示回复日期）"
    else:
        reply = "未见回复"
    state = f"，状态：{m.state[:12]}" if m.state else ""
    return f"「{_clean(m.title) or '（无标题）'}」留言 {asked}，{reply}{state}"


def _evidence(m: Message) -> Evidence:
    return Evidence(url=m.url, snippet=_line(m)[:300], record=m.record)


def _excluded(board: str, exclude: list[str]) -> bool:
    return any(word and word in board for word in exclude)


def _judged(site: SiteModel, ctx: CheckContext) -> tuple[list[Message], dt.date]:
    """Messages of the boards V5 judges, asked inside the window and not taken out of the count."""
    start = shift_back(ctx.as_of, ctx.param("window"))
    exclude = [str(w) for w in ctx.param("exclude") or []]
    out = []
    for m in site.messages:
        if _excluded(m.board, exclude) or _VOID.search(m.state):
            continue
        if m.asked is not None and (m.asked < start or m.asked > ctx.as_of):
            continue
        out.append(m)
    return out, start


def _none(site: SiteModel, check_id: str) -> Finding:
    if site.boards or site.messages:
        return not_assessable(check_id, site, "留言栏目中没有检查窗口内、需要判断的政务咨询类留言")
    return not_assessable(
        check_id, site, "未读到留言、咨询、信箱类栏目的留言（栏目不存在、未公开留言或需登录查看），需人工核实"
    )


def _late(m: Message, limit: str | int, as_of: dt.date) -> str:
    """Why ``m`` is late ('' when it is not, or cannot be told)."""
    if m.asked is None:
        return ""
    due = deadline(m.asked, limit)
    if m.answered is not None:
        if m.answered > due:
            return f"回复用时 {(m.answered - m.asked).days} 天，超过{period_label(limit)}（期限至 {due.isoformat()}）"
        return ""
    if m.replied is False and as_of > due:
        return f"至检查日已 {(as_of - m.asked).days} 天未回复，超过{period_label(limit)}（期限至 {due.isoformat()}）"
    return ""


def _doubt(m: Message, limit: str | int, as_of: dt.date) -> str:
    """Why ``m`` may be late but cannot be proven so ('' when there is no doubt)."""
    if m.doubt:
        return m.doubt
    if not m.year_shown:
        return "日期未显示年份"
    if m.asked is None:
        return "" if m.replied or m.answered else "留言日期无法读取"
    if m.answered is not None and m.answered < m.asked:
        return "回复日期早于留言日期"
    if m.answered is not None and m.answered > as_of:
        return "回复日期晚于检查日"
    if m.answered is None and m.replied is None and as_of > deadline(m.asked, limit):
        return "页面未显示是否已回复"
    return ""


@check(
    "interaction.unanswered",
    doc="留言超过3个月未回复：政务咨询类留言栏目（在线访谈、调查征集、网上信访、纪检举报除外）检查日前1年内的留言，回复晚于留言日起3个月"
    "（按日历月计），或至检查日超过3个月仍未回复；已撤回、不予受理、已转办的留言和窗口外的留言不计，日期读不准时为存疑。",
    params=DEFAULTS,
    roles=ALL_ROLES,
    validate=validate,
)
def interaction_unanswered(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.param("limit")
    messages, start = _judged(site, ctx)
    if not messages:
        yield _none(site, "interaction.unanswered")
        return
    doubts: dict[str, list[tuple[Message, str]]] = {}
    failed = 0
    for m in messages:
        why = _doubt(m, limit, ctx.as_of)
        if why:
            doubts.setdefault(m.board, []).append((m, why))
            continue
        late = _late(m, limit, ctx.as_of)
        if late:
            failed += 1
            yield fail("interaction.unanswered", m.url, f"「{m.board}」留言{late}", [_evidence(m)])
    for board, found in doubts.items():
        first = found[0]
        yield uncertain(
            "interaction.unanswered",
            board or first[0].url,
            f"「{board}」有 {len(found)} 条留言无法判断是否超期回复（{first[1]}等），需人工核实",
            [Evidence(m.url, f"{_line(m)}（{why}）"[:300], m.record) for m, why in found[:_SHOWN]],
        )
    if failed or doubts:
        return
    samples = [b.name for b in site.boards if b.sample]
    note = f"（{start.isoformat()} 起）共 {len(messages)} 条"
    if samples:
        yield uncertain(
            "interaction.unanswered",
            site.site,
            f"读到的留言{note}均未超过{period_label(limit)}，但「{'」「'.join(samples[:3])}」只公开选登的信件，需人工核实",
        )
        return
    yield passed(
        "interaction.unanswered",
        site,
        f"检查窗口内的政务咨询类留言{note}，均在{period_label(limit)}内回复或尚未到期{_unread(site)}",
    )


def _unread(site: SiteModel) -> str:
    """A note when the crawl did not read everything: letters on pages not read were not judged."""
    coverage = site.coverage
    if coverage is None or coverage.complete:
        return ""
    cuts = "；".join(f"{c.what}（{c.why}）" for c in coverage.cut[:2]) or "部分页面未读"
    return f"（抓取未读完整：{cuts}；未读到的留言未判断）"


def _stats(days: list[int], within: int) -> str:
    median = statistics.median(days)
    share = 100 * within / len(days)
    return f"回复用时中位数 {median:g} 天，最长 {max(days)} 天，期限内回复占 {share:.1f}%"


@check(
    "interaction.reply_time",
    doc="留言回复用时：各政务咨询类留言栏目检查日前1年内已回复留言的回复用时：中位数、最长用时和期限内回复的比例（期限按指标体系，"
    "国家指标为3个月，按日历月计）；有回复超过期限的栏目判为不合格，并列出用时最长的留言。",
    params=DEFAULTS,
    roles=ALL_ROLES,
    validate=validate,
)
def interaction_reply_time(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.param("limit")
    messages, start = _judged(site, ctx)
    if not messages:
        yield _none(site, "interaction.reply_time")
        return
    boards: dict[tuple[str, str], list[Message]] = {}
    for m in messages:
        boards.setdefault((m.board, m.board_url), []).append(m)
    for (name, url), group in boards.items():
        yield _board_times(name, url or group[0].url, group, limit, start)


def _board_times(name: str, url: str, group: list[Message], limit: str | int, start: dt.date) -> Finding:
    timed = [
        m
        for m in group
        if m.asked is not None and m.answered is not None and m.year_shown and m.asked <= m.answered
    ]
    label = f"「{name or '留言'}」{start.isoformat()} 起"
    if SAMPLE.search(name):
        label += "（只公开选登的信件）"
    if not timed:
        return uncertain(
            "interaction.reply_time",
            url,
            f"{label}读到 {len(group)} 条留言，但没有可读的回复日期，无法统计回复用时",
            [_evidence(m) for m in group[:1]],
        )
    timed.sort(key=lambda m: (m.answered - m.asked).days, reverse=True)  # type: ignore[operator]
    days = [(m.answered - m.asked).days for m in timed]  # type: ignore[operator]
    late = [m for m in timed if m.answered > deadline(m.asked, limit)]  # type: ignore[arg-type, operator]
    stats = _stats(days, len(timed) - len(late))
    waiting = sum(1 for m in group if m.answered is None and m.replied is False)
    tail = f"；另有 {waiting} 条未回复" if waiting else ""
    board_ev = Evidence(url=url, snippet=f"{label}已回复 {len(timed)} 条：{stats}", record=timed[0].record)
    if late:
        return fail(
            "interaction.reply_time",
            name or url,
            f"{label}已回复留言 {len(timed)} 条，{stats}；{len(late)} 条超过{period_label(limit)}{tail}",
            [board_ev, *(_evidence(m) for m in late[:_SHOWN])],
        )
    return Finding(
        check="interaction.reply_time",
        verdict=Verdict.PASS,
        subject=name or url,
        message=f"{label}已回复留言 {len(timed)} 条，{stats}，均在{period_label(limit)}内{tail}",
        evidence=(board_ev,),
    )
