"""Platform commands: serve, demo, worker, units import/export."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

units_app = typer.Typer(help="单位名单的导入与导出 / Import and export the unit list", no_args_is_help=True)

HOST_HELP = "监听地址 / Address to listen on"
PORT_HELP = "端口 / Port"
DATA_HELP = "数据目录（默认 ./var，或环境变量 GONGKAI_DATA_DIR）/ Data directory"


def prepare_platform(data_dir: Path | None) -> None:
    """Set up Django on the data directory and bring the database up to date (every platform command)."""
    from gongkai.web.bootstrap import migrate, setup_django

    setup_django(data_dir)
    with console.status("正在准备数据库（迁移）… / Migrating the database…"):
        migrate()


def _print_ready(url: str) -> None:
    console.print(f"[bold green]平台已启动 / Serving at[/] {url}  （按 Ctrl+C 停止 / Ctrl+C to stop）")


def serve(
    host: str = typer.Option("127.0.0.1", help=HOST_HELP),
    port: int = typer.Option(8000, help=PORT_HELP),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """启动平台（迁移数据库、首次创建管理员、启动网页与后台任务）/ Start the platform."""
    prepare_platform(data_dir)
    from gongkai.web.bootstrap import ensure_first_admin
    from gongkai.web.server import serve as run_server

    password = ensure_first_admin()
    if password:
        console.print(
            f"[bold]已创建首个管理员账号 / First administrator created:[/] 用户名 admin，一次性密码 [bold yellow]{password}[/]"
            "（仅显示这一次，登录后请立即修改 / shown once, change it after logging in）"
        )
    run_server(host, port, on_ready=_print_ready)


def demo(
    host: str = typer.Option("127.0.0.1", help=HOST_HELP),
    port: int = typer.Option(8000, help=PORT_HELP),
    data_dir: Path = typer.Option(Path("var/demo"), "--data-dir", help="演示数据目录 / Demo data directory"),
    no_serve: bool = typer.Option(
        False, "--no-serve", help="只载入演示数据，不启动网页 / Load the demo, do not serve"
    ),
) -> None:
    """载入演示数据（单位、账号及各项业务）并启动平台，无需联网 / Load the bundled demo and serve it, offline."""
    prepare_platform(data_dir)
    from gongkai.web.demo import load_demo

    for line in load_demo({"host": host, "port": port, "console": console}):
        console.print(line)
    if no_serve:
        return
    from gongkai.web.server import serve as run_server

    run_server(host, port, on_ready=_print_ready)


def worker(
    concurrency: int = typer.Option(2, help="并发数 / Concurrent jobs in this worker"),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
    beat: bool = typer.Option(False, "--beat", help="同时运行可用性探测排程（Celery beat）/ Also run the probe schedule"),
) -> None:
    """启动 Celery 后台执行者（需 REDIS_URL，可在多台机器上运行）/ Start a Celery worker (needs REDIS_URL)."""
    import os

    if not os.environ.get("REDIS_URL"):
        err_console.print(
            "[red]未设置环境变量 REDIS_URL：Celery 执行者需要 Redis（例如 redis://127.0.0.1:6379/0）[/]"
        )
        raise typer.Exit(2)
    prepare_platform(data_dir)
    from gongkai.web.celery_app import app as celery

    argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "-Q", "gongkai"]
    if beat:  # several workers with --beat tick more often, never probe a slot twice
        from django.conf import settings

        argv += ["-B", "-s", str(Path(settings.DATA_DIR) / "celerybeat-schedule")]
    celery.worker_main(argv)


@units_app.command("import")
def units_import(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件 / A CSV or XLSX file"),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """导入单位名单（有任何一行出错则整个文件不导入）/ Import units; any bad row rejects the whole file."""
    if not file.is_file():
        err_console.print(f"[red]找不到文件：{file}[/]")
        raise typer.Exit(2)
    prepare_platform(data_dir)
    from gongkai.web.units.io import ImportRejected, import_units

    try:
        result = import_units(file.read_bytes(), file.name)
    except ImportRejected as exc:
        err_console.print(f"[red]文件“{file}”未导入，共 {len(exc.errors)} 处错误：[/]")
        for message in exc.errors:
            err_console.print(f"  - {message}")
        raise typer.Exit(1) from exc
    console.print(f"导入完成：新增 {result.created} 个单位，更新 {result.updated} 个单位")


@units_app.command("export")
def units_export(
    file: Path = typer.Argument(..., help="输出文件，.csv 或 .xlsx / Output file"),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """导出单位名单 / Export the unit list."""
    if file.suffix.lower() not in (".csv", ".xlsx"):
        err_console.print(f"[red]不支持的导出类型“{file.suffix}”：请使用 .csv 或 .xlsx[/]")
        raise typer.Exit(2)
    prepare_platform(data_dir)
    from gongkai.web.units.io import export_units
    from gongkai.web.units.models import Unit

    units = Unit.objects.all()
    file.write_bytes(export_units(units, file.name))
    console.print(f"已导出 {units.count()} 个单位到 {file}")


def register(app: typer.Typer) -> None:
    app.command(help=serve.__doc__)(serve)
    app.command(help=demo.__doc__)(demo)
    app.command(help=worker.__doc__)(worker)
    app.add_typer(units_app, name="units", help="单位名单的导入与导出 / Import and export the unit list")
