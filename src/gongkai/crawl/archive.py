"""The evidence archive: every exchange of a crawl as WARC records (warcio), and reading them back.

Each fetched URL gives a `request` and a `response` record (the response's WARC-Record-ID is what
findings cite). A fetch that failed without a response (timeout, reset, size or redirect limit, robots)
gives a `metadata` record with a JSON payload {"error", "status", "message"}; a probe of a link to
another site gives one with {"probe": true, "status", "error"}. The crawl's own summary
(seed, partial, faults, pages) is a final `metadata` record on `urn:gongkai:crawl`. Records are written
as separate gzip members, so an interrupted archive can be cut back to its last whole record and
appended to (resume).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import hashlib
import io
import json
import os
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai.crawl.polite import host_of

CRAWL_INFO_URI = "urn:gongkai:crawl"
RENDERED_TYPE = "text/html; charset=utf-8"  # a conversion record's payload: the rendered DOM
_BUFFER_BYTES = 1 << 20
GZIP_LEVEL = 1  # speed first: level 9 costs 3-4x the CPU for ~15% smaller files
try:  # ISA-L writes and reads the same gzip members at about twice zlib's speed (same ratio at level 1)
    from isal import isal_zlib as _codec
except ImportError:  # a platform without its wheels: the standard library, same files
    _codec = zlib
# payloads that are compressed already (PDF streams, zip containers: docx/xlsx/pptx/ofd, rar, 7z, gzip)
# shrink by 5-12% at level 1 for most of the archive's CPU: they are stored (level 0) instead
PACKED_MAGIC = (b"%PDF", b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")


def archive_name(url: str) -> str:
    """The file a site's crawl is archived in: `<host>.warc.gz` (one archive per host)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", host_of(url)) + ".warc.gz"


