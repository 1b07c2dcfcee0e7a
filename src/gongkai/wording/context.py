"""Whose words a matched phrase is: the unit's own sentence, or words it reproduces or names.

``voice(text, start, end)`` reads the marks and words around a match and says which of these it is:

- ``title``: inside 《》 or 〈〉, the title of a document, book, article or law, reproduced as written;
- ``mention``: the word itself is being talked about, inside quotation marks: “北朝鲜”这一称谓,
  不再使用“台湾政府”, 所谓“台湾政府” (新华社's own rule for naming such terms is quotation marks, with
  “所谓” where needed);
- ``quotation``: quotation marks after a speaker or a source: 发言人称：“……”, 自称“台湾总统”,
  据《联合报》报道“……”;
- ``emphasis``: quotation marks with none of the above (“台湾政府”出台了……): whether it is a citation or
  the unit's own term cannot be told from the text;
- ``reported``: no quotation marks, but the sentence gives a named outside source (据韩联社报道, 援引外媒),
  or the page is a reprint of a news outlet (来源：环球网, 转载自……) and not the unit's own news (本网讯);
- ``so_called``: 所谓 right before, without quotation marks;
- ``named``: someone else's name for a thing, without quotation marks (称钓鱼岛为尖阁列岛);
- ``address``: part of a web address (http://…, www.…);
- ``site``: a web site's name (…网, …网站) right after it: 台湾政府采购网;
- ``file``: part of a file name (…台湾政府采购办法.pdf), the title of a document as its file is named;
- ``own``: none of these: the unit's own sentence.

``normalized(text)`` gives the text with the whitespace between two Chinese characters removed (a word
split by an HTML tag, a line break, a full-width or letter-spacing space) and traditional characters
turned into simplified ones, with a map back to the original offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

OWN, TITLE, MENTION, QUOTATION, EMPHASIS = "own", "title", "mention", "quotation", "emphasis"
REPORTED, SO_CALLED, ADDRESS, FILE = "reported", "so_called", "address", "file"
NAMED, SITE = "named", "site"
SILENT = frozenset({TITLE, MENTION, QUOTATION, ADDRESS})  # not the unit's statement: nothing to report

TITLE_MARKS = (("《", "》"), ("〈", "〉"))
QUOTE_MARKS = (("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"))
STRAIGHT = ('"', "'", "`")
QUOTE_WIDTH = 300  # characters a quotation may reach either side of a match (a spokesman's several sentences)
_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_END = _SENTENCE_END + "，,：:"
# Words after a closing mark (same clause) that say the quoted word is being talked about as a word.
_MENTION_AFTER = re.compile(
    r"^[^。！？!?；;，,]{0,8}?(称谓|称呼|叫法|说法|提法|用语|字样|字眼|表述|词语|词汇|一词|等词|这个词|名称|写法)"
)
# Words before an opening mark (same clause) that say so: a rule about the word, or 所谓.
_MENTION_BEFORE = re.compile(
    r"(所谓|伪|不再使用|不得使用|禁止使用|严禁使用|不使用|不要使用|避免使用|不能使用|不宜使用|慎用|禁用|"
    r"不得称|不称|不能称|不应称|不要称|不再称|不得出现|杜绝|改称|应称|俗称|称之为|称作|叫作)"
    r"[^。！？!?；;]{0,6}$"
)
# A speaker or a source right before an opening mark: 称/表示/指出……, then optionally a colon or comma.
_SPEAKER = re.compile(
    r"((?<![简统通昵])称|说|道|表示|指出|强调|宣称|声称|写道|报道|报导|透露|坦言|直言|回应|认为|提出|问|答|援引|引述|"
    r"引用|题为|标题为|名为|自称|号称|所称|中称|写着|喊出|宣布)\s*[：:，,]?\s*$"
)
# A web site named right after the phrase: 台湾政府采购网.
_SITE_NAME = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(网站|官网|网)(?:(?![\u4e00-\u9fff])|查询|显示|发布|公布|公告|上|中|的|数据|信息|首页)"
)
# A rule about the word without quotation marks: 不得称台湾政权为台湾政府.
_RULE = re.compile(r"(不得|不能|不应|不要|不再|严禁|禁止|避免)(称|称呼|叫)[^。！？!?；;，,]{0,12}为$")
# Someone else's name for a thing, told without quotation marks: 称钓鱼岛为尖阁列岛.
_NAMING = re.compile(r"(称|叫|称呼|命名)[^。！？!?；;，,]{1,12}为$|(所称的|称之为|称作|叫作|叫做)$")
_COLON_BEFORE = re.compile(r"[\u4e00-\u9fff）)][：:]\s*$")  # 发言人表示：“……” (not "key":"value")
# A named outside source in the sentence before the match (not a bare 据报道: the unit's own narration).
_SOURCE = re.compile(
    r"(据|援引|引述|转引|转述)(?!本网|本报|本台|本站)[^。！？!?；;，,]{2,24}?"
    r"(报道|报导|消息|电|称|披露|透露|指出|表示|发布)"
    r"|[^。！？!?；;，,\s]{2,16}(报道|报导|消息)(称|说|指出)"
    r"|(外媒|外电|境外媒体|台湾媒体|台媒|韩媒|日媒|美媒)"
)
# A reprinted page: 来源：<a news outlet>, 转载自……; the unit's own news says 本网讯 and the like.
_REPRINT = re.compile(
    r"(?:转载自|转自|转载于|(?:文章|信息|稿件)?来源[:：]|稿源[:：])\s*([^\s，。；|｜]{2,24})"
)
_OUTLET = re.compile(r"(社|报|网|台|新闻|时报|日报|晚报|周刊|杂志|消息|客户端|频道|头条|公众号|在线|媒体)$")
_GOVERNMENT = re.compile(r"政府|政务|人民|委员会|局|厅|办公室|党委|纪委|融媒体")
_OWN_NEWS = re.compile(r"本网讯|本报讯|本站讯|本台讯|本网消息|(?:来源|稿源)[:：]\s*(?:本网|本站|本报|原创)")
_ADDRESS = re.compile(r"(?:https?://|ftp://|www\.)\S*$", re.IGNORECASE)
_FILE_EXT = re.compile(
    r"^[^\s，。；、：:（）()]*?\.(?:pdf|docx?|xlsx?|wps|et|ofd|txt|zip|rar|7z|jpe?g|png|gif|bmp|tiff?)\b",
    re.IGNORECASE,
)
_TOKEN_STOPS = " \t\n　，。；：、（）()[]【】<>《》“”「」\"'`"


@dataclass(frozen=True)
class Voice:
    """Whose words a match is (one of the names above) and why, in Chinese ('' for own)."""

    kind: str
    why: str = ""


def quote_marks(text: str, start: int, end: int, width: int = 80) -> tuple[str, int, int] | None:
    """The innermost pair of marks around ``text[start:end]``, as (marks, offset of the opening mark, offset
    of the closing mark). Titles (《》〈〉) are looked for first, within one sentence; curly quotation marks
    may hold several sentences of a speech (up to ``QUOTE_WIDTH`` characters either side, one paragraph)
    when no other opening mark comes before the closing one; straight marks pair up within a line."""
    for pairs, reach, stops in ((TITLE_MARKS, width, "。！？\n"), (QUOTE_MARKS, QUOTE_WIDTH, "\n")):
        lo = max(0, start - reach)
        best: tuple[str, int, int] | None = None
        for opening, closing in pairs:
            before = text.rfind(opening, lo, start)
            if before == -1 or before < text.rfind(closing, lo, start):
                continue
            after = text.find(closing, end, end + reach)
            if after == -1 or any(s in text[before:start] or s in text[end:after] for s in stops):
                continue
            if opening in text[end:after]:
                continue  # the closing mark belongs to a later pair: the opening one before is a stray mark
            if best is None or before > best[1]:
                best = (opening + closing, before, after)
        if best is not None:
            return best
    lo = max(0, start - width)
    line_start = max(text.rfind("\n", lo, start) + 1, lo)
    for mark in STRAIGHT:
        if text.count(mark, line_start, start) % 2 and (after := text.find(mark, end, end + width)) != -1:
            return mark * 2, text.rfind(mark, line_start, start), after
    return None


def _clause_before(text: str, index: int, width: int = 16) -> str:
    lo = max(0, index - width)
    for i in range(index - 1, lo - 1, -1):
        if text[i] in _SENTENCE_END:
            return text[i + 1 : index]
    return text[lo:index]


def _sentence_before(text: str, index: int, width: int = 60) -> str:
    return _clause_before(text, index, width)


def _after_list(text: str, close: int) -> int:
    """The offset after a list of quoted words that starts with the one closing at ``close``:
    “台湾政府”、“台湾军队”或“台湾宪法”的说法 -> the offset of 的."""
    i = close + 1
    while i < len(text) and text[i] in "、和或及与" and i + 1 < len(text) and text[i + 1] in "“「『‘\"'":
        closing = {"“": "”", "「": "」", "『": "』", "‘": "’"}.get(text[i + 1], text[i + 1])
        nxt = text.find(closing, i + 2, i + 40)
        if nxt == -1:
            break
        i = nxt + 1
    return i


def _token(text: str, start: int, end: int) -> tuple[str, str]:
    """The characters of the whitespace- and punctuation-free token before and after the match."""
    lo = start
    while lo > 0 and text[lo - 1] not in _TOKEN_STOPS and start - lo < 200:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in _TOKEN_STOPS and hi - end < 200:
        hi += 1
    return text[lo:start], text[end:hi]


def reprint_source(text: str) -> str:
    """The news outlet a page says it reprints (来源：环球网 -> 环球网), '' for the unit's own page."""
    if _OWN_NEWS.search(text):
        return ""
    for m in _REPRINT.finditer(text):
        name = m.group(1)
        if _GOVERNMENT.search(name):
            continue  # a government portal or office: the unit's own side, not a news outlet
        if _OUTLET.search(name) or m.group(0).startswith("转"):
            return name
    return ""


