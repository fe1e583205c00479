"""The warehouse on DuckLake with a PostgreSQL catalog (issue 17): several loader processes at once on
one lake all commit, and two corrections of the same facility-month at once never store half of either:
the one that commits second runs again from the lake's new snapshot, or reports in one sentence.

The lake is a fresh database of a throw-away PostgreSQL cluster (tests/lake.py); the other backend's
runs of the warehouse tests are in test_batches, test_notes, test_flags and test_accounts."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import pytest

from etl.pipeline import read_file
from tests.conftest import ROOT
from tests.files import write_xlsx
from tests.lake import bin_dir
from warehouse import db, marts, schema
from warehouse.ingest import make_options
from warehouse.load import load_file
from warehouse.queries import batches, summary

pytestmark = pytest.mark.slow  # a PostgreSQL cluster and loader processes

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
UNITS = [("Lapas Banjarmasin", "lapas-banjarmasin"), ("Lapas Kotabaru", "lapas-kotabaru"),
         ("Lapas Amuntai", "lapas-amuntai"), ("Lapas Banjarbaru", "lapas-banjarbaru")]


def recap(folder, name: str, rows: list[list]):
    return write_xlsx(folder / name, {"Peminjaman": [HEADER, *rows]})


def etl(*args: str, **popen) -> subprocess.Popen:
    """``python -m etl *args`` in its own process, on the lake the test's environment names."""
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def snapshot() -> dict[str, list]:
    """Every row of every table of the warehouse, to compare the whole lake."""
    with db.connect() as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' ORDER BY table_name").fetchall()]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_migrations_for_the_lake_drop_only_keys_and_sequences():
    """DuckLake has no primary keys and no sequences: the migrations lose exactly those, nothing else."""
    sql = schema.MIGRATIONS[0]
    lake = schema.for_lake(sql)
    assert "PRIMARY KEY" not in lake and "SEQUENCE" not in lake and "nextval" not in lake
    assert lake.replace(" ", "") == (sql.replace(" PRIMARY KEY DEFAULT nextval('batch_id_seq')", "")
                                     .replace("CREATE SEQUENCE batch_id_seq START 1;", "")
                                     .replace("code VARCHAR PRIMARY KEY", "code VARCHAR")).replace(" ", "")
    assert schema.for_lake("CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR, PRIMARY KEY (a, b));") == \
        "CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR);"


