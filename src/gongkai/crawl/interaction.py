"""互动回应: the 留言 of a site's 留言/咨询/信箱/投诉 boards, read from their pages in their common layouts.

Three layouts are read, each from what the page itself shows:

- a list whose header names the columns (`<table>` or `<ul>`/`<ol>` rows of cells): 标题 | 留言时间 |
  回复时间 | 状态 (any of the labels in ``ASK_LABELS``, ``REPLY_LABELS``, ``STATE_LABELS``);
- a message's own page with labelled fields: 留言时间：… 留言内容：… 回复时间：… 回复内容：…;
- the JSON answer of the API a script-rendered list calls (crawl.scripted fetches it): records with an
  ask-time field and a reply-time, state or reply field.

`page_messages` and `json_messages` run on one response (crawl.facts calls them while it has the parse
tree); crawl.boards joins them into boards once the whole site is known. Nothing of the asker (name,
phone, address) is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from gongkai.crawl.apilist import json_arrays
from gongkai.text import parse_date, squash

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

ASK_LABELS = (
    "留言时间",
    "留言日期",
    "来信时间",
    "来信日期",
    "写信时间",
    "写信日期",
    "提问时间",
    "咨询时间",
    "投诉时间",
    "诉求时间",
    "提交时间",
    "发信时间",
    "留言时间/回复时间",
)
REPLY_LABELS = (
    "回复时间",
    "回复日期",
    "答复时间",
    "答复日期",
    "办结时间",
    "办结日期",
    "回应时间",
    "反馈时间",
    "处理时间",
)
STATE_LABELS = (
    "办理状态",
    "回复状态",
    "处理状态",
    "受理状态",
    "信件状态",
    "留言状态",
    "办理情况",
    "处理情况",
    "是否回复",
    "状态",
)
TITLE_LABELS = (
    "留言标题",
    "信件标题",
    "来信标题",
    "咨询标题",
    "投诉标题",
    "留言主题",
    "信件主题",
    "来信主题",
    "咨询主题",
    "投诉主题",
    "标题",
    "主题",
)
# a message board's own title labels: beside one of them a bare 时间 / 日期 column is the ask time
_MESSAGE_TITLES = frozenset(TITLE_LABELS[:-2])
_BARE_TIMES = frozenset({"时间", "日期", "留言", "来信"})
_GATE_LABELS = (*ASK_LABELS[:-1], *TITLE_LABELS[:-2])
REPLY_TEXT_LABELS = ("回复内容", "答复内容", "回复意见", "答复意见", "办理结果", "处理结果", "回复", "答复")

# States, as written: one that takes the message out of the count (withdrawn, refused, passed on), one
# that says it waits for an answer, one that says it was answered. Tested in that order (未办结 waits).
VOID_STATES = re.compile(r"撤回|撤销|不予受理|不受理|转办|转交|转至|无效|重复|驳回|退回|不予公开|已关闭|删除")
PENDING_STATES = re.compile(
    r"待回复|未回复|待答复|未答复|办理中|处理中|待处理|未处理|受理中|已受理|正在办理|待办理|未办结|待审核|审核中|暂无回复|尚未回复"
)
ANSWERED_STATES = re.compile(r"已回复|已答复|已办结|办结|已处理|已反馈|已回应|已完成|已解答|已答|已回")
_NO_YEAR = re.compile(r"^\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_EMPTY = re.compile(r"^[\s\-—/无暂]*$|^暂无|^未回复$|^待回复$")
_LABEL_AT = {
    kind: re.compile("(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\s*[:：]\s*")
    for kind, labels in (
        ("ask", ASK_LABELS),
        ("reply", REPLY_LABELS),
        ("state", STATE_LABELS),
        ("title", TITLE_LABELS),
        ("answer", REPLY_TEXT_LABELS),
    )
}
_MAX_ROWS = 200  # rows read per list page


@dataclass(frozen=True)
class RawMessage:
    """A message as one response shows it (before the site is known): crawl.facts keeps these."""

    url: str
    title: str = ""
    asked: dt.date | None = None
    answered: dt.date | None = None
    replied: bool | None = None
    state: str = ""
    source: str = ""  # list | detail | api
    year_shown: bool = True


# Which pages are read at all: a board or a letter names itself in its title (在线留言, 信件详情, 关于…的咨询)
# or lives under an interaction path (/hdjl/, /zmhd/, /ldxx/ …). Testing a title and a URL costs a few µs;
# searching every page's text for the labels would cost a quarter of a page's whole extraction.
_TITLE_CUE = re.compile(
    r"留言|信箱|咨询|投诉|来信|信件|问政|诉求|互动|写信|热线|回复|答复|建言|民意|市民|网民"
)
_PATH_CUE = re.compile(
    r"/(?:hdjl|zmhd|hdjlpt|hudong|interact\w*|liuyan|lyb|ly|ldxx|ldxxx|szxx|xzxx|qzxx|sjxx|jzxx|zxzx|zxts|"
    r"xxgk/zxzx|mail\w*|letter\w*|message\w*|guestbook|consult\w*|complain\w*|wsdc|wszx|12345|xf|xinxiang)(?:/|\.|$|_|\?)",
    re.I,
)


def may_be_board(url: str, title: str) -> bool:
    """Cheap test on a page's URL and title: can it be a board or a letter's page."""
    return bool(_TITLE_CUE.search(title)) or bool(_PATH_CUE.search(url))


def may_hold_messages(visible: str) -> bool:
    """Does a page's visible text name an ask time or a letter's title at all (asked of boards only)."""
    return any(label in visible for label in _GATE_LABELS)


def state_class(state: str) -> str:
    """'void', 'pending', 'answered' or '' for a state as written."""
    if not state:
        return ""
    if VOID_STATES.search(state):
        return "void"
    if PENDING_STATES.search(state):
        return "pending"
    if ANSWERED_STATES.search(state):
        return "answered"
    return ""


def page_messages(
    tree: LexborHTMLParser, url: str, visible: str, title: str = "", base: str = ""
) -> list[RawMessage]:
    """The messages the page at `url` shows (links resolved against `base`, its <base href>, else the
    URL): the rows of its list(s) with a 留言时间-like column, else the labelled fields of a message's own
    page. [] for every other page."""
    if not may_be_board(url, title) or not may_hold_messages(visible):
        return []
    rows = _list_rows(tree, base or url)
    if rows:
        return rows
    asks = len(_LABEL_AT["ask"].findall(visible))
    if asks > 1:
        return _blocks(tree, url, base or url)
    own = _detail(url, visible, tree) if asks == 1 else None
    return [own] if own is not None else []


# ------------------------------------------------------------------------------------------ lists


def _cells(row: LexborNode) -> list[LexborNode]:
    return [c for c in row.iter() if c.tag not in ("-text", "#text", "script", "style", "#comment")]


def _rows_of(container: LexborNode) -> list[LexborNode]:
    if container.tag == "table":
        return list(container.css("tr"))[: _MAX_ROWS + 1]
    return [c for c in _cells(container) if c.tag == "li"][: _MAX_ROWS + 1]


def _role_of(label: str) -> str:
    text = "".join(label.split()).rstrip("：:")
    if not text or len(text) > 8:
        return ""
    for kind, labels in (
        ("ask", ASK_LABELS),
        ("reply", REPLY_LABELS),
        ("state", STATE_LABELS),
        ("title", TITLE_LABELS),
    ):
        if text in labels:
            return kind
    return ""


def _header(row: LexborNode) -> dict[str, int]:
    """Column index by role ('ask', 'reply', 'state', 'title') of a header row, {} when it is none."""
    roles: dict[str, int] = {}
    bare = -1
    titled = False
    for n, cell in enumerate(_cells(row)):
        text = "".join(cell.text().split()).rstrip("：:")
        role = _role_of(text)
        if role and role not in roles:
            roles[role] = n
        titled = titled or text in _MESSAGE_TITLES
        if text in _BARE_TIMES and bare < 0:
            bare = n
    if "ask" not in roles and titled and bare >= 0:
        roles["ask"] = bare  # 来信主题 | 状态 | 时间: the time a letter was sent
    if "ask" in roles and ({"reply", "state"} & roles.keys()):
        return roles
    return {}


def _list_rows(tree: LexborHTMLParser, base: str) -> list[RawMessage]:
    out: list[RawMessage] = []
    for container in tree.css("table, ul, ol"):
        rows = _rows_of(container)
        if len(rows) < 2:
            continue
        columns = _header(rows[0])
        if not columns:
            continue
        for row in rows[1:]:
            message = _row_message(row, columns, base)
            if message is not None:
                out.append(message)
    return out


def _date_cell(text: str) -> tuple[dt.date | None, bool]:
    """The date a cell shows and whether its year is shown (a MM-DD cell is not read)."""
    date = parse_date(text)
    if date is None and _NO_YEAR.match(text):
        return None, False
    return date, True


def _row_message(row: LexborNode, columns: Mapping[str, int], base: str) -> RawMessage | None:
    cells = _cells(row)
    if len(cells) <= max(columns.values()):
        return None
    texts = [squash(c.text()) for c in cells]
    if _header(row):
        return None  # a repeated header
    link = row.css_first("a[href]")
    href = (link.attributes.get("href") or "").strip() if link is not None else ""
    url = urljoin(base, href) if href and not href.lower().startswith(("javascript", "#")) else base
    title = (
        texts[columns["title"]] if "title" in columns else (squash(link.text()) if link is not None else "")
    )
    asked, shown = _date_cell(texts[columns["ask"]])
    if asked is None and shown:
        return None  # not a message row (a pager, a note)
    answered, reply_shown = (None, True)
    replied: bool | None = None
    if "reply" in columns:
        reply_text = texts[columns["reply"]]
        answered, reply_shown = _date_cell(reply_text)
        replied = (
            True if answered is not None or not reply_shown else (False if _EMPTY.match(reply_text) else None)
        )
        if answered is None:  # a 回复 column that says 已回复 / 未回复 instead of a date
            replied = _replied_by_state(reply_text, replied)
    state = texts[columns["state"]] if "state" in columns else ""
    replied = _replied_by_state(state, replied)
    return RawMessage(url, title, asked, answered, replied, state, "list", shown and reply_shown)


def _replied_by_state(state: str, replied: bool | None) -> bool | None:
    kind = state_class(state)
    if kind == "answered":
        return True
    if kind == "pending" and replied is not True:
        return False
    return replied


# ------------------------------------------------------------------------------------ detail pages


_NEXT_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}\s*[:：]")


def _field(kind: str, text: str) -> tuple[str, int] | None:
    """The value after the first label of `kind`, up to the next label (`XX：`) or 200 characters, and
    where it starts (page text comes with its whitespace collapsed: lines are not kept)."""
    m = _LABEL_AT[kind].search(text)
    if m is None:
        return None
    tail = text[m.end() : m.end() + 200]
    nxt = _NEXT_LABEL.search(tail)
    return (tail[: nxt.start()] if nxt else tail).strip(), m.end()


def _detail(url: str, visible: str, tree: LexborHTMLParser) -> RawMessage | None:
    """A message's own page: its labelled fields (one ask date; the title, else the page's heading)."""
    found = _letter(url, visible, "detail")
    if found is None:
        return None
    return found if found.title else replace(found, title=_heading(tree)[:120])


def _letter(url: str, text: str, source: str) -> RawMessage | None:
    """The labelled fields of one letter's text: 留言时间：… 回复时间：… 状态：… 回复内容：…"""
    ask = _field("ask", text)
    if ask is None:
        return None
    asked, shown = _date_cell(ask[0])
    reply = _field("reply", text)
    answered, reply_shown = _date_cell(reply[0]) if reply else (None, True)
    state = (_field("state", text) or ("", 0))[0][:20]
    answer = _field("answer", text)
    replied: bool | None = None
    if answered is not None or (answer is not None and not _EMPTY.match(answer[0])):
        replied = True
    elif _says_unanswered(text[ask[1] : ask[1] + _LETTER_SPAN]) or (
        reply is not None and _EMPTY.match(reply[0])
    ):
        replied = False
    replied = _replied_by_state(state, replied)
    title = (_field("title", text) or ("", 0))[0]
    return RawMessage(url, title[:120], asked, answered, replied, state, source, shown and reply_shown)


