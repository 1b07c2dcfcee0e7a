"""`gongkai scan` and `gongkai frameworks list|check`: thin typer + rich shell over gongkai.scan."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gongkai.frameworks.schema import UNIT_GROUPS

frameworks_app = typer.Typer(help="指标体系 / Indicator frameworks", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def _date(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"日期「{value}」格式应为 YYYY-MM-DD") from None


def _group(value: str) -> str:
    if value not in UNIT_GROUPS:
        raise typer.BadParameter(f"单位类别「{value}」无效，应为 {'、'.join(UNIT_GROUPS)} 之一")
    return value


def scan(
    url: Annotated[str | None, typer.Argument(help="网站或专栏首页网址 / site or 专栏 root URL")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="数据截止日期，默认今天 / cut-off date")
    ] = None,
    framework: Annotated[
        str, typer.Option("--framework", help="指标体系 ID 或 YAML 文件 / framework id or file")
    ] = "zwgk-2026",
    rate: Annotated[
        float | None, typer.Option("--rate", help="每主机每秒请求数 / requests per second per host")
    ] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="写出 JSON 结果 / write the scan JSON")
    ] = None,
    from_archive: Annotated[
        Path | None, typer.Option("--from-archive", help="用已归档的 WARC 重新评分，不联网 / re-score a WARC")
    ] = None,
    html_file: Annotated[Path | None, typer.Option("--html", help="写出 HTML 报告 / HTML report")] = None,
    docx_file: Annotated[Path | None, typer.Option("--docx", help="写出 Word 报告 / DOCX report")] = None,
    group: Annotated[
        str, typer.Option("--group", help="单位类别 / unit group: " + ", ".join(UNIT_GROUPS))
    ] = "other",
    unit: Annotated[str, typer.Option("--unit", help="单位全称 / the unit's full name")] = "",
    out: Annotated[Path, typer.Option("--out", help="抓取归档目录 / folder for the WARC")] = Path("scans"),
    zhuanlan: Annotated[
        str, typer.Option("--zhuanlan", help="政府信息公开专栏网址（在别的主机或平台上时）/ the site's 专栏")
    ] = "",
    catalogue: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            help="补充的栏目目录文件，合并到内置目录（或环境变量 GONGKAI_CATALOGUE）/ an extra column catalogue",
        ),
    ] = None,
    render: Annotated[
        str,
        typer.Option(
            "--render",
            help="脚本填充列表的页面：auto 仅渲染找不到数据接口的，always 全部，never 不渲染 / auto|never|always",
        ),
    ] = "",
) -> None:
    """抓取一个网站并按指标体系检查评分 / Crawl one site, run the framework's checks and score it."""
    from gongkai.frameworks import FrameworkError, load_framework
    from gongkai.frameworks.catalogue import use_catalogue_file
    from gongkai.reports.scan_report import write_docx, write_html
    from gongkai.scan import scan_archive

    cutoff = _date(as_of)
    group = _group(group)
    if not url and not from_archive:
        raise typer.BadParameter("请给出网址，或用 --from-archive 指定归档文件")
    try:
        if catalogue is not None:
            use_catalogue_file(catalogue)  # for the crawl's column kinds and for the checks alike
        fw = load_framework(framework)
    except FrameworkError as exc:
        err.print(f"[red]指标体系无法加载[/red]\n{exc}")
        raise typer.Exit(2) from None
    try:
        if from_archive:
            if not from_archive.is_file():
                err.print(f"[red]归档文件不存在：{from_archive}[/red]")
                raise typer.Exit(2)
            with err.status("正在从归档重建网站模型并检查 / re-scoring the archive ..."):
                result = scan_archive(
                    from_archive, as_of=cutoff, framework=fw, site=url, unit_group=group, unit_name=unit
                )
        else:
            result = _crawl_with_progress(url or "", cutoff, fw, rate, group, unit, out, zhuanlan, render)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    data = result.as_json()
    if json_file:
        json_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    if html_file:
        write_html(result, html_file)
    if docx_file:
        write_docx(result, docx_file)
    _summary(result)
    if not json_file and not sys.stdout.isatty():
        print(json.dumps(data, ensure_ascii=False))


