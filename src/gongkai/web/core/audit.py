"""A change and its audit record commit together, and a login is not a change.

django-simple-history writes the history row in a post_save signal, which Django sends after the row's own
statement: outside a transaction (the CLI, the in-process worker, any autocommit save) a crash between the
two leaves a change with no history row. `make_history_atomic` wraps `save` and `delete` of every audited
model in one transaction (no savepoint when already inside one), wherever it is called from. Requests that
may write are wrapped whole by `gongkai.web.core.middleware.AtomicWritesMiddleware`.

Django's own `update_last_login` saves the user on every login, which made simple-history record an
"account changed" row with no change (last_login is excluded from the trail); `quiet_last_login` replaces
it with a query that updates the one column and sends no signal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth import user_logged_in
from django.contrib.auth.models import update_last_login
from django.db import router, transaction
from django.utils import timezone
from simple_history.models import registered_models

_WRAPPED = "_gongkai_atomic"


def _atomic_method(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            return method(self, *args, **kwargs)

    setattr(wrapper, _WRAPPED, True)
    return wrapper


def make_history_atomic() -> list[type]:
    """Wrap save/delete of every model simple-history tracks; returns the models wrapped."""
    wrapped = []
    for model in registered_models.values():
        for name in ("save", "delete"):
            method = getattr(model, name)
            if not getattr(method, _WRAPPED, False):
                setattr(model, name, _atomic_method(method))
        wrapped.append(model)
    return wrapped


def _touch_last_login(sender: Any, user: Any, **_kwargs: Any) -> None:
    now = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now


def quiet_last_login() -> None:
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(_touch_last_login, dispatch_uid="gongkai_update_last_login")
