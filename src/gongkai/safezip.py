"""Bounded reading of archive-format inputs: DOCX, XLSX, ODF, OFD and any other ZIP.

A small file can inflate to gigabytes (a zip bomb) or hold XML that costs gigabytes to parse. `check`
streams every entry once and stops as soon as one limit is passed, so its own cost is bounded by the
limits, whatever the archive declares:

- the central directory is sized from its end record before `zipfile` builds it (entry count);
- entries are inflated in 64 KiB steps and the bytes actually produced are counted (total, per entry and
  against the compressed size: the ratio); the sizes an entry declares are never trusted;
- only stored and deflated entries are read (OOXML, ODF and OFD use nothing else), never encrypted ones;
- XML entries are fed to expat as they inflate: element depth, element count and text length are bounded,
  entity declarations (billion laughs) refused, and the cell area of a worksheet (`<dimension>` and cell references) bounded,
  since spreadsheet readers allocate or pad to that area.

Any breach raises `UnsafeArchive` with a Chinese message saying what is wrong and where. `SafeZip` runs
the check and then reads members within the same limits. Standard library only.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from xml.parsers import expat

MiB = 1024 * 1024
CHUNK = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CD_BYTES_PER_ENTRY = 512  # a central directory larger than this per allowed entry is refused unread
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


@dataclass(frozen=True)
class Limits:
    """The guards; every figure applies to bytes or elements actually read, never to declared sizes."""

    max_entries: int = 10_000
    max_total: int = 256 * MiB  # uncompressed bytes of the whole archive
    max_entry: int = 128 * MiB  # uncompressed bytes of one entry
    max_ratio: int = 100  # uncompressed / compressed bytes of one entry ...
    ratio_after: int = 1 * MiB  # ... once the entry has produced this much
    max_depth: int = 128  # XML element nesting
    max_elements: int = 1_000_000  # XML elements in the whole archive
    max_text: int = 16_000_000  # characters of XML text in the whole archive
    max_sheet_area: int = 4_000_000  # rows x columns a worksheet spans (from A1)
    max_cells: int = 2_000_000  # values a spreadsheet reader may yield (see `bounded_rows`)

    def scaled(self, **changes: int) -> Limits:
        return replace(self, **changes)


LIMITS = Limits()
# An annual report is a few dozen pages and tables of tens of rows (the national template: 8,000 XML elements,
# 5,000 characters): far tighter guards keep its text parser, which costs more per character, within bounds.
REPORT_LIMITS = Limits(max_elements=300_000, max_text=2_000_000, max_cells=200_000)


class UnsafeArchive(ValueError):
    """An input refused by a guard; the message is Chinese, names the file, the limit and where."""


@dataclass
class Summary:
    """What `check` read: entries, uncompressed bytes and XML elements."""

    entries: int = 0
    total: int = 0
    elements: int = 0
    text: int = 0
    sheets: dict[str, int] = field(default_factory=dict)  # worksheet entry -> area in cells


def is_zip(data: bytes) -> bool:
    return data[:4] == _ZIP_MAGIC


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n // 1024} KB"


def _entry_counts(data: bytes) -> tuple[int, int] | None:
    """(declared entry count, central directory size) from the end records, or None if absent."""
    pos = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if pos < 0 or pos + 22 > len(data):
        return None
    count, cd_size = struct.unpack("<HI", data[pos + 10 : pos + 16])
    if count != 0xFFFF and cd_size != 0xFFFFFFFF:
        return count, cd_size
    loc = pos - 20
    if loc < 0 or data[loc : loc + 4] != _EOCD64_LOCATOR:
        return count, cd_size
    (offset,) = struct.unpack("<Q", data[loc + 8 : loc + 16])
    if data[offset : offset + 4] != _EOCD64 or offset + 56 > len(data):
        return count, cd_size
    count64, cd_size64 = struct.unpack("<QQ", data[offset + 32 : offset + 48])
    return count64, cd_size64


def open_zip(data: bytes, label: str, limits: Limits = LIMITS, kind: str = "压缩格式") -> zipfile.ZipFile:
    """A ZipFile over `data`, refused before its directory is built when it lists too many entries."""
    counts = _entry_counts(data)
    if counts is not None:
        count, cd_size = counts
        if count > limits.max_entries or cd_size > limits.max_entries * _CD_BYTES_PER_ENTRY:
            raise UnsafeArchive(
                f"{label}：压缩包目录列出 {count} 个文件（目录 {_mb(cd_size)}），超过上限 "
                f"{limits.max_entries} 个，未读取"
            )
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UnsafeArchive(f"{label}：不是有效的{kind}文件（ZIP 结构损坏：{exc}）") from exc
    infos = z.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchive(
            f"{label}：压缩包内有 {len(infos)} 个文件，超过上限 {limits.max_entries} 个，未读取"
        )
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UnsafeArchive(f"{label}：压缩包内文件“{dup}”出现多次，结构可疑，未读取")
    return z


class _Budget:
    """Counts what the whole archive produced so far."""

    def __init__(self, label: str, limits: Limits) -> None:
        self.label = label
        self.limits = limits
        self.summary = Summary()


def _stream(z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The entry's bytes in chunks, each counted against the limits before it is handed on."""
    label, limits, where = budget.label, budget.limits, info.filename
    if info.flag_bits & 0x1:
        raise UnsafeArchive(f"{label}：压缩包内文件“{where}”已加密，无法读取")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeArchive(
            f"{label}：压缩包内文件“{where}”使用了不支持的压缩方式（{info.compress_type}），未读取"
        )
    produced = 0
    compressed = max(info.compress_size, 1)
    try:
        with z.open(info) as fh:
            while chunk := fh.read(CHUNK):
                produced += len(chunk)
                budget.summary.total += len(chunk)
                if produced > limits.max_entry:
                    raise UnsafeArchive(
                        f"{label}：压缩包内文件“{where}”解压后超过 {_mb(limits.max_entry)}，疑似压缩炸弹，已停止读取"
                    )
                if budget.summary.total > limits.max_total:
                    raise UnsafeArchive(
                        f"{label}：解压后总量超过 {_mb(limits.max_total)}（读到“{where}”时），疑似压缩炸弹，已停止读取"
                    )
                if produced > limits.ratio_after and produced > compressed * limits.max_ratio:
                    raise UnsafeArchive(
                        f"{label}：压缩包内文件“{where}”压缩比超过 {limits.max_ratio} 倍"
                        f"（{_mb(info.compress_size)} 解压后已达 {_mb(produced)}），疑似压缩炸弹，已停止读取"
                    )
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, UnsafeArchive):
            raise
        raise UnsafeArchive(f"{label}：压缩包内文件“{where}”已损坏（{exc}）") from exc


