"""The marts refreshed for the facility-months a load, undo or restore touches
add up to a rebuild from the staging tables, and the marts that replaced the
in-force views hold exactly the rows the views' original definitions give."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from warehouse import marts, metrics
from warehouse.db import connect, release
from warehouse.load import load_records, restore_batch, undo_batch

ORIGINAL_VIEWS = {
    "occupancy_in_force": """
        SELECT facility_code, snapshot_date, occupants, capacity, source FROM (
            SELECT facility_code, snapshot_date, occupants, capacity, source, 0 AS priority FROM occupancy
            UNION ALL
            SELECT s.facility_code, s.snapshot_date, s.occupants, s.capacity, coalesce(s.source, b.file_name), 1
            FROM stg_occupancy s
            JOIN current_cell c ON c.dataset = 'occupancy' AND c.batch_id = s.batch_id
                 AND c.facility_code = s.facility_code AND c.month = s.month
                 AND c.part = strftime(s.snapshot_date, '%Y-%m-%d')
            JOIN batch b ON b.batch_id = s.batch_id)
        QUALIFY row_number() OVER (PARTITION BY facility_code, snapshot_date ORDER BY priority DESC) = 1""",
    "agreement_in_force": """
        SELECT a.* FROM stg_agreement a
        JOIN current_cell c ON c.dataset = 'agreements' AND c.batch_id = a.batch_id
             AND c.facility_code = a.facility_code AND c.month = a.month AND c.part = a.agreement_key""",
    "package_in_force": """
        SELECT p.* FROM stg_package p
        JOIN current_cell c ON c.dataset = 'packages' AND c.batch_id = p.batch_id
             AND c.facility_code = p.facility_code AND c.month = p.month""",
}
OCCUPANCY_AT_MONTH_END = """
    SELECT m.facility_code, m.month, o.occupants, o.snapshot_date AS occupancy_date
    FROM mart_activity_month m
    ASOF LEFT JOIN (SELECT facility_code, snapshot_date, occupants FROM occupancy_in_force WHERE occupants IS NOT NULL) o
      ON o.facility_code = m.facility_code AND last_day(m.month) >= o.snapshot_date"""
BORROWERS = """
    SELECT facility_code, count(DISTINCT borrower_key) FROM mart_borrower_month
    WHERE month BETWEEN ? AND ? GROUP BY ALL"""
BORROWERS_FROM_SPANS = """
    SELECT b.facility_code, count(DISTINCT b.borrower_key) FROM mart_borrower_span b
    JOIN (SELECT k // 64 AS block, bit_or(CAST(1 AS UBIGINT) << (k % 64)) AS months
          FROM (SELECT CAST(datediff('month', DATE '1900-01-01', unnest(generate_series(?::DATE, ?::DATE,
                                                                                         INTERVAL 1 MONTH))) AS INTEGER) AS k)
          GROUP BY ALL) p ON b.block = p.block AND (b.months & p.months) <> 0
    GROUP BY ALL"""

def _rows(con, sql: str, params=()) -> list[tuple]:
    frame = con.execute(sql, list(params)).df()
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False))


def _marts(con) -> dict[str, list[tuple]]:
    return {t: _rows(con, f"SELECT * FROM {t}") for t in marts.ALL_MARTS}


def _check(con) -> None:
    for view, sql in ORIGINAL_VIEWS.items():
        assert _rows(con, f"SELECT * FROM {view}") == _rows(con, sql), view
    assert _rows(con, "SELECT * FROM mart_occupancy_month") == _rows(con, OCCUPANCY_AT_MONTH_END)
    for start, end in ((dt.date(2024, 1, 1), dt.date(2024, 12, 1)), (dt.date(2025, 11, 1), dt.date(2026, 10, 1)),
                       (dt.date(2023, 11, 1), dt.date(2026, 10, 1)), (dt.date(2022, 6, 1), dt.date(2022, 12, 1)),
                       (dt.date(2016, 1, 1), dt.date(2026, 10, 1))):  # 2022-09 starts a block of 64 months
        assert _rows(con, BORROWERS_FROM_SPANS, (start, end)) == _rows(con, BORROWERS, (start, end))
        # the overview's borrowers (rows within one block, distinct keys across two) equal a distinct count
        codes = [c for c, in con.execute("SELECT code FROM facility").fetchall()]
        kpis = con.execute(metrics.KPIS, [start, end, start, end, start, end, codes]).df()
        expected = sum(n for _, n in _rows(con, BORROWERS, (start, end)))
        assert [None if pd.isna(v) else int(v) for v in kpis["borrowers"]] == [expected or None] * 3
    end = con.execute("SELECT max(month) FROM mart_activity_month").fetchone()[0]
    codes = [c for c, in con.execute("SELECT code FROM facility").fetchall()]
    top = con.execute(metrics.TOP_TITLES, [metrics.add_months(end, -11), end, codes, 10, 10]).df()
    assert _rows(con, "SELECT facility_code, rank, title, loans FROM mart_loan_title_top12") == sorted(
        (r.code, r.rank, r.title, r.loans) for r in top.itertuples())
    refreshed = _marts(con)
    con.execute("BEGIN TRANSACTION")
    marts.rebuild(con)
    rebuilt = _marts(con)
    con.execute("ROLLBACK")
    for table in refreshed:
        assert refreshed[table] == rebuilt[table], table


# The demo's checks run in the full suite: loading it (70 files in 3 months) is a quarter of the fast tier's
# time. The fast tier checks the refreshes on the hand-checked fixture warehouse, which this test's own loads
# (loans, occupancy, an agreement, a package) give rows in every mart.
DEMO = pytest.param("demo", marks=pytest.mark.slow)


@pytest.fixture(params=["small", DEMO])
def loaded(request) -> Path:
    """The folder of a loaded warehouse (read, never changed): the fixture warehouse, or the demo."""
    release()  # whatever this process holds open is written to its file before the file is copied
    if request.param == "small":
        return Path(request.getfixturevalue("small")["PANTAU_DB"]).parent
    return request.getfixturevalue("demo_dir")


def test_refreshes_add_up_to_a_rebuild(loaded, tmp_path, monkeypatch):
    for name in ("pantau.duckdb", "pantau.duckdb.wal", "secret.key"):
        if (loaded / name).exists():
            shutil.copy(loaded / name, tmp_path / name)
    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "pantau.duckdb"))
    monkeypatch.setenv("PANTAU_SECRET_FILE", str(tmp_path / "secret.key"))
    monkeypatch.setenv("PANTAU_ORIGINALS_DIR", str(tmp_path / "originals"))
    with connect() as con:
        _check(con)
    # a new occupancy figure changes the rate of every later month; an agreement and a package arrive
    figures = pd.DataFrame({"facility_code": ["rutan-rantau", "lapas-banjarmasin"],
                            "month": [dt.date(2025, 3, 1), dt.date(2024, 6, 1)],
                            "snapshot_date": [dt.date(2025, 3, 14), dt.date(2024, 6, 2)],
                            "snapshot_key": ["2025-03-14", "2024-06-02"], "occupants": [333, 2400],
                            "capacity": [112, 366], "source": [None, "laporan"]})
    first = load_records("occupancy", figures, name="hunian", loaded_by="adm").batches[0].batch_id
    agreement = pd.DataFrame([{
        "facility_code": "rutan-rantau", "month": dt.date(2024, 2, 1), "agreement_key": "2024-02-01|001/PKS",
        "number_dispersip": "001/PKS", "number_facility": None, "signed_on": dt.date(2024, 1, 20),
        "valid_from": dt.date(2024, 2, 1), "valid_until": dt.date(2026, 1, 31), "scope": "pusling",
        "document_sha256": None, "document_name": None, "notes": None}])
    load_records("agreements", agreement, name="pks", loaded_by="adm")
    package = pd.DataFrame([{"facility_code": "lapas-amuntai", "month": dt.date(2025, 5, 1),
                             "package_date": dt.date(2025, 5, 6), "books_delivered": 150, "books_returned": None,
                             "package_label": "Paket 1", "notes": None}])
    load_records("packages", package, name="paket", loaded_by="adm")
    # loans around a block boundary of mart_borrower_span (2022-09), some borrowers on both sides
    # and a correction of the latest month (the top titles of the last 12 months change)
    months = [dt.date(2022, m, 1) for m in (7, 8, 9, 10)] + [dt.date(2026, 10, 1)]
    loans = pd.DataFrame([{
        "facility_code": "lapas-banjarmasin", "month": m, "loan_date": m.replace(day=3), "item_code": None,
        "title": "Laskar Pelangi", "category": "800 Kesusastraan", "borrower_key": f"{(k + i) % 5:024x}",
        "borrower_group": None, "borrower_gender": "L", "due_date": None, "return_date": None, "returned": None,
        "service": "perpustakaan", "n_loans": 1, "borrowers_l": None, "borrowers_p": None, "is_recap": False}
        for i, m in enumerate(months) for k in range(3)])
    latest = load_records("loans", loans, name="pinjam 2022", loaded_by="adm").batches[0].batch_id
    # a correction of one figure replaces the first batch there; the first is restored, then both undone
    corrected = figures.iloc[:1].assign(occupants=[350])
    second = load_records("occupancy", corrected, name="hunian koreksi", loaded_by="adm").batches[0].batch_id
    for step in (None, lambda: restore_batch(first, by="adm"), lambda: undo_batch(second, by="adm"),
                 lambda: undo_batch(first, by="adm"), lambda: undo_batch(latest, by="adm")):
        if step:
            step()
        with connect() as con:
            _check(con)
    release()


def _tables(con) -> list[str]:
    return [t for t, in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'main' ORDER BY table_name").fetchall()]


@pytest.mark.slow  # on the demo (see DEMO)
def test_every_table_keeps_its_declared_grain(demo_env):
    """dbt's ``unique`` test for every table and view of the demo warehouse: no two rows share the key
    its grain declares (marts.MARTS for the marts, schema.KEYS for the rest); every table declares one,
    or is listed as having rows without a key."""
    from warehouse import schema

    assert not set(marts.GRAIN) & set(schema.KEYS), "a table declared twice"
    grain = {**schema.KEYS, **marts.GRAIN}
    with connect() as con:
        tables = _tables(con)
        assert sorted(grain) == tables, "tables without a declared grain, or declared but absent: " + str(
            set(grain) ^ set(tables))
        keyless = sorted(t for t, key in grain.items() if key is None)
        assert keyless == ["stg_loan", "stg_training_participant", "stg_visit"]
        for table, key in grain.items():
            if key is None:
                continue
            columns = ", ".join(key)
            repeated = con.execute(f"SELECT {columns}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 "
                                   "LIMIT 3").fetchall()
            assert repeated == [], f"{table}: rows sharing ({columns}): {repeated}"
        empty = [t for t in marts.ALL_MARTS if not con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]]
        assert empty == [], "the demo leaves these marts empty, so their grain goes unchecked"


@pytest.mark.slow  # on the demo (see DEMO)
def test_migrations_create_the_marts_and_rebuild_fills_them(demo_dir, tmp_path):
    """The marts' SQL lives in warehouse/marts.py only: no migration fills a mart. A warehouse at schema
    version 3 (before the marts of migration 4) gets, when migrated, exactly the rows a warehouse built
    with the current code holds."""
    import re

    import duckdb

    from warehouse import schema

    for number, script in enumerate(schema.MIGRATIONS, start=1):
        assert not re.search(r"\bINSERT\s+INTO\s+mart_", script, re.IGNORECASE), f"migration {number} fills a mart"
    release()
    for name in ("pantau.duckdb", "pantau.duckdb.wal"):
        if (demo_dir / name).exists():
            shutil.copy(demo_dir / name, tmp_path / name)
    con = duckdb.connect(str(tmp_path / "pantau.duckdb"))
    try:
        built = _marts(con)
        assert all(built.values())
        # back to version 3: the views read the staging tables again, the later tables are gone
        for view, sql in ORIGINAL_VIEWS.items():
            con.execute(f"CREATE OR REPLACE VIEW {view} AS {sql}")
        later = re.findall(r"CREATE TABLE (\w+)", "".join(schema.MIGRATIONS[3:]))
        assert {"mart_occupancy_loaded", "mart_occupancy_month", "mart_loan_title_top12"} <= set(later)
        for table in later:
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        assert schema.migrate(con) == len(schema.MIGRATIONS)
        assert _marts(con) == built
        assert schema.migrate(con) == len(schema.MIGRATIONS)  # nothing pending: nothing rebuilt or changed
    finally:
        con.close()


def test_each_indicator_names_what_computes_it():
    """The Definisi Indikator page says where each figure is computed: each ``where`` is a function
    or an SQL text of a warehouse module."""
    import importlib

    from warehouse.indicators import INDICATORS

    for indicator in INDICATORS:
        module, _, name = indicator.where.partition(".")
        value = getattr(importlib.import_module(f"warehouse.{module}"), name, None)
        assert callable(value) or (isinstance(value, str) and "SELECT" in value), indicator.where


@pytest.mark.slow  # on the demo (see DEMO)
def test_the_demo_s_single_rebuild_equals_refreshing_file_by_file(demo_dir, tmp_path):
    """The demo loads its files with ``defer_marts`` (one rebuild after the last file): the marts are
    row for row those of refreshing them with each file, as staff uploads do."""
    from tests.conftest import warehouse_env
    from warehouse.db import using
    from warehouse.ingest import load_paths

    # a SLiMS export, a unit's monthly recaps of the demo's last three months, the agreements, a month of pusling
    # (the same files in the 3-month demo of a run without browser tests and the full suite's 36-month one)
    names = {"lapas-banjarmasin_peminjaman_slims_2026-10.xlsx", "dispersip_perjanjian_kerja_sama.xlsx",
             "dispersip_pusling_2026-10.xlsx", *(f"lpka-martapura_rekap_literasi_2026-{m:02}.xlsx" for m in (8, 9, 10))}
    files = sorted(str(f) for f in (demo_dir / "demo").rglob("*.xlsx") if f.name in names)
    assert len(files) == 6
    marts_of = {}
    for deferred in (False, True):
        # one pseudonymisation key for both, so that the borrowers' keys compare
        with using(warehouse_env(tmp_path / str(deferred)) | {"PANTAU_SECRET_FILE": str(demo_dir / "secret.key")}):
            assert load_paths(files, user="demo", isolate=False, checks=False, defer_marts=deferred,
                              out=lambda line: None) == 0
            with connect() as con:
                marts_of[deferred] = {m.table: con.execute(f"SELECT * FROM {m.table} ORDER BY ALL").fetchall()
                                      for m in marts.MARTS}
    assert sum(map(len, marts_of[False].values())) > 50
    assert marts_of[True] == marts_of[False]
