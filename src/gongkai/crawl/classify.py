"""Column kinds: the vocabulary of `Column.kind` and the classifier from a column's name.

The vocabulary is data: ``frameworks/data/vocab/catalogue.yaml`` lists the kinds in matching order, each
with its keywords (an administrator's file named by ``GONGKAI_CATALOGUE`` is merged over it). Names are
normalised first (全角/半角, whitespace, numbering such as 一、 or ①, a trailing 更多 or >>), so
"（一）政府信息公开指南 >>" is a ``guide``; the link texts naming the 专栏 are listed there too. Unit names (市统计局) and names longer than 20 characters
are ``other``.

Stable kinds: news, notice, policy, normative, interpretation, personnel, plan, guide, system,
statutory, annual_report, budget, consultation, stats, and for the rest of 条例第二十条 and the 重点领域:
institution, permit, enforcement, fees, procurement, project, emergency, supervision, meeting,
proposal, key_area, standard_catalogue, area; ``other`` for anything else.
"""

from __future__ import annotations

from gongkai.frameworks.catalogue import load_catalogue


def _kinds() -> dict[str, str]:
    return load_catalogue().labels


KINDS: dict[str, str] = _kinds()

# Column kinds that live inside the 政府信息公开专栏.
ZHUANLAN_KINDS = frozenset(KINDS) - {"news", "notice", "other"}


def classify(name: str) -> str:
    """The kind of a column from its name; ``other`` when nothing matches."""
    return load_catalogue().classify(name or "")


def is_zhuanlan_name(text: str) -> bool:
    """Whether a link text names the 政府信息公开 column (政府信息公开, 政务公开, 信息公开)."""
    return load_catalogue().is_zhuanlan_name(text or "")
