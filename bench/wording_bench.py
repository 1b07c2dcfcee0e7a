"""Benchmark of the wording matcher: verdicts on the labelled sentences, then MB of text per second per core.

    python bench/wording_bench.py [--labels-only | --speed-only] [--entries 50000] [--mb 8] [--baseline-kb 200]

Labels: every case of tests/fixtures/wording/labelled.yaml (family "general") and quotation.yaml (whose words a
wrong form is: titles, quotations, mentions, emphasis, reported speech, correct names, addresses, split and
traditional forms, words that merely contain the term, the unit's own sentences), scanned with ``matcher()``.
Per family it prints the cases, FAIL precision and recall (a FAIL is a public accusation) and the recall of
the review queue (a labelled problem found with any verdict), then every false alarm (a FAIL the label does
not want, or a hit the label does not list) with its reason and the case's source; then every hit on the real
government pages of tests/fixtures/real_pages and /work/shared/corpus (unlabelled: a change between two trees
shows there) and the verdicts of the exported regression cases (tests/regressions, re-checked from their
WARCs). Only the public API is used, so the same script measures an older tree:
``PYTHONPATH=<old>/src python bench/wording_bench.py --labels-only``.

Text: the real official prose of /work/shared/corpus (notices, annual reports, government pages),
repeated to --mb megabytes (UTF-8) and cut into 5 KB "pages" the way the checks read them. Dictionary:
the built-in dictionaries plus synthetic entries (3-6 characters drawn from the corpus's own character
frequencies, so they look like Chinese words and some do occur) up to --entries phrases.
Prints, on one core (process CPU time):
1. the automaton build time;
2. ``Matcher.scan`` (ahocorasick-rs + context rules on every hit) in MB/s and the hits found;
3. the baseline, a plain Python loop ``for phrase in phrases: if phrase in text`` (presence only, no
   positions or context), on the first --baseline-kb of the text, in MB/s.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from gongkai.wording import Entry, load_entries, load_leaders, matcher
from gongkai.wording.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
LABELS = ROOT / "tests" / "fixtures" / "wording"
REGRESSIONS = ROOT / "tests" / "regressions"
PAGE = 5_000  # characters per scanned text


def labelled_cases() -> list[dict]:
    cases = []
    for name, family in (("labelled.yaml", "general"), ("quotation.yaml", None)):
        for case in yaml.safe_load((LABELS / name).read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "family": case.get("family") or family})
    return cases


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "—"


def label_report() -> int:
    """Per-family FAIL precision/recall and queue recall on the labelled cases; the false alarms."""
    scan = matcher().scan
    rows: dict[str, Counter] = defaultdict(Counter)
    alarms: list[str] = []
    for case in labelled_cases():
        family = case["family"] + ("*" if case.get("held_out") else "")
        counts = rows[family]
        hits = scan(case["text"], case.get("date"))
        wanted = {(s, p): v for s, v, p in case["expect"]}
        counts["cases"] += 1
        counts["wanted"] += len(wanted)
        counts["want_fail"] += sum(v == "FAIL" for v in wanted.values())
        for hit in hits:
            key = (hit.severity, hit.phrase)
            counts["hits"] += 1
            counts["found"] += key in wanted
            if hit.verdict == "FAIL":
                counts["fails"] += 1
                counts["true_fails"] += wanted.get(key) == "FAIL"
            if key not in wanted or (hit.verdict == "FAIL" and wanted[key] != "FAIL"):
                counts["alarms"] += 1
                alarms.append(f"  [{family}] {hit.verdict} 「{hit.phrase}」{hit.reason}\n"
                              f"      句子：{hit.sentence[:70]}\n      来源：{case['source']}")  # fmt: skip
    print("family        cases  FAIL precision  FAIL recall     queue recall    false alarms")
    total: Counter = Counter()
    for family, c in sorted(rows.items()):
        total.update(c)
        print(f"{family:<12}  {c['cases']:>5}  {_ratio(c['true_fails'], c['fails']):<14}  "
              f"{_ratio(c['true_fails'], c['want_fail']):<14}  {_ratio(c['found'], c['wanted']):<14}  "
              f"{c['alarms']}")  # fmt: skip
    print(f"{'ALL':<12}  {total['cases']:>5}  {_ratio(total['true_fails'], total['fails']):<14}  "
          f"{_ratio(total['true_fails'], total['want_fail']):<14}  {_ratio(total['found'], total['wanted']):<14}  "
          f"{total['alarms']}")  # fmt: skip
    print("(* = held-out cases, written after the rules and measured once before any change)")
    print(f"false alarms ({len(alarms)}):" if alarms else "false alarms: none")
    for line in alarms:
        print(line)
    real_page_report()
    return regression_report()


def real_page_report() -> None:
    """Every hit on the real government pages kept in tests/fixtures/real_pages (their extracted text) and
    the corpus files: no labels, but a change between two trees shows here."""
    from gongkai.crawl.extract import content_text, parse_html

    texts = []
    for path in sorted((ROOT / "tests" / "fixtures" / "real_pages").rglob("*.htm*")):
        raw = path.read_bytes()
        texts.append((path.relative_to(ROOT), content_text(parse_html(raw.decode("utf-8", "replace"), raw))))
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".txt", ".html") and path.is_file():
            texts.append((path.relative_to(CORPUS), path.read_text(encoding="utf-8", errors="replace")))
    hits = [(name, hit) for name, text in texts for hit in matcher().scan(text)]
    verdicts = Counter(hit.verdict for _, hit in hits)
    print(
        f"real pages: {len(texts)} texts, {len(hits)} hits ({verdicts['FAIL']} FAIL, {verdicts['UNCERTAIN']} UNCERTAIN)"
    )
    for name, hit in hits:
        print(f"  {hit.verdict} 「{hit.phrase}」 {name}: {hit.sentence[:50]}")


def regression_report() -> int:
    from gongkai.reports.regressions import find_cases, load_case, recurring_false_alarms

    cases = find_cases(REGRESSIONS)
    recurring = 0
    for directory in cases:
        found = recurring_false_alarms(load_case(directory))
        recurring += bool(found)
        verdicts = ", ".join(f"{f.verdict.value} {f.message[:40]}" for f in found) or "不再出现"
        print(f"regression {directory.name}: {verdicts}")
    print(f"regression cases still reported: {recurring}/{len(cases)}")
    return 0


def corpus_text() -> str:
    parts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".txt", ".html") and path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def synthetic_entries(text: str, total: int, rng: random.Random) -> list[Entry]:
    entries = list(load_entries())
    known = {e.phrase for e in entries}
    counts = Counter(c for c in text if "\u4e00" <= c <= "\u9fff")
    chars, weights = zip(*counts.most_common(3000), strict=True)
    while len(entries) < total:
        phrase = "".join(rng.choices(chars, weights, k=rng.randint(3, 6)))
        if phrase not in known:
            known.add(phrase)
            entries.append(Entry(phrase, phrase[::-1], "合成词条", "typo", "bench"))
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=50_000)
    ap.add_argument("--mb", type=float, default=8.0)
    ap.add_argument("--baseline-kb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--labels-only", action="store_true", help="only the labelled sentences and regressions")
    ap.add_argument("--speed-only", action="store_true", help="only the throughput figures")
    args = ap.parse_args(argv)
    if not args.speed_only:
        label_report()
        if args.labels_only:
            return 0
    rng = random.Random(args.seed)
    base = corpus_text()
    entries = synthetic_entries(base, args.entries, rng)
    reps = int(args.mb * 1_000_000 / len(base.encode("utf-8"))) + 1
    text = (base + "\n") * reps
    pages = [text[i : i + PAGE] for i in range(0, len(text), PAGE)]
    size_mb = len(text.encode("utf-8")) / 1_000_000
    print(
        f"corpus {len(base):,} chars; text {size_mb:.1f} MB UTF-8 ({len(text):,} chars, {len(pages):,} pages)"
    )

    t0 = time.process_time()
    matcher = Matcher(entries, load_leaders())
    build = time.process_time() - t0
    print(f"dictionary {len(matcher.patterns):,} patterns; automaton built in {build:.2f} s CPU")

    t0 = time.process_time()
    hits = sum(len(matcher.scan(p)) for p in pages)
    scan = time.process_time() - t0
    print(f"Matcher.scan:            {size_mb / scan:7.2f} MB/s/core  ({scan:.2f} s CPU, {hits:,} hits)")

    sample = text[: args.baseline_kb * 1000 // 3]  # ~3 bytes per CJK character
    sample_mb = len(sample.encode("utf-8")) / 1_000_000
    phrases = [e.phrase for e in entries]
    t0 = time.process_time()
    present = sum(1 for ph in phrases if ph in sample)
    loop = time.process_time() - t0
    print(f"baseline `in` loop:      {sample_mb / loop:7.2f} MB/s/core  ({loop:.2f} s CPU on {sample_mb:.2f} MB, "
          f"{present:,} phrases present)")  # fmt: skip
    print(f"speed-up: {(size_mb / scan) / (sample_mb / loop):.0f}x; target >= 5 MB/s/core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
