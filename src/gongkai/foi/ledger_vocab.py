"""The vocabulary of ledger imports: which column headers name which field, and which words name which
applicant type, channel and outcome (table 三 row).

Built-in data: ``ledger_vocab.yaml`` beside this module, plus the platform's own labels (the export's
headers, APPLICANT_TYPES, CHANNEL_LABELS, the outcome rows of table 三 with and without their group).
An administrator's file in the same format (GONGKAI_FOI_LEDGER_VOCAB) is merged over it. Files are read
with ``frameworks.datafile`` (JSON schema, line-precise Chinese errors); a spelling that names two
different things is an error with its line. Words listed as ambiguous are never mapped: the import
reports them with the reason.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.foi.deadlines import CHANNEL_LABELS
from gongkai.foi.outcomes import APPLICANT_TYPES, OUTCOMES
from gongkai.frameworks.datafile import line_of, parse_data_file
from gongkai.frameworks.schema import FrameworkError, Problem

__all__ = ["BUILTIN", "ENV", "FIELDS", "KINDS", "LedgerVocab", "load_vocab", "norm", "parse_vocab"]

BUILTIN = Path(__file__).with_name("ledger_vocab.yaml")
ENV = "GONGKAI_FOI_LEDGER_VOCAB"
# Field -> its name in messages (the platform's own header).
FIELDS: dict[str, str] = {
    "number": "申请编号",
    "seq": "序号",
    "applicant_type": "申请人类型",
    "applicant_name": "申请人",
    "id_document": "证件号码",
    "phone": "联系电话",
    "address": "通讯地址",
    "channel": "申请渠道",
    "submitted_on": "提交日期",
    "received_on": "收到日期",
    "signed_on": "签收日期",
    "confirmed_on": "确认日期",
    "content": "申请内容",
    "correction": "是否补正",
    "correction_sent_on": "补正通知日期",
    "correction_received_on": "收到补正日期",
    "consultation": "征求意见",
    "extended": "是否延期",
    "days": "延期天数",
    "approver": "延期批准人",
    "replied_on": "答复日期",
    "outcome": "办理结果",
    "reply_form": "答复方式",
    "fee": "收费",
    "review": "复议诉讼",
    "ignore": "（不导入）",
}
KINDS: dict[str, dict[str, str]] = {
    "applicant_type": dict(APPLICANT_TYPES),
    "channel": {c.value: label for c, label in CHANNEL_LABELS.items()},
    "outcome": {o.key: f"{o.group}{o.label}" for o in OUTCOMES.values()},
}
_FLAGS = ("open", "yes", "no")
_OUTCOME_GROUPS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
_OUTCOME_WORDS = ("公开", "部分", "不予", "无法", "处理", "不存在", "撤回")

_WORDS = {"type": "array", "items": {"type": ["string", "number"]}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": ["string", "number"]},
        "source": {"type": "string"},
        "fields": {"type": "object", "propertyNames": {"enum": list(FIELDS)}, "additionalProperties": _WORDS},
        "ambiguous_headers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["header", "reason"],
                "additionalProperties": False,
                "properties": {"header": {"type": "string"}, "reason": {"type": "string", "minLength": 1}},
            },
        },
        "values": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                **{k: {"type": "object", "additionalProperties": _WORDS} for k in KINDS},
                **{f: _WORDS for f in _FLAGS},
            },
        },
        "ambiguous_values": {
            "type": "object",
            "propertyNames": {"enum": list(KINDS)},
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "reason"],
                    "additionalProperties": False,
                    "properties": {"value": {"type": "string"}, "reason": {"type": "string", "minLength": 1}},
                },
            },
        },
    },
}

_STRIP = re.compile(r"[\s\u3000*＊:：()（）\[\]【】〔〕<>《》“”\"'、，,。.]+")
_HINT = re.compile(r"[（(][^（()）]*[)）]\s*$")


def norm(text: Any) -> str:
    """The form spellings are compared in: half-width (NFKC), no spaces, line breaks, stars, colons, brackets
    or commas, upper case."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(text))).upper()


