"""Whose words a wrong form is: titles, quotations, mentions, reported speech, addresses, split and traditional
forms, words that merely contain the term, and the unit's own sentences (tests/fixtures/wording/quotation.yaml),
from the matcher up to the check over a site and the round-1 false alarms kept in tests/regressions."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from builders import AS_OF, ROOT, add_page, clean_site

from gongkai.checks import run_check
from gongkai.fleet import wording as fleet_wording
from gongkai.model import Verdict
from gongkai.wording import matcher
from gongkai.wording.context import normalized, reprint_source, voice

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "fixtures" / "wording" / "quotation.yaml").read_text(
        encoding="utf-8"
    )
)["cases"]


def scan(text, date=None):
    return [[h.severity, h.verdict, h.phrase] for h in matcher().scan(text, date)]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i}-{c['family']}-{c['text'][:10]}" for i, c in enumerate(CASES)]
)
def test_each_case_gets_what_the_reviewer_wants(case):
    assert scan(case["text"], case.get("date")) == case["expect"]


def test_the_corpus_covers_every_family_with_real_sentences_and_true_fails():
    families = Counter(c["family"] for c in CASES)
    assert set(families) == {
        "title", "quotation", "mention", "emphasis", "reported", "correct", "address", "split",
        "traditional", "contains", "own",
    }  # fmt: skip
    assert all(n >= 3 for n in families.values())
    real = [c for c in CASES if c["source"].startswith(("code:", "page:", "regression:", "real_pages:"))]
    assert len(real) >= 25
    assert sum(v == "FAIL" for c in CASES for _, v, _ in c["expect"]) >= 10


def test_fail_precision_is_one_on_every_family():
    for case in CASES:
        wanted = {(s, p) for s, v, p in case["expect"] if v == "FAIL"}
        fails = {(h.severity, h.phrase) for h in matcher().scan(case["text"]) if h.verdict == "FAIL"}
        assert fails <= wanted, case["text"]


# ---- the rules one by one -------------------------------------------------------------------------


def test_the_same_wrong_form_is_a_fail_in_the_units_own_sentence_and_silent_when_quoted_or_named():
    own = "本网讯 座谈会上，台商代表介绍了台湾政府近期出台的投资政策。"
    assert scan(own) == [["serious", "FAIL", "台湾政府"]]
    for silent in (
        "会议组织学习了《台湾政府近期出台的投资政策汇编》。",
        "发言人表示：“台湾政府近期出台的投资政策是选举操弄。”",
        "今后不再使用“台湾政府”这一称谓。",
        "所谓“台湾政府”近期出台的投资政策不值一驳。",
    ):
        assert scan(silent) == [], silent
    assert scan("座谈会上，台商代表介绍了“台湾政府”近期出台的投资政策。") == [
        ["serious", "UNCERTAIN", "台湾政府"]
    ]


def test_reported_speech_is_queued_only_when_a_source_is_named():
    assert scan("据报道，北朝鲜宣布将于下月举行阅兵。") == [["serious", "FAIL", "北朝鲜"]]
    assert scan("据韩联社报道，北朝鲜宣布将于下月举行阅兵。") == [["serious", "UNCERTAIN", "北朝鲜"]]
    assert reprint_source("来源：环球网 北朝鲜宣布阅兵。") == "环球网"
    assert reprint_source("信息来源：县财政局 台湾政府") == ""  # a government source is the unit's own side
    assert reprint_source("本网讯 来源：环球网") == ""
    assert reprint_source("来源：临江市人民政府网 台湾政府") == ""  # the unit's own portal
    assert scan("来源：临江市人民政府网 会议通报了近期北朝鲜局势。") == [["serious", "FAIL", "北朝鲜"]]
    # 简称 introduces the unit's own term: quoted or not, it is its own wording (the quotes make it UNCERTAIN)
    assert scan("两地合作机制（简称“中港两地”机制）今年启动。") == [["serious", "UNCERTAIN", "中港两地"]]


def test_voice_names_what_it_read():
    text = "详见 http://www.example.gov.cn/台湾政府/ 或附件 台湾政府采购规定.pdf"
    first = text.index("台湾政府")
    assert voice(text, first, first + 4).kind == "address"
    second = text.index("台湾政府", first + 1)
    assert voice(text, second, second + 4).kind == "file"
    assert voice("公然称钓鱼岛为尖阁列岛。", 7, 11).kind == "named"


def test_split_and_traditional_forms_are_found_and_their_offsets_point_into_the_original_text():
    text = "会议通报了近期北<span>\n朝鲜</span>局势。"
    text = text.replace("<span>", "").replace("</span>", "")
    [hit] = matcher().scan(text)
    assert (hit.verdict, hit.phrase) == ("UNCERTAIN", "北 朝鲜") and text[hit.start : hit.end] == "北\n朝鲜"
    assert "空格或换行" in hit.reason
    [spaced] = matcher().scan("台　湾　政　府出台新规")
    assert spaced.verdict == "FAIL"
    [old] = matcher().scan("報導稱，會議上臺灣總統出席。")
    assert old.verdict == "UNCERTAIN" and old.phrase == "臺灣總統" and "繁体" in old.reason
    norm = normalized("甲 乙\u3000丙丁 戊")
    assert norm is not None and norm.text == "甲乙丙丁戊"
    assert [norm.original(i) for i in range(5)] == [0, 2, 4, 5, 7]
    assert normalized("没有空格的简体字") is None


def test_words_that_merely_contain_the_term_are_not_it():
    for text in (
        "我县东北朝鲜族群众欢度春节。",
        "空气中充满清新的气息。",
        "北朝鲜卑贵族推行汉化。",
        "河北朝鲜族自治",
    ):
        assert scan(text) == [], text
    [hit] = matcher().scan("中国台湾政府采购招标资讯")
    assert hit.verdict == "UNCERTAIN" and "政府采购" in hit.reason


# ---- the fleet's sentences and the checks over a site ---------------------------------------------


def test_the_fleet_defects_fail_and_its_decoys_never_do():
    for sentence in fleet_wording.SERIOUS:
        assert [h.verdict for h in matcher().scan(sentence) if h.severity == "serious"] == ["FAIL"], sentence
    verdicts = [h.verdict for s in fleet_wording.DECOYS for h in matcher().scan(s)]
    assert (
        "FAIL" not in verdicts and verdicts.count("UNCERTAIN") == 4
    )  # 卫计委, 截止目前, “台湾政府”, 据韩联社


def test_the_check_fails_the_own_sentence_and_passes_the_quoted_ones():
    quoted = (
        "会议组织学习了《关于不再使用“台湾政府”等称谓的说明》。通报指出，今后一律不再使用“北朝鲜”这一称谓。"
    )
    site = add_page(clean_site(), ROOT + "xw/q.html", quoted)
    [finding] = run_check("wording.serious", site, AS_OF, {})
    assert finding.verdict is Verdict.PASS
    site = add_page(site, ROOT + "xw/own.html", "本网讯 会议通报了近期北朝鲜局势对边境贸易的影响。")
    [finding] = run_check("wording.serious", site, AS_OF, {})
    assert finding.verdict is Verdict.FAIL and finding.subject == ROOT + "xw/own.html"
