"""A liaison's 整改链接 must be on the unit's own site, compared as parsed hosts and paths: a link that only
starts with the unit's address as a string (another port, credentials before the real host) is returned
unasked, so a liaison cannot make the platform fetch an internal address. On loopback: the unit's site
listens on port P, the "internal" server on port P followed by one more digit."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from gongkai.web.evaluation import services as rounds
from gongkai.web.rectification import services
from gongkai.web.rectification.models import Answer, ProblemItem, ProblemStatus
from gongkai.web.testing import make_unit

pytestmark = pytest.mark.django_db
SECRET = "内网管理后台"


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture()
def servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    """(the unit's site on port P, an internal server on port P·10+d): `http://127.0.0.1:P` is a string
    prefix of the internal server's address."""
    for port in range(2049, 6500, 97):
        inner = next((port * 10 + d for d in range(10) if _free(port * 10 + d)), 0)
        if inner and _free(port):
            break
    else:
        pytest.skip("本机没有可用的成对端口")
    site, internal = HTTPServer(host="127.0.0.1", port=port), HTTPServer(host="127.0.0.1", port=inner)
    site.start()
    internal.start()
    site.expect_request("/zwgk/").respond_with_data(
        "<html><body>已整改</body></html>", content_type="text/html"
    )
    internal.expect_request("/secret").respond_with_data(SECRET)
    yield site, internal
    site.stop()
    internal.stop()


def _problem(site: HTTPServer) -> ProblemItem:
    unit = make_unit("云岭市财政局", website=f"http://127.0.0.1:{site.port}")  # no trailing slash
    round_ = rounds.create_round(
        "2026年第一季度网上测评", "zwgk-2026", dt.date(2026, 3, 30), seed=1, rate=50, max_pages=5
    )
    return ProblemItem.objects.create(
        round=round_, unit=unit, number=1, indicator="政务公开", detail="栏目空白"
    )


def _verify(problem: ProblemItem, link: str) -> ProblemItem:
    answer = Answer.objects.create(problem=problem, status="已整改", links=link)
    problem.status = ProblemStatus.ANSWERED
    problem.save()
    services.verify(problem, answer)
    problem.refresh_from_db()
    return problem


def test_the_units_own_link_is_fetched(servers: tuple[HTTPServer, HTTPServer]) -> None:
    site, internal = servers
    problem = _verify(_problem(site), f"http://127.0.0.1:{site.port}/zwgk/")
    assert problem.status == ProblemStatus.ANSWERED  # answered by the unit, 可访问: left to the office
    assert [r.path for r, _ in site.log] == ["/zwgk/"] and internal.log == []


@pytest.mark.parametrize("how", ["credentials", "another port"])
def test_a_link_that_only_starts_like_the_units_site_is_returned_unasked(
    servers: tuple[HTTPServer, HTTPServer], how: str
) -> None:
    site, internal = servers
    link = (
        f"http://127.0.0.1:{site.port}@127.0.0.1:{internal.port}/secret"
        if how == "credentials"
        else f"http://127.0.0.1:{internal.port}/secret"
    )
    assert link.startswith(f"http://127.0.0.1:{site.port}")
    problem = _verify(_problem(site), link)
    assert problem.status == ProblemStatus.RETURNED and "不属于" in problem.office_note
    assert internal.log == [] and site.log == []


def test_a_link_with_credentials_is_refused_when_answered(servers: tuple[HTTPServer, HTTPServer]) -> None:
    site, internal = servers
    with pytest.raises(services.RectificationError, match="用户名或密码"):
        services.submit_answer(
            _problem(site), "已整改", [f"http://x@127.0.0.1:{internal.port}/secret"], "已改"
        )
