"""Automated checks: pure functions from a site model to findings, registered by id.

Public API (others import only these):
- ``check``, ``CheckContext``, ``CheckSpec``, ``REGISTRY``, ``all_checks``, ``get_check``,
  ``run_check``: the registry (gongkai.checks.registry).
- ``run_checks(site_model, framework, as_of, unit_group=..., calendar=None)``: every automatic
  check a framework names, each with its item's parameters; findings carry the item path.

Built-in families register themselves on import, listed in ``BUILTIN_MODULES``.
"""

from __future__ import annotations

import importlib

from gongkai.checks.registry import (
    REGISTRY,
    CheckContext,
    CheckSpec,
    UnknownCheckError,
    all_checks,
    check,
    get_check,
    run_check,
)

BUILTIN_MODULES = (
    "gongkai.checks.site",
    "gongkai.checks.column",
    "gongkai.checks.link",
    "gongkai.checks.meta",
    "gongkai.checks.interpretation",
    "gongkai.checks.consultation",
    "gongkai.checks.guide",
    "gongkai.checks.annual",
    "gongkai.checks.title",
    "gongkai.checks.privacy",
    "gongkai.checks.document",
    "gongkai.checks.periodic",
    "gongkai.checks.classification",
    "gongkai.checks.wording",
    "gongkai.checks.interaction",
    "gongkai.checks.availability",
)
for _name in BUILTIN_MODULES:
    importlib.import_module(_name)

from gongkai.checks.runner import run_checks  # noqa: E402

__all__ = [
    "REGISTRY",
    "BUILTIN_MODULES",
    "CheckContext",
    "CheckSpec",
    "UnknownCheckError",
    "all_checks",
    "check",
    "get_check",
    "run_check",
    "run_checks",
]
