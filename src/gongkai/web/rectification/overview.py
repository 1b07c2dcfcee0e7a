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


def unit_stats(unit, user) -> list[dict]:
    problems = ProblemItem.objects.filter(unit=unit)
    latest = problems.order_by("-round__as_of", "-round_id").values_list("round_id", flat=True).first()
    if latest is None:
        return [{"label": "问题整改", "url": reverse("rectification:index"), "text": "没有问题清单"}]
    return [
        {
            "label": "问题整改",
            "url": reverse("rectification:unit", args=[latest, unit.pk]),
            "text": f"待整改 {problems.filter(status__in=ACTIVE).count()} 项，已销号 "
            f"{problems.filter(status=ProblemStatus.CLOSED).count()} 项",
        }
    ]
