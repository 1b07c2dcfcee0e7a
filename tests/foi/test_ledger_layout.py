"""Reading an office's own ledger sheet without Django: the header below title rows, merged two-row headers,
tick columns, skipped rows, dates in every usual form, and refusals that name the cell."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gongkai.foi.ledger_layout import read_sheet
from gongkai.foi.ledger_values import parse_date, parse_row
from gongkai.foi.ledger_vocab import load_vocab, parse_vocab
from gongkai.frameworks.schema import FrameworkError

VOCAB = load_vocab()


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime(2025, 3, 5, 14, 30), date(2025, 3, 5)),
        (45721, date(2025, 3, 5)),
        (45721.0, date(2025, 3, 5)),
        ("45721", date(2025, 3, 5)),
        ("2025-03-05", date(2025, 3, 5)),
        ("2025.3.5", date(2025, 3, 5)),
        ("2025/3/5", date(2025, 3, 5)),
        ("2025年3月5日", date(2025, 3, 5)),
        ("2025 年 3 月 5 日", date(2025, 3, 5)),
        ("2025-03-05 09:30:00", date(2025, 3, 5)),
        (20250305, date(2025, 3, 5)),
        ("20250305", date(2025, 3, 5)),
    ],
)
def test_dates_in_the_forms_offices_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["20251305", "2025.13.5", "2025年3月", "3月5日", "25.3.5", 12, 45721.5, "下周一"]
)
def test_what_is_not_surely_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def _parse(rows, name="台账"):
    layout, ledger_rows, problems = read_sheet(name, rows, VOCAB)
    assert problems == []
    headers = {}
    return layout, [parse_row(r, VOCAB, headers, name) for r in ledger_rows]


def test_a_parent_over_its_children_names_the_fields_and_empty_and_total_rows_are_left_out():
    rows = [
        ["某局依申请公开台账"],
        [None, "填报单位：某局"],
        ["序号", "申请人", None, "申请方式", "收到日期", "申请内容", "答复", None],
        [None, "类型", "姓名或名称", None, None, None, "日期", "结果"],
        [1, "公民", "张某", "当面", date(2025, 9, 26), "某文件", date(2025, 10, 20), "予以公开"],
        [2],
        [],
        ["合计", None, "1件"],
    ]
    layout, parsed = _parse(rows)
    assert layout.header_rows == (3, 4)
    assert [c.field for c in layout.columns] == [
        "seq",
        "applicant_type",
        "applicant_name",
        "channel",
        "received_on",
        "content",
        "replied_on",
        "outcome",
    ]
    assert layout.skipped == ["第 8 行：“合计”行（合计），未导入"]
    assert len(parsed) == 1
    (data, events), errors = parsed[0]
    assert errors == []
    assert data["number"] == "台账-1" and data["applicant_type"] == "natural_person"
    assert [(e.kind, e.outcome) for e in events] == [("replied", "granted")]


def test_tick_columns_must_be_ticked_once_with_a_tick():
    rows = [
        ["编号", "申请人", "申请人类型", None, "申请方式", "收到日期", "申请内容"],
        [None, None, "自然人", "商业企业", None, None, None],
        ["A-1", "张某", "√", "√", "当面", "2025-09-26", "x"],
        ["A-2", "李某", "○", None, "当面", "2025-09-26", "x"],
        ["A-3", "某公司", None, "是", "当面", "2025-09-26", "x"],
    ]
    _layout, parsed = _parse(rows)
    assert parsed[0][1] == [
        "工作表“台账”第 3 行“申请人类型”：“申请人类型/自然人”、“申请人类型/商业企业”同时打勾，只能选一项"
    ]
    assert parsed[1][1] == [
        "工作表“台账”第 4 行“申请人类型/自然人”：打勾列只能填“√”或“是”，不能填“○”（C 列）"
    ]
    assert parsed[2][0][0]["applicant_type"] == "commercial"


def test_a_merged_cell_left_blank_is_an_error_not_the_value_above():
    rows = [
        ["编号", "申请人", "申请人类型", "申请方式", "收到日期", "申请内容"],
        ["A-1", "张某", "公民", "当面", "2025-09-26", "x"],
        ["A-2", None, "公民", "当面", "2025-09-27", "y"],
    ]
    _layout, parsed = _parse(rows)
    assert parsed[1][1] == ["工作表“台账”第 3 行“申请人”：必填，不能为空"]


def test_an_administrator_file_that_maps_one_spelling_twice_is_refused_with_its_line():
    text = "version: '1'\nvalues:\n  channel:\n    online: [微信]\n    fax: [微信]\n"
    with pytest.raises(FrameworkError) as info:
        parse_vocab([(text, "mine.yaml")])
    assert "mine.yaml 第 5 行：写法“微信”已指向“online”，不能再指向“fax”" in str(info.value)
    with pytest.raises(FrameworkError) as info:
        parse_vocab([("version: '1'\nfields:\n  nonsense: [甲]\n", "mine.yaml")])
    assert "mine.yaml 第 3 行" in str(info.value)


def test_full_width_digits_and_letters_are_read_as_half_width():
    assert parse_date("２０２５年３月５日") == date(2025, 3, 5)
    assert VOCAB.value_of("channel", "Ｅ－ｍａｉｌ申请") == "online"


def test_only_real_total_and_signature_lines_are_left_out():
    rows = [
        ["申请人", "申请人类型", "申请方式", "收到日期", "申请内容", "编号"],
        ["总计划局", "企业", "当面", "2025-09-26", "x", "A-1"],
        ["注册会计师协会", "其他", "当面", "2025-09-26", "y", "A-2"],
        ["合计：2件"],
        ["注：本表每季度报送"],
        ["填表人：王某", None, "审核人：赵某"],
    ]
    layout, parsed = _parse(rows)
    assert [p[0][0]["applicant_name"] for p in parsed] == ["总计划局", "注册会计师协会"]
    assert len(layout.skipped) == 3


@pytest.mark.parametrize(
    "kind, text, key",
    [
        ("outcome", "无法提供（信息不存在）", "unable.no_info"),
        ("outcome", "部分公开（涉及个人隐私）", "partial_grant"),
        ("outcome", "不予处理（重复申请）", "not_processed.repeat"),
        ("outcome", "（三）不予公开属于国家秘密", "denied.state_secret"),
        ("outcome", "不予公开（信息不存在）", None),  # the reason belongs to another group
        ("outcome", "不予公开（研究中）", None),
        ("outcome", "予以公开（部分）", None),  # a note that changes the result is not dropped
        ("channel", "邮寄（EMS）", "post_signed"),
        ("applicant_type", "法人/其他组织", None),
    ],
)
def test_a_group_with_its_reason_or_a_note_in_brackets(kind, text, key):
    found, doubt = VOCAB.resolve(kind, text)
    assert found == key
    assert found is not None or doubt is not None or text == "予以公开（部分）"


def test_a_zero_fee_is_no_fee_and_a_real_fee_is_refused_with_the_reason():
    rows = [
        ["编号", "申请人", "申请人类型", "申请方式", "收到日期", "申请内容", "收费金额（元）"],
        ["A-1", "张某", "公民", "当面", "2025-09-26", "x", 0.0],
        ["A-2", "李某", "公民", "当面", "2025-09-26", "y", "0.00元"],
        ["A-3", "王某", "公民", "当面", "2025-09-26", "z", 300],
    ]
    _layout, parsed = _parse(rows)
    assert [errors for _r, errors in parsed[:2]] == [[], []]
    assert parsed[2][1][0].startswith(
        "工作表“台账”第 4 行“收费金额（元）”：“300”：收费须在平台录入收费通知和缴费日期"
    )


def test_an_extension_column_gives_days_only_when_it_says_working_days():
    rows = [
        ["编号", "申请人", "申请人类型", "申请方式", "收到日期", "申请内容", "是否延期", "延期批准人"],
        ["A-1", "张某", "公民", "当面", "2025-09-26", "x", "1", "王主任"],
        ["A-2", "李某", "公民", "当面", "2025-09-26", "y", "延期15个工作日", "王主任"],
    ]
    _layout, parsed = _parse(rows)
    assert parsed[0][1] == [
        "工作表“台账”第 2 行“是否延期”：写明了延期但没有延期天数，请填写“延期天数”（不超过 20 个工作日）（G 列）"
    ]
    assert [(e.kind, e.days, e.approver) for e in parsed[1][0][1]] == [("extended", 15, "王主任")]
