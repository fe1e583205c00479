"""The warehouse on DuckLake against the DuckDB file (issue 17), side by side in one run on the
national warehouse.

The lake: a throw-away PostgreSQL cluster (``tests/lake.py``: ``initdb`` in a temporary folder, a free
port on 127.0.0.1, stopped at the end) holds the catalog, the data files go under the work folder, and
``warehouse.move.to_lake`` copies the national warehouse into it (timed: the first row). The file: a copy
of the same national warehouse, so the loads below leave the cached one as it was. Both start from the
same rows; everything below runs on both, the file first, then the lake:

* 8 uploads at once (2 at smoke size): a month of SLiMS loans (one row per loan) for 8 different units that have not yet
  reported the latest month, each a separate ``python -m etl load`` process started at the same moment;
  the wall time until the last one has committed and exited. On the file they take turns on the one
  database file; on the lake they queue for the writers' turn (an advisory lock of the PostgreSQL
  catalog, ``warehouse.db``) and each commits once, one after another; every write still changes one
  token row, so a writer that did not queue and lost a race would run its transaction again.
* A reader meanwhile: a thread of this process runs the overview's queries (``bench.pages``, default
  view: last 12 months, every unit) again and again while the uploads run; median and p95 of a whole
  page's queries against the same page measured with nothing else running (idle). Target: the lake's
  p95 during the uploads within 1.5x its idle median. On the file, a reader waits while a loader holds
  the file: that waiting is in its figures.
* Page queries: a few pages' queries (default view), lake against file, timed in alternating blocks;
  what reading Parquet through the PostgreSQL catalog costs. A monthly upload's ``marts.refresh`` on the
  lake (``bench.pages``: one big unit's latest month, a rolled-back dry run; target under 1 s).
* Two dashboard servers (``python -m etl serve``) on one lake: a headless Chromium signed in on the
  second server; a loader beside the first commits a unit's month, and the browser reloads the second
  server's overview until its loans KPI shows the new total. The figure is the time from the commit to
  that page showing it, including the page's own run (about 1 to 2 s at national scale). Target 5 s.

The machine has 2 cores shared with other sessions (the load average is in the header): 8 loader
processes and a reader on 2 cores measure CPU contention as much as either backend.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import national
from bench.common import ROOT, Row, Timing

NAME = "lake"
DESCRIPTION = __doc__
UPLOADERS = {"smoke": 2, "full": 8}                  # uploads at once
ROWS = {"smoke": 150, "full": 3_000}                 # loan rows per monthly upload
REPEATS = {"smoke": (0, 2), "full": (1, 7)}          # page queries: warm-up, timed runs
IDLE_RUNS = {"smoke": 2, "full": 16}
VISIBILITY_RUNS = {"smoke": 1, "full": 2}
PAGES = ("ringkasan (overview)", "peminjaman", "kunjungan", "kelengkapan", "riwayat")
HEADER = ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
          "Status peminjaman"]
DURING_TARGET = 1.5
REFRESH_LIMIT = 1.0
VISIBLE_LIMIT = 5.0
NOTE = "Unggahan uji beban (bench)."  # a figure the checks ask about is accepted, as an uploader would


def missing() -> str | None:
    """Why the lake cannot be measured here (PostgreSQL or the extension wheels missing), or None."""
    from tests import lake

    return lake.missing()


# ------------------------------------------------------------------ inputs
def slims_month(path: Path, month: dt.date, rows: int, seed: int) -> Path:
    """A unit's SLiMS loan history for one month, written as SLiMS exports it."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Sheet1")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    first = dt.datetime(month.year, month.month, 1)
    for r in range(1, rows + 1):
        member = rng.randrange(1, 400)
        day = first + dt.timedelta(days=rng.randrange(28))
        sheet.write_string(r, 0, f"{member:04d}")
        sheet.write_string(r, 1, f"Anggota {member}")
        sheet.write_string(r, 2, f"B{seed:03d}{r:06d}")
        sheet.write_string(r, 3, f"Judul Buku Nomor {rng.randrange(600)}")
        sheet.write_datetime(r, 4, day, date_fmt)
        sheet.write_datetime(r, 5, day + dt.timedelta(days=7), date_fmt)
        sheet.write_number(r, 6, rng.randrange(2))
    book.close()
    return path


