"""Indicator frameworks: the YAML format, loading with line-precise Chinese errors, the data model.

A framework file is versioned YAML: metadata (id, version, name, source), the level names
(up to four: 一级/二级/三级/四级指标), named parameters each with its source, scoring rules
(bands, veto, bonus cap and gate, rescaling of non-applicable items, ties) and a tree of items.
A leaf has points, a method (``checks``: automatic check ids with parameters and a deduction
per finding; and/or ``manual``: what the evaluator must look at), applicability per unit
group, an ``authority`` flag (重点领域 a unit may lack) and a type (score / veto / bonus). A leaf with
``plan`` takes its points from the completion of the year's 工作要点 tasks (晋江's 要点 item): its points times
the share of the unit's due task periods that are done (``plan: {areas: [...], units: lead|all}``).

Errors name the file and line (PyYAML node marks) and say in Chinese what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from gongkai.frameworks.planref import PlanRef, plan_ref

UNIT_GROUPS = ("county", "zone", "department", "township", "village", "other")
UNIT_GROUP_LABELS = {
    "county": "县区政府",
    "zone": "管委会",
    "department": "部门",
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "other": "其他",
}
ITEM_TYPES = ("score", "veto", "bonus")
DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Problem:
    """One error in a framework file."""

    line: int
    message: str

    def render(self, path: str) -> str:
        return f"{path} 第 {self.line} 行：{self.message}" if self.line else f"{path}：{self.message}"


class FrameworkError(ValueError):
    """A framework that cannot be loaded; ``problems`` lists every error with its line."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.render(path) for p in problems))


@dataclass(frozen=True)
class CheckRef:
    """An automatic method of a leaf: a check id, its parameters, and what a FAIL costs."""

    check: str
    params: Mapping[str, Any]
    deduct: float | None  # points per FAIL finding; None = any FAIL loses the item's points
    threshold: int = 1  # veto items: FAIL findings needed to trigger the veto
    line: int = 0


@dataclass(frozen=True)
class FrameworkItem:
    """A node of the indicator tree; leaves carry the scoring."""

    path: str
    name: str
    level: int
    type: str = "score"
    points: float = 0.0
    checks: tuple[CheckRef, ...] = ()
    manual: str = ""
    pages: tuple[str, ...] = ()
    applies_to: frozenset[str] = frozenset(UNIT_GROUPS)
    authority: bool = False
    source: str = ""
    children: tuple[FrameworkItem, ...] = ()
    line: int = 0
    plan: PlanRef | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[FrameworkItem]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Band:
    name: str
    min: float


@dataclass(frozen=True)
class Framework:
    """A loaded, validated indicator framework."""

    id: str
    version: str
    name: str
    items: tuple[FrameworkItem, ...]
    levels: tuple[str, ...] = ("一级指标", "二级指标", "三级指标", "四级指标")
    description: str = ""
    source: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    band_basis: str = "rate"  # "rate" (得分率 in %) or "total"
    veto_score: str = "zero"  # "zero": a vetoed unit scores 0; "keep": the score stands
    veto_band: str = "不合格"
    bonus_cap: float | None = None
    bonus_gate: float | None = None  # bonus only when the base score is above this
    rescale: bool = False  # scale the base to the full points when items do not apply (4/3 rule)
    ties: str = "shared"  # "shared" (1, 1, 3) or "dense" (1, 1, 2)
    rank_basis: str = "rate"  # rank by 得分率 ("rate", default) or by score ("total")
    tie_break: tuple[str, ...] = ()
    precision: int = 2
    path: str = ""

    def walk(self) -> Iterator[FrameworkItem]:
        for item in self.items:
            yield from item.walk()

    def leaves(self) -> list[FrameworkItem]:
        return [i for i in self.walk() if i.is_leaf]

    def item(self, path: str) -> FrameworkItem:
        for node in self.walk():
            if node.path == path:
                return node
        raise KeyError(f"指标体系 {self.id} 中没有指标「{path}」")

    @property
    def max_points(self) -> float:
        return sum(i.points for i in self.leaves() if i.type == "score")


# ---- JSON schema of the file --------------------------------------------------------------

