"""告知书 (reply documents): default template texts, placeholder filling and DOCX output.

Templates are plain text with placeholders such as ``{申请人}`` and ``{收到日期}``; an
administrator edits them in the platform. A placeholder without a value stays visible as
``【未填写：名称】`` so a missing fact is seen, never silently blank.
"""

from __future__ import annotations

import io
import string
from collections.abc import Mapping
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.foi.deadlines import FoiError, chinese_date

__all__ = ["DEFAULT_TEMPLATES", "PLACEHOLDERS", "NOTICE_FOR_OUTCOME", "fill", "to_docx"]

PLACEHOLDERS = {
    "申请人": "申请人姓名或名称",
    "编号": "申请编号",
    "单位": "答复机关全称",
    "收到日期": "收到申请日期",
    "申请内容": "申请公开的政府信息内容",
    "答复期限": "答复期限",
    "延期天数": "延期工作日数",
    "延期后期限": "延期后的答复期限",
    "补正期限": "补正材料的提交期限",
    "补正事项": "需要补正的事项",
    "办理结果": "办理结果",
    "法律依据": "法律依据",
    "说明": "具体说明（如获取方式、不予公开的理由）",
    "费用金额": "信息处理费金额（元）",
    "缴费期限": "缴费期限",
    "收费依据": "收费方式与依据",
    "日期": "文书日期",
}

_HEAD = "{申请人}：\n\n本机关于{收到日期}收到您（单位）提出的政府信息公开申请（编号：{编号}），申请获取“{申请内容}”。"
_TAIL = (
    "\n\n如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
    "或者自收到本告知书之日起六个月内依法提起行政诉讼。\n\n{单位}\n{日期}"
)

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "correction": (
        "政府信息公开申请补正通知书",
        _HEAD + "经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "请您对以下事项作出补正：{补正事项}。\n\n请于{补正期限}前提交补正材料，答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n\n{单位}\n{日期}",
    ),
    "extension": (
        "政府信息公开申请延期答复告知书",
        _HEAD + "因情况复杂，本机关不能在规定期限内作出答复。经政府信息公开工作机构负责人同意，"
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，答复期限延长{延期天数}个工作日，"
        "至{延期后期限}前作出答复。\n\n{单位}\n{日期}",
    ),
    "granted": (
        "政府信息公开申请答复告知书（予以公开）",
        _HEAD + "经审查，您申请获取的政府信息属于公开范围，根据{法律依据}的规定，予以公开。{说明}" + _TAIL,
    ),
    "partial": (
        "政府信息公开申请答复告知书（部分公开）",
        _HEAD + "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{法律依据}的规定，"
        "本机关向您提供可以公开的部分，并对不予公开的部分说明理由：{说明}" + _TAIL,
    ),
    "denied": (
        "政府信息公开申请答复告知书（不予公开）",
        _HEAD
        + "经审查，您申请获取的政府信息{办理结果}，根据{法律依据}的规定，不予公开。理由：{说明}"
        + _TAIL,
    ),
    "unable": (
        "政府信息公开申请答复告知书（无法提供）",
        _HEAD + "经审查，{办理结果}。根据{法律依据}的规定，本机关无法提供。{说明}" + _TAIL,
    ),
    "not_processed": (
        "政府信息公开申请答复告知书（不予处理）",
        _HEAD + "经审查，{办理结果}，根据{法律依据}的规定，本机关不予处理。{说明}" + _TAIL,
    ),
    "fee": (
        "政府信息公开信息处理费收费通知书",
        _HEAD + "根据《中华人民共和国政府信息公开条例》第四十二条及《政府信息公开信息处理费管理办法》的规定，"
        "您的申请应缴纳信息处理费{费用金额}元（{收费依据}）。请于{缴费期限}前（自收到本通知次日起 20 个工作日内）"
        "缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该申请。\n\n{单位}\n{日期}",
    ),
}

# Outcome document -> template kind (gongkai.foi.outcomes.Outcome.document).
NOTICE_FOR_OUTCOME = {
    "granted": "granted",
    "partial": "partial",
    "denied": "denied",
    "unable": "unable",
    "not_processed": "not_processed",
}


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return f"【未填写：{key}】"


def _text(value: object) -> str:
    """A placeholder value as text; every date in one Chinese form (2026年12月21日)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return chinese_date(value)
    return str(value)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace ``{名称}`` placeholders; a malformed template is a FoiError naming the problem."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise FoiError(f"告知书模板格式有误（花括号不成对）：{exc}") from exc
    for name in fields:
        if not name or not name.isidentifier():
            raise FoiError(f"告知书模板中的占位符“{{{name}}}”无效，占位符应为中文名称，例如 {{申请人}}")
    vals = _Values({k: _text(v) for k, v in values.items()})
    return string.Formatter().vformat(template, (), vals)


def to_docx(title: str, body: str) -> bytes:
    """A simple 告知书 DOCX: centred title, body paragraphs in 仿宋, sign-off right-aligned."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title)
    run.bold = True
    run.font.size = Pt(22)
    paragraphs = body.split("\n")
    # The last two non-empty lines are the body's name and date: right-aligned.
    tail_idx = [i for i, p in enumerate(paragraphs) if p.strip()][-2:]
    for i, text in enumerate(paragraphs):
        if not text.strip():
            continue
        p = doc.add_paragraph(text)
        if i in tail_idx and len(paragraphs) > 2:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
