"""The availability panel on a unit's page."""

from __future__ import annotations

from django.urls import reverse

from gongkai.web.monitoring.models import AvailabilityAlert, ProbeTarget


def unit_stats(unit, user) -> list[dict]:
    if not ProbeTarget.objects.filter(unit=unit, active=True).exists():
        return []
    alert = AvailabilityAlert.objects.filter(unit=unit).first()
    text = (
        f"最近提醒：{alert.get_level_display()}（{alert.day:%m-%d}，失败 {alert.share:.2%}）"
        if alert
        else "近期无可用性提醒"
    )
    return [{"label": "可用性监测", "url": reverse("monitoring:unit", args=[unit.pk]), "text": text}]
