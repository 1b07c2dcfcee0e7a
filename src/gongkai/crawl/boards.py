"""The boards of a site and their 留言, joined once the whole site is known (crawl.interaction reads them
from each response).

A list row and the message's own page are one message (the page's dates win, the list's state fills in;
dates that disagree are noted as a doubt); each message gets its board: the list page that shows it
(a list's further pages belong to its first page), the page whose script calls the API that answered it,
or, for a letter's page no list shows, the page that lists it, else its own title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from gongkai.crawl.interaction import RawMessage
from gongkai.model import Board, Message

if TYPE_CHECKING:
    from gongkai.crawl.facts import PageFacts

SAMPLE_NAMES = re.compile(r"选登|精选|摘登|选编|选刊|典型")
_BOARD_WORDS = re.compile(r"留言|信箱|咨询|投诉|来信|问政|诉求|热线|建言|互动|写信|信件")
_SEPARATORS = re.compile(r"[_|｜\-—–·>»]+")


_PAGE_WORDS = re.compile(r"详情|详细|正文|查看|内容|列表")


def board_name(title: str, heading: str = "") -> str:
    """A board's name from its page's title (留言板_某某县人民政府 -> 留言板; 信件详情_书记信箱_… -> 书记信箱)."""
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    if heading.strip() and _BOARD_WORDS.search(heading) and len(heading) <= 20:
        return heading.strip()
    named = [p for p in parts if _BOARD_WORDS.search(p)]
    boards = [p for p in named if not _PAGE_WORDS.search(p)]
    return (boards or named or parts or [heading.strip()])[0][:30]


def collect(pages: Mapping[str, PageFacts]) -> tuple[tuple[Board, ...], tuple[Message, ...]]:
    """The boards and messages of a site from its pages' facts (keyed by URL): list rows and API records
    joined with the messages' own pages."""
    callers = {api: url for url, f in pages.items() for api in f.api}
    first = _first_pages(pages)
    boards: dict[str, Board] = {}
    merged: dict[tuple[str, str], Message] = {}
    details: dict[str, tuple[RawMessage, PageFacts]] = {}
    for url, f in pages.items():
        raws = getattr(f, "messages", None) or []
        if not raws:
            continue
        if raws[0].source == "detail":
            details[url] = (raws[0], f)
            continue
        board_url = first.get(_board_url(url, f, callers), _board_url(url, f, callers))
        board = boards.get(board_url) or _board(board_url, pages.get(board_url) or f)
        for raw in raws:
            key = (raw.url, "" if raw.url != url else f"{raw.title}|{raw.asked}")
            if key in merged:
                continue
            merged[key] = _message(raw, board, f.record)
        boards[board_url] = board
    listed_on = {it.url: first.get(url, url) for url, f in pages.items() for it in (f.list_items or [])}
    for url, (raw, f) in details.items():
        key = (url, "")
        listed = merged.get(key)
        if listed is None:
            board_url = listed_on.get(url, "")
            home = pages.get(board_url)
            board = boards.get(board_url) or (
                _board(board_url, home) if home else Board(board_name(f.title), "")
            )
            if board.url:
                boards[board.url] = board
            merged[key] = _message(raw, board, f.record)
            continue
        merged[key] = _join(listed, raw, f.record)
    counts: dict[str, int] = {}
    for m in merged.values():
        counts[m.board_url] = counts.get(m.board_url, 0) + 1
    out_boards = tuple(
        replace(b, messages=counts.get(b.url, 0), sample=bool(SAMPLE_NAMES.search(b.name)))
        for b in boards.values()
    )
    return out_boards, tuple(merged.values())


def _board(url: str, f: PageFacts) -> Board:
    return Board(board_name(f.title, f.heading), url)


def _first_pages(pages: Mapping[str, PageFacts]) -> dict[str, str]:
    """A list's further pages -> its first page (the page whose pager leads to them, followed back)."""
    parent = {p: url for url, f in pages.items() for p in f.pagination if p != url}
    out: dict[str, str] = {}
    for page in parent:
        top, seen = page, {page}
        while top in parent and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        out[page] = top
    return out


def _board_url(url: str, f: PageFacts, callers: Mapping[str, str]) -> str:
    """The list page a message list belongs to: the page whose script calls this API (or its first
    page), else the page itself."""
    if f.kind == "json":
        if url in callers:
            return callers[url]
        stem = url.split("?", 1)[0]
        for api, caller in callers.items():
            if api.split("?", 1)[0] == stem:
                return caller
    return url


def _message(raw: RawMessage, board: Board, record: str) -> Message:
    return Message(
        url=raw.url,
        title=raw.title,
        board=board.name,
        board_url=board.url,
        asked=raw.asked,
        answered=raw.answered,
        replied=raw.replied,
        state=raw.state,
        source=raw.source,
        record=record,
        year_shown=raw.year_shown,
    )


def _join(listed: Message, own: RawMessage, record: str) -> Message:
    """A list row and the message's own page: the page's dates where it shows them, the list's state and
    reply where the page says nothing."""
    if own.asked is None and own.year_shown:
        return listed  # the page shows no ask date: the list row stands
    replied = own.replied if own.replied is not None else listed.replied
    doubt = listed.doubt
    if (listed.asked and own.asked and listed.asked != own.asked) or (
        listed.answered and own.answered and listed.answered != own.answered
    ):
        doubt = "列表页与留言页显示的日期不一致"
    if listed.replied is True and own.replied is None:
        replied = True
    return replace(
        listed,
        title=listed.title or own.title,
        asked=own.asked,
        answered=own.answered or listed.answered,
        replied=replied,
        state=own.state or listed.state,
        source="detail",
        record=record,
        year_shown=own.year_shown and listed.year_shown,
        doubt=doubt,
    )
