"""What a link or an answer is, before any stage reads it: the crawl's dedupe key (`canonical`), absolute
links, fragments, file extensions and attachment types, and how a body is to be read (`body_kind`).

Every crawl stage uses these; they import nothing of the crawl but the archive's file signatures.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from gongkai.crawl.archive import PACKED_MAGIC

ATTACH_EXT = frozenset(
    ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "txt", "csv", "ppt", "pptx"]
)
SKIP_EXT = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "svg",
        "ico",
        "webp",
        "css",
        "js",
        "mp4",
        "mp3",
        "flv",
        "swf",
        "avi",
        "wmv",
        "woff",
        "woff2",
        "ttf",
        "eot",
    ]
)


# the packed formats (PDF, zip containers such as docx/xlsx/ofd, rar, 7z, gzip) and OLE2 (doc, xls)
_BINARY_MAGIC = (*PACKED_MAGIC, b"\xd0\xcf\x11\xe0")


@functools.lru_cache(maxsize=16_384)  # links repeat across a site's pages; small so RSS stays flat
def ext_of(url: str) -> str:
    """The file extension of a URL's path; for a download script (downfile.jsp?filename=a.pdf) the
    attachment type its query names."""
    parts = urlsplit(url)
    tail = parts.path.rsplit("/", 1)[-1]
    ext = tail.rsplit(".", 1)[-1].lower() if "." in tail else ""
    if ext not in ATTACH_EXT and "." in parts.query:
        m = _QUERY_FILE.search(parts.query)
        named = m.group(1).rsplit(".", 1)[-1].lower() if m else ""
        if named in ATTACH_EXT:
            return named
    return ext


# a query parameter naming the file (filename=, fileName=, name=, file=): Hanweb's downfile.jsp and the like
_QUERY_FILE = re.compile(r"(?:^|&)[a-z_]*(?:file|name)[a-z_]*=([^&]+\.[A-Za-z0-9]{2,4})(?:&|$)", re.I)
# what a download script's answer is, when its URL does not say
_FILE_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/ofd": "ofd",
    "application/zip": "zip",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
}
_DISPOSITION_EXT = re.compile(r"filename\*?=[^;]*?\.([A-Za-z0-9]{2,4})[\"']?\s*(?:;|$)", re.I)


def file_type(content_type: str, disposition: str) -> str:
    """The attachment type of a file answer whose URL names none: the extension of its
    Content-Disposition filename (only the ASCII extension is read: names come in UTF-8, GBK or
    %-encoded), else its Content-Type; '' when neither names an attachment type."""
    m = _DISPOSITION_EXT.search(disposition or "")
    if m and m.group(1).lower() in ATTACH_EXT:
        return m.group(1).lower()
    return _FILE_TYPES.get((content_type or "").split(";", 1)[0].strip().lower(), "")


def is_attachment(url: str) -> bool:
    return ext_of(url) in ATTACH_EXT


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0] if "#" in url else url


def body_kind(content_type: str, url: str, body: bytes) -> str:
    """html | xml | json | file: how to read a response."""
    ct = (content_type or "").lower()
    head = body[:200].lstrip()
    if head.startswith(_BINARY_MAGIC):  # DOCX/XLSX say "...openxmlformats..." yet are zip files
        return "file"
    if "json" in ct or (head[:1] in (b"{", b"[") and "/api/" in url):
        return "json"
    if "xml" in ct and "html" not in ct or head.startswith(b"<?xml") or head.startswith(b"<datastore"):
        return "xml"
    if "html" in ct or head[:1] == b"<" or not ct:
        return "file" if is_attachment(url) and not head.startswith(b"<") else "html"
    return "file"


def absolute(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    if href[0] == "/" and not href.startswith("//") and "/../" not in href and "/./" not in href:
        # fast path for root-relative links, the common case on CMS pages (urljoin is slow)
        cut = base.find("/", base.find("//") + 2)
        return (base if cut < 0 else base[:cut]) + href
    if href.startswith(("http://", "https://")) and "/." not in href:
        return href
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    return url


_SESSION_PARAMS = {"jsessionid", "phpsessid", "sessionid", "aspsessionid", "sid_token", "cfid", "cftoken"}


@functools.lru_cache(maxsize=65_536)
def canonical(url: str) -> str:
    """Dedupe key: no fragment, no session ids, sorted query."""
    parts = urlsplit(url)
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.I) or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _SESSION_PARAMS
    ]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), ""))
