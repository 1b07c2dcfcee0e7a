"""The standard column catalogue as data: column kinds, the standard catalogue's entries, name matching.

``vocab/catalogue.yaml`` holds the column-kind vocabulary (keywords in matching order) and the standard
catalogue (条例第二十条's items, the 专栏's four sub-columns, the 重点领域 and 基层 areas), each entry with
its aliases and regional variants. Frameworks reference entries by id (``catalogue: [guide, penalty]``) or
by group (``"@grassroots"``). An administrator extends it with a file of the same form, merged over the
built-in one: ``GONGKAI_CATALOGUE=path`` or the ``catalogue_file`` parameter of ``column.missing``.
``vocab/roles.yaml`` names the service pages (联系我们, 网站地图 ...) for the page roles.

Names are compared normalised (``normalise``, ``name_key``): 全角/半角, whitespace, numbering, trailing
更多/>>, the connectives 和/与/及/、 and the affixes 政府信息公开/信息/公开/栏目/专栏/目录.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.frameworks.datafile import line_of, load_data_file
from gongkai.frameworks.schema import FrameworkError, Problem

CATALOGUE_ENV = "GONGKAI_CATALOGUE"

# ---- names ------------------------------------------------------------------------------------

_CIRCLED = re.compile(r"^[\u2460-\u2473\u2776-\u277f\u2780-\u2793]")
_SPACED_NUMBER = re.compile(r"^\s*\d+\s+(?=\D)")
_NUMBERING = re.compile(
    r"^(?:[(（][一二三四五六七八九十百\d]+[)）]"
    r"|[一二三四五六七八九十百]+[、.．]"
    r"|\d+(?:\.\d+)*[、.．)）])"
)
_BULLET = re.compile(r"^[·•▪■□◆◇●○>»›\-—]+")
_TAIL = re.compile(r"(?:更多|more|>|»|›|\.{2,}|…|\+)+$", re.IGNORECASE)
_CONNECTIVES = re.compile(r"以及|和|与|及|、|/|,|，")
_PREFIXES = ("政府信息公开", "政务信息公开", "政务公开", "信息公开", "公开")
_SUFFIXES = ("信息公开", "信息", "公开", "栏目", "专栏", "专题", "目录")


def normalise(name: str) -> str:
    """A column name as compared: half-width, no whitespace, no numbering or bullets, no trailing 更多/>>."""
    text = _CIRCLED.sub("", (name or "").strip())
    text = _SPACED_NUMBER.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    for _ in range(2):
        text = _BULLET.sub("", text)
        text = _NUMBERING.sub("", text)
        text = _TAIL.sub("", text)
    return text


def _plain(name: str) -> str:
    return _CONNECTIVES.sub("", normalise(name))


def name_key(name: str) -> str:
    """The comparison key of a name: normalised, without connectives and without the common affixes
    (only while two characters or more remain): 政府信息公开指南, 信息公开指南 and 公开指南 share 指南."""
    key = _plain(name)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 2:
                key, changed = key[len(prefix) :], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 2:
                key, changed = key[: -len(suffix)], True
    return key


def names_match(column_name: str, names: Iterable[str]) -> bool:
    """Whether a column's name is one of ``names``: the same key, or one of them written inside it
    (政府采购意向 holds 政府采购); keys shorter than two characters never match."""
    key, plain = name_key(column_name), _plain(column_name)
    if len(plain) < 2:
        return False
    for name in names:
        other = _plain(name)
        if len(other) >= 2 and (name_key(name) == key or other in plain):
            return True
    return False


# ---- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    """A column kind: its Chinese label and the keywords that put a name in it (^ and $ anchor)."""

    kind: str
    label: str
    keywords: tuple[str, ...]
    shared: bool = False  # several entries share the kind: the kind alone satisfies none of them

    def matches(self, name: str) -> bool:
        for word in self.keywords:
            if word.startswith("^") and name.startswith(word[1:]):
                return True
            if word.endswith("$") and name.endswith(word[:-1]):
                return True
            if word[:1] != "^" and word[-1:] != "$" and word in name:
                return True
        return False


@dataclass(frozen=True)
class Entry:
    """One entry of the standard catalogue."""

    id: str
    name: str
    kinds: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    satisfied_by_all: tuple[str, ...] = ()  # columns that together satisfy the entry (行政处罚 + 行政强制)
    groups: tuple[str, ...] = ()
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.variants)

    @classmethod
    def inline(cls, raw: Mapping[str, Any]) -> Entry:
        """An entry written inline in a framework (``{name, kinds, aliases}``, the older form)."""
        return cls(
            id=str(raw.get("id") or raw["name"]),
            name=str(raw["name"]),
            kinds=tuple(raw.get("kinds") or ()),
            aliases=tuple(raw.get("aliases") or ()),
            variants=tuple(raw.get("variants") or ()),
            satisfied_by_all=tuple(raw.get("satisfied_by_all") or ()),
        )


@dataclass(frozen=True)
class Catalogue:
    """The kinds vocabulary and the standard catalogue, built-in merged with an administrator's files."""

    version: str
    kinds: tuple[KindRule, ...]
    entries: Mapping[str, Entry]
    max_length: int = 20
    unit_suffixes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    zhuanlan_names: frozenset[str] = frozenset()  # link texts that name the 政府信息公开专栏
    _cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def shared_kinds(self) -> frozenset[str]:
        return frozenset(k.kind for k in self.kinds if k.shared)

    @property
    def labels(self) -> dict[str, str]:
        return {**{k.kind: k.label for k in self.kinds}, "other": "其他"}

    def classify(self, name: str) -> str:
        """The kind of a column from its name; ``other`` for unit names and names nothing matches."""
        cached = self._cache.get(name)
        if cached is None:
            cached = self._classify(normalise(name))
            if len(self._cache) < 100_000:
                self._cache[name] = cached
        return cached

    def _classify(self, name: str) -> str:
        if not name or len(name) > self.max_length or name.endswith(self.unit_suffixes):
            return "other"
        return next((rule.kind for rule in self.kinds if rule.matches(name)), "other")

    def is_zhuanlan_name(self, text: str) -> bool:
        """Whether a link text names the 政府信息公开专栏 (政府信息公开, 政务公开, 信息公开 ...)."""
        return len(text) <= 30 and normalise(text) in self.zhuanlan_names

    def resolve(self, refs: Sequence[Any]) -> list[Entry]:
        """The entries a framework's ``catalogue`` parameter names: ids, ``@group``s or inline entries.
        Unknown ids raise ValueError (Chinese)."""
        out: dict[str, Entry] = {}
        unknown = []
        for ref in refs:
            if isinstance(ref, Mapping):
                entry = Entry.inline(ref)
                out[entry.id] = entry
            elif isinstance(ref, str) and ref.startswith("@"):
                group = [e for e in self.entries.values() if ref[1:] in e.groups]
                if not group:
                    unknown.append(ref)
                out.update((e.id, e) for e in group)
            elif isinstance(ref, str) and ref in self.entries:
                out[ref] = self.entries[ref]
            else:
                unknown.append(str(ref))
        if unknown:
            raise ValueError(
                f"栏目目录中没有这些条目：{'、'.join(unknown)}（可用 id 见 vocab/catalogue.yaml，分组以 @ 开头）"
            )
        return list(out.values())


