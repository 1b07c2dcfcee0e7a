"""`gongkai crawl`, `gongkai extract` and `gongkai fleet serve`: thin shells over gongkai.crawl and gongkai.fleet."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the crawler is imported when a command runs, not at start-up
    from gongkai.crawl.result import ModelCounts

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
    port_base: int = typer.Option(
        0, "--port-base", help="固定端口起点（0 为随机）/ first fixed port, 0 = any"
    ),
    scale: float = typer.Option(1.0, "--scale", help="新闻与公告数量倍数（1 约 150 页/站）/ page multiplier"),
    furnished: bool = typer.Option(
        False,
        "--furnished",
        help="页面带真实站点的样式、脚本、友情链接等（约 29 KB/页）/ pages carry a real site's furniture",
    ),
    variety: bool = typer.Option(
        False,
        "--variety",
        help="各站随机采用不同的专栏目录版式、栏目名称与列表样式 / per-site catalogue layouts, vocabularies, list markups",
    ),
) -> None:
    """在本机回环地址上运行模拟站点舰队 / Serve a fleet of simulated sites on loopback."""
    from gongkai.fleet import FleetServer, generate_fleet

    date = _parse_date(as_of) if as_of else None
    if not 0.1 <= scale <= 20:
        console.print(f"[red]错误：--scale 须在 0.1 到 20 之间，收到 {scale}[/red]")
        raise typer.Exit(2)
    fleet = generate_fleet(
        sites, seed=seed, defect_rate=defect_rate, as_of=date, scale=scale, chrome=furnished, variety=variety
    )
    faults = {}
    for f in fault:
        name, _, mode = f.partition("=")
        faults[name] = mode
    try:
        ports = {s.name: port_base + i for i, s in enumerate(fleet.sites)} if port_base else None
        server = FleetServer(fleet, faults=faults, ports=ports).start()
    except (KeyError, ValueError, OSError) as exc:
        console.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(title=f"模拟舰队（种子 {seed}，截止 {fleet.as_of}）")
    for col in ("站点", "类别", "CMS", "地址", "注入缺陷"):
        table.add_column(col, no_wrap=col == "地址", overflow="fold")
    for s in fleet.sites:
        cms = f"{s.cms}/{s.variety.layout}" if s.variety else s.cms
        table.add_row(s.full_name, s.group, cms, server.url_of(s), str(len(s.defects)))
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


def crawl(
    urls: list[str] = typer.Argument(None, help="站点网址，可给多个 / site URL(s)"),
    out: Path = typer.Option(Path("crawls"), "--out", help="归档输出目录 / output directory"),
    max_pages: int = typer.Option(2000, "--max-pages", help="每站页面上限 / page budget per site"),
    rate: float = typer.Option(1.0, "--rate", help="每站每秒请求数 / requests per second per host"),
    max_depth: int = typer.Option(8, "--max-depth", help="链接深度上限 / link depth"),
    time_budget: float = typer.Option(1800.0, "--time-budget", help="时间预算（秒）/ time budget in seconds"),
    previous: Path | None = typer.Option(
        None, "--previous", help="上次的归档，用于增量抓取（仅单站）/ previous archive (one site)"
    ),
    allow_private: bool = typer.Option(False, "--allow-private", help="允许内网链接 / follow private hosts"),
    no_robots: bool = typer.Option(False, "--ignore-robots", help="不遵守 robots.txt（仅限自有站点）"),
    urls_file: Path | None = typer.Option(
        None,
        "--urls-file",
        help="网址清单文件，每行“网址 [专栏网址]”（# 开头为注释）/ file with one URL (and its 专栏) per line",
    ),
    processes: int = typer.Option(
        1, "--processes", help="多站点时使用的进程数（按站点分配）/ worker processes for many sites"
    ),
    proxy: str = typer.Option(
        "", "--proxy", help="经此 HTTP 代理抓取，如 http://10.1.1.1:3128 / HTTP proxy for every request"
    ),
    strict_tls: bool = typer.Option(
        False, "--strict-tls", help="证书无法验证的站点不再抓取（默认记为故障后继续）/ no unverified HTTPS"
    ),
    no_external: bool = typer.Option(
        False, "--no-external", help="不检查指向其他网站的链接 / do not probe links to other sites"
    ),
    render: str = typer.Option(
        "",
        "--render",
        help="脚本填充列表的页面：auto 仅渲染找不到数据接口的，always 全部渲染，never 不渲染（默认 auto，"
        "或 GONGKAI_CRAWL_RENDER）/ render script-filled pages in headless Chromium: auto|never|always",
    ),
    zhuanlan: str = typer.Option(
        "",
        "--zhuanlan",
        help="政府信息公开专栏的网址（在别的主机或平台上时；仅单站，批量时写在清单每行第二列）/ the site's 专栏",
    ),
    recrawl: bool = typer.Option(
        False,
        "--recrawl",
        help="重新抓取输出目录中已抓完的站点（默认沿用其归档）/ crawl again sites already finished in --out",
    ),
) -> None:
    """礼貌地抓取站点并写入 WARC 归档 / Crawl sites politely into WARC archives.

    中断（Ctrl+C）后用同样的命令重新运行即可续抓，已抓取的页面不会重复请求；已抓完的站点沿用其归档，
    不再抓取（--recrawl 重新抓取）。"""
    from gongkai.crawl import CrawlConfig

    listed = _read_urls(urls_file) if urls_file else []
    targets = list(urls or []) + [url for url, _ in listed]
    columns = {url: column for url, column in listed if column}
    if not targets:
        console.print("[red]错误：请给出至少一个站点网址（或 --urls-file）[/red]")
        raise typer.Exit(2)
    if previous and len(targets) > 1:
        console.print("[red]错误：--previous 只能用于单个站点的增量抓取[/red]")
        raise typer.Exit(2)
    if zhuanlan and len(targets) > 1:
        console.print("[red]错误：--zhuanlan 只能用于单个站点；批量时把专栏网址写在清单每行的第二列[/red]")
        raise typer.Exit(2)
    if zhuanlan:
        columns[targets[0]] = zhuanlan
    try:
        config = CrawlConfig(
            max_pages=max_pages,
            rate=rate,
            max_depth=max_depth,
            time_budget_s=time_budget,
            allow_private=allow_private,
            respect_robots=not no_robots,
            processes=processes,
            tls_fallback=not strict_tls,
            **({"probe_external": False} if no_external else {}),  # else GONGKAI_CRAWL_EXTERNAL
            **({"proxy": proxy} if proxy else {}),  # else GONGKAI_CRAWL_PROXY or HTTP(S)_PROXY
            **({"render": render} if render else {}),  # else GONGKAI_CRAWL_RENDER, else auto
        )
    except ValueError as exc:
        console.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    results, counts = _crawl_with_progress(targets, out, config, previous, columns, keep=not recrawl)
    if len(results) > 1:
        _batch_summary(results, counts)
        return
    result = results[0]
    console.print(
        f"完成 {result.site}：{result.pages} 个页面，{result.errors} 个错误，"
        f"{'不完整（partial）' if result.partial else '完整'}；归档 {result.archive}"
    )
    if result.kept:
        console.print("  此前已抓完：沿用输出目录中的归档，未重新抓取（--recrawl 可重新抓取）")
    if result.resumed:
        console.print("  续抓：沿用了中断前已归档的页面")
    if result.reused:
        console.print(f"  增量抓取：{result.reused} 个页面未变化，沿用上次归档")
    if result.rendered:
        console.print(f"  脚本渲染：{result.rendered} 个页面由浏览器渲染后读取")
    for fault in result.faults[:20]:
        console.print(f"  [yellow]• {fault}[/yellow]")
    _summary(result.site_model)
    if result.site_model.coverage is not None:
        console.print(coverage_table(result.site_model.coverage))


def _batch_summary(results: list, counts: dict[int, ModelCounts]) -> None:
    """One row per site (the column tables of a whole batch would scroll away); faults of partial sites after."""
    t = Table(title=f"抓取结果：{len(results)} 个站点")
    for col in ("站点", "页面", "错误", "状态", "栏目", "条目", "文件", "归档"):
        t.add_column(col, overflow="fold")
    for i, r in enumerate(results):
        columns, items, documents = counts[i]
        state = "不完整" if r.partial else ("续抓完成" if r.resumed else "完整")
        state += "（沿用已有归档）" if r.kept else ""
        t.add_row(
            r.site, str(r.pages), str(r.errors), state,
            str(columns), str(items), str(documents), r.archive.name,
        )  # fmt: skip
    console.print(t)
    for r in results:
        for fault in r.faults[:5]:
            console.print(f"  [yellow]• {r.site}：{fault}[/yellow]")
    kept = sum(1 for r in results if r.kept)
    if kept:
        console.print(f"{kept} 个站点此前已抓完，沿用其归档，未重新抓取（--recrawl 可重新抓取）")
    console.print(f"归档目录：{results[0].archive.parent}；`gongkai extract 归档` 可查看任一站点的栏目明细")


def _read_urls(path: Path) -> list[tuple[str, str]]:
    """(site URL, its 专栏 URL or '') per line: `网址 [专栏网址]`; blank lines and # comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"[red]错误：无法读取网址清单 {path}：{exc}[/red]")
        raise typer.Exit(2) from exc
    out = []
    for number, line in enumerate(lines, 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) > 2:
            console.print(
                f"[red]错误：网址清单 {path} 第 {number} 行应为“网址 [专栏网址]”，却有 {len(words)} 项[/red]"
            )
            raise typer.Exit(2)
        out.append((words[0], words[1] if len(words) == 2 else ""))
    return out


