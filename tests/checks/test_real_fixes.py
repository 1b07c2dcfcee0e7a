"""Real-site fidelity fixes, by family: each case is archived at its URL into a WARC file and read back by the
crawler's offline path (``extract_archive``), as a crawl that met these pages would read them.

Families: 专栏 documents known by their breadcrumb (no metadata block, 专栏 root not read); metadata left to a
script (avalon ms-text, Vue v-text / {{ }}, Thymeleaf th:text); the website rules' dates and their scope
(non-government sites); site tags on service pages; consultation titles with the draft's name between
征求 and 意见; budget titles and guides on pages without metadata. Real pages come from
tests/fixtures/real_pages (their sources are in SOURCES.md there).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.checks import run_check
from gongkai.checks._site import site_index
from gongkai.checks.consultation import is_notice
from gongkai.checks.interpretation import is_interpretation
from gongkai.crawl import extract_archive
from gongkai.crawl.archive import ArchiveWriter
from gongkai.crawl.scripted import script_bound_labels
from gongkai.model import Document, SiteModel, Verdict

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
HTML = [("Content-Type", "text/html; charset=utf-8")]
AS_OF = dt.date(2026, 11, 20)
TAGS = (
    '<meta name="SiteName" content="某某区人民政府"><meta name="SiteDomain" content="www.mm.gov.cn">'
    '<meta name="SiteIDCode" content="3502130001">'
)


def model(tmp_path: Path, pages: dict[str, str | bytes], site: str) -> SiteModel:
    """The site model of a crawl that met ``pages`` (URL -> HTML) of ``site`` (the root not archived)."""
    path = tmp_path / f"site-{len(list(tmp_path.iterdir()))}.warc.gz"
    writer = ArchiveWriter(path)
    for url, body in pages.items():
        data = body.encode("utf-8") if isinstance(body, str) else body
        writer.write_response(url, 200, "OK", HTML, data)
    writer.close()
    return extract_archive(path, site)


def verdicts(check_id: str, site: SiteModel, as_of: dt.date = AS_OF, **params: object) -> dict[str, Verdict]:
    """Subject -> verdict of one check (the strongest per subject)."""
    out: dict[str, Verdict] = {}
    for f in run_check(check_id, site, as_of, params or None):
        if out.get(f.subject) is not Verdict.FAIL:
            out[f.subject] = f.verdict
    return out


def crumbs(*levels: tuple[str, str]) -> str:
    links = "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in levels)
    return f'<div class="breadcrumb">当前位置：<ul><li><a href="/">首页</a></li>{links}</ul></div>'


def detail(title: str, body: str, levels: tuple[tuple[str, str], ...], extra: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{TAGS}</head><body>{crumbs(*levels)}"
        f'<div class="article_title">{title}</div><span>时间：2026-11-02 10:00</span>{extra}'
        f'<div class="article_content"><p>{body}</p></div>'
        '<div class="footer">主办单位：某某区人民政府 网站标识码：3502130001</div></body></html>'
    )


# ------------------------------------------------------------------ breadcrumb roles and metadata blocks

ZL = (("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开"))
STATUTORY = (*ZL, ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容"))


def test_zhuanlan_documents_known_by_their_breadcrumb(tmp_path: Path) -> None:
    host = "http://www.mm.gov.cn"
    pages = {
        # 法定主动公开内容 → 行政处罚 → 办理结果公示: a disclosed item, no metadata block
        f"{host}/zwgk/zfxxgk/fdzdgknr/xzcf/bljg/202611/t20261102_1.htm": detail(
            "区市场监管局行政处罚信息公示",
            "当事人某某公司……",
            (
                *STATUTORY,
                ("/zwgk/zfxxgk/fdzdgknr/xzcf/", "行政处罚"),
                ("/zwgk/zfxxgk/fdzdgknr/xzcf/bljg/", "办理结果"),
            ),
        ),
        # 政府信息公开制度: a reposted rule, platforms show no metadata there
        f"{host}/zwgk/zfxxgk/zfxxgkzd/202611/t20261102_2.htm": detail(
            "福建省政府信息公开办法", "第一条……", (*ZL, ("/zwgk/zfxxgk/zfxxgkzd/", "政府信息公开制度"))
        ),
        # 政策解读 under 法定主动公开内容: not judged for want of a block
        f"{host}/zwgk/zfxxgk/fdzdgknr/zcjd/202611/t20261102_3.htm": detail(
            "一图读懂某某区养老服务办法", "图解……", (*STATUTORY, ("/zwgk/zfxxgk/fdzdgknr/zcjd/", "政策解读"))
        ),
        # 政务公开 → 公示公告: outside the 专栏, an article
        f"{host}/zwgk/gsgg/202611/t20261102_4.htm": detail(
            "某某区2026年拟表彰名单公示", "名单如下……", (("/zwgk/", "政务公开"), ("/zwgk/gsgg/", "公示公告"))
        ),
    }
    site = model(tmp_path, pages, host + "/")
    roles = {p.url.rsplit("_", 1)[1]: p.role for p in site.pages}
    assert roles == {
        "1.htm": "zhuanlan_document",
        "2.htm": "zhuanlan_document",
        "3.htm": "zhuanlan_document",
        "4.htm": "article",
    }
    found = {url.rsplit("_", 1)[1]: v for url, v in verdicts("meta.missing", site).items()}
    assert found == {"1.htm": Verdict.FAIL, "2.htm": Verdict.UNCERTAIN}
    fail = next(f for f in run_check("meta.missing", site, AS_OF) if f.verdict is Verdict.FAIL)
    assert "法定主动公开内容→行政处罚→办理结果" in fail.message and fail.evidence


def test_a_column_listing_places_a_document_under_statutory_content_without_a_breadcrumb(
    tmp_path: Path,
) -> None:
    host = "http://www.mm.gov.cn"
    zl = f"{host}/zfxxgk/"
    home = f'<html><head><title>某某区人民政府</title>{TAGS}</head><body><a href="/zfxxgk/">政府信息公开</a></body></html>'
    zl_page = (
        f"<html><head><title>政府信息公开</title>{TAGS}</head><body><div class='left'><ul>"
        '<li><a href="/zfxxgk/fdzdgknr/">法定主动公开内容</a><ul><li><a href="/zfxxgk/fdzdgknr/rsxx/">人事信息</a></li>'
        "</ul></li></ul></div></body></html>"
    )
    rows = "".join(
        f'<li><a href="/zfxxgk/fdzdgknr/rsxx/202611/t2026110{i}_{i}.html">关于某某同志任职的通知{i}</a>'
        f"<span>2026-11-0{i}</span></li>"
        for i in range(1, 4)
    )
    listing = (
        f'<html><head><title>人事信息</title>{TAGS}</head><body><ul class="list">{rows}</ul></body></html>'
    )
    pages: dict[str, str | bytes] = {
        f"{host}/": home,
        zl: zl_page,
        f"{host}/zfxxgk/fdzdgknr/": "<html><head><title>法定主动公开内容</title></head><body>"
        '<ul class="list"><li><a href="/zfxxgk/fdzdgknr/rsxx/">人事信息</a></li></ul></body></html>',
        f"{host}/zfxxgk/fdzdgknr/rsxx/": listing,
    }
    for i in range(1, 4):
        title = f"关于某某同志任职的通知{i}"
        pages[f"{host}/zfxxgk/fdzdgknr/rsxx/202611/t2026110{i}_{i}.html"] = (
            f"<html><head><title>{title}</title>{TAGS}</head><body><h1>{title}</h1><p>任命……</p></body></html>"
        )
    site = model(tmp_path, pages, host + "/")
    found = verdicts("meta.missing", site)
    fails = [url for url, v in found.items() if v is Verdict.FAIL]
    assert any(c.parent for c in site.columns)  # 人事信息 under 法定主动公开内容, read from the catalogue
    assert len(fails) == 3


# ------------------------------------------------------------------------------ script-bound metadata

VUE = '<script src="/js/vue.min.js"></script>'


@pytest.mark.parametrize(
    ("markup", "bound"),
    [
        (
            "<li>发文机关：<font ms-text=\"ext3['orgname']\"></font></li><li>文号：无</li>",
            {"发文机关"},
        ),  # avalon
        (
            '<td>发布机构：</td><td><span v-text="doc.org"></span></td><td>文号：</td><td>某政〔2026〕1号</td>',
            {"发布机构"},
        ),
        (
            VUE + "<td>发布机构：</td><td>{{ doc.org }}</td><td>成文日期：</td><td>2026-11-01</td>",
            {"发布机构"},
        ),
        ('<li>发布机构：<span th:text="${doc.org}"></span></li>', {"发布机构"}),  # Thymeleaf left unrendered
        ("<td>发布机构：</td><td>{{ doc.org }}</td>", set()),  # no framework: a leak the reader sees
        (
            '<li>发布机构：<span v-text="doc.org">某某区人民政府</span></li>',
            set(),
        ),  # the value is in the HTML
        ("<li>发布机构：</li><li>文号：某政〔2026〕1号</li>", set()),  # simply empty
    ],
)
def test_script_bound_metadata_values(markup: str, bound: set[str]) -> None:
    assert script_bound_labels(markup, ["发文机关", "发布机构", "文号", "成文日期"]) == bound


def test_a_field_filled_by_script_is_uncertain_and_an_empty_one_fails(tmp_path: Path) -> None:
    host = "http://www.mm.gov.cn"

    def block(publisher: str) -> str:
        return (
            '<table class="xxgk"><tr><td>索引号：</td><td>MM0001/2026-00001</td><td>发布机构：</td>'
            f"<td>{publisher}</td></tr><tr><td>成文日期：</td><td>2026-11-01</td><td>发布日期：</td>"
            "<td>2026-11-02</td></tr></table>"
        )

    level = (*STATUTORY, ("/zwgk/zfxxgk/fdzdgknr/qtwj/", "其他文件"))
    pages: dict[str, str | bytes] = {
        f"{host}/zwgk/zfxxgk/fdzdgknr/qtwj/202611/t20261102_1.htm": detail(
            "关于做好冬季供暖工作的通知", "各单位……", level, VUE + block("<span v-text='info.org'></span>")
        ),
        f"{host}/zwgk/zfxxgk/fdzdgknr/qtwj/202611/t20261102_2.htm": detail(
            "关于做好防汛工作的通知", "各单位……", level, block("")
        ),
    }
    site = model(tmp_path, pages, host + "/")
    found = {url.rsplit("_", 1)[1]: v for url, v in verdicts("meta.missing", site).items()}
    assert found == {"1.htm": Verdict.UNCERTAIN, "2.htm": Verdict.FAIL}


def test_the_real_avalon_page_is_uncertain_for_its_publisher(tmp_path: Path) -> None:
    url = (
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/201507/"
        "t20150718_57949.htm"
    )
    body = (REAL / "fujian-pingtan" / "pingtan-czj-zhaopin-57949-2015.html").read_bytes()
    site = model(tmp_path, {url: body}, "https://www.pingtan.gov.cn/")
    findings = run_check("meta.missing", site, dt.date(2015, 8, 31))
    assert [f.verdict for f in findings] == [Verdict.UNCERTAIN]
    assert "发布机构" in findings[0].message and "脚本" in findings[0].message


# ------------------------------------------------------------------- website rules: dates and scope


def home(title: str, footer: str, tags: str = "") -> str:
    return f"<html><head><title>{title}</title>{tags}</head><body><h1>{title}</h1><div class='footer'>{footer}</div></body></html>"


GOV_FOOTER = "主办单位：某某县人民政府 赣ICP备14008674号 赣公网安备36092502000005号"
COMPANY_FOOTER = "Copyright © 2003-2025 某某证券登记结算有限责任公司版权所有 京ICP备2024073721号-1 京公网安备 11010202009259号"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2016, 9, 1), Verdict.NOT_ASSESSABLE),  # before 国办发〔2017〕47号
        (dt.date(2017, 10, 25), Verdict.UNCERTAIN),  # in the transition for existing sites
        (dt.date(2026, 11, 20), Verdict.FAIL),
    ],
)
def test_site_rules_judge_pages_by_the_date_they_were_seen(
    tmp_path: Path, as_of: dt.date, expected: Verdict
) -> None:
    url = "http://www.jxmm.gov.cn/"
    site = model(tmp_path, {url: home("某某县人民政府", GOV_FOOTER)}, url)
    for check_id in ("site.identity", "site.meta"):
        said = set(verdicts(check_id, site, as_of).values())
        assert expected in said and (Verdict.FAIL not in said or expected is Verdict.FAIL), check_id


@pytest.mark.parametrize("host", ["http://www.mm-clear.com.cn/", "http://127.0.0.1:8123/"])
def test_a_company_site_is_not_judged_by_government_website_rules(tmp_path: Path, host: str) -> None:
    tags = '<meta name="SiteName" content="某某证券登记结算有限责任公司"><meta name="SiteIDCode" content="N000000672">'
    site = model(tmp_path, {host: home("业务规则-某某证券登记结算有限责任公司", COMPANY_FOOTER, tags)}, host)
    for check_id in ("site.identity", "site.meta"):
        findings = run_check(check_id, site, AS_OF)
        assert [f.verdict for f in findings] == [Verdict.NOT_ASSESSABLE], check_id
        assert "不是党政机关网站" in findings[0].message
    forced = verdicts("site.identity", site, AS_OF, government_site="yes")
    assert forced.get("网站标识码") is Verdict.FAIL  # a framework may say the site is a government one


def test_a_loopback_site_whose_footer_names_a_government_is_judged(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8124/"
    site = model(tmp_path, {url: home("某某区人民政府", GOV_FOOTER.replace("某某县", "某某区"))}, url)
    assert verdicts("site.identity", site).get("网站标识码") is Verdict.FAIL
    assert Verdict.FAIL in verdicts("site.meta", site).values()


def test_site_tags_are_required_on_service_pages_but_not_article_tags(tmp_path: Path) -> None:
    host = "http://www.mm.gov.cn"
    search = (
        f"<html><head><title>搜索结果</title>{TAGS.replace('SiteIDCode', 'X-Other')}</head><body><h1>搜索结果</h1>"
        '<ul><li><a href="/a.html">某某区社会组织</a></li></ul>'
        "<div class='footer'>主办单位：某某区人民政府 网站标识码：3502130001</div></body></html>"
    )
    site = model(tmp_path, {f"{host}/search/result.html": search}, host + "/")
    assert {p.role for p in site.pages} == {"service"}
    assert verdicts("site.meta", site) == {"SiteIDCode": Verdict.FAIL}


# --------------------------------------------------------------------------- titles and page content


@pytest.mark.parametrize(
    ("title", "notice"),
    [
        ("关于公开征求《外卖骑手“食安哨兵”小额举报奖励实施方案》意见的通告", True),
        ("关于公开征求《某某区国土空间总体规划（2021—2035年）（草案）》意见建议的公告", True),
        ("关于征询《某某市停车管理办法》修改意见的公告", True),
        ("《某某区养老服务条例（草案）》意见征集", True),
        ("某某区城市更新规划意见建议征集公告", True),
        ("关于《某某办法（征求意见稿）》的起草说明", False),
        ("关于《某某办法（征求意见稿）》征求意见采纳情况的说明", False),
        ("区政协召开征求意见座谈会", False),
        ("关于征集2026年民生实事项目意见建议的公告", False),  # a call for suggestions: no draft
    ],
)
def test_consultation_notice_titles(title: str, notice: bool) -> None:
    site = SiteModel(site="http://www.mm.gov.cn/")
    assert (
        is_notice(Document(url="http://www.mm.gov.cn/a.html", title=title), site_index(site, None)) is notice
    )


def test_a_notice_on_an_article_page_with_a_period_in_working_days(tmp_path: Path) -> None:
    url = "https://www.pingtan.gov.cn/zwgk/gsgg/202609/t20260902_108697.htm"
    body = (REAL / "fujian-pingtan" / "pingtan-gsgg-zqyj-108697-2026.html").read_bytes()
    site = model(tmp_path, {url: body}, "https://www.pingtan.gov.cn/")
    findings = run_check("consultation.elements", site, dt.date(2026, 9, 10))
    assert [f.verdict for f in findings] == [Verdict.FAIL]
    assert "起草说明" in findings[0].message and "期限" not in findings[0].message  # 公示期为7个工作日


def test_an_article_page_without_metadata_is_a_document_for_title_and_guide_checks(tmp_path: Path) -> None:
    host = "http://www.mm.gov.cn"
    budget = detail(
        "2026年部门预算", "我乡2026年预算……", (("/zwgk/", "政务公开"), ("/zwgk/czzj/", "财政资金"))
    )
    guide = detail(
        "某某乡政府信息公开指南（试行）",
        "受理机构：某某乡党政办。申请人可在收到申请之日起15个工作日内予以答复。",
        (*ZL, ("/zwgk/zfxxgk/zfxxgkzd/", "政府信息公开制度")),
    )
    site = model(
        tmp_path,
        {
            f"{host}/zwgk/czzj/202611/t20261102_1.htm": budget,
            f"{host}/zwgk/zfxxgk/zfxxgkzd/t20261102_2.htm": guide,
        },
        host + "/",
    )
    assert set(verdicts("title.unit_year", site).values()) == {Verdict.FAIL}
    guide_findings = [f for f in run_check("guide.elements", site, AS_OF) if f.verdict is Verdict.FAIL]
    assert len(guide_findings) == 1 and "办公地址" in guide_findings[0].message


def test_a_notice_about_interpretation_work_is_not_an_interpretation() -> None:
    index = site_index(SiteModel(site="http://www.mm.gov.cn/"), None)
    work = Document(url="http://www.mm.gov.cn/a.html", title="福建省人民政府办公厅关于加强政策解读工作的通知")
    real = Document(url="http://www.mm.gov.cn/b.html", title="《某某区养老服务办法》政策解读")
    assert not is_interpretation(work, index) and is_interpretation(real, index)


def test_pages_about_budgets_and_guides_are_not_judged_as_them(tmp_path: Path) -> None:
    """Articles are documents now: news of a budget meeting and a notice updating the guide are not a budget
    disclosure or a guide, and draw no FAIL."""
    host = "http://www.mm.gov.cn"
    news = (("/zwgk/", "政务公开"), ("/zwgk/gzdt/", "工作动态"))
    pages: dict[str, str | bytes] = {
        f"{host}/zwgk/gzdt/202611/t20261102_1.htm": detail(
            "我区召开2027年部门预算编制工作会议", "会议要求……", news
        ),
        f"{host}/zwgk/gzdt/202611/t20261102_2.htm": detail(
            "关于更新政府信息公开指南的说明", "指南已更新。", news
        ),
    }
    site = model(tmp_path, pages, host + "/")
    assert {p.role for p in site.pages} == {"article"} and len(site.documents) == 2
    for check_id in ("title.unit_year", "guide.elements"):
        assert Verdict.FAIL not in verdicts(check_id, site).values(), check_id


def test_a_unit_record_of_a_government_group_makes_a_site_judged(tmp_path: Path) -> None:
    url = "http://www.mm-kfq.com/"
    site = model(
        tmp_path, {url: home("某某开发区", "地址：某某路1号 电话：0592-1234567 闽ICP备12345678号")}, url
    )
    assert {f.verdict for f in run_check("site.identity", site, AS_OF)} == {Verdict.NOT_ASSESSABLE}
    judged = run_check("site.identity", site, AS_OF, unit_group="zone")
    assert {f.subject for f in judged if f.verdict is Verdict.FAIL} >= {"网站标识码", "主办单位"}


@pytest.mark.parametrize(("framework", "expected"), [(VUE, Verdict.UNCERTAIN), ("", Verdict.FAIL)])
def test_an_index_number_left_to_vue_is_uncertain_and_a_leaked_template_fails(
    tmp_path: Path, framework: str, expected: Verdict
) -> None:
    host = "http://www.mm.gov.cn"
    block = (
        '<table class="xxgk"><tr><td>索引号：</td><td>{{ info.syh }}</td><td>发布机构：</td>'
        "<td>某某区人民政府办公室</td></tr><tr><td>成文日期：</td><td>2026-11-01</td><td>发布日期：</td>"
        "<td>2026-11-02</td></tr></table>"
    )
    level = (*STATUTORY, ("/zwgk/zfxxgk/fdzdgknr/qtwj/", "其他文件"))
    url = f"{host}/zwgk/zfxxgk/fdzdgknr/qtwj/202611/t20261102_1.htm"
    site = model(
        tmp_path,
        {url: detail("关于做好冬季供暖工作的通知", "各单位……", level, framework + block)},
        host + "/",
    )
    assert verdicts("meta.index_invalid", site) == {url: expected}
