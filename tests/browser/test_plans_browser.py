"""A liaison reports progress on its unit's 工作要点 task with a real browser: from the reminder on the home page
to the report form, and sees its report listed; another unit's task is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.plans.conftest import TASK_ROWS, xlsx

from gongkai.web.plans import services
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Assignment, Plan, PlanSource, Progress
from gongkai.web.testing import make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_liaison_reports_quarterly_progress_from_a_reminder(page, live_server, login):
    finance = make_unit("云岭市财政局", website="http://czj.example.gov.cn/")
    make_unit("云岭市教育局")
    make_unit("云岭市南湖县人民政府", group="county")
    make_user("caizheng", "liaison", unit=finance)
    plan = Plan.objects.create(year=2026, title="2026年政务公开工作要点任务分解表")
    PlanSource.objects.create(
        plan=plan, level="national", title="2026年政务公开工作要点", number="国办发〔2026〕8号"
    )
    PlanSource.objects.create(plan=plan, level="province", title="福建省2026年政务公开工作要点")
    import_tasks(plan, xlsx(TASK_ROWS), "t.xlsx")
    services.refresh_reminders(dt.date(2026, 4, 12))  # Q1 of the quarterly task is two days overdue

    login("caizheng")
    reminder = page.locator("text=第一季度已超过完成时限（2026-04-10）")
    assert reminder.count() == 1
    reminder.click()
    assert "云岭市财政局 · 任务 1" in page.inner_text("h1")
    assert "国办：2026年政务公开工作要点（国办发〔2026〕8号）" in page.inner_text("main")

    page.select_option("#id_period", "Q1")
    page.select_option("#id_status", "done")
    page.fill("#id_text", "一季度发布政策解读4篇，其中图解2篇")
    page.fill("#id_figure", "4")
    page.fill("#id_figure_label", "解读（篇）")
    page.click("button:has-text('提交报送')")
    assert "已报送进展" in page.inner_text(".messages")
    history = page.locator("table.history").inner_text()
    assert (
        "第一季度" in history
        and "已完成" in history
        and "一季度发布政策解读4篇" in history
        and "解读（篇） 4" in history
    )
    report = Progress.objects.get()
    assert (report.period, report.status, report.submitted_by.username) == ("Q1", "done", "caizheng")

    other = Assignment.objects.get(task__number=3, unit__name="云岭市教育局")
    response = page.goto(f"{live_server.url}/plans/assignments/{other.pk}/")
    assert response.status == 404