def _corrected(text: str, end: int, correct: str) -> bool:
    """The right form follows in the same sentence (a table or a note of corrections: “台湾政府”→“台湾当局”)."""
    if not correct:
        return False
    window = text[end : end + 40]
    at = window.find(correct.strip("“”\"'"))
    return at != -1 and not any(c in window[:at] for c in "。！？!?；;\n")


def voice(text: str, start: int, end: int, reprint: str | None = None, correct: str = "") -> Voice:
    """Whose words ``text[start:end]`` is. ``reprint``: the page's reprint source when already known;
    ``correct``: the right form, whose presence right after a quoted wrong one marks a correction note."""
    before, after = _token(text, start, end)
    if _ADDRESS.search(before):
        return Voice(ADDRESS, "出现在网址中")
    if _FILE_EXT.match(after):
        return Voice(FILE, "出现在文件名中，可能照录文件标题")
    if _SITE_NAME.match(text, end):
        return Voice(SITE, "后接“网”“网站”，可能是照录的网站名称")
    marks = quote_marks(text, start, end)
    if marks is not None:
        pair, opening, closing = marks
        if pair in ("《》", "〈〉"):
            return Voice(TITLE, f"出现在{pair}内，是文件、书刊或文章的名称")
        lead = _clause_before(text, opening)
        tail = text[_after_list(text, closing) : _after_list(text, closing) + 14]
        if _MENTION_BEFORE.search(lead) or _MENTION_AFTER.match(tail) or _corrected(text, end, correct):
            return Voice(MENTION, f"出现在{pair}内，谈论的是这一称谓本身")
        if (
            _COLON_BEFORE.search(lead)
            or _SPEAKER.search(lead)
            or _SOURCE.search(_sentence_before(text, opening))
        ):
            return Voice(QUOTATION, f"出现在{pair}内，是注明出处的引语")
        return Voice(EMPHASIS, f"出现在{pair}内，可能是引用，需人工核实")
    if _RULE.search(_clause_before(text, start)):
        return Voice(MENTION, "是关于这一称谓的规定或说明")
    if _NAMING.search(_clause_before(text, start)):
        return Voice(NAMED, "转述他人对某地某事的称呼（“称……为”）但未加引号，需人工核实")
    if text[max(0, start - 3) : start].endswith(("所谓", "所谓的")):
        return Voice(SO_CALLED, "前有“所谓”但未加引号，需人工核实")
    source = _SOURCE.search(_sentence_before(text, start))
    if source:
        return Voice(REPORTED, f"转述外部来源（“{source.group(0)[:12]}”），是否属本单位表述需人工核实")
    reprint = reprint_source(text) if reprint is None else reprint
    if reprint:
        return Voice(REPORTED, f"转载自“{reprint}”，是否属本单位表述需人工核实")
    return Voice(OWN)


