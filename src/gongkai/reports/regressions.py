"""Real false alarms as regression cases: a case is a directory holding the unit's archived crawl (WARC), and
case.json naming the check, the subject it wrongly judged, the verdicts it must not give again, the framework,
the cut-off date and the unit. Re-checking the archive (no network) tells whether the false alarm is still
there; tests/regressions/ loads every case, so each 误报 and granted appeal becomes a test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gongkai.model import Finding

CASE_FILE = "case.json"
ARCHIVE_FILE = "site.warc.gz"


@dataclass(frozen=True)
class Case:
    path: Path
    check: str
    subject: str
    not_verdicts: tuple[str, ...]
    framework: str
    as_of: str
    unit_group: str
    unit_name: str
    site: str
    status: str  # "open" while the check still gives the false alarm, "fixed" once it no longer does
    reason: str = ""

    @property
    def archive(self) -> Path:
        return self.path / ARCHIVE_FILE


def write_case(directory: Path, archive: Path, data: dict) -> Path:
    """Write a case: the archive copied beside case.json (UTF-8, readable in review)."""
    import shutil

    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(archive, directory / ARCHIVE_FILE)
    (directory / CASE_FILE).write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return directory


def load_case(directory: Path) -> Case:
    data = json.loads((directory / CASE_FILE).read_text(encoding="utf-8"))
    return Case(
        path=directory,
        check=data["check"],
        subject=data.get("subject", ""),
        not_verdicts=tuple(data.get("not_verdicts", ["FAIL"])),
        framework=data["framework"],
        as_of=data["as_of"],
        unit_group=data.get("unit_group", "other"),
        unit_name=data.get("unit_name", ""),
        site=data.get("site", ""),
        status=data.get("status", "open"),
        reason=data.get("reason", ""),
    )


def find_cases(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob(f"*/{CASE_FILE}")) if root.is_dir() else []


def recurring_false_alarms(case: Case) -> list[Finding]:
    """The findings of the case's check on its subject that it must not give, from re-checking the archive."""
    import datetime as dt

    from gongkai.scan import scan_archive

    result = scan_archive(
        case.archive,
        as_of=dt.date.fromisoformat(case.as_of),
        framework=case.framework,
        site=case.site or None,
        unit_group=case.unit_group,
        unit_name=case.unit_name,
    )
    return [
        f
        for f in result.findings
        if f.check == case.check
        and f.verdict.value in case.not_verdicts
        and (not case.subject or f.subject == case.subject)
    ]
