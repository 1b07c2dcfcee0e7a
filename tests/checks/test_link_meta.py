"""link.broken, meta.missing, meta.index_invalid, normative.validity, disclosure.late."""

import dataclasses
import datetime as dt

from builders import AS_OF, NORMATIVE, ROOT, ZL, add_document, clean_site, with_document

from gongkai.calendar import WorkingCalendar
from gongkai.checks import run_check
from gongkai.model import Attachment, Link, Verdict


def findings(check_id, site, verdict=Verdict.FAIL, **params):
    return [f for f in run_check(check_id, site, AS_OF, params) if f.verdict is verdict]


def test_a_404_link_and_a_soft_404_are_broken_each_once_with_the_source_page_as_evidence():
    site = clean_site()
    links = (
        Link(ZL + "old/", "旧栏目", ROOT, 404),
        Link(ZL + "old/", "旧栏目", ZL, 404),
        Link(ZL + "gone.html", "已删除", ZL, 200, "soft404"),
        Link("http://unfetched.example/", "未探测", ROOT),
    )
    site = dataclasses.replace(site, links=site.links + links)
    broken = findings("link.broken", site)
    assert [f.subject for f in broken] == [ZL + "old/", ZL + "gone.html"]
    assert broken[0].evidence[0].url == ROOT and broken[0].evidence[0].record
    assert "软404" in broken[1].message


def test_a_dead_attachment_is_a_broken_link():
    site = with_document(
        clean_site(), NORMATIVE.url, attachments=(Attachment(ZL + "f.pdf", "附件1.pdf", "pdf", 500),)
    )
    [finding] = findings("link.broken", site)
    assert finding.subject == ZL + "f.pdf" and "附件" in finding.message


def test_a_policy_document_without_doc_number_and_publisher_misses_both():
    site = with_document(clean_site(), NORMATIVE.url, doc_number="", publisher="")
    [finding] = findings("meta.missing", site)
    assert "发布机构" in finding.message and "文号" in finding.message


def test_doc_number_is_not_required_of_a_news_like_disclosure_item():
    site = clean_site()
    guide = next(x for x in site.documents if "指南" in x.title)
    assert guide.doc_number == ""
    assert findings("meta.missing", site) == []


def test_malformed_index_number_and_year_mismatch_are_invalid():
    site = with_document(clean_site(), NORMATIVE.url, index_number="null02D/01A/D3C20190807")
    [finding] = findings("meta.index_invalid", site)
    assert "不符合编制规则" in finding.message
    site = with_document(clean_site(), NORMATIVE.url, index_number="003226988/201903-00012")
    assert findings("meta.index_invalid", site) == []  # the year rule is off by default
    [finding] = findings("meta.index_invalid", site, check_year=True)
    assert "2019" in finding.message


def test_index_pattern_is_a_parameter():
    site = with_document(clean_site(), NORMATIVE.url, index_number="01527918X-2026-153077")
    assert len(findings("meta.index_invalid", site)) == 0  # org-YYYY-seq matches the default
    own_rule = r"^\d{9}/\d{6}-\d{5}$"
    # a plausible number outside the framework's own rule is for review, a FAIL only when the rule binds
    assert findings("meta.index_invalid", site, pattern=own_rule) == []
    assert len(findings("meta.index_invalid", site, Verdict.UNCERTAIN, pattern=own_rule)) == 1
    assert len(findings("meta.index_invalid", site, pattern=own_rule, strict=True)) == 1


def test_a_duplicated_index_number_is_reported_on_the_second_document():
    site = clean_site()
    copy = dataclasses.replace(NORMATIVE, url=ZL + "gfxwj/202603/t20260302_9.html", title="另一文件")
    site = add_document(site, copy)
    [finding] = findings("meta.index_invalid", site)
    assert finding.subject == copy.url and "重复" in finding.message


def test_a_normative_document_without_validity_mark_fails():
    site = with_document(clean_site(), NORMATIVE.url, validity="")
    [finding] = findings("normative.validity", site)
    assert finding.subject == NORMATIVE.url


def test_a_normative_document_is_recognised_by_its_gui_doc_number_outside_its_column():
    doc = dataclasses.replace(
        NORMATIVE, url=ZL + "qt/1.html", column_url=ZL + "qt/", category="", validity=""
    )
    assert len(findings("normative.validity", add_document(clean_site(), doc))) == 1


def test_disclosure_after_twenty_working_days_is_late_counting_the_spring_festival():
    # 2026-02-02 + 20 working days = 2026-03-05 (春节 2026-02-15..02-23 off, 02-14 and 02-28 worked)
    due = WorkingCalendar().add_working_days(dt.date(2026, 2, 2), 20)
    on_time = with_document(clean_site(), NORMATIVE.url, created=dt.date(2026, 2, 2), published=due)
    assert findings("disclosure.late", on_time) == []
    late = with_document(on_time, NORMATIVE.url, published=due + dt.timedelta(days=1))
    [finding] = findings("disclosure.late", late)
    assert f"应在 {due.isoformat()} 前公开" in finding.message


def test_a_date_outside_the_holiday_data_is_uncertain_not_a_guess():
    site = with_document(
        clean_site(), NORMATIVE.url, created=dt.date(2031, 1, 5), published=dt.date(2031, 3, 5)
    )
    [finding] = findings("disclosure.late", site, Verdict.UNCERTAIN)
    assert "2031" in finding.message or "2032" in finding.message


def test_links_not_fetched_by_choice_are_not_judged_but_redirect_loops_are_broken():
    site = clean_site()
    links = tuple(
        Link(ZL + f"x{i}.html", "链接", ROOT, None, error)
        for i, error in enumerate(["robots", "budget", "too_large"])
    ) + (Link(ZL + "loop.html", "循环", ROOT, None, "redirect_loop"),)
    site = dataclasses.replace(site, links=site.links + links)
    [finding] = findings("link.broken", site)
    assert finding.subject == ZL + "loop.html" and "重定向循环" in finding.message
