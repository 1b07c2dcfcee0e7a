"""The demo's 工作要点: the year's plan of 临江市 with its sources, a dozen tasks imported from a 任务分解表 workbook
(through the same all-or-nothing import as the office's), progress reported by the units (some done with
figures and links to their own sites, checked through the egress guard; some overdue, one due soon), the
reminders, and the 落实情况 report's text prefilled from the progress."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl

from gongkai.web.core.jobs import run_pending
from gongkai.web.plans import report, services
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Assignment, Plan, PlanSource
from gongkai.web.plans.sheet import COLUMNS

SOURCES = [
    ("national", "2026年政务公开工作要点", "国办发〔2026〕8号"),
    ("province", "福建省2026年政务公开工作要点", "闽政办〔2026〕21号"),
    ("city", "临江市2026年政务公开工作要点", "临政办〔2026〕15号"),
]


def _tasks(year: int, as_of: dt.date) -> list[list]:
    """(序号, 领域, 内容, 来源, 条款, 牵头, 配合, 时限, 标准, 佐证, 栏目, 检查或数据); dates relative to as_of so that
    some tasks are overdue and one is due soon whenever the demo runs."""

    def day(delta: int) -> str:
        return min(
            max(as_of + dt.timedelta(days=delta), dt.date(year, 1, 1)), dt.date(year, 12, 31)
        ).isoformat()

    return [
        [1, "决策公开", "公开年度重大行政决策事项目录，决策草案公开征求意见不少于30日", "国办", "第二条第（一）项",
         "棠庄区人民政府、临江市财政局", "", day(-40), "目录和征求意见页面已公开", "链接", "重大决策预公开", ""],
        [2, "执行公开", "按季度公开重点工作任务进展和督查情况", "市", "第二条第（二）项",
         "临江市财政局", "临江市教育局", "每季度", "每季度公开一次进展", "链接", "", ""],
        [3, "管理公开", "公示行政执法主体、依据、程序和结果（行政执法“三项制度”）", "省", "第三条第（二）项",
         "临江市生态环境局", "", day(-20), "执法公示专栏内容完整", "链接", "行政执法", ""],
        [4, "服务公开", "更新乡镇（街道）公共服务事项办事指南", "市", "第四条",
         "棠庄区白屏镇人民政府、清岭县岚桥镇人民政府", "", day(20), "办事指南要素齐全", "链接", "办事指南", "guide.elements"],
        [5, "结果公开", "公开2025年度部门决算和“三公”经费决算", "国办", "第二条第（四）项",
         "临江市财政局", "", day(-60), "公开决算的部门数", "数字", "财政预决算", ""],
        [6, "政策解读", "重要政策文件与解读材料同步起草、同步审签、同步发布，丰富图解、视频等解读形式", "国办",
         "第三条第（一）项", "临江市财政局、临江市教育局", "", "每季度", "每季度发布解读不少于3篇", "数字",
         "政策解读", "interpretation.missing"],
        [7, "回应关切", "建立政务舆情监测和回应机制，对涉及本地的重要舆情及时回应", "省", "第三条第（三）项",
         "棠庄区人民政府", "", "每半年", "回应情况说明", "文字说明", "", ""],
        [8, "平台建设", "政府网站栏目常态化更新，杜绝空白栏目和长期不更新栏目", "市", "第五条第（一）项",
         "临江市自然资源和规划局、临江市文化和旅游局", "", "每季度", "无空白、不更新栏目", "链接", "通知公告",
         "column.stale"],
        [9, "组织领导", "召开政务公开领导小组会议，研究部署年度政务公开工作", "市", "第六条",
         "棠庄区人民政府、清岭县人民政府", "", day(-90), "会议纪要", "文字说明", "", ""],
        [10, "制度建设", "修订依申请公开工作制度，规范受理、办理、答复流程", "省", "第六条第（二）项",
         "临江市财政局", "", day(5), "印发的制度文件", "链接", "", ""],
        [11, "结果公开", "按时发布2025年政府信息公开工作年度报告", "国办", "第五条第（三）项",
         "临江市财政局、临江市教育局、棠庄区人民政府", "", day(-120), "年报链接", "链接", "政府信息公开年报",
         "年报:t2.normative_documents.made"],
        [12, "服务公开", "公开便民服务事项清单并动态调整", "市", "第四条第（二）项",
         "翠屏县人民政府", "翠屏县松源镇人民政府", "每年", "清单链接", "链接", "", ""],
    ]  # fmt: skip


def _workbook(title: str, rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([h for h, _ in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_demo(ctx: Any) -> list[str]:
    as_of: dt.date = ctx.options["as_of"]
    year = as_of.year
    if Plan.objects.filter(year=year).exists():
        return [f"{year}年工作要点已存在，直接使用"]
    plan = Plan.objects.create(year=year, title=f"临江市{year}年政务公开工作要点任务分解表")
    for level, title, number in SOURCES:
        PlanSource.objects.create(
            plan=plan, level=level, title=title.replace("2026", str(year)), number=number
        )
    result = import_tasks(plan, _workbook(plan.title, _tasks(year, as_of)), "任务分解表.xlsx")
    _report_progress(plan, ctx, as_of)
    run_pending()  # the link checks the reports queued
    services.refresh_reminders(as_of)
    report.blocks(plan)  # the 落实情况 report's text, prefilled from the progress
    c = services.completion(plan, as_of)
    done = sum(x.done for x in c.values())
    overdue = sum(x.overdue for x in c.values())
    lines = [
        f"已导入{plan.title}：{result.created} 项任务；各单位已报送进展，已完成 {done} 项次、逾期 {overdue} 项次"
    ]
    return lines + _assessment(plan, as_of)


def _assessment(plan: Plan, as_of: dt.date) -> list[str]:
    """The year's 绩效考评: the demo round (80%) and the 工作要点 item scored from lead-task completion (20%)."""
    from gongkai.web.evaluation.demo import DEMO_ROUND
    from gongkai.web.evaluation.models import Assessment, Round

    round_ = Round.objects.filter(name=DEMO_ROUND).first()
    name = f"{plan.year}年度政务公开绩效考评"
    if round_ is None or Assessment.objects.filter(name=name).exists():
        return []
    scores = services.assessment_scores(plan, as_of)
    Assessment.objects.create(
        name=name,
        year=plan.year,
        rounds=[{"round": round_.pk, "weight": 0.8}],
        other_items=[{"name": "工作要点落实（牵头任务完成率）", "weight": 0.2, "scores": scores}],
    )
    return [f"已建立“{name}”：网上测评占 80%，工作要点任务完成率占 20%（{len(scores)} 个单位有到期任务）"]