# ---- word boundaries: a phrase inside other words (东北朝鲜族, 充满清新, 台湾政府采购) ------------------

GLUED, EXTENDS, BROKEN = "glued", "extends", "broken"
# Terms the segmenter's dictionary lacks or ranks too low, with a frequency (None: jieba's own choice):
# 台湾|政府采购 is not 台湾政府; 满清|政府 is 满清 (at 2,000 it still loses to 充满|清新, 圆满|清零).
_TERMS = {"政府采购": None, "政府购买服务": None, "政府信息公开": None, "政府债券": None, "满清": 2000}


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in _TERMS.items():
        tokenizer.add_word(word, freq)
    return tokenizer


def _words(piece: str) -> list[tuple[int, int]]:
    """The (start, end) of each word of ``piece`` (jieba, dictionary only: unknown runs fall apart into
    single characters, which never hide a match)."""
    out, at = [], 0
    for word in _tokenizer().cut(piece, HMM=False):
        out.append((at, at + len(word)))
        at += len(word)
    return out


def boundary(text: str, start: int, end: int, width: int = 8) -> tuple[str, str]:
    """How the words of the sentence sit on ``text[start:end]``, as (kind, the word that crosses its edge):
    ('', '') when the phrase is made of whole words (a longer first word such as 中国台湾 included); GLUED
    when its first character ends a word before it (东北朝鲜族, 充满清新); BROKEN when its last characters
    begin a word after it that cuts one of its own words (北朝鲜卑, 满清政府); EXTENDS when its last word
    goes on into a longer word (台湾政府采购)."""
    lo = start
    while lo > max(0, start - width) and "\u3400" <= text[lo - 1] <= "\u9fff":
        lo -= 1
    hi = end
    while hi < min(len(text), end + width) and "\u3400" <= text[hi] <= "\u9fff":
        hi += 1
    if lo == start and hi == end:
        return "", ""
    words = _words(text[lo:hi])
    cuts = {0} | {e for _, e in words}
    own = {0} | {e for _, e in _words(text[start:end])}
    a, b = start - lo, end - lo
    if a not in cuts:
        first = next((s, e) for s, e in words if s < a < e)
        if first[1] - a not in own and first[1] < b:
            return GLUED, text[lo + first[0] : lo + first[1]]
    if b in cuts:
        return "", ""
    s, e = next((s, e) for s, e in words if s < b < e)
    word = text[lo + s : lo + e]
    return (EXTENDS if s - a in own and s > a else BROKEN), word


