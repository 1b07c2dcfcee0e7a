"""Pre-warnings: when a target's failure share over the rolling window passes the warning line (3%) or the
veto line (5%), its unit's liaisons get a reminder in the platform (an AvailabilityAlert they see on their
unit's page) and, when an SMTP server is configured (GONGKAI_EMAIL_HOST), by e-mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from gongkai.monitor.rule import ProbeState
from gongkai.web.monitoring.models import AlertLevel, AvailabilityAlert, Probe, ProbeTarget

log = logging.getLogger(__name__)


def rolling_counts(target_id: int, now: float, window_days: int) -> tuple[int, int]:
    """(counted, failed) probes of the target over the ``window_days`` days before ``now``."""
    row = Probe.objects.filter(
        target_id=target_id, slot__gt=now - window_days * 86400, slot__lte=now
    ).aggregate(
        up=Count("id", filter=Q(state=ProbeState.UP)), down=Count("id", filter=Q(state=ProbeState.DOWN))
    )
    return row["up"] + row["down"], row["down"]


def check_targets(target_ids: Iterable[int], now: float, cfg) -> list[AvailabilityAlert]:
    """Alerts for targets past a line (at most one per target, level and day); returns the new ones."""
    from gongkai.web.monitoring.scheduler import local_day

    made = []
    for target in ProbeTarget.objects.filter(pk__in=set(target_ids)).select_related("unit"):
        counted, failed = rolling_counts(target.pk, now, cfg.window_days)
        if counted < cfg.per_day:  # less than a day of probes: too early to warn
            continue
        share = failed / counted
        # the veto line is judged on a full window's worth of probes (a rolling window that ends on a
        # failure overstates the share while it is short); before that a high share is a warning
        if share > cfg.max_share and counted >= cfg.per_day * cfg.window_days:
            level, line = AlertLevel.VETO, cfg.max_share
        elif share > cfg.warn_share:
            level, line = AlertLevel.WARN, cfg.warn_share
        else:
            continue
        message = (
            f"{target.unit.name}{target.get_kind_display()}近 {cfg.window_days} 天定时探测 {counted} 次，"
            f"失败 {failed} 次（{share:.2%}），已超过{'否决线' if level == AlertLevel.VETO else '预警线'} "
            f"{line:.0%}（{target.url}）。请尽快排查网站服务。"
        )
        try:
            with transaction.atomic():
                alert = AvailabilityAlert.objects.create(
                    unit=target.unit, target=target, level=level, day=local_day(now), share=share,
                    counted=counted, failed=failed, window_days=cfg.window_days, message=message,
                )  # fmt: skip
        except IntegrityError:
            continue  # already reminded today (another worker, an earlier tick)
        alert.emailed = email_liaisons(alert)
        if alert.emailed:
            AvailabilityAlert.objects.filter(pk=alert.pk).update(emailed=alert.emailed)
        made.append(alert)
    return made


def recipients(unit) -> list[str]:
    """The unit's liaison e-mail and the e-mails of the platform accounts of its liaisons."""
    from gongkai.web.accounts.models import Profile, Role

    emails = [unit.liaison_email] if unit.liaison_email else []
    emails += (
        Profile.objects.filter(role=Role.LIAISON, unit=unit)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def email_liaisons(alert: AvailabilityAlert) -> int:
    """E-mail the reminder when an SMTP server is configured; returns how many addresses it went to."""
    to = recipients(alert.unit)
    if not settings.EMAIL_HOST or not to:
        return 0
    subject = f"【网站可用性{alert.get_level_display()}】{alert.unit.name}"
    try:
        send_mail(subject, alert.message, None, to, fail_silently=False)
    except Exception:  # a mail server down must not stop the probes; the in-platform reminder stays
        log.exception("availability reminder e-mail failed")
        return 0
    return len(to)
