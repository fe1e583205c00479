"""``python -m bench --size smoke`` runs every benchmark on tiny inputs and
prints the results table. Benchmarks are not timed tests: nothing here
asserts a speed."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_every_benchmark_runs_at_smoke_size():
    recorded = ROOT / "bench" / "RESULTS.md"
    before = recorded.read_bytes() if recorded.exists() else None
    run = subprocess.run([sys.executable, "-m", "bench", "--size", "smoke"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == ["workload", "figure", "ours", "baseline", "ratio",
                                                                    "target", "met"]
    rows = [line for line in lines[2:] if line.startswith("| ")]
    from bench.__main__ import WORKLOADS

    assert {r.split("|")[1].strip() for r in rows} == set(WORKLOADS)
    assert all(r.split("|")[7].strip() == "n/a (smoke)" for r in rows)  # tiny inputs are never judged
    assert any(line.startswith("CPU: ") for line in lines) and any(line.startswith("Python: ") for line in lines)
    smoke = ROOT / "bench" / "work" / "RESULTS-smoke.md"
    assert "| workload | figure" in smoke.read_text(encoding="utf-8")
    # a smoke run never overwrites the recorded full-size results
    assert (recorded.read_bytes() if recorded.exists() else None) == before
