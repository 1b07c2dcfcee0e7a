"""Reading 留言 from their boards' pages (crawl/interaction.py): list tables, ul rows with a header, a
letter's own page, a list API's JSON; joined into boards; the same from an archive as from the crawl."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
from gongkai.crawl.boards import collect
from gongkai.crawl.facts import page_facts
from gongkai.crawl.interaction import state_class
from gongkai.fleet import FleetServer, generate_fleet

HOST = "http://www.yx.gov.cn"


def facts(path: str, body: str | dict, *, pagination: list[str] | None = None, api: list[str] | None = None):
    if isinstance(body, dict):
        raw, ctype = json.dumps(body, ensure_ascii=False).encode(), "application/json"
    else:
        raw, ctype = body.encode("utf-8"), "text/html; charset=utf-8"
    f = page_facts(HOST + path, 200, {"content-type": ctype}, raw, record=f"<urn:{path}>", fetched_at=None)
    if pagination is not None:
        f.pagination = pagination
    if api is not None:
        f.api = api
    return f


def html(title: str, inner: str) -> str:
    return (
        f"<html><head><title>{title}_云溪县人民政府</title></head><body><h2>{title}</h2>{inner}</body></html>"
    )


TABLE = html(
    "咨询投诉",
    "<table><tr><th>序号</th><th>标题</th><th>留言人</th><th>留言时间</th><th>回复时间</th><th>办理状态</th></tr>"
    '<tr><td>1</td><td><a href="/hdjl/zxts/1.html">咨询医保缴费</a></td><td>张**</td><td>2026-03-02 10:11</td>'
    "<td>2026-03-05</td><td>已办结</td></tr>"
    '<tr><td>2</td><td><a href="/hdjl/zxts/2.html">反映路灯损坏</a></td><td>李**</td><td>2026-04-02</td>'
    "<td></td><td>处理中</td></tr>"
    '<tr><td>3</td><td><a href="/hdjl/zxts/3.html">撤回的留言</a></td><td>王**</td><td>2026-04-09</td>'
    "<td>—</td><td>已撤回</td></tr></table>",
)


def test_a_table_with_ask_reply_and_state_columns_gives_one_message_per_row():
    rows = facts("/hdjl/zxts/index.html", TABLE).messages
    assert [(m.url, m.asked, m.answered, m.replied, m.state) for m in rows] == [
        (HOST + "/hdjl/zxts/1.html", dt.date(2026, 3, 2), dt.date(2026, 3, 5), True, "已办结"),
        (HOST + "/hdjl/zxts/2.html", dt.date(2026, 4, 2), None, False, "处理中"),
        (HOST + "/hdjl/zxts/3.html", dt.date(2026, 4, 9), None, False, "已撤回"),
    ]
    assert [m.title for m in rows] == [
        "咨询医保缴费",
        "反映路灯损坏",
        "撤回的留言",
    ]  # never the 留言人 column


def test_ul_rows_with_a_header_row_are_read_like_a_table():
    page = html(
        "在线咨询",
        '<ul class="list"><li class="head"><span>咨询主题</span><span>咨询时间</span><span>回复状态</span></li>'
        '<li><a href="/zx/9.html">公积金提取</a><span>2026-05-06</span><span>已回复</span></li>'
        '<li><a href="/zx/8.html">低保申请</a><span>2026-05-01</span><span>待回复</span></li></ul>',
    )
    rows = facts("/zx/index.html", page).messages
    assert [(m.url[-7:], m.asked, m.replied) for m in rows] == [
        ("/9.html", dt.date(2026, 5, 6), True),
        ("/8.html", dt.date(2026, 5, 1), False),
    ]


def test_a_mailbox_table_whose_time_column_is_bare_reads_it_beside_a_letter_title():
    # 来信主题 | 状态 | 时间 | 办理单位 | 联系电话, as a ThinkPHP mailbox template lays it out: the phone is not read
    page = html(
        "书记信箱",
        "<table><thead><tr><th>来信主题</th><th>状态</th><th>时间</th><th>办理单位</th><th>联系电话</th></tr></thead>"
        '<tbody><tr><td><a href="/mail?mailid=7">停车难</a></td><td>未回复</td><td>2026-01-05 08:00:00</td>'
        "<td>交通局</td><td>13812345678</td></tr></tbody></table>",
    )
    (m,) = facts("/mail/index.html", page).messages
    assert (m.title, m.asked, m.replied, m.state) == ("停车难", dt.date(2026, 1, 5), False, "未回复")
    assert "13812345678" not in repr(m)
    plain = html("工作动态", "<table><tr><th>标题</th><th>状态</th><th>时间</th></tr>"
                 "<tr><td>会议</td><td>已结束</td><td>2026-01-05</td></tr></table>")  # fmt: skip
    assert facts("/gzdt/index.html", plain).messages == []


def test_a_page_of_letter_blocks_gives_one_message_per_block():
    # 问/答 blocks one after another, each with its own dates (a common 留言选登 layout)
    block = (
        '<div class="item"><div class="lytitle"><a href="/ly/{n}.html">{title}</a></div>'
        '<div class="lyx"><span>留言时间：{ask}</span><span>回复时间：{reply}</span><span>状态：{state}</span></div>'
        '<div class="answer">答：{answer}</div></div>'
    )
    items = [
        block.format(n=1, title="咨询公租房申请条件", ask="2026-03-01", reply="2026-03-04", state="已回复", answer="可申请。"),
        block.format(n=2, title="反映噪音扰民问题", ask="2026-04-01", reply="", state="待回复", answer=""),
    ]  # fmt: skip
    page = html("留言选登", f'<div class="list">{"".join(items)}</div>')
    rows = facts("/ly/index.html", page).messages
    assert [(m.url[-10:], m.title, m.asked, m.answered, m.replied) for m in rows] == [
        ("/ly/1.html", "咨询公租房申请条件", dt.date(2026, 3, 1), dt.date(2026, 3, 4), True),
        ("/ly/2.html", "反映噪音扰民问题", dt.date(2026, 4, 1), None, False),
    ]


def test_a_list_showing_dates_without_a_year_is_read_as_unreliable():
    page = html(
        "留言板",
        "<table><tr><th>主题</th><th>留言时间</th><th>状态</th></tr>"
        '<tr><td><a href="/ly/1.html">噪音扰民</a></td><td>03-02</td><td>待回复</td></tr></table>',
    )
    (row,) = facts("/ly/index.html", page).messages
    assert row.asked is None and not row.year_shown


def test_an_ordinary_list_or_article_holds_no_messages():
    news = html(
        "通知公告",
        '<ul><li><a href="/a.html">关于开展检查的通知</a><span>发布时间：2026-03-02</span></li></ul>',
    )
    assert facts("/tzgg/index.html", news).messages == []
    footer = html("关于我们", "<p>我要留言</p><p>发布时间：2026-03-02</p>")
    assert facts("/gywm.html", footer).messages == []


LETTER = html(
    "信件详情",
    "<table><tr><th>标题：</th><td>反映农村饮水问题</td></tr><tr><th>来信时间：</th><td>2026-03-01 09:30</td></tr>"
    "<tr><th>来信内容：</th><td>村里自来水浑浊，联系电话13812345678。</td></tr>"
    "<tr><th>答复单位：</th><td>县水利局</td></tr><tr><th>答复时间：</th><td>2026-07-15</td></tr>"
    "<tr><th>答复内容：</th><td>已安排检修。</td></tr></table>",
)


def test_a_letter_page_gives_its_title_dates_and_that_it_was_answered():
    (m,) = facts("/hdjl/ldxx/letter_1.html", LETTER).messages
    assert (m.title, m.asked, m.answered, m.replied, m.source) == (
        "反映农村饮水问题",
        dt.date(2026, 3, 1),
        dt.date(2026, 7, 15),
        True,
        "detail",
    )


def test_a_letter_page_that_says_no_reply_yet_is_unanswered():
    page = html(
        "留言详情",
        "<p>留言标题：咨询加装电梯补贴</p><p>留言时间：2026-02-03</p><p>回复内容：暂无回复</p>",
    )
    (m,) = facts("/ly/2.html", page).messages
    assert m.replied is False and m.answered is None


def test_a_letter_page_beside_reply_filter_tabs_is_not_read_as_unanswered():
    page = html(
        "信件详情_书记信箱",
        '<div class="tabs"><a>已回复</a><a>未回复</a></div>'
        "<p>信件标题：咨询社保转移</p><p>来信时间：2026-02-03</p><p>来信内容：请问如何办理。</p>",
    )
    (m,) = facts("/ldxx/3.html", page).messages
    assert m.replied is None  # the page does not say: UNCERTAIN at most, never FAIL


def test_a_letter_listed_nowhere_takes_its_board_from_its_title_not_the_detail_word():
    page = html("信件详情_纪检举报信箱", "<p>来信时间：2026-02-03</p><p>答复内容：暂无答复</p>")
    own = facts("/jjjb/3.html", page)
    _, (m,) = collect({own.url: own})
    assert m.board == "纪检举报信箱" and m.replied is False


def test_a_list_api_answer_gives_messages_and_the_calling_page_is_their_board():
    api = HOST + "/api/ly.json?page=1&size=15"
    doc = {
        "code": 200,
        "data": {
            "list": [
                {"id": 1, "title": "咨询A", "url": "/ly/d1.html", "askTime": "2026-01-02 09:00", "replyTime": "", "status": "办理中"},
                {"id": 2, "title": "咨询B", "url": "/ly/d2.html", "askTime": "2026-01-03", "replyTime": "2026-01-09", "status": "已办结"},
            ]
        },
    }  # fmt: skip
    board = facts("/ly/index.html", html("留言板", '<ul id="list"></ul>'), api=[api])
    answer = facts("/api/ly.json?page=1&size=15", doc)
    boards, messages = collect({board.url: board, api: answer})
    assert [(b.name, b.url, b.messages) for b in boards] == [("留言板", HOST + "/ly/index.html", 2)]
    assert [(m.url, m.answered, m.replied, m.board) for m in messages] == [
        (HOST + "/ly/d1.html", None, False, "留言板"),
        (HOST + "/ly/d2.html", dt.date(2026, 1, 9), True, "留言板"),
    ]


def test_paged_lists_make_one_board_and_a_letter_page_joins_its_row():
    second = HOST + "/hdjl/zxts/index.html?page=2"
    first = facts("/hdjl/zxts/index.html", TABLE, pagination=[second])
    more = facts("/hdjl/zxts/index.html?page=2", TABLE.replace("/1.html", "/4.html"))
    own = facts("/hdjl/zxts/2.html", LETTER.replace("信件详情", "留言详情"))
    boards, messages = collect({first.url: first, second: more, own.url: own})
    assert [(b.name, b.messages) for b in boards] == [("咨询投诉", 4)]
    joined = next(m for m in messages if m.url.endswith("/2.html"))
    assert joined.source == "detail" and joined.answered == dt.date(2026, 7, 15)
    assert joined.doubt  # the list said 2026-04-02 and no reply; its page says otherwise


def test_states_are_told_apart_as_written():
    assert [state_class(s) for s in ("已办结", "未办结", "已撤回", "已转办", "办理中", "已受理", "")] == [
        "answered",
        "pending",
        "void",
        "void",
        "pending",
        "pending",
        "",
    ]


def test_the_archive_gives_the_same_messages_as_the_crawl(tmp_path: Path):
    fleet = generate_fleet(3, seed=8, defect_rate=1.0, as_of=dt.date(2026, 11, 20), scale=0.3)
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, tmp_path, CrawlConfig(rate=1000, concurrency_per_host=4)))
    for site, result in zip(fleet.sites, results, strict=True):
        live = result.site_model
        board = site.data.board
        assert len(live.messages) == len(board.letters) + len(board.excluded.letters), board.layout
        assert {b.name for b in live.boards} == {board.name, "纪检举报"}  # the excluded board is read, named
        again = extract_archive(Path(result.archive), as_of=dt.date(2026, 11, 20))
        assert again.messages == live.messages and again.boards == live.boards
