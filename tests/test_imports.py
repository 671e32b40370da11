"""The package's shape: no import cycles, no module using another module's private names,
no module over 600 lines.

Imports are read from the source (ast), module-level and inside functions alike: an
import deferred into a function to dodge a cycle is still a cycle in the design.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "storyline"
MAX_LINES = 600

# Import cycles allowed (none). An entry would be the set of modules of one cycle (a
# strongly connected component of the import graph); a listed cycle that no longer
# exists fails the test too, so the list cannot go stale.
ALLOWED_CYCLES: list[frozenset[str]] = []

# Imports of another module's private names still allowed: none.
ALLOWED_PRIVATE: set[tuple[str, str]] = set()

# Modules still over MAX_LINES: none.
ALLOWED_LONG: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> list[tuple[str, list[str]]]:
    """(imported storyline module, names taken from it) for every import in `name`."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.startswith("storyline")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storyline"):
            taken = []
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in MODULES:
                    found.append((sub, []))  # `from storyline.web import queries`
                else:
                    taken.append(alias.name)
            if taken:
                found.append((node.module, taken))
    return [(target, taken) for target, taken in found if target in MODULES and target != name]


GRAPH = {name: sorted({target for target, _ in imports_of(name)}) for name in MODULES}


def cycles(graph: dict[str, list[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.add(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": ["b"], "b": []}) == []


def test_no_import_cycles_beyond_the_allowed_ones():
    found = cycles(GRAPH)
    new = [sorted(c) for c in found if c not in ALLOWED_CYCLES]
    assert not new, f"import cycles: {new}"
    gone = [sorted(c) for c in ALLOWED_CYCLES if c not in found]
    assert not gone, f"these cycles are gone: remove them from ALLOWED_CYCLES: {gone}"


def test_no_module_imports_another_modules_private_names():
    private = {(name, target, n) for name in MODULES for target, taken in imports_of(name)
               for n in taken if n.startswith("_") and not n.startswith("__")}
    new = sorted(p for p in private if p[:2] not in ALLOWED_PRIVATE)
    assert not new, f"private names imported across modules: {new}"
    gone = sorted(pair for pair in ALLOWED_PRIVATE if pair not in {p[:2] for p in private})
    assert not gone, f"no private imports left here: remove them from ALLOWED_PRIVATE: {gone}"


def test_no_module_is_over_600_lines():
    long = {name for name, path in MODULES.items() if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES}
    assert not sorted(long - ALLOWED_LONG), f"modules over {MAX_LINES} lines: {sorted(long - ALLOWED_LONG)}"
    assert not sorted(ALLOWED_LONG - long), f"short enough now: remove from ALLOWED_LONG: {sorted(ALLOWED_LONG - long)}"
