"""interaction.unanswered and interaction.reply_time on hand-built site models: the V5 rule, its decoys,
what is uncertain, and what evidence may show."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongkai.checks import run_check
from gongkai.checks.interaction import deadline, validate
from gongkai.frameworks import load_framework
from gongkai.model import Board, Message, SiteModel, Verdict

AS_OF = dt.date(2026, 11, 20)
ROOT = "http://www.yx.gov.cn/"
BOARD = ROOT + "hdjl/zxly/index.html"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def msg(n: int, asked: str | None, answered: str | None = None, state: str = "", **kw: object) -> Message:
    replied = kw.pop("replied", True if answered else (False if state in ("", "待回复", "办理中") else None))
    fields = {
        "url": f"{ROOT}hdjl/zxly/msg_{n}.html",
        "title": f"咨询事项{n}",
        "board": "在线留言",
        "board_url": BOARD,
        "asked": d(asked) if asked else None,
        "answered": d(answered) if answered else None,
        "replied": replied,
        "state": state,
        "source": "list",
        "record": f"<urn:uuid:{n}>",
    }
    fields.update(kw)
    return Message(**fields)  # type: ignore[arg-type]


def site(*messages: Message, boards: tuple[Board, ...] | None = None) -> SiteModel:
    return SiteModel(
        site=ROOT,
        messages=messages,
        boards=boards if boards is not None else (Board("在线留言", BOARD, len(messages)),),
    )


def fails(model: SiteModel, check: str = "interaction.unanswered", **params: object) -> set[str]:
    return {f.subject for f in run_check(check, model, AS_OF, params or None) if f.verdict is Verdict.FAIL}


def verdicts(model: SiteModel, check: str = "interaction.unanswered") -> list[Verdict]:
    return [f.verdict for f in run_check(check, model, AS_OF)]


def test_three_months_are_calendar_months_clipped_to_the_month_end():
    assert deadline(d("2026-03-02"), "3m") == d("2026-06-02")
    assert deadline(d("2025-11-30"), "3m") == d("2026-02-28")
    assert deadline(d("2026-01-31"), "1m") == d("2026-02-28")
    assert deadline(d("2026-03-02"), "90d") == d("2026-05-31")


def test_a_message_unanswered_for_more_than_three_months_fails_with_its_dates():
    late = msg(1, "2026-05-10", state="待回复")
    findings = run_check("interaction.unanswered", site(late, msg(2, "2026-05-12", "2026-05-20")), AS_OF)
    (failed,) = [f for f in findings if f.verdict is Verdict.FAIL]
    assert failed.subject == late.url
    assert "194 天未回复" in failed.message and "期限至 2026-08-10" in failed.message
    (ev,) = failed.evidence
    assert ev.url == late.url and ev.record == late.record
    assert "留言 2026-05-10" in ev.snippet and "未见回复" in ev.snippet and "待回复" in ev.snippet


def test_a_limit_the_checks_cannot_read_is_refused_in_chinese():
    assert validate({"limit": "3m", "window": "1y"}) == []
    (problem,) = validate({"limit": "三个月"})
    assert "limit" in problem and "三个月" in problem and "无法识别" in problem


def test_a_reply_after_more_than_three_months_fails_and_one_on_the_last_day_does_not():
    late = msg(1, "2026-03-02", "2026-06-03")
    on_time = msg(2, "2026-03-02", "2026-06-02")
    assert fails(site(late, on_time)) == {late.url}


@pytest.mark.parametrize(
    "decoy",
    [
        msg(1, "2026-04-01", "2026-06-25"),  # 85 days: late by a strict local rule, within three months
        msg(2, "2026-05-01", state="已撤回", replied=False),
        msg(3, "2026-05-01", state="不予受理", replied=False),
        msg(4, "2026-05-01", state="已转办", replied=False),
        msg(5, "2025-09-01", state="待回复"),  # asked before the one-year window
        msg(6, "2026-10-01", state="办理中"),  # still within three months
        msg(7, "2026-08-20", state="待回复"),  # due on the check point itself
        msg(8, "2026-05-01", state="已办结", replied=True),  # answered, no reply date shown
    ],
    ids=[
        "85-days",
        "withdrawn",
        "refused",
        "passed-on",
        "before-window",
        "recent",
        "due-today",
        "no-reply-date",
    ],
)
def test_decoys_are_not_failed(decoy: Message):
    assert fails(site(decoy)) == set()
    assert fails(site(decoy), "interaction.reply_time") == set()


def test_boards_v5_excludes_are_not_judged_and_the_list_is_a_parameter():
    petition = msg(1, "2026-03-01", state="待回复", board="网上信访")
    report = msg(2, "2026-03-01", state="待回复", board="纪检举报")
    interview = msg(3, "2026-03-01", state="待回复", board="在线访谈")
    assert fails(site(petition, report, interview)) == set()
    assert fails(site(petition), exclude=[]) == {petition.url}


def test_limit_and_window_are_framework_parameters():
    m = msg(1, "2026-09-01", "2026-10-10")
    assert fails(site(m)) == set()
    assert fails(site(m), limit="30d") == {m.url}
    old = msg(2, "2025-10-01", state="待回复")
    assert fails(site(old)) == set()
    assert fails(site(old), window="2y") == {old.url}


@pytest.mark.parametrize(
    "doubtful, why",
    [
        (msg(1, None, year_shown=False, replied=False, state="待回复"), "日期未显示年份"),
        (msg(2, "2026-04-01", "2026-03-01"), "回复日期早于留言日期"),
        (msg(3, "2026-04-01", replied=None), "页面未显示是否已回复"),
        (msg(4, "2026-04-01", "2026-09-01", doubt="列表页与留言页显示的日期不一致"), "日期不一致"),
    ],
    ids=["no-year", "reply-before-ask", "reply-unknown", "pages-disagree"],
)
def test_unreliable_dates_are_uncertain_never_fail(doubtful: Message, why: str):
    findings = run_check("interaction.unanswered", site(doubtful), AS_OF)
    assert [f.verdict for f in findings] == [Verdict.UNCERTAIN]
    assert why in findings[0].message or why in findings[0].evidence[0].snippet


def test_a_board_of_selected_letters_is_never_passed():
    board = Board("来信选登", BOARD, 1, sample=True)
    assert verdicts(site(msg(1, "2026-09-01", "2026-09-05"), boards=(board,))) == [Verdict.UNCERTAIN]
    assert verdicts(site(msg(1, "2026-09-01", "2026-09-05"))) == [Verdict.PASS]


def test_a_pass_on_a_crawl_cut_short_says_what_was_not_read():
    from gongkai.model import Coverage, Cut

    cut = Coverage(
        complete=False, cut=(Cut(BOARD + "?page=9", "已达到页面上限 2000，抓取提前结束"),), read=50
    )
    model = dataclasses.replace(site(msg(1, "2026-09-01", "2026-09-05")), coverage=cut)
    (finding,) = run_check("interaction.unanswered", model, AS_OF)
    assert (
        finding.verdict is Verdict.PASS
        and "未读到的留言未判断" in finding.message
        and "页面上限" in finding.message
    )


def test_no_board_is_not_assessable_not_pass():
    assert verdicts(site(boards=())) == [Verdict.NOT_ASSESSABLE]
    assert verdicts(site(boards=()), "interaction.reply_time") == [Verdict.NOT_ASSESSABLE]


def test_evidence_masks_id_and_mobile_numbers_and_never_names_the_asker():
    m = msg(1, "2026-03-01", state="待回复", title="张三 13812345678 身份证110101199003070017 咨询低保")
    (failed,) = run_check("interaction.unanswered", site(m), AS_OF)
    snippet = failed.evidence[0].snippet
    assert "13812345678" not in snippet and "138****5678" in snippet
    assert "110101199003070017" not in snippet and "110101********0017" in snippet


def test_reply_time_reports_median_worst_and_share_per_board():
    messages = [msg(n, "2026-06-01", f"2026-06-{1 + n:02d}") for n in range(1, 10)]
    messages.append(msg(20, "2026-01-05", "2026-05-20"))
    findings = run_check("interaction.reply_time", site(*messages), AS_OF)
    (board,) = findings
    assert board.verdict is Verdict.FAIL and board.subject == "在线留言"
    assert "中位数 5.5 天" in board.message and "最长 135 天" in board.message and "90.0%" in board.message
    assert board.evidence[0].url == BOARD and board.evidence[1].url == messages[-1].url


def test_reply_time_passes_a_board_whose_replies_are_all_in_time():
    messages = [msg(n, "2026-06-01", f"2026-06-{1 + n:02d}") for n in range(1, 4)]
    (board,) = run_check("interaction.reply_time", site(*messages), AS_OF)
    assert board.verdict is Verdict.PASS and "期限内回复占 100.0%" in board.message
    assert board.evidence and board.evidence[0].url == BOARD


def test_reply_time_without_reply_dates_is_uncertain():
    (board,) = run_check(
        "interaction.reply_time", site(msg(1, "2026-06-01", state="已办结", replied=True)), AS_OF
    )
    assert board.verdict is Verdict.UNCERTAIN


def test_the_national_framework_judges_v5_with_both_checks():
    framework = load_framework("national-2019")
    (v5,) = [leaf for leaf in framework.leaves() if leaf.path.endswith("互动回应差")]
    assert {ref.check for ref in v5.checks} == {"interaction.unanswered", "interaction.reply_time"}
    assert all(ref.params.get("limit") == "3m" for ref in v5.checks)


def test_findings_are_the_same_for_the_same_model():
    model = site(msg(1, "2026-03-01", state="待回复"), msg(2, "2026-03-01", "2026-08-01"))
    assert run_check("interaction.unanswered", model, AS_OF) == run_check(
        "interaction.unanswered", model, AS_OF
    )
    assert run_check("interaction.reply_time", model, AS_OF) == run_check(
        "interaction.reply_time", model, AS_OF
    )
