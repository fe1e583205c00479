"""Operations (issue 12): a writer's stale wait flag, the originals' retention purge,
files private to the app's user, and backups put back into a fresh folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, warehouse_env
from tests.files import write_xlsx

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]


def settings_for(folder: Path) -> dict[str, str]:
    return {**warehouse_env(folder), "PANTAU_DOCUMENTS_DIR": str(folder / "documents")}


def etl(folder: Path, *args: str, umask: int = 0o022, extra: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m etl`` on the warehouse in ``folder``, called with a permissive umask (in this process:
    tests/conftest.py run_cli)."""
    return run_cli({**settings_for(folder), **(extra or {})}, *args, umask=umask)


def recap(path: Path, rows) -> Path:
    return write_xlsx(path, {"Peminjaman": [HEADER, *rows]})


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ------------------------------------------------------------------ DuckDB's threads
@pytest.mark.parametrize("threads", ["3", "1"])
def test_the_warehouse_file_uses_the_threads_the_setting_names(env, monkeypatch, threads):
    from warehouse import db

    monkeypatch.setenv("PANTAU_DUCKDB_THREADS", threads)
    with db.connect() as con:
        assert con.execute("SELECT current_setting('threads')").fetchone() == (int(threads),)


def test_threads_0_leave_duckdb_its_own_one_per_core(env, monkeypatch):
    import duckdb

    from warehouse import db

    monkeypatch.setenv("PANTAU_DUCKDB_THREADS", "0")
    default = duckdb.connect(":memory:").execute("SELECT current_setting('threads')").fetchone()
    with db.connect() as con:
        assert con.execute("SELECT current_setting('threads')").fetchone() == default


# ------------------------------------------------------------------ wait flag
def test_insert_rows_writes_every_row_as_bound_across_chunks(env):
    """``insert_rows`` (one statement of bound values per chunk, in place of ``executemany``): every row as given,
    NULLs, dates, quotes and whole and fractional numbers, across the chunks' edges; no rows, no statement."""
    from warehouse import db

    rows = [[k, None if k % 7 == 0 else f"baris '{k}'", dt.date(2026, 1 + k % 12, 1), k / 4 if k % 2 else k]
            for k in range(1203)]
    with db.connect(write=True) as con:
        con.execute("CREATE TABLE scratch (id INTEGER, label VARCHAR, month DATE, value DOUBLE)")
        db.insert_rows(con, "scratch", ("id", "label", "month", "value"), rows, chunk=500)
        db.insert_rows(con, "scratch", ("id",), [])
        assert con.execute("SELECT * FROM scratch ORDER BY id").fetchall() == [
            (k, label, month, float(value)) for k, label, month, value in rows]
        ids = db.next_ids(con, "batch", "batch_id", "batch_id_seq", 5)
        assert ids == list(range(ids[0], ids[0] + 5))


def test_a_stale_wait_flag_does_not_stall_readers(env, monkeypatch):
    from warehouse import db

    monkeypatch.setenv("PANTAU_KEEPALIVE", "0")
    with db.connect(write=True):
        pass
    flag = db._flag(db.db_path())
    flag.write_text(f"{dead_pid()} 12345")  # a writer killed while it waited
    started = time.monotonic()
    with db.connect() as con:
        con.execute("SELECT 1").fetchone()
    assert time.monotonic() - started < 1.0
    assert not flag.exists()  # removed, so the next reader does not even look

    flag.write_text(str(dead_pid()))  # the old format (pid only) of a gone process
    assert not db._writer_waiting_elsewhere(db.db_path()) and not flag.exists()


def test_a_reused_pid_is_not_a_waiting_writer(env):
    from warehouse import db

    with db.connect(write=True):
        pass
    flag = db._flag(db.db_path())
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        start = db._process_start(live.pid)
        assert start is not None
        flag.write_text(f"{live.pid} {start}")       # a live writer waiting: readers step aside
        assert db._writer_waiting_elsewhere(db.db_path())
        flag.write_text(f"{live.pid} {int(start) + 1}")  # same pid, another process: stale
        assert not db._writer_waiting_elsewhere(db.db_path())
        assert not flag.exists()
    finally:
        live.kill()
        live.wait()


