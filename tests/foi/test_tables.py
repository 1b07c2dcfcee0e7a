"""Tables 三/四 from application records: 勾稽 rules hold and figures equal an independent count."""

import random
from datetime import date, timedelta

import pytest

from gongkai.foi import (
    APPLICANT_TYPES,
    OUTCOMES,
    T3_ROWS,
    AppRecord,
    CaseRecord,
    FoiError,
    tables_from_records,
)
from gongkai.foi.tables import tables_from_counts


def _ledger(n, seed=7):
    rng = random.Random(seed)
    types = list(APPLICANT_TYPES)
    outcomes = list(OUTCOMES)
    apps = []
    for _ in range(n):
        received = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        replied = None if rng.random() < 0.1 else received + timedelta(days=rng.randrange(60))
        apps.append(AppRecord(rng.choice(types), received, replied, rng.choice(outcomes) if replied else ""))
    cases = []
    for _ in range(n // 20):
        filed = date(2023, 6, 1) + timedelta(days=rng.randrange(900))
        decided = None if rng.random() < 0.3 else filed + timedelta(days=rng.randrange(200))
        cases.append(
            CaseRecord(
                rng.choice(["review", "litigation_direct", "litigation_after_review"]),
                filed,
                rng.choice(["upheld", "corrected", "other"]) if decided else "",
                decided,
            )
        )
    return apps, cases


def test_tables_equal_an_independent_count_and_satisfy_every_rule():
    apps, cases = _ledger(5000)
    year = 2024
    tables = tables_from_records(apps, cases, year)
    t3, t4 = tables["t3"], tables["t4"]
    first, last = date(year, 1, 1), date(year, 12, 31)
    types = list(APPLICANT_TYPES)
    for col, atype in enumerate(types):
        mine = [a for a in apps if a.applicant_type == atype]
        new = sum(1 for a in mine if first <= a.received <= last)
        carried = sum(1 for a in mine if a.received < first and (a.replied is None or a.replied >= first))
        forward = sum(
            1
            for a in mine
            if a.received <= last
            and (a.replied is None or a.replied > last)
            and (a.received >= first or a.replied is None or a.replied >= first)
        )
        assert t3["new_received"][col] == new
        assert t3["carried_over"][col] == carried
        assert t3["carried_forward"][col] == forward
        for key in OUTCOMES:
            assert t3[key][col] == sum(
                1
                for a in mine
                if a.outcome == key and a.replied and first <= a.replied <= last and a.received <= last
            )
    for col in range(7):  # T3-IDENTITY and T3-RESULTTOTAL
        assert (
            t3["new_received"][col] + t3["carried_over"][col]
            == t3["total_processed"][col] + t3["carried_forward"][col]
        )
        assert t3["total_processed"][col] == sum(t3[k][col] for k in OUTCOMES)
    for row in T3_ROWS:  # T3-ROWSUM
        assert t3[row][6] == sum(t3[row][:6])
    expected_review_pending = sum(
        1
        for c in cases
        if c.kind == "review" and c.filed.year == year and (c.decided is None or c.decided > last)
    )
    assert t4[3] == expected_review_pending
    for g in range(3):  # T4-SUM
        assert t4[g * 5 + 4] == sum(t4[g * 5 : g * 5 + 4])
    assert len(t4) == 15
    assert sum(t4[4::5]) == sum(1 for c in cases if c.filed.year == year)


def test_last_years_carried_forward_equals_this_years_carried_over():
    apps, cases = _ledger(2000, seed=3)
    assert (
        tables_from_records(apps, cases, 2024)["t3"]["carried_forward"]
        == tables_from_records(apps, cases, 2025)["t3"]["carried_over"]
    )


def test_unknown_applicant_type_is_refused():
    with pytest.raises(FoiError, match="申请人类型"):
        tables_from_counts({("robot", "new_received", "granted"): 1})
