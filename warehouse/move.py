"""Moving an installation between the DuckDB file and the lake (issue 17), and the lake's upkeep.

* :func:`to_lake` copies the warehouse file (``PANTAU_DB``) into an empty lake (``PANTAU_CATALOG``,
  ``PANTAU_DATA_PATH``): every table of schema ``main``, in one transaction, after both are brought to
  the same schema version; then ``summary --json`` must be identical on both.
* :func:`from_lake` copies the lake into a new DuckDB file (a backup, or the way back); the file's
  sequences are moved past the copied ids, since the lake has none (ids are max()+1 there).
* :func:`maintain` merges the lake's small Parquet files, expires old snapshots and deletes the files
  nobody needs any more (DuckLake's ``ducklake_merge_adjacent_files``, ``ducklake_expire_snapshots``,
  ``ducklake_cleanup_old_files``).

The copy runs in the lake's own in-memory DuckDB (:mod:`warehouse.db`), with the file attached to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import db
from warehouse.queries import summary

OTHER = "pantau_move"  # the attached file's name while it is copied
# the file's sequences and the ids they give (the lake has none: ids are max()+1 there)
SEQUENCES = {"batch_id_seq": ("batch", "batch_id"), "audit_id_seq": ("audit_log", "audit_id"),
             "note_id_seq": ("note_change", "note_id"), "note_change_id_seq": ("note_change", "change_id"),
             "anomaly_flag_id_seq": ("anomaly_flag", "flag_id")}
# what a lake may hold before the move (the register and its occupancy figures, seeded by any server that
# started on it): table -> which of its rows are reference; the file's rows replace them. Any other row makes
# the lake 'not empty'.
REFERENCE = {"meta": "true", "facility": "true", "facility_alias": "true", "occupancy": "batch_id IS NULL"}


class MoveError(RuntimeError):
    """The move cannot be done (one Indonesian sentence)."""


@dataclass
class Moved:
    rows: dict[str, int]           # table -> rows copied
    summary_rows: int              # rows of summary --json, identical on both


def _tables(con, database: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "ORDER BY table_name", [database]).fetchall()]


def _columns(con, database: str, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index", [database, table]).fetchall()]


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _attach(con, file: Path, read_only: bool) -> None:
    try:
        con.execute(f"ATTACH '{_quote(file)}' AS {OTHER}" + (" (READ_ONLY)" if read_only else ""))
    except duckdb.IOException as exc:
        raise MoveError(f"Berkas {file} sedang dipakai proses lain (dasbor atau pemuat?); hentikan dulu lalu "
                        "coba lagi.") from exc


def _need_lake() -> None:
    if not db.is_lake():
        raise MoveError("PANTAU_CATALOG kosong: gudang data masih berkas DuckDB, isi PANTAU_CATALOG dan "
                        "PANTAU_DATA_PATH dulu untuk memakai DuckLake.")


def _copy(con, source: str, target: str, *, check_empty: bool) -> dict[str, int]:
    """Every table of ``source`` into ``target`` (both attached to ``con``), in one transaction."""
    tables = _tables(con, source)
    missing = sorted(set(tables) ^ set(_tables(con, target)))
    if missing:
        raise MoveError(f"Skema kedua gudang data berbeda (tabel {', '.join(missing)}); jalankan versi aplikasi "
                        "yang sama pada keduanya dulu.")
    versions = [con.execute(f"SELECT value FROM {name}.main.meta WHERE key = 'schema_version'").fetchone()
                for name in (source, target)]
    if versions[0] != versions[1]:
        raise MoveError(f"Versi skema berbeda ({versions[0] and versions[0][0]} dan {versions[1] and versions[1][0]}); "
                        "jalankan versi aplikasi yang sama pada keduanya dulu.")
    rows: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        if target == db.LAKE:
            con.execute(f"UPDATE {db.LAKE}.pantau_lake.write_token SET n = n + 1")
        if check_empty:
            full = [t for t in tables if con.execute(
                f"SELECT count(*) FROM {target}.main.{t} WHERE NOT ({REFERENCE.get(t, 'false')})").fetchone()[0]]
            if full:
                raise MoveError(f"DuckLake tujuan sudah berisi data (tabel {', '.join(full[:5])}); pindahkan hanya "
                                "ke katalog PostgreSQL dan PANTAU_DATA_PATH yang baru dan kosong.")
        for table in tables:
            columns = ", ".join(f'"{c}"' for c in _columns(con, target, table))
            con.execute(f"DELETE FROM {target}.main.{table}")
            con.execute(f"INSERT INTO {target}.main.{table} ({columns}) SELECT {columns} FROM {source}.main.{table}")
            rows[table] = con.execute(f"SELECT count(*) FROM {target}.main.{table}").fetchone()[0]
        if target != db.LAKE:  # the file's sequences go on after the copied ids
            for sequence, (table, column) in SEQUENCES.items():
                top = con.execute(f"SELECT coalesce(max({column}), 0) FROM {target}.main.{table}").fetchone()[0]
                if top:
                    con.execute(f"SELECT max(nextval('{target}.main.{sequence}')) FROM range(?)", [top])
        con.execute("COMMIT")
    except BaseException:
        db._rollback(con)
        raise
    return rows


def _check(file: Path, rows: dict[str, int]) -> Moved:
    on_file, on_lake = summary(file), summary()
    if on_file != on_lake:
        raise MoveError(f"Ringkasan (summary --json) berbeda setelah pemindahan: {len(on_file)} baris di berkas, "
                        f"{len(on_lake)} baris di DuckLake; jangan pakai salinannya.")
    return Moved(rows, len(on_lake))


def _ready_file(path: Path) -> None:
    """Bring the file to this version's schema, then let go of it so the lake's DuckDB can attach it."""
    with db.exclusive(path):
        pass
    db.forget(path)


def to_lake(file: Path | None = None) -> Moved:
    """Copy the DuckDB file (``PANTAU_DB``) into the lake, which must hold no data yet."""
    _need_lake()
    file = Path(file or db.db_path())
    if not file.exists():
        raise MoveError(f"Berkas gudang data {file} tidak ada; tidak ada yang bisa dipindahkan.")
    _ready_file(file)
    with db.exclusive() as con:  # the lake, its schema brought up to date
        _attach(con, file, read_only=True)
        try:
            rows = _copy(con, OTHER, db.LAKE, check_empty=True)
        finally:
            con.execute(f"DETACH {OTHER}")
    return _check(file, rows)


def from_lake(file: Path) -> Moved:
    """Copy the lake into the new DuckDB file ``file`` (which must not exist yet)."""
    _need_lake()
    file = Path(file)
    if file.exists():
        raise MoveError(f"Berkas {file} sudah ada; pilih nama berkas baru agar tidak ada yang tertimpa.")
    _ready_file(file)
    try:
        with db.exclusive() as con:
            _attach(con, file, read_only=False)
            try:
                rows = _copy(con, db.LAKE, OTHER, check_empty=False)
            finally:
                con.execute(f"DETACH {OTHER}")
    except BaseException:  # no half-made copy left behind to be taken for a backup
        db.forget(file)
        for leftover in (file, file.with_name(file.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    db.forget(file)
    return _check(file, rows)


def described(moved: Moved) -> str:
    """The row counts that matter to an operator, in a few words."""
    counts = moved.rows
    return (f"{sum(counts.values())} baris dari {len(counts)} tabel (batch {counts.get('batch', 0)}, "
            f"akun {counts.get('app_user', 0)}, log audit {counts.get('audit_log', 0)}), "
            f"ringkasan sama di keduanya ({moved.summary_rows} baris)")


# ------------------------------------------------------------------ upkeep
def maintain(older_than_days: int) -> dict[str, int]:
    """Write the rows DuckLake inlined in the catalog (small writes: sign-ins, audit lines, a month's
    recap) out to Parquet files, merge small files, expire snapshots older than ``older_than_days`` days
    and delete the files no snapshot needs any more; returns how many of each (``flushed`` rows,
    ``tables`` whose ``files_merged`` small files became ``files_created``, ``expired`` snapshots,
    ``removed`` files, and the ``snapshots`` left). The latest snapshot is never expired."""
    if not db.is_lake():
        raise MoveError("Perawatan DuckLake hanya untuk gudang data di DuckLake (PANTAU_CATALOG kosong: gudang "
                        "data ini berkas DuckDB).")
    if older_than_days < 0:
        raise MoveError(f"--older-than harus 0 hari atau lebih, bukan {older_than_days}.")
    lake = db.LAKE
    with db.exclusive() as con:
        # CALL (a SELECT over these functions does not commit their work); counted through Arrow: the rows hold
        # time stamps with a time zone, which DuckDB's Python rows need pytz for
        flushed = con.execute(f"CALL ducklake_flush_inlined_data('{lake}')").to_arrow_table().to_pylist()
        merged = con.execute(f"CALL ducklake_merge_adjacent_files('{lake}')").to_arrow_table().to_pylist()
        expired = con.execute(f"CALL ducklake_expire_snapshots('{lake}', older_than => now() - "
                              f"INTERVAL '{int(older_than_days)} days')").to_arrow_table().num_rows
        # files scheduled for deletion a day ago: no reader still scans them
        removed = con.execute(f"CALL ducklake_cleanup_old_files('{lake}', older_than => now() - "
                              "INTERVAL '1 day')").to_arrow_table().num_rows
        snapshots = con.execute(f"SELECT count(*) FROM ducklake_snapshots('{lake}')").fetchone()[0]
    return {"flushed": int(sum(r["rows_flushed"] for r in flushed)), "tables": len(merged), "files_merged": sum(r["files_processed"] for r in merged),
            "files_created": sum(r["files_created"] for r in merged), "expired": expired, "removed": removed,
            "snapshots": snapshots}
