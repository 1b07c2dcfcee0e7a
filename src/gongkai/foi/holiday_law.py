"""Statutory holidays of the 全国年节及纪念日放假办法 (第二条), as data with effective dates.

Before the State Council publishes a year's schedule (国务院办公厅关于YYYY年部分节假日安排的通知,
usually in November or December), the only days off known for certain are the weekends and the
statutory holidays fixed by the 办法: 元旦, 春节 (lunar, with 除夕 from 2025), 清明 (solar term),
劳动节, 端午 and 中秋 (lunar), 国庆. :func:`statutory_holidays` computes them for any year from
``holiday_law.yaml`` (one entry per version in force) with the lunar calendar of ``lunar_python``.
The 调休 (swapped weekend working days and the bridging days off) cannot be known in advance:
a deadline counted on these days is provisional (暂定).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from lunar_python import Lunar, Solar

__all__ = ["LawVersion", "law_versions", "statutory_holidays", "version_on"]

_DATA = Path(__file__).with_name("holiday_law.yaml")


@dataclass(frozen=True)
class LawVersion:
    effective_from: date
    source: str
    holidays: tuple[tuple[str, tuple[dict[str, str], ...]], ...]


@lru_cache(maxsize=1)
def law_versions() -> tuple[LawVersion, ...]:
    """The versions of the 办法, oldest first (loaded once)."""
    raw = yaml.load(_DATA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    versions = [
        LawVersion(
            effective_from=entry["effective_from"],
            source=entry["source"],
            holidays=tuple((h["name"], tuple(h["days"])) for h in entry["holidays"]),
        )
        for entry in raw
    ]
    return tuple(sorted(versions, key=lambda v: v.effective_from))


def version_on(d: date) -> LawVersion | None:
    """The version of the 办法 in force on ``d`` (None before the first one recorded)."""
    found = None
    for v in law_versions():
        if v.effective_from <= d:
            found = v
    return found


@lru_cache(maxsize=512)
def _lunar_to_solar(year: int, month: int, day: int) -> date:
    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _day(year: int, spec: dict[str, str]) -> date:
    if "solar" in spec:
        m, d = spec["solar"].split("-")
        return date(year, int(m), int(d))
    if "term" in spec:
        s = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()[spec["term"]]
        return date(s.getYear(), s.getMonth(), s.getDay())
    lunar = spec["lunar"]
    if lunar == "eve":
        return _lunar_to_solar(year, 1, 1) - timedelta(days=1)
    m, d = lunar.split("-")
    return _lunar_to_solar(year, int(m), int(d))


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays falling in ``year``: date -> festival name (调休 not included)."""
    out: dict[date, str] = {}
    versions = law_versions()
    for i, v in enumerate(versions):
        ends = versions[i + 1].effective_from if i + 1 < len(versions) else date.max
        if v.effective_from > date(year, 12, 31) or ends <= date(year, 1, 1):
            continue  # not in force at any time of the year
        # a festival of lunar year Y+1 can fall in Y (除夕 on 12-31 never happens, but stay general)
        for name, days in v.holidays:
            for spec in days:
                d = _day(year, spec)  # lunar dates of lunar year Y (除夕 included) fall in solar year Y
                if d.year == year and version_on(d) is v:
                    out[d] = name
    return dict(sorted(out.items()))
