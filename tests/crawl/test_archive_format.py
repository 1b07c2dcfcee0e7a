"""The WARC writer builds records itself and the reader parses them itself: both must agree with warcio."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from gongkai.crawl import archive as A
from gongkai.crawl.archive import ArchiveWriter, read_archive

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40
DOCX = b"PK\x03\x04" + bytes(range(256)) * 10
REQUEST = [("Host", "127.0.0.1:8000"), ("User-Agent", "gongkai/0.1 (+政务公开测评; polite)")]
HTML = "<html><head><title>通知</title></head><body>政务公开 " * 50


def _write(path: Path) -> None:
    w = ArchiveWriter(path)
    w.write_response(
        "http://127.0.0.1:8000/a/b.html?x=1",
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "9"), ("X-Unit", "临江市")],
        HTML.encode("utf-8"),
        REQUEST,
        truncated=True,
    )
    w.write_response(
        "http://127.0.0.1:8000/f.pdf", 200, "OK", [("Content-Type", "application/pdf")], PDF, REQUEST
    )
    w.write_response("http://127.0.0.1:8000/f.docx", 200, "", [], DOCX, REQUEST)
    w.write_response("http://127.0.0.1:8000/gone", 404, "Not Found", [], b"", REQUEST)
    w.write_failure("http://127.0.0.1:8000/slow", "timeout", "请求超时")
    w.write_metadata(A.CRAWL_INFO_URI, {"seed": "http://127.0.0.1:8000/", "faults": ["一"]})
    w.close()


def _warcio_records(path: Path) -> list[A.Record]:
    out = []
    with open(path, "rb") as fh:
        try:
            for rec in ArchiveIterator(fh):
                parsed = A._to_record(rec)  # noqa: SLF001 - the reference reading
                if parsed is not None:
                    out.append(parsed)
        except Exception:  # noqa: BLE001 - a cut tail, as read_archive tolerates
            pass
    return out


@pytest.fixture(params=["isal", "zlib"])
def codec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """ISA-L when installed (the default), and the standard library's zlib that replaces it elsewhere."""
    if request.param == "zlib":
        monkeypatch.setattr(A, "_codec", zlib)
    else:
        pytest.importorskip("isal")
    return request.param


def test_records_read_back_the_same_by_warcio_and_by_read_archive(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "a.warc.gz"
    _write(path)
    ours = list(read_archive(path))
    assert ours == _warcio_records(path)
    assert [r.url.rsplit("/", 1)[-1] for r in ours] == [
        "b.html?x=1",
        "f.pdf",
        "f.docx",
        "gone",
        "slow",
        "urn:gongkai:crawl",
    ]
    page, pdf, docx, gone, slow, info = ours
    assert page.body.decode("utf-8") == HTML and page.truncated and page.status == 200
    assert "content-length" not in page.headers and page.headers["x-unit"] == "%E4%B8%B4%E6%B1%9F%E5%B8%82"
    assert pdf.body == PDF and docx.body == DOCX and gone.status == 404 and gone.body == b""
    assert slow.error == "timeout" and slow.message == "请求超时"
    assert info.extra["faults"] == ["一"]
    # every record is its own gzip member with WARC digests that warcio verifies; requests are there too
    recs = []
    with open(path, "rb") as fh:
        for r in ArchiveIterator(fh, check_digests="raise"):
            r.content_stream().read()
            recs.append((r.rec_type, r.rec_headers))
    assert [t for t, _ in recs] == ["warcinfo"] + ["request", "response"] * 4 + ["metadata", "metadata"]
    for rtype, headers in recs[1:]:
        assert headers.get_header("WARC-Block-Digest").startswith("sha1:")
        if rtype != "warcinfo":
            assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    # non-ASCII header values (our User-Agent) are %-encoded exactly as warcio does it
    expected = StatusAndHeaders("GET /a/b.html?x=1 HTTP/1.1", REQUEST, is_http_request=True).to_ascii_bytes()
    assert expected in gzip.decompress(path.read_bytes())


def test_cut_tail_reads_like_warcio(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "a.warc.gz"
    _write(path)
    data = path.read_bytes()
    for cut in (len(data) - 5, len(data) // 2, len(data) // 3, 40):
        cut_path = tmp_path / f"cut{cut}.warc.gz"
        cut_path.write_bytes(data[:cut])
        assert list(read_archive(cut_path)) == _warcio_records(cut_path)
