"""Indicator frameworks: versioned YAML files with a schema, and the scorer.

Public API:
- ``load_framework(id_or_path) -> Framework``, ``list_frameworks()``, ``parse_framework(text)``,
  ``FrameworkError`` (Chinese, line-precise problems);
- ``score(framework, findings, unit_group, manual_scores=None, authority=None, not_applicable=(),
  unit="") -> UnitScore``; ``score_group(framework, [UnitInput...])`` (authority averaging across a
  group); ``authority_averages(scores)``; ``rank(framework, scores) -> [Ranked]`` (ties per framework);
- data classes ``Framework``, ``FrameworkItem``, ``CheckRef``, ``PlanRef``, ``UnitScore``, ``ItemScore``,
  ``UnitInput``, ``Ranked``; ``UNIT_GROUPS``.
"""

from gongkai.frameworks.schema import (
    UNIT_GROUP_LABELS,
    UNIT_GROUPS,
    CheckRef,
    Framework,
    FrameworkError,
    FrameworkItem,
    PlanRef,
    list_frameworks,
    load_framework,
    parse_framework,
)
from gongkai.frameworks.score import (
    ItemScore,
    Ranked,
    UnitInput,
    UnitScore,
    authority_averages,
    rank,
    score,
    score_group,
)

__all__ = [
    "UNIT_GROUPS",
    "UNIT_GROUP_LABELS",
    "CheckRef",
    "Framework",
    "FrameworkError",
    "FrameworkItem",
    "PlanRef",
    "ItemScore",
    "Ranked",
    "UnitInput",
    "UnitScore",
    "authority_averages",
    "list_frameworks",
    "load_framework",
    "parse_framework",
    "rank",
    "score",
    "score_group",
]