# ---- loading ----------------------------------------------------------------------------------------

_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "version": {"type": ["string", "number"]},
        "name": {"type": "string"},
        "source": {"type": "string"},
        "kinds": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "keywords"],
                "additionalProperties": False,
                "properties": {
                    "kind": _ID,
                    "label": {"type": "string"},
                    "keywords": {**_WORDS, "minItems": 1},
                    "shared": {"type": "boolean"},
                },
            },
        },
        "zhuanlan_names": _WORDS,
        "not_columns": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max_length": {"type": "integer", "minimum": 1}, "suffixes": _WORDS},
        },
        "entries": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "name": {"type": "string", "minLength": 1},
                    "groups": _WORDS,
                    "kinds": _WORDS,
                    "aliases": _WORDS,
                    "variants": _WORDS,
                    "satisfied_by_all": {**_WORDS, "minItems": 2},
                    "source": {"type": "string"},
                },
            },
        },
    },
}


def is_catalogue_file(data: Mapping[str, Any]) -> bool:
    """A data file is a catalogue (not a framework) when it has ``entries`` or ``kinds`` and no ``items``."""
    return "items" not in data and ("entries" in data or "kinds" in data)


def _merge_words(old: tuple[str, ...], new: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*new, *old]))


def _merge(base: Catalogue | None, data: Mapping[str, Any], lines: Mapping[Any, int], path: str) -> Catalogue:
    """``data`` (one file) over ``base``; semantic problems raise FrameworkError with their lines."""
    problems: list[Problem] = []
    kinds = {k.kind: k for k in base.kinds} if base else {}
    order = list(kinds)
    new_kinds = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("kinds", [])):
        kind = raw["kind"]
        if kind in seen:
            problems.append(Problem(line_of(lines, ("kinds", i, "kind")), f"栏目类别「{kind}」重复"))
        seen.add(kind)
        old = kinds.get(kind)
        rule = KindRule(
            kind,
            raw.get("label") or (old.label if old else kind),
            _merge_words(old.keywords if old else (), raw["keywords"]),
            raw.get("shared", old.shared if old else False),
        )
        kinds[kind] = rule
        if old is None:
            new_kinds.append(kind)  # an administrator's new kinds are tried first
    order = new_kinds + order
    entries = dict(base.entries) if base else {}
    ids: set[str] = set()
    for i, raw in enumerate(data.get("entries", [])):
        where = ("entries", i)
        if raw["id"] in ids:
            problems.append(Problem(line_of(lines, (*where, "id")), f"条目 id「{raw['id']}」重复"))
        ids.add(raw["id"])
        for j, kind in enumerate(raw.get("kinds", [])):
            if kind not in kinds and kind != "other":
                problems.append(
                    Problem(
                        line_of(lines, (*where, "kinds", j)), f"未知的栏目类别「{kind}」（须在 kinds 中定义）"
                    )
                )
        entries[raw["id"]] = _entry(entries.get(raw["id"]), raw)
    if problems:
        raise FrameworkError(path, problems)
    limits = data.get("not_columns", {})
    return Catalogue(
        version=str(data.get("version") or (base.version if base else "")),
        kinds=tuple(kinds[k] for k in order),
        entries=entries,
        max_length=int(limits.get("max_length", base.max_length if base else 20)),
        unit_suffixes=_merge_words(base.unit_suffixes if base else (), limits.get("suffixes", [])),
        files=(*(base.files if base else ()), path),
        zhuanlan_names=(base.zhuanlan_names if base else frozenset())
        | {normalise(n) for n in data.get("zhuanlan_names", [])},
    )


