"""A framework item can take its points from the completion of the year's 工作要点 tasks (晋江's 要点 item)."""

from __future__ import annotations

import pytest

from gongkai.frameworks import FrameworkError, parse_framework, score

HEAD = """id: jinjiang-test
version: "1"
name: 绩效考核（测试）
items:
  - name: 政务公开工作要点落实
    points: 10
    plan: {areas: [政策解读, 回应关切]}
    manual: 任务完成率无法计算时，人工核定
  - name: 工作要点（全部任务）
    points: 5
    plan: true
  - name: 栏目更新
    points: 5
    checks: [{check: column.stale, deduct: 1}]
"""


def test_a_plan_item_loads_with_its_areas_and_units():
    framework = parse_framework(HEAD)
    first, second, third = framework.leaves()
    assert first.plan.areas == ("政策解读", "回应关切") and first.plan.units == "lead"
    assert second.plan.areas == () and third.plan is None
    assert framework.max_points == 20


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("    plan: {areas: [宣传工作]}\n", "第 7 行：「宣传工作」不是工作要点的工作领域；可用：决策公开、"),
        (
            "    plan: true\n    checks: [{check: column.stale, deduct: 1}]\n",
            "第 7 行：指标「要点」按工作要点任务完成率计分（plan），不能同时设置自动检查（checks）",
        ),
        ("    plan: {units: some}\n", "「units」的取值 'some' 无效，应为 lead、all 之一"),
        ("    plan: yes please\n", "第 7 行：「plan」应为true/false或键值映射，实际为 'yes please'"),
        ("    plan: false\n", "第 7 行：指标「要点」的 plan 只能为 true 或映射"),
    ],
)
def test_a_wrong_plan_item_is_refused_with_a_chinese_message_and_its_line(item, message):
    text = "id: t\nversion: 1\nname: t\nitems:\n  - name: 要点\n    points: 10\n" + item
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "t.yaml")
    assert message in str(caught.value)


def test_a_veto_item_cannot_be_scored_from_the_plan_and_a_parent_cannot_carry_it():
    text = (
        "id: t\nversion: 1\nname: t\nitems:\n  - name: 否决\n    type: veto\n    plan: true\n"
        "  - name: 上级\n    plan: true\n    children:\n      - {name: 下级, points: 1, manual: 人工}\n"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "t.yaml")
    problems = [p.message for p in caught.value.problems]
    assert "指标「否决」是单项否决指标，不能按任务完成率计分（plan）" in problems
    assert "指标「上级」有下级指标，不能设置 plan（应写在末级指标上）" in problems


def test_plan_points_count_and_a_manual_score_still_decides():
    framework = parse_framework(HEAD)
    plan_paths = {"政务公开工作要点落实": 6.67, "工作要点（全部任务）": 5.0}
    result = score(framework, [], "department", plan_scores=plan_paths)
    first = result.item("政务公开工作要点落实")
    assert (first.score, first.status) == (6.67, "plan")
    assert result.total == 11.67 and result.max == 15.0  # the check item has no finding: pending
    manual = score(framework, [], "department", {"政务公开工作要点落实": 9}, plan_scores=plan_paths)
    assert manual.item("政务公开工作要点落实").status == "manual" and manual.total == 14.0
    nothing = score(framework, [], "department")
    assert nothing.item("工作要点（全部任务）").status == "pending" and nothing.total == 0
