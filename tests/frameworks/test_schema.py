"""Framework files: built-ins load, and errors name the line and say what is wrong in Chinese."""

import textwrap

import pytest

from gongkai.checks import all_checks
from gongkai.frameworks import FrameworkError, list_frameworks, load_framework, parse_framework

GOOD = """\
id: tiny
version: "1"
name: 小体系
items:
  - name: 栏目
    children:
      - name: 空白栏目
        points: 5
        checks:
          - {check: column.blank, deduct: 1}
"""


def errors(text: str) -> list[tuple[int, str]]:
    with pytest.raises(FrameworkError) as info:
        parse_framework(textwrap.dedent(text), "x.yaml")
    return [(p.line, p.message) for p in info.value.problems]


def test_the_three_built_in_frameworks_load_with_100_points():
    ids = {f["id"] for f in list_frameworks()}
    assert {"national-2019", "zwgk-2026", "luan-quarterly"} <= ids
    for framework_id in ids:
        framework = load_framework(framework_id)
        assert framework.max_points == 100
        assert len(framework.levels) <= 4
        assert all(leaf.level <= len(framework.levels) for leaf in framework.leaves())


def test_the_default_framework_uses_every_registered_check():
    used = {ref.check for leaf in load_framework("zwgk-2026").leaves() for ref in leaf.checks}
    assert used == set(all_checks())


def test_the_default_catalogue_holds_the_article_20_and_xiangan_columns():
    from gongkai.frameworks.catalogue import load_catalogue

    refs = load_framework("zwgk-2026").parameters["catalogue"]  # ids of vocab/catalogue.yaml entries
    names = {entry.name for entry in load_catalogue().resolve(refs)}
    for name in (
        "政府信息公开指南",
        "法定主动公开内容",
        "财政预决算",
        "政府集中采购",
        "重大建设项目",
        "建议提案办理",
        "重大会议",
    ):
        assert name in names


def test_a_good_file_parses_into_paths():
    framework = parse_framework(GOOD)
    assert [leaf.path for leaf in framework.leaves()] == ["栏目/空白栏目"]
    assert framework.leaves()[0].checks[0].deduct == 1.0


def test_an_unknown_check_id_is_reported_on_its_line():
    assert errors(GOOD.replace("column.blank", "column.blnk")) == [(10, "未知的检查项「column.blnk」")]


def test_a_wrong_parameter_name_is_reported_with_the_known_ones():
    text = GOOD.replace(
        "{check: column.blank, deduct: 1}", "{check: column.blank, params: {kinds: [news]}, deduct: 1}"
    )
    [(line, message)] = errors(text)
    assert line == 10 and "没有参数 kinds" in message and "exclude_kinds" in message


def test_a_missing_field_and_a_wrong_type_are_both_reported_with_lines():
    text = GOOD.replace("name: 小体系\n", "").replace("points: 5", "points: 五分")
    found = errors(text)
    assert (1, "缺少必填字段「name」") in found
    assert any(line == 7 and "「points」应为数字" in message for line, message in found)


def test_an_unknown_field_is_named():
    assert errors(GOOD.replace("points: 5", "points: 5\n        weight: 2")) == [(9, "未知字段「weight」")]


def test_a_fifth_level_is_refused():
    text = """\
    id: deep
    version: 1
    name: 深
    levels: [一级, 二级]
    items:
      - name: A
        children:
          - name: B
            children:
              - name: C
                points: 1
                manual: 看看
    """
    assert errors(text) == [(10, "指标「C」是第 3 级，超过本体系的 2 级")]


def test_points_that_do_not_add_up_and_undefined_parameters_are_errors():
    text = GOOD.replace("  - name: 栏目\n", "  - name: 栏目\n    points: 6\n").replace(
        "deduct: 1", "deduct: $per"
    )
    found = errors(text)
    assert (6, "指标「栏目」分值 6 与下级指标分值合计 5 不符") in found
    assert (11, "引用了未定义的参数「per」") in found
    assert len(found) == 2


def test_a_leaf_without_method_and_a_yaml_syntax_error():
    assert errors(GOOD.replace("        checks:\n          - {check: column.blank, deduct: 1}\n", "")) == [
        (7, "末级指标「空白栏目」既无自动检查（checks）也无人工评分说明（manual）")
    ]
    [(line, message)] = errors(GOOD.replace("points: 5", "points: [5"))
    assert line >= 8 and message.startswith("YAML 语法错误")


def test_a_duplicate_key_is_reported():
    assert errors(GOOD.replace("points: 5", "points: 5\n        points: 6")) == [(9, "字段「points」重复")]


def test_bonus_items_need_a_cap():
    text = GOOD + "      - name: 加分\n        type: bonus\n        points: 2\n        manual: 创新\n"
    assert errors(text) == [(1, "有激励性（bonus）指标时须在 scoring.bonus.cap 中设置加分上限")]


def test_an_unknown_framework_id_names_the_built_in_ones():
    with pytest.raises(FrameworkError, match="没有这个指标体系.*zwgk-2026"):
        load_framework("nope")


def test_a_child_outside_its_parents_unit_groups_is_an_error():
    text = GOOD.replace("  - name: 栏目\n", "  - name: 栏目\n    applies_to: [county]\n").replace(
        "        points: 5\n", "        points: 5\n        applies_to: [township]\n"
    )
    assert errors(text) == [(10, "指标「空白栏目」的适用单位类别与上级指标没有交集")]
