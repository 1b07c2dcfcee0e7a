"""Cost of hostile archive inputs: bombs just under and just over each guard of `gongkai.safezip`.

Each input is given to every reader that opens its kind (annual report parser, crawl attachment text, unit
list import, ledger import) in a fresh process; the line shows wall time, the process's peak RSS and the
outcome (rows/characters read, or the Chinese refusal). Targets: every input at most 512 MiB and 30 s.

    PYTHONPATH=src python bench/bombs_bench.py [--only NAME] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

TEMPLATE = Path("/work/shared/corpus/annual_reports/templates/national-format-2021-blank-template.docx")
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MiB = 1024 * 1024


# ------------------------------------------------------------------------------------------ building


def _docx(xml: bytes) -> bytes:
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(info.filename, xml if info.filename == "word/document.xml" else src.read(info))
    return buf.getvalue()


def _document(body: bytes) -> bytes:
    return b'<?xml version="1.0"?><w:document ' + W + b"><w:body>" + body + b"</w:body></w:document>"


def docx_95mb() -> bytes:
    """The issue's bomb: 95 MB of identical paragraphs in a few hundred KB."""
    para = "<w:p><w:r><w:t>政务公开工作年度报告</w:t></w:r></w:p>".encode()
    return _docx(_document(para * (95 * MiB // len(para))))


def docx_paragraphs(n: int) -> bytes:
    """`n` paragraphs (4 elements, about 24 characters each) of varied text: a ratio well under 100."""
    rng = random.Random(16)
    words = ["政府", "信息", "公开", "申请", "答复", "年度", "报告", "统计", "数据", "工作"]
    paras = [
        ("<w:p><w:r><w:t>" + "".join(rng.choice(words) for _ in range(8)) + f"{i}</w:t></w:r></w:p>").encode()
        for i in range(n)
    ]
    return _docx(_document(b"".join(paras)))


def docx_deep(depth: int) -> bytes:
    return _docx(
        _document(b"<w:sdt><w:sdtContent>" * (depth // 2) + b"</w:sdtContent></w:sdt>" * (depth // 2))
    )


def docx_laughs() -> bytes:
    ents = '<!ENTITY l0 "政务公开">'.encode() + b"".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)
    )
    return _docx(
        b'<?xml version="1.0"?><!DOCTYPE d [' + ents + b"]><w:document " + W + b"><w:body><w:p><w:r><w:t>"
        b"&l9;</w:t></w:r></w:p></w:body></w:document>"
    )


def _xlsx(sheet: bytes) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["单位全称", "分组"])
    plain = io.BytesIO()
    wb.save(plain)
    src = zipfile.ZipFile(plain)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            out.writestr(info.filename, data)
    return buf.getvalue()


def _sheet(rows: int, cols: int, header: bool = True, dimension: str = "") -> bytes:
    letters = [chr(65 + c) for c in range(cols)]
    parts = [b"<worksheet " + S + b">"]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>'.encode())
    parts.append(b"<sheetData>")
    start = 1
    if header:
        parts.append(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8d\x95\xe4\xbd\x8d\xe5\x85\xa8\xe7\xa7\xb0</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>\xe5\x88\x86\xe7\xbb\x84</t></is></c></row>'
        )
        start = 2
    for r in range(start, rows + 1):
        cells = "".join(f'<c r="{col}{r}"><v>{r * 7 + i}</v></c>' for i, col in enumerate(letters))
        parts.append(f'<row r="{r}">{cells}</row>'.encode())
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts)


def xlsx_rows(n: int) -> bytes:
    """`n` rows of 6 numbers (13 elements a row)."""
    return _xlsx(_sheet(n, 6))


def xlsx_area() -> bytes:
    """Two cells and a dimension of A1:XFD1048576: readers pad every row to 16,384 columns."""
    return _xlsx(_sheet(2, 2, dimension="A1:XFD1048576"))


def docx_with_media(sizes: list[int], fill: Callable[[int], bytes]) -> bytes:
    """The template plus one picture per size, of bytes built by `fill`."""
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        for number, size in enumerate(sizes, start=1):
            with out.open(f"word/media/image{number}.png", "w", force_zip64=True) as fh:
                for offset in range(0, size, MiB):
                    fh.write(fill(min(MiB, size - offset)))
    return buf.getvalue()


def _zeros(n: int) -> bytes:
    return bytes(n)


def _ratio_40(n: int) -> bytes:
    """Compresses about 40 to 1: 24 random bytes in every KiB."""
    rng = random.Random(n)
    return b"".join(rng.randbytes(24) + bytes(1000) for _ in range(n // 1024)) + bytes(n % 1024)


def zip_entries(n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        out.writestr("word/document.xml", _document(b"<w:p/>"))
        for i in range(n - 1):
            out.writestr(f"word/media/p{i}.png", b"")
    return buf.getvalue()


def _inputs() -> dict[str, tuple[str, Callable[[], bytes], str]]:
    from gongkai.safezip import LIMITS, REPORT_LIMITS

    def paras_under(limits) -> int:  # a paragraph is 3 elements and about 22 characters; the template ~9,000
        return min((limits.max_elements - 9_000) // 3, (limits.max_text - 10_000) // 23)

    report_paras, paras = paras_under(REPORT_LIMITS), paras_under(LIMITS)
    rows = (LIMITS.max_elements - 2_000) // 13  # a row of 6 numbers is 13 elements
    entry, half = LIMITS.max_entry, LIMITS.max_total // 2
    return {  # name: (kind, builder, which guard and on which side)
        "docx-95mb-xml": ("docx", docx_95mb, "elements/ratio: over"),
        "docx-1gb-zeros-picture": ("docx", lambda: docx_with_media([1024 * MiB], _zeros), "ratio: over"),
        "docx-127mb-picture": (
            "docx",
            lambda: docx_with_media([entry - MiB], _ratio_40),
            "entry: just under",
        ),
        "docx-129mb-picture": ("docx", lambda: docx_with_media([entry + MiB], _ratio_40), "entry: over"),
        "docx-2x127mb-pictures": (
            "docx",
            lambda: docx_with_media([half - MiB] * 2, _ratio_40),
            "total: just under",
        ),
        "docx-3x100mb-pictures": ("docx", lambda: docx_with_media([100 * MiB] * 3, _ratio_40), "total: over"),
        f"docx-{report_paras // 1000}k-paras": (
            "docx",
            lambda: docx_paragraphs(report_paras),
            "report elements: under",
        ),
        f"docx-{paras // 1000}k-paras": ("docx", lambda: docx_paragraphs(paras), "elements: just under"),
        f"docx-{paras // 1000 + 4}k-paras": ("docx", lambda: docx_paragraphs(paras + 4000), "elements: over"),
        "docx-depth-124": ("docx", lambda: docx_deep(124), "depth: just under"),
        "docx-depth-10000": ("docx", lambda: docx_deep(10_000), "depth: over"),
        "docx-billion-laughs": ("docx", docx_laughs, "entities: over"),
        "zip-10000-entries": ("docx", lambda: zip_entries(LIMITS.max_entries), "entries: at the limit"),
        "zip-10001-entries": ("docx", lambda: zip_entries(LIMITS.max_entries + 1), "entries: over"),
        f"xlsx-{rows // 1000}k-rows": ("xlsx", lambda: xlsx_rows(rows), "elements: just under"),
        "xlsx-1m-rows": ("xlsx", lambda: xlsx_rows(1_000_000), "elements: over"),
        "xlsx-area-XFD1048576": ("xlsx", xlsx_area, "sheet area: over"),
    }


# ------------------------------------------------------------------------------------------ measuring


def _read(reader: str, kind: str, data: bytes) -> str:
    if reader == "annual":
        from gongkai.annual.parse import ReadError, parse_bytes

        try:
            r = parse_bytes(data, f"bench.{kind}")
            return f"已读取（{r.kind}）"
        except ReadError as exc:
            return str(exc)
    if reader == "crawl":
        from gongkai.crawl.attachments import docx_text, xlsx_text
        from gongkai.safezip import UnsafeArchive

        try:  # what _attachment_text calls; it turns a refusal into an empty text
            return f"附件文本 {len((docx_text if kind == 'docx' else xlsx_text)(data))} 字"
        except UnsafeArchive as exc:
            return str(exc)
    if reader == "units":
        from gongkai.web.units.sheet import ImportRejected, parse_units

        try:
            return f"读取 {len(parse_units(data, 'bench.xlsx'))} 行"
        except ImportRejected as exc:
            return exc.errors[0]
    from gongkai.web.foi.sheet import ImportRejected as LedgerRejected
    from gongkai.web.foi.sheet import read_rows

    try:
        return f"读取 {len(read_rows(data))} 行"
    except LedgerRejected as exc:
        return exc.errors[0]


def _peak_mib() -> float:
    """Peak RSS of this process since its exec (VmHWM; ru_maxrss would carry the parent's peak over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(reader: str, kind: str, path: str) -> None:
    data = Path(path).read_bytes()
    t0 = time.perf_counter()
    outcome = _read(reader, kind, data)
    seconds = time.perf_counter() - t0
    peak = _peak_mib()
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "outcome": outcome}, ensure_ascii=False))


READERS = {"docx": ("annual", "crawl"), "xlsx": ("annual", "crawl", "units", "foi")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="run only inputs whose name contains this")
    ap.add_argument("--keep", default="", help="keep the built inputs in this directory")
    ap.add_argument("--measure", nargs=3, metavar=("READER", "KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure_one(*args.measure)
        return 0
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="bombs-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{'input':24} {'size':>9} {'guard':24} {'reader':7} {'seconds':>8} {'peak MiB':>9}  outcome")
    worst_s = worst_mib = 0.0
    for name, (kind, build, guard) in _inputs().items():
        if args.only and args.only not in name:
            continue
        path = out_dir / f"{name}.{kind}"
        path.write_bytes(build())
        size = f"{path.stat().st_size / 1024:.0f} KB"
        for reader in READERS[kind]:
            proc = subprocess.run(
                [sys.executable, __file__, "--measure", reader, kind, str(path)],
                capture_output=True,
                text=True,
                env=os.environ,
                check=False,
            )
            if proc.returncode != 0:
                print(f"{name:24} {size:>9} {guard:24} {reader:7} failed: {proc.stderr.strip()[-200:]}")
                continue
            m = json.loads(proc.stdout.strip().splitlines()[-1])
            worst_s, worst_mib = max(worst_s, m["seconds"]), max(worst_mib, m["peak_mib"])
            print(
                f"{name:24} {size:>9} {guard:24} {reader:7} {m['seconds']:8.2f} {m['peak_mib']:9.0f}  "
                f"{m['outcome'][:90]}"
            )
    print(f"worst: {worst_s:.1f} s, {worst_mib:.0f} MiB (targets: 30 s, 512 MiB)")
    _server_rss(out_dir)
    return 0


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _server_rss(out_dir: Path) -> None:
    """What the web worker keeps: every input uploaded as a report through the isolated parse."""
    from gongkai.web.core import isolate

    files = sorted(out_dir.glob("*.docx")) + sorted(out_dir.glob("*.xlsx"))
    if not files:
        return
    isolate.run("gongkai.annual.parse:parse_bytes", TEMPLATE.read_bytes(), TEMPLATE.name)  # imports, warm-up
    before = _rss_mib()
    peak = before
    for path in files:
        with contextlib.suppress(Exception):  # refusals are the point; only memory is measured here
            isolate.run("gongkai.annual.parse:parse_bytes", path.read_bytes(), path.name, label=path.name)
        peak = max(peak, _rss_mib())
    print(
        f"web worker RSS through {len(files)} isolated uploads: {before:.0f} MiB before, "
        f"{peak:.0f} MiB at most, {_rss_mib():.0f} MiB after"
    )


if __name__ == "__main__":
    sys.exit(main())
