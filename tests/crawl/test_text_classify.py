"""Decoding, dates, column kinds and unit attribution."""

from __future__ import annotations

import datetime as dt
import re
import sys

from gongkai.crawl import attribute, classify
from gongkai.text import decode, find_dates, nospace, squash

GBK_PAGE = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>政府信息公开指南</body></html>"


def test_header_charset_wins_and_gbk_reads_as_gb18030() -> None:
    text, enc = decode(GBK_PAGE.encode("gbk"), "text/html; charset=GBK")
    assert enc == "gb18030" and "政府信息公开指南" in text


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    text, enc = decode(GBK_PAGE.encode("gbk"), "text/html")
    assert enc == "gb18030" and "政府信息公开指南" in text


def test_undeclared_gbk_is_detected() -> None:
    body = (
        "<html><body>" + "关于公开征求意见的公告，各有关单位请认真贯彻执行。" * 20 + "</body></html>"
    ).encode("gbk")
    text, _ = decode(body, None)
    assert "征求意见" in text


def test_a_wrong_declaration_does_not_give_mojibake() -> None:
    text, enc = decode("通知公告".encode(), "text/html; charset=gbk")
    assert text == "通知公告" and enc == "utf-8"


def test_dates_in_all_list_formats_but_not_index_numbers() -> None:
    text = "2026-01-22 | 2026/1/5 | 2025.12.31 | 2024年3月8日 | 索引号 2026-02-00018 | 000014348/2020-35428"
    assert find_dates(text) == [
        dt.date(2026, 1, 22),
        dt.date(2026, 1, 5),
        dt.date(2025, 12, 31),
        dt.date(2024, 3, 8),
    ]


def test_column_names_map_to_kinds() -> None:
    cases = {
        "动态要闻": "news",
        "工作动态": "news",
        "通知公告": "notice",
        "政策文件": "policy",
        "行政规范性文件": "normative",
        "政策解读": "interpretation",
        "人事信息": "personnel",
        "规划计划": "plan",
        "政府信息公开指南": "guide",
        "政府信息公开制度": "system",
        "法定主动公开内容": "statutory",
        "政府信息公开年报": "annual_report",
        "财政预决算": "budget",
        "征求意见": "consultation",
        "统计信息": "stats",
        "市统计局": "other",
        "市退役军人事务局": "other",
        "互动交流": "other",
    }
    assert {name: classify(name) for name in cases} == cases


def test_attribution_takes_the_longest_prefix() -> None:
    prefixes = {
        "市政府": ["http://www.lj.gov.cn/"],
        "市教育局": ["http://www.lj.gov.cn/jyj/", "http://jyj.lj.gov.cn/"],
        "市教育局基教处": ["http://www.lj.gov.cn/jyj/jjc/"],
    }
    assert attribute("http://www.lj.gov.cn/jyj/jjc/a.html", prefixes) == "市教育局基教处"
    assert attribute("http://www.lj.gov.cn/jyj/b.html", prefixes) == "市教育局"
    assert attribute("http://jyj.lj.gov.cn/x", prefixes) == "市教育局"
    assert attribute("http://www.lj.gov.cn/", prefixes) == "市政府"
    assert attribute("http://other.gov.cn/", prefixes) is None


def test_extracted_pages_are_attributed_to_units(tmp_path) -> None:  # noqa: ANN001
    from gongkai.crawl import extract_archive
    from gongkai.crawl.archive import ArchiveWriter

    archive = tmp_path / "a.warc.gz"
    w = ArchiveWriter(archive)
    for url in ("http://www.lj.gov.cn/index.html", "http://www.lj.gov.cn/jyj/a.html"):
        w.write_response(
            url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], b"<html><body>x</body></html>"
        )
    w.close()
    prefixes = {"市政府": ["http://www.lj.gov.cn/"], "市教育局": ["http://www.lj.gov.cn/jyj/"]}
    m = extract_archive(archive, "http://www.lj.gov.cn/index.html", prefixes=prefixes)
    assert {p.url.rsplit("/", 1)[1]: p.unit for p in m.pages} == {
        "index.html": "市政府",
        "a.html": "市教育局",
    }


def test_squash_and_nospace_treat_every_unicode_space_as_space() -> None:
    """Full-width (U+3000), no-break (U+00A0), line and paragraph separators are spaces on Chinese pages."""
    spaces = re.compile(r"[\s\u3000\xa0]+")
    sample = "".join(chr(i) for i in range(sys.maxunicode + 1) if i < 0x3100 or chr(i).isspace())
    assert squash(sample) == spaces.sub(" ", sample).strip()
    assert nospace(sample) == spaces.sub("", sample)
    assert squash("\u3000\u3000索引号：\xa0 11350200-2026-00001\u2029") == "索引号： 11350200-2026-00001"
