"""A big upload end to end (issue 8): ``python -m etl load`` of a 200,000-row
SLiMS loan history (the ``reading`` workload's file) into a warehouse holding
the facility register, against:

* the floor: the fastest reader (fastexcel) only reading the file into Arrow,
  run the same way, as a command (``python -c``: interpreter start, import,
  read);
* the usual way, as a command too: ``pandas.read_excel`` with openpyxl, the
  same parsers applied row by row in Python, and the rows inserted into the
  same DuckDB table (from a DataFrame, the fast way to insert).

Ours: read, find the table and its facility, normalise, validate every cell,
pseudonymise the member ids, then in one transaction the batch, its staging
rows, its facility-months, the cells in force and the marts for those
facility-months; the process exits after DuckDB's checkpoint. Every run starts
from a fresh copy of the same small warehouse. Ours and the floor are timed
alternately. Targets: within 1.5x the floor, and at least 8x faster than the
usual way (ratio at most 0.125).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import reading
from bench.common import ROOT, Row, Timing

NAME = "ingest"
DESCRIPTION = __doc__
REPEATS = {"smoke": (0, 1), "full": (1, 5)}

FLOOR = "import sys, fastexcel; fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=None, eager=True)"

USUAL = r'''
import datetime as dt, sys, duckdb, pandas as pd
sys.path.insert(0, sys.argv[3])
from bench.reading import options, usual_way
path, db = sys.argv[1], sys.argv[2]
records = usual_way(path, options(), int(sys.argv[4]))
frame = pd.DataFrame.from_records(records)
con = duckdb.connect(db)
con.execute("BEGIN TRANSACTION")
batch = con.execute("""INSERT INTO batch (dataset, file_name, sha256, loaded_by, loaded_at, received_at, rows_read,
    rows_loaded, rows_rejected, accept_valid) VALUES ('loans', ?, '-', 'usual', now(), now(), ?, ?, 0, false)
    RETURNING batch_id""", [path, len(frame), len(frame)]).fetchone()[0]
con.register("frame", frame)
con.execute("""INSERT INTO stg_loan (batch_id, facility_code, month, loan_date, item_code, title, borrower_key,
    due_date, returned, service, n_loans, is_recap) SELECT ?, facility_code, month, loan_date, item_code, title,
    borrower_key, due_date, returned, 'perpustakaan', n_loans, false FROM frame""", [batch])
con.execute("COMMIT")
con.close()
'''


class Warehouse:
    """A small warehouse (the register, a secret key) copied fresh for every run."""

    def __init__(self, work: Path):
        self.folder = Path(tempfile.mkdtemp(prefix="ingest-", dir=work))
        self.template = self.folder / "template.duckdb"
        from warehouse.ingest import make_options
        from warehouse.db import using

        with using(self.env(self.folder / "template")):
            make_options()   # creates the schema, seeds the register, creates the key
        (self.folder / "template").rename(self.folder / "seed")
        self.seed = self.folder / "seed"
        self.n = 0

    @staticmethod
    def env(folder: Path) -> dict[str, str]:
        return {"PANTAU_DB": str(folder / "pantau.duckdb"), "PANTAU_SECRET_FILE": str(folder / "secret.key"),
                "PANTAU_ORIGINALS_DIR": str(folder / "originals"), "PANTAU_LANG": "id",
                "PANTAU_TODAY": "2026-11-21"}

    def fresh(self) -> dict[str, str]:
        self.n += 1
        target = self.folder / f"run{self.n}"
        shutil.copytree(self.seed, target)
        return self.env(target)

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-1500:]}")
    return took


def ours(path: Path, wh: Warehouse) -> float:
    # the generated histories end with a short month, which the anomaly check flags: loaded with a note
    return _run([sys.executable, "-m", "etl", "load", str(path), "--user", "bench", "--note", "bench"], wh.fresh())


def floor(path: Path) -> float:
    return _run([sys.executable, "-c", FLOOR, str(path)])


def usual(path: Path, wh: Warehouse, rows: int) -> float:
    env = wh.fresh()
    return _run([sys.executable, "-c", USUAL, str(path), env["PANTAU_DB"], str(ROOT), str(rows)], env)


def breakdown(path: Path, wh: Warehouse) -> str:
    """Where ours spends its time, measured in this process (one run)."""
    env = wh.fresh()
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        start = time.perf_counter()
        _run([sys.executable, "-c", "import pantau.cli, warehouse.load, etl.pipeline"])
        imports = time.perf_counter() - start
        from warehouse.ingest import make_options
        from etl.pipeline import read_file
        from warehouse import marts
        from warehouse.db import release
        from warehouse.load import load_file

        start = time.perf_counter()
        opts = make_options()
        t_opts = time.perf_counter() - start
        start = time.perf_counter()
        result = read_file(path, opts)
        t_read = time.perf_counter() - start
        refresh = []
        original = marts.refresh

        def timed(con, touched, datasets=None):
            s = time.perf_counter()
            n = original(con, touched, datasets)
            refresh.append(time.perf_counter() - s)
            return n

        marts.refresh = timed
        try:
            start = time.perf_counter()
            load_file(result, loaded_by="bench")
            t_load = time.perf_counter() - start
        finally:
            marts.refresh = original
        start = time.perf_counter()
        release()
        t_close = time.perf_counter() - start
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return (f"Where ours spends its time (in-process, one run): interpreter start and imports {imports:.2f} s; "
            f"options (open the warehouse, read the register) {t_opts:.2f} s; read_file {t_read:.2f} s; "
            f"load_file {t_load:.2f} s (of which marts.refresh {refresh[0] if refresh else 0:.2f} s); "
            f"closing the warehouse (checkpoint) {t_close:.2f} s.")


def run(size: str, work: Path) -> list[Row]:
    rows = reading.ROWS[size]
    path = reading.input_file(size, work)
    full = size == "full"
    warmup, repeats = REPEATS[size]
    wh = Warehouse(work)
    try:
        for _ in range(warmup):
            floor(path)
            ours(path, wh)
        mine, base = [], []
        for _ in range(repeats):
            base.append(floor(path))
            mine.append(ours(path, wh))
        ratios = sorted(a / b for a, b in zip(mine, base))
        the_usual = Timing([usual(path, wh, rows)])
        where = breakdown(path, wh)
    finally:
        wh.cleanup()
    mine_t, base_t = Timing(mine), Timing(base)
    label = f"{rows:,}-row SLiMS loan history (.xlsx, {path.stat().st_size / 1e6:.1f} MB)"
    return [
        Row(NAME, f"{label}: `python -m etl load` end to end vs the floor (fastexcel only reading it, as a command)",
            mine_t, base_t, statistics.median(ratios), target=1.5, judged=full,
            notes=[f"etl load / floor per pair of runs: {', '.join(f'{r:.2f}' for r in ratios)}.", where]),
        Row(NAME, f"{label}: `python -m etl load` vs the usual way (pandas + openpyxl, per-row checks, insert into "
                  f"DuckDB, as a command)", mine_t, the_usual, mine_t.median / the_usual.median, target=0.125,
            judged=full, target_text="≤ 0.125× (8× faster)"),
    ]


GAPS = """
The floor only starts Python, imports fastexcel (0.04 s) and reads the sheet into Arrow (about
0.8 s). ``python -m etl load`` additionally (see "Where ours spends its time" above):

* imports the ETL and the warehouse: about 0.6 s, half of it pandas (``python -X importtime``);
* reads, finds the table, validates every cell and pseudonymises (``etl.pipeline.read_file``): about
  1.3 s, 1.4-1.6× fastexcel alone (the ``reading`` workload);
* loads in one transaction: the 200,000 staging rows (0.3 to 0.6 s, mostly DuckDB compressing and
  writing them), the marts of the 24 facility-months the file covers (0.3 to 0.5 s), commit and
  checkpoint (0.1 s).

So even a free load would leave ours near 2× the floor: the 1.5× target needs the ETL to read into
Arrow and validate with vectorised Arrow/DuckDB expressions without importing pandas (a rewrite of
``etl/pipeline.py``'s reading path, left for its own issue: it would touch every format of issue 3). On the warehouse side the refresh now reads only the batches of the dataset it
refreshes (``marts.refresh``: one batch-id range per dataset instead of one for all), which keeps a
monthly upload's refresh within a few hundred milliseconds at national scale. The 8× against the
usual way (pandas + openpyxl, 20 to 30 s) is met or missed by a few tenths of a second depending on
the machine's load (7.9× in the recorded run).
"""
