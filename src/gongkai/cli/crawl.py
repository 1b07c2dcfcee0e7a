"""`gongkai crawl`, `gongkai extract` and `gongkai fleet serve`: thin shells over gongkai.crawl and gongkai.fleet."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()

fleet_app = typer.Typer(help="模拟政府网站舰队 / Fleet of simulated government sites", no_args_is_help=True)


@fleet_app.command("serve")
def fleet_serve(
    sites: int = typer.Option(12, "--sites", help="站点数量 / number of sites"),
    seed: int = typer.Option(7, "--seed", help="随机种子 / random seed"),
    defect_rate: float = typer.Option(0.15, "--defect-rate", help="每类缺陷注入概率 / defect probability"),
    as_of: str = typer.Option("", "--as-of", help="数据截止日期 YYYY-MM-DD（默认今天）/ as-of date"),
    fault: list[str] = typer.Option(
        [], "--fault", help="站点故障，如 云溪县=slow（可重复）/ site fault, NAME=MODE (repeatable)"
    ),
    save: Path | None = typer.Option(None, "--save", help="把舰队与缺陷清单写入目录 / write fleet.json here"),
) -> None:
    """在本机回环地址上运行模拟站点舰队 / Serve a fleet of simulated sites on loopback."""
    from gongkai.fleet import FleetServer, generate_fleet

    date = _parse_date(as_of) if as_of else None
    fleet = generate_fleet(sites, seed=seed, defect_rate=defect_rate, as_of=date)
    faults = {}
    for f in fault:
        name, _, mode = f.partition("=")
        faults[name] = mode
    try:
        server = FleetServer(fleet, faults=faults).start()
    except (KeyError, ValueError) as exc:
        console.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(title=f"模拟舰队（种子 {seed}，截止 {fleet.as_of}）")
    for col in ("站点", "类别", "CMS", "地址", "注入缺陷"):
        table.add_column(col)
    for s in fleet.sites:
        table.add_row(s.full_name, s.group, s.cms, server.url_of(s), str(len(s.defects)))
    console.print(table)
    if save:
        console.print(f"缺陷清单已写入 {fleet.save(save)}")
    console.print("按 Ctrl+C 停止 / press Ctrl+C to stop")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        console.print(f"[red]错误：日期“{value}”不是 YYYY-MM-DD 格式[/red]")
        raise typer.Exit(2) from exc


def register(app: typer.Typer) -> None:
    app.add_typer(fleet_app, name="fleet", help="模拟政府网站舰队 / Fleet of simulated government sites")
    _ = json  # crawl/extract commands are added below once the crawler lands
