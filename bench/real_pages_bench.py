"""Real-page benchmark: every check on real government pages, against labels a human wrote.

Usage::

    python bench/real_pages_bench.py                     # print the figures
    python bench/real_pages_bench.py --json out.json     # and write them as JSON
    python bench/real_pages_bench.py --verbose           # also print every page's verdicts

Each page of ``tests/fixtures/real_pages/labels.yaml`` is archived alone into a WARC file at its real
URL (with the answer's real Content-Type) and read back by the crawler's own offline path
(``gongkai.crawl.extract_archive``), so the site model is the one a crawl that met this page would
build. The site root is the page's site (not archived): the page is what the crawl met of it.
``site.identity`` is judged on a second model where the page is the homepage: CMS templates print
the same footer on every page, and the check reads the homepage's.

Every registered check runs on each model with its default parameters and the label file's ``as_of``
(a page may fix its own). A check's verdict on a page is the strongest of its findings (FAIL, then
PASS, UNCERTAIN, NOT_ASSESSABLE). A FAIL is a positive. Where a label names a check, its verdict is
the truth; where it does not, the truth is "no FAIL" (a page fails a check only where a human says
so), so an unexpected FAIL counts as a false alarm. Per check the bench prints labelled cases,
TP/FP/FN, precision and recall, then one line per false alarm and miss with its cause; then the
metadata fields read off each page against the fields a human read. The exit status is always 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gongkai.checks import all_checks, run_check
from gongkai.checks._site import norm_url
from gongkai.checks.runner import ABSENCE_CHECKS
from gongkai.crawl import extract_archive
from gongkai.crawl.archive import ArchiveWriter
from gongkai.model import Finding, SiteModel, Verdict

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "real_pages"
LABELS = FIXTURES / "labels.yaml"
VERDICTS = ("FAIL", "PASS", "UNCERTAIN", "NOT_ASSESSABLE")
ROLES = ("zhuanlan_document", "list", "catalogue", "article", "service", "home", "guide", "attachment")
FIELDS = {  # label key -> Document attribute
    "索引号": "index_number",
    "发布机构": "publisher",
    "成文日期": "created",
    "发布日期": "published",
    "文号": "doc_number",
}
IDENTITY_MODEL_CHECKS = frozenset({"site.identity"})
# Checks that judge a whole site (its homepage, its catalogue, its history): one page cannot decide them,
# so they are not run here (the fleet benchmark and the scan tests measure them).
SITE_CHECKS = frozenset(
    {
        "site.unreachable",
        "site.availability",
        "homepage.stale",
        "column.missing",
        "column.stale",
        "column.periodic",
        "catalogue.classification",
        "annual_report.missing",
        "annual_report.late",
        "annual_report.inconsistent",
        "interpretation.missing",
        "interpretation.late",
        "consultation.feedback",
        "interaction.unanswered",
        "interaction.reply_time",
        "link.broken",
    }
)
REGULATION_START = dt.date(2008, 5, 1)  # 政府信息公开条例 took effect


class LabelError(ValueError):
    """The label file breaks its schema (Chinese message naming the page)."""


@dataclass
class PageLabel:
    """One labelled page."""

    file: str
    url: str
    site: str
    family: str
    role: str
    source: str
    content_type: str
    as_of: dt.date
    decoy: bool
    fields: dict[str, str | None]
    checks: dict[str, dict[str, str]]
    not_judged: dict[str, str] = field(default_factory=dict)  # check id -> why this page cannot tell


def page_checks() -> list[str]:
    """The registered checks one page can decide."""
    return [c for c in all_checks() if c not in SITE_CHECKS]


@dataclass
class Outcome:
    """What the checks said of one page."""

    page: PageLabel
    verdicts: dict[str, str] = field(default_factory=dict)  # check id -> strongest verdict
    messages: dict[str, str] = field(default_factory=dict)  # check id -> the deciding finding's message
    fields: dict[str, str | None] = field(default_factory=dict)  # label key -> value read by the model
    kind: str = ""  # Page.kind the model gave the page
    role: str = ""  # Page.role, where the model has roles


# ------------------------------------------------------------------------------------------- labels


def load_labels(path: Path = LABELS) -> tuple[list[PageLabel], dict[str, Any]]:
    """The labelled pages and the file's header; raises LabelError on a schema fault."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("pages"), list):
        raise LabelError("标注文件须有 pages 列表")
    default_as_of = _date(doc.get("as_of"), "as_of")
    known = set(page_checks())
    pages = [_page_label(entry, default_as_of, known) for entry in doc["pages"]]
    files = [p.file for p in pages]
    dup = {f for f in files if files.count(f) > 1}
    if dup:
        raise LabelError(f"页面重复标注：{'、'.join(sorted(dup))}")
    return pages, doc


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LabelError(f"{where}：日期格式应为 YYYY-MM-DD（得到 {value!r}）") from None


