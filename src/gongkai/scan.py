"""One site, end to end: crawl (or an archived crawl) -> site model -> checks -> score -> report data.

``scan_site`` crawls politely and evaluates; ``scan_archive`` re-evaluates an archived crawl with
any framework or date, with no network (crawl once, judge many times). Both return a
``ScanResult`` whose ``as_json()`` is the contracts.md scan JSON (plus extra keys: band, bonus,
per-item scores and the manual items an evaluator must judge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.checks import run_checks
from gongkai.frameworks import Framework, UnitScore, load_framework, score
from gongkai.model import Finding, SiteModel, Verdict

DEFAULT_FRAMEWORK = "zwgk-2026"
VERDICT_ORDER = {Verdict.FAIL: 0, Verdict.UNCERTAIN: 1, Verdict.NOT_ASSESSABLE: 2, Verdict.PASS: 3}


@dataclass(frozen=True)
class ManualItem:
    """An item the evaluator must judge, with the pages to look at."""

    path: str
    name: str
    points: float
    type: str
    what: str
    pages: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "item": self.path,
            "name": self.name,
            "points": self.points,
            "type": self.type,
            "what": self.what,
            "pages": list(self.pages),
        }


@dataclass
class ScanResult:
    site: str
    as_of: dt.date
    framework: Framework
    unit_group: str
    unit_name: str
    crawl: dict[str, Any]
    findings: list[Finding]
    score: UnitScore
    manual: list[ManualItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for f in self.findings:
            out[f.verdict.value] += 1
        return out

    def as_json(self) -> dict[str, Any]:
        findings = sorted(self.findings, key=lambda f: (VERDICT_ORDER[f.verdict], f.item, f.check, f.subject))
        s = self.score
        return {
            "site": self.site,
            "as_of": self.as_of.isoformat(),
            "framework": {
                "id": self.framework.id,
                "version": self.framework.version,
                "name": self.framework.name,
            },
            "unit": {"name": self.unit_name, "group": self.unit_group},
            "crawl": self.crawl,
            "findings": [f.as_dict() for f in findings],
            "score": {
                "total": round(s.total, 2),
                "max": round(s.max, 2),
                "rate": round(s.rate, 4),
                "veto": s.veto,
                "band": s.band,
                "bonus": round(s.bonus, 2),
                "veto_items": list(s.veto_items),
                "pending": list(s.pending),
                "items": [i.as_dict() for i in s.items],
            },
            "manual": [m.as_dict() for m in self.manual],
        }


def manual_items(
    framework: Framework, unit_group: str, site: SiteModel, scored: UnitScore
) -> list[ManualItem]:
    """Items left for the evaluator (manual, or automatic but not assessable), with pages to look at."""
    pending = set(scored.pending)
    out = []
    for leaf in framework.leaves():
        if unit_group not in leaf.applies_to or leaf.path not in pending:
            continue
        kinds = set(leaf.pages)
        pages = [c.url for c in site.columns if c.kind in kinds] if kinds else []
        if not pages:
            pages = [site.zhuanlan_url or site.site]
        what = leaf.manual or "自动检查无法评估，请人工核实。"
        out.append(ManualItem(leaf.path, leaf.name, leaf.points, leaf.type, what, tuple(pages)))
    return out


def evaluate(
    site: SiteModel,
    framework: Framework,
    as_of: dt.date,
    *,
    unit_group: str = "other",
    unit_name: str = "",
    calendar: Any = None,
    manual_scores: Mapping[str, float] | None = None,
    not_applicable: tuple[str, ...] = (),
    crawl: Mapping[str, Any] | None = None,
) -> ScanResult:
    """Checks and score of one site model (no network)."""
    findings = run_checks(
        site,
        framework,
        as_of,
        unit_group=unit_group,
        calendar=calendar,
        unit_name=unit_name,
        not_applicable=not_applicable,
    )
    result = score(framework, findings, unit_group, manual_scores, None, not_applicable, unit_name)
    info = dict(crawl or {})
    info.setdefault("pages", len(site.pages))
    info.setdefault("errors", len(site.errors))
    info.setdefault("partial", site.partial)
    info.setdefault("archive", site.archive)
    return ScanResult(
        site=site.site,
        as_of=as_of,
        framework=framework,
        unit_group=unit_group,
        unit_name=unit_name,
        crawl=info,
        findings=findings,
        score=result,
        manual=manual_items(framework, unit_group, site, result),
    )


def _framework(framework: Framework | str | None) -> Framework:
    if isinstance(framework, Framework):
        return framework
    return load_framework(framework or DEFAULT_FRAMEWORK)


def scan_site(
    url: str,
    *,
    out_dir: Path,
    as_of: dt.date | None = None,
    framework: Framework | str | None = None,
    rate: float | None = None,
    unit_group: str = "other",
    unit_name: str = "",
    calendar: Any = None,
    config: Any = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
    zhuanlan: str = "",
) -> ScanResult:
    """Crawl ``url`` politely into ``out_dir`` and evaluate it (``zhuanlan``: its 专栏, when elsewhere)."""
    from gongkai.crawl import CrawlConfig, crawl_site

    fw = _framework(framework)
    config = config or CrawlConfig()
    if rate is not None:
        config.rate = rate
    crawled = crawl_site(url, Path(out_dir), config, progress=progress, zhuanlan=zhuanlan)
    info = {
        "pages": crawled.pages,
        "errors": crawled.errors,
        "partial": crawled.partial,
        "archive": str(crawled.archive),
        "rendered": crawled.rendered,  # script-filled pages read as a browser rendered them
    }
    if crawled.faults:
        info["faults"] = list(crawled.faults)
    return evaluate(
        crawled.site_model,
        fw,
        as_of or dt.date.today(),
        unit_group=unit_group,
        unit_name=unit_name,
        calendar=calendar,
        crawl=info,
    )


def scan_archive(
    archive: Path,
    *,
    as_of: dt.date | None = None,
    framework: Framework | str | None = None,
    site: str | None = None,
    unit_group: str = "other",
    unit_name: str = "",
    calendar: Any = None,
) -> ScanResult:
    """Re-evaluate an archived crawl (WARC) with any framework and cut-off date; no network."""
    from gongkai.crawl import extract_archive

    fw = _framework(framework)
    model = extract_archive(Path(archive), site)
    return evaluate(
        model,
        fw,
        as_of or dt.date.today(),
        unit_group=unit_group,
        unit_name=unit_name,
        calendar=calendar,
        crawl={"archive": str(archive)},  # pages, errors and partial come from the model
    )
