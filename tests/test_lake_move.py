"""Moving an installation (issue 17): ``migrate --to-lake`` copies a DuckDB warehouse into an empty lake,
``migrate --from-lake FILE`` copies the lake into a new DuckDB file, and ``lake-maintenance`` tidies the
lake; the figures (``summary --json``) and the rows stay the same through all three.

The lake is a fresh database of a throw-away PostgreSQL cluster (tests/lake.py)."""

from __future__ import annotations

import pytest

from etl.pipeline import read_file
from tests.conftest import run_cli, warehouse_env
from tests.files import write_xlsx
from tests.lake import lake_settings
from warehouse import accounts, db
from warehouse.ingest import make_options
from warehouse.load import load_file, undo_batch
from warehouse.move import REFERENCE
from warehouse.queries import summary

pytestmark = pytest.mark.slow  # a PostgreSQL cluster

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]


def recap(folder, name: str, rows: list[list]):
    return write_xlsx(folder / name, {"Peminjaman": [HEADER, *rows]})


def rows(table: str, path=None) -> list[tuple]:
    """Every row of ``table`` (of the file ``path``, or of the warehouse the settings name), in order."""
    with db.connect(path) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        return con.execute(f"SELECT * FROM {table} ORDER BY {', '.join(columns)}").fetchall()


