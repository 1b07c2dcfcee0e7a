"""Shared fixtures of the annual-report tests: corpus paths and a consistent set of tables."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from annual_testdata import HAICANG_TABLES


@pytest.fixture
def corpus(corpus_dir: Path) -> Path:
    return corpus_dir / "annual_reports"


@pytest.fixture
def tables() -> dict:
    return copy.deepcopy(HAICANG_TABLES)