_NUMBER = {"type": "number", "minimum": 0}
_CHECK = {
    "type": "object",
    "required": ["check"],
    "additionalProperties": False,
    "properties": {
        "check": {"type": "string"},
        "params": {"type": "object"},
        "deduct": {"anyOf": [_NUMBER, {"const": "all"}, {"type": "string", "pattern": "^\\$"}]},
        "threshold": {"type": "integer", "minimum": 1},
    },
}
_ITEM = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "type": {"enum": list(ITEM_TYPES)},
        "points": _NUMBER,
        "checks": {"type": "array", "items": _CHECK, "minItems": 1},
        "manual": {"type": "string"},
        "pages": {"type": "array", "items": {"type": "string"}},
        "applies_to": {"type": "array", "items": {"enum": list(UNIT_GROUPS)}, "minItems": 1},
        "authority": {"type": "boolean"},
        "source": {"type": "string"},
        "plan": {
            "type": ["boolean", "object"],
            "additionalProperties": False,
            "properties": {
                "areas": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "units": {"enum": ["lead", "all"]},
            },
        },
        "children": {"type": "array", "items": {"$ref": "#/definitions/item"}, "minItems": 1},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["id", "version", "name", "items"],
    "additionalProperties": False,
    "definitions": {"item": _ITEM},
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"},
        "version": {"type": ["string", "number"]},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "source": {"type": "string"},
        "levels": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4},
        "parameters": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["value", "source"],
                "additionalProperties": False,
                "properties": {"value": {}, "source": {"type": "string"}},
            },
        },
        "scoring": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max_points": _NUMBER,
                "bands": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "min"],
                        "additionalProperties": False,
                        "properties": {"name": {"type": "string"}, "min": {"type": "number"}},
                    },
                },
                "band_basis": {"enum": ["rate", "total"]},
                "veto": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"score": {"enum": ["zero", "keep"]}, "band": {"type": "string"}},
                },
                "bonus": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"cap": _NUMBER, "gate": {"type": "number"}},
                },
                "rescale_not_applicable": {"type": "boolean"},
                "ranking": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "ties": {"enum": ["shared", "dense"]},
                        "basis": {"enum": ["rate", "total"]},
                        "tie_break": {"type": "array", "items": {"type": "string"}},
                        "precision": {"type": "integer", "minimum": 0, "maximum": 6},
                    },
                },
            },
        },
        "items": {"type": "array", "items": {"$ref": "#/definitions/item"}, "minItems": 1},
    },
}
_TYPE_LABELS = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "true/false",
    "object": "键值映射",
    "array": "列表",
}


# ---- YAML with line numbers ------------------------------------------------------------------


