"""Shared fixtures of the annual-report tests: corpus paths and a consistent set of tables."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from annual_testdata import HAICANG_TABLES

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "annual_reports"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("corpus not present beside the repository")
    return CORPUS


@pytest.fixture
def tables() -> dict:
    return copy.deepcopy(HAICANG_TABLES)
