"""Liaisons report their units' progress; links are opened through the egress guard; reminders follow the
deadlines; roles scope everything and every report is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from tests.web.plans.conftest import TASK_ROWS, xlsx

from gongkai.web.core import jobs
from gongkai.web.plans import services
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Assignment, Progress, Reminder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def tasks(city, plan):
    import_tasks(plan, xlsx(TASK_ROWS), "t.xlsx")
    return {
        a.task.number * 10 + (a.unit == city["finance"]): a for a in Assignment.objects.select_related("task")
    }


def finance(number: int, city) -> Assignment:
    return Assignment.objects.get(task__number=number, unit=city["finance"])


def test_a_liaison_sees_only_its_units_tasks_and_gets_404_for_others(city, people, plan, tasks):
    c = client_for(people["liaison"])
    page = c.get(f"/plans/{plan.pk}/").content.decode()
    assert "同步起草" in page and "部门决算" in page and "领导小组会议" not in page
    other = Assignment.objects.get(task__number=3, unit=city["education"])
    assert c.get(f"/plans/assignments/{other.pk}/").status_code == 404
    assert c.get(f"/plans/tasks/{other.task_id}/").status_code == 404
    assert c.get(f"/plans/assignments/{finance(1, city).pk}/").status_code == 200
    exported = c.get(f"/plans/{plan.pk}/tasks.xlsx").content
    import io

    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["1", "2"]


def test_a_liaison_reports_progress_with_a_figure_and_the_change_is_audited(city, people, tasks):
    a = finance(1, city)
    c = client_for(people["liaison"])
    response = c.post(
        f"/plans/assignments/{a.pk}/",
        {
            "period": "Q1",
            "status": "done",
            "text": "一季度发布解读4篇，其中图解2篇",
            "figure": "4",
            "figure_label": "解读（篇）",
        },
    )
    assert response.status_code == 302
    report = Progress.objects.get(assignment=a)
    assert (report.period, report.status, report.figure, report.submitted_by) == (
        "Q1",
        "done",
        4,
        people["liaison"],
    )
    record = report.history.get()
    assert record.history_user == people["liaison"] and record.history_type == "+"
    page = c.get(f"/plans/assignments/{a.pk}/").content.decode()
    assert "一季度发布解读4篇" in page and "解读（篇） 4" in page


def test_office_roles_other_than_admin_cannot_report_and_readonly_cannot_either(city, people, tasks):
    a = finance(1, city)
    data = {"period": "Q1", "status": "in_progress", "text": "推进中"}
    assert client_for(people["evaluator"]).post(f"/plans/assignments/{a.pk}/", data).status_code == 403
    assert client_for(people["readonly"]).post(f"/plans/assignments/{a.pk}/", data).status_code == 403
    assert client_for(people["county_liaison"]).post(f"/plans/assignments/{a.pk}/", data).status_code == 404
    assert not Progress.objects.exists()


def test_done_needs_the_evidence_the_task_asks_for(city, people, tasks):
    c = client_for(people["liaison"])
    figure_task, link_task = finance(1, city), finance(2, city)
    page = c.post(
        f"/plans/assignments/{figure_task.pk}/", {"period": "Q1", "status": "done", "text": "已完成"}
    )
    assert "该任务的佐证材料为数字：报送“已完成”须填写数字" in page.content.decode()
    page = c.post(f"/plans/assignments/{link_task.pk}/", {"period": "", "status": "done"})
    assert "须至少填写一个链接" in page.content.decode()
    page = c.post(f"/plans/assignments/{link_task.pk}/", {"period": "", "status": "blocked"})
    assert "选择“未能完成”时须在工作情况中写明原因" in page.content.decode()
    page = c.post(
        f"/plans/assignments/{link_task.pk}/", {"period": "", "status": "done", "links": "ftp://x/y"}
    )
    assert "不是有效的网址" in page.content.decode()
    assert not Progress.objects.exists()


def test_attachments_are_checked_by_type_and_content_and_served_only_within_scope(city, people, tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = Assignment.objects.get(task__number=3, unit=city["county"])
    c = client_for(people["county_liaison"])
    fake = SimpleUploadedFile("会议纪要.pdf", b"MZ\x90\x00 not a pdf")
    page = c.post(f"/plans/assignments/{a.pk}/", {"period": "", "status": "done", "attachment": fake})
    assert "的内容不是 .pdf 文件" in page.content.decode()
    exe = SimpleUploadedFile("纪要.exe", b"MZ")
    assert (
        "不支持的附件类型“.exe”"
        in c.post(
            f"/plans/assignments/{a.pk}/", {"period": "", "status": "done", "attachment": exe}
        ).content.decode()
    )
    good = SimpleUploadedFile("会议纪要.pdf", PDF)
    assert (
        c.post(
            f"/plans/assignments/{a.pk}/", {"period": "", "status": "done", "attachment": good}
        ).status_code
        == 302
    )
    report = Progress.objects.get(assignment=a)
    assert b"".join(c.get(f"/plans/progress/{report.pk}/file/").streaming_content) == PDF
    assert client_for(people["liaison"]).get(f"/plans/progress/{report.pk}/file/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_links_are_opened_through_the_egress_guard(httpserver):
    from gongkai.web.testing import make_unit, make_user

    httpserver.expect_request("/zwgk/jiedu/").respond_with_data("<html><body>政策解读</body></html>")
    httpserver.expect_request("/none/").respond_with_data("没有这个页面", status=404)
    unit = make_unit("云岭市财政局", website=httpserver.url_for("/"))
    liaison = make_user("czj", "liaison", unit=unit)
    from gongkai.web.plans.models import Plan

    plan = Plan.objects.create(year=2026, title="2026年要点")
    import_tasks(
        plan,
        xlsx([[1, "政策解读", "发布解读", "", "", "云岭市财政局", "", "每季度", "", "链接", "", ""]]),
        "t.xlsx",
    )
    a = Assignment.objects.get()
    own = httpserver.url_for("/zwgk/jiedu/")
    missing = httpserver.url_for("/none/")
    inward = f"http://127.0.0.2:{httpserver.port}/admin/"  # a private address the unit's site is not on
    services.submit_progress(a, "Q1", "done", "", [own, missing, inward], user=liaison)
    jobs.run_pending()
    checks = {c["url"]: c for c in Progress.objects.get().link_checks}
    assert (
        checks[own]["state"] == "ok"
        and checks[own]["own_site"]
        and checks[own]["message"] == "可以访问（HTTP 200）"
    )
    assert checks[missing]["state"] == "failed" and "HTTP 404" in checks[missing]["message"]
    assert checks[inward]["state"] == "failed" and not checks[inward]["own_site"], checks[inward]
    assert checks[inward]["message"].startswith("未访问：127.0.0.2 为回环地址")
    assert not any(r.url.endswith("/admin/") for r, _ in httpserver.log)  # never asked


def test_reminders_for_overdue_and_due_soon_periods_reach_the_liaisons_home_page(city, people, tasks):
    today = dt.date(2026, 7, 5)  # Q1 overdue (due 04-10), Q2 due in 5 days (07-10)
    services.refresh_reminders(today)
    a = finance(1, city)
    kinds = set(Reminder.objects.filter(assignment=a).values_list("period", "kind"))
    assert kinds == {("Q1", "overdue"), ("Q2", "due_soon")}
    assert services.refresh_reminders(today) == 0  # once per period and kind
    home = client_for(people["liaison"]).get("/").content.decode()
    assert "第一季度已超过完成时限（2026-04-10）" in home and "第二季度将于 2026-07-10 到期" in home
    assert "领导小组会议" not in home  # another unit's task
    county_home = client_for(people["county_liaison"]).get("/").content.decode()
    assert "同步起草" not in county_home

    services.submit_progress(a, "Q1", "done", "", figure=3, user=people["liaison"])
    assert not Reminder.objects.filter(assignment=a, period="Q1").exists()
    states = {s.period.key: s.state for s in services.period_states(a, today)}
    assert states == {"Q1": "done", "Q2": "due_soon", "Q3": "open", "Q4": "future"}


def test_completion_counts_due_periods_and_those_done_early(city, people, tasks, plan):
    services.submit_progress(finance(1, city), "Q1", "done", "", figure=3)
    services.submit_progress(finance(1, city), "Q3", "done", "", figure=2)  # early
    services.submit_progress(finance(2, city), "", "in_progress", "决算草案待批复")
    c = services.completion(plan, dt.date(2026, 7, 20))[city["finance"].pk]
    # due by 07-20: Q1, Q2 of task 1; task 2 (08-31) is not due; Q3 done early counts
    assert (c.done, c.counted, c.overdue, c.rate) == (2, 3, 1, 66.7)


def test_the_office_gets_completion_rates_to_paste_into_the_annual_assessment(city, people, tasks, plan):
    services.submit_progress(finance(1, city), "Q1", "done", "", figure=3)
    assert services.assessment_scores(plan, dt.date(2026, 4, 30)) == {"云岭市财政局": 100.0}
    assert services.assessment_scores(plan, dt.date(2026, 9, 1)) == {
        "云岭市财政局": 33.3,  # Q1 done of Q1, Q2 and task 2 (08-31)
        "云岭市南湖县人民政府": 0.0,  # task 3 (06-30) not reported
        "云岭市教育局": 0.0,
    }
    rates = services.assessment_scores(plan)  # as of today, on the plan page
    page = client_for(people["evaluator"]).get(f"/plans/{plan.pk}/").content.decode()
    assert f"云岭市财政局 {rates['云岭市财政局']:g}" in page and "云岭市南湖县人民政府 0" in page
    assert "计入年度绩效考评" not in client_for(people["liaison"]).get(f"/plans/{plan.pk}/").content.decode()
