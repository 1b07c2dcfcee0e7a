"""Figures of evaluation rounds for the overview page."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.accounts.access import LIAISON, role_of, visible_unit_ids
from gongkai.web.evaluation.models import Round, RoundState


def stats(user) -> list[dict]:
    rounds = Round.objects.all()
    if role_of(user) == LIAISON:
        rounds = rounds.filter(units__unit_id__in=visible_unit_ids(user)).distinct()
    latest = rounds.filter(state=RoundState.PUBLISHED).order_by("-as_of", "-pk").first()
    out = [{"label": "测评批次", "value": rounds.count(), "url": reverse("evaluation:index")}]
    if latest is not None:
        out.append(
            {
                "label": f"最近发布：{latest.name}",
                "value": f"{latest.units.count()} 个单位",
                "url": latest.get_absolute_url(),
            }
        )
    return out


def unit_stats(unit, user) -> list[dict]:
    from gongkai.web.evaluation.models import UnitResult

    result = (
        UnitResult.objects.filter(round_unit__unit=unit)
        .select_related("round_unit__round")
        .order_by("-round_unit__round__as_of", "-pk")
        .first()
    )
    if result is None:
        return [{"label": "网站测评", "url": reverse("evaluation:index"), "text": "尚未参加测评"}]
    veto = "，单项否决" if result.veto else ""
    return [
        {
            "label": "网站测评",
            "url": reverse("evaluation:unit", args=[result.round_unit_id]),
            "text": f"{result.round_unit.round.name}：得分率 {result.rate:.2f}%，组内第 {result.rank} 名{veto}",
        }
    ]
