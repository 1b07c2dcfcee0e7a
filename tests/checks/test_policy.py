"""interpretation.*, consultation.*, guide.elements on built sites and the real 平潭 guide."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from builders import (
    AS_OF,
    CONSULTATION,
    FEEDBACK,
    GUIDE,
    INTERPRETATION,
    NORMATIVE,
    clean_site,
    with_document,
)

from gongkai.checks import run_check
from gongkai.model import Verdict

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def fails(check_id, site, as_of=AS_OF, **params):
    return [f for f in run_check(check_id, site, as_of, params) if f.verdict is Verdict.FAIL]


def drop(site, *urls):
    return dataclasses.replace(site, documents=tuple(x for x in site.documents if x.url not in urls))


def test_a_normative_document_without_interpretation_is_missing_one():
    site = drop(clean_site(), INTERPRETATION.url)
    [finding] = fails("interpretation.missing", site)
    assert finding.subject == NORMATIVE.url


def test_an_interpretation_is_paired_by_quoted_title_without_links():
    site = with_document(clean_site(), INTERPRETATION.url, related=())
    site = with_document(site, NORMATIVE.url, related=())
    assert fails("interpretation.missing", site) == []


def test_documents_before_the_since_parameter_are_not_required_to_have_one():
    site = drop(clean_site(), INTERPRETATION.url)
    assert fails("interpretation.missing", site, since="2026-03-03") == []


def test_an_interpretation_four_working_days_after_its_document_is_late():
    site = with_document(clean_site(), INTERPRETATION.url, published=dt.date(2026, 3, 5))
    assert fails("interpretation.late", site) == []  # 3 working days after 2026-03-02
    site = with_document(clean_site(), INTERPRETATION.url, published=dt.date(2026, 3, 6))
    [finding] = fails("interpretation.late", site)
    assert finding.subject == INTERPRETATION.url and len(finding.evidence) == 2


def test_an_interpretation_without_phone_and_document_link_lacks_both_elements():
    site = with_document(clean_site(), INTERPRETATION.url, related=(), body="一、背景依据……二、主要内容……")
    [finding] = fails("interpretation.elements", site)
    assert "原文链接" in finding.message and "咨询电话" in finding.message


def test_a_consultation_notice_without_draft_and_channel_lacks_them():
    body = "现就养犬管理办法公开征求意见，征求意见时间为2026年1月5日至2026年2月5日。附：起草说明。"
    site = with_document(clean_site(), CONSULTATION.url, body=body, attachments=())
    [finding] = fails("consultation.elements", site)
    assert "草案文本" in finding.message and "意见反馈渠道" in finding.message
    assert "起草说明" not in finding.message and "征求意见期限" not in finding.message


def test_a_twenty_day_comment_window_is_too_short_and_thirty_days_is_enough():
    short = CONSULTATION.body.replace("2026年2月5日", "2026年1月24日")
    [finding] = fails("consultation.period", with_document(clean_site(), CONSULTATION.url, body=short))
    assert "20 日" in finding.message
    exact = CONSULTATION.body.replace("2026年2月5日", "2026年2月3日")
    assert fails("consultation.period", with_document(clean_site(), CONSULTATION.url, body=exact)) == []


def test_a_deadline_written_as_jiezhi_counts_from_publication():
    body = "现公开征求意见，意见截止日期为2026年1月20日。联系电话0592-1234567。《征求意见稿》见附件，起草说明附后。"
    site = with_document(clean_site(), CONSULTATION.url, body=body)
    [finding] = fails("consultation.period", site)
    assert "16 日" in finding.message


def test_a_closed_consultation_without_adoption_report_lacks_feedback():
    site = drop(clean_site(), FEEDBACK.url)
    site = dataclasses.replace(
        site,
        columns=tuple(
            dataclasses.replace(c, items=c.items[1:]) if c.kind == "consultation" else c for c in site.columns
        ),
    )
    [finding] = fails("consultation.feedback", site)
    assert finding.subject == CONSULTATION.url
    # still open on 2026-02-05: nothing to report yet
    assert fails("consultation.feedback", site, as_of=dt.date(2026, 2, 5)) == []


def test_a_guide_without_fax_and_with_the_old_fifteen_day_limit_fails_on_both():
    body = GUIDE.body.replace("，传真：0592-7889001", "").replace(
        "20个工作日内予以答复", "15个工作日内予以答复"
    )
    [finding] = fails("guide.elements", with_document(clean_site(), GUIDE.url, body=body))
    assert "传真" in finding.message and "15 个工作日" in finding.message
    assert any("15个工作日" in e.snippet for e in finding.evidence)


def test_the_third_party_fifteen_days_is_not_a_reply_limit():
    body = GUIDE.body + "第三方应当自收到征求意见书之日起15个工作日内提出意见，逾期未答复的视为不同意。"
    assert fails("guide.elements", with_document(clean_site(), GUIDE.url, body=body)) == []


@pytest.mark.corpus
def test_the_real_pingtan_guide_lacks_only_a_fax_number():
    text = (CORPUS / "gov_pages" / "pingtan-zfxxgkzn-guide-2023.page.txt").read_text(encoding="utf-8")
    body = text.split("==================== 正文 ====================", 1)[1]
    site = with_document(clean_site(), GUIDE.url, body=body, title="平潭综合实验区政府信息公开指南")
    [finding] = fails("guide.elements", site)
    assert finding.message.endswith("缺少传真")
