"""`gongkai crawl` and `gongkai extract` on a fleet site."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.fleet import Fleet, FleetServer

runner = CliRunner()


def test_crawl_then_extract_to_json(fleet: Fleet, server: FleetServer, tmp_path: Path) -> None:
    site = fleet.sites[2]
    res = runner.invoke(
        app, ["crawl", server.url_of(site), "--out", str(tmp_path), "--max-pages", "30", "--rate", "200"]
    )
    assert res.exit_code == 0, res.output
    assert "已达到页面上限 30" in res.output and "不完整" in res.output
    archives = list(tmp_path.glob("*.warc.gz"))
    assert len(archives) == 1
    out = tmp_path / "model.json"
    res = runner.invoke(app, ["extract", str(archives[0]), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "栏目" in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["site"] == server.url_of(site) and doc["partial"] is True
    assert {"pages", "columns", "items", "documents", "links"} <= set(doc)


def test_extract_reports_a_missing_archive(tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(tmp_path / "nope.warc.gz")])
    assert res.exit_code == 2 and "归档文件不存在" in res.output


def test_crawl_refuses_a_bad_rate() -> None:
    res = runner.invoke(app, ["crawl", "http://127.0.0.1:9/", "--rate", "0"])
    assert res.exit_code == 2 and "rate 必须大于 0" in res.output


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_and_read_home(monkeypatch, options: list[str]) -> str:
    """Run `gongkai fleet serve` with one site on a fixed port; read its homepage while it serves,
    then stop it as Ctrl+C would."""
    import urllib.request

    from gongkai.cli import crawl as crawl_cli

    port, pages = _free_port(), []

    def read_then_interrupt(_seconds: float) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            pages.append(resp.read().decode("utf-8", "replace"))
        raise KeyboardInterrupt

    monkeypatch.setattr(crawl_cli.time, "sleep", read_then_interrupt)
    res = runner.invoke(app, ["fleet", "serve", "--sites", "1", "--port-base", str(port), *options])
    assert res.exit_code == 0, res.output
    assert "模拟舰队" in res.output and f"127.0.0.1:{port}" in res.output
    return pages[0]


def test_fleet_serve_gives_plain_or_furnished_pages(monkeypatch) -> None:
    plain = _serve_and_read_home(monkeypatch, [])
    furnished = _serve_and_read_home(monkeypatch, ["--furnished"])
    assert "友情链接" not in plain and "友情链接" in furnished
    assert len(furnished.encode()) > 3 * len(plain.encode())


def test_fleet_serve_refuses_a_bad_scale() -> None:
    res = runner.invoke(app, ["fleet", "serve", "--scale", "0"])
    assert res.exit_code == 2 and "--scale 须在 0.1 到 20 之间" in res.output


def test_the_url_list_and_zhuanlan_option_are_checked(tmp_path: Path) -> None:
    listed = tmp_path / "sites.txt"
    listed.write_text(
        "# 县区\nhttp://a.gov.cn/ http://xxgk.a.gov.cn/\nhttp://b.gov.cn/ x y\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["crawl", "--urls-file", str(listed)])
    assert res.exit_code == 2 and "第3行应为“网址[专栏网址]”" in "".join(res.output.split())  # rich wraps
    res = runner.invoke(
        app, ["crawl", "http://a.gov.cn/", "http://b.gov.cn/", "--zhuanlan", "http://x.gov.cn/"]
    )
    assert res.exit_code == 2 and "--zhuanlan只能用于单个站点" in "".join(res.output.split())
