"""Evaluation rounds from the command line: create, run with a progress bar, publish the 通报."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from gongkai.cli.platform import DATA_HELP, prepare_platform

console = Console()
err = Console(stderr=True)
round_app = typer.Typer(help="测评批次：创建、检测、评分、发布通报 / Evaluation rounds", no_args_is_help=True)


def _get(round_id: int):
    from gongkai.web.evaluation.models import Round

    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        err.print(f"[red]没有编号为 {round_id} 的测评批次（用 gongkai round list 查看）[/]")
        raise typer.Exit(2)
    return round_


@round_app.command("list")
def list_rounds(data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP)) -> None:
    """列出测评批次 / List rounds."""
    prepare_platform(data_dir)
    from gongkai.web.evaluation.models import Round
    from gongkai.web.evaluation.services import progress_of

    table = Table("编号", "名称", "指标体系", "数据采集时间节点", "状态", "进度")
    for r in Round.objects.all():
        p = progress_of(r)
        table.add_row(
            str(r.pk),
            r.name,
            f"{r.framework_id} {r.framework_version}",
            str(r.as_of),
            r.get_state_display(),
            f"{p['done']}/{p['total']}",
        )
    console.print(table)


@round_app.command("create")
def create(
    name: str = typer.Argument(..., help="批次名称 / Round name"),
    framework: str = typer.Option("zwgk-2026", help="指标体系编号 / Framework id"),
    as_of: str = typer.Option(None, "--as-of", help="数据采集时间节点 YYYY-MM-DD（默认今天）/ Data cut-off"),
    groups: str = typer.Option("county,zone,department,township", help="参评分组，逗号分隔 / Groups"),
    sample: int = typer.Option(0, help="乡镇随机抽查数（0 为全部）/ Townships sampled (0 = all)"),
    seed: int = typer.Option(None, help="抽样随机种子（默认随机并记录）/ Sampling seed"),
    rate: float = typer.Option(2.0, help="每站每秒请求数 / Requests per second per site"),
    max_pages: int = typer.Option(300, "--max-pages", help="每站页面上限 / Page budget per site"),
    no_external: bool = typer.Option(
        False,
        "--no-external",
        help="不检查外部链接（本机不能访问互联网时）/ do not probe links to other sites",
    ),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """创建测评批次 / Create a round."""
    prepare_platform(data_dir)
    from gongkai.frameworks import FrameworkError
    from gongkai.web.evaluation.services import RoundError, create_round

    try:
        cutoff = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError as exc:
        err.print(f"[red]--as-of 的值“{as_of}”不是 YYYY-MM-DD 格式的日期[/]")
        raise typer.Exit(2) from exc
    try:
        round_ = create_round(
            name,
            framework,
            cutoff,
            [g.strip() for g in groups.split(",") if g.strip()],
            sample,
            seed,
            rate=rate,
            max_pages=max_pages,
            check_external=not no_external,
        )
    except (RoundError, FrameworkError) as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    console.print(
        f"已创建测评批次 {round_.pk}“{round_.name}”：{round_.units.count()} 个单位，随机种子 {round_.sample_seed}"
    )


@round_app.command("run")
def run(
    round_id: int = typer.Argument(..., help="批次编号 / Round id"),
    threads: int = typer.Option(4, help="本进程同时检测的网站数 / Sites checked at once in this process"),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """检测批次内所有单位并评分（显示进度，可中断后重跑续做）/ Crawl, check and score a round."""
    import os

    prepare_platform(data_dir)
    from gongkai.web.evaluation.runner import run_with_progress
    from gongkai.web.evaluation.services import RoundError, progress_of, start_round

    round_ = _get(round_id)
    try:
        if os.environ.get("GONGKAI_WORKER") == "celery":
            _follow_celery(round_, start_round)
        else:
            run_with_progress(round_, console, threads=threads)
    except RoundError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    p = progress_of(round_)
    round_.refresh_from_db()
    console.print(
        f"批次“{round_.name}”：完成 {p['done'] - p['failed']} 个，失败 {p['failed']} 个；状态：{round_.get_state_display()}"
    )
    raise typer.Exit(1 if p["failed"] else 0)


def _follow_celery(round_, start_round) -> None:
    """With Celery workers doing the work, queue the round and show its progress until it ends."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from gongkai.web.evaluation.services import progress_of

    start_round(round_)
    with Progress(
        TextColumn("[bold blue]{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        task = bar.add_task(f"测评 {round_.name}（Celery 执行者）", total=round_.units.count())
        while True:
            p = progress_of(round_)
            bar.update(task, completed=p["done"])
            if p["done"] >= p["total"]:
                break
            time.sleep(0.5)


@round_app.command("publish")
def publish(
    round_id: int = typer.Argument(..., help="批次编号 / Round id"),
    out: Path = typer.Option(Path("."), "--out", help="通报输出目录 / Output directory"),
    override_reason: str = typer.Option(
        "",
        "--override-reason",
        help="尚有待评、未复核或待核实事项时仍要发布的理由（记入变更记录，不写入通报）/ "
        "publish despite open items, with the reason (audited, printed nowhere public)",
    ),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """发布结果并写出通报 DOCX、PDF 和得分 XLSX；尚有待评、未复核或待核实的事项时拒绝发布 / Publish and write
    the notice; refused while manual items or UNCERTAIN findings are open."""
    prepare_platform(data_dir)
    from gongkai.reports import tongbao as writer
    from gongkai.web.evaluation import reporting, review, services

    round_ = _get(round_id)
    try:
        if round_.state == "published":
            console.print("该批次已发布：按发布时的结果写出通报")
        else:
            services.publish(round_, override_reason=override_reason)
    except services.RoundError as exc:
        err.print(f"[red]{exc}[/]")
        for blocker in review.publish_blockers(round_) if round_.state == "scoring" else []:
            err.print(f"  {blocker.unit}：{blocker.text()}")
        if round_.state == "scoring":
            err.print("完成后再发布；确有必要提前发布的，用 --override-reason 写明理由")
        raise typer.Exit(2) from exc
    round_.refresh_from_db()
    if round_.publish_override:
        console.print(f"已越过发布检查发布，理由已记入变更记录：{round_.publish_override}")
    out.mkdir(parents=True, exist_ok=True)
    tb = reporting.build_tongbao(round_)
    charts = reporting.tongbao_charts(tb)
    files = {
        out / f"{round_.name}通报.docx": writer.build_docx(tb, charts),
        out / f"{round_.name}通报.pdf": writer.build_pdf(tb, charts),
        out / f"{round_.name}得分与问题明细.xlsx": writer.build_xlsx(tb),
    }
    for path, content in files.items():
        path.write_bytes(content)
        console.print(f"已写出 {path}")


@round_app.command("quality")
def quality(
    round_id: int = typer.Option(None, "--round", help="只统计该批次（默认全部批次）/ Only this round"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """各检查项的结论经复核和申诉后的结果：确认、误报、申诉成立 / Per check: confirmed, false alarms, appeals
    granted."""
    import json

    prepare_platform(data_dir)
    from gongkai.web.evaluation.review import quality as measure

    rows = measure([round_id] if round_id else None)
    if as_json:
        console.print_json(json.dumps([r.as_dict() for r in rows], ensure_ascii=False))
        return
    table = Table("检查项", "结论数", "已复核", "确认", "误报", "误报比例", "申诉", "申诉成立")
    for r in rows:
        share = "—" if r.false_alarm_share is None else f"{r.false_alarm_share * 100:.1f}%"
        table.add_row(
            r.title, str(r.findings), str(r.reviewed), str(r.confirmed), str(r.false_alarm), share,
            str(r.appealed), str(r.granted),
        )  # fmt: skip
    console.print(table)


@round_app.command("export-regressions")
def export_regressions(
    round_id: int = typer.Argument(..., help="批次编号 / Round id"),
    out: Path = typer.Option(Path("tests/regressions"), "--out", help="输出目录 / Output directory"),
    check: list[str] = typer.Option([], "--check", help="只导出这些检查项（可重复）/ Only these checks"),
    unit: str = typer.Option(
        "", "--unit", help="只导出名称含此文字的单位 / Only units whose name contains this"
    ),
    limit: int = typer.Option(
        0, "--limit", help="每个检查项至多导出几个（0 为不限）/ Cases per check, 0 = all"
    ),
    data_dir: Path = typer.Option(None, "--data-dir", help=DATA_HELP),
) -> None:
    """把本批次标记为误报（含申诉成立）的检查结论导出为回归用例：存档、检查项、不应再给出的结论 / Export
    the round's false alarms as regression cases (archive, check, expected verdict)."""
    prepare_platform(data_dir)
    from gongkai.web.evaluation.regressions import export_false_alarms

    written = export_false_alarms(_get(round_id), out, checks=check, unit=unit, limit=limit)
    for path in written:
        console.print(f"已写出回归用例 {path}")
    console.print(f"共 {len(written)} 个误报导出为回归用例（存档已不在的误报不导出）")


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round", help="测评批次：创建、检测、评分、发布通报 / Evaluation rounds")
