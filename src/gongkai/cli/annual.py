"""`gongkai annual check|build`: thin typer + rich shell over `gongkai.annual`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

annual_app = typer.Typer(
    help="年报校验与生成 / Check published annual reports and build ours",
    no_args_is_help=True,
)


def _deadlines(department: str | None, government: str | None):
    from gongkai.annual.rules import Deadlines

    kw = {}
    for name, value in (("department", department), ("government", government)):
        if value:
            try:
                month, day = (int(x) for x in value.split("-"))
                dt.date(2001, month, day)
            except ValueError as exc:
                raise typer.BadParameter(f"截止日期「{value}」格式应为 月-日，例如 01-31") from exc
            kw[name] = (month, day)
    return Deadlines(**kw)


@annual_app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(help="年报文件或文件夹 / report files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 数组 / print one JSON array")] = False,
    previous: Annotated[
        Path | None, typer.Option("--previous", help="上一年度年报，用于跨年校验 / last year's report")
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="汇总表 CSV 或 XLSX / summary file (.csv or .xlsx)")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="并行进程数，0=全部核 / processes, 0 = all cores")
    ] = 0,
    department_due: Annotated[
        str | None, typer.Option("--department-due", help="部门年报截止日（月-日，默认 01-31）")
    ] = None,
    government_due: Annotated[
        str | None, typer.Option("--government-due", help="人民政府年报截止日（月-日，默认 03-31）")
    ] = None,
) -> None:
    """校验年报（勾稽关系、格式、章节、发布时间） / Check annual reports against the contracts.md rules.

    Exit status: 0 no errors, 1 errors found, 2 a file could not be read.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from gongkai.annual.check import check_many, expand, result_has_errors, write_summary

    deadlines = _deadlines(department_due, government_due)
    files = expand(paths)
    if not files:
        typer.echo("未找到年报文件（支持 HTML、PDF、DOCX、XLSX、XLS、TXT）", err=True)
        raise typer.Exit(2)
    err = Console(stderr=True)
    show_bar = len(files) > 1 and err.is_terminal or len(files) > 50
    results = []
    with Progress(
        TextColumn("校验年报"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show_bar,
        transient=True,
    ) as bar:
        task = bar.add_task("check", total=len(files))
        for result in check_many(
            files,
            previous=str(previous) if previous else None,
            workers=workers or None,
            progress=lambda n: bar.advance(task, n),
            deadlines=deadlines,
        ):
            results.append(result)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        _print_human(results)
    if summary:
        write_summary(results, summary)
        err.print(f"汇总表已写入 {summary}")
    if any("error" in r or "previous_error" in r for r in results):
        raise typer.Exit(2)
    if any(result_has_errors(r) for r in results):
        raise typer.Exit(1)


def _print_human(results: list[dict]) -> None:
    from rich.console import Console

    out = Console()
    for r in results:
        if "error" in r:
            out.print(f"[bold red]✗ {r['path']}[/]：{r['error']}")
            continue
        errors = sum(p["severity"] == "error" for p in r["problems"])
        warnings = len(r["problems"]) - errors
        mark = "[red]✗[/]" if errors else ("[yellow]![/]" if warnings else "[green]✓[/]")
        sources = r.get("sources") or {}
        where = "、".join(f"{'单位' if k == 'unit' else '年度'}读自{v}" for k, v in sources.items())
        out.print(
            f"{mark} {r['path']}  {r['unit'] or '（单位不详）'} {r['year'] or '年度不详'} "
            f"格式 {r['format']}：{errors} 个错误，{warnings} 个警告" + (f"（{where}）" if where else ""),
            soft_wrap=True,
            highlight=False,
        )
        for line in r.get("info") or []:
            out.print(f"   [cyan]说明[/] {line}", highlight=False, soft_wrap=True)
        for p in r["problems"]:
            color = "red" if p["severity"] == "error" else "yellow"
            out.print(f"   [{color}]{p['rule']}[/] {p['message']}", highlight=False, soft_wrap=True)
        if r.get("previous_error"):
            out.print(f"   [red]上一年度年报无法读取：{r['previous_error']}[/]")


@annual_app.command("build")
def build(
    tables: Annotated[Path, typer.Argument(help="表格 JSON（t2/t3/t4）/ JSON of tables")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件 .docx/.xlsx/.html / output file")],
    unit: Annotated[str, typer.Option("--unit", help="单位全称 / unit name")] = "",
    year: Annotated[int | None, typer.Option("--year", help="报告年度 / report year")] = None,
) -> None:
    """生成年报（国家格式 DOCX/XLSX/HTML） / Write our report in the national layout.

    The JSON may hold `t2`, `t3`, `t4` and optionally `unit`, `year` and `chapters` (heading -> text).
    """
    from gongkai.annual.model import AnnualReport
    from gongkai.annual.write import write_report

    try:
        data = json.loads(tables.read_text(encoding="utf-8"))
        tbl = data.get("tables", data)
        report = AnnualReport.from_tables(
            tbl,
            unit=unit or data.get("unit", ""),
            year=year or data.get("year"),
            chapters=data.get("chapters"),
        )
    except (OSError, ValueError, AttributeError) as exc:
        typer.echo(f"无法读取表格 JSON {tables}：{exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        path = write_report(report, output)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"已生成 {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(annual_app, name="annual", help="年报生成与校验 / Annual reports: check and build")
