"""Running a framework's automatic checks on one site model.

Each leaf applicable to the unit group runs its checks with its own parameters; a (check,
parameters) pair shared by several items runs once. Each check sees the site model scoped to the page
roles it declares (``@check(..., roles=...)``): one scoped model and index per role set and run. Findings come back with ``item`` set to
the leaf's path. A check that raises is reported as UNCERTAIN, never as a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from gongkai.checks._site import SiteIndex, dead_catalogue_links, unread_note
from gongkai.checks.registry import CheckContext, get_check, merged_params, scoped
from gongkai.model import Finding, Link, SiteModel, Verdict

if TYPE_CHECKING:
    from gongkai.frameworks.schema import Framework


# Checks that find something absent: unless the crawl read the whole catalogue, their FAILs are not proven.
ABSENCE_CHECKS = frozenset(
    {
        "column.missing",
        "column.blank",
        "annual_report.missing",
        "interpretation.missing",
        "consultation.feedback",
        "homepage.stale",
        "column.stale",
        "column.periodic",
        "catalogue.classification",
    }
)
# Absence checks whose missing thing may sit behind a dead catalogue link inside the 专栏 (a column page
# answering 4xx is that page's outcome, so the crawl still counts as complete). column.missing names the
# dead link that matches each entry itself.
BEHIND_DEAD_LINKS = frozenset(
    {
        "annual_report.missing",
        "interpretation.missing",
        "consultation.feedback",
        "column.periodic",
        "catalogue.classification",
    }
)


def reachable(site: SiteModel) -> bool:
    """True when the crawl read at least one usable page of the site (one that answered, not a block)."""
    if site.coverage is not None:
        return site.coverage.read > 0
    return any(200 <= p.status < 400 for p in site.pages)


def _key(check_id: str, params: dict[str, Any]) -> str:
    return check_id + json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)


def run_checks(
    site_model: SiteModel,
    framework: Framework,
    as_of: dt.date,
    unit_group: str = "other",
    calendar: Any = None,
    unit_name: str = "",
    not_applicable: Iterable[str] = (),
) -> list[Finding]:
    """Every automatic check of ``framework`` that applies to ``unit_group``, as findings with item paths."""
    skipped = tuple(not_applicable)
    alive = reachable(site_model)
    cache: dict[str, list[Finding]] = {}
    views: dict[frozenset[str], tuple[SiteModel, SiteIndex]] = {}  # one scoped model per role set
    # the whole site's pages, not a check's scoped view; read once per run, and only if an absence FAILs
    dead_links = functools.cache(lambda: dead_catalogue_links(site_model, SiteIndex(site_model)))
    out: list[Finding] = []
    for leaf in framework.leaves():
        if unit_group not in leaf.applies_to or any(
            leaf.path == p or leaf.path.startswith(p + "/") for p in skipped
        ):
            continue
        for ref in leaf.checks:
            params = merged_params(ref.check, ref.params)
            key = _key(ref.check, params)
            if key not in cache:
                roles = get_check(ref.check).roles
                if roles not in views:
                    view = scoped(site_model, roles)
                    views[roles] = (view, SiteIndex(view))
                view, index = views[roles]
                ctx = CheckContext(
                    as_of=as_of,
                    params=params,
                    calendar=calendar,
                    unit_group=unit_group,
                    unit_name=unit_name,
                    index=index,
                )
                if not alive and not get_check(ref.check).own_evidence(site_model):
                    cache[key] = [_unassessable(ref.check, site_model)]
                else:
                    cache[key] = _qualify(_safe_run(ref.check, view, ctx), site_model, dead_links)
            out.extend(dataclasses.replace(f, item=leaf.path) for f in cache[key])
    return out


def _unassessable(check_id: str, site: SiteModel) -> Finding:
    why = "网站无法访问，无法检查"
    if site.coverage is not None and site.coverage.cut:
        why = f"未读到网站的任何可用页面（{site.coverage.unread_catalogue()}），无法检查"
    return Finding(check_id, Verdict.NOT_ASSESSABLE, site.site, why)


def _qualify(findings: list[Finding], site: SiteModel, dead_links: Callable[[], list[Link]]) -> list[Finding]:
    """An absence is proven only where the whole catalogue was read: otherwise such FAILs become
    UNCERTAIN, naming what was not read."""
    coverage = site.coverage
    if coverage is None and not site.partial:  # a model made by hand: only its partial flag says anything
        return _behind_dead_links(findings, dead_links)
    if coverage is None:
        note = "抓取未完成，需人工核实"
    elif coverage.catalogue_complete:
        return _behind_dead_links(findings, dead_links)
    else:
        note = f"目录未读完整：{coverage.unread_catalogue()}；需人工核实"
    return [_doubt(f, note) if f.check in ABSENCE_CHECKS else f for f in findings]


def _behind_dead_links(findings: list[Finding], dead_links: Callable[[], list[Link]]) -> list[Finding]:
    if not any(f.verdict is Verdict.FAIL and f.check in BEHIND_DEAD_LINKS for f in findings):
        return findings
    dead = dead_links()
    if not dead:
        return findings
    note = f"{unread_note(dead)}；需人工核实"
    return [_doubt(f, note) if f.check in BEHIND_DEAD_LINKS else f for f in findings]


def _doubt(finding: Finding, note: str) -> Finding:
    if finding.verdict is not Verdict.FAIL:
        return finding
    return dataclasses.replace(finding, verdict=Verdict.UNCERTAIN, message=f"{finding.message}（{note}）")


def _safe_run(check_id: str, site: SiteModel, ctx: CheckContext) -> list[Finding]:
    try:
        return list(get_check(check_id).function(site, ctx))
    except Exception as exc:  # a faulty check or odd input must not stop a whole round
        return [
            Finding(
                check=check_id,
                verdict=Verdict.UNCERTAIN,
                subject=site.site,
                message=f"检查执行出错，需人工核实：{type(exc).__name__}: {exc}",
            )
        ]
