"""Where the schedule runs: a daemon thread of `gongkai serve` (in-process mode) ticking every 30 s, or Celery
beat (gongkai.web.celery_app: task gongkai.monitor_tick) on any number of workers. Ticks of several runners
overlap safely (see gongkai.web.monitoring.scheduler)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

log = logging.getLogger(__name__)
TICK_SECONDS = 30.0
_thread: threading.Thread | None = None
_stop = threading.Event()


def _loop(interval: float) -> None:
    from gongkai.web.monitoring.scheduler import tick

    while not _stop.is_set():
        try:
            tick()
        except Exception:  # a bad tick (database busy, a bug) must not end the monitoring
            log.exception("availability monitoring tick failed")
        finally:
            close_old_connections()
        _stop.wait(interval)


def start_monitor(interval: float = TICK_SECONDS) -> threading.Thread:
    """Start the in-process probe scheduler (once per process)."""
    global _thread
    if _thread is None or not _thread.is_alive():
        _stop.clear()
        _thread = threading.Thread(target=_loop, args=(interval,), name="gongkai-monitor", daemon=True)
        _thread.start()
    return _thread


def stop_monitor() -> None:
    _stop.set()
