"""Parse uploaded files in a child process with a memory and time limit, so the web worker stays flat.

`run("module:function", data, *args)` starts `python -m gongkai.web.core.isolate`, sends the call pickled on
stdin and returns the function's result; an exception the function raises (ReadError, ImportRejected)
is raised again here unchanged. The child limits its own address space (RLIMIT_AS) and CPU time before
it imports anything heavy; a child that overruns or dies raises `IsolationFailed` with a Chinese message.
Only targets under `gongkai.` may be called, and they must not need Django (the child does not set it
up: that would cost a second per upload).

Settings: GONGKAI_PARSE_MEMORY_MB (address space of the child, default 512; the interpreter and its
readers take about 60 of it, `gongkai.safezip` keeps a reader's own share below the rest) and
GONGKAI_PARSE_TIMEOUT (seconds, default 30).
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
_SRC = str(Path(__file__).resolve().parents[3])  # the directory holding the gongkai package


class IsolationFailed(Exception):
    """The child process ran out of memory or time, or died; the message is Chinese."""


class ImportRejected(Exception):
    """An uploaded file was refused; `errors` holds one Chinese message per problem (every import uses it)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors

    def __reduce__(self):  # pickled back from the isolated reader with its list intact
        return (ImportRejected, (self.errors,))


def _setting(name: str, default: int) -> int:
    """The Django setting when configured, else the environment variable of the same name, else the default."""
    from django.conf import settings

    if settings.configured and hasattr(settings, name):
        return int(getattr(settings, name))
    raw = os.environ.get(name, "")
    return int(raw) if raw.isdigit() else default


def memory_mb() -> int:
    return _setting("GONGKAI_PARSE_MEMORY_MB", 512)


def timeout_s() -> int:
    return _setting("GONGKAI_PARSE_TIMEOUT", 30)


def run(target: str, data: bytes, *args: Any, label: str = "上传文件") -> Any:
    """Call `target` ("package.module:function") as target(data, *args) in a limited child; its result or its
    exception. The file's bytes go through a temporary file, not a pipe, so the worker makes no copy of them."""
    if not target.startswith("gongkai."):
        raise ValueError(f"不允许在子进程中调用“{target}”")
    mem, limit = memory_mb(), timeout_s()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_SRC, env.get("PYTHONPATH", "")) if p)
    env["GONGKAI_ISOLATE_MEMORY_MB"] = str(mem)
    env["GONGKAI_ISOLATE_CPU_S"] = str(limit + 5)
    try:
        with tempfile.NamedTemporaryFile(prefix="gongkai-upload-") as fh:
            fh.write(data)
            fh.flush()
            proc = subprocess.run(
                [sys.executable, "-m", "gongkai.web.core.isolate"],
                input=pickle.dumps((target, fh.name, args)),
                capture_output=True,
                timeout=limit,
                env=env,
                check=False,
            )
    except subprocess.TimeoutExpired as exc:
        logger.warning("isolated parse of %s timed out after %ss", label, limit)
        raise IsolationFailed(
            f"{label}：解析超过 {limit} 秒仍未完成，文件过于复杂或为恶意构造，未读取"
        ) from exc
    return _outcome(proc, label, mem)


def _outcome(proc: subprocess.CompletedProcess[bytes], label: str, mem: int) -> Any:
    if proc.returncode == 0 and proc.stdout:
        status, value = pickle.loads(proc.stdout)  # noqa: S301 - our own child's answer
        if status == "ok":
            return value
        raise value
    tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
    logger.warning("isolated parse of %s failed: %s", label, tail[0][:300])
    if "MemoryError" in proc.stderr.decode("utf-8", "replace") or proc.returncode in (3, -6, -9, 134, 137):
        raise IsolationFailed(f"{label}：解析所需内存超过上限 {mem} MB，文件过于复杂或为恶意构造，未读取")
    raise IsolationFailed(f"{label}：解析进程异常退出（{tail[0][:120]}），未读取")


def _limit_self() -> None:
    import resource

    mem = int(os.environ.get("GONGKAI_ISOLATE_MEMORY_MB", "512")) * 1024 * 1024
    cpu = int(os.environ.get("GONGKAI_ISOLATE_CPU_S", "35"))
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _call(target: str, path: str, args: tuple[Any, ...]) -> Any:
    module_name, _, func_name = target.partition(":")
    func = getattr(importlib.import_module(module_name), func_name)
    return func(Path(path).read_bytes(), *args)


def _out_of_memory(exc: BaseException | None) -> bool:
    """The failure, or one it was raised from, is the memory limit (MemoryError, a library that cannot map)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError) or (
            isinstance(exc, (ImportError, OSError))
            and ("failed to map" in str(exc) or "allocate memory" in str(exc))
        ):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _child() -> int:
    _limit_self()
    target, path, args = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our parent
    try:
        answer = ("ok", _call(target, path, args))
    except BaseException as exc:  # noqa: BLE001 - handed back to the caller, which raised it itself before
        if _out_of_memory(exc):
            sys.stderr.write(f"MemoryError: {exc}\n")
            return 3
        if not isinstance(exc, Exception):
            raise
        answer = ("error", exc)
    try:
        data = pickle.dumps(answer)
    except Exception:  # noqa: BLE001 - an unpicklable result or exception: send its text
        data = pickle.dumps(("error", IsolationFailed(str(answer[1]))))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child())