def _entry(old: Entry | None, raw: Mapping[str, Any]) -> Entry:
    if old is None:
        return Entry(
            id=raw["id"],
            name=raw["name"],
            kinds=tuple(raw.get("kinds", ())),
            aliases=tuple(raw.get("aliases", ())),
            variants=tuple(raw.get("variants", ())),
            satisfied_by_all=tuple(raw.get("satisfied_by_all", ())),
            groups=tuple(raw.get("groups", ())),
            source=raw.get("source", ""),
        )
    return replace(
        old,
        name=raw["name"],
        kinds=_merge_words(old.kinds, raw.get("kinds", ())),
        aliases=_merge_words(old.aliases, raw.get("aliases", ())),
        variants=_merge_words(old.variants, raw.get("variants", ())),
        satisfied_by_all=tuple(raw.get("satisfied_by_all", old.satisfied_by_all)),
        groups=_merge_words(old.groups, raw.get("groups", ())),
        source=raw.get("source", old.source),
    )


def parse_catalogue_file(path: str | Path, base: Catalogue | None = None) -> Catalogue:
    """One catalogue file merged over ``base`` (None: the file stands alone); FrameworkError on problems."""
    data, lines = load_data_file(path, SCHEMA)
    return _merge(base, data, lines, str(path))


@lru_cache(maxsize=16)
def _load(extra: tuple[str, ...]) -> Catalogue:
    cat = parse_catalogue_file("catalogue")
    for path in extra:
        cat = parse_catalogue_file(path, cat)
    return cat


