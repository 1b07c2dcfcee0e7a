"""Optional modules: families of commands, demo parts and job handlers that may or may not be installed."""

from __future__ import annotations

import importlib
from types import ModuleType


def import_optional(name: str) -> ModuleType | None:
    """Import `name`, or return None when it (or a package above it) does not exist.

    An ImportError raised *inside* an existing module is not hidden.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise
