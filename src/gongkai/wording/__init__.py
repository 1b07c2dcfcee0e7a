"""Wording checks' engine (no Django): dictionaries as versioned data and a multi-pattern matcher.

- ``load_entries``, ``load_leaders``: the dictionaries (frameworks/data/vocab/wording/*.yaml and the
  administrator's files), validated with line-precise Chinese errors.
- ``matcher(dictionaries, leaders)``: the cached ``Matcher``; ``Matcher.scan(text, page_date)`` gives
  ``Hit``s with verdict, reason, suggested correction and the sentence.
- ``register_source``, ``register_leaders_source``, ``register_allow_source``: entries, leaders and
  remembered 误报 kept elsewhere (the web platform's database) merged at check time.
"""

from gongkai.wording.dictionary import (
    SEVERITIES,
    Entry,
    Leader,
    Leaders,
    load_entries,
    load_leaders,
    with_leaders,
)
from gongkai.wording.matcher import (
    FAIL,
    UNCERTAIN,
    Hit,
    Matcher,
    matcher,
    quoted,
    register_allow_source,
    register_leaders_source,
    register_source,
    remembered_allowances,
    sentence_at,
)

__all__ = [
    "FAIL",
    "SEVERITIES",
    "UNCERTAIN",
    "Entry",
    "Hit",
    "Leader",
    "Leaders",
    "Matcher",
    "load_entries",
    "load_leaders",
    "matcher",
    "quoted",
    "register_allow_source",
    "register_leaders_source",
    "register_source",
    "remembered_allowances",
    "sentence_at",
    "with_leaders",
]