LIVE_ROWS = 15  # sites listed in the live table; a batch of hundreds shows the most recently active


def _crawl_with_progress(
    targets: list[str],
    out: Path,
    config: object,
    previous: Path | None,
    zhuanlans: dict[str, str],
    *,
    keep: bool = True,
) -> tuple[list, dict[int, ModelCounts]]:
    """Run the crawl under a live table: one row per site (pages, queue, errors, rate, current URL).

    Returns the results and each site's model counts. In a batch, each site's model is counted and let go
    as the site finishes, so memory stays bounded by the sites in flight, not by the batch."""
    from rich.live import Live

    from gongkai.crawl import crawl_many
    from gongkai.crawl.batch import check_distinct_sites
    from gongkai.crawl.engine import normalise_seed, run_sync
    from gongkai.crawl.locks import SiteBusy

    try:
        seeds = [normalise_seed(u) for u in targets]
        check_distinct_sites(seeds)
        columns = {normalise_seed(u): normalise_seed(z) for u, z in zhuanlans.items()}
    except ValueError as exc:
        console.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    rows: dict[str, dict[str, object]] = {}  # host -> its latest progress, most recently active last

    def view() -> Table:
        title = f"抓取 {seeds[0]}" if len(seeds) == 1 else f"抓取 {len(seeds)} 个站点"
        t = Table(title=title, show_header=True)
        for col in ("站点", "已抓页面", "队列", "错误", "速率（页/秒）", "当前"):
            t.add_column(col)
        shown = list(rows.items())[-LIVE_ROWS:]
        for host, row in shown:
            t.add_row(
                host,
                str(row["pages"]),
                str(row["queue"]),
                str(row["errors"]),
                f"{float(row['rate']):.2f}",  # type: ignore[arg-type]
                str(row["url"])[-60:],
            )
        if len(seeds) > 1:
            pages = sum(int(r["pages"]) for r in rows.values())  # type: ignore[call-overload]
            errors = sum(int(r["errors"]) for r in rows.values())  # type: ignore[call-overload]
            more = f"（只列出最近活动的 {len(shown)} 个）" if len(rows) > len(shown) else ""
            t.caption = f"已开始 {len(rows)}/{len(seeds)} 个站点，合计 {pages} 个页面、{errors} 个错误{more}"
        return t

    prev = {seeds[0]: previous} if previous else None
    # the table is rebuilt at each refresh (4 a second), not at each page: cheap for a thousand sites
    with Live(get_renderable=view, console=console, refresh_per_second=4, transient=False) as live:

        def progress(event: dict[str, object]) -> None:
            host = str(event["host"])
            rows.pop(host, None)
            rows[host] = event

        counts: dict[int, ModelCounts] = {}

        def count(index: int, result: object) -> None:
            counts[index] = result.model_counts  # type: ignore[attr-defined]
            if len(seeds) > 1:
                result.release_model()  # type: ignore[attr-defined]

        try:
            crawl = crawl_many(  # type: ignore[arg-type]
                seeds,
                out,
                config,
                progress,
                prev,
                extract=True,
                on_result=count,
                zhuanlans=columns,
                keep_finished=keep,
            )
            return run_sync(crawl), counts
        except SiteBusy as exc:  # an old crawl (a worker of a killed batch) still crawls a site here
            live.stop()
            console.print(f"[red]错误：{exc}[/red]")
            raise typer.Exit(2) from exc
        except KeyboardInterrupt as exc:
            live.stop()
            console.print(
                f"[yellow]已中断：已抓取的页面保存在 {out} 的归档中，重新运行同一命令即可续抓[/yellow]"
            )
            raise typer.Exit(130) from exc
        except RuntimeError as exc:  # a worker process failed; its message says what and how to go on
            live.stop()
            console.print(f"[red]错误：{exc}[/red]")
            raise typer.Exit(1) from exc


