"""Scoring on hand-worked examples: caps, deduct-all, veto, bonus gate, authority averaging, 4/3, ranks."""

import dataclasses

import pytest

from gongkai.frameworks import UnitInput, load_framework, parse_framework, rank, score, score_group
from gongkai.model import Evidence, Finding, Verdict

HAND = """\
id: hand
version: "3"
name: 手算体系
scoring:
  band_basis: total
  bands: [{name: 优秀, min: 90}, {name: 合格, min: 60}, {name: 不合格, min: 0}]
  veto: {score: zero, band: 不合格}
  bonus: {cap: 3, gate: 80}
  ranking: {ties: shared, tie_break: [A/链接]}
items:
  - name: 否决
    children:
      - name: 空白过多
        type: veto
        checks: [{check: column.blank, threshold: 3}]
  - name: A
    children:
      - {name: 链接, points: 10, checks: [{check: link.broken, deduct: 2}]}
      - {name: 栏目, points: 10, checks: [{check: column.stale, deduct: all}]}
  - {name: 服务, points: 20, manual: 办事服务是否可用}
  - {name: 重点领域, points: 60, authority: true, manual: 按标准目录抽查}
  - {name: 加分, type: bonus, points: 5, manual: 创新做法}
"""
FULL = {"服务": 20, "重点领域": 60}


@pytest.fixture(scope="module")
def hand():
    return parse_framework(HAND)


def finding(check, verdict=Verdict.FAIL, item=""):
    return Finding(check, verdict, subject="x", evidence=(Evidence("http://a/"),), item=item)


def passes():
    return [finding(c, Verdict.PASS) for c in ("column.blank", "link.broken", "column.stale")]


def test_deductions_are_capped_at_the_item_points(hand):
    result = score(hand, passes() + [finding("link.broken")] * 7, "county", FULL)
    assert result.item("A/链接").score == 0  # 7 x 2 = 14, capped at 10
    assert result.total == 90 and result.max == 100 and result.rate == 0.9


def test_deduct_all_loses_the_item_on_one_finding_and_uncertain_costs_nothing(hand):
    findings = passes() + [finding("column.stale"), finding("link.broken", Verdict.UNCERTAIN)]
    result = score(hand, findings, "county", FULL)
    assert result.item("A/栏目").score == 0 and result.item("A/链接").score == 10
    assert result.item("A/链接").uncertain == 1


def test_the_veto_needs_its_threshold_and_then_zeroes_the_score(hand):
    two = score(hand, passes() + [finding("column.blank")] * 2, "county", FULL)
    assert not two.veto and two.total == 100 and two.band == "优秀"
    three = score(hand, passes() + [finding("column.blank")] * 3, "county", FULL)
    assert three.veto and three.total == 0 and three.band == "不合格"
    assert three.veto_items == ("否决/空白过多",)


def test_bonus_only_above_the_gate_and_capped(hand):
    high = score(hand, passes(), "county", {**FULL, "加分": 5})
    assert high.bonus == 3 and high.total == 103 and high.rate == 1.0
    low = score(
        hand, passes() + [finding("column.stale")] * 1, "county", {"服务": 10, "重点领域": 60, "加分": 5}
    )
    assert low.base == 80 and low.bonus == 0 and low.total == 80  # 80 is not above 80


def test_manual_items_without_a_score_are_pending_and_left_out(hand):
    result = score(hand, passes(), "county")
    assert set(result.pending) == {"服务", "重点领域", "加分"}
    assert result.total == 20 and result.max == 20


def test_a_manual_score_overrides_an_automatic_item(hand):
    result = score(hand, passes() + [finding("column.stale")], "county", {**FULL, "A/栏目": 7})
    assert result.item("A/栏目").score == 7 and result.item("A/栏目").status == "manual"


def test_an_item_without_authority_scores_the_average_of_the_units_that_have_it(hand):
    units = [
        UnitInput("甲局", "department", passes(), {"服务": 20, "重点领域": 50}),
        UnitInput("乙局", "department", passes(), {"服务": 20, "重点领域": 40}),
        UnitInput("丙局", "department", passes(), {"服务": 20}, lacks_authority=frozenset({"重点领域"})),
        UnitInput("丁镇", "township", passes(), {"服务": 20, "重点领域": 10}),
    ]
    results = {r.unit: r for r in score_group(hand, units)}
    c = results["丙局"]
    assert c.item("重点领域").score == 45 and c.item("重点领域").status == "authority_average"
    assert c.total == 85  # the township's 10 is another group and does not count


def test_a_unit_alone_without_authority_leaves_the_item_out(hand):
    [only] = score_group(
        hand, [UnitInput("丙局", "department", passes(), {"服务": 20}, frozenset({"重点领域"}))]
    )
    assert only.max == 40 and "重点领域" in only.pending


def test_ranks_share_ties_then_break_them_by_the_named_item(hand):
    base = score(hand, passes(), "county", FULL, unit="甲")
    b = dataclasses.replace(base, unit="乙")
    c = score(hand, passes() + [finding("link.broken")] * 2, "county", {**FULL, "服务": 20}, unit="丙")
    d = score(hand, passes() + [finding("column.stale")], "county", {**FULL, "服务": 16}, unit="丁")  # 76
    e = score(hand, passes() + [finding("link.broken")] * 12, "county", {**FULL, "服务": 14}, unit="戊")  # 74
    f = score(hand, passes() + [finding("column.blank")] * 3, "county", FULL, unit="己")  # veto
    ranked = rank(hand, [f, e, d, c, b, base])
    assert [(r.rank, r.score.unit) for r in ranked][:2] == [(1, "乙"), (1, "甲")] or [
        (r.rank, r.score.unit) for r in ranked
    ][:2] == [(1, "甲"), (1, "乙")]
    assert [(r.rank, r.score.unit) for r in ranked][2:] == [(3, "丙"), (4, "丁"), (5, "戊"), (6, "己")]
    assert ranked[0].tied and not ranked[2].tied
    dense = rank(dataclasses.replace(hand, ties="dense"), [f, e, d, c, b, base])
    assert [r.rank for r in dense] == [1, 1, 2, 3, 4, 5]


