"""Site-level checks: reachability, footer identity, meta tags, homepage freshness.

Ids: site.unreachable, site.identity, site.meta, homepage.stale (contracts.md).
Sources: 国办秘函〔2019〕19号 V2/V3; 国办发〔2017〕47号《网页设计规范》 (footer, meta tags).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.checks._site import (
    archived_bodies,
    fail,
    newest,
    norm_url,
    not_assessable,
    passed,
    period_label,
    shift_back,
    site_index,
    summarize,
)
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Finding, Page, SiteModel

# Footer elements and how each shows in the footer text (or, for the 党政机关标识, in a link).
IDENTITY_PATTERNS = {
    "主办单位": r"主办(?:单位)?\s*[:：]",
    "网站标识码": r"网站标识码\s*[:：]?\s*(?:bm\d{8}|\d{10})",
    "ICP备案": r"ICP\s*备\s*\d+\s*号",
    "公安备案": r"公网安备\s*\d{8,}\s*号?",
    "党政机关标识": r"党政机关网站|党政机关标识",
}
CONAC_MARKS = ("conac.cn", "dzjg")  # the 党政机关 mark links to conac.cn (or its image is dzjg.png)


@check(
    "site.unreachable",
    doc="网站首页或政府信息公开专栏首页无法访问（状态码 4xx/5xx、超时或无应答）。",
    params={},
    roles=ALL_ROLES,
)
def site_unreachable(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    roots = [("网站首页", site.site)]
    if site.zhuanlan_url and norm_url(site.zhuanlan_url) != norm_url(site.site):
        roots.append(("政府信息公开专栏", site.zhuanlan_url))
    found: list[Finding] = []
    for label, url in roots:
        page = index.page(url)
        if page is None and label == "网站首页":
            page = index.home
        if page is not None and 200 <= page.status < 400:
            continue
        if page is None and found:
            continue  # the whole site is down: one finding, on the home page
        fault = next((e for e in site.errors if url in e or norm_url(url) in e), "")
        why = f"状态码 {page.status}" if page is not None and page.status else (fault or "未取得任何应答")
        found.append(
            fail(
                "site.unreachable",
                url,
                f"{label}无法访问：{why}",
                [index.evidence(url, why, page.record if page else "")],
            )
        )
    yield from summarize("site.unreachable", site, found, "网站首页及专栏首页可以访问")


@check(
    "site.identity",
    doc="网站底部缺少主办单位、网站标识码、ICP备案编号、公安机关备案标识或党政机关网站标识。",
    params={"required": list(IDENTITY_PATTERNS)},
    roles={"home"},
)
def site_identity(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    home = index.home
    if home is None or not 200 <= home.status < 400:
        yield not_assessable("site.identity", site, "首页未能取得，无法检查网站底部标识")
        return
    footer = home.footer or home.text[-2000:]
    conac = any(
        any(mark in link.url for mark in CONAC_MARKS) or "党政机关" in link.text
        for link in site.links
        if norm_url(link.source) == norm_url(home.url)
    )
    found = []
    for name in ctx.param("required"):
        pattern = IDENTITY_PATTERNS.get(name, re.escape(name))
        if re.search(pattern, footer, re.IGNORECASE):
            continue
        if name == "党政机关标识" and (conac or _mark_in_archive(site, home.record)):
            continue
        found.append(
            fail(
                "site.identity",
                name,
                f"网站底部未见{name}",
                [index.evidence(home.url, "网站底部：" + " ".join(footer.split())[:200], home.record)],
            )
        )
    yield from summarize("site.identity", site, found, "网站底部标识齐全")


_MARK = re.compile(r"conac\.cn|alt=[\"']?[^\"'>]*党政机关|title=[\"']?[^\"'>]*党政机关|dzjg")


def _mark_in_archive(site: SiteModel, record: str) -> bool:
    """The 党政机关 mark is an image: look for it in the archived HTML of the home page."""
    body = archived_bodies(site, {record} if record else set()).get(record, b"")
    return bool(_MARK.search(body.decode("utf-8", "replace")))


CONTENT_ROLES = frozenset({"zhuanlan_document", "article", ""})  # "": a page built without roles
SITE_ID_CODE = re.compile(r"^(?:bm\d{8}|\d{10})$")


@check(
    "site.meta",
    doc="网页缺少 SiteName/SiteDomain/SiteIDCode 标签，内容页缺少 ArticleTitle/PubDate 标签，或 SiteIDCode 格式不符。",
    params={
        "every_page": ["SiteName", "SiteDomain", "SiteIDCode"],
        "content_pages": ["ArticleTitle", "PubDate"],
        "page_kinds": ["home", "column", "list", "detail", "guide"],
    },
    roles={"home", "catalogue", "list", "zhuanlan_document", "article"},
)
def site_meta(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    kinds = set(ctx.param("page_kinds"))
    listed = {norm_url(i.url) for c in site.columns for i in c.items} | {norm_url(i.url) for i in site.items}
    listed |= {norm_url(d.url) for d in site.documents}
    problems: dict[str, list[Page]] = {}
    seen = 0
    for page in site.pages:
        if page.kind not in kinds or not 200 <= page.status < 300:
            continue
        if not page.meta and not page.title:
            continue  # no HTML head at all: an XML/JSON list feed (dataproxy, gkmlpt api), not a web page
        seen += 1
        meta = {k.lower(): v for k, v in page.meta.items()}
        wanted = list(ctx.param("every_page"))
        if page.kind == "detail" and page.role in CONTENT_ROLES and norm_url(page.url) in listed:
            # a content page (not a list, a service page, a calendar or a widget)
            wanted += ctx.param("content_pages")
        for name in wanted:
            if not meta.get(name.lower(), "").strip():
                problems.setdefault(name, []).append(page)
        code = meta.get("siteidcode", "").strip()
        if code and not SITE_ID_CODE.match(code):
            problems.setdefault("SiteIDCode格式", []).append(page)
    found = []
    for name, pages in problems.items():
        what = (
            "SiteIDCode 格式不符（应为10位数字或 bm 加8位数字）"
            if name == "SiteIDCode格式"
            else f"缺少 {name} 标签"
        )
        found.append(
            fail(
                "site.meta",
                name,
                f"{len(pages)} 个网页{what}",
                [index.evidence(p.url, what, p.record) for p in pages[:3]],
            )
        )
    none = "" if seen else "没有可检查的网页"
    yield from summarize("site.meta", site, found, f"{seen} 个网页的标签齐全", none)


@check(
    "homepage.stale",
    doc="首页在检查时点前的监测期（默认2周）内没有新的带日期信息；无日期的信息视为未更新。",
    params={"window": "2w", "min_dated_items": 3},
    roles={"home", "list"},
)
def homepage_stale(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    home = index.home
    if home is None or not 200 <= home.status < 400:
        yield not_assessable("homepage.stale", site, "首页未能取得，无法判断更新情况")
        return
    home_key = norm_url(home.url)
    items = [i for i in site.items if not i.column_url or norm_url(i.column_url) == home_key]
    basis = "首页"
    if len([i for i in items if i.date]) < ctx.param("min_dated_items"):
        # A navigation-only homepage: judge by the second-level columns (19号 V3).
        items = [i for c in site.columns for i in c.items] + items
        basis = "首页及二级栏目"
    latest = newest(items, ctx.as_of)
    cutoff = shift_back(ctx.as_of, ctx.param("window"))
    if latest is not None and latest >= cutoff:
        yield passed("homepage.stale", site, f"{basis}最新信息日期 {latest.isoformat()}")
        return
    what = f"最新信息日期 {latest.isoformat()}" if latest else "没有带日期的信息"
    yield fail(
        "homepage.stale",
        home.url,
        f"{basis}在 {cutoff.isoformat()} 至 {ctx.as_of.isoformat()}（{period_label(ctx.param('window'))}）内未更新：{what}",
        [index.evidence(home.url, what, home.record)],
    )
