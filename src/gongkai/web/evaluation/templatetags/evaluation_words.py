"""Words users read in evaluation pages: a check's Chinese name instead of its id."""

from __future__ import annotations

from django import template

from gongkai.web.evaluation.review import check_title as _check_title

register = template.Library()


@register.filter
def check_title(check_id: str) -> str:
    return _check_title(check_id)


@register.filter
def framework_name(framework_id: str) -> str:
    """A framework's Chinese name (its id when it is no longer installed)."""
    from gongkai.frameworks import list_frameworks

    names = {f["id"]: f["name"] for f in list_frameworks()}
    return names.get(framework_id) or framework_id


@register.filter
def percent(value: float | None) -> str:
    """A share (0 to 1) as a percentage with one decimal; — when there is none."""
    return "—" if value is None else f"{value * 100:.1f}%"