def test_a_lake_is_made_and_read_through_the_same_sql(lake_env):
    """A new lake gets every table of the file's schema and the schema version; its data version is the
    lake's snapshot id and changes with every commit."""
    with db.connect() as con:
        assert db.con_is_lake(con)
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")
                  .fetchall()}
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == str(len(schema.MIGRATIONS))
    assert tables == {t for t in schema.KEYS if t not in {"occupancy_in_force", "agreement_in_force",
                                                          "package_in_force", "note_in_force"}} | set(marts.GRAIN)
    before = db.data_version()
    path = recap(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 10]])
    assert load_file(read_file(path, make_options()), loaded_by="sari").batches[0].batch_id == 1
    after = db.data_version()
    assert int(after.split("@")[0]) > int(before.split("@")[0]) and after.split("@")[1] == before.split("@")[1]
    # the version names its lake; when it was committed is the snapshot's time
    assert abs(db.changed_at(after) / 1e9 - time.time()) < 120
    assert summary() == [{"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 10}]


def test_four_loaders_at_once_on_one_lake_all_commit(lake_env, monkeypatch):
    """Four uploads for four units started at the same moment in four processes: every one commits, and
    what the lake holds is exactly their sum. They take turns (the catalog's advisory lock), so each
    writes once: with no second try allowed (PANTAU_LAKE_RETRIES=1) none of them loses a commit race."""
    paths = [recap(lake_env, f"u{i}.xlsx", [[name, "Agustus 2024", "Agama", 10 * (i + 1)],
                                            [name, "September 2024", "Fiksi", i + 1]])
             for i, (name, _) in enumerate(UNITS)]
    with db.connect():
        pass  # the lake's schema exists before the loaders race (their own race is the next test's)
    monkeypatch.setenv("PANTAU_LAKE_RETRIES", "1")
    loaders = [etl("load", str(p), "--user", f"petugas{i}") for i, p in enumerate(paths)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in loaders]
    for p in loaders:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], [err for _, err in results]
    expected = sorted([{"dataset": "loans", "facility": code, "month": "2024-08", "value": 10 * (i + 1)}
                       for i, (_, code) in enumerate(UNITS)]
                      + [{"dataset": "loans", "facility": code, "month": "2024-09", "value": i + 1}
                         for i, (_, code) in enumerate(UNITS)], key=lambda r: (r["facility"], r["month"]))
    shown = etl("summary", "--json")
    out, err = shown.communicate(timeout=120)
    assert shown.returncode == 0, err
    assert sorted(json.loads(out), key=lambda r: (r["facility"], r["month"])) == expected
    assert sum(r["value"] for r in json.loads(out)) == 10 + 20 + 30 + 40 + 1 + 2 + 3 + 4
    listed = batches()
    assert sorted((b["batch_id"], b["loaded_by"], b["rows_loaded"]) for b in listed) == sorted(
        (b["batch_id"], b["loaded_by"], 2) for b in listed)
    assert sorted(b["batch_id"] for b in listed) == [1, 2, 3, 4]
    assert sorted(b["loaded_by"] for b in listed) == ["petugas0", "petugas1", "petugas2", "petugas3"]
    with db.connect() as con:
        assert con.execute("SELECT count(*), count(DISTINCT audit_id) FROM audit_log WHERE action = 'upload'"
                           ).fetchone() == (4, 4)
        assert con.execute("SELECT count(*) FROM current_cell").fetchone()[0] == 8


def _correction_meets_another(lake_env, monkeypatch, retries: int):
    """Unit Lapas Kotabaru's August: loaded once (12); then this process loads a correction (30) and,
    in the middle of its transaction, another process loads its own correction (20) and commits first.
    This process writes without waiting for its turn (as a writer that does not queue would), so the
    other one can commit while ours is open: the token still keeps the two from both committing."""
    monkeypatch.setenv("PANTAU_LAKE_RETRIES", str(retries))
    monkeypatch.setattr(db, "_writer_turn", contextlib.nullcontext)
    first = recap(lake_env, "asli.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12]])
    ours = recap(lake_env, "koreksi-kami.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 30]])
    theirs = recap(lake_env, "koreksi-lain.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 20]])
    load_file(read_file(first, make_options()), loaded_by="sari")
    refresh, seen = marts.refresh, {}

    def refresh_while_another_commits(con, touched, datasets=None):
        if not seen:  # first attempt only: the other upload commits while ours is open
            other = etl("load", str(theirs), "--user", "budi")
            seen["other"] = (other.wait(timeout=300), other.stdout.read(), other.stderr.read())
            other.stdout.close()
            other.stderr.close()
            seen["after_other"] = snapshot()
        return refresh(con, touched, datasets)

    monkeypatch.setattr(marts, "refresh", refresh_while_another_commits)
    return ours, seen


def test_two_corrections_of_one_month_at_once_the_later_runs_again(lake_env, monkeypatch):
    """The other correction commits first; ours then loses its commit race, runs again from the new
    snapshot and replaces the other's: both corrections are in the history, ours is in force, and its
    first attempt left nothing."""
    ours, seen = _correction_meets_another(lake_env, monkeypatch, retries=5)
    outcome = load_file(read_file(ours, make_options()), loaded_by="sari")
    assert seen["other"][0] == 0, seen["other"][2]
    assert [(b.batch_id, [r.batch_id for r in b.replaced]) for b in outcome.batches] == [(3, [2])]
    assert summary() == [{"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 30}]
    assert sorted((b["batch_id"], b["loaded_by"], b["status"]) for b in batches()) == [
        (1, "sari", "superseded"), (2, "budi", "superseded"), (3, "sari", "active")]
    with db.connect() as con:
        assert con.execute("SELECT batch_id, count(*) FROM stg_loan GROUP BY ALL ORDER BY 1").fetchall() == [
            (1, 1), (2, 1), (3, 1)]
        assert con.execute("SELECT audit_id, username, action FROM audit_log ORDER BY audit_id").fetchall() == [
            (1, "sari", "upload"), (2, "budi", "upload"), (3, "budi", "replace"), (4, "sari", "upload"),
            (5, "sari", "replace")]
        assert con.execute("SELECT facility_code, month::VARCHAR, batch_id FROM current_cell").fetchall() == [
            ("lapas-kotabaru", "2024-08-01", 3)]


def test_two_corrections_of_one_month_at_once_reported_when_retries_run_out(lake_env, monkeypatch):
    """With no retry left, the upload that commits second is refused in one sentence and stores nothing:
    the lake is exactly as the other correction left it."""
    ours, seen = _correction_meets_another(lake_env, monkeypatch, retries=1)
    with pytest.raises(db.WriteConflict) as refused:
        load_file(read_file(ours, make_options()), loaded_by="sari")
    assert str(refused.value) == ("Penyimpanan bentrok dengan penulisan lain (dicoba 1 kali) dan dibatalkan tanpa "
                                  "menyimpan apa pun; coba lagi sebentar lagi.")
    assert seen["other"][0] == 0, seen["other"][2]
    assert snapshot() == seen["after_other"]
    assert summary() == [{"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 20}]
    assert sorted((b["batch_id"], b["loaded_by"], b["status"]) for b in batches()) == [
        (1, "sari", "superseded"), (2, "budi", "active")]


def _hold_turn() -> subprocess.Popen:
    """Another session holding the writers' turn (the catalog's advisory lock), as a long write would."""
    psql = [str(bin_dir() / "psql"), "-X", "-q", "-At", os.environ["PANTAU_CATALOG"]]
    holder = subprocess.Popen(psql, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder.stdin.write(f"SELECT 'held' FROM (SELECT pg_advisory_lock({db.TURN_KEY})) AS taken;\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_waits_for_its_turn_and_then_commits(lake_env):
    """While another session holds the turn, a load waits (no attempt thrown away); when the turn is
    let go, the load commits at once, on the lake's latest snapshot."""
    import threading

    path = recap(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 10]])
    with db.connect():
        pass
    holder = _hold_turn()
    done = {}
    loading = threading.Thread(target=lambda: done.setdefault("outcome", load_file(read_file(path, make_options()),
                                                                                      loaded_by="sari")))
    loading.start()
    loading.join(timeout=2)
    assert loading.is_alive() and summary() == []  # waiting for its turn, nothing written yet
    holder.communicate("SELECT pg_advisory_unlock_all();\n", timeout=60)
    loading.join(timeout=120)
    assert [b.batch_id for b in done["outcome"].batches] == [1]
    assert summary() == [{"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 10}]


def test_a_writer_that_waits_too_long_for_its_turn_is_refused_in_one_sentence(lake_env, monkeypatch):
    """Past PANTAU_LOCK_TIMEOUT the load gives up with one sentence and stores nothing; the next one,
    with the turn free again, commits."""
    path = recap(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 10]])
    with db.connect():
        pass
    before = snapshot()
    monkeypatch.setenv("PANTAU_LOCK_TIMEOUT", "0.5")
    holder = _hold_turn()
    try:
        with pytest.raises(db.DatabaseBusy) as refused:
            load_file(read_file(path, make_options()), loaded_by="sari")
    finally:
        holder.communicate("SELECT pg_advisory_unlock_all();\n", timeout=60)
    assert str(refused.value) == ("Gudang data sedang dipakai penulisan lain lebih dari 0.5 detik; "
                                  "coba lagi sebentar lagi.")
    assert snapshot() == before
    assert [b.batch_id for b in load_file(read_file(path, make_options()), loaded_by="sari").batches] == [1]


def test_backup_of_a_lake_is_refused_in_one_sentence(lake_env):
    """`backup` and `restore-backup` copy the DuckDB file; on a lake they say what to do instead."""
    from tests.conftest import run_cli

    sentence = ("Gudang data ini DuckLake (PANTAU_CATALOG): cadangkan katalog PostgreSQL-nya dengan pg_dump dan "
                "folder PANTAU_DATA_PATH, bukan dengan perintah ini.")
    folder = lake_env / "cadangan"
    done = run_cli({"PANTAU_LANG": "id"}, "backup", str(folder))
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", f"galat: cadangan tidak bisa ditulis ke {folder}: {sentence}\n")
    done = run_cli({"PANTAU_LANG": "id"}, "restore-backup", str(folder))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"galat: {sentence}\n")
    assert not folder.exists()


def test_a_loader_killed_mid_load_leaves_the_last_snapshot_and_the_next_load_works(lake_env):
    """``kill -9`` of a loader at its commit on the lake: the lake holds what it held before, nothing of the
    load; the same file then loads in full."""
    import signal
    import time

    names = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
    # three years of months for the 15 units: a load of many cells, all or nothing
    months = [(year, i + 1, name) for year in (2021, 2022, 2023) for i, name in enumerate(names)]
    # small steady values (5-7 a category): nothing for the anomaly check to hold back
    rows = [[name, f"{m} {year}", category, 5 + month % 3] for name, _ in UNITS for year, month, m in months
            for category in ("Agama", "Fiksi", "Sejarah")]
    path = recap(lake_env, "besar.xlsx", rows)
    first = recap(lake_env, "awal.xlsx", [["Lapas Kotabaru", "Desember 2020", "Agama", 4]])
    load_file(read_file(first, make_options()), loaded_by="sari")
    before = snapshot()
    # hold PostgreSQL's lock on DuckLake's snapshot table: readers go on, but a commit (which writes the next
    # snapshot) waits there, so the kill lands exactly at the loader's commit, on a fast machine as on a slow one
    psql = [str(bin_dir() / "psql"), "-X", "-q", "-At", os.environ["PANTAU_CATALOG"]]
    holder = subprocess.Popen(psql, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN; LOCK TABLE ducklake_snapshot IN EXCLUSIVE MODE; SELECT 'locked';\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "locked"
    loader = etl("load", str(path), "--user", "budi")
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    deadline = time.monotonic() + 120
    while int(subprocess.run([*psql, "-c", waiting], capture_output=True, text=True).stdout or 0) == 0:
        assert loader.poll() is None, "the loader finished without waiting for its commit"
        assert time.monotonic() < deadline, "the loader never reached its commit"
        time.sleep(0.1)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=60)
    loader.stdout.close()
    loader.stderr.close()
    holder.communicate("ROLLBACK;\n", timeout=60)
    after_kill = snapshot()
    assert after_kill == before  # killed at its commit: nothing of the load, the last snapshot intact
    done = etl("load", str(path), "--user", "budi")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    values = {(r["facility"], r["month"]): r["value"] for r in summary()}
    assert values == {("lapas-kotabaru", "2020-12"): 4,
                      **{(code, f"{year}-{month:02d}"): 3 * (5 + month % 3) for _, code in UNITS
                         for year, month, _ in months}}
