"""A real site's archived pages served on loopback, for end-to-end crawls of material we did not make.

A mirror is a folder whose first level names the original host (``www.pingtan.gov.cn/``) and whose
files sit at the original URL paths (``zwgk/zfxxgk/zfxxgknb/index.html`` answers
``/zwgk/zfxxgk/zfxxgknb/``). Pages are served as archived except for one rewrite: absolute links to
the original host (``https://www.pingtan.gov.cn/…``) point at the loopback server, so the crawler stays
on the mirror. Every path outside the archived subset answers 404: the crawl records those pages as
not read, exactly as it would a page that failed on the real site::

    with MirrorServer(Path("tests/fixtures/mirror/pingtan")) as mirror:
        url = mirror.url("/zwgk/zfxxgk/zfxxgknb/")
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".txt": "text/plain"}


class MirrorServer:
    """Serve the one host folder under ``root`` at ``http://127.0.0.1:PORT/``."""

    def __init__(self, root: Path) -> None:
        hosts = sorted(p for p in Path(root).iterdir() if p.is_dir())
        if len(hosts) != 1:
            raise ValueError(f"镜像目录 {root} 应当恰有一个以原主机命名的子目录，实有 {len(hosts)} 个")
        self.host_dir = hosts[0]
        self.original_host = hosts[0].name
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        assert self._server is not None, "mirror server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def file_for(self, path: str) -> Path | None:
        """The archived file answering URL ``path``, or None (404)."""
        rel = unquote(urlsplit(path).path).lstrip("/")
        if rel.endswith("/") or not rel:
            rel += "index.html"
        target = (self.host_dir / rel).resolve()
        if self.host_dir.resolve() not in target.parents or not target.is_file():
            return None
        return target

    def body_of(self, file: Path) -> bytes:
        raw = file.read_bytes()
        for scheme in (b"https://", b"http://"):
            raw = raw.replace(scheme + self.original_host.encode(), self.base.encode())
        return raw

    def __enter__(self) -> MirrorServer:
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                mirror.requests.append(self.path)
                file = mirror.file_for(self.path)
                if file is None:
                    body = "<html><body><h1>404 未找到（不在镜像子集中）</h1></body></html>".encode()
                    self.send_response(404)
                    ctype = "text/html; charset=utf-8"
                else:
                    body = mirror.body_of(file)
                    self.send_response(200)
                    ctype = _TYPES.get(file.suffix, "application/octet-stream")
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self._server = None
