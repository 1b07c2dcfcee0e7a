"""The evidence archive: every exchange of a crawl as WARC records (warcio), and reading them back.

Each fetched URL gives a `request` and a `response` record (the response's WARC-Record-ID is what
findings cite). A fetch that failed without a response (timeout, reset, size or redirect limit, robots)
gives a `metadata` record with a JSON payload {"error", "status", "message"}. The crawl's own summary
(seed, partial, faults, pages) is a final `metadata` record on `urn:gongkai:crawl`. Records are written
as separate gzip members, so an interrupted archive can be cut back to its last whole record and
appended to (resume).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CRAWL_INFO_URI = "urn:gongkai:crawl"
GZIP_LEVEL = 1  # speed first: level 9 costs 3-4x the CPU for ~15% smaller files


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
        self._fh = open(self.path, "ab" if append else "wb")  # noqa: SIM115 - closed in close()
        # records are built uncompressed, then written as one gzip member each at a moderate level
        # (warcio's own gzip uses level 9, three times slower for a few percent of size)
        self._buf = io.BytesIO()
        self._writer = WARCWriter(self._buf, gzip=False)
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
    ) -> str:
        http_headers = StatusAndHeaders(f"{status} {reason or 'OK'}", _clean(headers), protocol="HTTP/1.1")
        warc_headers = {"WARC-Truncated": "length"} if truncated else None
        resp = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        rid = resp.rec_headers.get_header("WARC-Record-ID")
        if request_headers is not None:
            path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
            req_http = StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True)
            req = self._writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=req_http,
                warc_headers_dict={"WARC-Concurrent-To": rid},
            )
            self._write(req)
        self._write(resp)
        return rid

    def write_metadata(self, url: str, payload: dict[str, object]) -> str:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        rec = self._writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(data), warc_content_type="application/json"
        )
        self._write(rec)
        return rec.rec_headers.get_header("WARC-Record-ID")

    def write_failure(self, url: str, error: str, message: str, status: int | None = None) -> str:
        return self.write_metadata(url, {"error": error, "status": status, "message": message})

    def copy_record(self, rec: Record) -> str:
        """Copy a response from a previous archive (incremental re-crawl of an unchanged page)."""
        headers = [(k, v) for k, v in rec.headers.items()]
        return self.write_response(rec.url, rec.status or 200, "OK", headers, rec.body)

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _clean(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # the body is stored decoded (aiohttp undoes gzip/chunked), so drop what no longer holds
    drop = {"content-encoding", "transfer-encoding", "content-length"}
    return [(k, v) for k, v in headers if k.lower() not in drop]


def read_archive(path: Path) -> Iterator[Record]:
    """Every response and failure in the archive, in order; a truncated tail is ignored."""
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


def _to_record(rec: object) -> Record | None:
    rtype = rec.rec_type  # type: ignore[attr-defined]
    uri = rec.rec_headers.get_header("WARC-Target-URI") or ""  # type: ignore[attr-defined]
    rid = rec.rec_headers.get_header("WARC-Record-ID") or ""  # type: ignore[attr-defined]
    date_s = rec.rec_headers.get_header("WARC-Date") or ""  # type: ignore[attr-defined]
    try:
        date = dt.datetime.fromisoformat(date_s.replace("Z", "+00:00")) if date_s else None
    except ValueError:
        date = None
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
        raw = rec.content_stream().read()  # type: ignore[attr-defined]
        try:
            payload = json.loads(raw.decode("utf-8"))
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
    return None


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
