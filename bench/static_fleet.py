"""Serve a crawled fleet as static files through nginx, the way the issue's baselines were measured.

The Python fleet server renders every page and needs most of a core at full speed; on a 2-core machine
that core is taken from the contenders. Here the warm-up crawl's archives (every response, byte for
byte, with its Content-Type) are written out as files and nginx serves them on the same ports, so the
URLs, links and bodies the contenders meet are the same as the fleet's.

Query strings are part of the file name (`list.html?page=2`); the Content-Type travels as a file
suffix (`.t0`, `.t1`, ...) mapped back to the exact header value by an nginx `types` block.
Responses other than 200 are left out: nginx answers those URLs 404, as the fleet did for broken links.
"""

from __future__ import annotations

import getpass
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gongkai.crawl.archive import CRAWL_INFO_URI, read_archive


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def export(archives: list[Path], root: Path) -> tuple[dict[int, Path], list[str]]:
    """Write every 200 response under root/<port>/; returns {port: docroot} and the content types."""
    types: list[str] = []
    docroots: dict[int, Path] = {}
    for archive in archives:
        for rec in read_archive(archive):
            if rec.error or rec.status != 200 or rec.url == CRAWL_INFO_URI:
                continue
            parts = urlsplit(rec.url)
            port = parts.port or 80
            docroot = docroots.setdefault(port, root / str(port))
            ctype = rec.headers.get("content-type", "application/octet-stream")
            if ctype not in types:
                types.append(ctype)
            name = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
            target = docroot / (name.lstrip("/") + f"@.t{types.index(ctype)}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rec.body)
    return docroots, types


def config_text(workdir: Path, docroots: dict[int, Path], types: list[str], workers: int = 1) -> str:
    candidates = " ".join(f'"$uri$is_args$args@.t{i}"' for i in range(len(types)))
    type_lines = "\n".join(f'    "{t}" t{i};' for i, t in enumerate(types))
    servers = "\n".join(
        f"  server {{ listen 127.0.0.1:{port} reuseport backlog=1024; root {docroot};\n"
        f"    location / {{ try_files {candidates} =404; }} }}"
        for port, docroot in sorted(docroots.items())
    )
    tmp = workdir / "tmp"
    return f"""worker_processes {workers};
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log error;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 60;
  types {{
{type_lines}
  }}
  default_type application/octet-stream;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
{servers}
}}
"""


class StaticFleet:
    """`with StaticFleet(archives, workdir) as fleet:` nginx serves the archived fleet on its ports."""

    def __init__(self, archives: list[Path], workdir: Path) -> None:
        self.archives = archives
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.files = 0

    def __enter__(self) -> StaticFleet:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx not installed")
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        for folder in (self.workdir, *self.workdir.parents):
            if folder.stat().st_mode & 0o005 != 0o005 and folder.owner() == getpass.getuser():
                folder.chmod(folder.stat().st_mode | 0o055)  # nginx workers run as another user
        docroots, types = export(self.archives, self.workdir / "root")
        self.files = sum(1 for d in docroots.values() for p in d.rglob("*") if p.is_file())
        conf = self.workdir / "nginx.conf"
        conf.write_text(config_text(self.workdir, docroots, types), encoding="utf-8")
        self.proc = subprocess.Popen([binary, "-c", str(conf)])
        port = min(docroots)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