class _XmlGuard:
    """Feeds one XML entry to expat: depth, element count, entities and worksheet area."""

    def __init__(self, where: str, budget: _Budget) -> None:
        self.where = where
        self.budget = budget
        self.depth = 0
        self.max_row = 0
        self.max_col = 0
        self.sheet = where.startswith("xl/worksheets/")
        self.broken = False
        p = expat.ParserCreate()
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.EntityDeclHandler = self._entity
        p.CharacterDataHandler = self._text
        self.parser = p

    def _fail(self, what: str, cumulative: bool = False) -> None:
        where = f"读到压缩包内文件“{self.where}”时，" if cumulative else f"压缩包内文件“{self.where}”"
        raise UnsafeArchive(f"{self.budget.label}：{where}{what}，未读取")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        limits, summary = self.budget.limits, self.budget.summary
        self.depth += 1
        summary.elements += 1
        if self.depth > limits.max_depth:
            self._fail(f"的 XML 嵌套超过 {limits.max_depth} 层（第 {self.parser.CurrentLineNumber} 行）")
        if summary.elements > limits.max_elements:
            self._fail(f"全部 XML 元素累计超过 {limits.max_elements} 个", cumulative=True)
        if self.sheet and (name == "c" or name == "dimension" or name.endswith((":c", ":dimension"))):
            self._cells(attrs.get("r") or attrs.get("ref") or "")

    def _cells(self, ref: str) -> None:
        for letters, digits in _CELL_REF.findall(ref):
            col = 0
            for ch in letters.upper():
                col = col * 26 + ord(ch) - 64
            self.max_col = max(self.max_col, col)
            self.max_row = max(self.max_row, int(digits))
        area = self.max_row * self.max_col
        if area > self.budget.limits.max_sheet_area:
            self._fail(
                f"的工作表区域达 {self.max_row} 行 × {self.max_col} 列（{ref}），"
                f"超过上限 {self.budget.limits.max_sheet_area} 个单元格"
            )

    def _end(self, _name: str) -> None:
        self.depth -= 1

    def _text(self, data: str) -> None:
        summary = self.budget.summary
        summary.text += len(data)
        if summary.text > self.budget.limits.max_text:
            self._fail(f"全部 XML 文字累计超过 {self.budget.limits.max_text} 个字符", cumulative=True)

    def _entity(self, name: str, *_rest: object) -> None:
        self._fail(f"声明了 XML 实体“{name}”（可被用于实体膨胀攻击）")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            # not well-formed: the strict readers that follow refuse it on their own; limits still held so far
            self.broken = True
        except RecursionError:
            self._fail("结构嵌套过深")

    def close(self) -> None:
        self.feed(b"", final=True)
        if self.sheet:
            self.budget.summary.sheets[self.where] = self.max_row * self.max_col