def load_catalogue(extra: str | Path | None = None) -> Catalogue:
    """The built-in catalogue, with ``GONGKAI_CATALOGUE``'s file and then ``extra`` merged over it."""
    files = [p for p in (os.environ.get(CATALOGUE_ENV, "").strip(), str(extra or "").strip()) if p]
    return _load(tuple(files))


def use_catalogue_file(path: str | Path) -> Catalogue:
    """Make ``path`` this process's extra catalogue (as GONGKAI_CATALOGUE does, which it sets, so worker
    processes inherit it); FrameworkError when the file is invalid."""
    resolved = str(Path(path).resolve())
    catalogue = _load((resolved,))  # raises before anything is changed
    os.environ[CATALOGUE_ENV] = resolved
    return catalogue


# ---- page roles' vocabulary --------------------------------------------------------------------------

ROLES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "service_names"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "version": {"type": ["string", "number"]},
        "name": {"type": "string"},
        "source": {"type": "string"},
        "service_names": {**_WORDS, "minItems": 1},
        "service_paths": _WORDS,
        "zhuanlan_crumbs": _WORDS,
    },
}


@dataclass(frozen=True)
class ServiceVocabulary:
    """Names and URL path segments of service pages (联系我们, 网站地图, 搜索 ...)."""

    names: frozenset[str]
    paths: frozenset[str]
    crumbs: frozenset[str] = frozenset()  # breadcrumb names of the 专栏 (政府信息公开, 法定主动公开内容 ...)

    def is_service_name(self, text: str) -> bool:
        return bool(text) and len(text) <= 16 and _lower_normalised(text) in self.names


@lru_cache(maxsize=65536)
def _lower_normalised(text: str) -> str:
    # page titles repeat the site's name in every page: normalise each distinct segment once
    return normalise(text).lower()


@lru_cache(maxsize=1)
def service_vocabulary() -> ServiceVocabulary:
    data, _lines = load_data_file("roles", ROLES_SCHEMA)
    return ServiceVocabulary(
        frozenset(normalise(n).lower() for n in data["service_names"]),
        frozenset(p.lower() for p in data.get("service_paths", [])),
        frozenset(normalise(n).lower() for n in data.get("zhuanlan_crumbs", [])),
    )


def catalogue_summary(path: str | Path) -> str | None:
    """For ``gongkai frameworks check``: None when ``path`` is not a catalogue file (no top-level
    ``entries``/``kinds``), else a Chinese summary of the file merged over the built-in catalogue;
    FrameworkError (line-precise) when it is invalid."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the framework loader reports what is wrong with the file
    if not isinstance(data, dict) or not is_catalogue_file(data):
        return None
    cat = parse_catalogue_file(path, _load(()))
    return (
        f"栏目目录文件（版本 {data.get('version')}），本文件 {len(data.get('entries', []))} 个条目、"
        f"{len(data.get('kinds', []))} 个栏目类别；与内置目录合并后共 {len(cat.entries)} 个条目、"
        f"{len(cat.kinds)} 个栏目类别"
    )