# ---- normalized text: split words joined, traditional characters simplified ------------------------

_GAP = re.compile(r"(?<=[\u3400-\u9fff])[\s\u200b\u200c\u200d\u2060\ufeff]+(?=[\u3400-\u9fff])")
GAP_CHARS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Normalized:
    """``text`` without the whitespace between Chinese characters, in simplified characters; ``gaps``
    (offset in ``text``, number of characters removed before it) maps offsets back to the original."""

    text: str
    positions: tuple[int, ...]
    removed: tuple[int, ...]

    def original(self, index: int) -> int:
        """The offset in the original text of the character at ``index`` of the normalized text."""
        k = bisect.bisect_right(self.positions, index)
        return index + (self.removed[k - 1] if k else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.original(start), self.original(end - 1) + 1


def normalized(text: str) -> Normalized | None:
    """The normalized text, or None when it would be the text itself."""
    positions: list[int] = []
    removed: list[int] = []
    parts: list[str] = []
    last = total = 0
    for m in _GAP.finditer(text):
        parts.append(text[last : m.start()])
        total += m.end() - m.start()
        positions.append(m.start() - (total - (m.end() - m.start())))
        removed.append(total)
        last = m.end()
    joined = "".join(parts) + text[last:] if parts else text
    simplified = _t2s().convert(joined)
    if len(simplified) != len(joined):
        simplified = joined  # a phrase conversion changed the length: keep the offsets exact
    if not positions and simplified == text:
        return None
    return Normalized(simplified, tuple(positions), tuple(removed))
