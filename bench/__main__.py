"""``python -m bench [--size smoke|full] [--only WORKLOAD]``: run the
benchmarks, print the results table and write it with a description of the
machine to ``bench/RESULTS.md`` (a full run) or ``bench/work/RESULTS-smoke.md``
(a smoke run, so CI never overwrites the recorded figures).

Workloads are modules listed in ``WORKLOADS``; later ones (ingest into DuckDB
end to end, page queries at national scale, memory, browser timing) add a
module with the same ``NAME``/``DESCRIPTION``/``run(size, work)`` and a line here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python bench/__main__.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SIZES, WORK, command_line, machine, table, write_results

WORKLOADS = {"reading": "bench.reading"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="full", help="smoke: tiny inputs, seconds (for CI)")
    parser.add_argument("--only", action="append", choices=sorted(WORKLOADS), help="run only this workload")
    parser.add_argument("--results", type=Path, help="where to write the results (Markdown)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    rows, descriptions = [], {}
    for name in args.only or list(WORKLOADS):
        module = importlib.import_module(WORKLOADS[name])
        print(f"running {name} ({args.size}) ...", file=sys.stderr, flush=True)
        rows += module.run(args.size, WORK)
        descriptions[module.NAME] = module.DESCRIPTION
    print(table(rows))
    print()
    for key, value in info.items():
        print(f"{key}: {value}")
    target = args.results or (ROOT / "bench" / "RESULTS.md" if args.size == "full" else WORK / "RESULTS-smoke.md")
    write_results(target, rows, command_line(), args.size, descriptions, info)
    print(f"\nwritten to {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