def counts(path=None) -> dict[str, int]:
    with db.connect(path) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' ORDER BY table_name").fetchall()]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def loaded_file(tmp_path, monkeypatch):
    """A DuckDB warehouse with three batches (one undone), two accounts and their audit lines."""
    db.release()
    file_env = {**warehouse_env(tmp_path), "PANTAU_CATALOG": "", "PANTAU_DATA_PATH": ""}
    for key, value in file_env.items():
        monkeypatch.setenv(key, value)
    load_file(read_file(recap(tmp_path, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12],
                                                   ["Lapas Amuntai", "Agustus 2024", "Fiksi", 5]]), make_options()),
              loaded_by="sari")
    load_file(read_file(recap(tmp_path, "b.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 30]]), make_options()),
              loaded_by="budi")
    load_file(read_file(recap(tmp_path, "c.xlsx", [["Lapas Banjarbaru", "September 2024", "Agama", 7]]),
                        make_options()), loaded_by="sari")
    undo_batch(3, by="admin1")
    accounts.add_user("admin1", "admin", "rahasia-panjang-1", by="cli:test")
    accounts.add_user("sari", "staff", "rahasia-panjang-2", by="admin1")
    db.release()
    yield file_env
    db.release()


def test_a_file_moves_to_an_empty_lake_and_back(loaded_file, pg_cluster, tmp_path):
    file = tmp_path / "pantau.duckdb"
    before = {t: rows(t, file) for t in ("batch", "batch_cell", "current_cell", "app_user", "audit_log")}
    figures = summary(file)
    assert figures == [{"dataset": "loans", "facility": "lapas-amuntai", "month": "2024-08", "value": 5},
                       {"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 30}]
    copied = counts(file)
    lake_env = {**loaded_file, **lake_settings(pg_cluster, tmp_path)}
    with db.using(lake_env):  # a server started on the new lake first: it seeded the register, nothing else
        make_options()
        assert counts()["facility"] == copied["facility"]

    done = run_cli(lake_env, "migrate", "--to-lake")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout == (f"Gudang data {file} dipindahkan ke DuckLake: {sum(copied.values())} baris dari "
                           f"{len(copied)} tabel (batch 3, akun 2, log audit {copied['audit_log']}), ringkasan sama "
                           "di keduanya (2 baris).\n")
    with db.using(lake_env):
        assert summary() == figures
        with db.connect() as con:
            assert db.con_is_lake(con)
        assert {t: rows(t) for t in before} == before
        assert counts() == copied
        shown = run_cli(lake_env, "summary", "--json")
        assert shown.stdout == run_cli(loaded_file, "summary", "--json").stdout

    again = run_cli(lake_env, "migrate", "--to-lake")
    full = [t for t, n in copied.items() if n and t not in REFERENCE][:5]
    assert "occupancy" not in full  # the register's figures only (no upload of occupancy here)
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr == (f"galat: DuckLake tujuan sudah berisi data (tabel {', '.join(full)}); pindahkan hanya "
                            "ke katalog PostgreSQL dan PANTAU_DATA_PATH yang baru dan kosong.\n")

    back = tmp_path / "cadangan.duckdb"
    done = run_cli(lake_env, "migrate", "--from-lake", str(back))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (f"DuckLake disalin ke berkas {back}: {sum(copied.values())} baris dari {len(copied)} "
                           f"tabel (batch 3, akun 2, log audit {copied['audit_log']}), ringkasan sama di keduanya "
                           "(2 baris).\n")
    with db.using({**lake_env, "PANTAU_CATALOG": "", "PANTAU_DB": str(back)}):
        assert {t: rows(t) for t in before} == before
        assert summary() == figures
        # the copy's sequences go on after the copied ids
        batch = load_file(read_file(recap(tmp_path, "d.xlsx", [["Lapas Amuntai", "Oktober 2024", "Agama", 1]]),
                                    make_options()), loaded_by="sari").batches[0].batch_id
        assert batch == 4
        accounts.add_user("budi", "staff", "rahasia-panjang-3", by="admin1")
        assert [r[0] for r in rows("audit_log")] == list(range(1, copied["audit_log"] + 3))

    exists = run_cli(lake_env, "migrate", "--from-lake", str(back))
    assert (exists.returncode, exists.stdout) == (1, "")
    assert exists.stderr == (f"galat: Berkas {back} sudah ada; pilih nama berkas baru agar tidak ada yang "
                             "tertimpa.\n")


def test_maintenance_keeps_the_figures_and_refuses_the_file(loaded_file, pg_cluster, tmp_path):
    lake_env = {**loaded_file, **lake_settings(pg_cluster, tmp_path)}
    assert run_cli(lake_env, "migrate", "--to-lake").returncode == 0
    with db.using(lake_env):
        figures = summary()
        with db.connect() as con:
            snapshots = con.execute(f"SELECT count(*) FROM ducklake_snapshots('{db.LAKE}')").fetchone()[0]
    assert snapshots > 1
    # three inserts too big to be inlined in the catalog: three Parquet files of one table to merge
    for start in (0, 100_000, 200_000):
        with db.using(lake_env), db.connect(write=True) as con:
            con.execute("INSERT INTO meta SELECT 'uji-' || range, 'x' FROM range(?, ? + 20000)", [start, start])
    with db.using(lake_env):
        with db.connect() as con:
            snapshots = con.execute(f"SELECT count(*) FROM ducklake_snapshots('{db.LAKE}')").fetchone()[0]
        meta = rows("meta")
    done = run_cli(lake_env, "lake-maintenance", "--older-than", "0")
    assert (done.returncode, done.stderr) == (0, "")
    # the copy's rows are few: DuckLake keeps them inlined in the catalog, and the flush writes them out; only
    # the three inserts made files of one table. The flush and the merge commit a snapshot each; the latest
    # stays: every one before it expires
    flushed, _, rest = done.stdout.partition(" baris dari katalog ditulis ke berkas Parquet, ")
    assert flushed.startswith("Perawatan DuckLake selesai: ") and int(flushed.rsplit(" ", 1)[1]) > 20
    assert rest == (f"3 berkas kecil di 1 tabel digabung menjadi 1, {snapshots + 1} snapshot lebih lama dari 0 hari "
                    "dihapus, 0 berkas lama dihapus; 1 snapshot tersisa.\n")
    again = run_cli(lake_env, "lake-maintenance", "--older-than", "0")
    assert again.stdout == ("Perawatan DuckLake selesai: 0 baris dari katalog ditulis ke berkas Parquet, 0 berkas kecil "
                            "di 0 tabel digabung menjadi 0, 0 snapshot lebih lama dari 0 hari dihapus, 0 berkas lama "
                            "dihapus; 1 snapshot tersisa.\n")
    with db.using(lake_env):
        assert summary() == figures
        assert rows("meta") == meta
        with db.connect() as con:
            assert con.execute(f"SELECT count(*) FROM ducklake_snapshots('{db.LAKE}')").fetchone()[0] == 1
            # the three inserts' files merged into one, beside the one the flush wrote of the copy's rows
            assert con.execute(f"SELECT file_count FROM ducklake_table_info('{db.LAKE}') WHERE table_name = 'meta'"
                               ).fetchall() == [(2,)]
        assert {t: rows(t) for t in ("batch", "app_user", "audit_log")} == \
            {t: rows(t, tmp_path / "pantau.duckdb") for t in ("batch", "app_user", "audit_log")}

    refused = run_cli(loaded_file, "lake-maintenance")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == ("galat: Perawatan DuckLake hanya untuk gudang data di DuckLake (PANTAU_CATALOG kosong: "
                              "gudang data ini berkas DuckDB).\n")


def test_migrate_refuses_without_a_lake_or_without_a_file(tmp_path, pg_cluster):
    """Without PANTAU_CATALOG there is no lake to move to; without the file there is nothing to move (and the
    lake is left untouched)."""
    file_env = {**warehouse_env(tmp_path), "PANTAU_CATALOG": "", "PANTAU_DATA_PATH": ""}
    refused = run_cli(file_env, "migrate", "--to-lake")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == ("galat: PANTAU_CATALOG kosong: gudang data masih berkas DuckDB, isi PANTAU_CATALOG "
                              "dan PANTAU_DATA_PATH dulu untuk memakai DuckLake.\n")
    lake_env = {**file_env, **lake_settings(pg_cluster, tmp_path)}
    refused = run_cli(lake_env, "migrate", "--to-lake")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (f"galat: Berkas gudang data {tmp_path / 'pantau.duckdb'} tidak ada; tidak ada yang bisa "
                              "dipindahkan.\n")
    assert not (tmp_path / "pantau.duckdb").exists()
    usage = run_cli(lake_env, "migrate")
    assert usage.returncode == 2


def test_a_copy_that_cannot_be_made_leaves_no_file(tmp_path, pg_cluster):
    """A lake whose schema is not this version's (here: a table missing) is not copied, and the new file
    made for the copy is removed again, so nothing half-made is taken for a backup later."""
    lake_env = {**warehouse_env(tmp_path), **lake_settings(pg_cluster, tmp_path)}
    with db.using(lake_env), db.connect(write=True) as con:
        con.execute("DROP TABLE report_subscription")
    back = tmp_path / "cadangan.duckdb"
    refused = run_cli(lake_env, "migrate", "--from-lake", str(back))
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == ("galat: Skema kedua gudang data berbeda (tabel report_subscription); jalankan versi "
                              "aplikasi yang sama pada keduanya dulu.\n")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cadangan")) == []