def _crawl_with_progress(url, cutoff, fw, rate, group, unit, out, zhuanlan, render):  # noqa: ANN001, ANN202
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from gongkai.crawl import CrawlConfig
    from gongkai.scan import scan_site

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[pages]} 页 · {task.fields[errors]} 错误 · 队列 {task.fields[queue]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("抓取中 / crawling", total=None, pages=0, errors=0, queue=0)

        def progress(event: dict[str, object]) -> None:
            bar.update(
                task,
                pages=event.get("pages", 0),
                errors=event.get("errors", 0),
                queue=event.get("queue", 0),
                description=f"抓取 {event.get('host', '')}",
            )

        config = CrawlConfig(render=render) if render else None  # else GONGKAI_CRAWL_RENDER, else auto
        return scan_site(url, out_dir=out, as_of=cutoff, framework=fw, rate=rate, unit_group=group,
                         unit_name=unit, progress=progress, zhuanlan=zhuanlan, config=config)  # fmt: skip


def _summary(result) -> None:  # noqa: ANN001
    s = result.score
    table = Table(title=f"{result.unit_name or result.site} · {result.framework.name}（{result.as_of}）")
    table.add_column("项目")
    table.add_column("结果")
    table.add_row("得分", f"{s.total:.2f} / {s.max:.2f}" + (f"（加分 {s.bonus:.2f}）" if s.bonus else ""))
    table.add_row("得分率", f"{s.rate * 100:.1f}%")
    table.add_row("等次", s.band + ("（单项否决）" if s.veto else ""))
    counts = result.counts()
    table.add_row(
        "问题",
        f"不合格 {counts['FAIL']} · 待核实 {counts['UNCERTAIN']} · 无法评估 {counts['NOT_ASSESSABLE']}",
    )
    table.add_row("待人工评分", f"{len(result.manual)} 项")
    table.add_row("抓取", f"{result.crawl.get('pages')} 页，{result.crawl.get('errors')} 个错误")
    err.print(table)


@frameworks_app.command("list")
def frameworks_list() -> None:
    """列出内置指标体系 / List the built-in frameworks."""
    from gongkai.frameworks import list_frameworks

    table = Table(title="内置指标体系")
    for column in ("ID", "版本", "名称", "依据"):
        table.add_column(column)
    for f in list_frameworks():
        table.add_row(f["id"], f["version"], f["name"], f["source"])
    Console().print(table)


@frameworks_app.command("checks")
def frameworks_checks() -> None:
    """列出检查项及其评判的网页角色 / List the checks and the page roles each judges."""
    from gongkai.checks import all_checks
    from gongkai.checks.registry import ALL_ROLES, ROLES

    table = Table(title="检查项")
    for column in ("检查项", "评判的网页角色", "说明"):
        table.add_column(column)
    for spec in all_checks().values():
        roles = "全部" if spec.roles >= ALL_ROLES else "、".join(ROLES[r] for r in ROLES if r in spec.roles)
        table.add_row(spec.id, roles, spec.doc)
    Console().print(table)


@frameworks_app.command("check")
def frameworks_check(
    path: Annotated[Path, typer.Argument(help="指标体系 YAML 文件 / framework file")],
) -> None:
    """校验指标体系文件或栏目目录文件 / Validate a framework or column-catalogue file (errors name the line)."""
    from gongkai.frameworks import FrameworkError, load_framework
    from gongkai.frameworks.catalogue import catalogue_summary

    try:
        summary = catalogue_summary(path)  # None: not a catalogue file
        if summary is not None:
            Console().print(f"[green]✓[/green] {path}：{summary}")
            return
        fw = load_framework(path)
    except FrameworkError as exc:
        for problem in exc.problems:
            err.print(f"[red]✗[/red] {problem.render(str(path))}")
        raise typer.Exit(1) from None
    leaves = fw.leaves()
    automatic = sum(1 for leaf in leaves if leaf.checks)
    Console().print(
        f"[green]✓[/green] {path}：{fw.name}（{fw.id} 版本 {fw.version}），{len(leaves)} 个末级指标，"
        f"其中自动检查 {automatic} 个，计分总分 {fw.max_points:g}"
    )


def register(app: typer.Typer) -> None:
    app.command("scan", help="抓取并检查一个网站 / Crawl, check and score one site")(scan)
    app.add_typer(frameworks_app, name="frameworks", help="指标体系 / Indicator frameworks")
