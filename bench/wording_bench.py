"""Benchmark of the wording matcher: MB of text per second per core against a 50,000-entry dictionary.

    python bench/wording_bench.py [--entries 50000] [--mb 8] [--baseline-kb 200] [--seed 3]

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
from collections import Counter
from pathlib import Path

from gongkai.wording import Entry, load_entries, load_leaders
from gongkai.wording.matcher import Matcher

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
PAGE = 5_000  # characters per scanned text


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
    args = ap.parse_args(argv)
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
