"""Exporting a round's 误报 (those marked by evaluators and those granted on appeal) as regression cases."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from gongkai.reports.regressions import write_case
from gongkai.web.evaluation.models import Decision, StoredFinding


def export_false_alarms(
    round_, out: Path, checks: Iterable[str] = (), unit: str = "", limit: int = 0
) -> list[Path]:
    """One case per finding marked 误报 whose unit's archive is still on disk (one per unit, check and
    subject: a repeated finding is one case); `checks` and `unit` (part of its name) narrow the export,
    `limit` keeps that many cases per check. Returns the case directories."""
    findings = StoredFinding.objects.filter(
        round_unit__round=round_, review__decision=Decision.FALSE_ALARM
    ).select_related("round_unit__unit", "review")
    if checks:
        findings = findings.filter(check_id__in=list(checks))
    if unit:
        findings = findings.filter(round_unit__unit__name__contains=unit)
    written, seen, per_check = [], set(), Counter()
    for f in findings.order_by("check_id", "round_unit__unit__name", "pk"):
        archive = Path(f.round_unit.archive or "")
        key = (f.round_unit_id, f.check_id, f.subject)
        if not archive.is_file() or key in seen or (limit and per_check[f.check_id] >= limit):
            continue
        seen.add(key)
        per_check[f.check_id] += 1
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{f.check_id}-r{round_.pk}-u{f.round_unit.unit_id}-f{f.pk}")
        not_verdicts = ["FAIL"] if f.verdict == "FAIL" else ["FAIL", "UNCERTAIN"]
        data = {
            "check": f.check_id,
            "subject": f.subject,
            "item": f.item,
            "message": f.message,
            "verdict": f.verdict,
            "not_verdicts": not_verdicts,
            "reason": f.review.reason,
            "framework": round_.framework_id,
            "framework_version": round_.framework_version,
            "as_of": round_.as_of.isoformat(),
            "unit_group": f.round_unit.group,
            "unit_name": f.round_unit.unit.name,
            "site": f.round_unit.url,
            "source": f"{round_.name} · {f.round_unit.unit.name}",
            "status": "open",
        }
        written.append(write_case(out / name, archive, data))
    return written
