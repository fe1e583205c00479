"""``python -m bench --size smoke`` runs every benchmark on tiny inputs and
prints the results table. Benchmarks are not timed tests: nothing here
asserts a speed. The browser and memory workloads drive the real dashboard in
headless Chromium; where Chromium (or Playwright) is missing they print a
"skipped" row saying why, as the browser tests skip. The lake workload needs
PostgreSQL (tests/lake.py) and skips the same way where it is missing."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_every_benchmark_runs_at_smoke_size(tmp_path):
    recorded = ROOT / "bench" / "RESULTS.md"
    before = recorded.read_bytes() if recorded.exists() else None
    work = tmp_path / "work"  # generated inputs and the smoke results: nothing written into the checkout
    run = subprocess.run([sys.executable, "-m", "bench", "--size", "smoke", "--work", str(work)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == ["workload", "figure", "ours", "baseline", "ratio",
                                                                    "target", "met"]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[2:] if line.startswith("| ")]
    from bench.__main__ import WORKLOADS
    from bench.server import browser_missing
    from tests import lake

    assert {r[0] for r in rows} == set(WORKLOADS)
    assert all(r[6] == "n/a (smoke)" for r in rows)  # tiny inputs are never judged
    skipped = {r[0] for r in rows if r[1].startswith("skipped")}
    assert skipped <= {"memory", "browser", "lake"}
    if browser_missing() is None:
        assert not skipped - {"lake"}, [r for r in rows if r[0] in skipped]
    # the lake against the file: every part measured, or one row saying why not
    on_lake = [r[1] for r in rows if r[0] == "lake"]
    if lake.missing():
        assert on_lake == [f"skipped: {lake.missing()}"]
    else:
        expected = (["`migrate --to-lake` of the national warehouse ("]
                    + [f"{page}, default view: " for page in ("ringkasan (overview)", "peminjaman", "kunjungan",
                                                              "kelengkapan", "riwayat")]
                    + ["monthly upload (the latest month of one unit, ",
                       "2 uploads at once (2 units' 2026-10 SLiMS loans, 150 rows each, `python -m etl load` processes)",
                       "reader on the lake during the 2 uploads: ", "reader on the file during the 2 uploads: ",
                       "two servers on one lake: " if browser_missing() is None else "skipped (two servers): "])
        assert len(on_lake) == len(expected) and all(f.startswith(e) for f, e in zip(on_lake, expected)), on_lake
    assert any(line.startswith("CPU: ") for line in lines) and any(line.startswith("Python: ") for line in lines)
    smoke = work / "RESULTS-smoke.md"
    assert f"written to {smoke}" in run.stdout  # the work folder given, not bench/work/
    text = smoke.read_text(encoding="utf-8")
    assert "| workload | figure" in text
    assert "Warning, the usual way disagrees" not in text
    if not lake.missing():  # every upload committed on both backends, and the second server saw the loads
        assert "- Uploads on the file: 2 of 2 committed;" in text and "- Uploads on the lake: 2 of 2 committed;" in text
        assert "Problem on the second server" not in text
    # a smoke run never overwrites the recorded full-size results
    assert (recorded.read_bytes() if recorded.exists() else None) == before