def test_tie_break_item_separates_equal_totals(hand):
    # 90 = 10 lost on 链接 vs 10 lost on 服务: the framework breaks ties by A/链接
    a = score(hand, passes() + [finding("link.broken")] * 5, "county", FULL, unit="链接差")
    b = score(hand, passes(), "county", {**FULL, "服务": 10}, unit="服务差")
    assert a.total == b.total == 90
    assert [(r.rank, r.score.unit) for r in rank(hand, [a, b])] == [(1, "服务差"), (2, "链接差")]


def national_manual(framework, except_=()):
    return {
        leaf.path: leaf.points
        for leaf in framework.leaves()
        if leaf.manual and leaf.type == "score" and leaf.path not in except_
    }


def test_national_4_3_rule_for_a_department_without_services():
    framework = load_framework("national-2019")
    checks = {ref.check for leaf in framework.leaves() for ref in leaf.checks}
    findings = [finding(c, Verdict.PASS) for c in checks] + [finding("column.blank")] * 3
    result = score(
        framework,
        findings,
        "department",
        national_manual(framework),
        not_applicable=["扣分指标/办事服务"],
    )
    # 75 applicable points, 3 lost on 空白栏目 -> 72 / 75 x 100 = 96
    assert not result.veto
    assert result.base == pytest.approx(96.0)
    assert result.max == pytest.approx(100.0) and result.band == "合格"
    assert result.item("扣分指标/办事服务/在线办理").status == "not_applicable"


def test_national_five_blank_columns_are_a_veto_and_nothing_else_counts():
    framework = load_framework("national-2019")
    checks = {ref.check for leaf in framework.leaves() for ref in leaf.checks}
    findings = [finding(c, Verdict.PASS) for c in checks] + [finding("column.blank")] * 5
    result = score(framework, findings, "county", national_manual(framework))
    assert result.veto and result.total == 0 and result.band == "不合格"


def test_national_bonus_needs_more_than_80_and_is_for_portals_only():
    framework = load_framework("national-2019")
    checks = {ref.check for leaf in framework.leaves() for ref in leaf.checks}
    findings = [finding(c, Verdict.PASS) for c in checks]
    bonus = {leaf.path: leaf.points for leaf in framework.leaves() if leaf.type == "bonus"}
    county = score(framework, findings, "county", {**national_manual(framework), **bonus})
    assert county.total == 130 and county.bonus == 30
    department = score(framework, findings, "department", {**national_manual(framework), **bonus})
    assert department.bonus == 0 and department.total == 100


def test_a_manual_score_for_an_unknown_item_is_reported_not_silently_used(hand):
    result = score(hand, passes(), "county", {**FULL, "服务/不存在": 3})
    assert result.ignored_manual == ("服务/不存在",) and result.total == 100


def test_a_parent_applies_to_narrows_its_children():
    text = HAND.replace(
        "  - name: A\n    children:", "  - name: A\n    applies_to: [department]\n    children:"
    )
    framework = parse_framework(text)
    result = score(framework, passes(), "county", FULL)
    assert result.item("A/链接").status == "not_applicable" and result.max == 80


def test_units_with_uneven_full_marks_rank_by_rate_unless_the_framework_ranks_by_score(hand):
    # 丁 has 服务 still unscored: 应得分 80, all of it earned (100%); 甲 scored everything, 90 of 100 (90%)
    whole = score(hand, passes(), "county", {"重点领域": 60}, unit="丁")
    partial = score(hand, passes(), "county", {**FULL, "服务": 10}, unit="甲")
    assert (whole.total, whole.max, partial.total, partial.max) == (80, 80, 90, 100)
    by_rate = rank(hand, [partial, whole])
    assert [(r.rank, r.score.unit, r.tied) for r in by_rate] == [(1, "丁", False), (2, "甲", False)]
    by_total = rank(dataclasses.replace(hand, rank_basis="total"), [partial, whole])
    assert [r.score.unit for r in by_total] == ["甲", "丁"]


def test_equal_scores_at_different_rates_are_not_tied(hand):
    # the reported bug: 88.46% shown as "2（并列）" with two units at 85.82% because their totals were equal
    best = score(hand, passes(), "county", {"重点领域": 49}, unit="甲")  # 69 of 80 = 86.25%
    one = score(hand, passes(), "county", {"服务": 0, "重点领域": 49}, unit="乙")  # 69 of 100
    two = dataclasses.replace(one, unit="丙")
    assert best.total == one.total == 69 and best.max == 80 and one.max == 100
    ranked = rank(hand, [one, two, best])
    assert [(r.score.unit, r.rank, r.tied) for r in ranked][0] == ("甲", 1, False)
    assert [(r.rank, r.tied) for r in ranked][1:] == [(2, True), (2, True)]


def test_tie_break_by_a_first_level_item_uses_its_leaves(hand):
    framework = dataclasses.replace(hand, tie_break=("A",))
    a = score(hand, passes() + [finding("link.broken")] * 5, "county", FULL, unit="A差")
    b = score(hand, passes(), "county", {**FULL, "服务": 10}, unit="A好")
    assert [(r.rank, r.score.unit) for r in rank(framework, [a, b])] == [(1, "A好"), (2, "A差")]


def test_a_framework_may_declare_ranking_by_score():
    assert load_framework("national-2019").rank_basis == "total"
    assert load_framework("zwgk-2026").rank_basis == "rate"