@dataclass
class Record:
    """A response (or failure) read back from the archive."""

    url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    record_id: str
    date: dt.datetime | None
    error: str = ""
    message: str = ""
    truncated: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class ArchiveWriter:
    """Append-only WARC.gz writer; `write_response` returns the response record id."""

    def __init__(self, path: Path, *, append: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a large buffer: records (one gzip member each, mostly larger than the default 8 KiB buffer)
        # reach the file in a few big writes at each flush() instead of one system call per record
        self._fh = open(self.path, "ab" if append else "wb", buffering=_BUFFER_BYTES)  # noqa: SIM115
        # records are built uncompressed, then written as one gzip member each at a moderate level
        # (warcio's own gzip uses level 9, three times slower for a few percent of size)
        self._buf = io.BytesIO()
        self._writer = WARCWriter(self._buf, gzip=False)
        self.last_date: dt.datetime | None = None  # WARC-Date of the last record, as a reader parses it
        if not append or self.path.stat().st_size == 0:
            self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        rec = self._writer.create_warcinfo_record(
            self.path.name, {"software": "gongkai/0.1", "format": "WARC File Format 1.1"}
        )
        self._write(rec)

    def _write(self, rec: object) -> None:
        self._writer.write_record(rec)
        data = self._buf.getvalue()
        self._buf.seek(0)
        self._buf.truncate()
        self._fh.write(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))

    def _emit(
        self,
        rec_type: str,
        url: str,
        content_type: str,
        http_head: bytes,
        payload: bytes,
        extra: list[tuple[str, str]] | None = None,
        record_id: str | None = None,
    ) -> str:
        """Serialise one record as warcio would (same headers, order and digests), one gzip member.

        Building the bytes directly skips warcio's per-record objects, header parsing and chunked
        digest loops, the largest share of the archive's CPU per page."""
        rid = record_id or _new_id()
        # request records have no payload: their payload digest is always that of b""
        payload_digest = _b32(hashlib.sha1(payload).digest()) if payload else _EMPTY_DIGEST
        if http_head:
            block_hash = hashlib.sha1(http_head)
            block_hash.update(payload)
            block_digest = _b32(block_hash.digest())
        else:
            block_digest = payload_digest
        head = [f"{k}: {v}" for k, v in extra or ()]
        head.append(f"WARC-Type: {rec_type}")
        head.append(f"WARC-Record-ID: {rid}")
        head.append(f"WARC-Target-URI: {url}")
        date = _warc_date()
        self.last_date = _written_date(date)
        head.append(f"WARC-Date: {date}")
        head.append(f"WARC-Payload-Digest: sha1:{payload_digest}")
        head.append(f"WARC-Block-Digest: sha1:{block_digest}")
        head.append(f"Content-Type: {content_type}")
        head.append(f"Content-Length: {len(http_head) + len(payload)}")
        warc_head = ("WARC/1.0\r\n" + "\r\n".join(head) + "\r\n\r\n").encode("utf-8")
        data = b"".join((warc_head, http_head, payload, b"\r\n\r\n"))
        # packed payloads are stored: zlib's level 0 only copies, while ISA-L's level 0 still compresses
        if payload.startswith(PACKED_MAGIC):
            self._fh.write(zlib.compress(data, 0, wbits=31))
        else:
            self._fh.write(_codec.compress(data, GZIP_LEVEL, wbits=31))  # one gzip member per record
        return rid

    def write_response(
        self,
        url: str,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]] | None = None,
        *,
        truncated: bool = False,
        method: str = "GET",
        request_body: bytes = b"",
    ) -> str:
        """`request_body`: the form a POST sent, kept as the request record's payload (replayable)."""
        http_head = _http_head(f"HTTP/1.1 {status} {reason or 'OK'}", _clean(headers))
        rid = _new_id()
        if request_headers is not None:
            path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
            req_head = _http_head(f"{method} /{path} HTTP/1.1", request_headers)
            self._emit(
                "request",
                url,
                "application/http; msgtype=request",
                req_head,
                request_body,
                [("WARC-Concurrent-To", rid)],
            )
        extra = [("WARC-Truncated", "length")] if truncated else None
        return self._emit("response", url, "application/http; msgtype=response", http_head, body, extra, rid)

    def write_rendered(self, url: str, html: str, refers_to: str) -> str:
        """The DOM a browser built from a response (script-rendered list pages), as a `conversion`
        record that refers to that response: the raw answer stays the evidence of what was served, the
        rendered one is what extraction reads for the URL (offline too)."""
        extra = [("WARC-Refers-To", refers_to)] if refers_to else []
        payload = html.encode("utf-8")
        return self._emit("conversion", url, RENDERED_TYPE, b"", payload, extra)

    def write_metadata(self, url: str, payload: dict[str, object]) -> str:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        return self._emit("metadata", url, "application/json", b"", data)

    def write_failure(self, url: str, error: str, message: str, status: int | None = None) -> str:
        return self.write_metadata(url, {"error": error, "status": status, "message": message})

    def write_probe(self, url: str, status: int | None, error: str, message: str = "") -> str:
        """The outcome of probing a link to another site (no page of this site, no body kept)."""
        return self.write_metadata(url, {"probe": True, "status": status, "error": error, "message": message})

    def copy_record(self, rec: Record) -> str:
        """Copy a response from a previous archive (incremental re-crawl of an unchanged page)."""
        headers = [(k, v) for k, v in rec.headers.items()]
        return self.write_response(rec.url, rec.status or 200, "OK", headers, rec.body)

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _new_id() -> str:
    """A random (version 4) UUID as a WARC-Record-ID, formatted directly (uuid.uuid4() builds an object
    and checks its fields, ~1% of the crawl's CPU at two records a page)."""
    b = bytearray(os.urandom(16))
    b[6] = b[6] & 0x0F | 0x40  # version 4
    b[8] = b[8] & 0x3F | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


_date_cache: tuple[int, str] = (0, "")


def _warc_date() -> str:
    """The WARC-Date, to the second: formatted once a second, not once a record (a sampling profile
    put strftime at ~2% of the crawl's CPU)."""
    global _date_cache
    now = int(time.time())
    if now != _date_cache[0]:
        _date_cache = (now, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)))
    return _date_cache[1]


_B32_PAIRS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"]


def _b32(digest: bytes) -> str:
    """base64.b32encode of a 20-byte SHA-1 digest (160 bits, no padding) in 16 table lookups instead of
    the standard library's Python loop (~3% of the crawl's CPU: four digests a page)."""
    if len(digest) != 20:
        return base64.b32encode(digest).decode("ascii")
    n = int.from_bytes(digest, "big")
    return "".join([_B32_PAIRS[(n >> shift) & 1023] for shift in range(150, -1, -10)])


