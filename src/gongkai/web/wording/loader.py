"""The loader hook: the active database entries as gongkai.wording Entries, versioned by their history."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.db.models import Count, Max

from gongkai.wording import Entry, Leader

log = logging.getLogger(__name__)


def entries() -> list[Entry]:
    from gongkai.web.wording.models import WordingEntry

    return [
        Entry(
            e.phrase,
            e.correct,
            e.category,
            e.severity,
            e.source,
            e.must_not_use and e.severity == "serious",
            e.until,
            tuple(e.exception_list()),
            f"网页维护的词条 #{e.pk}",
        )  # fmt: skip
        for e in WordingEntry.objects.filter(active=True)
    ]


def source() -> tuple[str, Callable[[], Iterable[Entry]]]:
    """(version, load): the version changes with every saved or deleted entry (its history)."""
    from gongkai.web.wording.models import WordingEntry

    try:
        latest = WordingEntry.history.aggregate(id=Max("history_id"), when=Max("history_date"), n=Count("pk"))
    except (DatabaseError, RuntimeError) as exc:  # not migrated, or no database access (tests): built-ins
        log.warning("表述词典数据表不可用，只使用内置词典：%s", exc)
        return "unavailable", list
    return f"db:{latest['id']}:{latest['n']}:{latest['when']}", entries


def leaders() -> tuple[list[Leader], list[str]]:
    from gongkai.web.wording.models import LeaderEntry

    people, unique = [], []
    for e in LeaderEntry.objects.filter(active=True):
        people.append(
            Leader(
                e.name,
                e.group,
                e.order,
                frozenset(e.title_list()),
                tuple(e.past_list()),
                e.confirmed,
                e.source,
            )
        )
        unique.extend(e.unique_title_list())
    return people, unique


def leaders_source() -> tuple[str, Callable[[], tuple[list[Leader], list[str]]]]:
    """(version, load) of the leaders maintained in the web UI."""
    from gongkai.web.wording.models import LeaderEntry

    try:
        latest = LeaderEntry.history.aggregate(id=Max("history_id"), when=Max("history_date"), n=Count("pk"))
    except (DatabaseError, RuntimeError) as exc:
        log.warning("领导人数据表不可用，只使用内置名单：%s", exc)
        return "unavailable", lambda: ([], [])
    return f"leaders:{latest['id']}:{latest['n']}:{latest['when']}", leaders


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def allowances(site_url: str) -> list[dict[str, str]]:
    """The remembered 误报 of the site at ``site_url`` (prefixes on the same host)."""
    from gongkai.web.wording.models import WordingAllowance

    host = _host(site_url)
    try:
        rows = list(WordingAllowance.objects.filter(active=True, url_prefix__icontains=host))
    except (DatabaseError, RuntimeError) as exc:
        log.warning("表述允许清单不可用：%s", exc)
        return []
    return [
        {"phrase": a.phrase, "reason": a.reason, "url": a.url_prefix, "check": a.check_id}
        for a in rows
        if _host(a.url_prefix) == host
    ]
