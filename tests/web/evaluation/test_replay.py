"""Evidence replayed from the unit's WARC inside the platform: real archived government pages (corpus) come
back without scripts or event handlers, under a CSP that forbids scripts, with links into the archive
rewritten, other links inert, the crawl time in Beijing time and the snippet marked."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from tests.web.evaluation.conftest import new_round

from gongkai.crawl.archive import ArchiveWriter
from gongkai.web.evaluation.models import RoundUnit, StoredFinding
from gongkai.web.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

CORPUS = Path("/work/shared/corpus/gov_pages")
HOME = "http://hdzfxxgk.hd.gov.cn/"
DETAIL = "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html"
SNIPPET = "000014348/2020-35428"


@pytest.fixture
def archived(tmp_path):
    path = tmp_path / "hdzfxxgk.warc.gz"
    writer = ArchiveWriter(path)
    html = [("Content-Type", "text/html; charset=utf-8")]
    home_id = writer.write_response(
        HOME, 200, "OK", html, (CORPUS / "handan-xxgk-list-jinqixxgk-2020.html").read_bytes()
    )
    writer.write_response(DETAIL, 200, "OK", html, (CORPUS / "handan-xxgk-detail-2020.html").read_bytes())
    writer.close()
    round_ = new_round()
    own = make_unit("邯郸市教育局", short_name="市教育局", website=HOME)
    ru = RoundUnit.objects.create(
        round=round_, unit=own, group="department", status="done", url=HOME, archive=str(path)
    )
    finding = StoredFinding.objects.create(
        round_unit=ru, check_id="column.stale", item="主动公开", verdict="FAIL", subject="近期信息公开",
        message="栏目最新信息早于允许的期限", evidence=[{"url": HOME, "snippet": SNIPPET, "record": home_id}],
    )  # fmt: skip
    return ru, finding, home_id


def test_the_evidence_page_is_replayed_sanitised_with_its_snippet_marked(archived):
    ru, finding, home_id = archived
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    unit_page = client.get(f"/evaluation/units/{ru.pk}/").content.decode()
    link = re.search(r'href="(/evaluation/units/\d+/archive/\?[^"]+)">查看存档页面', unit_page).group(1)
    wrapper = client.get(link.replace("&amp;", "&")).content.decode()
    assert "抓取时间" in wrapper and "（北京时间）" in wrapper and SNIPPET in wrapper
    assert "栏目最新信息早于允许的期限" in wrapper and "<iframe" in wrapper and "sandbox" in wrapper
    frame = re.search(r'<iframe[^>]* src="([^"]+)"', wrapper).group(1).replace("&amp;", "&")
    page = client.get(frame)
    body = page.content.decode()
    assert (
        "script-src" not in page["Content-Security-Policy"]
        and "default-src 'none'" in page["Content-Security-Policy"]
    )
    assert "sandbox" in page["Content-Security-Policy"]
    assert "<script" not in body.lower() and not re.search(r"\son[a-z]+=", body)
    assert f'<mark id="evidence">{SNIPPET}</mark>' in body
    assert (
        f'href="/evaluation/units/{ru.pk}/archive/?url={quote(HOME, safe="")}"' in body
    )  # archived: replayed
    assert (
        'href="http://www.gov.cn/"' not in body and "未存档的链接：http://www.gov.cn/" in body
    )  # others inert
    detail = client.get(f"/evaluation/units/{ru.pk}/archive/?url={quote(DETAIL, safe='')}")
    assert detail.status_code == 200 and "邯郸市教育局" in detail.content.decode()


def test_only_the_units_own_people_see_its_archive(archived):
    ru, _finding, home_id = archived
    stranger_unit = make_unit("邯郸市财政局", website="http://czj.hd.gov.cn/")
    liaison = Client()
    liaison.force_login(make_user("caizheng", "liaison", unit=stranger_unit))
    assert liaison.get(f"/evaluation/units/{ru.pk}/archive/?record={home_id}").status_code == 404
    own = Client()
    own.force_login(make_user("jiaoyu", "liaison", unit=ru.unit))
    assert own.get(f"/evaluation/units/{ru.pk}/archive/?record={home_id}").status_code == 200
    assert own.get(f"/evaluation/units/{ru.pk}/archive/?url=http://elsewhere.example/").status_code == 404