_EMPTY_DIGEST = _b32(hashlib.sha1(b"").digest())


def _http_head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    """HTTP status/request line and headers as warcio writes them (non-ASCII values %-encoded)."""
    lines = [f"{k}: {v}\r\n" for k, v in headers]
    text = first_line + "\r\n" + "".join(lines) + "\r\n"
    if text.isascii():
        return text.encode("ascii")
    # warcio %-encodes each non-ASCII value on its own (our User-Agent is one, on every request)
    fixed = "".join(
        line if line.isascii() else _encoded_header(k, v) for line, (k, v) in zip(lines, headers, strict=True)
    )
    return (first_line + "\r\n" + fixed + "\r\n").encode("ascii")


@functools.lru_cache(maxsize=1024)
def _encoded_header(name: str, value: str) -> str:
    sah = StatusAndHeaders("", [(name, value)], protocol="")
    sah.percent_encode_non_ascii_headers()
    return "".join(f"{k}: {v}\r\n" for k, v in sah.headers)


def _clean(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # the body is stored decoded (aiohttp undoes gzip/chunked), so drop what no longer holds
    drop = {"content-encoding", "transfer-encoding", "content-length"}
    return [(k, v) for k, v in headers if k.lower() not in drop]


def read_archive(path: Path) -> Iterator[Record]:
    """Every response and failure in the archive, in order; a truncated tail is ignored."""
    fast = _read_fast(Path(path))
    if fast is not None:
        yield from fast
        return
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for rec in it:
                parsed = _to_record(rec)
                if parsed is not None:
                    yield parsed
        except (OSError, EOFError, ValueError, gzip.BadGzipFile, Exception):  # noqa: B014, BLE001
            # an interrupted crawl leaves a partial gzip member at the end
            return


class _Unusual(Exception):
    """A record the fast reader leaves to warcio (encoded bodies, folded headers, odd framing)."""


def _read_fast(path: Path) -> list[Record] | None:
    """Parse a gzip-per-record WARC as this module writes it, without warcio's stream machinery.

    Returns None for anything unusual (not gzip, chunked or compressed HTTP bodies, continuation
    lines, bad framing) so that warcio reads the file instead; the records are the same either way."""
    step = 16384  # read in slices: finding each member's end stays linear, the file is never held whole
    out: list[Record] = []
    d = _codec.decompressobj(31)
    member: list[bytes] = []
    with open(path, "rb") as fh:
        piece = fh.read(step)
        if piece[:2] != b"\x1f\x8b":
            return None
        try:
            while piece:
                buf = piece
                while buf:
                    member.append(d.decompress(buf))
                    if not d.eof:
                        break
                    _parse_records(b"".join(member), out)
                    member = []
                    buf = d.unused_data
                    d = _codec.decompressobj(31)
                piece = fh.read(step)
        except (zlib.error, _codec.error, _Unusual, ValueError, UnicodeDecodeError):
            return None
    if member:
        return None  # a half-written last member (interrupted crawl): warcio's reading of it is kept
    return out


def _header_lines(text: str) -> list[tuple[str, str]]:
    headers = []
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t"):
            raise _Unusual(line)
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.rstrip(" \t"), value.strip()))
    return headers


def _parse_records(buf: bytes, out: list[Record]) -> None:
    pos, n = 0, len(buf)
    while pos < n:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0 or not buf.startswith(b"WARC/", pos):
            raise _Unusual("framing")
        head = buf[pos:end].decode("utf-8").split("\r\n", 1)
        warc: dict[str, str] = {}
        for k, v in _header_lines(head[1] if len(head) > 1 else ""):
            warc.setdefault(k.lower(), v)  # the first one, as warcio's get_header
        length = int(warc["content-length"])
        block = buf[end + 4 : end + 4 + length]
        if len(block) != length or buf[end + 4 + length : end + 8 + length] != b"\r\n\r\n":
            raise _Unusual("length")
        pos = end + 8 + length
        while buf.startswith(b"\r\n", pos):
            pos += 2
        rec = _block_record(warc, block)
        if rec is not None:
            out.append(rec)


