"""Fleet documents made before the 《政府信息公开条例》 took effect (2008-05-01), and at its boundary (issue 15).

Real 政策文件 columns go back years: a document of 2004 published months after it was made, one of 2007
published in 2008, one migrated in 2015 from an older system. The 20-working-day rule does not reach them,
so disclosure.late must not FAIL them (NOT_ASSESSABLE). Beside them sit documents just after the rule: one
made 2008-05-06 and published in time (PASS) and one made 2008-05-05 whose publication the defect moves to
August (FAIL: genuinely late under the rule).

Kept apart from build.py and defects.py like liuan.py and wording.py: its own random stream and id
range, so every other defect stays as it was. On sites whose ``Variety.history`` is set, build.py calls
``add`` after applying its own defects (the old documents join the 政策文件 column then, out of reach of
the other defects, and defects.py never picks them: their metadata carry ``_history``), defects.py
``choose`` after its own defects.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from gongkai.fleet import content as C
from gongkai.fleet.model import Defect, FColumn, FItem, SiteData, article_path, org_code

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

D = dt.date
RULE_START = D(2008, 5, 1)
# (made, published, title after the unit's name); the last one is the defect's document.
DOCUMENTS = (
    (D(2004, 3, 15), D(2004, 9, 20), "关于进一步加强农村义务教育工作的通知"),  # six months: pre-rule
    (D(2005, 8, 1), D(2015, 6, 1), "关于加强农村饮水安全工作的意见"),  # migrated ten years later
    (D(2006, 6, 2), D(2006, 11, 30), "关于做好2006年秋冬季森林防火工作的通知"),
    (D(2007, 11, 20), D(2008, 3, 5), "关于推进政务公开工作的实施意见"),  # 2007 made, 2008 published
    (
        D(2008, 4, 25),
        D(2008, 7, 18),
        "关于做好施行《中华人民共和国政府信息公开条例》准备工作的通知",
    ),  # 6 days early
    (D(2008, 5, 6), D(2008, 5, 22), "关于公布政府信息公开目录的通知"),  # under the rule, in time
    (D(2008, 5, 5), D(2008, 5, 23), "关于做好2008年夏季安全生产工作的通知"),  # in time; the defect: August
)
LATE_PUBLISHED = D(2008, 8, 15)  # the defect's publication: 70 working days after it was made
DECOY_COUNT = 5  # the documents made before the rule


def _id(site: FleetSite, n: int) -> int:
    return 9_000_000 + site.index * 10_000 + 9_000 + n  # an id range of their own


def add(site: FleetSite, data: SiteData) -> None:
    """Append the old documents to the 政策文件 column (applying this module's defect when active)."""
    if not (site.variety and site.variety.history):
        return

    col = next((c for c in data.columns if c.key == "policy"), None)
    if col is None:
        return
    rng = random.Random(f"history-build-{site.seed}-{site.index}")
    org, unit = org_code(site), site.full_name
    abbrev = site.name.replace("人民政府", "")[:2]
    late = {d.subject for d in site.defects if d.key == _key(site)}
    for n, (made, published, title) in enumerate(DOCUMENTS):
        item = FItem(_id(site, n), f"{unit}{title}", published, created=made, kind="document")
        if late and n == len(DOCUMENTS) - 1:
            item.published = LATE_PUBLISHED  # path_date stays: the page keeps its address
        item.body = C.body_paragraphs(rng, title, unit, 3)
        item.meta = {
            "索引号": f"{org}/{made.year}-{80000 + n:05d}",
            "信息分类": "政策文件",
            "发布机构": unit,
            "成文日期": f"{made:%Y-%m-%d}",
            "名称": item.title,
            "文号": f"{abbrev}政发〔{made.year}〕{n + 3}号",
            "发布日期": f"{item.published:%Y-%m-%d}",
            "主题词": rng.choice(C.TOPICS),
            "_history": "1",
        }
        col.items.append(item)


def _key(site: FleetSite) -> str:
    return f"history-late-{site.index}"


def late_path(site: FleetSite, col: FColumn) -> str:
    """Where the boundary document made 2008-05-05 is served."""

    made, published, _ = DOCUMENTS[-1]
    return article_path(col, FItem(_id(site, len(DOCUMENTS) - 1), "", published), site.cms)


def decoy_paths(site: FleetSite) -> list[str]:
    """Where the documents made before the rule are served (for tests: no disclosure.late FAIL)."""

    col = site.column("policy")
    if col is None or not (site.variety and site.variety.history):
        return []
    return [
        article_path(col, FItem(_id(site, n), "", published), site.cms)
        for n, (_m, published, _t) in enumerate(DOCUMENTS[:DECOY_COUNT])
    ]


def choose(site: FleetSite, data: SiteData, rate: float, used: set[str]) -> list[Defect]:
    """The defect of this module for ``site``: the document made 2008-05-05 published in August."""

    col = next((c for c in data.columns if c.key == "policy"), None)
    if not (site.variety and site.variety.history) or col is None:
        return []
    if random.Random(f"history-{site.seed}-{site.index}").random() >= rate:
        return []
    path = late_path(site, col)
    return [Defect("disclosure.late", path, path, key=_key(site))]