def _blocks(tree: LexborHTMLParser, url: str, base: str) -> list[RawMessage]:
    """A page of letters in blocks (问/答 with their dates, one block per letter): each block is the
    largest element holding exactly one ask label inside one that holds several; its link, else the page
    with the block's number, names it."""
    out: list[RawMessage] = []
    for n, node in enumerate(_letter_blocks(tree), 1):
        text = squash(node.text(separator=" "))
        link = node.css_first("a[href]")
        href = (link.attributes.get("href") or "").strip() if link is not None else ""
        own = (
            urljoin(base, href) if href and not href.lower().startswith(("javascript", "#")) else f"{url}#{n}"
        )
        letter = _letter(own, text, "list")
        if letter is None:
            continue
        if not letter.title and link is not None:
            letter = replace(letter, title=squash(link.text())[:120])
        out.append(letter)
    return out[:_MAX_ROWS]


def _letter_blocks(tree: LexborHTMLParser) -> list[LexborNode]:
    body = tree.body
    if body is None:
        return []
    counts: dict[int, int] = {}
    blocks: list[LexborNode] = []

    def asks(node: LexborNode) -> int:
        key = node.mem_id
        if key not in counts:
            counts[key] = len(_LABEL_AT["ask"].findall(squash(node.text(separator=" "))))
        return counts[key]

    for node in body.css("li, dl, dd, tr, table, div, section, article, p"):
        parent = node.parent
        if asks(node) == 1 and parent is not None and asks(parent) > 1:
            blocks.append(node)
    return blocks


