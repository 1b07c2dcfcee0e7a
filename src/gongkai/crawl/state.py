"""`<archive>.state.json`, beside each site's archive: whether its crawl finished, and what a resume
restores that the archive cannot tell (see `CrawlState`)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CrawlState:
    """`<archive>.state.json`: whether the crawl finished, and the counters a resume restores that its
    archive cannot tell. Pages fetched, errors, the frontier, depths and the trap guard's counters are
    replayed from the archive itself (exact even after a kill -9); what lives only here is saved at
    each flush of the archive and when the crawl ends or is interrupted. A new counter is a new field
    (with a default: older state files still load)."""

    seed: str
    archive: str
    finished: bool = False
    pages: int = 0
    errors: int = 0
    partial: bool = False
    hosts: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    reused: int = 0
    rendered: int = 0
    elapsed_s: float = 0.0  # time budget used, over every run of this crawl
    consecutive_errors: int = 0
    stopped: str = ""  # why the site was given up (403, 429, a captcha...), if it was
    saved_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CrawlState:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def read(cls, path: Path) -> CrawlState | None:
        data = _read_state(path)
        if not isinstance(data, dict) or not data.get("seed"):
            return None
        try:
            return cls.from_dict(data)
        except TypeError:
            return None

    def write(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)


def state_path_of(archive: Path) -> Path:
    return archive.with_name(archive.name + ".state.json")


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
