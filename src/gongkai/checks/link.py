"""Link checks: links and attachments that answer 4xx/5xx, time out, fail DNS or are soft 404s.

Id: link.broken (contracts.md). The crawler records each link's outcome on ``Link.status`` and
``Link.error``; a link it did not probe (no status, no error) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from gongkai.checks._site import fail, norm_url, site_index, summarize
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Finding, Link, SiteModel

# Crawler errors that mean the link is broken; the others (robots, budget, private, stopped, too_large: not
# fetched by choice or by limit) are not judged.
ERROR_LABELS = {
    "timeout": "超时",
    "dns": "域名解析失败",
    "reset": "连接被重置",
    "refused": "连接被拒绝",
    "soft404": "软404（页面显示不存在）",
    "ssl": "证书错误",
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "client": "连接错误",
}


def _broken(link: Link) -> str:
    if link.error in ERROR_LABELS:
        return ERROR_LABELS[link.error]
    if link.status is not None and link.status >= 400:
        return f"状态码 {link.status}"
    return ""


@check(
    "link.broken",
    doc="链接或附件无法访问：返回 4xx/5xx、超时、域名解析失败或为软404页面。",
    params={"external": True},
    roles=ALL_ROLES,
)
def link_broken(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    host = norm_url(site.site).split("/")[2] if "//" in site.site else ""
    found = []
    seen: set[str] = set()
    links = list(site.links)
    for doc in site.documents:  # attachments are links too
        for att in doc.attachments:
            if att.status is not None:
                links.append(Link(att.url, att.name, doc.url, att.status, "", True))
    for link in links:
        why = _broken(link)
        key = norm_url(link.url)
        if not why or key in seen:
            continue
        if not ctx.param("external") and host and host not in key:
            continue
        seen.add(key)
        what = "附件" if link.is_attachment else "链接"
        text = f"「{link.text}」" if link.text else ""
        source = link.source or site.site
        found.append(
            fail(
                "link.broken",
                link.url,
                f"{what}{text}无法访问：{why}",
                [index.evidence(source, f"{what}{text} {link.url}：{why}")],
            )
        )
    yield from summarize("link.broken", site, found, "未发现无法访问的链接")
