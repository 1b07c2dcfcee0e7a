"""A round scores a framework's ``plan`` item from each unit's task completion under that year's plan."""

from __future__ import annotations

import datetime as dt

from tests.web.evaluation.conftest import checked_unit
from tests.web.plans.conftest import TASK_ROWS, xlsx

from gongkai.web.evaluation import services as rounds
from gongkai.web.evaluation.models import ManualScore, Round, UnitResult
from gongkai.web.plans import services
from gongkai.web.plans.io import import_tasks
from gongkai.web.plans.models import Assignment

FRAMEWORK = """id: jinjiang-plan
version: "1"
name: 绩效考核（测试）
items:
  - name: 政务公开工作要点落实
    points: 10
    plan: true
    manual: 没有到期任务时人工核定
  - name: 栏目更新
    points: 10
    checks: [{check: column.stale, deduct: 2}]
"""


def test_the_round_scores_the_plan_item_from_task_completion(tmp_path, city, plan):
    path = tmp_path / "jinjiang-plan.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    import_tasks(plan, xlsx(TASK_ROWS), "t.xlsx")
    fin = {a.task.number: a for a in Assignment.objects.filter(unit=city["finance"]).select_related("task")}
    services.submit_progress(fin[1], "Q1", "done", "", figure=3)
    services.submit_progress(fin[1], "Q3", "done", "", figure=2)
    round_ = Round.objects.create(
        name="2026年政务公开绩效考核", framework_id=str(path), as_of=dt.date(2026, 7, 20), state="scoring"
    )
    checked_unit(round_, city["finance"].name, "财政局")
    checked_unit(round_, city["county"].name, "南湖县", group="county")
    checked_unit(round_, "云岭市水利局", "水利局")  # no task at all
    rounds.score_round(round_)
    items = {
        r.round_unit.unit.name: {i["path"]: i for i in r.items}
        for r in UnitResult.objects.filter(round_unit__round=round_).select_related("round_unit__unit")
    }
    finance = items["云岭市财政局"]["政务公开工作要点落实"]
    assert (finance["score"], finance["status"]) == (6.67, "plan")  # 2 of 3 periods: Q1, Q3 early; Q2 overdue
    county = items["云岭市南湖县人民政府"]["政务公开工作要点落实"]
    assert (county["score"], county["status"]) == (0.0, "plan")  # task 3 due 06-30, not reported
    assert items["云岭市水利局"]["政务公开工作要点落实"]["status"] == "pending"

    ru = round_.units.get(unit=city["finance"])
    ManualScore.objects.create(round_unit=ru, item="政务公开工作要点落实", points=9, note="核定")
    rounds.score_round(round_)
    result = UnitResult.objects.get(round_unit=ru)
    item = next(i for i in result.items if i["path"] == "政务公开工作要点落实")
    assert (item["score"], item["status"]) == (9.0, "manual")
