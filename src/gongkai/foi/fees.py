"""信息处理费 (条例 第四十二条; 《政府信息公开信息处理费管理办法》 国办函〔2020〕109号).

Two methods, one per request, never both: per request (按件, counted per applicant per calendar
month) and by volume (按量, pages). Both are progressive (超额累进). The bands are data so a
province that sets other figures can pass its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.foi.deadlines import FoiError

__all__ = [
    "Band",
    "PER_REQUEST_BANDS",
    "BY_VOLUME_BANDS",
    "per_request_rate",
    "per_request_total",
    "by_volume_fee",
]


@dataclass(frozen=True)
class Band:
    """Units ``first``..``last`` (inclusive; ``last`` None = no end) cost ``rate`` 元 each."""

    first: int
    last: int | None
    rate: int


# 办法 第四条: ≤10 free; 11–30: 100 元/件; from 31, bands of 10 requests, each +100 元/件.
PER_REQUEST_BANDS: Sequence[Band] = (Band(1, 10, 0), Band(11, 30, 100))
PER_REQUEST_STEP = (10, 100)  # beyond the last band: width and increment

# 办法 第五条: ≤30 pages free; 31–100: 10 元/页; 101–200: 20 元/页; 201+: 40 元/页.
BY_VOLUME_BANDS: Sequence[Band] = (Band(1, 30, 0), Band(31, 100, 10), Band(101, 200, 20), Band(201, None, 40))


def per_request_rate(nth: int) -> int:
    """Fee in 元 of an applicant's ``nth`` request of the calendar month (1-based)."""
    if nth < 1:
        raise FoiError(f"申请序号应从 1 开始，实际为 {nth}")
    for band in PER_REQUEST_BANDS:
        if band.last is None or nth <= band.last:
            return band.rate
    last = PER_REQUEST_BANDS[-1]
    width, step = PER_REQUEST_STEP
    assert last.last is not None
    return last.rate + step * ((nth - last.last - 1) // width + 1)


def per_request_total(count: int) -> int:
    """Total fee in 元 for ``count`` requests by one applicant in one month (35 -> 3000)."""
    if count < 0:
        raise FoiError(f"申请件数不能为负数：{count}")
    return sum(per_request_rate(n) for n in range(1, count + 1))


def by_volume_fee(pages: int, bands: Sequence[Band] = BY_VOLUME_BANDS) -> int:
    """Fee in 元 for ``pages`` pages (250 -> 4700)."""
    if pages < 0:
        raise FoiError(f"页数不能为负数：{pages}")
    total = 0
    for band in bands:
        top = pages if band.last is None else min(pages, band.last)
        if top >= band.first:
            total += (top - band.first + 1) * band.rate
    return total