def quiet_units(n: int) -> list[str]:
    """``n`` units: first those that have not reported the latest month's loans yet (SLiMS units, most
    loans first), then (on a small warehouse) units whose report the upload replaces."""
    from warehouse.db import connect

    with connect() as con:
        last = con.execute("SELECT max(month) FROM current_cell WHERE dataset = 'loans'").fetchone()[0]
        rows = con.execute("""
            SELECT f.code FROM facility f JOIN mart_activity_month a ON a.facility_code = f.code
            WHERE f.holds_inmates
            GROUP BY f.code
            ORDER BY f.code IN (SELECT facility_code FROM current_cell WHERE dataset = 'loans' AND month = ?),
                     max(a.loan_lines) = 0, sum(a.loans) DESC, f.code LIMIT ?""", [last, n]).fetchall()
    if len(rows) < n:
        raise RuntimeError(f"only {len(rows)} units; {n} needed")
    return [r[0] for r in rows]


# ---------------------------------------------------------------- the parts
def load_command(path: Path, unit: str) -> list[str]:
    return [sys.executable, "-m", "etl", "load", str(path), "--facility", unit, "--user", "bench", "--note", NOTE,
            "--replace-anyway"]


def reader_runs(calls, stop: threading.Event, out: list[float]) -> None:
    """Run the page's queries again and again until ``stop``; each whole page's time into ``out``."""
    while not stop.is_set():
        start = time.perf_counter()
        for _, fn in calls:
            fn()
        out.append(time.perf_counter() - start)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * (len(ordered) - 1))))]


class Summary(Timing):
    """Latencies shown as median and p95 (and how many)."""

    def __str__(self) -> str:
        return f"median {self.median * 1000:.0f} ms, p95 {p95(self.runs) * 1000:.0f} ms (n={len(self.runs)})"


def uploads_at_once(env: dict[str, str], files: list[tuple[Path, str]], calls) -> tuple[float, list, list[float]]:
    """Start a loader per file at the same moment, with a reader running the page's queries meanwhile.
    Returns the wall time until the last loader exited, each loader's (seconds, exit code, last line),
    and the reader's page times."""
    from warehouse import db

    latencies: list[float] = []
    stop = threading.Event()
    with db.using(env):
        for _, fn in calls:  # the reader's connection open, as a server's would be
            fn()
        reader = threading.Thread(target=reader_runs, args=(calls, stop, latencies), daemon=True)
        full_env = {**os.environ, **env}
        start = time.perf_counter()
        procs = [(subprocess.Popen(load_command(path, unit), cwd=ROOT, env=full_env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True), path) for path, unit in files]
        reader.start()
        exits: dict[int, float] = {}

        def wait(k: int, proc) -> None:
            proc.wait()
            exits[k] = time.perf_counter() - start

        waiters = [threading.Thread(target=wait, args=(k, proc), daemon=True) for k, (proc, _) in enumerate(procs)]
        for waiter in waiters:
            waiter.start()
        results = []
        try:
            for k, (proc, path) in enumerate(procs):
                out, _ = proc.communicate(timeout=1800)
                waiters[k].join(10)
                lines = [line for line in out.splitlines() if line.strip()]
                results.append((exits.get(k, time.perf_counter() - start), proc.returncode,
                                lines[-1] if lines else ""))
        finally:
            for proc, _ in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            wall = time.perf_counter() - start
            stop.set()
            reader.join(300)
    return wall, results, latencies


