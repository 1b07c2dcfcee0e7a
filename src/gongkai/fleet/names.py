"""Fictional unit names for the fleet: 县/区 governments, 市直部门 and 乡镇, all of one fictional city.

Names are drawn from syllable lists that are unlikely to name a real place; the city is 临江市 of the
fictional 江南省. Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CITY = "临江市"
PROVINCE_SHORT = "江"  # used in ICP / 公安备案 numbers: 江ICP备..., 江公网安备...

_FIRST = "云青白石柳枫桐松梅兰岚溪澜沐清栖凤鹤翠碧霞棠"
_SECOND = "溪川岭泉湾塘峰林桥源浦坪岗屏洲阳湖庄坝"
_DEPARTMENTS = [
    ("教育局", "教育"),
    ("民政局", "民政"),
    ("财政局", "财政"),
    ("人力资源和社会保障局", "人社"),
    ("自然资源和规划局", "自然资源"),
    ("生态环境局", "生态环境"),
    ("住房和城乡建设局", "住建"),
    ("交通运输局", "交通"),
    ("农业农村局", "农业"),
    ("商务局", "商务"),
    ("文化和旅游局", "文旅"),
    ("卫生健康委员会", "卫健"),
    ("应急管理局", "应急"),
    ("市场监督管理局", "市场监管"),
    ("统计局", "统计"),
    ("医疗保障局", "医保"),
]


@dataclass(frozen=True)
class UnitName:
    """A unit's full name (used in titles and 发布机构), short name, group and 部门 topic."""

    full: str
    short: str
    group: str  # county | department | township
    topic: str = ""


def _place(rng: random.Random, used: set[str]) -> str:
    # two-character names first; large fleets (hundreds of sites) move on to three characters
    for attempt in range(20000):
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
        if attempt >= 200:
            name = rng.choice(_FIRST) + rng.choice(_FIRST) + rng.choice(_SECOND)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("地名候选已用尽")


def make_names(rng: random.Random, n: int, groups: list[str]) -> list[UnitName]:
    """Return `n` distinct unit names, the i-th of group `groups[i]`."""
    used: set[str] = set()
    counties: list[str] = []
    depts = list(_DEPARTMENTS)
    rng.shuffle(depts)
    out: list[UnitName] = []
    for i in range(n):
        group = groups[i]
        if group == "county":
            place = _place(rng, used)
            suffix = "区" if rng.random() < 0.4 else "县"
            counties.append(place + suffix)
            out.append(UnitName(f"{place}{suffix}人民政府", place + suffix, "county"))
        elif group == "department":
            dept, topic = depts[i % len(depts)]
            if i >= len(depts):  # more departments than the list: make a 分局-like variant
                dept = f"{_place(rng, used)}{dept}"
            out.append(UnitName(f"{CITY}{dept}", f"市{dept}", "department", topic))
        else:
            county = counties[-1] if counties else _place(rng, used) + "县"
            town = _place(rng, used)
            suffix = "镇" if rng.random() < 0.7 else "乡"
            out.append(UnitName(f"{county}{town}{suffix}人民政府", town + suffix, "township"))
    return out
