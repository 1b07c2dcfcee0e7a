"""The crawler's modules import one way: no module of gongkai.crawl reaches itself through the others
(type-only imports under TYPE_CHECKING aside), so each stage can be read, tested and replaced alone."""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai.crawl

CRAWL = Path(gongkai.crawl.__file__).parent


def _crawl_imports(path: Path) -> set[str]:
    """The gongkai.crawl modules `path` imports, at its top or inside its functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for n in ast.walk(block)
    }
    out = set()
    for node in ast.walk(tree):
        if id(node) in type_only or not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if parts[:2] == ["gongkai", "crawl"] and len(parts) == 3:
            out.add(parts[2])
    return out


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of `graph` (module -> modules it imports), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> list[str]:
        state[module] = 1
        for nxt in sorted(graph.get(module, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return []


def test_the_crawl_modules_import_one_way() -> None:
    graph = {p.stem: _crawl_imports(p) for p in CRAWL.glob("*.py") if p.stem != "__init__"}
    assert {"engine", "shard", "batch", "host", "discover", "extract"} <= set(graph)
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"engine": {"shard"}, "shard": {"batch", "engine"}, "batch": set()}) == [
        "engine",
        "shard",
        "engine",
    ]
    assert _cycle({"engine": {"shard", "batch"}, "shard": {"batch"}, "batch": set()}) == []
