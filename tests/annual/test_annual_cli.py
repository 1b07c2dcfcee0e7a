"""`gongkai annual check|build` as contracts.md specifies (exit 0/1/2, JSON shape)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from gongkai.cli import app

runner = CliRunner()


def test_check_json_contract_shape_and_exit_zero(corpus):
    res = runner.invoke(app, ["annual", "check", str(corpus / "haicang-2023.txt"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, list) and len(data) == 1
    obj = data[0]
    assert {"path", "unit", "year", "format", "tables", "problems"} <= set(obj)
    assert obj["year"] == 2023 and obj["format"] == "2021"
    assert obj["tables"]["t3"]["new_received"] == [104, 3, 0, 0, 0, 0, 107]
    assert len(obj["tables"]["t4"]) == 15


def test_check_exit_one_on_errors_and_two_on_unreadable(corpus, tmp_path):
    res = runner.invoke(app, ["annual", "check", str(corpus / "huaian-hongze-2023.pdf"), "--json"])
    assert res.exit_code == 1
    assert {p["rule"] for p in json.loads(res.stdout)[0]["problems"]} == {"FMT-OLD", "T4-SUM"}
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    res = runner.invoke(app, ["annual", "check", str(bad), str(corpus / "haicang-2023.txt"), "--json"])
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert "error" in data[0] and data[1]["problems"] == []


def test_check_previous_year_cross_rules(corpus):
    res = runner.invoke(
        app,
        [
            "annual",
            "check",
            str(corpus / "pingtan-2022.page.txt"),
            "--previous",
            str(corpus / "pingtan-2021.page.txt"),
            "--json",
        ],
    )
    problems = json.loads(res.stdout)[0]["problems"]
    # 2021 carried forward 1 (natural person), 2022 carried over 1: consistent.
    assert not [p for p in problems if p["rule"] == "X-CARRY"]


def test_folder_with_summary_csv(corpus, tmp_path):
    out = tmp_path / "sum.csv"
    res = runner.invoke(app, ["annual", "check", str(corpus), "--summary", str(out), "--workers", "1"])
    assert res.exit_code == 1
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("文件,单位,年度,格式,错误数,警告数,T3-IDENTITY")
    assert len(lines) == 1 + 16


def test_build_writes_a_report_that_checks_clean(tables, tmp_path):
    src = tmp_path / "t.json"
    src.write_text(json.dumps(tables), encoding="utf-8")
    out = tmp_path / "ours.docx"
    res = runner.invoke(
        app, ["annual", "build", str(src), "-o", str(out), "--unit", "测试区人民政府", "--year", "2024"]
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["annual", "check", str(out), "--json"])
    obj = json.loads(res.stdout)[0]
    assert obj["tables"]["t3"] == tables["t3"]
    assert {p["rule"] for p in obj["problems"]} <= {"CH-MISSING", "CELL-BLANK"} or obj["problems"] == []


def test_build_rejects_bad_json(tmp_path):
    src = tmp_path / "t.json"
    src.write_text('{"t4": [1, 2]}', encoding="utf-8")
    res = runner.invoke(app, ["annual", "build", str(src), "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2
    assert "表四应有15个数" in res.output


def test_batch_pairs_consecutive_years_of_one_unit(corpus, tmp_path):
    from gongkai.annual.check import check_many

    (tmp_path / "pingtan-2021.page.txt").write_bytes((corpus / "pingtan-2021.page.txt").read_bytes())
    text = (corpus / "pingtan-2022.page.txt").read_text(encoding="utf-8")
    mutated = text.replace("上年结转政府信息公开申请数量 1000001", "上年结转政府信息公开申请数量 2000002")
    assert mutated != text
    (tmp_path / "pingtan-2022.page.txt").write_text(mutated, encoding="utf-8")
    results = list(check_many(sorted(tmp_path.iterdir()), workers=1))
    carry = [p for p in results[1]["problems"] if p["rule"] == "X-CARRY"]
    assert [p["where"] for p in carry] == ["t3.carried_over.natural_person", "t3.carried_over.total"]
    assert "2021年度报告结转下年度1件" in carry[0]["message"]
    # Unchanged, the real 2021 -> 2022 pair is consistent.
    (tmp_path / "pingtan-2022.page.txt").write_text(text, encoding="utf-8")
    results = list(check_many(sorted(tmp_path.iterdir()), workers=1))
    assert not [p for p in results[1]["problems"] if p["rule"].startswith("X-")]
