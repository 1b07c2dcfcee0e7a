"""The check registry: check id -> CheckSpec (function, default parameters, Chinese doc).

A check is a pure function ``(site: SiteModel, ctx: CheckContext) -> Iterable[Finding]``
registered with ``@check("column.stale", params={...}, doc="...", roles=ALL_ROLES)``. Built-in checks register
themselves when their family module is imported (see ``gongkai.checks.BUILTIN_MODULES``);
frameworks name checks by id, and an unknown id fails the framework load.

``CheckContext`` carries everything a check may not take from the world itself: the data
cut-off date (``as_of``), the working-day calendar, the item's YAML parameters merged over
the check's defaults, and the unit's group and name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai.model import Finding, SiteModel

# Page roles (crawl/roles.py assigns them; docs/checks.md "网页角色"). A check declares the roles of the
# pages it judges; the runner hands it a site model whose pages and documents have only those roles.
ROLES: dict[str, str] = {
    "home": "首页",
    "catalogue": "目录页（专栏首页、栏目导航页）",
    "list": "列表页",
    "zhuanlan_document": "专栏公开信息",
    "article": "专栏外文章",
    "service": "服务页（联系我们、网站地图、搜索、留言等）",
    "attachment": "附件",
    "other": "其他（跳转页、错误页、数据接口）",
}
ALL_ROLES = frozenset(ROLES)
DOCUMENT_ROLES = frozenset({"zhuanlan_document", "article"})  # content pages, inside the 专栏 or not

CheckFunction = Callable[[SiteModel, "CheckContext"], Iterable[Finding]]
ParamValidator = Callable[[Mapping[str, Any]], list[str]]
# Whether a check has evidence of its own on a site whose crawl read no page (probes, the failed fetches).
OwnEvidence = Callable[[SiteModel], bool]


def _never(_site: SiteModel) -> bool:
    return False


class UnknownCheckError(KeyError):
    """A check id that is not registered."""

    def __init__(self, check_id: str) -> None:
        super().__init__(check_id)
        self.check_id = check_id

    def __str__(self) -> str:
        return f"未知的检查项：{self.check_id}"


@dataclass(frozen=True)
class CheckSpec:
    """One registered check: its id, function, default parameters and Chinese documentation."""

    id: str
    function: CheckFunction
    params: Mapping[str, Any]
    doc: str
    family: str = ""
    roles: frozenset[str] = ALL_ROLES  # page roles the check judges
    validate: ParamValidator | None = None  # Chinese problems with a framework's parameters, if any
    own_evidence: OwnEvidence = _never  # True: the check runs even when the crawl read nothing


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the site: cut-off date, calendar, parameters, unit."""

    as_of: dt.date
    params: Mapping[str, Any] = field(default_factory=dict)
    calendar: Any = None  # a gongkai.calendar.WorkingCalendar; None = the default calendar
    unit_group: str = "other"
    unit_name: str = ""
    index: Any = None  # a gongkai.checks._site.SiteIndex shared by the checks of one run

    def param(self, name: str) -> Any:
        """A parameter of the item, else the check's default (KeyError when neither has it)."""
        return self.params[name]

    def working_calendar(self) -> Any:
        """The calendar passed in, else the platform's default working-day calendar."""
        if self.calendar is not None:
            return self.calendar
        from gongkai.calendar import default_calendar

        return default_calendar()


REGISTRY: dict[str, CheckSpec] = {}


def check(
    check_id: str,
    *,
    doc: str,
    params: Mapping[str, Any] | None = None,
    roles: Iterable[str] = ALL_ROLES,
    validate: ParamValidator | None = None,
    own_evidence: OwnEvidence = _never,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as the check ``check_id`` with default ``params``, a Chinese ``doc`` and the
    page ``roles`` it judges (all by default); ``validate`` checks a framework's parameters at load time;
    ``own_evidence(site)`` says whether the check can judge a site whose crawl read no page (otherwise
    such a site gets NOT_ASSESSABLE without running the check)."""
    scope = frozenset(roles)
    if not scope or scope - ALL_ROLES:
        raise ValueError(f"检查项 {check_id} 的网页角色无效：{sorted(scope - ALL_ROLES) or '（空）'}")

    def register(function: CheckFunction) -> CheckFunction:
        if check_id in REGISTRY and REGISTRY[check_id].function is not function:
            raise ValueError(f"检查项 {check_id} 重复注册")
        family = function.__module__.rsplit(".", 1)[-1]
        REGISTRY[check_id] = CheckSpec(
            check_id, function, dict(params or {}), doc, family, scope, validate, own_evidence
        )
        return function

    return register


def get_check(check_id: str) -> CheckSpec:
    """The spec registered under ``check_id``; raises UnknownCheckError (Chinese message)."""
    _load_builtins()
    try:
        return REGISTRY[check_id]
    except KeyError:
        raise UnknownCheckError(check_id) from None


def all_checks() -> dict[str, CheckSpec]:
    """Every registered check, by id (built-ins included)."""
    _load_builtins()
    return dict(sorted(REGISTRY.items()))


def merged_params(check_id: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The check's default parameters overridden by ``params``; unknown names raise ValueError."""
    spec = get_check(check_id)
    merged = dict(spec.params)
    for name, value in (params or {}).items():
        if name not in spec.params:
            known = "、".join(spec.params) or "（无参数）"
            raise ValueError(f"检查项 {check_id} 没有参数 {name}（可用参数：{known}）")
        merged[name] = value
    return merged


def run_check(
    check_id: str,
    site: SiteModel,
    as_of: dt.date,
    params: Mapping[str, Any] | None = None,
    **context: Any,
) -> list[Finding]:
    """Run one check with its defaults overridden by ``params``; findings in a list."""
    spec = get_check(check_id)
    ctx = CheckContext(as_of=as_of, params=merged_params(check_id, params), **context)
    return list(spec.function(scoped(site, spec.roles), ctx))


def scoped(site: SiteModel, roles: frozenset[str]) -> SiteModel:
    """The site model as a check of ``roles`` sees it: without the pages of other roles and the documents
    on them (columns, items and links stay whole; a page with no role, as in models built by hand, stays).
    All roles: the model itself."""
    if roles >= ALL_ROLES:
        return site
    excluded = {p.url for p in site.pages if p.role and p.role not in roles}
    if not excluded:
        return site
    pages = tuple(p for p in site.pages if p.url not in excluded)
    documents = tuple(d for d in site.documents if d.url not in excluded)
    return dataclasses.replace(site, pages=pages, documents=documents)


def _load_builtins() -> None:
    import gongkai.checks  # noqa: F401  (imports the family modules, which register)
