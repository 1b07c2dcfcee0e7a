"""Fleet defects of the 六安 通报's checks (issue 23): a 规范性文件 filed under 政策文件; a 专题会议 record
filed under 常务会议; a month missing from the monthly 为民服务事项办理结果 column.

Kept apart from build.py and defects.py: its own random stream (seeded by site), so adding these
defects leaves every other site's defects as they were. build.py calls ``add_columns`` while building a
site, defects.py ``choose`` after its own defects and ``apply`` for the defects listed in ``CHECKS``. Decoys: the other
规范性文件 of the site stay in their column; "传达学习国务院常务会议精神" sits in the 专题会议 column (a higher
body's meeting, not misfiled); the monthly column has one month with nothing dated in it whose note names
it (UNCERTAIN, never FAIL).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from gongkai.fleet.model import Defect, FColumn, FItem, SiteData, article_path, column_path, paging

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

CHECKS = ("document.misfiled", "column.periodic")
MONTHLY_KEY = "wmfw"
MONTHLY_NAME = "为民服务事项办理结果"
# column.periodic's parameters for the fleet's monthly column (benchmarks and tests pass them).
PERIODIC_PARAMS = {
    "columns": [{"name": MONTHLY_NAME, "names": [MONTHLY_NAME], "period": "monthly", "due_days": 10}],
    "window": "6m",
}
MISSING_MONTHS_AGO = 3  # the defect removes this month's results: the month after has nothing dated
QUIET_MONTHS_AGO = 5  # the decoy: the month after this one publishes nothing and a later note explains it


# The meeting columns under 法定主动公开内容: key, name, URL slug, column id.
MEETINGS = (
    ("cwhy", "常务会议", "zfxxgk/fdzdgknr/cwhy", 1091),
    ("zthy", "专题会议", "zfxxgk/fdzdgknr/zthy", 1092),
)
TOPICS = ("安全生产", "防汛抗旱", "招商引资")


def _meeting_columns(
    site: FleetSite, new_id: Callable[[], int], meta_of: Callable[[dt.date, str, str], dict[str, str]]
) -> list[FColumn]:
    """常务会议 and 专题会议 columns with three records each; the 专题会议 column also holds the decoy."""

    out = []
    for key, name, slug, colid in MEETINGS:
        col = FColumn(key, name, "meeting", True, "statutory", slug, colid, paging(site.cms, key, True))
        col.path = column_path(col, site.cms)
        for n in range(3):
            day = site.as_of - dt.timedelta(days=20 + 35 * n + (9 if key == "zthy" else 0))
            title = (
                f"{site.full_name}第{12 - n}次常务会议纪要"
                if key == "cwhy"
                else f"{site.full_name}{TOPICS[n]}专题会议纪要"
            )
            item = FItem(new_id(), title, day, created=day, kind="document")
            item.body = [
                f"{day.year}年{day.month}月{day.day}日，{site.full_name}召开会议，研究部署有关工作。"
            ]
            item.meta = meta_of(item.published, item.title, name)  # a 专栏 document's metadata block
            col.items.append(item)
        if key == "zthy":
            day = site.as_of - dt.timedelta(days=45)
            item = FItem(
                new_id(), f"{site.full_name}传达学习国务院常务会议精神", day, created=day, kind="document"
            )
            item.body = ["会议传达学习了国务院常务会议精神，研究贯彻落实意见。"]
            item.meta = meta_of(item.published, item.title, name)  # a 专栏 document's metadata block
            col.items.append(item)
        col.items.sort(key=lambda i: i.published, reverse=True)
        out.append(col)
    return out


def _months_ago(as_of: dt.date, n: int) -> tuple[int, int]:
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - n, 12)
    return year, month + 1


def add_columns(
    site: FleetSite,
    columns: list[FColumn],
    new_id: Callable[[], int],
    meta_of: Callable[[dt.date, str, str], dict[str, str]],
) -> None:
    """Add the monthly 为民服务事项办理结果 column under 法定主动公开内容: one result per month for the last
    twelve months, each published early in the next month; one month has nothing to publish and a note
    names it on the first day of the month after."""

    col = FColumn(
        MONTHLY_KEY,
        MONTHLY_NAME,
        "service_result",
        True,
        "statutory",
        "zfxxgk/fdzdgknr/wmfw",
        1090,
        paging(site.cms, MONTHLY_KEY, True),
    )
    col.path = column_path(col, site.cms)
    for n in range(1, 13):
        year, month = _months_ago(site.as_of, n)  # the month of the results
        pub_year, pub_month = _months_ago(site.as_of, n - 1)  # published early in the next month
        if n == QUIET_MONTHS_AGO:  # nothing to publish that month: a note names it a month later
            note_year, note_month = _months_ago(site.as_of, n - 2)
            title = f"{site.full_name}{pub_year}年{pub_month}月无{MONTHLY_NAME}（当月未办结为民服务事项）"
            item = FItem(
                new_id(),
                title,
                dt.date(note_year, note_month, 1),
                created=dt.date(note_year, note_month, 1),
                kind="document",
            )
            item.body = [f"{pub_year}年{pub_month}月，本单位没有需要公开的为民服务事项办理结果，特此说明。"]
        else:
            title = f"{site.full_name}{year}年{month}月{MONTHLY_NAME}"
            item = FItem(
                new_id(),
                title,
                dt.date(pub_year, pub_month, 3 + n % 5),
                created=dt.date(pub_year, pub_month, 3 + n % 5),
                kind="document",
            )
            item.body = [f"现将{year}年{month}月为民服务事项办理结果公开如下：受理{4 + n}件，办结{3 + n}件。"]
        if item.published <= site.as_of:
            item.meta = meta_of(item.published, item.title, MONTHLY_NAME)
            col.items.append(item)
    col.items.sort(key=lambda i: i.published, reverse=True)
    columns.append(col)
    columns.extend(_meeting_columns(site, new_id, meta_of))


def choose(site: FleetSite, data: SiteData, rate: float, used: set[str]) -> list[Defect]:
    """The defects of ``CHECKS`` for ``site`` (resolved against its defect-free build ``data``)."""

    rng = random.Random(f"liuan-{site.seed}-{site.index}")
    out: list[Defect] = []
    if rng.random() < rate and MONTHLY_KEY not in used:
        year, month = _months_ago(site.as_of, MISSING_MONTHS_AGO)
        out.append(
            Defect("column.periodic", MONTHLY_NAME, datacolumn_path(data), key=f"periodic-{year}-{month}")
        )
    out += _misfiled(site, data, rng, rate, used)
    return out + _meeting_misfiled(site, data, rng, rate)


def _meeting_misfiled(site: FleetSite, data: SiteData, rng: random.Random, rate: float) -> list[Defect]:
    """A 专题会议 record moved into the 常务会议 column (never the decoy)."""

    cols = {c.key: c for c in data.columns}
    if rng.random() >= rate or "cwhy" not in cols or "zthy" not in cols:
        return []
    item = rng.choice([i for i in cols["zthy"].items if "专题会议" in i.title])
    path = article_path(cols["cwhy"], item, site.cms)
    return [Defect("document.misfiled", path, path, key=f"meeting-{item.id}")]


def datacolumn_path(data: SiteData) -> str:
    return next((c.path for c in data.columns if c.key == MONTHLY_KEY), "")


def _misfiled(
    site: FleetSite, data: SiteData, rng: random.Random, rate: float, used: set[str]
) -> list[Defect]:

    if rng.random() >= rate or {"policy", "normative"} & used:
        return []  # a 政策文件 column shifted by column.stale must stay stale
    cols = {c.key: c for c in data.columns}
    candidates = [i for i in cols["normative"].items if f"item-{i.id}" not in used]
    if len(cols["normative"].items) < 2 or not candidates:
        return []  # keep one 规范性文件 in its own column: the decoy
    item = rng.choice(candidates)
    used.add(f"item-{item.id}")
    path = article_path(cols["policy"], item, site.cms)
    return [Defect("document.misfiled", path, path, key=f"misfiled-{item.id}")]


def apply(data: SiteData, defect: Defect) -> None:
    """Apply ``defect``: remove the month's result from the monthly column, or move the record it names
    (a 规范性文件 into 政策文件, a 专题会议 record into 常务会议; newest first, as listed)."""
    cols = {c.key: c for c in data.columns}
    if defect.check == "column.periodic":
        if MONTHLY_KEY in cols:
            year, month = (int(x) for x in defect.key.split("-")[1:])
            mark = f"{year}年{month}月{MONTHLY_NAME}"
            cols[MONTHLY_KEY].items = [i for i in cols[MONTHLY_KEY].items if mark not in i.title]
        return
    item_id = int(defect.key.rsplit("-", 1)[1])
    source, target = ("zthy", "cwhy") if defect.key.startswith("meeting-") else ("normative", "policy")
    item = next((i for i in cols[source].items if i.id == item_id), None) if source in cols else None
    if item is None or target not in cols:
        return
    cols[source].items.remove(item)
    cols[target].items.append(item)
    cols[target].items.sort(key=lambda i: i.published, reverse=True)
