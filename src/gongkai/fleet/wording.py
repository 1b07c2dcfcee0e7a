"""Fleet wording errors (issue 19): a must-not-use phrase in a 通知公告 (wording.serious, FAIL) and, on
every site, decoys that must produce no FAIL.

Kept apart from build.py and defects.py like fleet/liuan.py: its own random stream (seeded by site), so adding
these defects leaves every other defect as it was. build.py calls ``add_decoys`` while building a
site, defects.py ``choose`` after its own defects and ``apply`` for the defects listed in ``CHECKS``.

Only FAIL-type errors are defects (the fleet's ground truth is compared on FAILs). The decoys sit in the
body of the oldest 动态要闻 item: the correct forms (台湾当局, 朝鲜, 国家市场监督管理总局), an outdated
organ name with an earlier year beside it (historical: no finding), an outdated organ name and a common
错别字 without one (UNCERTAIN: an evaluator's queue, never FAIL), must-not-use phrases inside a document's
title 《》 and talked about as words (“北朝鲜”这一称谓: no finding, the round-1 false alarms kept in
tests/regressions), one inside bare quotation marks and one reported from a named foreign agency
(UNCERTAIN: whose words they are cannot be proved from the text).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from gongkai.fleet.model import Defect, FColumn, SiteData, article_path

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

CHECKS = ("wording.serious",)
# Sentences with a must-not-use phrase of vocab/wording/serious.yaml (must_not_use: true), unquoted.
SERIOUS = (
    "座谈会上，台商代表介绍了台湾政府近期出台的投资政策。",
    "会议通报了近期北朝鲜局势对边境贸易的影响。",
    "活动邀请了中港两地企业代表参加对接洽谈。",
    "县残联为辖区残废人发放了一批辅助器具。",
)
DECOYS = (
    "座谈会上，台商代表介绍了台湾当局近期出台的有关规定，与会人员就两岸经贸交流进行了交流。",
    "会议通报了近期朝鲜半岛局势，部署做好边境贸易相关工作。",
    "2017年，国家工商行政管理总局曾来我县调研个体工商户登记工作。",
    "县市场监管局按照国家市场监督管理总局的部署开展专项检查。",
    "县卫计委有关负责人参加了会议。",
    "截止目前，已完成年度任务的八成。",
    "会议组织学习了《关于不再使用“台湾政府”等称谓的说明》。",
    "通报指出，今后对外宣传材料一律不再使用“北朝鲜”这一称谓。",
    "座谈会上，有企业代表提到“台湾政府”近期出台的补贴政策。",
    "据韩联社报道，北朝鲜近日在东部海域举行了军事演习。",
)


def add_decoys(columns: list[FColumn]) -> None:
    """Put the decoy sentences into the body of the oldest 动态要闻 item."""
    news = next((c for c in columns if c.key == "news" and c.items), None)
    if news is not None:
        news.items[-1].body.extend(DECOYS)


def choose(site: FleetSite, data: SiteData, rate: float, used: set[str]) -> list[Defect]:
    """The defects of ``CHECKS`` for ``site``: a must-not-use phrase in one 通知公告."""

    rng = random.Random(f"wording-{site.seed}-{site.index}")
    col = next((c for c in data.columns if c.key == "notice"), None)
    if rng.random() >= rate or col is None:
        return []
    items = [i for i in col.items if i.kind == "article" and f"item-{i.id}" not in used]
    if not items:
        return []
    item = rng.choice(items)
    used.add(f"item-{item.id}")
    n = rng.randrange(len(SERIOUS))
    path = article_path(col, item, site.cms)
    return [Defect("wording.serious", path, path, key=f"wording-{item.id}-{n}")]


def apply(data: SiteData, defect: Defect) -> None:
    """Add the defect's sentence to the end of its 通知公告's body."""
    _, item_id, n = defect.key.split("-")
    for col in data.columns:
        for item in col.items:
            if item.id == int(item_id):
                item.body.append(SERIOUS[int(n)])
                return
