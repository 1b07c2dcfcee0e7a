"""The audit trail: every business model keeps django-simple-history records; this merges them for browsing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime


@dataclass
class AuditEntry:
    when: Any
    who: str
    action: str
    model: str
    object_label: str
    changes: list[tuple[str, str, str]]


def history_models() -> list[type]:
    return [
        m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_date")
    ]


def _field(record: Any, name: str) -> Any:
    try:
        return record.instance_type._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field: Any, value: Any) -> str:
    """A stored value as users read it: choice labels, related objects by name, times in local time."""
    if value is None or value == "":
        return ""
    if field is None:
        return _short(value)
    if field.choices:
        return _short(dict(field.flatchoices).get(value, value))
    if field.many_to_one or field.one_to_one:
        return _short(_related_label(field, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return date_format(localtime(value) if is_aware(value) else value, "Y-m-d H:i")
    return _short(value)


def _related_label(field: Any, value: Any) -> str:
    target = field.related_model._default_manager.filter(pk=value).first()
    if target is None:
        return f"（已删除，编号 {value}）"
    return object_label(target)


def object_label(obj: Any) -> str:
    """The object's own Chinese name; models without one are named by their kind and number."""
    if type(obj).__str__ is models.Model.__str__:
        return f"{obj._meta.verbose_name}（编号 {obj.pk}）"
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"{obj._meta.verbose_name}（编号 {obj.pk}）"


def _changes(record: Any) -> list[tuple[str, str, str]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    rows = []
    for change in delta.changes:
        field = _field(record, change.field)
        name = str(field.verbose_name) if field is not None else change.field
        rows.append((name, _shown(field, change.old), _shown(field, change.new)))
    return rows


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "…"


ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


def recent_entries(limit: int = 200, model_name: str = "", username: str = "") -> list[AuditEntry]:
    """The newest `limit` changes across all audited models, newest first."""
    rows: list[Any] = []
    for model in history_models():
        label = str(model.instance_type._meta.verbose_name)
        if model_name and model_name != label:
            continue
        qs = model.objects.select_related("history_user").order_by("-history_date")
        if username:
            qs = qs.filter(history_user__username=username)
        rows.extend(qs[:limit])
    rows.sort(key=lambda r: r.history_date, reverse=True)
    return [
        AuditEntry(
            when=r.history_date,
            who=r.history_user.get_username() if r.history_user else "系统",
            action=ACTIONS.get(r.history_type, r.history_type),
            model=str(r.instance_type._meta.verbose_name),
            object_label=_short(object_label(r.instance)),
            changes=_changes(r) if r.history_type == "~" else [],
        )
        for r in rows[:limit]
    ]


def model_labels() -> list[str]:
    return sorted(str(m.instance_type._meta.verbose_name) for m in history_models())