_LETTER_SPAN = 1500  # characters after the ask date that belong to the letter (not a sidebar's filter tabs)
_NO_REPLY = re.compile(r"暂无回复|尚未回复|未回复|待回复|暂未回复|暂无答复|尚未答复|正在办理|正在处理")
_SOME_REPLY = re.compile(r"已回复|已答复|已办结")


def _says_unanswered(letter: str) -> bool:
    """The letter's own text says it waits for an answer, and says nothing of one (a 已回复 | 未回复 pair
    of tabs says neither)."""
    return bool(_NO_REPLY.search(letter)) and not _SOME_REPLY.search(letter)


def _heading(tree: LexborHTMLParser) -> str:
    for selector in ("h1", ".title", "h2", "title"):
        node = tree.css_first(selector)
        if node is not None and node.text().strip():
            return squash(node.text())
    return ""


# ---------------------------------------------------------------------------------------- JSON APIs

_JSON_ASK = ("asktime", "ask_time", "lysj", "lxsj", "createtime", "create_time", "createdate", "submittime",
             "writetime", "addtime", "questiontime", "consulttime", "letterdate", "lettertime", "xjsj")  # fmt: skip
_JSON_REPLY = ("replytime", "reply_time", "replydate", "reply_date", "answertime", "answer_time", "hfsj",
               "dfsj", "bjsj", "finishtime", "handletime", "dealtime", "responsetime", "restime")  # fmt: skip
