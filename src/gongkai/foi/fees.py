"""信息处理费 (条例 第四十二条; 《政府信息公开信息处理费管理办法》 国办函〔2020〕109号).

Two methods, one per request, never both: per request (按件, counted per applicant per calendar
month) and by volume (按量, pages). Both are progressive (超额累进). The bands are data
(``rules.yaml``, by effective date) so a change applies from its date and a province that sets
other figures can pass its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.foi.deadlines import FoiError
from gongkai.foi.rules import Band, Rules, current_rules

__all__ = [
    "Band",
    "PER_REQUEST_BANDS",
    "BY_VOLUME_BANDS",
    "per_request_rate",
    "per_request_total",
    "by_volume_fee",
]


_NOW = current_rules()
# 办法 第四条: ≤10 free; 11–30: 100 元/件; from 31, bands of 10 requests, each +100 元/件.
PER_REQUEST_BANDS: Sequence[Band] = _NOW.per_request_bands
PER_REQUEST_STEP = _NOW.per_request_step  # beyond the last band: width and increment
# 办法 第五条: ≤30 pages free; 31–100: 10 元/页; 101–200: 20 元/页; 201+: 40 元/页.
BY_VOLUME_BANDS: Sequence[Band] = _NOW.by_volume_bands


def _fee_rules(rules: Rules | None) -> Rules:
    r = rules or _NOW
    if not r.has_fees:
        raise FoiError(f"该申请适用的规定（{r.source}）没有信息处理费，不能计收")
    return r


def per_request_rate(nth: int, rules: Rules | None = None) -> int:
    """Fee in 元 of an applicant's ``nth`` request of the calendar month (1-based), under ``rules``
    (the version in force on the application's receipt date; default the newest)."""
    if nth < 1:
        raise FoiError(f"申请序号应从 1 开始，实际为 {nth}")
    r = _fee_rules(rules)
    for band in r.per_request_bands:
        if band.last is None or nth <= band.last:
            return band.rate
    last = r.per_request_bands[-1]
    width, step = r.per_request_step
    assert last.last is not None
    return last.rate + step * ((nth - last.last - 1) // width + 1)


def per_request_total(count: int, rules: Rules | None = None) -> int:
    """Total fee in 元 for ``count`` requests by one applicant in one month (35 -> 3000)."""
    if count < 0:
        raise FoiError(f"申请件数不能为负数：{count}")
    return sum(per_request_rate(n, rules) for n in range(1, count + 1))


def by_volume_fee(pages: int, bands: Sequence[Band] | None = None, rules: Rules | None = None) -> int:
    """Fee in 元 for ``pages`` pages (250 -> 4700)."""
    if pages < 0:
        raise FoiError(f"页数不能为负数：{pages}")
    if bands is None:
        bands = _fee_rules(rules).by_volume_bands
    total = 0
    for band in bands:
        top = pages if band.last is None else min(pages, band.last)
        if top >= band.first:
            total += (top - band.first + 1) * band.rate
    return total