def extract(
    archive: Path = typer.Argument(..., help="WARC 归档文件 / WARC archive"),
    json_out: Path | None = typer.Option(None, "--json", help="把站点模型写入 JSON 文件 / write the model"),
    site: str | None = typer.Option(None, "--site", help="站点首页网址（默认取归档记录）/ site root URL"),
) -> None:
    """离线从归档重建站点模型并输出摘要 / Rebuild the site model from an archive, offline."""
    from gongkai.crawl import extract_archive

    try:
        model = extract_archive(archive, site)
    except (FileNotFoundError, OSError) as exc:
        console.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    _summary(model)
    if model.coverage is not None:
        console.print(coverage_table(model.coverage))
    if json_out:
        json_out.write_text(json.dumps(model_to_dict(model), ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"站点模型已写入 {json_out}")


def _summary(model: object) -> None:
    from gongkai.model import SiteModel

    assert isinstance(model, SiteModel)
    console.print(
        f"站点 {model.site}：页面 {len(model.pages)}，栏目 {len(model.columns)}，条目 {len(model.items)}，"
        f"文件 {len(model.documents)}，链接 {len(model.links)}；政府信息公开专栏 {model.zhuanlan_url or '未找到'}"
    )
    from gongkai.crawl.catalogue import FOUND_BY

    t = Table(title="栏目")
    for col in ("栏目", "类别", "专栏内", "条目数", "最新日期", "列表页", "发现方式"):
        t.add_column(col)
    names = {c.url: c.name for c in model.columns}
    for c in model.columns:
        dates = [i.date for i in c.items if i.date]
        newest = max(dates).isoformat() if dates else ("暂无信息" if c.placeholder else "—")
        name = f"{names[c.parent]} › {c.name}" if c.parent in names else c.name
        how = FOUND_BY.get(c.found_by, c.found_by)
        t.add_row(name, c.kind, "是" if c.in_zhuanlan else "", str(len(c.items)), newest, str(c.pages), how)
    console.print(t)


def coverage_table(coverage: object) -> Table:
    """覆盖情况: what the crawl read, and each cut with what and why."""
    from gongkai.model import Coverage

    assert isinstance(coverage, Coverage)
    state = "完整" if coverage.complete else "不完整"
    if coverage.read == 0:
        state = "无法访问（未读到任何可用页面，不评分）"
    elif not coverage.catalogue_complete:
        state = "不完整，目录未读完整（缺失类检查只给“待核实”）"
    t = Table(title=f"覆盖情况：{state}")
    t.add_column("项目")
    t.add_column("结果", overflow="fold")
    t.add_row("栏目", str(coverage.columns))
    t.add_row("已读列表页", str(coverage.list_pages))
    t.add_row("渲染页面", str(coverage.rendered))
    t.add_row("已用预算", f"{coverage.budget_used * 100:.0f}%")
    t.add_row("可用页面", str(coverage.read))
    for c in coverage.cut[:20]:
        label = "未读" + ("（目录）" if c.catalogue else "") if c.lost else "陷阱（已截断，无内容损失）"
        t.add_row(label, f"{c.what}：{c.why}")
    if len(coverage.cut) > 20:
        t.add_row("…", f"另有 {len(coverage.cut) - 20} 处，见 --json 输出")
    return t


def model_to_dict(model: object) -> dict[str, object]:
    """JSON-ready dict of a SiteModel (dates as ISO strings)."""
    import dataclasses

    def conv(v: object) -> object:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        if isinstance(v, tuple | list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v):
            return {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)}
        return v

    return conv(model)  # type: ignore[return-value]


def register(app: typer.Typer) -> None:
    crawl_help = (
        "礼貌地抓取站点并写入 WARC 归档；中断（Ctrl+C）后重跑同一命令即续抓 / "
        "Crawl sites politely into WARC archives; rerun the same command to resume"
    )
    app.command("crawl", help=crawl_help)(crawl)
    app.command("extract", help="离线从归档重建站点模型 / Rebuild the site model from an archive")(extract)
    app.add_typer(fleet_app, name="fleet", help="模拟政府网站舰队 / Fleet of simulated government sites")
