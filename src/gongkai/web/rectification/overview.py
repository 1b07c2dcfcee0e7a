"""Figures of rectification for the overview page."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.accounts.access import scope
from gongkai.web.rectification.models import ACTIVE, ProblemItem, ProblemStatus


def stats(user) -> list[dict]:
    problems = scope(ProblemItem.objects.all(), user)
    url = reverse("rectification:index")
    return [
        {"label": "待整改问题", "value": problems.filter(status__in=ACTIVE).count(), "url": url},
        {"label": "已销号问题", "value": problems.filter(status=ProblemStatus.CLOSED).count(), "url": url},
    ]
