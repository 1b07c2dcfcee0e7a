"""An office runs a round from the command line: import units, create, run (progress), publish the 通报."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import docx
import pytest

from gongkai.fleet import FleetServer, generate_fleet

pytestmark = pytest.mark.slow


def gongkai(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=data_dir,
    )


def test_create_run_and_publish_a_round_from_the_cli(tmp_path):
    fleet = generate_fleet(3, seed=4, as_of=dt.date(2026, 3, 30), scale=0.2)
    with FleetServer(fleet) as server:
        rows = ["单位全称,分组,网站首页"] + [
            f"{s.full_name},{s.group},{server.url_of(s)}" for s in fleet.sites
        ]
        (tmp_path / "units.csv").write_text(
            "\n".join(rows)
            .replace(",county,", ",县区政府,")
            .replace(",department,", ",市直部门,")
            .replace(",township,", ",乡镇（街道）,"),
            encoding="utf-8",
        )
        assert gongkai("units", "import", "units.csv", data_dir=tmp_path).returncode == 0
        created = gongkai(
            "round",
            "create",
            "2026年第一季度网上测评",
            "--as-of",
            "2026-03-30",
            "--rate",
            "50",
            "--seed",
            "9",
            "--no-external",  # the fleet's links to gov.cn lead to the internet, which tests never reach
            data_dir=tmp_path,
        )
        assert created.returncode == 0, created.stderr
        assert "3 个单位，随机种子 9" in created.stdout
        ran = gongkai("round", "run", "1", data_dir=tmp_path)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "完成 3 个，失败 0 个；状态：评分中" in ran.stdout
    refused = gongkai("round", "publish", "1", "--out", "out", data_dir=tmp_path)
    # the fleet's manual items are not scored: the gate refuses and says what is open, unit by unit
    assert refused.returncode == 2 and "尚不能发布" in refused.stderr and "人工评分项待评" in refused.stderr
    assert not (tmp_path / "out").exists()
    published = gongkai(
        "round", "publish", "1", "--out", "out", "--override-reason", "人工评分线下完成", data_dir=tmp_path
    )
    assert published.returncode == 0, published.stderr
    assert "理由已记入变更记录" in published.stdout
    notice = docx.Document(tmp_path / "out" / "2026年第一季度网上测评通报.docx")
    assert any("绩效排序" in p.text for p in notice.paragraphs)
    assert (tmp_path / "out" / "2026年第一季度网上测评通报.pdf").read_bytes().startswith(b"%PDF")
    assert gongkai("round", "run", "7", data_dir=tmp_path).returncode == 2  # no such round: a clear error
