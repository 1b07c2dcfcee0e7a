"""Versioned data files beside the frameworks (column vocabulary, 索引号 patterns, footer forms ...).

They are loaded the way frameworks are: YAML with line numbers, a JSON schema, and every problem
reported in Chinese with its file and line (``FrameworkError``). Built-in files live in
``frameworks/data/vocab/``; an administrator's own file is named by path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from gongkai.frameworks.schema import FrameworkError, Problem, _compose, _line, _schema_message

VOCAB_DIR = Path(__file__).with_name("data") / "vocab"


def parse_data_file(
    text: str, schema: Mapping[str, Any], path: str = "<文本>"
) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The data and a map from each value's path to its line; FrameworkError lists every problem."""
    data, lines = _compose(text, path)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: _line(lines, tuple(e.absolute_path)))
    if errors:
        raise FrameworkError(
            path, [Problem(_line(lines, tuple(e.absolute_path)), _schema_message(e)) for e in errors]
        )
    return data, lines


def load_data_file(
    name_or_path: str | Path, schema: Mapping[str, Any]
) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """A built-in data file by name (``catalogue`` -> vocab/catalogue.yaml) or any file by path."""
    candidate = Path(name_or_path)
    path = (
        candidate
        if candidate.suffix in (".yaml", ".yml") or candidate.exists()
        else VOCAB_DIR / f"{name_or_path}.yaml"
    )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(str(path), [Problem(0, f"无法读取文件：{exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise FrameworkError(str(path), [Problem(0, "文件不是 UTF-8 编码")]) from None
    return parse_data_file(text, schema, str(path))


def line_of(lines: Mapping[tuple[Any, ...], int], where: tuple[Any, ...]) -> int:
    """The line of the value at ``where`` (or of its nearest parent), for semantic errors."""
    return _line(lines, where)
