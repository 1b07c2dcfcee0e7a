"""Fleet defects of the 六安 通报's checks (issue 23): a 规范性文件 filed under 政策文件.

Kept apart from generate.py: its own random stream (seeded by site), so adding these defects leaves
every other site's defects as they were. generate.py calls ``choose`` after its own defects and
``apply`` for the defects listed in ``CHECKS``. The other 规范性文件 of the site, correctly filed, are the
decoys (document.misfiled must not report them).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.fleet.generate import Defect, FleetSite, SiteData

CHECKS = ("document.misfiled",)


def choose(site: FleetSite, data: SiteData, rate: float, used: set[str]) -> list[Defect]:
    """The defects of ``CHECKS`` for ``site`` (resolved against its defect-free build ``data``)."""
    from gongkai.fleet.generate import Defect, _article_path

    rng = random.Random(f"liuan-{site.seed}-{site.index}")
    if rng.random() >= rate or {"policy", "normative"} & used:
        return []  # a 政策文件 column shifted by column.stale must stay stale
    cols = {c.key: c for c in data.columns}
    candidates = [i for i in cols["normative"].items if f"item-{i.id}" not in used]
    if len(cols["normative"].items) < 2 or not candidates:
        return []  # keep one 规范性文件 in its own column: the decoy
    item = rng.choice(candidates)
    used.add(f"item-{item.id}")
    path = _article_path(cols["policy"], item, site.cms)
    return [Defect("document.misfiled", path, path, key=f"misfiled-{item.id}")]


def apply(data: SiteData, defect: Defect) -> None:
    """Move the 规范性文件 named by ``defect`` into the 政策文件 column, newest first as listed."""
    cols = {c.key: c for c in data.columns}
    if "policy" not in cols or "normative" not in cols:
        return
    item_id = int(defect.key.rsplit("-", 1)[1])
    item = next((i for i in cols["normative"].items if i.id == item_id), None)
    if item is None:
        return
    cols["normative"].items.remove(item)
    cols["policy"].items.append(item)
    cols["policy"].items.sort(key=lambda i: i.published, reverse=True)
