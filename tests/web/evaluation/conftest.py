"""Rounds whose units were checked, built directly (findings stored as a crawl would have left them)."""

from __future__ import annotations

import datetime as dt

from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import Round, RoundUnit, StoredFinding
from gongkai.web.testing import make_unit

AS_OF = dt.date(2026, 3, 30)


def checked_unit(round_, name, short, group="department", fail_checks=(), uncertain_checks=()):
    """A unit whose site was checked: a PASS (or FAIL) finding for every check of every automatic leaf."""
    from gongkai.web.units.models import Unit

    unit = Unit.objects.filter(name=name).first() or make_unit(
        name, group=group, short_name=short, website=f"http://u{Unit.objects.count()}.example.gov.cn/"
    )
    ru = RoundUnit.objects.create(round=round_, unit=unit, group=group, status="done", url=unit.website)
    framework = services.framework_of(round_)
    rows = []
    for leaf in framework.leaves():
        if group not in leaf.applies_to:
            continue
        for ref in leaf.checks:
            fail = ref.check in fail_checks
            unsure = ref.check in uncertain_checks
            rows.append(
                StoredFinding(
                    round_unit=ru,
                    check_id=ref.check,
                    item=leaf.path,
                    verdict="FAIL" if fail else ("UNCERTAIN" if unsure else "PASS"),
                    subject="通知公告",
                    message="栏目超过6个月未更新"
                    if fail
                    else ("无法判断栏目更新日期" if unsure else "符合要求"),
                    evidence=[{"url": unit.website + "tzgg/", "snippet": "2025-06-01"}]
                    if fail or unsure
                    else [],
                )
            )
    StoredFinding.objects.bulk_create(rows)
    return ru


def new_round(name="2026年第一季度网上测评", **kw):
    return Round.objects.create(
        name=name, framework_id="zwgk-2026", framework_version="2026.1", as_of=AS_OF, state="scoring", **kw
    )
