"""Batches: the same file twice, a corrected file, undo, restore, dry runs,
refused rows, and a failure in the middle of a load."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from etl.pipeline import read_file
from etl.templates import rejected_xlsx
from tests.files import write_xlsx
from warehouse.db import connect
from warehouse.load import load_file, restore_batch, undo_batch
from warehouse.queries import batches, rejected_rows, summary

D = dt.date
HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]


def recap(env, name: str, rows: list[list]):
    return write_xlsx(env / name, {"Peminjaman": [HEADER, *rows]})


def load(path, opts, **kw):
    return load_file(read_file(path, opts), loaded_by=kw.pop("by", "sari"), **kw)


def values() -> list[tuple]:
    return [(r["facility"], r["month"], r["value"]) for r in summary()]


def statuses() -> list[tuple]:
    return [(b["batch_id"], b["status"]) for b in sorted(batches(), key=lambda b: b["batch_id"])]


def snapshot() -> dict:
    """Every row of every table, to compare the whole database."""
    with connect() as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}  # noqa: S608


def test_same_file_again_changes_nothing(env, opts):
    path = recap(env, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    first = load(path, opts)
    before = snapshot()
    again = load(path, opts)
    assert [b.duplicate_of for b in again.batches] == [first.batches[0].batch_id]
    assert not again.changed
    assert snapshot() == before


def test_corrected_file_replaces_and_undo_restores(env, opts):
    august_sept = recap(env, "v1.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10],
                                         ["Rutan Rantau", "September 2024", "Agama", 7]])
    load(august_sept, opts, by="sari")
    assert values() == [("rutan-rantau", "2024-08", 10), ("rutan-rantau", "2024-09", 7)]

    corrected = recap(env, "v2.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 12],
                                       ["Rutan Rantau", "Agustus 2024", "Fiksi", 3]])
    outcome = load(corrected, opts, by="budi")
    [b] = outcome.batches
    assert [(r.batch_id, r.facility_code, r.month, r.loaded_by) for r in b.replaced] == [
        (1, "rutan-rantau", D(2024, 8, 1), "sari")]
    # August is replaced (not added to); September still comes from the first file
    assert values() == [("rutan-rantau", "2024-08", 15), ("rutan-rantau", "2024-09", 7)]
    assert statuses() == [(1, "partial"), (2, "active")]

    undo_batch(2, by="budi")
    assert values() == [("rutan-rantau", "2024-08", 10), ("rutan-rantau", "2024-09", 7)]
    assert statuses() == [(1, "active"), (2, "undone")]
    with pytest.raises(LookupError, match="sudah dibatalkan"):
        undo_batch(2, by="budi")


def test_superseded_batch_can_be_restored(env, opts):
    load(recap(env, "v1.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]]), opts)
    load(recap(env, "v2.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 99]]), opts)
    assert values() == [("rutan-rantau", "2024-08", 99)]
    assert statuses() == [(1, "superseded"), (2, "active")]
    restore_batch(1, by="sari")
    assert values() == [("rutan-rantau", "2024-08", 10)]
    assert statuses() == [(1, "active"), (2, "superseded")]
    undo_batch(1, by="sari")  # undoing the restored one brings back the other
    assert values() == [("rutan-rantau", "2024-08", 99)]
    undo_batch(2, by="sari")
    assert values() == []


def test_dry_run_saves_nothing(env, opts):
    path = recap(env, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    load(path, opts)
    before = snapshot()
    outcome = load(recap(env, "b.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 11]]), opts, dry_run=True)
    assert outcome.dry_run and [r.batch_id for r in outcome.batches[0].replaced] == [1]
    assert snapshot() == before


def test_failure_mid_load_leaves_database_exactly_as_before(env, opts):
    load(recap(env, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]]), opts)
    before = snapshot()
    result = read_file(recap(env, "b.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 11],
                                             ["Rutan Barabai", "Agustus 2024", "Agama", 5]]), opts)
    with pytest.raises(RuntimeError, match="injected failure"):
        load_file(result, loaded_by="sari", fail_after_insert=True)
    assert snapshot() == before
    assert values() == [("rutan-rantau", "2024-08", 10)]


def test_accept_valid_keeps_refused_rows(env, opts):
    path = recap(env, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10],
                                 ["Rutan Rantau", "Agustus 2024", "Fiksi", "sepuluh"],
                                 ["Lapas Antah Berantah", "Agustus 2024", "Fiksi", 3]])
    outcome = load(path, opts, accept_valid=True)
    assert [(b.rows_read, b.rows_loaded, b.rows_rejected) for b in outcome.batches] == [(3, 1, 2)]
    refused = rejected_rows(outcome.batches[0].batch_id)
    assert [(r["sheet"], r["row_number"]) for r in refused] == [("Peminjaman", 3), ("Peminjaman", 4)]
    assert refused[0]["messages_id"] == ("Sheet 'Peminjaman', baris 3, kolom 'Jumlah Peminjaman': 'sepuluh' bukan "
                                         "angka. Tulis angka saja, mis. 1234 atau 1.234.")
    book = openpyxl.load_workbook(io.BytesIO(rejected_xlsx(refused)))
    sheet = book["Ditolak"]
    assert [c.value for c in sheet[1]] == ["Sheet", "Baris", "Alasan", "Fasilitas", "Bulan", "Kategori",
                                           "Jumlah Peminjaman"]
    assert [c.value for c in sheet[2]][:2] == ["Peminjaman", 3]
    assert [c.value for c in sheet[2]][3:] == ["Rutan Rantau", "Agustus 2024", "Fiksi", "sepuluh"]
    assert values() == [("rutan-rantau", "2024-08", 10)]


def test_rejected_rows_workbook_neutralises_formula_text():
    refused = [{"sheet": "=Peminjaman", "row_number": 3, "messages_id": "-alasan", "messages_en": "-reason",
                "cell_values": '{"@Judul": "+SUM(A1)", "Jumlah": 5}'}]
    sheet = openpyxl.load_workbook(io.BytesIO(rejected_xlsx(refused)))["Ditolak"]
    assert [c.value for c in sheet[1]] == ["Sheet", "Baris", "Alasan", "'@Judul", "Jumlah"]
    assert [c.value for c in sheet[2]] == ["'=Peminjaman", 3, "'-alasan", "'+SUM(A1)", 5]


def test_originals_are_kept_by_hash(env, opts):
    path = recap(env, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    outcome = load(path, opts)
    kept = env / "originals" / f"{outcome.sha256}.xlsx"
    assert kept.read_bytes() == path.read_bytes()