def _report_progress(plan: Plan, ctx: Any, as_of: dt.date) -> None:
    server, fleet = ctx.options["server"], ctx.options["fleet"]
    users = ctx.users

    def who(a: Assignment):
        """The unit's own liaison where the demo has one (财政局, 棠庄区 and its towns), else the office."""
        if a.unit.short_name == "市财政局":
            return users.get("caizheng")
        if a.unit.short_name == "棠庄区" or (a.unit.parent and a.unit.parent.short_name == "棠庄区"):
            return users.get("quxian")
        return users.get("admin")

    def link(a: Assignment) -> list[str]:
        return [server.url_of(fleet.site(a.unit.name))]

    for a in Assignment.objects.filter(task__plan=plan).select_related("task__plan", "unit__parent"):
        n, unit = a.task.number, a.unit.short_name
        states = services.period_states(a, as_of)
        due = [s.period for s in states if s.period.due is not None and s.period.due < as_of]
        if n == 1 and unit == "市财政局":
            services.submit_progress(
                a, "", "done", "已公开本部门重大行政决策事项目录3项", link(a), user=who(a)
            )
        elif n == 2:
            for p in due[:-1]:  # the latest due quarter is left unreported: overdue
                services.submit_progress(a, p.key, "done", f"{p.label}公开重点工作进展", link(a), user=who(a))
        elif n == 5:
            services.submit_progress(
                a,
                "",
                "done",
                "市直部门决算已在财政预决算专栏统一公开",
                link(a),
                42,
                "公开决算的部门（个）",
                user=who(a),
            )
        elif n == 6 and unit == "市财政局":
            for i, p in enumerate(due):
                services.submit_progress(
                    a, p.key, "done", f"{p.label}发布政策解读{3 + i}篇，其中图解1篇", link(a), 3 + i, "解读（篇）",
                    user=who(a),
                )  # fmt: skip
        elif n == 9 and unit == "棠庄区":
            services.submit_progress(
                a, "", "done", "区政府召开政务公开领导小组会议，部署年度重点任务", user=who(a)
            )
        elif n == 10:
            services.submit_progress(a, "", "in_progress", "制度修订稿已征求法制机构意见", user=who(a))
        elif n == 11 and unit == "市财政局":
            services.submit_progress(a, "", "done", "年度报告已于1月下旬在专栏发布", link(a), user=who(a))
        elif n == 11 and unit == "棠庄区":
            services.submit_progress(a, "", "blocked", "年报数据与上级平台口径不一致，正在核对", user=who(a))
