"""Shared test fixtures: the real-data corpus beside the repository, and service URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# the fleets' links to other sites (gov.cn, 备案) lead to the real internet, which no test may touch: crawls
# in tests do not probe them, unless a test asks (tests/crawl/test_external_links.py)
os.environ.setdefault("GONGKAI_CRAWL_EXTERNAL", "0")

REPO = Path(__file__).resolve().parents[1]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"找不到真实语料目录 {CORPUS}：仓库旁边应有 shared/corpus")
    return CORPUS
