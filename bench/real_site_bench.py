"""Real-site benchmark: whole-site checks on a real site's mirror, against labels a human wrote.

Usage::

    python bench/real_site_bench.py            # print the figures
    python bench/real_site_bench.py --verbose  # also every finding that is not a PASS

The mirror (``tests/fixtures/mirror/<site>``, SOURCES.md there) is served on loopback by
``gongkai.fleet.mirror.MirrorServer``; every page outside the archived subset answers 404. The crawler
reads it once from the label file's entry; each framework of the label file is evaluated on that model
at the label file's ``as_of`` and unit group. A check's verdict is its strongest finding (FAIL, then PASS,
UNCERTAIN, NOT_ASSESSABLE). Per check the bench prints the label, the verdict and whether they agree
(``NOT_FAIL`` agrees with anything but FAIL); then FAIL precision and recall over all FAIL findings
(a FAIL is true only where the label says FAIL; checks under ``excluded`` are not counted), and the
columns found: the 专栏 catalogue's names met as columns, and the subset's list pages read with all
their rows. The exit status is always 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from gongkai.crawl import CrawlConfig, crawl_site
from gongkai.fleet.mirror import MirrorServer
from gongkai.frameworks import load_framework
from gongkai.model import Finding, Verdict
from gongkai.scan import evaluate

ROOT = Path(__file__).resolve().parents[1]
MIRRORS = ROOT / "tests" / "fixtures" / "mirror"
STRENGTH = (Verdict.FAIL, Verdict.PASS, Verdict.UNCERTAIN, Verdict.NOT_ASSESSABLE)


def strongest(findings: list[Finding]) -> dict[str, Verdict]:
    out: dict[str, Verdict] = {}
    for f in findings:
        if f.check not in out or STRENGTH.index(f.verdict) < STRENGTH.index(out[f.check]):
            out[f.check] = f.verdict
    return out


def agrees(label: str, verdict: Verdict) -> bool:
    return verdict is not Verdict.FAIL if label == "NOT_FAIL" else verdict.value == label


def fail_counts(findings: list[Finding], labels: dict[str, Any]) -> tuple[int, int, int]:
    """(true FAILs, false FAILs, labelled FAILs missed), over checks not excluded."""
    excluded = set(labels.get("excluded") or {})
    checks = labels["checks"]
    failed = {f.check for f in findings if f.verdict is Verdict.FAIL and f.check not in excluded}
    tp = sum(1 for f in findings if f.verdict is Verdict.FAIL and checks.get(f.check) == "FAIL")
    fp = sum(
        1 for f in findings if f.verdict is Verdict.FAIL and f.check not in excluded and checks.get(f.check) != "FAIL"
    )
    ran = {f.check for f in findings}
    fn = sum(1 for c, lab in checks.items() if lab == "FAIL" and c in ran and c not in failed)
    return tp, fp, fn


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "—（无此类）"


def run(site_dir: Path, verbose: bool) -> None:
    labels = yaml.safe_load((site_dir / "labels.yaml").read_text(encoding="utf-8"))
    as_of = labels["as_of"] if isinstance(labels["as_of"], dt.date) else dt.date.fromisoformat(labels["as_of"])
    with MirrorServer(site_dir) as mirror, tempfile.TemporaryDirectory() as tmp:
        crawled = crawl_site(mirror.url(labels["entry"]), Path(tmp), CrawlConfig(rate=200, timeout_s=5, retries=0))
        model = crawled.site_model
        print(f"== {labels['site']}：抓取 {len(mirror.requests)} 次请求，应答 {crawled.pages} 页，as_of {as_of}")
        info = {"pages": crawled.pages, "errors": crawled.errors, "partial": crawled.partial}
        for fw in labels["frameworks"]:
            result = evaluate(model, load_framework(fw), as_of, unit_group=labels["unit_group"], crawl=info)
            verdicts = strongest(result.findings)
            print(f"\n-- 指标体系 {fw}")
            print(f"{'检查项':28} {'标注':15} {'结论':15} 一致")
            agree = total = 0
            for check, label in labels["checks"].items():
                if check not in verdicts:
                    continue
                ok = agrees(label, verdicts[check])
                agree, total = agree + ok, total + 1
                print(f"{check:28} {label:15} {verdicts[check].value:15} {'是' if ok else '否'}")
            tp, fp, fn = fail_counts(result.findings, labels)
            print(f"一致 {agree}/{total}；不通过 查准率 {ratio(tp, tp + fp)}（真 {tp}，误报 {fp}），"
                  f"查全率 {ratio(tp, tp + fn)}（漏报 {fn}）")
            if verbose:
                for f in result.findings:
                    if f.verdict is not Verdict.PASS:
                        print(f"   {f.check} {f.verdict.value} {f.subject}：{f.message[:160]}")
        names = {c.name for c in model.columns}
        catalogue = labels["columns"]["catalogue"]
        print(f"\n栏目：专栏目录 {sum(n in names for n in catalogue)}/{len(catalogue)} 个找到（站点模型共 {len(names)} 个栏目）")
        for col in labels["columns"]["in_subset"]:
            hit = next((c for c in model.columns if c.url.rstrip("/").endswith(col["path"].rstrip("/"))), None)
            got = len(hit.items) if hit is not None else 0
            print(f"子集中的列表「{col['name']}」：读到 {got}/{col['items']} 条")
        cov = model.coverage
        if cov is not None:
            print(f"覆盖：完整={cov.complete}，栏目 {cov.columns}，列表页 {cov.list_pages}，截去 {len(cov.cut)} 处")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    for site_dir in sorted(p for p in MIRRORS.iterdir() if (p / "labels.yaml").is_file()):
        run(site_dir, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
