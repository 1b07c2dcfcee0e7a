"""Serve the platform: waitress (pure Python, runs on Windows and Linux intranet servers alike) plus the
in-process background worker when no Celery is configured."""

from __future__ import annotations

from collections.abc import Callable


def serve(host: str, port: int, on_ready: Callable[[str], None] | None = None, threads: int = 8) -> None:
    from django.conf import settings
    from waitress import create_server

    from gongkai.web.core.jobs import start_inprocess_worker
    from gongkai.web.wsgi import application

    if settings.WORKER_MODE == "inprocess":
        start_inprocess_worker()
        if settings.GONGKAI_MONITOR:  # availability probes on their schedule (Celery: beat does it)
            from gongkai.web.monitoring.runner import start_monitor

            start_monitor()
    server = create_server(application, host=host, port=port, threads=threads, ident="gongkai")
    if on_ready:
        on_ready(f"http://{host}:{port}/")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
