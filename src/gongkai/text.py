"""Text helpers with no gongkai imports: decoding fetched bytes, whitespace, dates written in Chinese pages.

Decoding order (DESIGN.md): the HTTP header charset, then a `<meta>` charset in the first bytes, then
charset-normalizer; gbk/gb2312 are read as gb18030 (its superset), so rare characters never fail.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re

_SUPERSETS = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


@functools.lru_cache(maxsize=256)  # a handful of names, asked twice per page
def normalize_encoding(name: str | None) -> str | None:
    """A Python codec name for a declared charset (gbk -> gb18030), or None if unknown."""
    if not name:
        return None
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return normalize_encoding(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return normalize_encoding(m.group(1).decode("ascii", "ignore")) if m else None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page: header charset, then <meta>, then detection. Returns (text, encoding used)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    # the <meta> scan runs only when the header declared nothing usable
    for declared in (lambda: header_charset(content_type), lambda: meta_charset(body)):
        enc = declared()
        if enc == "gb18030" and not body.isascii():
            try:  # declared GBK but valid UTF-8: a misconfigured server, trust the bytes
                return body.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        if enc:
            try:
                return body.decode(enc), enc
            except UnicodeDecodeError:
                # a wrong declaration: keep going rather than print mojibake
                continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    enc = normalize_encoding(best.encoding) if best else None
    enc = enc or "gb18030"
    return body.decode(enc, "replace"), enc


def squash(text: str) -> str:
    """Collapse runs of whitespace (including full-width and no-break spaces) to one space.

    str.split() splits on Unicode whitespace, which includes U+3000 and U+00A0: the same characters as
    the regex class of \\s plus U+3000 and U+00A0 (checked over all of Unicode) at a quarter of its cost."""
    return " ".join(text.split())


def nospace(text: str) -> str:
    return "".join(text.split())  # every whitespace character removed (see squash)


# 2026-01-22, 2026/1/22, 2026.01.22, 2026年1月22日; not 2026-02-00018 (an 索引号)
_DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")


def find_dates(text: str) -> list[dt.date]:
    """Every valid calendar date written in `text`, in order."""
    out = []
    for m in _DATE.finditer(text):
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if 1949 <= d.year <= 2100:
            out.append(d)
    return out


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, or None."""
    dates = find_dates(text or "")
    return dates[0] if dates else None