@dataclass
class LedgerVocab:
    headers: dict[str, str] = field(default_factory=dict)  # norm(header) -> field
    ambiguous_headers: dict[str, str] = field(default_factory=dict)  # norm(header) -> reason
    values: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in (*KINDS, *_FLAGS)})
    ambiguous_values: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in KINDS})
    sources: list[str] = field(default_factory=list)

    def field_of(self, header: Any) -> str | None:
        """The field a column header names; a trailing hint in brackets ("答复日期（年月日）") may be dropped."""
        text = str(header or "").strip()
        for candidate in (text, _HINT.sub("", text)):
            key = norm(candidate)
            if key and key in self.headers:
                return self.headers[key]
        return None

    def header_doubt(self, header: Any) -> str | None:
        return self.ambiguous_headers.get(norm(header or ""))

    def value_of(self, kind: str, text: Any) -> str | None:
        return self.values[kind].get(norm(text))

    def value_doubt(self, kind: str, text: Any) -> str | None:
        return self.ambiguous_values.get(kind, {}).get(norm(text))

    def resolve(self, kind: str, text: Any) -> tuple[str | None, str | None]:
        """(key, None) for a word that surely names one value, else (None, the reason or None).

        Besides the exact spelling: a note in brackets after a known word ("邮寄（EMS）", "部分公开（涉及
        个人隐私）") is dropped; an outcome written as its table 三 group and the reason
        ("无法提供（信息不存在）") is that reason's row when the row belongs to the group."""
        raw = unicodedata.normalize("NFKC", str(text)).strip()
        key = self.value_of(kind, raw)
        doubt = self.value_doubt(kind, raw)
        if key or doubt:
            return key, doubt
        base, _, inner = raw.partition("(")
        base, inner = base.strip(), inner.rstrip(")").strip()
        contradicts = kind == "outcome" and any(w in inner for w in _OUTCOME_WORDS)  # 予以公开（部分）
        if base and inner and not contradicts and (key := self.value_of(kind, base)):
            return key, None
        if kind == "outcome":
            for group in _OUTCOME_GROUPS:
                rest = norm(raw)[len(group) :] if norm(raw).startswith(group) else ""
                key = self.values[kind].get(rest) if rest else None
                if key and group in norm(OUTCOMES[key].group):
                    return key, None
        return None, self.value_doubt(kind, base) if inner else None

    def is_flag(self, flag: str, text: Any) -> bool:
        return norm(text) in self.values[flag]

    def accepted(self, kind: str) -> str:
        """The platform's own words for ``kind``, for messages."""
        if kind == "outcome":
            return "表三的办理结果，如予以公开、部分公开、不予公开（国家秘密）、信息不存在、重复申请（全部写法见台账列名词表）"
        return "、".join(KINDS[kind].values())


def _builtin_words(vocab: LedgerVocab) -> None:
    for key, name in FIELDS.items():
        if key != "ignore":
            vocab.headers[norm(name)] = key
    vocab.headers[norm("申请人")] = "applicant_name"
    for kind, labels in KINDS.items():
        for key, label in labels.items():
            vocab.values[kind][norm(label)] = key
            vocab.values[kind][norm(key)] = key
    for o in OUTCOMES.values():
        vocab.values["outcome"][norm(o.label)] = o.key
        if o.group.endswith(o.label):  # （一）予以公开, （二）部分公开: the group is the row
            vocab.values["outcome"][norm(o.group)] = o.key


def _merge(vocab: LedgerVocab, data: dict[str, Any], lines: dict, path: str, problems: list[Problem]) -> None:
    def put(table: dict[str, str], word: Any, value: str, where: tuple, what: str) -> None:
        key = norm(word)
        if not key:
            problems.append(Problem(line_of(lines, where), f"“{word}”去掉空格和标点后为空"))
        elif table.get(key, value) != value:
            problems.append(
                Problem(line_of(lines, where), f"{what}“{word}”已指向“{table[key]}”，不能再指向“{value}”")
            )
        else:
            table[key] = value

    for fld, words in (data.get("fields") or {}).items():
        for i, word in enumerate(words):
            put(vocab.headers, word, fld, ("fields", fld, i), "列名")
    for i, item in enumerate(data.get("ambiguous_headers") or []):
        vocab.ambiguous_headers[norm(item["header"])] = item["reason"]
        if norm(item["header"]) in vocab.headers:
            problems.append(
                Problem(line_of(lines, ("ambiguous_headers", i)), f"列名“{item['header']}”已有明确含义")
            )
    values = data.get("values") or {}
    for kind in KINDS:
        for key, words in (values.get(kind) or {}).items():
            if key not in KINDS[kind]:
                known = "、".join(KINDS[kind])
                problems.append(
                    Problem(line_of(lines, ("values", kind, key)), f"未知的{kind}取值“{key}”，应为：{known}")
                )
                continue
            for i, word in enumerate(words):
                put(vocab.values[kind], word, key, ("values", kind, key, i), "写法")
    for flag in _FLAGS:
        for i, word in enumerate(values.get(flag) or []):
            put(vocab.values[flag], word, flag, ("values", flag, i), "写法")
    for kind, items in (data.get("ambiguous_values") or {}).items():
        for item in items:
            vocab.ambiguous_values[kind][norm(item["value"])] = item["reason"]
    vocab.sources.append(path)


def parse_vocab(texts: list[tuple[str, str]]) -> LedgerVocab:
    """The built-in words plus each (text, path) file in turn; FrameworkError names every problem's line."""
    vocab = LedgerVocab()
    _builtin_words(vocab)
    for text, path in texts:
        data, lines = parse_data_file(text, SCHEMA, path)
        problems: list[Problem] = []
        _merge(vocab, data, lines, path, problems)
        if problems:
            raise FrameworkError(path, problems)
    yes_no = set(vocab.values["yes"]) & set(vocab.values["no"])
    if yes_no:
        raise FrameworkError(texts[-1][1], [Problem(0, f"“{'、'.join(sorted(yes_no))}”既算“是”又算“否”")])
    return vocab


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(str(path), [Problem(0, f"无法读取文件：{exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise FrameworkError(str(path), [Problem(0, "文件不是 UTF-8 编码")]) from None


@lru_cache(maxsize=4)
def _load(extra: str) -> LedgerVocab:
    files = [BUILTIN] + ([Path(extra)] if extra else [])
    return parse_vocab([(_read(p), str(p)) for p in files])


def load_vocab() -> LedgerVocab:
    """The built-in vocabulary merged with the administrator's file named by GONGKAI_FOI_LEDGER_VOCAB."""
    return _load(os.environ.get(ENV, "").strip())
