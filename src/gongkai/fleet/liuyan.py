"""Fleet 留言 boards (issue 20): one board per site in one of three layouts, with late and unanswered
messages injected and decoys that must produce no FAIL.

Layouts, by site index: ``table`` (在线留言: a table 序号 | 留言标题 | 留言时间 | 回复时间 | 状态, paged with
?page=N, each title linking to the message's page); ``detail`` (领导信箱: a list of titles and dates, the
dates and the answer only on each letter's page, 来信时间 / 答复时间 / 答复内容); ``api`` (留言板: an empty
list filled by a jQuery $.ajax call to a JSON API with askTime / replyTime / status, paged).

Kept apart from build.py and defects.py like fleet/liuan.py: its own random stream (seeded by site), so the board
leaves every other defect as it was. build.py calls ``build`` while building a site, defects.py ``choose`` after its
own defects and ``apply`` for the defects of ``CHECKS``; render.py calls ``entry`` on the homepage and
``respond`` for the board's paths. Decoys on every board: a reply after 85 days (late, but within three
months); a withdrawn (已撤回) and a refused (不予受理) message with no reply; an unanswered message asked
before the one-year window; a recent one still 办理中; one asked exactly three calendar months before the
check point with no reply yet (due that day: not late); and beside the board a 纪检举报 board (which V5 leaves
out) with a letter unanswered for five months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gongkai.fleet.model import Defect, SiteData

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

CHECKS = ("interaction.unanswered", "interaction.reply_time")
LAYOUTS = ("table", "detail", "api")
# layout -> (board name, board directory)
BOARDS = {
    "table": ("在线留言", "/hdjl/zxly/"),
    "detail": ("领导信箱", "/hdjl/ldxx/"),
    "api": ("留言板", "/hdjl/lyb/"),
}
API_PATH = "/hdjl/api/lyb.json"
EXCLUDED_NAME = "纪检举报"
EXCLUDED_TOPICS = (
    "反映某单位工作人员上班时间办理私事的问题",
    "举报某村干部在低保评定中优亲厚友的问题",
    "反映某站所办事窗口人员服务态度生硬的问题",
)
PAGE_SIZE = 15
e = html.escape

# letters are titled in sentences, as on real boards (13 characters or more: the crawler ranks a shorter
# link text on a list as a column's name, see crawl.frontier.link_rank)
TOPICS = (
    "关于小区供水管网改造进度的咨询",
    "咨询城乡居民医疗保险缴费时间的问题",
    "建议在工业园区增设一条公交线路站点",
    "反映我村主干道路灯长期损坏无人维修",
    "咨询今年秋季新生入学报名需要哪些材料",
    "关于农村危房改造补助标准的咨询",
    "反映小区周边工地夜间施工噪音扰民问题",
    "咨询个体工商户登记线上办理的具体流程",
    "建议加强中心小学周边上下学时段交通管理",
    "咨询住房公积金提取条件及办理所需材料",
    "反映集贸市场周边占道经营影响通行问题",
    "咨询退役军人优待证的申领条件和办理地点",
)


@dataclass
class Letter:
    """One message on the board."""

    id: int
    title: str
    asked: dt.date
    answered: dt.date | None = None
    state: str = "已回复"
    answer: str = ""


@dataclass
class BoardData:
    layout: str
    name: str
    directory: str
    letters: list[Letter] = field(default_factory=list)
    excluded: BoardData | None = None  # a 纪检举报 board beside it, which V5 does not judge (a decoy)

    @property
    def path(self) -> str:
        return self.directory + "index.html"

    def letter_path(self, letter: Letter) -> str:
        stem = {"table": "msg", "detail": "letter", "api": "detail"}[self.layout]
        return f"{self.directory}{stem}_{letter.id}.html"


def _months_back(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months_on(day: dt.date, months: int) -> dt.date:
    return _months_back(day, -months)


def build(site: FleetSite) -> BoardData:
    """The board of a defect-free site: answered messages over the last year, and the decoys."""
    layout = LAYOUTS[site.index % len(LAYOUTS)]
    name, directory = BOARDS[layout]
    board = BoardData(layout, name, directory)
    rng = random.Random(f"liuyan-board-{site.seed}-{site.index}")
    as_of = site.as_of
    next_id = 100_000 + site.index * 100

    def add(asked: dt.date, answered: dt.date | None, state: str) -> None:
        nonlocal next_id
        next_id += 1
        title = TOPICS[next_id % len(TOPICS)]
        answer = "您好！您反映的问题已转相关部门核实处理，感谢您的关注。" if answered else ""
        board.letters.append(Letter(next_id, title, asked, answered, state, answer))

    for k in range(16):
        asked = as_of - dt.timedelta(days=30 + 20 * k + rng.randint(0, 5))
        add(asked, asked + dt.timedelta(days=rng.randint(1, 20)), rng.choice(("已回复", "已办结")))
    add(as_of - dt.timedelta(days=200), as_of - dt.timedelta(days=115), "已回复")  # 85 days: within 3 months
    add(as_of - dt.timedelta(days=150), None, "已撤回")
    add(as_of - dt.timedelta(days=170), None, "不予受理")
    add(as_of - dt.timedelta(days=420), None, "待回复")  # before the one-year window
    add(as_of - dt.timedelta(days=20), None, "办理中")  # still within three months
    edge = _months_back(as_of, 3)
    if _months_on(edge, 3) == as_of:  # due on the check point itself: not late yet
        add(edge, None, "待回复")
    board.letters.sort(key=lambda m: m.asked, reverse=True)
    board.excluded = _excluded_board(site)
    return board


def _excluded_board(site: FleetSite) -> BoardData:
    """纪检举报: a board 19号 V5 leaves out, with a letter unanswered for five months (never a FAIL)."""
    board = BoardData("table", EXCLUDED_NAME, "/hdjl/jjjb/")
    first = 200_000 + site.index * 10
    for n, (days, took) in enumerate(((40, 6), (150, None), (260, 12))):
        asked = site.as_of - dt.timedelta(days=days)
        answered = asked + dt.timedelta(days=took) if took else None
        state = "已办结" if answered else "待回复"
        answer = "已转交有关部门依规处理。" if answered else ""
        board.letters.append(Letter(first + n, EXCLUDED_TOPICS[n], asked, answered, state, answer))
    return board


def choose(site: FleetSite, data: SiteData, rate: float) -> list[Defect]:
    """The defects of ``CHECKS`` for ``site``: a message unanswered for 100–250 days, and a message
    answered 100–140 days after it was asked (which also makes the board's reply times fail)."""

    board = data.board
    if board is None:
        return []
    rng = random.Random(f"liuyan-{site.seed}-{site.index}")
    out: list[Defect] = []
    if rng.random() < rate:
        days, letter = rng.randint(100, 250), 900_000 + site.index * 10 + 1
        path = f"{board.directory}{_stem(board)}_{letter}.html"
        out.append(Defect("interaction.unanswered", path, path, key=f"unanswered-{letter}-{days}"))
    if rng.random() < rate:
        days, took, letter = rng.randint(160, 300), rng.randint(100, 140), 900_000 + site.index * 10 + 2
        path = f"{board.directory}{_stem(board)}_{letter}.html"
        key = f"late-{letter}-{days}-{took}"
        out.append(Defect("interaction.unanswered", path, path, key=key))
        out.append(Defect("interaction.reply_time", board.name, board.path, key=key))
    return out


def _stem(board: BoardData) -> str:
    return {"table": "msg", "detail": "letter", "api": "detail"}[board.layout]


def apply(site: FleetSite, data: SiteData, defect: Defect) -> None:
    """Add the defect's message to the board (once per key: the late message carries two defects)."""
    board = data.board
    if board is None:
        return
    kind, letter, *numbers = defect.key.split("-")
    letter_id = int(letter)
    if any(m.id == letter_id for m in board.letters):
        return
    asked = site.as_of - dt.timedelta(days=int(numbers[0]))
    title = (
        "咨询老旧小区加装电梯补贴的申请条件"
        if kind == "unanswered"
        else "反映我村农村饮水安全工程水质浑浊问题"
    )
    if kind == "unanswered":
        board.letters.append(Letter(letter_id, title, asked, None, "待回复"))
    else:
        answered = asked + dt.timedelta(days=int(numbers[1]))
        board.letters.append(
            Letter(letter_id, title, asked, answered, "已回复", "已安排专人现场查看并协调解决。")
        )
    board.letters.sort(key=lambda m: m.asked, reverse=True)


# ------------------------------------------------------------------------------------------- pages

Shell = Callable[[str, str], tuple[int, str, bytes]]  # (title, inner HTML) -> a response


CHANNEL = "/hdjl/index.html"  # 互动交流: the channel page that leads to the board, as portals have


def entry(site: FleetSite) -> str:
    """The homepage's link to the 互动交流 channel (the board is one more hop, its letters two)."""
    return f'<a href="{CHANNEL}">互动交流</a>' if site.data.board is not None else ""


def respond(site: FleetSite, path: str, query: dict[str, str], shell: Shell) -> tuple[int, str, bytes] | None:
    """The board's pages, its letters' pages and its API; None for any other path."""
    board = site.data.board
    if board is None or not path.startswith("/hdjl/"):
        return None
    if path == API_PATH and board.layout == "api":
        return _api(board, query)
    if path in (CHANNEL, "/hdjl/"):
        links = "".join(f'<li><a href="{b.path}">{b.name}</a></li>' for b in _boards(board))
        links += '<li><a href="/hdjl/xzxx/index.html">写信须知</a></li>'
        return shell("互动交流", f'<h2>互动交流</h2><ul class="hd">{links}</ul>')
    if path == "/hdjl/xzxx/index.html":
        return shell(
            "写信须知", "<h2>写信须知</h2><p>请如实反映情况，一事一信。信件办理结果将在本栏目公开。</p>"
        )
    for one in _boards(board):
        if path in (one.path, one.directory):
            page = _page_number(query)
            inner = _list(one, page) if page is not None else None
            return None if inner is None else shell(one.name, inner)
        letter = next((m for m in one.letters if one.letter_path(m) == path), None)
        if letter is not None:
            kind = "信件详情" if one.layout == "detail" else "留言详情"
            return shell(f"{kind}_{one.name}", _letter(one, letter))
    return None


def _boards(board: BoardData) -> list[BoardData]:
    return [board, board.excluded] if board.excluded is not None else [board]


def _page_number(query: dict[str, str]) -> int | None:
    try:
        return max(1, int(query.get("page", "1")))
    except ValueError:
        return None


def _pager(board: BoardData, page: int) -> str:
    pages = max(1, math.ceil(len(board.letters) / PAGE_SIZE))
    links = [f"<span>共{pages}页 第{page}页</span>"]
    if page < pages:
        links.append(f'<a href="{board.path}?page={page + 1}">下一页</a>')
    return f'<div class="pager">{" ".join(links)}</div>'


def _list(board: BoardData, page: int) -> str | None:
    rows = board.letters[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if not rows and page > 1:
        return None
    heading = f"<h2>{board.name}</h2>"
    if board.layout == "api":
        return heading + _ajax()
    if board.layout == "detail":
        lis = "".join(
            f'<li><a href="{board.letter_path(m)}">{e(m.title)}</a><span class="date">{m.asked:%Y-%m-%d}</span></li>'
            for m in rows
        )
        return f'{heading}<ul class="list">{lis}</ul>{_pager(board, page)}'
    head = "<tr><th>序号</th><th>留言标题</th><th>留言时间</th><th>回复时间</th><th>状态</th></tr>"
    body = "".join(
        f'<tr><td>{(page - 1) * PAGE_SIZE + n}</td><td><a href="{board.letter_path(m)}">{e(m.title)}</a></td>'
        f"<td>{m.asked:%Y-%m-%d}</td><td>{m.answered.isoformat() if m.answered else ''}</td><td>{m.state}</td></tr>"
        for n, m in enumerate(rows, 1)
    )
    return f'{heading}<table class="lylist">{head}{body}</table>{_pager(board, page)}'


def _ajax() -> str:
    return (
        '<div class="list-box"><ul id="list" class="list"></ul></div>'
        '<script src="/js/jquery.min.js"></script><script type="text/javascript">'
        "function draw(d){var ul=document.getElementById('list');(d.data.list||[]).forEach(function(it){"
        "var li=document.createElement('li');li.innerHTML='<a href=\"'+it.url+'\">'+it.title+'</a>';"
        "ul.appendChild(li);});}"
        f"$(function(){{$.ajax({{url:'{API_PATH}',type:'GET',dataType:'json',"
        f"data:{{page:1,size:{PAGE_SIZE}}},success:draw}});}});</script>"
    )


def _api(board: BoardData, query: dict[str, str]) -> tuple[int, str, bytes]:
    page = _page_number(query) or 1
    rows = board.letters[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    doc = {
        "code": 200,
        "data": {
            "total": len(board.letters),
            "totalPage": max(1, math.ceil(len(board.letters) / PAGE_SIZE)),
            "pageNo": page,
            "pageSize": PAGE_SIZE,
            "list": [
                {
                    "id": m.id,
                    "title": m.title,
                    "url": board.letter_path(m),
                    "askTime": f"{m.asked:%Y-%m-%d} 10:12:00",
                    "replyTime": f"{m.answered:%Y-%m-%d} 16:30:00" if m.answered else "",
                    "status": m.state,
                }
                for m in rows
            ],
        },
    }
    return 200, "application/json; charset=utf-8", json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _letter(board: BoardData, m: Letter) -> str:
    ask, reply, words = (
        ("来信时间", "答复时间", "答复内容")
        if board.layout == "detail"
        else ("留言时间", "回复时间", "回复内容")
    )
    rows = [
        f"<tr><th>标题：</th><td>{e(m.title)}</td></tr>",
        f"<tr><th>{ask}：</th><td>{m.asked:%Y-%m-%d}</td></tr>",
        f"<tr><th>{'来信' if board.layout == 'detail' else '留言'}内容：</th><td>您好，{e(m.title)}，盼复。</td></tr>",
        f"<tr><th>办理状态：</th><td>{m.state}</td></tr>",
    ]
    if m.answered:
        rows.append(f"<tr><th>答复单位：</th><td>{e(board.name)}办公室</td></tr>")
        rows.append(f"<tr><th>{reply}：</th><td>{m.answered:%Y-%m-%d}</td></tr>")
        rows.append(f"<tr><th>{words}：</th><td>{e(m.answer)}</td></tr>")
    else:
        rows.append(f"<tr><th>{words}：</th><td>暂无回复</td></tr>")
    return f'<h2>{e(m.title)}</h2><table class="letter">{"".join(rows)}</table>'
