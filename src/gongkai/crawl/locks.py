"""One crawler per site at a time, and worker processes that do not outlive their parent.

`site_lock` holds an exclusive `flock` on `<archive>.lock` beside a site's archive for as long as the
site is being crawled, by whichever process crawls it (the parent or a worker); a second crawl of the
same site into the same folder (a rerun while an old worker still runs) is refused with `SiteBusy`
instead of doubling the host's request rate and writing the same pages twice. The kernel drops the
lock when its holder exits, however it exits, so a killed crawl never leaves a stale lock behind.

`die_with_parent` is called first thing in a worker process: on Linux the kernel sends it SIGTERM
when its parent dies (prctl PR_SET_PDEATHSIG), and everywhere a watchdog thread sees the parent's end
of a pipe close. Either way the worker suspends its crawls as Ctrl+C would (archives resumable) and
exits, at the latest `grace_s` seconds later.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking (the crawler runs on Linux servers)
    fcntl = None  # type: ignore[assignment]

_PR_SET_PDEATHSIG = 1


class SiteBusy(RuntimeError):
    """Another process is crawling this site into this folder (its message is in Chinese)."""


def lock_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".lock")


@contextlib.contextmanager
def site_lock(archive: Path) -> Iterator[None]:
    """Hold the site's lock while the block runs; `SiteBusy` at once when another process holds it."""
    path = lock_path(Path(archive))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SiteBusy(_busy_message([Path(archive)])) from None
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def ensure_free(archives: list[Path]) -> None:
    """Refuse (`SiteBusy`, naming every busy site) before a batch starts when any of its sites is
    being crawled by another process; the locks are taken again, for good, as each site starts."""
    busy = []
    for archive in archives:
        try:
            with site_lock(archive):
                pass
        except SiteBusy:
            busy.append(archive)
    if busy:
        raise SiteBusy(_busy_message(busy))


def _holder(archive: Path) -> str:
    try:
        pid = lock_path(archive).read_text(encoding="ascii").strip()
    except OSError:
        return ""
    return f"（进程号 {pid}）" if pid.isdigit() else ""


def _busy_message(archives: list[Path]) -> str:
    names = "、".join(f"{a.name.removesuffix('.warc.gz')}{_holder(a)}" for a in archives[:5])
    more = f"等 {len(archives)} 个站点" if len(archives) > 5 else ""
    return (
        f"站点 {names}{more} 正由另一个抓取进程写入 {archives[0].parent}（可能是上次中断后仍在运行的抓取），"
        "同一站点不能同时抓取两次；请等该进程结束（或结束它）后再运行同一命令续抓"
    )


def die_with_parent(parent_end: Any, grace_s: float) -> None:
    """In a worker process: suspend and exit when the parent dies (see the module's docstring).

    `parent_end` is the worker's end of a pipe whose other end only the parent holds and never writes:
    reading it ends (EOFError) when the parent is gone."""
    once = threading.Lock()

    def interrupt(*_: object) -> None:
        if once.acquire(blocking=False):  # one interrupt: a second Ctrl+C would cut the suspend short
            os.kill(os.getpid(), signal.SIGINT)

    signal.signal(signal.SIGTERM, interrupt)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background (nohup, `&`)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # SIGINT is how a crawl suspends
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                parent_end.recv()  # the parent never sends: this returns only by raising at its end
        interrupt()
        time.sleep(grace_s)  # time to save state; then go, even if a queue to the dead parent blocks
        os._exit(1)

    threading.Thread(target=watch, name="gongkai-parent-watch", daemon=True).start()
