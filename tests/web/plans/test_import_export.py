"""The office's 任务分解表 goes in and comes back out: all or nothing, with row-precise Chinese errors."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.plans.conftest import TASK_ROWS, xlsx

from gongkai.web.plans.io import ImportRejected, export_tasks, import_tasks
from gongkai.web.plans.models import Assignment, Task
from gongkai.web.plans.services import submit_progress


def test_import_creates_tasks_with_sources_units_and_deadlines(city, plan):
    result = import_tasks(plan, xlsx(TASK_ROWS), "任务分解表.xlsx")
    assert (result.created, result.updated) == (3, 0)
    t1, t2, t3 = Task.objects.filter(plan=plan).order_by("number")
    assert t1.area == "政策解读" and t1.period == "quarterly" and t1.due is None
    assert t1.source.number == "国办发〔2026〕8号" and t1.clause == "第三条第（一）项"
    assert t1.lead_names() == ["云岭市财政局"] and t1.co_names() == ["云岭市教育局"]
    assert t1.evidence_kind == "figure" and t1.evidence_source == "interpretation.missing"
    assert [p.due for p in t1.periods()][:2] == [dt.date(2026, 4, 10), dt.date(2026, 7, 10)]
    assert t2.source.level == "province" and t2.due == dt.date(2026, 8, 31) and t2.period == "once"
    assert sorted(t3.lead_names()) == ["云岭市南湖县人民政府", "云岭市教育局"]


def test_export_then_import_round_trips_unchanged(city, plan):
    import_tasks(plan, xlsx(TASK_ROWS), "任务分解表.xlsx")
    before = _snapshot(plan)
    exported = export_tasks(plan)
    result = import_tasks(plan, exported, "导出.xlsx")
    assert (result.created, result.updated) == (0, 3)
    assert _snapshot(plan) == before
    assert export_tasks(plan) != b"" and _snapshot(plan)[0][1] == "政策解读"


def test_a_file_with_bad_rows_is_refused_whole_with_one_message_per_problem(city, plan):
    rows = [
        TASK_ROWS[0],
        [
            2,
            "宣传工作",
            "",
            "部办〔2026〕1号",
            "",
            "云岭市不存在局",
            "云岭市财政局",
            "明年某时",
            "",
            "照片",
            "",
            "no.such",
        ],
        [1, "政策解读", "重复的序号", "", "", "云岭市财政局", "", "2026-02-30", "", "", "", "年报:x.y"],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_tasks(plan, xlsx(rows), "任务分解表.xlsx")
    errors = caught.value.errors
    assert "第 4 行，列“任务内容”（值“”）：不能为空" in errors
    assert any(
        e.startswith("第 4 行，列“工作领域”（值“宣传工作”）：应为以下之一：决策公开、") for e in errors
    )
    assert any(
        e.startswith("第 4 行，列“任务来源”（值“部办〔2026〕1号”）：不是本计划的来源文件；已登记：国办")
        for e in errors
    )
    assert "第 4 行，列“牵头单位”（值“云岭市不存在局”）：系统中没有这个单位" in errors
    assert any(e.startswith("第 4 行，列“完成时限”（值“明年某时”）：无法识别的完成时限") for e in errors)
    assert "第 4 行，列“佐证材料”（值“照片”）：应为链接、文件、数字或文字说明" in errors
    assert any(
        e.startswith("第 4 行，列“对应检查或数据”（值“no.such”）：不是已登记的检查项编号") for e in errors
    )
    assert "第 5 行，列“完成时限”（值“2026-02-30”）：“2026-02-30”不是有效的日期" in errors
    assert any(e.startswith("第 5 行，列“对应检查或数据”（值“年报:x.y”）：年报数字应写作") for e in errors)
    assert "第 5 行，列“序号”（值“1”）：与第 3 行重复" in errors
    assert not Task.objects.filter(plan=plan).exists()  # nothing of the file was stored


def test_a_missing_header_is_reported_before_any_row(city, plan):
    with pytest.raises(ImportRejected) as caught:
        import_tasks(plan, xlsx([TASK_ROWS[0]], header=["序号", "任务内容", "责任科室"]), "t.xlsx")
    assert caught.value.errors == ["第 2 行（表头）缺少必需的列：牵头单位"]
    with pytest.raises(ImportRejected) as caught:
        import_tasks(plan, b"not a workbook", "t.csv")
    assert "请上传 .xlsx 文件" in caught.value.errors[0]


def test_an_import_cannot_drop_a_unit_that_has_reported(city, plan, people):
    import_tasks(plan, xlsx(TASK_ROWS), "t.xlsx")
    a = Assignment.objects.get(task__number=3, unit=city["education"])
    submit_progress(a, "", "in_progress", "已起草会议方案", user=people["admin"])
    changed = [list(r) for r in TASK_ROWS]
    changed[2][5] = "云岭市南湖县人民政府"  # the education bureau is no longer named
    with pytest.raises(ImportRejected) as caught:
        import_tasks(plan, xlsx(changed), "t.xlsx")
    assert caught.value.errors == [
        "第 5 行，列“牵头单位”（值“云岭市教育局”）：该单位已报送本任务的进展，不能通过导入移除"
    ]
    assert a.progress.count() == 1


def test_unit_short_names_are_accepted_when_unique(city, plan):
    rows = [
        [1, "解读", "发布解读", "国办", "", city["finance"].short_name, "", "每年", "", "文字说明", "", ""]
    ]
    import_tasks(plan, xlsx(rows), "t.xlsx")
    task = Task.objects.get(plan=plan)
    assert task.lead_names() == ["云岭市财政局"] and task.area == "政策解读" and task.period == "yearly"


def _snapshot(plan):
    from gongkai.web.plans.io import task_row

    return [task_row(t) for t in plan.tasks.order_by("number").prefetch_related("assignments__unit")]


def test_a_bad_areas_file_is_reported_at_start_up_in_chinese(tmp_path, monkeypatch):
    from gongkai.web.plans.apps import check_areas

    bad = tmp_path / "areas.yaml"
    bad.write_text("areas:\n  - {group: 五公开}\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_PLAN_AREAS", str(bad))
    [error] = check_areas()
    assert error.id == "plans.E001" and error.msg == f"{bad}：第 1 个领域缺少名称（name）"
    monkeypatch.delenv("GONGKAI_PLAN_AREAS")
    assert check_areas() == []
