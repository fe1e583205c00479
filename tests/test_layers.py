"""Imports point one way: etl < warehouse < ui < reports < pages, dashboard.py < pantau.

A package may import those to its left, never one to its right (at the top of a module or inside
a function alike), and etl/ and warehouse/ never import Streamlit. The one exception is
etl/__main__.py, the shim that keeps ``python -m etl`` working by calling the shell (pantau).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"etl": 0, "warehouse": 1, "ui": 2, "reports": 3, "pages": 4, "dashboard": 4, "pantau": 5}
NO_STREAMLIT = {"etl", "warehouse"}
ALLOWED = {("etl/__main__.py", "pantau")}


def imports() -> list[tuple[str, str, str, int]]:
    """(package, imported package, file, line) for every import of a project package or Streamlit."""
    found = []
    for file in sorted(ROOT.glob("*.py")) + sorted(f for p in LAYERS for f in (ROOT / p).rglob("*.py")):
        rel = file.relative_to(ROOT).as_posix()
        package = rel.split("/")[0].removesuffix(".py")
        if package not in LAYERS:
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), rel)):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                target = name.split(".")[0]
                if target != package and (target in LAYERS or target == "streamlit"):
                    found.append((package, target, rel, node.lineno))
    return found


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every package that can reach itself, with the path back."""
    found = []
    for start in LAYERS:
        stack = [[start]]
        while stack:
            path = stack.pop()
            for a, b in sorted(edges):
                if a == path[-1] and b == start:
                    found.append(path + [b])
                elif a == path[-1] and b not in path:
                    stack.append(path + [b])
    return found


def test_imports_point_one_way():
    found = imports()
    allowed = [(p, t, f, n) for p, t, f, n in found if (f, t) in ALLOWED]
    assert allowed, "the etl/__main__.py shim no longer calls pantau: drop it from ALLOWED"
    edges = {(p, t) for p, t, f, n in found if (f, t) not in ALLOWED and t in LAYERS}
    graph = "\n".join(f"  {a} -> {', '.join(sorted(b for x, b in edges if x == a)) or '-'}" for a in LAYERS)
    upward = [f"{f}:{n} ({p} imports {t})" for p, t, f, n in found if (f, t) not in ALLOWED
              and (t == "streamlit" and p in NO_STREAMLIT or t in LAYERS and LAYERS[t] > LAYERS[p])]
    loops = [" -> ".join(c) for c in cycles(edges)]
    assert not upward and not loops, (f"package graph:\n{graph}\nupward imports:\n  " + "\n  ".join(upward)
                                      + "\ncycles:\n  " + "\n  ".join(loops))
    print(f"package graph (no upward import, no cycle):\n{graph}")


def test_the_check_sees_a_cycle():
    assert cycles({("ui", "warehouse"), ("warehouse", "etl"), ("etl", "ui")})
    assert not cycles({("ui", "warehouse"), ("warehouse", "etl"), ("pantau", "ui")})
