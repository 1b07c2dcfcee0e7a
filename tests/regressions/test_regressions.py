"""Every real false alarm exported from a round (`gongkai round export-regressions`) is a case here: the
archived crawl is checked again and the check must not give the verdicts it gave wrongly. A case still
"open" is an expected failure (strict: once the check is fixed, mark the case "fixed")."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.regressions import find_cases, load_case, recurring_false_alarms

CASES = find_cases(Path(__file__).parent)


@pytest.mark.parametrize("directory", CASES, ids=[c.name for c in CASES])
def test_a_false_alarm_does_not_come_back(directory):
    case = load_case(directory)
    found = recurring_false_alarms(case)
    if case.status == "open":
        if found:
            pytest.xfail(f"尚未修正的误报：{case.reason}")
        pytest.fail(f"{directory.name} 的误报已不再出现：请把 case.json 的 status 改为 fixed")
    assert found == []
