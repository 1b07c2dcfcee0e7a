"""Checks on real government pages from the corpus, archived as the crawler would and extracted by it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai.checks import run_check
from gongkai.crawl import extract_archive
from gongkai.model import Verdict

GOV_PAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gov_pages"
pytestmark = pytest.mark.corpus


def archived_model(tmp_path: Path, name: str, url: str, root: str):
    body = (GOV_PAGES / name).read_bytes()
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


def verdicts(check_id, model, as_of):
    return [(f.verdict, f.message) for f in run_check(check_id, model, as_of)]


def test_the_handan_detail_page_lacks_its_written_date_and_nothing_else(tmp_path):
    url = "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352000.html"
    model = archived_model(tmp_path, "handan-xxgk-detail-2020.html", url, "http://hdzfxxgk.hd.gov.cn/")
    as_of = dt.date(2020, 9, 1)
    [(verdict, message)] = verdicts("meta.missing", model, as_of)  # 成文日期 is commented out in the page
    assert verdict is Verdict.FAIL and message.endswith("缺少生成/成文日期")
    assert verdicts("meta.index_invalid", model, as_of)[0][0] is Verdict.PASS  # 000014348/2020-35147
    assert (
        verdicts("site.meta", model, as_of)[0][0] is Verdict.PASS
    )  # SiteIDCode 1304000009, ArticleTitle, PubDate
    for check_id in ("privacy.id_number", "privacy.mobile", "privacy.bank_card"):
        assert verdicts(check_id, model, as_of)[0][0] is Verdict.PASS


def test_the_handan_guide_column_page_is_not_judged_as_a_guide_text(tmp_path):
    url = "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/"
    model = archived_model(
        tmp_path, "handan-xxgk-guide-zfxxgkzn-2020.html", url, "http://hdzfxxgk.hd.gov.cn/"
    )
    assert model.pages[0].kind == "guide"
    # the page only lists the departments' guides (ColumnName, no ArticleTitle): no guide text to judge
    [(verdict, message)] = verdicts("guide.elements", model, dt.date(2020, 9, 1))
    assert verdict is Verdict.NOT_ASSESSABLE and "未找到" in message