def _page_label(entry: object, default_as_of: dt.date, known: set[str]) -> PageLabel:
    if not isinstance(entry, dict):
        raise LabelError(f"pages 的每一项须为映射：{entry!r}")
    name = str(entry.get("file", ""))
    for key in ("file", "url", "site", "family", "role", "source"):
        if not entry.get(key):
            raise LabelError(f"{name or '（无文件名）'}：缺少 {key}")
    if not (FIXTURES / name).is_file():
        raise LabelError(f"{name}：文件不存在")
    if entry["role"] not in ROLES:
        raise LabelError(f"{name}：role 须为 {'/'.join(ROLES)} 之一（得到 {entry['role']}）")
    fields = entry.get("fields") or {}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise LabelError(f"{name}：未知的元数据字段 {'、'.join(sorted(unknown))}")
    checks = entry.get("checks") or {}
    for check_id, label in checks.items():
        if check_id not in known:
            raise LabelError(f"{name}：未知的检查项 {check_id}")
        if not isinstance(label, dict) or label.get("verdict") not in VERDICTS or not label.get("reason"):
            raise LabelError(f"{name}：{check_id} 须有 verdict（{'/'.join(VERDICTS)}）和 reason")
    not_judged = entry.get("not_judged") or {}
    if not isinstance(not_judged, dict) or set(not_judged) - known:
        raise LabelError(f"{name}：not_judged 须为“检查项: 原因”的映射，检查项须已注册")
    return PageLabel(
        file=name,
        url=str(entry["url"]),
        site=str(entry["site"]),
        family=str(entry["family"]),
        role=str(entry["role"]),
        source=str(entry["source"]),
        content_type=str(entry.get("content_type") or "text/html; charset=utf-8"),
        as_of=_date(entry.get("as_of", default_as_of), f"{name} as_of"),
        decoy=bool(entry.get("decoy", entry["role"] in ("service", "article", "list", "catalogue", "home"))),
        fields={k: (None if v is None else str(v)) for k, v in fields.items()},
        checks={k: {kk: str(vv) for kk, vv in v.items()} for k, v in checks.items()},
        not_judged={k: str(v) for k, v in not_judged.items()},
    )


# -------------------------------------------------------------------------------------- evaluation


def page_model(page: PageLabel, workdir: Path, *, as_home: bool = False) -> SiteModel:
    """The site model of a crawl that met only this page (as the homepage when `as_home`)."""
    body = (FIXTURES / page.file).read_bytes()
    suffix = "home" if as_home else "page"
    archive = workdir / f"{re.sub(r'[^0-9A-Za-z]+', '_', page.file)}-{suffix}.warc.gz"
    writer = ArchiveWriter(archive)
    writer.write_response(page.url, 200, "OK", [("Content-Type", page.content_type)], body)
    writer.close()
    return extract_archive(archive, page.url if as_home else page.site)


def strongest(findings: Iterable[Finding]) -> tuple[str, str]:
    """The verdict that decides a check on a page (FAIL first) and its message."""
    by: dict[str, str] = {}
    for f in findings:
        by.setdefault(f.verdict.value, f.message)
    for verdict in VERDICTS:
        if verdict in by:
            return verdict, by[verdict]
    return "NOT_ASSESSABLE", "（检查未给出任何结论）"


def evaluate(page: PageLabel, workdir: Path) -> Outcome:
    """Every registered check on the page's model(s), and the metadata the model read."""
    model = page_model(page, workdir)
    home_model = page_model(page, workdir, as_home=True)
    out = Outcome(page)
    for check_id in page_checks():
        if check_id in page.not_judged:
            continue
        site = home_model if check_id in IDENTITY_MODEL_CHECKS else model
        verdict, message = strongest(_as_scanned(run_check(check_id, site, page.as_of), site))
        out.verdicts[check_id], out.messages[check_id] = verdict, message
    key = norm_url(page.url)
    doc = next((d for d in model.documents if norm_url(d.url) == key), None)
    for name, attr in FIELDS.items():
        value = getattr(doc, attr, None) if doc is not None else None
        out.fields[name] = value.isoformat() if isinstance(value, dt.date) else (value or None)
    pg = next((p for p in model.pages if norm_url(p.url) == key), None)
    out.kind = pg.kind if pg is not None else ""
    out.role = str(getattr(pg, "role", "") or "")
    return out


