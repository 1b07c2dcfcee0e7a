"""Chapters (six headings, renumbered or reworded) and metadata (unit, year, date, URL, level) of a report."""

from __future__ import annotations

import datetime as dt
import re

from gongkai.annual.labels import labels
from gongkai.annual.model import CHAPTERS, AnnualReport

CHAPTER_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"一\s*[、.．]\s*总\s*体\s*情\s*况",
        r"二\s*[、.．]\s*主\s*动\s*公\s*开\s*政\s*府\s*信\s*息\s*的?\s*情\s*况",
        r"三\s*[、.．]\s*收\s*到\s*和\s*处\s*理\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*的?\s*情\s*况",
        r"四\s*[、.．]\s*(?:因\s*)?政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:被\s*)?(?:申\s*请\s*)?行\s*政\s*(?:法\s*)?复\s*议"
        r"(?:\s*[、，,和及]?\s*行\s*政\s*诉\s*讼)?(?:\s*的?\s*情\s*况)?",  # the whole heading, not its first half
        r"五\s*[、.．]\s*[^\n。]{0,16}?存\s*在\s*的?\s*主\s*要\s*问\s*题(?:\s*[及和]\s*改\s*进\s*(?:情\s*况|措\s*施))?",
        r"六\s*[、.．]\s*其\s*他\s*需\s*要\s*报\s*告\s*的?\s*事\s*项",
    )
)


# --- chapters and metadata ---------------------------------------------------------------------------
def split_chapters(text: str) -> dict[str, str]:
    """Find the six headings in order and return heading -> text under it.

    The national headings first (line starts, then glued to the text before them, as in flattened page
    text); a chapter still missing is then looked for under a renumbered or reworded top-level heading
    (`三、主动公开政府信息情况` after an added chapter, `第一部分 概述`, `1. 总体情况`, `## 五、问题及改进`)
    between the chapters found around it.
    """
    found: dict[int, tuple[int, int]] = {}
    pos = 0
    for k, pat in enumerate(CHAPTER_PATTERNS):
        m = _search_heading(pat, text, pos)
        if m is None:
            continue
        found[k] = (m.start(), m.end())
        pos = m.end()
    if len(found) < len(CHAPTERS):
        _renumbered(text, found)
    if 4 not in found:
        _problems_by_subheadings(text, found)
    ordered = sorted(found.items(), key=lambda kv: kv[1][0])
    chapters = {}
    for i, (k, (_s, e)) in enumerate(ordered):
        stop = ordered[i + 1][1][0] if i + 1 < len(ordered) else len(text)
        chapters[CHAPTERS[k]] = text[e:stop].strip()
    return {h: chapters[h] for h in CHAPTERS if h in chapters}


_NUMBERED = re.compile(
    r"(?m)^[ \t\u3000#*]*(?:第[一二三四五六七八九十]{1,2}部分|[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[、．](?!\d)"
    r"|\d{1,2}\.(?!\d))[ \t\u3000]*(?P<title>[^\n。；;]{2,40}?)[ \t\u3000*]*$"
)


def _renumbered(text: str, found: dict[int, tuple[int, int]]) -> None:
    """Fill `found` (chapter index -> heading span) from numbered heading lines, keeping the order."""
    heads = [(m.start(), m.end(), re.sub(r"\s+", "", m.group("title"))) for m in _NUMBERED.finditer(text)]
    if not heads:
        return
    keys = labels().chapters
    for k in range(len(CHAPTERS)):
        if k in found:
            continue
        lo = max((found[j][1] for j in found if j < k), default=0)
        hi = min((found[j][0] for j in found if j > k), default=len(text))
        hit = next((h for h in heads if lo <= h[0] and h[1] <= hi and keys[k].search(h[2])), None)
        if hit is not None:
            found[k] = (hit[0], hit[1])


_CH5_SUB = re.compile(
    r"(?m)^[ \t\u3000#*]*[（(]一[）)][^\n。]{0,16}?(?:存在的?主要问题|主要问题|问题的?改进情况|改进情况)[^\n。]{0,8}$"
)
_CH5_SUB_TWO = re.compile(r"(?m)^[ \t\u3000#*]*[（(]二[）)][^\n。]{0,16}?(?:主要问题|改进)")


def _problems_by_subheadings(text: str, found: dict[int, tuple[int, int]]) -> None:
    """Chapter 五 whose own heading was lost (a PDF converted to text) but whose two sub-headings are
    there: `（一）主要问题` / `（二）改进情况` (or the other way round), after chapter 四 and before 六."""
    lo = max((found[j][1] for j in found if j < 4), default=0)
    hi = min((found[j][0] for j in found if j > 4), default=len(text))
    if 3 not in found:
        return  # without chapter 四 a `（一）主要问题` may be a paragraph of chapter 一
    for m in _CH5_SUB.finditer(text, lo, hi):
        if _CH5_SUB_TWO.search(text, m.end(), hi):
            found[4] = (m.start(), m.start())
            return


