"""The work areas (工作领域) of a plan's tasks: a configurable list (data/areas.yaml, or the YAML file named by
GONGKAI_PLAN_AREAS), each with the report chapter (group) it belongs to and the spellings an import accepts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).with_name("data") / "areas.yaml"


class AreasError(ValueError):
    """The areas file cannot be used; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Area:
    name: str
    group: str
    aliases: tuple[str, ...] = ()
    heading: str = ""


def areas_file() -> Path:
    return Path(os.environ.get("GONGKAI_PLAN_AREAS") or DEFAULT_FILE)


def parse_areas(text: str, path: str = "<文本>") -> list[Area]:
    """Areas from YAML text; every problem is reported in Chinese with the entry's number."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AreasError(f"{path}：YAML 语法错误：{exc}") from None
    entries = data.get("areas") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AreasError(f"{path}：应有非空的 areas 列表")
    out: list[Area] = []
    seen: set[str] = set()
    problems = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            problems.append(f"第 {i} 个领域缺少名称（name）")
            continue
        name = str(entry["name"]).strip()
        aliases = tuple(str(a).strip() for a in entry.get("aliases") or [] if str(a).strip())
        for word in (name, *aliases):
            if word in seen:
                problems.append(f"第 {i} 个领域“{name}”：名称或别名“{word}”与前面的领域重复")
            seen.add(word)
        group = str(entry.get("group") or name).strip()
        heading = str(entry.get("heading") or "").strip()
        out.append(Area(name=name, group=group, aliases=aliases, heading=heading))
    if problems:
        raise AreasError(f"{path}：" + "；".join(problems))
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Area, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AreasError(f"无法读取工作领域文件 {path}：{exc.strerror or exc}") from None
    return tuple(parse_areas(text, path))


def load_areas() -> list[Area]:
    return list(_load(str(areas_file())))


def area_names() -> list[str]:
    return [a.name for a in load_areas()]


def resolve_area(text: str) -> str | None:
    """The area's name for a spelling (name or alias), or None."""
    text = text.strip()
    for area in load_areas():
        if text == area.name or text in area.aliases:
            return area.name
    return None


def group_of(name: str) -> str:
    return next((a.group for a in load_areas() if a.name == name), name or "其他")


def groups() -> list[str]:
    """Report chapters in the order of the list."""
    return list(dict.fromkeys(a.group for a in load_areas()))


def heading_of(group: str) -> str:
    """The report heading of a chapter: the first heading given for the group, else "<group>情况"."""
    return next((a.heading for a in load_areas() if a.group == group and a.heading), f"{group}情况")