def _block_record(warc: dict[str, str], block: bytes) -> Record | None:
    rtype = warc.get("warc-type", "")
    if rtype not in ("response", "metadata", "conversion"):
        return None
    uri = warc.get("warc-target-uri", "")
    rid = warc.get("warc-record-id", "")
    date = _parse_warc_date(warc.get("warc-date", ""))
    if rtype == "metadata":
        return _metadata_record(uri, rid, date, block)
    if rtype == "conversion":
        return _rendered_record(uri, rid, date, block, warc.get("warc-refers-to", ""))
    if not warc.get("content-type", "").startswith("application/http"):
        raise _Unusual("content-type")
    cut = block.find(b"\r\n\r\n")
    if cut < 0:
        raise _Unusual("http head")
    head = block[:cut].decode("utf-8").split("\r\n", 1)
    pairs = _header_lines(head[1] if len(head) > 1 else "")
    headers = {k.lower(): v for k, v in pairs}
    if "transfer-encoding" in headers or "content-encoding" in headers:
        raise _Unusual("encoded body")  # warcio decodes these
    parts = head[0].split(" ", 2)
    if not parts[0].startswith("HTTP/"):
        raise _Unusual("status line")
    try:
        status = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        status = None
    truncated = bool(warc.get("warc-truncated"))
    return Record(uri, status, headers, block[cut + 4 :], rid, date, truncated=truncated)


def _to_record(rec: object) -> Record | None:
    rtype = rec.rec_type  # type: ignore[attr-defined]
    uri = rec.rec_headers.get_header("WARC-Target-URI") or ""  # type: ignore[attr-defined]
    rid = rec.rec_headers.get_header("WARC-Record-ID") or ""  # type: ignore[attr-defined]
    date = _parse_warc_date(rec.rec_headers.get_header("WARC-Date") or "")  # type: ignore[attr-defined]
    if rtype == "response":
        http = rec.http_headers  # type: ignore[attr-defined]
        body = rec.content_stream().read()  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in http.headers} if http else {}
        try:
            status = int(http.get_statuscode()) if http else None
        except (TypeError, ValueError):
            status = None
        truncated = bool(rec.rec_headers.get_header("WARC-Truncated"))  # type: ignore[attr-defined]
        return Record(uri, status, headers, body, rid, date, truncated=truncated)
    if rtype == "metadata":
        return _metadata_record(uri, rid, date, rec.content_stream().read())  # type: ignore[attr-defined]
    if rtype == "conversion":
        refers = rec.rec_headers.get_header("WARC-Refers-To") or ""  # type: ignore[attr-defined]
        return _rendered_record(uri, rid, date, rec.content_stream().read(), refers)  # type: ignore[attr-defined]
    return None


def _rendered_record(uri: str, rid: str, date: dt.datetime | None, block: bytes, refers: str) -> Record:
    """A rendered DOM, read as the page's answer (it comes after the response it refers to, so readers
    that keep the last answer per URL read the rendered page)."""
    headers = {"content-type": RENDERED_TYPE}
    return Record(uri, 200, headers, block, rid, date, extra={"rendered": True, "refers_to": refers})


@functools.lru_cache(maxsize=4)
def _written_date(value: str) -> dt.datetime | None:
    return _parse_warc_date(value)


def _parse_warc_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _metadata_record(uri: str, rid: str, date: dt.datetime | None, block: bytes) -> Record | None:
    """A failure or crawl-summary record (JSON payload); None when the payload is not ours."""
    try:
        payload = json.loads(block.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return Record(
        uri,
        payload.get("status"),
        {},
        b"",
        rid,
        date,
        error=str(payload.get("error", "")),
        message=str(payload.get("message", "")),
        extra=payload,
    )


def last_good_offset(path: Path) -> int:
    """Byte offset just after the last complete record (to cut off a half-written tail)."""
    good = 0
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for rec in it:
                rec.content_stream().read()
                it.read_to_end(rec)
                good = it.get_record_offset() + it.get_record_length()
        except Exception:  # noqa: BLE001 - the tail is damaged; keep what was good
            pass
    return good
