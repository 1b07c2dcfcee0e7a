"""`gongkai foi …`: application deadlines from the command line (thin shell over gongkai.foi)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import typer

from gongkai.calendar import PROVISIONAL_YEARS, CalendarError, CalendarRangeError, WorkingCalendar
from gongkai.foi import FoiError, by_volume_fee, compute_due, per_request_total

foi_app = typer.Typer(help="依申请公开 / FOI applications", no_args_is_help=True)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"{option} 的值“{value}”不是有效日期，应为 YYYY-MM-DD")
    raise AssertionError  # unreachable


def _fail(message: str) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(2)


def _platform_database_exists() -> bool:
    if os.environ.get("DATABASE_URL"):
        return True
    data_dir = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var"))
    return (data_dir / "gongkai.sqlite3").exists()


def load_calendar(provisional: bool = False) -> WorkingCalendar:
    """The calendar with the administrator's confirmed years and corrections from the platform
    database, if any; ``provisional``: also count the years after the known ones provisionally."""
    extra = PROVISIONAL_YEARS if provisional else 0
    if not _platform_database_exists():
        return WorkingCalendar(provisional_years=extra)
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
        django.setup()
        from gongkai.web.foi.calendar_source import platform_calendar

        return platform_calendar(provisional=provisional)
    except Exception as exc:  # an unmigrated or unreachable database must not stop the count
        typer.echo(f"提示：未能读取平台数据库中的日历更正（{exc}），仅使用内置节假日数据", err=True)
        return WorkingCalendar(provisional_years=extra)


@foi_app.command("due", help="计算答复期限 / Compute the reply due date")
def due(
    received: str = typer.Option(..., "--received", help="收到申请日期 YYYY-MM-DD / statutory receipt date"),
    restart: str | None = typer.Option(
        None, "--restart", help="补正后申请收到日期 / corrected application date"
    ),
    pause: list[str] = typer.Option([], "--pause", help="暂停区间 A:B，A<d≤B 的工作日不计 / pause A:B"),
    extend: int = typer.Option(0, "--extend", help="延期工作日数（≤20） / extension (≤20)"),
    days: int = typer.Option(
        20,
        "--days",
        help="答复期限工作日数（默认 20，见 contracts.md；2019年5月15日前收到的申请按当时规定为 15） / working days",
    ),
    explain: bool = typer.Option(False, "--explain", help="同时输出计算说明 / also print the explanation"),
    provisional: bool = typer.Option(
        False,
        "--provisional",
        help="放假安排未知的年份按周末和法定节假日暂定计算（stderr 注明暂定） / provisional date for unknown years",
    ),
) -> None:
    start = _parse_date(received, "--received")
    restart_d = _parse_date(restart, "--restart") if restart else None
    pauses = []
    for spec in pause:
        a, sep, b = spec.partition(":")
        if not sep:
            _fail(f"--pause 的值“{spec}”无效，应为 开始日期:结束日期，例如 2025-10-09:2025-10-15")
        pauses.append((_parse_date(a, "--pause"), _parse_date(b, "--pause")))
    try:
        result = compute_due(
            start,
            restart=restart_d,
            pauses=pauses,
            extend=extend,
            days=days,
            calendar=load_calendar(provisional),
        )
    except CalendarRangeError as exc:
        hint = "" if provisional else "（如需按周末和法定节假日推算的暂定日期，可加 --provisional）"
        _fail(f"{exc}{hint}")
        return
    except (CalendarError, FoiError) as exc:
        _fail(str(exc))
        return
    typer.echo(result.due.isoformat())
    if explain:
        typer.echo(result.explanation)
    if result.provisional:
        typer.echo(f"注意：答复期限 {result.due.isoformat()} 为{result.provisional_note}。", err=True)


@foi_app.command("fee", help="计算信息处理费 / Information-processing fee")
def fee(
    requests: int | None = typer.Option(
        None, "--requests", help="同一申请人当月申请件数（按件） / requests this month"
    ),
    pages: int | None = typer.Option(None, "--pages", help="页数（按量） / pages"),
) -> None:
    if (requests is None) == (pages is None):
        _fail("请只给出 --requests（按件）或 --pages（按量）其中之一：两种方式不能同时收取")
    try:
        amount = per_request_total(requests) if requests is not None else by_volume_fee(pages or 0)
    except FoiError as exc:
        _fail(str(exc))
        return
    typer.echo(f"{amount} 元")


def register(app: typer.Typer) -> None:
    app.add_typer(foi_app, name="foi", help="依申请公开 / FOI applications")
