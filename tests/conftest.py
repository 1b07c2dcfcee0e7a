"""Shared test fixtures: the real-data corpus beside the repository, and service URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"找不到真实语料目录 {CORPUS}：仓库旁边应有 shared/corpus")
    return CORPUS