def idle_page(env: dict[str, str], calls, runs: int) -> list[float]:
    from warehouse import db

    out: list[float] = []
    with db.using(env):
        for _, fn in calls:
            fn()
        for _ in range(runs):
            gc.collect()
            start = time.perf_counter()
            for _, fn in calls:
                fn()
            out.append(time.perf_counter() - start)
    return out


def visibility(env: dict[str, str], work: Path, files: list[tuple[Path, str]]) -> tuple[list[float], list[float], list[str]]:
    """Two servers on the lake; per file, a load beside the first, then the second's overview reloaded
    until its loans KPI changes. Returns (commit-to-visible seconds, loads' seconds, problems, page loads
    needed per commit, the same page's time just before the commit: no new data, cache warm)."""
    from bench import server
    from etl.pipeline import read_file
    from tests.browser import kpi
    from warehouse import db
    from warehouse.ingest import make_options
    from warehouse.load import load_file

    seen, loads, problems, polls, warm = [], [], [], [], []
    with server.dashboard(env, work / "lake-server-a.log") as (one, _), \
            server.dashboard(env, work / "lake-server-b.log") as (other, _), server.browser() as page:
        server.sign_in(page, other, national.BENCH_USER, national.BENCH_PASSWORD)

        def loans_shown() -> str:
            page.goto(other + "/")
            card = page.locator("[data-testid='stMetric']").filter(has_text="Peminjaman").first
            card.locator("[data-testid='stMetricValue']").wait_for(timeout=120000)
            return kpi(page, "Peminjaman")

        before = loans_shown()  # warm-up: the second server's first run
        with db.using(env):
            for path, unit in files:
                start = time.perf_counter()
                before = loans_shown()
                warm.append(time.perf_counter() - start)
                upload = read_file(path, make_options(facility=unit))
                start = time.perf_counter()
                load_file(upload, loaded_by="bench", note=NOTE, replace_anyway=True)
                committed = time.perf_counter()
                loads.append(committed - start)
                polls.append(0)
                while True:
                    polls[-1] += 1
                    now = loans_shown()
                    if now != before:
                        seen.append(time.perf_counter() - committed)
                        break
                    if time.perf_counter() - committed > 60:
                        problems.append(f"{unit}: the second server still showed {now} loans 60 s after the commit")
                        seen.append(60.0)
                        break
                problems.extend(server.exceptions(page))
    return seen, loads, problems, polls, warm


# --------------------------------------------------------------------- run
def _skip(reason: str) -> list[Row]:
    return [Row(NAME, f"skipped: {reason}", Timing([0.0]), None, None, judged=False, notes=[f"Not measured: {reason}."])]


