from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.web.plans.models import Plan, PlanSource

HEADER = [
    "序号",
    "工作领域",
    "任务内容",
    "任务来源",
    "条款",
    "牵头单位",
    "配合单位",
    "完成时限",
    "完成标准",
    "佐证材料",
    "对应栏目",
    "对应检查或数据",
]


def xlsx(rows: list[list], title: str = "2026年政务公开工作要点任务分解表", header=HEADER) -> bytes:
    """A 任务分解表 as offices keep it: a title line above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=2026, title="2026年政务公开工作要点任务分解表")
    PlanSource.objects.create(
        plan=plan, level="national", title="2026年政务公开工作要点", number="国办发〔2026〕8号"
    )
    PlanSource.objects.create(
        plan=plan, level="province", title="福建省2026年政务公开工作要点", number="闽政办〔2026〕12号"
    )
    return plan


TASK_ROWS = [
    [
        1,
        "政策解读",
        "重要政策文件与解读材料同步起草、同步审签、同步发布",
        "国办发〔2026〕8号",
        "第三条第（一）项",
        "云岭市财政局",
        "云岭市教育局",
        "每季度",
        "每季度至少发布解读3篇，图解、视频等多种形式",
        "数字",
        "政策解读",
        "interpretation.missing",
    ],
    [
        2,
        "结果公开",
        "公开2025年度部门决算",
        "省",
        "第二条第（四）项",
        "云岭市财政局",
        "",
        "2026年8月底前",
        "决算公开链接",
        "链接",
        "财政预决算",
        "",
    ],
    [
        3,
        "组织领导",
        "召开政务公开领导小组会议，研究部署年度工作",
        "",
        "",
        "云岭市南湖县人民政府、云岭市教育局",
        "",
        "2026-06-30",
        "会议纪要",
        "文件",
        "",
        "",
    ],
]