def _as_scanned(findings: list[Finding], site: SiteModel) -> list[Finding]:
    """What a scan reports: on a partial crawl (one page is one) an absence is not proven."""
    if not site.partial:
        return findings
    return [
        Finding(f.check, Verdict.UNCERTAIN, f.subject, f.message, f.evidence)
        if f.verdict is Verdict.FAIL and f.check in ABSENCE_CHECKS
        else f
        for f in findings
    ]


# ----------------------------------------------------------------------------------------- causes


METADATA_CHECKS = ("meta.missing", "meta.index_invalid", "disclosure.late", "normative.validity")


def cause(outcome: Outcome, check_id: str, expected: str, got: str) -> str:
    """Why the check disagreed with the human: the labeller's note, else the page's evidence read against
    the check's rule, else what the check said."""
    label = outcome.page.checks.get(check_id, {})
    if label.get("cause"):
        return label["cause"]
    found = _false_fail_cause(outcome, check_id) if got == "FAIL" else ""
    if found:
        return found
    message = outcome.messages.get(check_id, "")
    if expected == "FAIL":
        return f"漏报：人工可证明（{label.get('reason', '')}），检查给出 {got}：{message}"
    return f"误报：{message}"


def _false_fail_cause(outcome: Outcome, check_id: str) -> str:
    """The family of a false FAIL, where the page's own evidence shows it."""
    page, message = outcome.page, outcome.messages.get(check_id, "")
    not_document = page.role != "zhuanlan_document"
    if check_id in METADATA_CHECKS and not_document:
        return f"页面角色：这是{page.role}页，不是专栏文件（元数据类检查只应判专栏文件），模型给的类型是 {outcome.kind}"
    created = outcome.fields.get("成文日期")
    if check_id == "disclosure.late" and created and created < REGULATION_START.isoformat():
        return f"规则沿革：成文日期 {created} 早于条例施行（2008-05-01），20个工作日时限不适用"
    if check_id == "meta.index_invalid":
        return (
            f"索引号编制规则：页面上的「{outcome.fields.get('索引号')}」是真实的地方编号格式，不在默认规则内"
        )
    if check_id == "site.identity":
        return f"页脚写法：页脚有该要素的真实写法，检查未认出（{message}）"
    if check_id == "site.meta" and not_document:
        return f"页面角色：{page.role}页不应按内容页要求 ArticleTitle/PubDate（{message}）"
    if check_id == "meta.missing":
        return f"字段提取：页面写有该字段（{_human_fields(page)}），模型未读到（{message}）"
    return ""


def _human_fields(page: PageLabel) -> str:
    return "，".join(f"{k}={v}" for k, v in page.fields.items() if v) or "无"


# ------------------------------------------------------------------------------------------ scoring


