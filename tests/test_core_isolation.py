"""The domain core is plain Python: importing any core module must not import Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import gongkai

WEB_SIDE = ("gongkai.web", "gongkai.cli")


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(gongkai.__path__, prefix="gongkai."):
        if not info.name.startswith(WEB_SIDE) and info.name != "gongkai.__main__":
            names.append(info.name)
    return sorted(names)


def test_core_modules_are_found():
    assert "gongkai.model" in core_modules()


def test_no_core_module_imports_django():
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked[:5]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"领域核心模块导入了 Django：{result.stdout.strip()}"
