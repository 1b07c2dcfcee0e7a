"""The stop policy's judgements: when an answer says the site blocks the crawl, and when a page came
cut short. Pure functions of one answer (and the 403s met just before it); the crawl acts on them.

A 429, a script challenge (瑞数 412, 加速乐 521), a captcha or firewall page stop the host. A 403 stops
it only when it looks like a block: the homepage or 专栏 answers it, its page is a firewall's or a
captcha, or `limit` different paths answer it in a row; otherwise a 403 is that page's outcome
(recorded; link.broken judges it where a public page links to it). Nothing is ever evaded.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from gongkai.crawl.polite import CHALLENGE_STATUSES, PROTECTION_BYTES, protection_page
from gongkai.crawl.resource import body_kind


def _protection_bytes(body: bytes) -> bool:
    """Whether `body` may be a captcha or firewall page (substring tests beat any regex here)."""
    return any(word in body for word in PROTECTION_BYTES) or b"captcha" in body.lower()


def protection_kind(url: str, body: bytes, ctype: str) -> str:
    """What a short HTML page whose point is an access check is (验证码页面, 防火墙拦截页面), else ''."""
    if len(body) >= 6000 or not _protection_bytes(body) or body_kind(ctype, url, body) != "html":
        return ""
    from gongkai.text import decode

    return protection_page(decode(body, ctype)[0])


def block_reason(
    url: str, status: int, body: bytes, ctype: str, *, hub: bool, forbidden_run: list[str], limit: int
) -> str:
    """Why this answer stops the host (Chinese), or ''. `hub`: the URL is the homepage or the 专栏.
    `forbidden_run` holds the paths of the 403s answered in a row; it is updated here."""
    if status != 403:
        forbidden_run.clear()
    if status == 429:
        return f"站点返回 429（请求过多）于 {url}，已停止抓取该站点"
    if status == 403:
        return _forbidden(url, body, ctype, hub=hub, forbidden_run=forbidden_run, limit=limit)
    if status in CHALLENGE_STATUSES and b"<script" in body[:20000].lower():
        return (
            f"站点启用了脚本验证防护（HTTP {status}，如瑞数、加速乐）于 {url}，已停止抓取该站点；"
            "请人工访问核查，或请站点将测评地址加入白名单"
        )
    kind = protection_kind(url, body, ctype) if status == 200 else ""
    return f"站点出现{kind}于 {url}，已停止抓取该站点" if kind else ""


def _forbidden(url: str, body: bytes, ctype: str, *, hub: bool, forbidden_run: list[str], limit: int) -> str:
    path = urlsplit(url).path
    if path not in forbidden_run:
        forbidden_run.append(path)
    if hub:
        return f"首页或专栏返回 403（禁止访问）于 {url}，已停止抓取该站点"
    kind = protection_kind(url, body, ctype)
    if kind:
        return f"站点返回 403 及{kind}于 {url}，已停止抓取该站点"
    if len(forbidden_run) >= limit:
        return f"连续 {limit} 个不同网址返回 403（禁止访问），最后为 {url}，疑似被拦截，已停止抓取该站点"
    return ""


BROKEN_MARKUP = "HTML 不完整（没有 </body>、</html> 结束标记），内容可能被截断或格式错误"


def broken_markup(body: bytes) -> bool:
    """Whether a whole HTML document (it opens with <html>) never closes: cut short or broken, so what
    it held may be lost. Fragments (no <html>) are not judged."""
    if b"<html" not in body[:2048].lower():
        return False
    tail = body[-4096:].lower()
    return b"</html" not in tail and b"</body" not in tail