def run(size: str, work: Path) -> list[Row]:
    reason = missing()
    if reason:
        return _skip(reason)
    from tests import lake

    built = national.database(size, work)
    folder = work / f"lake-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cluster = None
    try:
        cluster = lake.Cluster()
        return _run(size, work, folder, built, cluster)
    finally:
        from warehouse import db

        db.release()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _run(size: str, work: Path, folder: Path, built, cluster) -> list[Row]:
    from bench import pages
    from warehouse import db, move

    full = size == "full"
    n_up = UPLOADERS[size]
    warmup, repeats = REPEATS[size]
    base = {**national.environment(size, work), "PANTAU_ORIGINALS_DIR": str(folder / "originals")}
    copy = folder / "file.duckdb"
    shutil.copyfile(built.path, copy)
    file_env = {**base, "PANTAU_DB": str(copy), "PANTAU_CATALOG": "", "PANTAU_DATA_PATH": ""}
    lake_env = {**base, "PANTAU_DB": str(copy), "PANTAU_CATALOG": cluster.database(),
                "PANTAU_DATA_PATH": str(folder / "lake")}
    rows: list[Row] = []

    # the move into the lake
    with db.using(lake_env):
        start = time.perf_counter()
        moved = move.to_lake(copy)
        took = time.perf_counter() - start
    data_mb = sum(p.stat().st_size for p in (folder / "lake").rglob("*") if p.is_file()) / 1e6
    rows.append(Row(NAME, f"`migrate --to-lake` of the national warehouse ({built.path.stat().st_size / 1e6:,.0f} MB "
                          f"file) into an empty lake, summary --json checked on both", Timing([took]), None, None,
                    judged=full, notes=[f"Moved {move.described(moved)}; the lake's data files: {data_mb:,.0f} MB of "
                                        f"Parquet; catalog: PostgreSQL {cluster.bin.parent.name} on 127.0.0.1."]))

    with db.using(file_env):
        view = pages.views()[0]
        units = quiet_units(n_up + VISIBILITY_RUNS[size])
        last = db_last_month()
        upload = pages.upload_for("latest")
    calls = {page: c for page, c in pages.page_calls(view).items() if page in PAGES}
    overview = calls["ringkasan (overview)"]

    # page queries, lake against file, alternating blocks per page
    for page in PAGES:
        with db.using(file_env):
            on_file, _ = pages.time_page(calls[page], warmup, repeats)
        with db.using(lake_env):
            on_lake, per_call = pages.time_page(calls[page], warmup, repeats)
        slowest = max(per_call, key=lambda k: statistics.median(per_call[k]))
        rows.append(Row(NAME, f"{page}, default view: {len(calls[page])} queries, lake vs file", on_lake, on_file,
                        on_lake.median / on_file.median, judged=full,
                        notes=[f"{page} on the lake: slowest {slowest}; per query: {pages._fmt_calls(per_call)}."]))
    # a monthly upload's refresh
    with db.using(file_env):
        refresh_file, whole_file, _ = pages.time_refresh(upload, min(warmup, 1), max(2, repeats // 3))
    with db.using(lake_env):
        refresh_lake, whole_lake, n_cells = pages.time_refresh(upload, min(warmup, 1), max(2, repeats // 3))
    rows.append(Row(NAME, f"monthly upload (the latest month of one unit, {len(upload.frame):,} loan rows): "
                          f"marts.refresh of {n_cells} facility-month(s), lake vs file", refresh_lake, refresh_file,
                    refresh_lake.median / refresh_file.median, limit=REFRESH_LIMIT, judged=full,
                    notes=[f"The whole load_file (rolled back) took {whole_lake} on the lake, {whole_file} on the "
                           f"file."]))

    # 8 uploads at once, a reader meanwhile
    files = []
    for k, unit in enumerate(units):
        path = slims_month(folder / f"{unit}_riwayat_peminjaman_{last:%Y-%m}.xlsx", last, ROWS[size], seed=k)
        files.append((path, unit))
    idle = {"file": [], "lake": []}
    for _ in range(2):  # alternating halves, so a change in the machine's load hits both alike
        idle["file"] += idle_page(file_env, overview, IDLE_RUNS[size] // 2 or 1)
        idle["lake"] += idle_page(lake_env, overview, IDLE_RUNS[size] // 2 or 1)
    walls, during, outcomes = {}, {}, {}
    for name, env in (("file", file_env), ("lake", lake_env)):
        walls[name], outcomes[name], during[name] = uploads_at_once(env, files[:n_up], overview)
    described = {}
    for name in ("file", "lake"):
        done = [o for o in outcomes[name] if o[1] == 0]
        failed = [o for o in outcomes[name] if o[1] != 0]
        described[name] = (f"on the {name}: {len(done)} of {n_up} committed; each loader's exit after the start "
                           f"{', '.join(f'{o[0]:.1f}' for o in sorted(outcomes[name]))} s"
                           + (f"; failed: {'; '.join(o[2] for o in failed)}" if failed else ""))
    n_rows = ROWS[size]
    committed = {name: sum(1 for o in outcomes[name] if o[1] == 0) for name in outcomes}
    rows.append(Row(NAME, f"{n_up} uploads at once ({n_up} units' {last:%Y-%m} SLiMS loans, {n_rows:,} rows "
                          f"each, `python -m etl load` processes): wall time until the last loader exited, lake vs "
                          f"file (committed: lake {committed['lake']} of {n_up}, file {committed['file']} of {n_up})",
                    Timing([walls["lake"]]), Timing([walls["file"]]), walls["lake"] / walls["file"], judged=full,
                    notes=[f"Uploads {described['file']}.", f"Uploads {described['lake']}."]))
    for name in ("lake", "file"):
        d, i = during[name], idle[name]
        if not d:
            d = [float("nan")]
        ratio = p95(d) / statistics.median(i)
        rows.append(Row(NAME, f"reader on the {name} during the {n_up} uploads: the overview's queries, p95 "
                              f"during vs median idle", Summary(d), Summary(i), ratio,
                        target=DURING_TARGET if name == "lake" else None, judged=full,
                        target_text=f"p95 ≤ {DURING_TARGET:g}× idle median" if name == "lake" else None,
                        notes=[f"Reader on the {name}: during the uploads {len(d)} page runs, median "
                               f"{statistics.median(d) * 1000:.0f} ms, p95 {p95(d) * 1000:.0f} ms, max "
                               f"{max(d) * 1000:.0f} ms; idle median {statistics.median(i) * 1000:.0f} ms, "
                               f"p95 {p95(i) * 1000:.0f} ms."]))
    # two servers on one lake
    from bench import server

    why = server.browser_missing()
    if why:
        rows.append(Row(NAME, f"skipped (two servers): {why}", Timing([0.0]), None, None, judged=False,
                        notes=[f"Two servers not measured: {why}."]))
    else:
        seen, loads, problems, polls, warm = visibility(lake_env, folder, files[n_up:])
        rows.append(Row(NAME, "two servers on one lake: a load's commit beside the first until the second's "
                              "overview shows it (one page run included)", Timing(seen), None, None,
                        limit=VISIBLE_LIMIT, judged=full,
                        notes=[f"Two servers: the loads themselves (read, check, commit on the lake) took "
                               f"{', '.join(f'{x:.1f}' for x in loads)} s; commit to visible on the second server "
                               f"{', '.join(f'{x:.1f}' for x in seen)} s, seen at the page load number "
                               f"{', '.join(map(str, polls))} after the commit; the same page just before each commit "
                               f"(no new data, Streamlit's cache warm) took {', '.join(f'{x:.1f}' for x in warm)} s."]
                        + [f"Problem on the second server: {p}" for p in problems]))
    rows[0].notes.append(f"Load average (1, 5, 15 min) at the end of this workload: "
                         f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}.")
    return rows


def db_last_month() -> dt.date:
    from warehouse.db import connect

    with connect() as con:
        return con.execute("SELECT max(month) FROM current_cell WHERE dataset = 'loans'").fetchone()[0]


GAPS = """
Measured on 2 cores shared with other sessions' test runs, so every figure here, the file's included,
moves with the machine's load (this run's load average is in the header and the notes). The ratios
compare both backends under the same load; the limits in seconds suffer from it. The runs of 2026-12-01
show what changed (lake against file):

| run | refresh | 8 uploads | reader p95 / idle median | commit to visible |
|-----|---------|-----------|--------------------------|-------------------|
| 06:19, load 4-9: writers retry on a lost race, refresh redoes every mart | 1.47 s / 0.34 s | 76.6 s / 12.4 s | 10.8x (file 75x) | 5.6, 11.4 s |
| 10:56, load 8-9: writers queue for their turn, refresh redoes the marts of the loaded dataset | 0.81 s / 0.34 s | 63.4 s / 47.9 s (file: 3 of 8 gave up) | 8.9x (file 12.5x) | 9.6, 15.9 s |
| 11:12, load 2: the same, and servers warm a new snapshot ahead | 0.63 s / 0.13 s | 21.4 s / 16.6 s | 7.3x (file 42x) | 25.4, 15.7 s |
| 11:37 (the table above), load 1-7: and the page's own national-scale costs fixed (below) | 0.74 s / 0.16 s | 22.1 s / 36.0 s (file: 3 of 8 gave up) | 5.6x (file 2.0x, its p95 after 3 loaders gave up) | 3.0, 3.7 s |

*A monthly upload's refresh on the lake (target 1 s; met).* ``marts.refresh`` deletes and re-inserts the
affected facility-months' rows of the marts; on the lake each statement also reads the snapshot's file
list from the PostgreSQL catalog and each DELETE and INSERT writes a file (or inlined rows). Profiled
statement by statement, no statement dominated (about 26 of them, 0.8 s warm), so the fix was fewer
statements: a refresh now redoes only the marts made from the datasets the load, undo or restore changed
(``Mart.inputs`` in ``warehouse/marts.py``: a loans upload redoes 7 of the 12 marts; the occupancy,
agreement, package, visit and training marts keep their rows). ``tests/test_marts.py`` checks after every
load, undo and restore of every dataset that the refreshed marts equal a rebuild. What would take it
further: write the staging and mart rows sorted by facility and month so the Parquet statistics prune to
a few files, and ``lake-maintenance`` (merging the small files every load leaves) on a schedule.

*A reader during 8 uploads (target: p95 within 1.5x the idle median; missed, 5.6 to 10.8x).* On the lake
the reader never waits for a writer (it reads the snapshot committed when each query starts), while on the
file its runs wait for a loader to let go of the file (the max in the notes: seconds). What slows it on the
lake is the CPU: 8 loader processes start Python at the same moment, read and check a 3,000-row xlsx each in
a sandboxed worker, and then write one after another, on the same 2 cores as the reader and the PostgreSQL
catalog. Since writers queue, no loader runs its transaction twice any more (before, with 8 writers most
attempts were thrown away at COMMIT), which took a share of the contention away (10.8x to 5.6x), but the 8
starts and reads remain. The target is about reading while others write, which a deployment gets by running
loaders and dashboard servers on different machines (the point of the lake); on one 2-core machine it
cannot be separated from CPU contention, and a fair check needs a reader with a core of its own
(``taskset``), which this machine cannot give.

*8 uploads at once: lake against file (no target).* Writers on the lake queue for their turn (a PostgreSQL
advisory lock of the catalog, ``db._writer_turn``) and each commits once: the loaders' exits in the notes
come 1.3 to 2.2 s apart, each the length of one lake transaction, after the first one's start, read and
check (76.6 s for the 8 with retries, 21 to 22 s queued on a quiet machine). The file serialises writers on
its lock, with shorter transactions, but a loader that waits longer than ``PANTAU_LOCK_TIMEOUT`` (30 s) gives
up with its one sentence (3 of the 8 in two of the runs); on the lake a writer waits as long as the queue
moves and gives up only when the writer ahead of it has held the turn that long.

*Two servers (target 5 s; met, 3.0 and 3.7 s).* The second server keys its cache on the lake's latest
snapshot id, so the first page load after the commit shows the new figures (page load number 1 in the
notes). That load used to pay for every query of the overview on the new snapshot, and the page's own work,
which at national scale was most of it: sampling the server's threads (11:12 run, 15 to 57 s per page)
showed the overview's run spending seconds in the per-unit completeness status (a Python lambda per unit
of 530, now one vectorised groupby), in placing 530 map labels against each other (the map now names its
40 biggest points; the province has fewer units), and Streamlit's file watcher walking the project folder
(now off: ``.streamlit/config.toml``). Each server also warms ahead (``ui.data.warm_ahead``): a thread reads
the snapshot id every second and, when it changes, runs the calls its pages made in the last 15 minutes for
the new snapshot, so the next view reads them from memory.
"""