_JSON_STATE = ("status", "state", "replystatus", "reply_status", "handlestatus", "statusname", "zt", "clzt",
               "blzt", "statename")  # fmt: skip
_JSON_ANSWER = ("reply", "replycontent", "reply_content", "answer", "answercontent", "hfnr", "dfnr")
_JSON_TITLE = ("title", "subject", "lybt", "xjbt", "name")
_JSON_URL = ("url", "link", "href", "detailurl", "linkurl", "pageurl")


def _lower(row: Mapping[str, object]) -> dict[str, object]:
    return {k.lower(): v for k, v in row.items() if isinstance(k, str)}


def _first(row: Mapping[str, object], keys: Iterable[str]) -> tuple[bool, object]:
    for key in keys:
        if key in row:
            return True, row[key]
    return False, None


def _json_date(value: object) -> tuple[dt.date | None, bool]:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1e8:
        return dt.datetime.fromtimestamp(value / 1000 if value > 1e11 else value, dt.UTC).date(), True
    if isinstance(value, str) and value.strip():
        return _date_cell(value)
    return None, True


def json_messages(doc: object, base: str) -> list[RawMessage]:
    """The messages of a list API's answer: the largest array whose records mostly carry an ask time and
    a reply time, a state or a reply."""
    best: list[dict[str, object]] = []
    for rows in json_arrays(doc):
        lowered = [_lower(r) for r in rows]
        good = [
            r
            for r in lowered
            if _first(r, _JSON_ASK)[0]
            and any(_first(r, keys)[0] for keys in (_JSON_REPLY, _JSON_STATE, _JSON_ANSWER))
        ]
        if len(good) * 2 >= len(rows) and len(good) > len(best):
            best = good
    return [_json_message(r, base) for r in best[:_MAX_ROWS]]


def _json_message(row: dict[str, object], base: str) -> RawMessage:
    asked, shown = _json_date(_first(row, _JSON_ASK)[1])
    answered, reply_shown = _json_date(_first(row, _JSON_REPLY)[1])
    state_value = _first(row, _JSON_STATE)[1]
    state = state_value if isinstance(state_value, str) else ""  # a bare code (0/1) says nothing we know
    has_answer, answer = _first(row, _JSON_ANSWER)
    replied: bool | None = None
    if answered is not None or (isinstance(answer, str) and answer.strip()):
        replied = True
    elif has_answer and not answer:
        replied = False
    replied = _replied_by_state(state, replied)
    href = _first(row, _JSON_URL)[1]
    url = urljoin(base, href.strip()) if isinstance(href, str) and href.strip() else base
    title = _first(row, _JSON_TITLE)[1]
    return RawMessage(
        url, squash(str(title or ""))[:120], asked, answered, replied, state, "api", shown and reply_shown
    )
