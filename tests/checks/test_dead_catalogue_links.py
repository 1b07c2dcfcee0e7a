"""A catalogue page inside the 专栏 that answered 4xx is that page's outcome (the crawl still counts as complete),
but what it would have listed is unknown: an absence behind it is UNCERTAIN, while a dead link of the portal
around the 专栏 (新闻中心, 无障碍) or a dead document says nothing of the catalogue."""

import dataclasses

from builders import ANNUAL, AS_OF, ROOT, ZL, clean_site, with_column

from gongkai.checks.runner import run_checks
from gongkai.frameworks import load_framework
from gongkai.model import Link, Verdict


def _without_annual_reports():
    site = clean_site()
    site = dataclasses.replace(site, documents=tuple(x for x in site.documents if x.url != ANNUAL.url))
    site = with_column(site, "政府信息公开年报", items=())
    pages = tuple(
        dataclasses.replace(p, role="catalogue" if p.url == ZL else "home" if p.url == ROOT else p.role)
        for p in site.pages
    )
    return dataclasses.replace(site, pages=pages)


def _with_links(site, *links):
    return dataclasses.replace(site, links=site.links + links)


def _annual_missing(site):
    framework = load_framework("zwgk-2026")
    return [f for f in run_checks(site, framework, AS_OF) if f.check == "annual_report.missing"]


def test_a_missing_annual_report_is_a_fail_when_the_catalogue_was_read():
    findings = _annual_missing(_without_annual_reports())
    assert findings and {f.verdict for f in findings} == {Verdict.FAIL}


def test_a_dead_catalogue_page_inside_the_zhuanlan_makes_the_absence_uncertain_and_is_named():
    dead = Link(ZL + "fdzdgknr/ndbg/", "年度报告", ZL, 404)
    findings = _annual_missing(_with_links(_without_annual_reports(), dead))
    assert findings and {f.verdict for f in findings} == {Verdict.UNCERTAIN}
    assert "「年度报告」（状态码 404）" in findings[0].message and "需人工核实" in findings[0].message


def test_dead_links_of_the_portal_or_of_documents_still_let_the_absence_fail():
    portal = Link(ROOT + "xwzx/", "新闻中心", ROOT, 404)
    document = Link(ZL + "tzgg/t20260301_1.html", "关于做好2026年春季森林防火工作的通知（全文）", ZL, 404)
    elsewhere = Link(ZL + "zcjd/", "政策解读", ROOT + "xwzx/t1.html", 404)  # found on an article, not the catalogue
    findings = _annual_missing(_with_links(_without_annual_reports(), portal, document, elsewhere))
    assert findings and {f.verdict for f in findings} == {Verdict.FAIL}
