"""The 落实情况 report: text blocks prefilled from the units' progress, edited by the office, written as a DOCX in
the office's layout; the XLSX of every task with its status; a unit's own report; offered evidence."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.test import Client
from tests.web.plans.conftest import TASK_ROWS, xlsx

from gongkai.web.plans import evidence, services
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Assignment, ReportBlock


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def reported(city, plan, people):
    import_tasks(plan, xlsx(TASK_ROWS), "t.xlsx")
    fin = {a.task.number: a for a in Assignment.objects.filter(unit=city["finance"]).select_related("task")}
    services.submit_progress(
        fin[1],
        "Q1",
        "done",
        "一季度发布解读4篇，其中图解2篇",
        ["http://czj.example.gov.cn/jd/1.html"],
        4,
        "解读（篇）",
    )
    services.submit_progress(fin[2], "", "blocked", "决算尚未经人大批准")
    return plan


def docx_text(data: bytes) -> tuple[list[str], list[list[str]]]:
    d = docx.Document(io.BytesIO(data))
    return [p.text for p in d.paragraphs], [[c.text for c in r.cells] for t in d.tables for r in t.rows]


def test_the_report_is_prefilled_from_progress_edited_and_downloaded_in_the_office_layout(people, reported):
    plan = reported
    c = client_for(people["admin"])
    page = c.get(f"/plans/{plan.pk}/report/").content.decode()
    assert "重点工作落实情况：开展政策解读情况" in page
    area = ReportBlock.objects.get(plan=plan, key="area:政策解读")
    assert area.text == (
        "一是重要政策文件与解读材料同步起草、同步审签、同步发布。云岭市财政局：一季度发布解读4篇，其中图解2篇"
        "（解读（篇）4）（见 http://czj.example.gov.cn/jd/1.html）。"
    )
    problems = ReportBlock.objects.get(plan=plan, key="problems").text
    assert "部分任务未能完成：任务2（云岭市财政局）：决算尚未经人大批准。" in problems

    c.post(f"/plans/{plan.pk}/report/", {f"block-{area.pk}": "一是解读同步发布，全年发布解读16篇。"})
    area.refresh_from_db()
    assert area.text == "一是解读同步发布，全年发布解读16篇。" and area.history.count() == 2

    response = c.get(f"/plans/{plan.pk}/report/?download=docx")
    paragraphs, cells = docx_text(response.content)
    assert paragraphs[0] == "2026年政务公开工作要点落实情况"
    heads = [p for p in paragraphs if p.startswith(("一、", "二、", "三、", "（一）", "（二）", "（三）"))]
    assert heads[:5] == [
        "一、重点工作落实情况",
        "（一）推进“五公开”情况",
        "（二）开展政策解读情况",
        "（三）组织领导和考核监督情况",
        "二、存在问题",
    ]
    assert "一是解读同步发布，全年发布解读16篇。" in paragraphs and "三、下一步工作计划" in paragraphs
    assert cells[0] == ["序号", "工作领域", "任务内容", "责任单位", "完成时限", "完成情况"]
    assert cells[1][:4] == [
        "1",
        "政策解读",
        "重要政策文件与解读材料同步起草、同步审签、同步发布",
        "云岭市财政局（牵头单位）",
    ]
    assert (
        cells[1][5]
        == "已逾期（1/4）：一季度发布解读4篇，其中图解2篇；解读（篇）4；http://czj.example.gov.cn/jd/1.html"
    )

    c.post(f"/plans/{plan.pk}/report/", {"reset": area.key})
    area.refresh_from_db()
    assert area.text.startswith("一是重要政策文件与解读材料同步起草")


def test_the_status_xlsx_lists_every_task_and_unit_and_a_liaison_gets_its_own(people, reported):
    plan = reported
    sheet = openpyxl.load_workbook(
        io.BytesIO(client_for(people["admin"]).get(f"/plans/{plan.pk}/status.xlsx").content)
    )
    rows = list(sheet.active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 5  # task 1: finance + education, task 2: finance, task 3: county + education
    first = rows[0]
    assert first[0] == "1" and first[5] == "云岭市财政局" and first[8] == "1/4" and first[11] == "解读（篇）4"
    mine = openpyxl.load_workbook(
        io.BytesIO(client_for(people["liaison"]).get(f"/plans/{plan.pk}/status.xlsx").content)
    )
    assert {r[5] for r in mine.active.iter_rows(min_row=3, values_only=True)} == {"云岭市财政局"}


def test_a_unit_gets_its_own_report_and_not_another_units(city, people, reported):
    plan = reported
    c = client_for(people["liaison"])
    assert c.get(f"/plans/{plan.pk}/report/").status_code == 403
    paragraphs, cells = docx_text(c.get(f"/plans/{plan.pk}/units/{city['finance'].pk}/report.docx").content)
    assert paragraphs[0] == "云岭市财政局2026年政务公开工作要点落实情况"
    assert {row[3] for row in cells[1:]} == {"云岭市财政局（牵头单位）"}
    assert not any("领导小组" in p for p in paragraphs)
    assert c.get(f"/plans/{plan.pk}/units/{city['education'].pk}/report.docx").status_code == 404


def test_a_task_naming_an_annual_figure_is_offered_the_units_latest_figure(city, plan):
    from gongkai.web.annual.models import ReportRecord

    import_tasks(
        plan,
        xlsx(
            [
                [
                    1,
                    "结果公开",
                    "主动公开规章和规范性文件",
                    "",
                    "",
                    "云岭市财政局",
                    "",
                    "每年",
                    "",
                    "数字",
                    "",
                    "年报:t2.normative_documents.made",
                ]
            ]
        ),
        "t.xlsx",
    )
    task = plan.tasks.get()
    assert evidence.offered(task, city["finance"]) == [
        {"label": "年报数字", "text": "平台中还没有本单位的年度报告", "url": ""}
    ]
    ReportRecord.objects.create(
        unit=city["finance"],
        year=2025,
        source_name="x.html",
        kind="html",
        tables={"t2": {"normative_documents.made": 7}},
    )
    offered = evidence.offered(task, city["finance"])
    assert offered[0]["text"] == "2025年度年报表二「行政规范性文件·本年制发件数」：7" and offered[0]["url"].startswith(
        "/annual/"
    )


def test_a_task_naming_a_check_is_offered_the_units_findings_of_the_latest_round(city, plan):
    from tests.web.evaluation.conftest import checked_unit, new_round

    import_tasks(
        plan,
        xlsx(
            [
                [
                    1,
                    "平台建设",
                    "栏目常态化更新",
                    "",
                    "",
                    "云岭市财政局",
                    "",
                    "每季度",
                    "",
                    "链接",
                    "通知公告",
                    "column.stale",
                ]
            ]
        ),
        "t.xlsx",
    )
    task = plan.tasks.get()
    assert evidence.offered(task, city["finance"]) == []  # no round yet: nothing offered
    ru = checked_unit(new_round(), city["finance"].name, "财政局", fail_checks=("column.stale",))
    offered = evidence.offered(task, city["finance"])
    assert offered[0]["text"] == (
        "最近一次测评（2026年第一季度网上测评，数据截至 2026-03-30）检查项“栏目最新信息早于该类栏目允许的期限（动态要闻2周，通知公告/政策文件6个月，人事/规划计划1年）”：不通过 1 项。"
        "如：栏目超过6个月未更新"
    )
    assert offered[0]["url"] == f"/evaluation/units/{ru.pk}/"
