"""Who sees and changes what. Every view, action, export and API endpoint goes through these functions.

- 管理员 (admin): everything.
- 测评员 (evaluator): reads every unit, does evaluation and scoring work.
- 单位联络员 (liaison): only its own unit, plus its sub-units when granted.
- 只读 (readonly): reads every unit, changes nothing.
An object of a unit the user may not see is answered with 404, so its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from gongkai.web.accounts.models import Profile, Role
from gongkai.web.units.models import Unit

ADMIN = Role.ADMIN.value
EVALUATOR = Role.EVALUATOR.value
LIAISON = Role.LIAISON.value
READONLY = Role.READONLY.value
ROLE_LABELS = dict(Role.choices)


def profile_of(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role_of(user: Any) -> str:
    """The user's role; a superuser without a profile is an admin, anyone else without one is read-only."""
    profile = profile_of(user)
    if profile is not None:
        return profile.role
    if getattr(user, "is_superuser", False):
        return ADMIN
    return READONLY


def visible_units(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if role_of(user) != LIAISON:
        return Unit.objects.all()
    profile = profile_of(user)
    if profile is None or profile.unit_id is None:
        return Unit.objects.none()
    ids = {profile.unit_id}
    if profile.include_subunits:
        ids.update(u.pk for u in profile.unit.descendants())
    return Unit.objects.filter(pk__in=ids)


def visible_unit_ids(user: Any) -> set[int]:
    return set(visible_units(user).values_list("pk", flat=True))


def scope(queryset: QuerySet, user: Any, field: str = "unit") -> QuerySet:
    """Rows of queryset whose `field` is a unit the user may see."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if role_of(user) != LIAISON:
        return queryset
    if queryset.model is Unit and field in ("", "self", "pk"):
        return queryset.filter(pk__in=visible_units(user))
    return queryset.filter(**{f"{field}__in": visible_units(user)})


def can_edit(user: Any, unit: Unit | None) -> bool:
    role = role_of(user)
    if role in (ADMIN, EVALUATOR):
        return True
    if role == LIAISON and unit is not None:
        return unit.pk in visible_unit_ids(user)
    return False


def get_scoped_or_404(queryset: QuerySet, user: Any, field: str = "unit", **lookup: Any) -> Model:
    try:
        return scope(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("没有找到该记录，或您无权查看") from exc


def role_required(*roles: str) -> Callable:
    """Login required; with roles given, only those roles may enter (others get 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if roles and role_of(request.user) not in roles:
                raise PermissionDenied("您的角色无权执行此操作")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
