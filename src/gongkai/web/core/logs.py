"""Logging helpers: a refused request (403) is an expected event, logged as one line without a traceback."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """Drop the traceback Django attaches to its "Forbidden" log records (PermissionDenied, CSRF)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 or record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
