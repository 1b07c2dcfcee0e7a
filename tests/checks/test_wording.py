"""wording.serious / wording.nonstandard / wording.typo: the dictionaries, the matcher's context rules on
labelled real sentences (tests/fixtures/wording/labelled.yaml), and the checks over a site model."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml
from builders import AS_OF, ROOT, add_page, clean_site, page

from gongkai.checks import run_check
from gongkai.frameworks.schema import FrameworkError
from gongkai.model import Attachment, Document, Verdict
from gongkai.wording import load_entries, load_leaders, matcher
from gongkai.wording.matcher import Matcher

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "fixtures" / "wording" / "labelled.yaml").read_text(
        encoding="utf-8"
    )
)["cases"]
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
CHECKS = ("wording.serious", "wording.nonstandard", "wording.typo")


def scan(text, date=None):
    return [[h.severity, h.verdict, h.phrase] for h in matcher().scan(text, date)]


# ---- labelled sentences ------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['text'][:12]}" for i, c in enumerate(CASES)])
def test_each_labelled_sentence_gets_what_the_reviewer_wants(case):
    assert scan(case["text"], case.get("date")) == case["expect"]


def test_fail_precision_is_one_and_the_review_queue_recalls_nine_in_ten():
    fails = true_fails = wanted = found = 0
    for case in CASES:
        got = scan(case["text"], case.get("date"))
        expected = {(s, p) for s, v, p in case["expect"]}
        want_fail = {(s, p) for s, v, p in case["expect"] if v == "FAIL"}
        for severity, verdict, phrase in got:
            if verdict == "FAIL":
                fails += 1
                true_fails += (severity, phrase) in want_fail
        wanted += len(expected)
        found += len(expected & {(s, p) for s, _, p in got})
    assert fails >= 5 and true_fails == fails  # precision of FAIL = 1.0
    assert wanted >= 20 and found / wanted >= 0.9
    assert sum(not c["expect"] for c in CASES) >= 15  # decoys: correct forms, history, quotations


# ---- dictionaries ------------------------------------------------------------------------------


def test_the_built_in_dictionaries_load_with_every_severity_and_expanded_variables():
    entries = {e.phrase: e for e in load_entries()}
    assert {e.severity for e in entries.values()} == {"serious", "nonstandard", "typo"}
    assert entries["二十大三中全会"].correct == "二十届三中全会"
    assert entries["北朝鲜"].must_not_use and not entries["十四五计划"].must_not_use
    assert entries["国家工商行政管理总局"].until == dt.date(2018, 3, 17)
    assert all(e.source and e.correct and e.category for e in entries.values())
    leaders = load_leaders()
    assert [n for n, ld in leaders.leaders.items() if ld.group == "中央政治局常委"] == [
        "习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希",
    ]  # fmt: skip


def test_a_broken_dictionary_is_refused_with_chinese_errors_and_lines(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: '1'\n"
        "entries:\n"
        "  - {phrase: 坏词, correct: 好词, category: 测试, source: 测试}\n"
        "  - {phrase: '{X}届', correct: '{X}次', category: 测试, severity: typo, source: 测试}\n"
        "  - {phrase: 按装, correct: 安装, category: 测试, severity: typo, source: 测试, except: [安装工]}\n"
        "  - {phrase: 错词, correct: 对词, category: 测试, severity: typo, must_not_use: true, source: 测试}\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as info:
        load_entries((str(bad),))
    text = str(info.value)
    assert "第 3 行：未写明严重程度" in text
    assert "第 4 行：未定义的变量：X" in text
    assert "第 5 行：例外写法「安装工」不含本条词语「按装」" in text
    assert "第 6 行：只有严重表述错误" in text


def test_the_administrator_adds_the_city_leaders_and_phrases(tmp_path):
    leaders = tmp_path / "city.yaml"
    leaders.write_text(
        "version: '2026.1'\nunique_titles: [市委书记, 市长]\nleaders:\n"
        "  - {name: 陈明远, group: 市领导, order: 1, titles: [市委书记, 书记], source: 测试市委}\n"
        "  - {name: 林晓东, group: 市领导, order: 2, titles: [市长], source: 测试市政府}\n",
        encoding="utf-8",
    )
    words = tmp_path / "local.yaml"
    words.write_text(
        "version: '2026.1'\nseverity: nonstandard\nentries:\n"
        "  - {phrase: 翔安新区, correct: 翔安区, category: 地名, source: 区划调整}\n",
        encoding="utf-8",
    )
    m = matcher((str(words),), (str(leaders),))
    hits = m.scan("市长陈明远、市委书记林晓东到翔安新区调研。林晓东、陈明远出席。")
    got = [(h.verdict, h.phrase) for h in hits]
    assert got == [
        ("FAIL", "市长陈明远"),
        ("FAIL", "市委书记林晓东"),
        ("UNCERTAIN", "翔安新区"),
        ("UNCERTAIN", "林晓东、陈明远"),
    ]
    assert m.scan("陈明远书记、林晓东市长出席。") == []


def test_the_automaton_takes_the_longest_phrase_and_reports_text_offsets():
    m = Matcher(load_entries(), load_leaders())
    text = "根据中华人民共和国政府信息公开法第九条。"
    [hit] = m.scan(text)
    assert hit.phrase == "中华人民共和国政府信息公开法" and text[hit.start : hit.end] == hit.phrase


# ---- the checks over a site model -------------------------------------------------------------


def findings(check_id, site, **params):
    return run_check(check_id, site, AS_OF, params)


def test_the_clean_site_passes_all_three():
    for check_id in CHECKS:
        [finding] = findings(check_id, clean_site())
        assert finding.verdict is Verdict.PASS, check_id


def test_a_banned_phrase_is_a_fail_with_its_sentence_page_and_record():
    site = add_page(
        clean_site(), ROOT + "xw/1.html", "据报道，北朝鲜宣布将于下月举行阅兵。全区干部认真学习。"
    )
    [finding] = [f for f in findings("wording.serious", site) if f.verdict is not Verdict.PASS]
    assert (
        finding.verdict is Verdict.FAIL
        and "「北朝鲜」" in finding.message
        and "应为“朝鲜”" in finding.message
    )
    [evidence] = finding.evidence
    assert evidence.url == ROOT + "xw/1.html" and evidence.record
    assert evidence.snippet == "据报道，北朝鲜宣布将于下月举行阅兵。"


def test_the_same_sentence_on_many_pages_is_one_finding_with_the_pages_as_evidence():
    site = clean_site()
    for n in range(5):
        site = add_page(site, f"{ROOT}xw/{n}.html", f"第{n}条。截止目前，全区已完成改造。")
    [finding] = [f for f in findings("wording.typo", site) if f.verdict is not Verdict.PASS]
    assert finding.verdict is Verdict.UNCERTAIN
    assert "5 个网页" in finding.message and len(finding.evidence) == 3


def test_attachments_and_document_dates_are_read():
    doc = Document(
        url=ROOT + "zfxxgk/old.html",
        title="2016年工作总结",
        created=dt.date(2016, 12, 1),
        published=dt.date(2016, 12, 5),
        body="区安监局开展安全生产大检查。",
        attachments=(
            Attachment(ROOT + "zfxxgk/a.pdf", "附件", "pdf", 200, "国务院副总理李强出席会议。", "<urn:a>"),
        ),
    )
    site = dataclasses.replace(clean_site(), documents=(*clean_site().documents, doc))
    assert [f.verdict for f in findings("wording.nonstandard", site)] == [Verdict.PASS]  # 2016: right then
    [finding] = [f for f in findings("wording.serious", site) if f.verdict is Verdict.FAIL]
    assert finding.evidence[0].url == ROOT + "zfxxgk/a.pdf" and finding.evidence[0].record == "<urn:a>"


def test_an_allow_list_entry_suppresses_a_remembered_false_hit():
    site = add_page(clean_site(), ROOT + "xw/2.html", "我区举办再接再励主题书法展（展览原名）。")
    assert [f.verdict for f in findings("wording.typo", site)] == [Verdict.UNCERTAIN]
    allow = [{"phrase": "再接再励主题书法展", "reason": "展览名称照录", "url": ROOT + "xw/"}]
    [finding] = findings("wording.typo", site, allow=allow)
    assert finding.verdict is Verdict.PASS and "1 处已按允许清单排除" in finding.message
    other = [{"phrase": "再接再励", "reason": "别处", "url": ROOT + "other/"}]
    assert [f.verdict for f in findings("wording.typo", site, allow=other)] == [Verdict.UNCERTAIN]


def test_service_pages_are_not_judged():
    site = clean_site()
    contact = dataclasses.replace(page(ROOT + "lxwm/", "other", text="北朝鲜"), role="service")
    site = dataclasses.replace(site, pages=(*site.pages, contact))
    assert [f.verdict for f in findings("wording.serious", site)] == [Verdict.PASS]


def test_a_framework_allow_entry_without_a_reason_is_refused(tmp_path):
    from gongkai.frameworks import load_framework

    text = (Path(__file__).resolve().parents[2] / "src/gongkai/frameworks/data/national-2019.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace(
        "{check: wording.serious}", "{check: wording.serious, params: {allow: [{phrase: 某词}]}}"
    )
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match="reason"):
        load_framework(str(path))


def test_a_serious_fail_triggers_the_national_veto():
    from gongkai.checks import run_checks
    from gongkai.frameworks import load_framework, score

    framework = load_framework("national-2019")
    site = add_page(clean_site(), ROOT + "xw/3.html", "台湾总统出席活动。")
    result = score(framework, run_checks(site, framework, AS_OF, unit_group="county"), "county")
    assert "单项否决/严重表述错误" in result.veto_items


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "gov_pages/handan-xxgk-detail-2020.html",
        "gov_pages/govcn-zhengce-detail-5365945-fragment.html",
        "gov_pages/govcn-zhengce-detail-5355822-fragment.html",
        "gov_pages/pingtan-zfxxgkzn-guide-2023.page.txt",
        "notices/jinjiang-2021-jixiao-kaohe-2022-zhibiao.txt",
        "notices/xiangan-2022-huitoukan-zhenggai-qingdan.txt",
        "annual_reports/haicang-2023.txt",
    ],
)
def test_real_official_prose_has_no_wording_fail(name):
    text = (CORPUS / name).read_text(encoding="utf-8", errors="replace")
    site = add_page(clean_site(), "http://corpus.example/" + name, text)
    for check_id in CHECKS:
        assert [f for f in findings(check_id, site) if f.verdict is Verdict.FAIL] == [], check_id


def test_the_html_report_escapes_the_sentence_and_marks_the_phrase():
    from gongkai.frameworks import load_framework
    from gongkai.reports.scan_report import render_html
    from gongkai.scan import evaluate

    text = "<script>alert(1)</script>据报道，北朝鲜宣布将于下月举行阅兵。"
    site = add_page(clean_site(), ROOT + "xw/4.html", text)
    result = evaluate(site, load_framework("national-2019"), AS_OF, unit_group="county")
    page_html = render_html(result)
    assert "<mark>北朝鲜</mark>宣布将于下月举行阅兵。" in page_html
    assert "<script>alert(1)</script>" not in page_html and "&lt;script&gt;" in page_html


def test_the_docx_report_highlights_the_phrase(tmp_path):
    from docx import Document as Docx
    from docx.enum.text import WD_COLOR_INDEX

    from gongkai.frameworks import load_framework
    from gongkai.reports.scan_report import write_docx
    from gongkai.scan import evaluate

    site = add_page(clean_site(), ROOT + "xw/5.html", "据报道，北朝鲜宣布将于下月举行阅兵。")
    result = evaluate(site, load_framework("national-2019"), AS_OF, unit_group="county")
    path = write_docx(result, tmp_path / "r.docx")
    runs = [
        r
        for t in Docx(str(path)).tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    marked = [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert marked and set(marked) == {"北朝鲜"}
