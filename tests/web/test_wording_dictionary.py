"""The wording dictionary in the web UI: admin edits are audited, XLSX round-trips, and the checks use it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from gongkai.checks import run_check
from gongkai.model import Page, SiteModel, Verdict
from gongkai.web.testing import make_user
from gongkai.web.wording.io import ENTRIES, LEADERS, ImportRejected, export_xlsx, import_xlsx
from gongkai.web.wording.models import LeaderEntry, WordingEntry
from gongkai.wording import matcher

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 3, 30)
SITE = SiteModel(
    site="http://www.xa.example.gov.cn/",
    pages=(
        Page(
            "http://www.xa.example.gov.cn/xw/1.html", 200, text="区委召开翔安新区建设推进会。", role="article"
        ),
    ),
)


def entry(**fields):
    base = {"phrase": "翔安新区", "correct": "翔安区", "category": "地名", "severity": "nonstandard",
            "source": "区划调整公告"}  # fmt: skip
    return WordingEntry.objects.create(**{**base, **fields})


def verdicts(check_id):
    return [f.verdict for f in run_check(check_id, SITE, AS_OF)]


def test_an_entry_added_in_the_admin_is_audited_and_used_by_the_next_check():
    assert verdicts("wording.nonstandard") == [Verdict.PASS]
    admin = make_user("admin1", "admin")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/wording/wordingentry/add/",
        {
            "phrase": "翔安新区",
            "correct": "翔安区",
            "category": "地名",
            "severity": "nonstandard",
            "source": "区划调整公告",
            "exceptions": "",
            "note": "",
            "active": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = WordingEntry.objects.get(phrase="翔安新区").history.first()
    assert record.history_user == admin and record.history_type == "+"
    [finding] = run_check("wording.nonstandard", SITE, AS_OF)
    assert finding.verdict is Verdict.UNCERTAIN and "「翔安新区」" in finding.message
    WordingEntry.objects.filter(phrase="翔安新区").update(active=False)
    item = WordingEntry.objects.get(phrase="翔安新区")
    item.save()  # a saved change makes a new history record, hence a new dictionary version
    assert verdicts("wording.nonstandard") == [Verdict.PASS]


def test_a_database_entry_overrides_the_built_in_one():
    entry(phrase="北朝鲜", correct="朝鲜", category="国名称谓", severity="serious", must_not_use=False)
    [hit] = matcher().scan("北朝鲜宣布阅兵。")
    assert hit.verdict == "UNCERTAIN"  # built in it is a must-not-use phrase (FAIL)


def test_the_admin_change_list_offers_import_and_export():
    client = Client()
    client.force_login(make_user("admin1", "admin"))
    page = client.get("/admin/wording/wordingentry/").content.decode()
    assert "导入 XLSX" in page and "导出全部（XLSX）" in page
    assert client.get("/admin/wording/wordingentry/import/").status_code == 200


def test_export_then_import_round_trips_and_updates_by_phrase():
    entry(exceptions="翔安新区管委会旧址")
    data = export_xlsx(ENTRIES, WordingEntry.objects.all())
    WordingEntry.objects.all().update(correct="改过")
    assert import_xlsx(ENTRIES, data, "dict.xlsx") == (0, 1)
    again = WordingEntry.objects.get()
    assert again.correct == "翔安区" and again.exception_list() == ["翔安新区管委会旧址"]


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_file_with_a_bad_row_is_refused_whole_with_row_and_column():
    header = ["错误写法", "建议写法", "类别", "严重程度", "出处", "禁用词"]
    rows = [
        header,
        ["按装", "安装", "错字", "错别字", "常见错别字", "否"],
        ["坏词", "好词", "测试", "很严重", "测试", "否"],
        ["错词", "对词", "测试", "不规范表述", "测试", "是"],
    ]
    with pytest.raises(ImportRejected) as info:
        import_xlsx(ENTRIES, xlsx(rows), "dict.xlsx")
    text = "\n".join(info.value.errors)
    assert "第 3 行，列“严重程度”" in text and "第 4 行，列“禁用词（原样出现即判不合格）”" not in text
    assert "第 4 行" in text and "只有严重表述错误的词条可以设为禁用词" in text
    assert WordingEntry.objects.count() == 0
    assert import_xlsx(ENTRIES, xlsx(rows[:2]), "dict.xlsx") == (1, 0)
    with pytest.raises(ImportRejected, match="缺少必需的列：出处"):
        import_xlsx(ENTRIES, xlsx([header[:4]]), "dict.xlsx")


def test_the_city_leaders_imported_from_xlsx_are_judged_and_audited():
    rows = [
        ["姓名", "分组", "排序", "现任职务", "本地唯一职务", "曾任职务", "出处"],
        ["陈明远", "市委常委", 1, "市委书记、书记", "市委书记", "市长 2024-01-15", "市委公告"],
        ["林晓东", "市委常委", 2, "市长", "市长", "", "市政府公告"],
    ]
    assert import_xlsx(LEADERS, xlsx(rows), "leaders.xlsx") == (2, 0)
    assert LeaderEntry.objects.get(name="陈明远").history.count() == 1
    hits = [
        (h.verdict, h.phrase) for h in matcher().scan("市长陈明远、市委书记林晓东出席。林晓东、陈明远讲话。")
    ]
    assert hits == [
        ("UNCERTAIN", "市长陈明远"),  # his former title: a date-less page may be old
        ("FAIL", "市委书记林晓东"),
        ("UNCERTAIN", "林晓东、陈明远"),
    ]
    assert matcher().scan("陈明远书记、林晓东市长出席。") == []
    bad = [rows[0], ["王五", "市委常委", "", "市长", "市委书记", "市长 2024-13-01", "测试"]]
    with pytest.raises(ImportRejected) as info:
        import_xlsx(LEADERS, xlsx(bad), "leaders.xlsx")
    text = "\n".join(info.value.errors)
    assert "第 2 行，列“本地唯一职务”：「市委书记」不在现任职务中" in text
    assert "第 2 行，列“曾任职务”：第 1 行的日期无效：2024-13-01" in text


def test_the_leaders_admin_page_lists_and_exports():
    LeaderEntry.objects.create(name="陈明远", group="市委常委", titles="市委书记", source="测试")
    client = Client()
    client.force_login(make_user("admin1", "admin"))
    page = client.get("/admin/wording/leaderentry/").content.decode()
    assert "陈明远" in page and "导入 XLSX" in page
    response = client.get("/admin/wording/leaderentry/export/")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[2]][:4] == ["陈明远", "市委常委", None, "市委书记"]


def test_a_false_hit_remembered_for_the_site_does_not_come_back():
    from gongkai.web.wording.models import WordingAllowance

    entry()
    assert verdicts("wording.nonstandard") == [Verdict.UNCERTAIN]
    WordingAllowance.objects.create(
        url_prefix="http://www.xa.example.gov.cn/xw/", phrase="翔安新区建设推进会", check_id="wording.nonstandard",
        reason="会议名称照录",
    )  # fmt: skip
    [finding] = run_check("wording.nonstandard", SITE, AS_OF)
    assert finding.verdict is Verdict.PASS and "1 处已按允许清单排除" in finding.message
    other = SiteModel(site="http://www.other.example.gov.cn/", pages=(SITE.pages[0],))
    assert [f.verdict for f in run_check("wording.nonstandard", other, AS_OF)] == [Verdict.UNCERTAIN]
