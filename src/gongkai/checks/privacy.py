"""Privacy checks: unmasked resident ID numbers, mobile numbers and bank card numbers.

Ids: privacy.id_number, privacy.mobile, privacy.bank_card (contracts.md). Source:
《2018年政务公开工作要点》 (去标识化, CONFIRMED); GB 11643 check digit; Luhn for cards.
Page text, document bodies and attachment text are scanned; masked forms (3501**********1234,
138****5678) never match. Snippets in evidence are masked again so reports do not re-publish.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from gongkai.checks._site import fail, site_index, summarize
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Evidence, Finding, SiteModel

PROVINCES = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
}  # fmt: skip
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
ID_RE = re.compile(r"(?<![0-9A-Za-z*])(\d{17}[\dXx])(?![0-9A-Za-z*])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z*/=._-])(1[3-9]\d{9})(?![0-9A-Za-z*])")
CARD_RE = re.compile(r"(?<![0-9A-Za-z*])(\d{16,19})(?![0-9A-Za-z*])")
_CONTACT = re.compile(r"(?:电话|热线|手机|联系方式|联系人|咨询|传真|举报)[^。；;\n]{0,12}$")
_NOT_CARD = re.compile(r"(?:索引号|文号|编号|代码|单号|证号|许可证|流水号|订单|批次)[^。；;\n]{0,10}$")


def valid_id(number: str, as_of: dt.date | None = None) -> bool:
    """A resident ID number with a valid region code (a known province, non-zero city and county parts),
    birth date and GB 11643 check digit."""
    if len(number) != 18 or int(number[:2]) not in PROVINCES or "00" in (number[2:4], number[4:6]):
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or (as_of is not None and born > as_of):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(number: str) -> str:
    if len(number) == 11:
        return number[:3] + "****" + number[7:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _sources(site: SiteModel) -> Iterator[tuple[str, str, str]]:
    """(url, text, record) of every page, document body and attachment, each URL once."""
    seen: set[str] = set()
    for page in site.pages:
        if page.text and page.url not in seen:
            seen.add(page.url)
            yield page.url, page.text, page.record
    for doc in site.documents:
        if doc.body and doc.url not in seen:
            seen.add(doc.url)
            yield doc.url, doc.body, doc.record
        for att in doc.attachments:
            if att.text and att.url not in seen:
                seen.add(att.url)
                yield att.url, att.text, att.record


def _scan(
    check_id: str,
    label: str,
    site: SiteModel,
    pattern: re.Pattern[str],
    accept: Callable[[str, str], bool],
    min_count: int = 1,
) -> Iterator[Finding]:
    index = site_index(site, None)
    found = []
    for url, text, record in _sources(site):
        hits: dict[str, None] = {}
        for match in pattern.finditer(text):
            number = match.group(1)
            if accept(number, text[max(0, match.start() - 20) : match.start()]):
                hits[number] = None
        if len(hits) < min_count:
            continue
        shown = "、".join(mask(n) for n in list(hits)[:3])
        evidence = Evidence(url, f"{label}（已遮蔽）：{shown}", record or index.record(url))
        found.append(fail(check_id, url, f"发现 {len(hits)} 个未去标识化的{label}", [evidence]))
    yield from summarize(check_id, site, found, f"未发现未去标识化的{label}")


@check(
    "privacy.id_number",
    doc="页面或附件中有未遮蔽的居民身份证号码（地区码、出生日期、校验码均有效）。",
    params={},
    roles=ALL_ROLES,
)
def privacy_id_number(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    yield from _scan("privacy.id_number", "身份证号码", site, ID_RE, lambda n, _: valid_id(n, ctx.as_of))


@check(
    "privacy.mobile",
    doc="公示名单等页面或附件中有未遮蔽的手机号码（联系电话、咨询电话等工作联系方式除外）。",
    params={"min_count": 2},
    roles=ALL_ROLES - {"service"},  # a 联系我们 page lists work contacts by design
)
def privacy_mobile(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    def accept(number: str, before: str) -> bool:
        return not _CONTACT.search(before)

    yield from _scan("privacy.mobile", "手机号码", site, MOBILE_RE, accept, int(ctx.param("min_count")))


@check(
    "privacy.bank_card",
    doc="页面或附件中有未遮蔽的银行卡号（16–19位且通过 Luhn 校验）。",
    params={},
    roles=ALL_ROLES,
)
def privacy_bank_card(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    def accept(number: str, before: str) -> bool:
        if number[0] not in "3456" or _NOT_CARD.search(before):
            return False
        if len(number) == 18 and valid_id(number):
            return False
        return luhn(number)

    yield from _scan("privacy.bank_card", "银行卡号", site, CARD_RE, accept)