def _search_heading(pat: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    line_start = re.compile(r"(?m)^[ \t\u3000#*]*(?:" + pat.pattern + ")")
    m = line_start.search(text, pos)
    if m:
        return m
    # Flattened text: a heading glued to the previous sentence or table.
    return pat.search(text, pos)


_TITLE_RE = re.compile(
    r"([\u4e00-\u9fff（）()0-9]{2,40}?)\s*((?:19|20)\d{2})\s*年\s*度?\s*[\u4e00-\u9fff]{0,8}?信息公开\s*(?:工作\s*)?年\s*度?\s*报\s*告"
)
_TITLE_YEAR_RE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*度?\s*[\u4e00-\u9fff]{0,8}?信息公开\s*(?:工作\s*)?年\s*度?\s*报\s*告"
)
_PERIOD_RE = re.compile(r"统计期限?(?:为|自|从)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_FIRST = re.compile(
    r"^(?:正文)?((?:19|20)\d{2})年度?(?P<unit>[\u4e00-\u9fff（）()]{2,30}?)政府信息公开(?:工作)?年度?报告"
)
_DATE_RE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|公开日期|公开时间|PubDate)\s*[:：|]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_URL_RE = re.compile(r"(?:原文链接|原文地址|URL)\s*[:：]\s*(https?://\S+)")
_GOV_RE = re.compile(r"(人民政府|政府|管委会|管理委员会|实验区|新区|开发区|[区县市旗])$")
_TOWN_RE = re.compile(r"(?:[镇乡]|街道|街道办事处|街道办|苏木)(?:人民政府|政府)?$")
_DEPT_RE = re.compile(r"(局|委员会|委|办公室|办|厅|室|中心|院|站|所|队|会|处|馆)$")


_NOISE = re.compile(r"^(?:正文|标题|题目|名称|信息名称|文章标题|附件\d*|全文)[:：]?")
_TITLE_LINE = re.compile(
    r"^(?P<unit>[\u4e00-\u9fff（）()]{0,40}?)((?:19|20)\d{2})年度?[\u4e00-\u9fff]{0,8}?信息公开(?:工作)?年度?报告"
)
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|来源)[:：]\s*([\u4e00-\u9fff（）()]{2,40})")


def _clean_unit(unit: str) -> str:
    unit = _NOISE.sub("", unit.strip())
    unit = re.sub(r"^.*?(现公布|特编制|编制|公布|发布)", "", unit)
    return "" if re.search(r"(关于|印发|本报告|根据)", unit) or len(unit) < 2 else unit


def _title(lines: list[str]) -> tuple[str, int | None, str]:
    """(unit, year, where the unit was read) from the title line and the lines around it."""
    for i, line in enumerate(lines):
        m = _TITLE_LINE.search(line)
        if not m:
            continue
        unit, year = _clean_unit(m.group("unit")), int(m.group(2))
        if unit:
            return unit, year, "标题"
        for j, where in ((i - 1, "标题上一行"), (i + 1, "标题下一行")):
            cand = _clean_unit(lines[j]) if 0 <= j < len(lines) else ""
            if cand and len(cand) <= 30 and guess_level(cand) and not re.search(r"\d", cand):
                return cand, year, where
        return "", year, "标题"
    return "", None, ""


def fill_meta(report: AnnualReport, text: str, name_hint: str = "") -> None:
    """Year, unit, publication date, URL and level, noting in `report.sources` where each was read.

    The unit and year come from the title line (or the line above or below a title without a unit),
    then the opening sentence, the 发布机构 field, and last the file name.
    """
    head = re.sub(r"^\s*[-—]\s*\d+\s*[-—]\s*$", "", text[:3000], flags=re.M)
    lines = [re.sub(r"\s+", "", x).strip("#*") for x in head.splitlines()[:60]]
    lines = [x for x in lines if x]
    unit, year, where = _title(lines)
    _set(report, "year", year, "标题")
    _set(report, "unit", unit, where)
    m = _TITLE_RE.search(head.replace("\n", ""))
    if m:
        _set(report, "year", int(m.group(2)), "正文开头")
        _set(report, "unit", _clean_unit(m.group(1)), "正文开头")
    f = _YEAR_FIRST.search("".join(lines[:4]))
    if f:  # `2019年上海市人民政府办公厅政府信息公开工作年度报告`, the title may wrap over two lines
        _set(report, "unit", _clean_unit(f.group("unit")), "标题")
    y = _TITLE_YEAR_RE.search(head.replace("\n", ""))
    if y:
        _set(report, "year", int(y.group(1)), "正文开头")
    p = _PERIOD_RE.search(text)
    if p:
        _set(report, "year", int(p.group(1)), "统计期限")
    pub = _PUBLISHER.search(head)
    if pub:
        _set(report, "unit", _clean_unit(pub.group(1)), "发布机构")
    if name_hint:
        stem = re.sub(r"\.[A-Za-z0-9]+$", "", name_hint.rsplit("/", 1)[-1])
        n = _TITLE_LINE.search(re.sub(r"\s+", "", stem))
        if n:
            _set(report, "unit", _clean_unit(n.group("unit")), "文件名")
        y = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", stem)
        if y:
            _set(report, "year", int(y.group(1)), "文件名")
    d = _DATE_RE.search(head)
    if d and report.published is None:
        try:
            report.published = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        except ValueError:
            report.notes.append(("meta", f"发布日期「{d.group(0)}」不是有效日期"))
    u = _URL_RE.search(head)
    if u and not report.url:
        report.url = u.group(1)
    if not report.level and report.unit:
        report.level = guess_level(report.unit)


def _set(report: AnnualReport, field: str, value: object, where: str) -> None:
    """Set unit/year once, from the first source that has it, and say where it came from."""
    if value and not getattr(report, field):
        setattr(report, field, value)
        report.sources[field] = where


def guess_level(unit: str) -> str:
    """'department' (局/委/办...) or 'government' (人民政府/管委会/区县市); '' when unclear or a 乡镇/街道."""
    name = unit.strip()
    if _TOWN_RE.search(name):  # 乡镇、街道: the 条例 sets them no publication date (a local notice may)
        return ""
    if _DEPT_RE.search(name) and not name.endswith(("管委会", "管理委员会")):
        return "department"
    return "government" if _GOV_RE.search(name) else ""
