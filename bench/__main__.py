"""``python -m bench [--size smoke|full] [--only WORKLOAD] [--work FOLDER]``: run
the benchmarks, print the results table and write it with a description of
the machine to ``bench/RESULTS.md`` (a full run) or ``RESULTS-smoke.md`` in
the work folder (a smoke run, so CI never overwrites the recorded figures).
A full run of some workloads only (``--only``) merges its rows into the
recorded file: the other workloads keep their figures, and the header says
which workloads were rerun when (``--whole`` writes the run alone).

The work folder (generated inputs) is ``bench/work/`` unless ``--work`` names
another (the smoke test uses a temporary one, so tests write nothing into the
checkout).

Workloads are modules listed in ``WORKLOADS``, each with ``NAME``,
``DESCRIPTION`` and ``run(size, work)``: reading a big export (issue 3); the
national warehouse (generated once into ``bench/work/`` and reused; the
generation is timed), a big upload end to end, the pages' queries, the
server's memory and the overview in the browser at national scale (issue 8);
the warehouse on DuckLake with a PostgreSQL catalog against the file (issue 17).
"""

from __future__ import annotations

import argparse
import os
import importlib
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python bench/__main__.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SIZES, WORK, command_line, machine, merge_results, table, write_results

WORKLOADS = {"reading": "bench.reading", "national": "bench.national", "ingest": "bench.ingest",
             "pages": "bench.pages", "memory": "bench.memory", "browser": "bench.browser", "lake": "bench.lake"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="full", help="smoke: tiny inputs, seconds (for CI)")
    parser.add_argument("--only", action="append", choices=sorted(WORKLOADS), help="run only this workload")
    parser.add_argument("--results", type=Path, help="where to write the results (Markdown)")
    parser.add_argument("--whole", action="store_true",
                        help="with --only: overwrite the results file with this run alone instead of merging "
                             "its rows into the recorded ones")
    parser.add_argument("--work", type=Path, default=WORK,
                        help="folder for generated inputs and the smoke results (default: bench/work/)")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the national warehouse again even if the work folder holds one")
    args = parser.parse_args(argv)
    if args.regenerate:
        os.environ["BENCH_REGENERATE"] = "1"
    sys.path.insert(0, str(ROOT))
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    rows, descriptions, gaps = [], {}, {}
    for name in args.only or list(WORKLOADS):
        module = importlib.import_module(WORKLOADS[name])
        print(f"running {name} ({args.size}) ...", file=sys.stderr, flush=True)
        rows += module.run(args.size, work)
        descriptions[module.NAME] = module.DESCRIPTION
        gaps[module.NAME] = getattr(module, "GAPS", "")
    print(table(rows))
    print()
    for key, value in info.items():
        print(f"{key}: {value}")
    target = args.results or (ROOT / "bench" / "RESULTS.md" if args.size == "full" else work / "RESULTS-smoke.md")
    # a partial run (--only) into an existing results file keeps the other workloads' recorded rows
    write = merge_results if args.only and args.size == "full" and not args.whole else write_results
    write(target, rows, command_line(), args.size, descriptions, info, gaps)
    print(f"\nwritten to {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