def test_a_waiting_writer_flags_its_pid_and_start_time(env):
    from warehouse import db

    with db.connect(write=True):
        pass
    db._raise_flag(db.db_path())
    flag = db._flag(db.db_path())
    assert flag.read_text() == f"{os.getpid()} {db._process_start(os.getpid())}"
    assert stat.S_IMODE(flag.stat().st_mode) == 0o600
    assert not db._writer_waiting_elsewhere(db.db_path())  # our own flag
    db._lower_flag(db.db_path())
    assert not flag.exists()


def test_a_waiting_writer_puts_its_flag_back_when_another_writer_lowers_it(env, monkeypatch):
    """Two uploads and a reader: the second writer overwrites the first's flag and lowers it when it gets the file.
    The first, still waiting, must raise its flag again, or a reader whose instance is kept warm holds the file
    for as long as it reads (seen in the bench: an upload refused after 30 s of waiting)."""
    import threading

    from warehouse import db

    monkeypatch.setenv("PANTAU_LOCK_TIMEOUT", "20")
    with db.connect(write=True):
        pass
    db._release_warm()
    path, flag = db.db_path(), db._flag(db.db_path())
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); sys.stdin.readline()", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # holds until told
    try:
        assert holder.stdout.readline().strip() == "held"
        got = []
        waiting = threading.Thread(target=lambda: got.append(db._open(path, write=True)))
        waiting.start()
        ours = f"{os.getpid()} {db._process_start(os.getpid())}"
        deadline = time.monotonic() + 3
        while not (flag.exists() and flag.read_text() == ours) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert flag.read_text() == ours
        flag.unlink()  # the other writer's flag lowered: ours must come back while we wait
        time.sleep(0.6)
        assert flag.exists() and flag.read_text() == ours
        holder.communicate("\n", timeout=10)  # the other process lets go of the file
        waiting.join(20)
        assert len(got) == 1 and not flag.exists()  # the file is ours, and the flag is down
        got[0].close()
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------ retention
def test_purge_removes_originals_past_retention(tmp_path):
    data = tmp_path / "data"
    for name, month in (("juli.xlsx", "Juli 2024"), ("agustus.xlsx", "Agustus 2024")):
        recap(tmp_path / name, [["Rutan Rantau", month, "Agama", 10]])
        assert etl(data, "load", str(tmp_path / name)).returncode == 0
    originals = sorted((data / "originals").iterdir())
    assert len(originals) == 2
    old = time.time() - 100 * 86400
    os.utime(originals[0], (old, old))
    run = etl(data, "purge")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "1 berkas asli dihapus (lebih lama dari 90 hari).\n"
    assert sorted((data / "originals").iterdir()) == originals[1:]
    assert etl(data, "purge").stdout == "0 berkas asli dihapus (lebih lama dari 90 hari).\n"

    # 0 days: nothing is kept, and what was kept before goes too
    zero = {"PANTAU_ORIGINALS_RETENTION_DAYS": "0"}
    recap(tmp_path / "september.xlsx", [["Rutan Rantau", "September 2024", "Agama", 10]])
    assert etl(data, "load", str(tmp_path / "september.xlsx"), extra=zero).returncode == 0
    assert list((data / "originals").iterdir()) == []
    run = etl(data, "purge", extra=zero)
    assert run.stdout == "0 berkas asli dihapus (semuanya, karena retensi 0 hari).\n"

    from warehouse import accounts
    from warehouse.db import using

    with using(settings_for(data)):
        purged = [e for e in accounts.audit_entries() if e["action"] == "originals_purged"]
    assert [(e["username"].startswith("cli:"), e["detail"]) for e in purged] == [
        (False, "1 berkas asli dihapus (retensi 0 hari)"),   # the load with 0 days removed the one left
        (True, "1 berkas asli dihapus (retensi 90 hari)")]


