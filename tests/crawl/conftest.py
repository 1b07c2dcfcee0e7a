"""Shared fixtures: a small fleet served on loopback for the crawler tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from gongkai.crawl import CrawlConfig
from gongkai.fleet import Fleet, FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def fast_config(**kw: object) -> CrawlConfig:
    """Loopback fleet sites are sturdy: a high rate keeps the tests quick."""
    base: dict[str, object] = {"rate": 500.0, "concurrency_per_host": 4, "timeout_s": 10.0, "backoff_s": 0.05}
    base.update(kw)
    return CrawlConfig(**base)  # type: ignore[arg-type]


@pytest.fixture(name="fast_config", scope="session")
def fast_config_fixture() -> object:
    return fast_config


@pytest.fixture(scope="session")
def fleet() -> Fleet:
    # one site per CMS style, every defect class somewhere across them
    return generate_fleet(6, seed=5, defect_rate=0.5, as_of=AS_OF)


@pytest.fixture(scope="session")
def server(fleet: Fleet) -> Iterator[FleetServer]:
    with FleetServer(fleet) as srv:
        yield srv


@pytest.fixture()
def another_server() -> Iterator[HTTPServer]:
    """A second local HTTP server beside pytest-httpserver's: another host (port) to link to."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.clear()
    server.stop()
