"""信息处理费 bands, checked against the worked examples of applications.md (办法 第四、五条)."""

import pytest

from gongkai.foi import FoiError, by_volume_fee, per_request_rate, per_request_total


def test_thirty_five_requests_in_a_month_cost_3000_yuan():
    # 1-10 free, 11-30: 20 x 100, 31-35: 5 x 200
    assert per_request_total(35) == 3000


@pytest.mark.parametrize(
    ("count", "fee"), [(0, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (41, 4300), (50, 7000)]
)
def test_per_request_band_boundaries(count, fee):
    assert per_request_total(count) == fee


def test_per_request_rate_grows_by_100_every_ten_requests_after_thirty():
    assert [per_request_rate(n) for n in (10, 11, 30, 31, 40, 41, 51)] == [0, 100, 100, 200, 200, 300, 400]


def test_two_hundred_fifty_pages_cost_4700_yuan():
    # 1-30 free, 31-100: 70 x 10, 101-200: 100 x 20, 201-250: 50 x 40
    assert by_volume_fee(250) == 4700


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_by_volume_band_boundaries(pages, fee):
    assert by_volume_fee(pages) == fee


def test_negative_counts_are_refused():
    with pytest.raises(FoiError):
        by_volume_fee(-1)
    with pytest.raises(FoiError):
        per_request_rate(0)