def test_retention_zero_purges_at_server_start(env, monkeypatch):
    from warehouse.ingest import bootstrap
    from warehouse.load import store_by_hash

    kept = store_by_hash(env / "originals", "ab" * 32, "a.xlsx", b"isi berkas dengan nama", ".bin")
    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    monkeypatch.setenv("PANTAU_ORIGINALS_RETENTION_DAYS", "0")
    lines = []
    old = os.umask(0o022)
    try:
        done = bootstrap(out=lines.append)
    finally:
        os.umask(old)
    assert done["purged"] == 1 and not kept.exists()
    assert lines[-1] == "1 berkas asli dihapus (masa simpan 0 hari)."


# ------------------------------------------------------------------ private files
def group_or_other(folder: Path) -> list[str]:
    return [f"{oct(stat.S_IMODE(p.stat().st_mode))} {p}" for p in [folder, *folder.rglob("*")]
            if stat.S_IMODE(p.stat().st_mode) & 0o077]


def test_cli_creates_private_files(tmp_path):
    recap(tmp_path / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    data = tmp_path / "data" / "nested"
    run = etl(data, "load", str(tmp_path / "a.xlsx"))
    assert run.returncode == 0, run.stderr
    assert (data / "pantau.duckdb").exists() and any((data / "originals").iterdir())
    assert etl(data, "backup", str(tmp_path / "cadangan")).returncode == 0
    assert group_or_other(tmp_path / "data") == []
    assert group_or_other(tmp_path / "cadangan") == []


def test_library_use_creates_private_files(tmp_path):
    """Without the command line's umask (a script, the tests): the warehouse still makes its files private."""
    from warehouse.ingest import make_options
    from etl.pipeline import read_file
    from warehouse.db import release, using
    from warehouse.load import load_file

    path = recap(tmp_path / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        with using(settings_for(data)):
            load_file(read_file(path, make_options()), loaded_by="sari")
            release()
    finally:
        os.umask(old)
    assert (data / "originals").is_dir()
    assert group_or_other(data) == []


# ------------------------------------------------------------------ backups
@pytest.mark.slow  # a second Python process reads the warehouse while the backup runs
def test_backup_restored_into_a_fresh_folder_gives_the_same_summary(tmp_path):
    recap(tmp_path / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10],
                                ["Rutan Kelas IIB Rantau", "Juli 2024", "Fiksi", 7]])
    first = tmp_path / "pertama"
    assert etl(first, "load", str(tmp_path / "a.xlsx")).returncode == 0
    (first / "documents").mkdir(mode=0o700)
    (first / "documents" / ("cd" * 32 + ".pdf")).write_bytes(b"%PDF-1.4 PKS")

    # a backup while another process keeps reading the warehouse, as the dashboard does
    reader = subprocess.Popen([sys.executable, "-c", READER.format(root=str(ROOT))], cwd=ROOT,
                              env={**os.environ, **settings_for(first)}, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "reading"
    run = etl(first, "backup", str(tmp_path / "cadangan"))
    reader.wait(timeout=60)
    assert run.returncode == 0, run.stderr
    assert reader.returncode == 0
    backup = Path(run.stdout.strip().removeprefix("Cadangan ditulis ke "))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert sorted(manifest["files"]) == ["documents/" + "cd" * 32 + ".pdf", "pantau.duckdb", "secret.key"]
    assert manifest["schema_version"] >= 1

    fresh = tmp_path / "baru"
    run = etl(fresh, "restore-backup", str(backup))
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"Cadangan {backup} (dibuat {manifest['created_at']}) dipulihkan.\n"
    before, after = etl(first, "summary", "--json"), etl(fresh, "summary", "--json")
    assert json.loads(after.stdout)  # not empty
    assert after.stdout.encode() == before.stdout.encode()
    assert etl(first, "batches", "--json").stdout == etl(fresh, "batches", "--json").stdout
    assert (fresh / "secret.key").read_bytes() == (first / "secret.key").read_bytes()
    assert (fresh / "documents" / ("cd" * 32 + ".pdf")).read_bytes() == b"%PDF-1.4 PKS"

    # restoring over a database keeps the current one aside
    run = etl(fresh, "restore-backup", str(backup))
    assert run.returncode == 0 and "basis data sebelumnya disimpan sebagai" in run.stdout
    assert len(list(fresh.glob("pantau.duckdb.before-restore-*"))) == 1


READER = """
import sys, time
sys.path.insert(0, {root!r})
from warehouse.db import connect
print("reading", flush=True)
deadline = time.monotonic() + 4
while time.monotonic() < deadline:
    with connect() as con:
        con.execute("SELECT count(*) FROM current_cell").fetchone()
    time.sleep(0.02)
"""


@pytest.fixture(scope="module")
def one_backup(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cadangan")
    recap(folder / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    assert etl(folder / "data", "load", str(folder / "a.xlsx")).returncode == 0
    run = etl(folder / "data", "backup", str(folder / "backups"))
    assert run.returncode == 0, run.stderr
    return Path(run.stdout.strip().removeprefix("Cadangan ditulis ke "))


def tamper(one_backup: Path, tmp_path: Path, how) -> Path:
    import shutil

    copy = tmp_path / one_backup.name
    shutil.copytree(one_backup, copy)
    how(copy)
    return copy


def _flip_byte(path: Path, at: int = 5000) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def _newer_schema(copy: Path) -> None:
    import duckdb

    from warehouse.backup import _sha256

    con = duckdb.connect(str(copy / "pantau.duckdb"))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["schema_version"] = 999
    manifest["files"]["pantau.duckdb"] = _sha256(copy / "pantau.duckdb")
    (copy / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("how, message", [
    (lambda c: _flip_byte(c / "pantau.duckdb"),
     "galat: Cadangan rusak atau diubah: isi pantau.duckdb tidak cocok dengan manifesnya."),
    (lambda c: (c / "secret.key").unlink(), "galat: Cadangan tidak lengkap: secret.key tidak ada di {copy}."),
    (lambda c: (c / "manifest.json").write_text("{bukan json"),
     "galat: {copy}/manifest.json rusak: bukan manifes cadangan yang sah."),
    (lambda c: (c / "manifest.json").unlink(),
     "galat: {copy} bukan cadangan Pantau Literasi: tidak ada manifest.json."),
    (_newer_schema, ("galat: Cadangan ini dari versi aplikasi yang lebih baru (skema 999, aplikasi ini {code}); "
                     "perbarui aplikasinya dulu.")),
], ids=["changed-bytes", "missing-file", "broken-manifest", "no-manifest", "newer-schema"])
def test_a_tampered_backup_is_refused_in_one_sentence(one_backup, tmp_path, how, message):
    from warehouse.backup import code_schema_version

    copy = tamper(one_backup, tmp_path, how)
    target = tmp_path / "target"
    run = etl(target, "restore-backup", str(copy))
    assert run.returncode == 1
    assert run.stderr == message.format(copy=copy, code=code_schema_version()) + "\n"
    assert run.stdout == ""
    assert not (target / "pantau.duckdb").exists()  # nothing was put back


def test_backup_keeps_the_newest(one_backup, tmp_path):
    from warehouse.backup import make_backup, prune
    from warehouse.db import using

    data = one_backup.parent.parent / "data"
    with using(settings_for(data)):
        made = [make_backup(tmp_path, now=dt.datetime(2026, 11, day, 2)) for day in (18, 19, 20, 21)]
    assert [p.name for p in made] == [f"pantau-202611{d}-020000" for d in (18, 19, 20, 21)]
    assert prune(tmp_path, 2) == made[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in made[2:]]


def test_restore_is_not_confused_with_restoring_a_batch():
    from pantau.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["restore", "3"]).batch == 3
    with pytest.raises(SystemExit):
        parser.parse_args(["restore", "/var/backups/pantau/pantau-20261121-020000"])
    assert parser.parse_args(["restore-backup", "/x"]).folder == "/x"