def _looks_xml(name: str, first: bytes) -> bool:
    if name.lower().endswith(_XML_SUFFIXES):
        return True
    head = first[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _check_entry(
    z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, sink: list[bytes] | None
) -> None:
    guard: _XmlGuard | None = None
    first = True
    for chunk in _stream(z, info, budget):
        if first:
            guard = _XmlGuard(info.filename, budget) if _looks_xml(info.filename, chunk) else None
            first = False
        if guard is not None:
            guard.feed(chunk)
        if sink is not None:
            sink.append(chunk)
    if guard is not None:
        guard.close()


def check(data: bytes, label: str = "", limits: Limits = LIMITS, kind: str = "压缩格式") -> Summary:
    """Stream every entry of the archive in `data` through the guards; `UnsafeArchive` on the first breach."""
    label = label or "压缩格式文件"
    budget = _Budget(label, limits)
    with open_zip(data, label, limits, kind) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            budget.summary.entries += 1
            _check_entry(z, info, budget, None)
    return budget.summary


class SafeZip:
    """An archive checked whole on opening; `read` gives a member's bytes within the same limits.

    With `check_all=False` only the directory is checked on opening and each member is guarded as it is
    read (all reads sharing one budget): for readers that take a few members and leave the rest unread
    (a DOCX's styles, an OFD's fonts), so nothing is inflated or parsed that is not used."""

    def __init__(
        self,
        data: bytes,
        label: str = "",
        limits: Limits = LIMITS,
        kind: str = "压缩格式",
        *,
        check_all: bool = True,
    ) -> None:
        self.label = label or "压缩格式文件"
        self.limits = limits
        self.summary = check(data, self.label, limits, kind) if check_all else Summary()
        self._zip = open_zip(data, self.label, limits, kind)
        self._budget = _Budget(self.label, limits)

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    def namelist(self) -> list[str]:
        return self._zip.namelist()

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self._zip.getinfo(name)

    def read(self, name: str | zipfile.ZipInfo) -> bytes:
        info = name if isinstance(name, zipfile.ZipInfo) else self._zip.getinfo(name)
        parts: list[bytes] = []
        _check_entry(self._zip, info, self._budget, parts)
        return b"".join(parts)


def bounded_rows(
    rows: Iterable[tuple | list], label: str, limits: Limits = LIMITS, where: str = "工作表"
) -> Iterator[tuple | list]:
    """Rows from a spreadsheet reader, stopping with `UnsafeArchive` once they hold more than `max_cells` values."""
    seen = 0
    for row in rows:
        seen += len(row)
        if seen > limits.max_cells:
            raise UnsafeArchive(f"{label}：{where}的单元格超过 {limits.max_cells} 个，已停止读取")
        yield row


__all__ = [
    "LIMITS",
    "Limits",
    "SafeZip",
    "Summary",
    "UnsafeArchive",
    "bounded_rows",
    "check",
    "is_zip",
    "open_zip",
]