def _compose(text: str, path: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The document as Python objects plus a map from each value's path to its line (1-based)."""
    lines: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise FrameworkError(
            path, [Problem(line, f"YAML 语法错误：{getattr(exc, 'problem', exc)}")]
        ) from None
    if root is None:
        raise FrameworkError(path, [Problem(0, "文件为空")])
    constructor = yaml.SafeLoader("")

    def build(node: yaml.Node, where: tuple[Any, ...]) -> Any:
        lines[where] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = constructor.construct_object(key_node, deep=True)
                if key in out:
                    problems.append(Problem(key_node.start_mark.line + 1, f"字段「{key}」重复"))
                out[key] = build(value_node, (*where, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, (*where, i)) for i, child in enumerate(node.value)]
        return constructor.construct_object(node, deep=True)

    try:
        data = build(root, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FrameworkError(path, [Problem(mark.line + 1 if mark else 0, f"YAML 取值错误：{exc}")]) from None
    if problems:
        raise FrameworkError(path, problems)
    return data, lines


def _line(lines: Mapping[tuple[Any, ...], int], where: tuple[Any, ...]) -> int:
    while where and where not in lines:
        where = where[:-1]
    return lines.get(where, 0)


def _field(where: tuple[Any, ...]) -> str:
    names = [str(p) for p in where if not isinstance(p, int)]
    return names[-1] if names else "（根）"


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = tuple(error.absolute_path)
    name = _field(where)
    validator = error.validator
    if validator == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        return f"缺少必填字段「{'、'.join(missing)}」"
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"未知字段「{'、'.join(map(str, extra))}」"
    if validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"「{name}」应为{'或'.join(_TYPE_LABELS.get(t, t) for t in wanted)}，实际为 {error.instance!r}"
    if validator == "enum":
        return f"「{name}」的取值 {error.instance!r} 无效，应为 {'、'.join(map(str, error.validator_value))} 之一"
    if validator in ("minimum", "exclusiveMinimum"):
        return f"「{name}」不能小于 {error.validator_value}（实际为 {error.instance}）"
    if validator == "maximum":
        return f"「{name}」不能大于 {error.validator_value}"
    if validator in ("minItems", "minLength"):
        return f"「{name}」不能为空"
    if validator == "maxItems":
        return f"「{name}」最多 {error.validator_value} 项"
    if validator == "pattern":
        return f"「{name}」的取值 {error.instance!r} 格式不正确（只能用小写字母、数字、点、横线和下划线）"
    if validator == "anyOf" and name == "deduct":
        return f"「deduct」应为非负数字、all 或 $参数名，实际为 {error.instance!r}"
    return f"「{name}」不符合格式要求"


# ---- semantic validation and building ------------------------------------------------------------


class _Builder:
    def __init__(self, data: dict[str, Any], lines: dict[tuple[Any, ...], int]) -> None:
        self.data = data
        self.lines = lines
        self.problems: list[Problem] = []
        self.parameters = {k: v["value"] for k, v in data.get("parameters", {}).items()}
        self.levels = tuple(data.get("levels", ("一级指标", "二级指标", "三级指标", "四级指标")))
        self.used_params: set[str] = set()

    def error(self, where: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(_line(self.lines, where), message))

    def resolve(self, value: Any, where: tuple[Any, ...]) -> Any:
        if isinstance(value, str) and value.startswith("$"):
            name = value[1:]
            if name not in self.parameters:
                self.error(where, f"引用了未定义的参数「{name}」")
                return None
            self.used_params.add(name)
            return self.parameters[name]
        if isinstance(value, dict):
            return {k: self.resolve(v, (*where, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, (*where, i)) for i, v in enumerate(value)]
        return value

    def _defined_at(self, raw_params: Any) -> str:
        """Where the parameters a check's params refer to ($name) are defined, for its problems."""
        refs = [v[1:] for v in raw_params.values() if isinstance(v, str) and v.startswith("$")]
        where = [
            f"「{r}」在第 {_line(self.lines, ('parameters', r, 'value'))} 行"
            for r in refs
            if r in self.parameters
        ]
        return f"（参数{'、'.join(where)}定义）" if where else ""

    def check_ref(self, raw: dict[str, Any], where: tuple[Any, ...], item_type: str) -> CheckRef | None:
        from gongkai.checks.registry import UnknownCheckError, get_check, merged_params

        params = self.resolve(raw.get("params", {}), (*where, "params"))
        try:
            spec = get_check(raw["check"])
            merged = merged_params(raw["check"], params)
            for problem in spec.validate(merged) if spec.validate else []:
                self.error((*where, "params"), problem + self._defined_at(raw.get("params", {})))
        except UnknownCheckError:
            self.error((*where, "check"), f"未知的检查项「{raw['check']}」")
            return None
        except ValueError as exc:
            self.error((*where, "params"), str(exc))
            return None
        raw_deduct = raw.get("deduct", "all" if item_type != "score" else None)
        deduct = self.resolve(raw_deduct, (*where, "deduct"))
        if raw_deduct is not None and deduct is None:
            deduct = "all"  # an undefined parameter, already reported
        elif not (deduct in ("all", None) or (isinstance(deduct, int | float) and deduct >= 0)):
            self.error((*where, "deduct"), f"deduct 引用的参数值 {deduct!r} 应为非负数字或 all")
            deduct = "all"
        if deduct is None:
            self.error(where, f"检查项「{raw['check']}」缺少 deduct（每个问题扣分，或 all 表示扣完该项分值）")
        if "threshold" in raw and item_type != "veto":
            self.error((*where, "threshold"), "threshold 只用于单项否决（type: veto）指标")
        return CheckRef(
            check=raw["check"],
            params=params,
            deduct=None if deduct in ("all", None) else float(deduct),
            threshold=int(raw.get("threshold", 1)),
            line=_line(self.lines, where),
        )

    def item(
        self,
        raw: dict[str, Any],
        where: tuple[Any, ...],
        parent: str,
        level: int,
        groups: frozenset[str] = frozenset(UNIT_GROUPS),
    ) -> FrameworkItem:
        name = raw["name"]
        path = f"{parent}/{name}" if parent else name
        # a parent's applies_to narrows its whole subtree
        applies = groups & frozenset(raw.get("applies_to", UNIT_GROUPS))
        if not applies:
            self.error((*where, "applies_to"), f"指标「{name}」的适用单位类别与上级指标没有交集")
        if level > len(self.levels):
            self.error(where, f"指标「{name}」是第 {level} 级，超过本体系的 {len(self.levels)} 级")
        item_type = raw.get("type", "score")
        children: list[FrameworkItem] = []
        names: set[str] = set()
        for i, child in enumerate(raw.get("children", [])):
            if child["name"] in names:
                self.error((*where, "children", i, "name"), f"同一上级下指标名称「{child['name']}」重复")
            names.add(child["name"])
            children.append(self.item(child, (*where, "children", i), path, level + 1, applies))
        checks = []
        seen: set[str] = set()
        for i, ref in enumerate(raw.get("checks", [])):
            if ref["check"] in seen:
                self.error(
                    (*where, "checks", i, "check"),
                    f"检查项「{ref['check']}」在同一指标中出现两次（参数不同时请拆成两个指标）",
                )
            seen.add(ref["check"])
            built = self.check_ref(ref, (*where, "checks", i), item_type)
            if built is not None:
                checks.append(built)
        if children:
            for key in ("checks", "manual", "type", "authority", "plan"):
                if key in raw:
                    self.error((*where, key), f"指标「{name}」有下级指标，不能设置 {key}（应写在末级指标上）")
            declared = raw.get("points")
            total = sum(
                leaf.points
                for child in children
                for leaf in child.walk()
                if leaf.is_leaf and leaf.type == "score"
            )
            if declared is not None and abs(declared - total) > 1e-6:
                self.error(
                    (*where, "points"), f"指标「{name}」分值 {declared} 与下级指标分值合计 {total:g} 不符"
                )
        else:
            if "checks" not in raw and "manual" not in raw and "plan" not in raw:
                self.error(where, f"末级指标「{name}」既无自动检查（checks）也无人工评分说明（manual）")
            if item_type != "veto" and "points" not in raw:
                self.error(where, f"末级指标「{name}」缺少分值（points）")
        return FrameworkItem(
            path=path,
            name=name,
            level=level,
            type=item_type,
            points=float(raw.get("points", 0) if not children else 0),
            checks=tuple(checks),
            manual=raw.get("manual", ""),
            pages=tuple(raw.get("pages", ())),
            applies_to=applies,
            authority=bool(raw.get("authority", False)),
            source=raw.get("source", ""),
            children=tuple(children),
            line=_line(self.lines, where),
            plan=self.plan_ref(raw, where, name, item_type) if "plan" in raw and not children else None,
        )

    def plan_ref(self, raw: dict[str, Any], where: tuple[Any, ...], name: str, item_type: str) -> PlanRef:
        ref, problems = plan_ref(raw, name, item_type)
        for sub, message in problems:
            self.error((*where, *sub), message)
        return ref

    def build(self, path: str) -> Framework:
        data = self.data
        items = tuple(self.item(raw, ("items", i), "", 1) for i, raw in enumerate(data["items"]))
        scoring = data.get("scoring", {})
        framework = Framework(
            id=data["id"],
            version=str(data["version"]),
            name=data["name"],
            items=items,
            levels=self.levels,
            description=data.get("description", ""),
            source=data.get("source", ""),
            parameters=self.parameters,
            bands=tuple(Band(b["name"], float(b["min"])) for b in scoring.get("bands", ())),
            band_basis=scoring.get("band_basis", "rate"),
            veto_score=scoring.get("veto", {}).get("score", "zero"),
            veto_band=scoring.get("veto", {}).get("band", "不合格"),
            bonus_cap=scoring.get("bonus", {}).get("cap"),
            bonus_gate=scoring.get("bonus", {}).get("gate"),
            rescale=bool(scoring.get("rescale_not_applicable", False)),
            ties=scoring.get("ranking", {}).get("ties", "shared"),
            rank_basis=scoring.get("ranking", {}).get("basis", "rate"),
            tie_break=tuple(scoring.get("ranking", {}).get("tie_break", ())),
            precision=int(scoring.get("ranking", {}).get("precision", 2)),
            path=path,
        )
        self.validate_scoring(framework, scoring)
        return framework

    def validate_scoring(self, framework: Framework, scoring: dict[str, Any]) -> None:
        mins = [b.min for b in framework.bands]
        if mins != sorted(mins, reverse=True):
            self.error(("scoring", "bands"), "分档（bands）应按 min 从高到低排列")
        declared = scoring.get("max_points")
        if declared is not None and abs(declared - framework.max_points) > 1e-6:
            self.error(
                ("scoring", "max_points"),
                f"总分 {declared} 与计分指标分值合计 {framework.max_points:g} 不符",
            )
        paths = {i.path for i in framework.walk()}
        for i, path in enumerate(framework.tie_break):
            if path not in paths:
                self.error(("scoring", "ranking", "tie_break", i), f"并列比较用的指标「{path}」不存在")
        has_bonus = any(i.type == "bonus" for i in framework.leaves())
        if has_bonus and framework.bonus_cap is None:
            self.error(("scoring",), "有激励性（bonus）指标时须在 scoring.bonus.cap 中设置加分上限")
        for name in set(self.parameters) - self.used_params:
            self.error(("parameters", name), f"参数「{name}」已定义但未被任何指标使用")


def parse_framework(text: str, path: str = "<文本>") -> Framework:
    """Validate and build a framework from YAML text; raises FrameworkError with every problem."""
    data, lines = _compose(text, path)
    validator = jsonschema.Draft7Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: _line(lines, tuple(e.absolute_path)))
    if errors:
        problems = []
        for error in errors:
            where = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
                where = (*where, extra[0]) if extra else where
            problems.append(Problem(_line(lines, where), _schema_message(error)))
        raise FrameworkError(path, problems)
    builder = _Builder(data, lines)
    framework = builder.build(path)
    if builder.problems:
        raise FrameworkError(path, sorted(builder.problems, key=lambda p: p.line))
    return framework


def load_framework(id_or_path: str | Path) -> Framework:
    """A built-in framework by id (see ``list_frameworks``) or a framework file by path."""
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        path = candidate
    else:
        path = DATA_DIR / f"{id_or_path}.yaml"
        if not path.exists():
            known = "、".join(f["id"] for f in list_frameworks())
            raise FrameworkError(str(id_or_path), [Problem(0, f"没有这个指标体系（内置：{known}）")])
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(str(path), [Problem(0, f"无法读取文件：{exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise FrameworkError(str(path), [Problem(0, "文件不是 UTF-8 编码")]) from None
    return parse_framework(text, str(path))


def list_frameworks() -> list[dict[str, str]]:
    """The built-in frameworks: id, version, name, source (read from each file's header)."""
    out = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        head = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append({k: str(head.get(k, "")) for k in ("id", "version", "name", "source")})
    return out


def framework_json(framework: Framework) -> str:
    """A compact JSON description (id, version, items with points) for reports and the web."""

    def node(item: FrameworkItem) -> dict[str, Any]:
        return {
            "path": item.path,
            "name": item.name,
            "type": item.type,
            "points": item.points,
            "checks": [c.check for c in item.checks],
            "manual": item.manual,
            "plan": {"areas": list(item.plan.areas), "units": item.plan.units} if item.plan else None,
            "children": [node(c) for c in item.children],
        }

    return json.dumps(
        {"id": framework.id, "version": framework.version, "items": [node(i) for i in framework.items]},
        ensure_ascii=False,
    )
