"""Run a round's jobs in this process (CLI and demo), showing a rich progress bar when given a console."""

from __future__ import annotations

import threading
import time

from gongkai.web.core.jobs import run_pending_in_threads
from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import Round


def run_with_progress(round_: Round, console=None, threads: int = 4, resume: bool = True) -> None:
    """Queue every unit and run the jobs in this process, with a rich progress bar when a console is given."""
    services.start_round(round_, resume=resume)
    runner = threading.Thread(target=run_pending_in_threads, args=(threads,), name="round-runner")
    runner.start()
    if console is None:
        runner.join()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold blue]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task(f"测评 {round_.name}", total=round_.units.count(), detail="")
        while runner.is_alive():
            p = services.progress_of(round_)
            bar.update(
                task,
                completed=p["done"],
                detail=f"检测中 {p['running']} · 排队 {p['queued']} · 失败 {p['failed']}",
            )
            time.sleep(0.3)
        p = services.progress_of(round_)
        bar.update(task, completed=p["done"], detail=f"失败 {p['failed']}")
    runner.join()
