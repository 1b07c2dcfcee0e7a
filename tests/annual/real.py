"""Real set: published reports found beyond the corpus (fixtures/real, SOURCES.md), labelled by hand.

    python tests/annual/real.py          # per report: findings right, false errors, missed, cells read

Each report's expected findings and the cells read by hand from the file are in
fixtures/real/expected.json: `findings` are the errors and warnings (rule, where) the file deserves as
printed (a blank cell is CELL-BLANK, a chapter cut off is CH-MISSING); `cells` are the numbers a reader
finds in the file (`null`: printed blank). A cell whose digits the file does not say unambiguously
(a converter dropped it) is left out of `cells`. CELL-AMBIGUOUS is always allowed (our reader's doubt,
never an error), but the cell it leaves empty counts as not read.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "real"


def _read_cells(tables: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in (tables.get("t2") or {}).items():
        out[f"t2.{k}"] = None if v is None else Decimal(str(v))
    for k, row in (tables.get("t3") or {}).items():
        out[f"t3.{k}"] = row
    out["t4"] = tables.get("t4") or [None] * 15
    return out


def _same(want: object, got: object) -> tuple[int, int, int]:
    """(right, wrong, total) cells of one expected entry (a number or a row)."""
    if isinstance(want, list):
        got = got if isinstance(got, list) else [None] * len(want)
        pairs = list(zip(want, got, strict=False))
    else:
        pairs = [(want, got)]
    right = sum(
        1
        for w, g in pairs
        if (None if w is None else Decimal(str(w))) == (None if g is None else Decimal(str(g)))
    )
    wrong = sum(1 for w, g in pairs if g is not None and (w is None or Decimal(str(w)) != Decimal(str(g))))
    return right, wrong, len(pairs)


def score_one(name: str, want: dict, result: dict) -> dict:
    severity = {(p["rule"], p["where"]): p["severity"] for p in result["problems"]}
    got = [[p["rule"], p["where"]] for p in result["problems"] if p["rule"] != "CELL-AMBIGUOUS"]
    expected = want["findings"]
    read = _read_cells(result["tables"])
    right = wrong = total = 0
    for key, value in want["cells"].items():
        r, w, n = _same(value, read.get(key))
        right, wrong, total = right + r, wrong + w, total + n
    false_errors = [f for f in got if f not in expected and severity[tuple(f)] == "error"]
    return {
        "name": name,
        "family": want["family"],
        "right": sorted(map(tuple, got)) == sorted(map(tuple, expected)) and wrong == 0,
        "false_errors": false_errors,
        "false_warnings": [f for f in got if f not in expected and f not in false_errors],
        "missed": [f for f in expected if f not in got],
        "cells": (right, total),
        "wrong_cells": wrong,
        "meta": (result["unit"], result["year"], result["format"])
        == (want["unit"], want["year"], want["format"]),
    }


def score() -> list[dict]:
    from gongkai.annual import check_file

    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    return [score_one(name, want, check_file(FIXTURES / name)) for name, want in sorted(expected.items())]


def report() -> None:
    """Per report: right / false errors / missed findings / cells (also from bench/annual_bench.py)."""
    scores = score()
    print(f"{'报告':<28} {'形式':<22} 结论 误报错误 误报警告 漏报 单元格")
    for s in scores:
        right, total = s["cells"]
        print(
            f"{s['name']:<28} {s['family']:<22} {'对' if s['right'] else '错':<3} {len(s['false_errors']):>6}"
            f" {len(s['false_warnings']):>7} {len(s['missed']):>4} {right}/{total}"
        )
        for kind in ("false_errors", "false_warnings", "missed"):
            for f in s[kind]:
                print(f"    {kind}: {f[0]} {f[1][:90]}")
    ok = sum(s["right"] for s in scores)
    fe = sum(len(s["false_errors"]) for s in scores)
    missed = sum(len(s["missed"]) for s in scores)
    right = sum(s["cells"][0] for s in scores)
    total = sum(s["cells"][1] for s in scores)
    print(
        f"合计：{len(scores)} 份真实报告，结论全对 {ok}，误报错误 {fe} 条，漏报 {missed} 条，"
        f"单元格读对 {right}/{total}（{right / total:.1%}）"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    report()
