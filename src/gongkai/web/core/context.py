"""Template context shared by every page: the navigation for the user's role."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from gongkai.web.accounts.access import ADMIN, EVALUATOR, LIAISON, READONLY, ROLE_LABELS, role_of

ALL = (ADMIN, EVALUATOR, LIAISON, READONLY)

# (label, URL name, roles that see the entry). Entries whose URL is not installed are skipped.
NAV = [
    ("总览", "core:overview", ALL),
    ("单位", "units:list", ALL),
    ("测评", "evaluation:index", ALL),
    ("整改", "rectification:index", ALL),
    ("工作要点", "plans:index", ALL),
    ("依申请公开", "foi:index", ALL),
    ("年报", "annual:index", ALL),
    ("可用性", "monitoring:index", ALL),
    ("后台任务", "core:jobs", (ADMIN, EVALUATOR)),
    ("用户", "accounts:users", (ADMIN,)),
    ("变更记录", "accounts:audit", (ADMIN,)),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    role = role_of(user)
    entries = []
    for label, name, roles in NAV:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        entries.append(
            {
                "label": label,
                "url": url,
                "active": request.path.startswith(url) and url != "/" or request.path == url,
            }
        )
    return {"nav": entries, "user_role": role, "user_role_label": ROLE_LABELS.get(role, role)}
