"""The audit trail: every business model keeps django-simple-history records; this merges them for browsing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps


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


def _verbose(record: Any, field: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _changes(record: Any) -> list[tuple[str, str, str]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [(_verbose(record, c.field), _short(c.old), _short(c.new)) for c in delta.changes]


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
            object_label=_short(r.instance),
            changes=_changes(r) if r.history_type == "~" else [],
        )
        for r in rows[:limit]
    ]


def model_labels() -> list[str]:
    return sorted(str(m.instance_type._meta.verbose_name) for m in history_models())
