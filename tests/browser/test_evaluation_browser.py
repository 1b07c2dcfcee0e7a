"""In a real browser: an evaluator scores a manual item and a second evaluator reviews it; a liaison answers
an item of its problem list and cannot see another unit's."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import ManualScore, Round, RoundUnit, StoredFinding, UnitResult
from gongkai.web.rectification import services as rectification
from gongkai.web.rectification.models import ProblemItem
from gongkai.web.testing import make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored_round():
    """A round whose units were checked (findings stored directly, as a crawl would have left them)."""
    own = make_unit("临江市财政局", short_name="市财政局", website="http://czj.example.gov.cn/")
    other = make_unit("临江市教育局", short_name="市教育局", website="http://jyj.example.gov.cn/")
    round_ = Round.objects.create(
        name="2026年第一季度网上测评",
        framework_id="zwgk-2026",
        framework_version="2026.1",
        as_of=dt.date(2026, 3, 30),
        state="scoring",
    )
    framework = services.framework_of(round_)
    auto_leaf = next(leaf for leaf in framework.leaves() if leaf.checks)
    for unit in (own, other):
        ru = RoundUnit.objects.create(
            round=round_, unit=unit, group="department", status="done", url=unit.website
        )
        StoredFinding.objects.create(
            round_unit=ru,
            check_id=auto_leaf.checks[0].check,
            item=auto_leaf.path,
            verdict="FAIL",
            subject="通知公告",
            message=f"{unit.short_name}“通知公告”栏目超过6个月未更新",
            evidence=[
                {"url": unit.website + "tzgg/", "snippet": "最新一条：2025-06-01", "record": "urn:uuid:1"}
            ],
        )
    services.score_round(round_)
    return round_, own, other, framework


def test_evaluator_scores_a_manual_item_and_another_reviews_it(page, live_server, login, scored_round):
    round_, own, _other, framework = scored_round
    leaf = next(leaf for leaf in framework.leaves() if leaf.manual and "department" in leaf.applies_to)
    make_user("pinggu", "evaluator")
    make_user("pinggu2", "evaluator")
    ru = RoundUnit.objects.get(round=round_, unit=own)

    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    assert "超过6个月未更新" in page.inner_text("main")  # automatic evidence is shown
    page.locator("tr", has_text=leaf.path).get_by_role("link", name="评分", exact=True).click()
    page.fill("#id_points", str(leaf.points + 1))
    page.click("text=保存评分")
    assert "得分应在 0 到" in page.inner_text("main")  # more than the item's points is refused
    page.fill("#id_points", str(leaf.points))
    page.fill("#id_note", "专栏内容完整，查看了三个页面")
    page.fill("#id_evidence_url", "http://czj.example.gov.cn/zwgk/")
    page.click("text=保存评分")
    assert "已保存" in page.inner_text("main") and "得分和排名已更新" in page.inner_text("main")
    score = ManualScore.objects.get(round_unit=ru, item=leaf.path)
    assert score.points == leaf.points and score.evaluator.username == "pinggu" and score.reviewed_by is None

    page.context.clear_cookies()
    login("pinggu2")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    page.click("text=复核通过")
    score.refresh_from_db()
    assert score.reviewed_by.username == "pinggu2"
    assert score.history.count() >= 2  # scoring and review are both audited


def test_a_false_alarm_lifts_the_score_and_ranking_follows_the_rate(page, live_server, login, scored_round):
    round_, own, other, _framework = scored_round
    make_user("pinggu", "evaluator")
    before = UnitResult.objects.get(round_unit__unit=own)
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    page.click("text=复核检查结论（核减）")
    page.click("text=查看和复核")
    row = page.locator("tr", has_text="市财政局").filter(has_text="超过6个月未更新")
    assert "2025-06-01" in row.inner_text()  # the evidence beside the finding
    row.locator("input[type=checkbox]").check()
    page.select_option("#id_decision", "false_alarm")
    page.fill("#id_reason", "栏目在2026年3月有更新，抓取时未读到分页")
    page.click("text=对选中的结论作出复核")
    assert "已复核 1 条检查结论" in page.inner_text("main")
    after = UnitResult.objects.get(round_unit__unit=own)
    assert after.total > before.total and before.tied and (after.rank, after.tied) == (1, False)
    assert UnitResult.objects.get(round_unit__unit=other).rank == 2
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    assert "按综合得分率排序" in page.inner_text("main")
    ranking = page.locator("table.table").first.inner_text()
    assert ranking.index("市财政局") < ranking.index("市教育局")  # the lifted unit now ranks first


def test_publishing_is_blocked_then_allowed_with_an_audited_override(page, live_server, login, scored_round):
    round_, _own, _other, _framework = scored_round
    make_user("pinggu", "evaluator")
    make_user("guanli", "admin")
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    gate = page.locator("#round-gate").inner_text()  # the round's own page says why it cannot be published
    assert "发布检查：尚不能发布" in gate and "人工评分项待评" in gate and "临江市财政局" in gate
    page.click("text=发布结果…")
    assert "尚不能发布" in page.inner_text("main") and "人工评分项待评" in page.inner_text("main")
    assert page.locator("text=确认发布").count() == 0  # an evaluator cannot publish past the gate
    page.context.clear_cookies()
    login("guanli")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/publish/")
    page.fill("#id_override_reason", "人工评分项经领导同意下季度补评")
    page.click("text=写明理由后发布")
    assert "测评结果已发布" in page.inner_text("main")
    round_.refresh_from_db()
    assert round_.state == "published" and round_.publish_override.startswith("人工评分项经领导同意")
    assert "经领导同意" not in page.inner_text("main")
    assert round_.history.filter(publish_override__startswith="人工评分项").exists()


def test_an_appeal_granted_by_an_evaluator_is_seen_by_the_liaison(page, live_server, login, scored_round):
    round_, own, _other, _framework = scored_round
    make_user("pinggu", "evaluator")
    make_user("caizheng", "liaison", unit=own)
    ru = RoundUnit.objects.get(round=round_, unit=own)
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    page.click("text=发布初步结果、开放申诉")
    assert "申诉期" in page.inner_text("main")

    page.context.clear_cookies()
    login("caizheng")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    page.locator("tr", has_text="超过6个月未更新").get_by_role("link", name="申诉").click()
    page.fill("#id_reason", "通知公告栏目2026年3月已有更新")
    page.fill("#id_links", "http://czj.example.gov.cn/tzgg/202603.html")
    page.click("text=提交申诉")
    assert "已提交申诉" in page.inner_text("main") and "待处理" in page.inner_text("main")

    page.context.clear_cookies()
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/appeals/")
    row = page.locator("tr.appeal-row", has_text="临江市财政局")
    row.locator("select[name=decision]").select_option("granted")
    row.locator("textarea[name=note]").fill("核实该栏目已按期更新，原结论为误报")
    row.get_by_role("button", name="提交处理意见").click()
    assert "已处理申诉" in page.inner_text("main")

    page.context.clear_cookies()
    login("caizheng")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    text = page.inner_text("main")
    assert "申诉成立" in text and "核实该栏目已按期更新" in text


def test_evidence_is_replayed_from_the_archive_with_its_snippet_highlighted(
    page, live_server, login, tmp_path
):
    from pathlib import Path

    from gongkai.crawl.archive import ArchiveWriter

    home = "http://hdzfxxgk.hd.gov.cn/"
    body = Path("/work/shared/corpus/gov_pages/handan-xxgk-list-jinqixxgk-2020.html").read_bytes()
    body = body.replace(b"</body>", b"<script>document.title='SCRIPT RAN'</script></body>")
    writer = ArchiveWriter(tmp_path / "hd.warc.gz")
    record = writer.write_response(home, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body)
    writer.close()
    unit = make_unit("邯郸市教育局", short_name="市教育局", website=home)
    round_ = Round.objects.create(
        name="测评",
        framework_id="zwgk-2026",
        framework_version="2026.1",
        as_of=dt.date(2026, 3, 30),
        state="scoring",
    )
    ru = RoundUnit.objects.create(
        round=round_,
        unit=unit,
        group="department",
        status="done",
        url=home,
        archive=str(tmp_path / "hd.warc.gz"),
    )
    snippet = "000014348/2020-35428"
    StoredFinding.objects.create(
        round_unit=ru, check_id="column.stale", item="主动公开", verdict="FAIL", subject="近期信息公开",
        message="栏目最新信息早于允许的期限", evidence=[{"url": home, "snippet": snippet, "record": record}],
    )  # fmt: skip
    make_user("pinggu", "evaluator")
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    page.click("text=查看存档页面")
    assert "北京时间" in page.inner_text("main") and snippet in page.inner_text("main")
    frame = page.frame_locator("iframe.archive-frame")
    assert frame.locator("mark#evidence").inner_text() == snippet
    assert "SCRIPT RAN" not in page.frames[-1].title()


def test_liaison_answers_its_problem_in_the_browser(page, live_server, login, scored_round):
    round_, own, other, _framework = scored_round
    rectification.generate_problem_lists(round_, start=dt.date(2026, 4, 1))
    mine = ProblemItem.objects.get(round=round_, unit=own)
    theirs = ProblemItem.objects.get(round=round_, unit=other)
    make_user("caizheng", "liaison", unit=own)

    login("caizheng")
    page.click("text=整改")
    assert "临江市财政局" in page.inner_text("main") and "临江市教育局" not in page.inner_text("main")
    page.goto(f"{live_server.url}/rectification/items/{mine.pk}/")
    page.select_option("#id_status", "暂不整改")
    page.click("text=提交答复")
    assert "必须在情况说明中写明理由" in page.inner_text("main")
    page.select_option("#id_status", "暂不整改")
    page.fill("#id_explanation", "涉及涉密内容，经审查后不予公开")
    page.click("text=提交答复")
    assert "已提交整改答复" in page.inner_text("main")
    mine.refresh_from_db()
    assert mine.status == "answered" and mine.answers.get().explanation.startswith("涉及涉密")

    response = page.goto(f"{live_server.url}/rectification/items/{theirs.pk}/")
    assert response.status == 404


def test_the_ranking_follows_the_rate_when_units_max_scores_differ(page, live_server, login, scored_round):
    """市财政局 has a manual item scored at half its points: its raw score is higher than 市教育局's, whose
    manual items are not scored yet, but its 应得分 is higher still, so its 得分率 and its rank are lower."""
    round_, own, other, framework = scored_round
    leaf = next(x for x in framework.leaves() if x.manual and not x.checks and "department" in x.applies_to)
    ru = RoundUnit.objects.get(round=round_, unit=own)
    ManualScore.objects.create(
        round_unit=ru, item=leaf.path, points=leaf.points / 2, evaluator=make_user("pinggu", "evaluator")
    )
    services.score_round(round_)
    mine, theirs = (
        UnitResult.objects.get(round_unit__round=round_, round_unit__unit=u) for u in (own, other)
    )
    assert mine.total > theirs.total and mine.max > theirs.max and mine.rate < theirs.rate  # the set-up
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    rows = page.locator("table.table").first.locator("tr").all_inner_texts()[1:]
    assert (
        "市教育局" in rows[0]
        and rows[0].startswith("1")
        and "市财政局" in rows[1]
        and rows[1].startswith("2")
    )
    assert (
        f"{mine.total:.2f}" in rows[1] and f"{theirs.total:.2f}" in rows[0]
    )  # the higher score ranks second
    assert "按综合得分率排序" in page.inner_text("main")


def test_archived_images_show_in_the_replay_and_missing_ones_as_placeholders(
    page, live_server, login, tmp_path
):
    import base64

    from gongkai.crawl.archive import ArchiveWriter

    home = "http://czj.example.gov.cn/"
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    body = (
        '<html><head><title>云岭市财政局</title><link rel="stylesheet" href="/s.css"></head><body>'
        '<img id="logo" src="/logo.png" alt="网站标志"><img src="/banner.jpg" alt="横幅"><p>通知公告</p></body></html>'
    )
    writer = ArchiveWriter(tmp_path / "czj.warc.gz")
    writer.write_response(home, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body.encode())
    writer.write_response(home + "logo.png", 200, "OK", [("Content-Type", "image/png")], png)
    writer.write_response(home + "s.css", 200, "OK", [("Content-Type", "text/css")], b"p{color:rgb(1, 2, 3)}")
    writer.close()
    unit = make_unit("云岭市财政局", short_name="市财政局", website=home)
    round_ = Round.objects.create(
        name="测评",
        framework_id="zwgk-2026",
        framework_version="2026.1",
        as_of=dt.date(2026, 3, 30),
        state="scoring",
    )
    ru = RoundUnit.objects.create(
        round=round_,
        unit=unit,
        group="department",
        status="done",
        url=home,
        archive=str(tmp_path / "czj.warc.gz"),
    )
    make_user("pinggu", "evaluator")
    login("pinggu")
    page.goto(f"{live_server.url}/evaluation/units/{ru.pk}/")
    page.click("text=存档页面")
    page.click("td a:has-text('云岭市财政局')")
    assert "图片 1 张抓取时未存档" in page.inner_text("main")
    frame = page.frame_locator("iframe.archive-frame")
    frame.locator("#logo").wait_for()
    assert (
        frame.locator("#logo").evaluate("img => img.complete && img.naturalWidth") == 1
    )  # shown under the CSP
    assert "图片未存档：横幅" in frame.locator("body").inner_text()
    assert frame.locator("p").evaluate("p => getComputedStyle(p).color") == "rgb(1, 2, 3)"  # its stylesheet
