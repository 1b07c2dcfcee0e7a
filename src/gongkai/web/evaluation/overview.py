"""Figures of evaluation rounds for the overview page."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.accounts.access import LIAISON, role_of, visible_unit_ids
from gongkai.web.evaluation.models import Round, StoredFinding


def stats(user) -> list[dict]:
    rounds = Round.objects.all()
    fails = StoredFinding.objects.filter(verdict="FAIL")
    if role_of(user) == LIAISON:
        ids = visible_unit_ids(user)
        rounds = rounds.filter(units__unit_id__in=ids).distinct()
        fails = fails.filter(round_unit__unit_id__in=ids)
    url = reverse("evaluation:index")
    return [
        {"label": "测评批次", "value": rounds.count(), "url": url},
        {"label": "测评发现的问题", "value": fails.count(), "url": url},
    ]