def score(outcomes: list[Outcome]) -> dict[str, Any]:
    """Per-check TP/FP/FN, precision, recall and the disagreements; field accuracy; decoy FAILs."""
    checks: dict[str, dict[str, Any]] = {}
    for check_id in page_checks():
        row: dict[str, Any] = {"labelled": 0, "tp": 0, "fp": 0, "fn": 0, "agree": 0, "cases": []}
        for o in outcomes:
            if check_id in o.page.not_judged:
                continue
            label = o.page.checks.get(check_id)
            expected = label["verdict"] if label else ""
            got = o.verdicts[check_id]
            if label:
                row["labelled"] += 1
                row["agree"] += expected == got
            positive, truth = got == "FAIL", expected == "FAIL"
            if positive and truth:
                row["tp"] += 1
            elif positive or truth:
                row["fp" if positive else "fn"] += 1
                row["cases"].append(
                    {
                        "page": o.page.file,
                        "kind": "false_alarm" if positive else "miss",
                        "expected": expected or "无FAIL（未标注）",
                        "got": got,
                        "cause": cause(o, check_id, expected, got),
                    }
                )
        row["precision"] = _ratio(row["tp"], row["tp"] + row["fp"])
        row["recall"] = _ratio(row["tp"], row["tp"] + row["fn"])
        checks[check_id] = row
    return {
        "pages": len(outcomes),
        "families": sorted({o.page.family for o in outcomes}),
        "checks": checks,
        "fields": field_accuracy(outcomes),
        "decoy_fails": decoy_fails(outcomes),
        "roles": [
            {"page": o.page.file, "role": o.page.role, "kind": o.kind, "model_role": o.role} for o in outcomes
        ],
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _norm_field(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "")


def field_accuracy(outcomes: list[Outcome]) -> dict[str, Any]:
    """For each metadata field a human read (or saw absent), how often the model read the same."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        total = right = 0
        wrong = []
        for o in outcomes:
            if name not in o.page.fields:
                continue
            total += 1
            want, got = o.page.fields[name], o.fields.get(name)
            if _norm_field(want) == _norm_field(got):
                right += 1
            else:
                wrong.append({"page": o.page.file, "expected": want, "got": got})
        out[name] = {"labelled": total, "correct": right, "accuracy": _ratio(right, total), "wrong": wrong}
    total = sum(v["labelled"] for v in out.values())
    right = sum(v["correct"] for v in out.values())
    out["all"] = {"labelled": total, "correct": right, "accuracy": _ratio(right, total)}
    return out


def decoy_fails(outcomes: list[Outcome]) -> list[dict[str, str]]:
    """FAILs on decoy pages (not 专栏 documents) that the human did not label FAIL."""
    return [
        {"page": o.page.file, "role": o.page.role, "check": c, "message": o.messages[c]}
        for o in outcomes
        if o.page.decoy
        for c, v in o.verdicts.items()
        if v == "FAIL" and o.page.checks.get(c, {}).get("verdict") != "FAIL"
    ]


# ------------------------------------------------------------------------------------------ output


def run(labels: Path = LABELS) -> tuple[list[Outcome], dict[str, Any]]:
    pages, _ = load_labels(labels)
    with tempfile.TemporaryDirectory(prefix="realpages-") as tmp:
        outcomes = [evaluate(p, Path(tmp)) for p in pages]
    return outcomes, score(outcomes)


def _fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:.3f}"


def report(figures: dict[str, Any], outcomes: list[Outcome], verbose: bool = False) -> str:
    lines = [
        f"真实页面基准：{figures['pages']} 个页面，{len(figures['families'])} 类站点/CMS（{'、'.join(figures['families'])}）",
        "",
        f"整站检查不在本基准内（一页无从判断）：{'、'.join(sorted(SITE_CHECKS & set(all_checks())))}",
        "",
        f"{'检查项':<26}{'标注':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'一致':>6}  precision  recall",
    ]
    for check_id, row in figures["checks"].items():
        if not (row["labelled"] or row["tp"] or row["fp"] or row["fn"]):
            continue
        lines.append(
            f"{check_id:<28}{row['labelled']:>5}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}{row['agree']:>6}"
            f"    {_fmt(row['precision'])}    {_fmt(row['recall'])}"
        )
    lines += ["", "误报与漏报（每条一行：页面 / 检查项 / 检查所说 / 原因）："]
    for check_id, row in figures["checks"].items():
        for case in row["cases"]:
            kind = "误报" if case["kind"] == "false_alarm" else "漏报"
            lines.append(
                f"  [{kind}] {case['page']} / {check_id} / 应为 {case['expected']}，得 {case['got']} / {case['cause']}"
            )
    lines += ["", f"诱饵页（非专栏文件）上的 FAIL：{len(figures['decoy_fails'])}"]
    lines += [f"  {d['page']}（{d['role']}）{d['check']}：{d['message']}" for d in figures["decoy_fails"]]
    lines += ["", "元数据字段提取（与人工读出的值比较）："]
    for name, acc in figures["fields"].items():
        lines.append(f"  {name:<6} {acc['correct']}/{acc['labelled']}  {_fmt(acc['accuracy'])}")
        lines += [
            f"      {w['page']}：应为 {w['expected']!r}，读到 {w['got']!r}" for w in acc.get("wrong", [])
        ]
    lines += ["", "页面角色（人工标注 → 模型给的类型/角色）："]
    lines += [
        f"  {r['page']}：{r['role']} → {r['kind']}{'/' + r['model_role'] if r['model_role'] else ''}"
        for r in figures["roles"]
    ]
    if verbose:
        lines += ["", "逐页结论："]
        for o in outcomes:
            fails = [c for c, v in o.verdicts.items() if v == "FAIL"]
            lines.append(
                f"  {o.page.file}（{o.page.role}，模型类型 {o.kind}）FAIL：{'、'.join(fails) or '无'}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="真实页面基准：逐检查项的 precision / recall")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--json", type=Path, help="把数字写入 JSON 文件")
    parser.add_argument("--verbose", action="store_true", help="逐页列出 FAIL")
    args = parser.parse_args(argv)
    outcomes, figures = run(args.labels)
    print(report(figures, outcomes, args.verbose))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
