"""In a real browser, under the platform's Content-Security-Policy: the vendored ECharts draws the round's
charts, htmx is loaded and polls, and the browser reports no blocked script or style."""

from __future__ import annotations

import pytest
from test_evaluation_browser import scored_round  # noqa: F401 - the fixture

from gongkai.web.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_and_htmx_run_under_the_policy(page, live_server, login, scored_round):  # noqa: F811
    round_, _own, _other, _framework = scored_round
    make_user("pinggu", "evaluator")
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    login("pinggu")
    response = page.goto(f"{live_server.url}/evaluation/rounds/{round_.pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#chart-rank canvas")  # ECharts drew the ranking
    page.wait_for_selector("#chart-dist canvas")
    assert page.evaluate("typeof window.htmx") == "object"
    assert violations == []
