"""Rules that know history and regions: timeliness only under the rule in force, 索引号 forms by region,
footer identity in its real written forms. Real pages from the corpus and tests/fixtures/real_rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from builders import AS_OF, INTERPRETATION, NORMATIVE, ZL, add_document, clean_site, with_document
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai.calendar import WorkingCalendar
from gongkai.checks import run_check
from gongkai.crawl import extract_archive
from gongkai.frameworks.datafile import VOCAB_DIR
from gongkai.frameworks.patterns import index_rules
from gongkai.frameworks.schema import FrameworkError
from gongkai.model import Verdict

ROOT_DIR = Path(__file__).resolve().parents[2]
GOV_PAGES = ROOT_DIR / ".." / "shared" / "corpus" / "gov_pages"
REAL = ROOT_DIR / "tests" / "fixtures" / "real_rules"
GOVCN_URL = "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"


class RecordingCalendar:
    """The real calendar, noting every date it is asked about."""

    def __init__(self) -> None:
        self.real = WorkingCalendar()
        self.asked: list[dt.date] = []

    def is_known(self, d: dt.date) -> bool:
        self.asked.append(d)
        return self.real.is_known(d)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        self.asked.append(start)
        return self.real.add_working_days(start, n)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        self.asked += [a, b]
        return self.real.working_days_between(a, b)


def archived(tmp_path: Path, body: bytes, url: str, root: str):
    path = tmp_path / "page.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    return extract_archive(path, root)


def verdicts(check_id, site, as_of=AS_OF, calendar=None, **params):
    return [(f.verdict, f.message) for f in run_check(check_id, site, as_of, params, calendar=calendar)]


def only(check_id, site, verdict, as_of=AS_OF, **params):
    return [f for f in run_check(check_id, site, as_of, params) if f.verdict is verdict]


# ---- timeliness: the rule in force ----------------------------------------------------------


def govcn_page(created: str, published: str) -> bytes:
    """The real gov.cn policy-library page (国发〔2019〕5号) with the dates of another document."""
    text = (GOV_PAGES / "govcn-zhengce-detail-5365945-fragment.html").read_text(encoding="utf-8")
    assert "2019年01月27日" in text and "2019年02月15日" in text
    return text.replace("2019年01月27日", created).replace("2019年02月15日", published).encode()


@pytest.mark.corpus
def test_the_real_govcn_document_of_2019_is_judged_and_in_time(tmp_path):
    model = archived(
        tmp_path, govcn_page("2019年01月27日", "2019年02月15日"), GOVCN_URL, "http://www.gov.cn/"
    )
    assert verdicts("disclosure.late", model, dt.date(2019, 3, 1)) == [
        (Verdict.PASS, "1 条信息均在时限内公开")
    ]


@pytest.mark.corpus
def test_a_2005_document_on_the_same_real_page_is_not_assessable_and_the_calendar_is_not_asked(tmp_path):
    model = archived(
        tmp_path, govcn_page("2005年06月01日", "2005年09月30日"), GOVCN_URL, "http://www.gov.cn/"
    )
    calendar = RecordingCalendar()
    [(verdict, message)] = verdicts("disclosure.late", model, dt.date(2019, 3, 1), calendar)
    assert verdict is Verdict.NOT_ASSESSABLE
    assert "2008-05-01" in message and "《政府信息公开条例》" in message and "2005-06-01" in message
    assert calendar.asked == []


def old_documents(years: list[int]):
    site = clean_site()
    for n, year in enumerate(years):
        created = dt.date(year, 3, 1)
        doc = dataclasses.replace(
            NORMATIVE,
            url=ZL + f"gfxwj/{year}/t{n}.html",
            title=f"{year}年的文件{n}",
            index_number=f"003226988/{year}-{n:05d}",
            created=created,
            published=created + dt.timedelta(days=200),
        )
        site = add_document(site, doc)
    return site


def test_seventeen_documents_of_2004_to_2006_are_not_assessable_beside_a_pass():
    site = old_documents([2004, 2005, 2006] * 5 + [2005, 2006])
    calendar = RecordingCalendar()
    found = run_check("disclosure.late", site, AS_OF, calendar=calendar)
    skipped = [f for f in found if f.verdict is Verdict.NOT_ASSESSABLE]
    assert len(skipped) == 17 and all(
        "早于《政府信息公开条例》施行日 2008-05-01" in f.message for f in skipped
    )
    assert [f.verdict for f in found if f not in skipped] == [Verdict.PASS]  # the 2026 documents are judged
    assert calendar.asked and min(d.year for d in calendar.asked) >= 2008


def test_a_document_of_1981_never_reaches_the_calendar():
    site = with_document(
        clean_site(), NORMATIVE.url, created=dt.date(1981, 7, 1), published=dt.date(2014, 5, 6)
    )
    calendar = RecordingCalendar()
    found = run_check("disclosure.late", site, AS_OF, calendar=calendar)
    [own] = [f for f in found if f.subject == NORMATIVE.url]
    assert own.verdict is Verdict.NOT_ASSESSABLE and "1981-07-01" in own.message
    assert calendar.asked and all(
        d.year >= 2008 for d in calendar.asked
    )  # never 1981, nor any year before the rule


def test_the_start_of_the_rule_is_a_parameter():
    site = with_document(
        clean_site(), NORMATIVE.url, created=dt.date(2026, 1, 5), published=dt.date(2026, 3, 5)
    )
    assert only("disclosure.late", site, Verdict.FAIL)
    later = only("disclosure.late", site, Verdict.NOT_ASSESSABLE, effective_from="2026-02-01")
    [finding] = [f for f in later if f.subject == NORMATIVE.url]
    assert "2026-02-01" in finding.message
    assert only("disclosure.late", site, Verdict.FAIL, effective_from="2026-02-01") == []


@pytest.mark.parametrize(
    ("created", "published", "words"),
    [
        (dt.date(1900, 1, 1), dt.date(2026, 3, 2), "占位值"),
        (dt.date(2026, 2, 2), dt.date(2027, 1, 4), "晚于检查截止日期"),
        (dt.date(2026, 3, 2), dt.date(2021, 3, 2), "早于成文日期"),
        (dt.date(2012, 3, 2), dt.date(2026, 3, 2), "相隔超过 3 年"),
    ],
)
def test_implausible_dates_are_uncertain_not_late(created, published, words):
    site = with_document(clean_site(), NORMATIVE.url, created=created, published=published)
    assert only("disclosure.late", site, Verdict.FAIL) == []
    [finding] = only("disclosure.late", site, Verdict.UNCERTAIN)
    assert words in finding.message and finding.evidence


def test_a_year_outside_the_holiday_data_is_uncertain_with_the_reason():
    site = with_document(
        clean_site(), NORMATIVE.url, created=dt.date(2031, 1, 5), published=dt.date(2031, 3, 5)
    )
    [finding] = only("disclosure.late", site, Verdict.UNCERTAIN, as_of=dt.date(2031, 6, 1))
    assert "2031" in finding.message and "节假日数据" in finding.message


def test_interpretation_of_a_document_older_than_the_interpretation_rule_is_not_judged():
    published = dt.date(2015, 3, 2)
    site = with_document(clean_site(), NORMATIVE.url, published=published, created=published)
    site = with_document(site, INTERPRETATION.url, published=published + dt.timedelta(days=40))
    calendar = RecordingCalendar()
    found = run_check("interpretation.late", site, AS_OF, calendar=calendar)
    assert [f.verdict for f in found] == [Verdict.NOT_ASSESSABLE] and "2016-11-10" in found[0].message
    assert calendar.asked == []
    late = with_document(site, NORMATIVE.url, published=dt.date(2026, 1, 5), created=dt.date(2026, 1, 5))
    late = with_document(late, INTERPRETATION.url, published=dt.date(2026, 2, 5))
    assert [f.verdict for f in run_check("interpretation.late", late, AS_OF)] == [Verdict.FAIL]


def test_a_policy_document_older_than_the_interpretation_rule_is_not_called_unexplained():
    doc = dataclasses.replace(
        NORMATIVE, url=ZL + "gfxwj/2012/t1.html", title="2012年的规范性文件", related=()
    )
    doc = dataclasses.replace(doc, published=dt.date(2012, 5, 2), created=dt.date(2012, 5, 2))
    site = add_document(clean_site(), doc)
    assert only("interpretation.missing", site, Verdict.FAIL) == []
    [note] = only("interpretation.missing", site, Verdict.NOT_ASSESSABLE)
    assert "2012年的规范性文件" in note.message and note.evidence[0].url == doc.url


# ---- 索引号 forms by region ------------------------------------------------------------------


def _examples() -> list[str]:
    data = yaml.safe_load((VOCAB_DIR / "index_patterns.yaml").read_text(encoding="utf-8"))
    return [str(e) for p in data["patterns"] for e in p["examples"]]


@pytest.mark.parametrize("number", _examples())
def test_every_known_index_form_passes(number):
    site = with_document(clean_site(), NORMATIVE.url, index_number=number)
    assert verdicts("meta.index_invalid", site) == [(Verdict.PASS, "索引号均符合已知的编制规则")]


def test_fujians_platform_number_is_valid_and_the_region_can_restrict():
    site = with_document(clean_site(), NORMATIVE.url, index_number="PZ00108-1700-2026-00063")
    assert verdicts("meta.index_invalid", site) == [(Verdict.PASS, "索引号均符合已知的编制规则")]
    # restricted to Fujian's forms: the Fujian number passes, the site's 安徽-style numbers are for review
    review = only("meta.index_invalid", site, Verdict.UNCERTAIN, regions=["福建"])
    assert review and NORMATIVE.url not in {f.subject for f in review}
    assert only("meta.index_invalid", site, Verdict.FAIL, regions=["福建"]) == []
    [review] = [
        f
        for f in only("meta.index_invalid", site, Verdict.UNCERTAIN, regions=["全国", "安徽"])
        if f.subject == NORMATIVE.url
    ]
    assert "福建省政务公开平台" in review.message
    strict = only("meta.index_invalid", site, Verdict.FAIL, regions=["全国", "安徽"], strict=True)
    assert [f.subject for f in strict] == [NORMATIVE.url]


@pytest.mark.parametrize(
    "number", ["HZ-ZFB-2026-A0001", "2026-02-00018", "闽政办-2026-12", "ABC/XYZ-12", "发布机构", "索 引 号"]
)
def test_an_unknown_but_plausible_form_is_uncertain_never_fail(number):
    site = with_document(clean_site(), NORMATIVE.url, index_number=number)
    assert only("meta.index_invalid", site, Verdict.FAIL) == []
    [finding] = only("meta.index_invalid", site, Verdict.UNCERTAIN)
    assert number in finding.message and "人工核实" in finding.message and finding.evidence


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("无", "占位值"),
        ("暂无", "占位值"),
        ("——", "占位值"),
        ("null02D/01A/D3C20190807", "null"),
        ("${doc.indexNo}", "模板变量"),
        ("000014349/2019-", "不完整"),
        ("000014349/2019", "不完整"),
        ("12", "过短"),
    ],
)
def test_only_a_certainly_malformed_value_fails(number, why):
    site = with_document(clean_site(), NORMATIVE.url, index_number=number)
    [finding] = only("meta.index_invalid", site, Verdict.FAIL)
    assert why in finding.message


def test_one_document_listed_at_two_addresses_is_no_reuse_of_its_number():
    site = clean_site()
    twin = dataclasses.replace(NORMATIVE, url=ZL + "zcwj/202603/t20260302_1.html")
    assert only("meta.index_invalid", add_document(site, twin), Verdict.FAIL) == []
    other = dataclasses.replace(twin, url=ZL + "zcwj/202603/t20260302_2.html", title="另一件文件")
    assert len(only("meta.index_invalid", add_document(site, other), Verdict.FAIL)) == 1


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("meta-anqing-2015.html", "003110926/201510-00216"),
        ("meta-nujiang-2020.html", "01527918X-2020-153077"),
        ("meta-qiqihar-2019.html", "20191202-189769"),
        ("meta-qingshanhu-2023.html", "QSHQ--2023-0756"),
    ],
)
def test_real_pages_index_numbers_are_read_and_valid(tmp_path, name, number):
    url = "http://www.example.gov.cn/xxgk/t1.html"
    model = archived(tmp_path, (REAL / name).read_bytes(), url, "http://www.example.gov.cn/")
    assert [d.index_number for d in model.documents] == [number]
    assert verdicts("meta.index_invalid", model) == [(Verdict.PASS, "索引号均符合已知的编制规则")]


@pytest.mark.corpus
def test_a_list_pages_header_read_as_an_index_number_is_no_accusation(tmp_path):
    # the Handan list page's table header (名称 / 索引号 / 发布机构) read as one document's metadata
    url = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/t1.html"
    body = (GOV_PAGES / "handan-xxgk-list-jinqixxgk-2020.html").read_bytes()
    model = archived(tmp_path, body, url, "http://hdzfxxgk.hd.gov.cn/")
    found = run_check("meta.index_invalid", model, dt.date(2020, 9, 1))
    assert [f.verdict for f in found if f.verdict is Verdict.FAIL] == []


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "url"),
    [
        (
            "handan-xxgk-detail-2020.html",
            "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352000.html",
        ),
        ("govcn-zhengce-detail-5365945-fragment.html", GOVCN_URL),
        (
            "govcn-zhengce-detail-5355822-fragment.html",
            "http://www.gov.cn/zhengce/content/2019-01/08/content_5355822.htm",
        ),
    ],
)
def test_corpus_metadata_tables_have_valid_index_numbers(tmp_path, name, url):
    model = archived(
        tmp_path, (GOV_PAGES / name).read_bytes(), url, url.split("/", 3)[0] + "//" + url.split("/")[2] + "/"
    )
    assert model.documents and all(d.index_number for d in model.documents)
    assert [v for v, _ in verdicts("meta.index_invalid", model)] == [Verdict.PASS]


def test_a_data_file_whose_example_breaks_its_own_rule_does_not_load(tmp_path):
    text = (VOCAB_DIR / "index_patterns.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("- PZ00108-1700-2026-00063", "- PZ00108-17-2026-00063"), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        index_rules(str(bad))
    [problem] = caught.value.problems
    line = next(
        i for i, s in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "PZ00108-17-" in s
    )
    assert problem.line == line and "不符合本条规则" in problem.message


# ---- footer identity in its real forms -------------------------------------------------------

HOME = "http://www.example.gov.cn/"


def footer_findings(tmp_path, body: bytes):
    model = archived(tmp_path, body, HOME, HOME)
    return [(f.verdict, f.subject) for f in run_check("site.identity", model, AS_OF)]


@pytest.mark.parametrize(
    "name", ["footer-jiangsu-wjw.html", "footer-yulin-nyj.html", "footer-fujian-gaba.html"]
)
def test_real_footers_show_every_identity_element(tmp_path, name):
    assert footer_findings(tmp_path, (REAL / name).read_bytes()) == [(Verdict.PASS, HOME)]


@pytest.mark.corpus
def test_the_handan_footer_with_its_conac_script_is_complete(tmp_path):
    body = (GOV_PAGES / "handan-xxgk-detail-2020.html").read_bytes()
    assert footer_findings(tmp_path, body) == [(Verdict.PASS, HOME)]


def test_a_real_footer_without_public_security_filing_and_mark_fails_on_exactly_those(tmp_path):
    found = footer_findings(tmp_path, (REAL / "footer-jiangxi-gxw.html").read_bytes())
    assert found == [(Verdict.FAIL, "公安备案"), (Verdict.FAIL, "党政机关标识")]


def test_the_fujian_public_security_number_with_a_hyphen_is_seen(tmp_path):
    body = (REAL / "footer-fujian-gaba.html").read_text(encoding="utf-8")
    without = body.replace("公安备案号：35012899001-19002", "").replace('alt="公安备案"', "")
    assert footer_findings(tmp_path, without.encode()) == [(Verdict.FAIL, "公安备案")]


@pytest.mark.parametrize(
    "line",
    [
        "公安备案号:35012899001-19002",
        "（闽公网安备 35012802000123号）",
        "闽公网安备35012802000123号",
        "公安机关备案号：35012899001-19002",
    ],
)
def test_public_security_filing_spellings(tmp_path, line):
    body = (REAL / "footer-fujian-gaba.html").read_text(encoding="utf-8")
    assert footer_findings(tmp_path, body.replace("公安备案号：35012899001-19002", line).encode()) == [
        (Verdict.PASS, HOME)
    ]


def test_a_filing_label_whose_number_is_an_image_is_uncertain(tmp_path):
    body = (REAL / "footer-fujian-gaba.html").read_text(encoding="utf-8")
    body = body.replace("公安备案号：35012899001-19002", '公安备案：<img src="/images/gaba-number.png">')
    assert footer_findings(tmp_path, body.encode()) == [(Verdict.UNCERTAIN, "公安备案")]


def test_the_party_mark_is_read_from_an_images_alt_text(tmp_path):
    body = (REAL / "footer-fujian-gaba.html").read_text(encoding="utf-8")
    body = body.replace('<a href="https://bszs.conac.cn/sitename?method=show&amp;id=0A87">', "<a>")
    body = body.replace("/images/dzjg.png", "/images/mark.png")
    assert footer_findings(tmp_path, body.encode()) == [(Verdict.PASS, HOME)]
    assert footer_findings(tmp_path, body.replace('alt="党政机关"', "").encode()) == [
        (Verdict.FAIL, "党政机关标识")
    ]


def test_a_footer_written_by_script_is_uncertain_not_five_failures(tmp_path):
    body = (
        "<html><head><title>某县人民政府</title></head><body><div class='main'><a href='/x/'>要闻</a></div>"
        "<div class='footer'><script src='/js/footer.js'></script></div></body></html>"
    )
    found = footer_findings(tmp_path, body.encode())
    assert found == [(Verdict.UNCERTAIN, HOME)]


def test_full_width_and_bracketed_forms_are_read():
    from gongkai.checks.site import IDENTITY_ELEMENTS
    from gongkai.frameworks.patterns import footer_forms, normalize

    forms = footer_forms()
    footer = normalize(
        "主办单位：某市人民政府办公室 【ＩＣＰ备案编号：京ＩＣＰ证０３０１７３号】 网站标识码：ｂｍ２９０００００２ 京公网安备１１０１０２０２０００００１号 党政机关网站"
    )
    assert {name: forms.elements[name].find(footer) for name in IDENTITY_ELEMENTS} == dict.fromkeys(
        IDENTITY_ELEMENTS, "strong"
    )


def test_one_unknown_form_on_many_documents_is_one_review_with_examples():
    site = clean_site()
    for n in range(7):
        doc = dataclasses.replace(
            NORMATIVE, url=ZL + f"zcwj/t{n}.html", title=f"文件{n}", index_number=f"HZ-ZFB-2026-A{n:04d}"
        )
        site = add_document(site, doc)
    [finding] = only("meta.index_invalid", site, Verdict.UNCERTAIN)
    assert finding.message.startswith("7 条信息的索引号为同一种写法（如索引号「HZ-ZFB-2026-A0000」")
    assert len(finding.evidence) == 5 and "人工核实" in finding.message


PINGTAN = ROOT_DIR / "tests" / "fixtures" / "real_pages" / "fujian-pingtan"
PINGTAN_ZL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/"


@pytest.mark.parametrize(
    ("name", "url", "as_of", "number"),
    [
        (
            "pingtan-czj-gongshi-77232-2022.html",
            "202211/t20221110_77232.htm",
            "2022-12-01",
            "PZ00108-3000-2022-00094",
        ),
        (
            "pingtan-czj-tongzhi-53166-2012.html",
            "201208/t20120821_53166.htm",
            "2012-09-30",
            "PZ00108-3000-2012-00001",
        ),
    ],
)
def test_the_fujian_platforms_real_pages_have_valid_numbers_and_are_in_time(
    tmp_path, name, url, as_of, number
):
    model = archived(tmp_path, (PINGTAN / name).read_bytes(), PINGTAN_ZL + url, "https://www.pingtan.gov.cn/")
    as_of_day = dt.date.fromisoformat(as_of)
    assert [d.index_number for d in model.documents] == [number]
    assert [v for v, _ in verdicts("meta.index_invalid", model, as_of_day)] == [Verdict.PASS]
    assert [v for v, _ in verdicts("disclosure.late", model, as_of_day)] == [Verdict.PASS]


def test_the_fujian_platforms_real_footer_is_complete(tmp_path):
    body = (PINGTAN / "pingtan-czj-gongshi-77232-2022.html").read_bytes()
    model = archived(tmp_path, body, "https://www.pingtan.gov.cn/", "https://www.pingtan.gov.cn/")
    assert "公安备案号：35012899001-19002" in model.pages[0].footer
    assert verdicts("site.identity", model, dt.date(2022, 12, 1)) == [(Verdict.PASS, "网站底部标识齐全")]
