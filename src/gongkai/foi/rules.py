"""Statutory parameters with effective dates: reply days, extension, 补正, consultation and fee
payment periods, fee bands. Loaded once from ``rules.yaml``; :func:`rules_on` gives the version in
force on a date (an application's receipt date), so a change of the rules applies from its date and
earlier applications keep theirs."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["Band", "Rules", "current_rules", "rule_versions", "rules_on"]

_DATA = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class Band:
    """Units ``first``..``last`` (inclusive; ``last`` None = no end) cost ``rate`` 元 each."""

    first: int
    last: int | None
    rate: int


@dataclass(frozen=True)
class Rules:
    effective_from: date
    source: str
    reply_days: int
    max_extension: int
    correction_notice_days: int
    consultation_days: int
    fee_payment_days: int
    per_request_bands: tuple[Band, ...] = ()
    per_request_step: tuple[int, int] = (0, 0)
    by_volume_bands: tuple[Band, ...] = ()

    @property
    def has_fees(self) -> bool:
        return bool(self.per_request_bands)


def _bands(raw: list[list[int | None]]) -> tuple[Band, ...]:
    return tuple(Band(int(a or 0), None if b is None else int(b), int(r or 0)) for a, b, r in raw)


def _version(entry: dict) -> Rules:
    fees = entry.get("fees") or {}
    per_request = fees.get("per_request") or {}
    return Rules(
        effective_from=entry["effective_from"],
        source=entry["source"],
        reply_days=int(entry["reply_days"]),
        max_extension=int(entry["max_extension"]),
        correction_notice_days=int(entry["correction_notice_days"]),
        consultation_days=int(entry["consultation_days"]),
        fee_payment_days=int(entry["fee_payment_days"]),
        per_request_bands=_bands(per_request.get("bands", [])),
        per_request_step=tuple(per_request.get("step", (0, 0))),  # type: ignore[arg-type]
        by_volume_bands=_bands((fees.get("by_volume") or {}).get("bands", [])),
    )


@lru_cache(maxsize=1)
def rule_versions() -> tuple[Rules, ...]:
    """Every version, oldest first (loaded once)."""
    raw = yaml.load(_DATA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return tuple(sorted((_version(e) for e in raw), key=lambda r: r.effective_from))


@lru_cache(maxsize=1)
def _starts() -> list[int]:
    return [r.effective_from.toordinal() for r in rule_versions()]


def rules_on(d: date) -> Rules:
    """The version in force on ``d`` (the oldest one recorded for an earlier date)."""
    versions = rule_versions()
    i = bisect.bisect_right(_starts(), d.toordinal()) - 1
    return versions[max(i, 0)]


def current_rules() -> Rules:
    """The newest version."""
    return rule_versions()[-1]
