"""The ETL core imports in one direction: no cycle among its modules (imports
inside functions count too), no module imports another's ``_private`` name,
and no project import hides inside a function except where it saves start-up
time (listed below, with the reason). tests/test_layers.py checks the arrows
between the packages; this is the same rule inside etl/."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from tests.conftest import ROOT

# imports inside functions that are not there to dodge a cycle
LAZY = {"etl.sandbox": "imports nothing heavy at import time, so warm() starts the worker before the caller's imports"}
# the shim that keeps `python -m etl` working (it imports the application shell, pantau/): not part of the core
NOT_CORE = {"etl.__main__"}


def _imports() -> dict[str, list[tuple[str, tuple[str, ...], bool, int]]]:
    """module -> [(imported etl module, names, inside a function?, line)]."""
    found: dict[str, list] = {}
    for path in sorted((ROOT / "etl").glob("*.py")):
        module = f"etl.{path.stem}"
        if module in NOT_CORE or path.stem == "__init__":
            continue
        found[module] = []

        def visit(node, in_function: bool):
            for child in ast.iter_child_nodes(node):
                inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, ast.ImportFrom) and (child.module or "").split(".")[0] == "etl":
                    names = tuple(a.name for a in child.names)
                    if child.module == "etl":  # from etl import parse
                        for name in names:
                            found[module].append((f"etl.{name}", (), inside, child.lineno))
                    else:
                        found[module].append((child.module, names, inside, child.lineno))
                elif isinstance(child, ast.Import):
                    for alias in child.names:
                        if alias.name.split(".")[0] == "etl":
                            found[module].append((alias.name, (), inside, child.lineno))
                visit(child, inside)

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_the_etl_core_imports_in_one_direction():
    imports = _imports()
    graph = {m: {target for target, _, _, _ in found if target != m} for m, found in imports.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"a cycle among etl's modules: {' -> '.join(exc.args[1])}") from None
    private = [f"{m}:{line} imports {target}.{name}" for m, found in imports.items()
               for target, names, _, line in found for name in names if name.startswith("_")]
    assert not private, private
    hidden = [f"{m}:{line} imports {target} inside a function" for m, found in imports.items()
              for target, _, inside, line in found if inside and m not in LAZY]
    assert not hidden, hidden
    assert order.index("etl.cells") < order.index("etl.layout") < order.index("etl.validate") \
        < order.index("etl.matrix") < order.index("etl.pipeline"), order
