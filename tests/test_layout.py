"""The tree shows the architecture: one folder per part, imports one way, no cycles, small modules.

A newcomer reads the parts from ``bot/`` (README, "Layout"); these tests keep that
true as modules are added: an import against the direction, a cycle, or a module
over the size limit fails here, naming the module.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

import pytest

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
MAX_LINES = 400
LOOSE = "(loose)"  # settings, errors, normalise, yaml_lists: used by every part, use none

# part -> the parts it may import (besides the loose modules)
ALLOWED = {
    LOOSE: set(),
    "db": set(),
    "situation": set(),
    "knowledge": {"situation"},
    "quiz": {"db", "knowledge"},
    "reporting": {"db", "quiz"},
    "privacy": {"db", "reporting"},
    "rasa": {"knowledge", "privacy", "quiz", "situation"},
    "web": {"db", "knowledge", "privacy", "quiz", "reporting"},
    "run": {"db", "privacy", "rasa", "reporting", "web"},
    "tools": {"db", "knowledge", "privacy", "quiz", "rasa", "reporting", "situation", "web"},
}


def module_files() -> Dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        if "node_modules" in path.parts or "migrations" in path.parts:
            continue
        parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = module_files()


def imports_of(path: Path) -> Set[str]:
    """The bot modules `path` imports, at any depth (function-level and TYPE_CHECKING imports count)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bot":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                names.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "bot")
    return {n for n in names if n in MODULES}


GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def part(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return LOOSE  # bot/__init__
    if len(parts) == 2 and MODULES[module].name != "__init__.py":
        return LOOSE
    return parts[1]


def test_every_part_is_known():
    unknown = {part(m) for m in MODULES} - set(ALLOWED)
    assert not unknown, f"new folders in bot/ need a line in ALLOWED and in the README's layout table: {unknown}"


def test_at_most_a_handful_of_modules_stay_loose():
    loose = sorted(m for m in MODULES if part(m) == LOOSE and m != "bot")
    assert len(loose) <= 5, loose


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    mine = part(module)
    wrong = sorted(d for d in GRAPH[module] if part(d) != mine and part(d) != LOOSE and part(d) not in ALLOWED[mine])
    assert not wrong, f"{module} ({mine}) imports {wrong}; {mine} may import only {sorted(ALLOWED[mine])}"


def test_there_are_no_import_cycles():
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack, on_stack, cycles = [], set(), []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, cycles


def test_the_checker_sees_a_cycle_and_a_wrong_way_import(monkeypatch):
    monkeypatch.setitem(GRAPH, "bot.db.models", GRAPH["bot.db.models"] | {"bot.reporting.queries"})
    with pytest.raises(AssertionError, match="bot.db"):
        test_imports_run_one_way("bot.db.models")
    with pytest.raises(AssertionError):
        test_there_are_no_import_cycles()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(PROJECT_ROOT)} has {lines} lines: split it along a seam"
