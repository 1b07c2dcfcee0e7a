"""Site-level checks: reachability, footer identity, meta tags, homepage freshness.

Ids: site.unreachable, site.identity, site.meta, homepage.stale (contracts.md).
Sources: 国办秘函〔2019〕19号 V2/V3; 国办发〔2017〕47号《网页设计规范》 (footer, meta tags). The footer's
real written forms (公安备案号：N-N, X公网安备 N号, 政府网站标识码, ICP证, 主办/承办, the 党政机关 mark's
alt/title/src/conac link) are data: frameworks/data/vocab/footer_forms.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from gongkai.checks._site import (
    archived_bodies,
    fail,
    newest,
    norm_url,
    not_assessable,
    param_date,
    passed,
    period_label,
    shift_back,
    site_index,
    summarize,
    uncertain,
)
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.frameworks.patterns import FooterForms, footer_forms, normalize
from gongkai.model import Finding, Page, SiteModel, Verdict

# The footer elements the 网页设计规范 asks for; their real written forms are data (vocab/footer_forms.yaml).
IDENTITY_ELEMENTS = ["主办单位", "网站标识码", "ICP备案", "公安备案", "党政机关标识"]
# The rule both site.identity and site.meta judge by: 《政府网站发展指引》 and its 《网页设计规范》 (国办发〔2017〕47号,
# signed 2017-05-15, CONFIRMED); existing sites were given until the end of 2018 to comply (UNCONFIRMED: a
# parameter). A page seen before the rule is NOT_ASSESSABLE; one seen in the transition is UNCERTAIN.
RULE_PARAMS = {
    "rule_name": "《政府网站发展指引》（国办发〔2017〕47号）",
    "effective_from": "2017-05-15",
    "transition_until": "2018-12-31",
    "government_site": "auto",  # auto | yes | no: whether the site is a 党政机关 site the rule applies to
}
GOVERNMENT_GROUPS = frozenset({"county", "zone", "department", "township"})  # unit groups that are 党政机关
_GOV_HOST = (".gov.cn", ".gov", ".政务", ".gov.cn.")
_SPONSOR_AFTER = re.compile(r"(?:主办单位|主办方|主办)\s*[:：]\s*([^|｜\s]{2,40})")
_SPONSOR_BEFORE = re.compile(r"([^|｜\s]{2,40}?)\s*版权所有")
_GOV_UNIT = re.compile(
    r"人民政府|政府|管委会|管理委员会|委员会|党委|党工委|街道|办事处|局|厅|办公室|机关|人大|政协|法院|检察院|[^\w]部|^.{2,8}部"
)
_NOT_GOV = re.compile(r"公司|集团|协会|学会|商会|大学|学校|医院|银行|基金会|报社|传媒|交易所")


@check(
    "site.unreachable",
    doc="网站首页或政府信息公开专栏首页无法访问（状态码 4xx/5xx、超时或无应答）。",
    params={},
    roles=ALL_ROLES,
    own_evidence=lambda _site: True,  # the failed fetches are its evidence
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
    params={"required": IDENTITY_ELEMENTS, "forms": "footer_forms", **RULE_PARAMS},
    roles={"home"},
)
def site_identity(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    home = index.home
    if home is None or not 200 <= home.status < 400:
        yield not_assessable("site.identity", site, "首页未能取得，无法检查网站底部标识")
        return
    outside = _outside_rule("site.identity", site, home, ctx)
    if outside is not None and outside.verdict is Verdict.NOT_ASSESSABLE:
        yield outside
        return
    forms = footer_forms(str(ctx.param("forms")))
    footer = normalize(home.footer or home.text[-2000:])
    evidence = [index.evidence(home.url, "网站底部：" + footer[:200], home.record)]
    required = list(ctx.param("required"))
    seen = {name: _read_element(forms, name, footer) for name in required}
    if not any(seen.values()):
        why = "未能读到网站底部的任何标识（底部可能由脚本生成或是图片），需人工核实"
        yield uncertain("site.identity", home.url, why, evidence)
        return
    if seen.get(forms.mark_element) != "strong":
        seen[forms.mark_element] = _party_mark(site, home, forms) or seen.get(forms.mark_element, "")
    found = []
    for name in required:
        if seen[name] == "strong":
            continue
        if seen[name] == "weak":
            why = f"网站底部有「{name}」相关字样，但未读到完整的{name}（可能在图片中），需人工核实"
            found.append(uncertain("site.identity", name, why, evidence))
        else:
            found.append(fail("site.identity", name, f"网站底部未见{name}", evidence))
    yield from summarize("site.identity", site, _in_transition(found, outside), "网站底部标识齐全")


def _outside_rule(check_id: str, site: SiteModel, home: Page | None, ctx: CheckContext) -> Finding | None:
    """NOT_ASSESSABLE when the site is no 党政机关 site or was seen before the rule; UNCERTAIN (a template
    for the findings) when it was seen in the transition; None when the rule applies in full."""
    setting = str(ctx.param("government_site"))
    if setting == "auto" and ctx.unit_group in GOVERNMENT_GROUPS:
        setting = "yes"  # the unit record says so: a government or department unit of the round
    why = _not_government(site, home, setting)
    if why:
        return not_assessable(check_id, site, why)
    seen = ctx.as_of
    if home is not None and home.fetched_at is not None:
        seen = min(seen, home.fetched_at.date())
    start, until = param_date(ctx.param("effective_from")), param_date(ctx.param("transition_until"))
    rule = ctx.param("rule_name")
    if start is not None and seen < start:
        return not_assessable(
            check_id, site, f"页面为 {seen} 的状态，早于{rule}印发（{start}），该要求不适用"
        )
    if until is not None and seen <= until:
        return uncertain(
            check_id, site.site, f"页面为 {seen} 的状态，尚在{rule}给现有网站的整改期（至 {until}）内"
        )
    return None


def _in_transition(found: list[Finding], outside: Finding | None) -> list[Finding]:
    """In the transition a FAIL is not an accusation: each becomes UNCERTAIN with the reason."""
    if outside is None:
        return found
    return [
        Finding(
            f.check, Verdict.UNCERTAIN, f.subject, f"{f.message}；{outside.message}，需人工核实", f.evidence
        )
        if f.verdict is Verdict.FAIL
        else f
        for f in found
    ]


def _not_government(site: SiteModel, home: Page | None, setting: str) -> str:
    """Why the 党政机关 website rules do not apply to the site ('' when they do): a framework says so, or the
    site is evidently not a government site (its host is not under .gov.cn and its footer names a company
    or no government unit as 主办单位, and neither its name nor its unit record's group says it is one)."""
    if setting in ("yes", "true", "True"):
        return ""
    if setting in ("no", "false", "False"):
        return "指标体系设定本网站不是党政机关网站，政府网站的网页设计规范不适用"
    host = (urlsplit(site.site).hostname or "").lower().rstrip(".")
    if host.endswith(_GOV_HOST):
        return ""
    if home is None:
        return ""
    footer = normalize(home.footer or home.text[-2000:])
    sponsors = [m.group(1) for m in _SPONSOR_AFTER.finditer(footer)]
    sponsors += [m.group(1) for m in _SPONSOR_BEFORE.finditer(footer)]
    names = sponsors + [home.meta.get("SiteName", ""), home.title]
    if any(_GOV_UNIT.search(n) and not _NOT_GOV.search(n) for n in names if n):
        return ""
    company = next((n for n in sponsors if _NOT_GOV.search(n)), "")
    if company:
        return (
            f"网站由「{company}」主办，不是党政机关网站（域名不在 .gov.cn 下），政府网站的网页设计规范不适用"
        )
    return "域名不在 .gov.cn 下，网站底部也未写明党政机关主办单位，不能确认是政府网站，政府网站的网页设计规范不适用"


def _read_element(forms: FooterForms, name: str, footer: str) -> str:
    """'strong', 'weak' or '' for one element in the normalised footer text (an element the data
    file does not know is looked for by its name)."""
    element = forms.elements.get(name)
    if element is None:
        return "strong" if name in footer else ""
    return element.find(footer)


def _party_mark(site: SiteModel, home: Page, forms: FooterForms) -> str:
    """'strong' when the 党政机关 mark is seen (an image linking to conac.cn: in the home page's links, then
    in its archived HTML: image src/id/alt/title); 'weak' when only an image that may be the mark is there
    (e.g. an unlinked blue.png: the HTML cannot show what it depicts); '' when nothing is."""
    key = norm_url(home.url)
    for link in site.links:
        if norm_url(link.source) == key and (forms.marks.search(link.url) or forms.marks.search(link.text)):
            return "strong"
    record = home.record
    html = archived_bodies(site, {record} if record else set()).get(record, b"").decode("utf-8", "replace")
    if forms.marks.search(html):
        return "strong"
    return "weak" if forms.weak_marks is not None and forms.weak_marks.search(html) else ""


CONTENT_ROLES = frozenset({"zhuanlan_document", "article", ""})  # "": a page built without roles
SITE_ID_CODE = re.compile(r"^(?:bm\d{8}|\d{10})$", re.IGNORECASE)
# two letters and eight digits: the form of 标识码 a vertical system gives its branch sites (证监会派出机构
# zq56000003 beside the 证监会's bm56000001); not the published bm/10-digit forms, but not proven wrong either
PLAUSIBLE_SITE_ID_CODE = re.compile(r"^[a-z]{2}\d{8}$", re.IGNORECASE)


@check(
    "site.meta",
    doc="网页缺少 SiteName/SiteDomain/SiteIDCode 标签，内容页缺少 ArticleTitle/PubDate 标签，或 SiteIDCode 格式不符。",
    params={
        "every_page": ["SiteName", "SiteDomain", "SiteIDCode"],
        "content_pages": ["ArticleTitle", "PubDate"],
        "page_kinds": ["home", "column", "list", "detail", "guide"],
        **RULE_PARAMS,
    },
    roles={"home", "catalogue", "list", "zhuanlan_document", "article", "service"},
)
def site_meta(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    """Every HTML page (service pages too) carries the site's tags; content pages also their own."""
    index = site_index(site, ctx.index)
    front = index.home or next((p for p in site.pages if p.footer and 200 <= p.status < 300), None)
    outside = _outside_rule("site.meta", site, front, ctx)
    if outside is not None and outside.verdict is Verdict.NOT_ASSESSABLE:
        yield outside
        return
    kinds = set(ctx.param("page_kinds"))
    listed = {norm_url(i.url) for c in site.columns for i in c.items} | {norm_url(i.url) for i in site.items}
    # a document with metadata or listed in a column (not a page taken for an article because nothing
    # listed it: a list page read as one)
    listed |= {norm_url(d.url) for d in site.documents if d.metadata or d.column_url}
    problems: dict[str, list[Page]] = {}
    seen = 0
    for page in site.pages:
        if page.kind not in kinds or not 200 <= page.status < 300:
            continue
        if not page.meta and not page.title:
            continue  # no HTML head at all: an XML/JSON list feed (dataproxy, gkmlpt api), not a web page
        seen += 1
        meta = {k.strip().lower(): v for k, v in page.meta.items()}
        wanted = list(ctx.param("every_page"))
        if page.kind == "detail" and page.role in CONTENT_ROLES and norm_url(page.url) in listed:
            # a content page (not a list, a service page, a calendar or a widget)
            wanted += ctx.param("content_pages")
        for name in wanted:
            if not meta.get(name.lower(), "").strip():
                problems.setdefault(name, []).append(page)
        code = "".join(normalize(meta.get("siteidcode", "")).split())
        if code and not SITE_ID_CODE.match(code):
            doubtful = PLAUSIBLE_SITE_ID_CODE.match(code)
            problems.setdefault("SiteIDCode待核实" if doubtful else "SiteIDCode格式", []).append(page)
    found = []
    doubtful_pages = problems.pop("SiteIDCode待核实", [])
    if doubtful_pages:
        what = "SiteIDCode 不是已公布的“10位数字或 bm 加8位数字”写法（两个字母加8位数字，可能是系统内分站的编码），需人工核实"
        found.append(
            uncertain(
                "site.meta",
                "SiteIDCode",
                f"{len(doubtful_pages)} 个网页的{what}",
                [index.evidence(p.url, what, p.record) for p in doubtful_pages[:3]],
            )
        )
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
    yield from summarize("site.meta", site, _in_transition(found, outside), f"{seen} 个网页的标签齐全", none)


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
