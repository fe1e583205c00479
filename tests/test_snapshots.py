"""Snapshots are history (issue 17): on the lake, the figures before a batch beside the figures now, read
by time travel to the snapshot the batch's load started from; on the DuckDB file, nothing made up."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.pipeline import read_file
from tests.files import write_xlsx
from warehouse import db, snapshots
from warehouse.ingest import make_options
from warehouse.load import load_file, undo_batch

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
AUG, SEP, OCT = dt.date(2024, 8, 1), dt.date(2024, 9, 1), dt.date(2024, 10, 1)


def load(folder, name: str, rows: list[list]) -> int:
    path = write_xlsx(folder / name, {"Peminjaman": [HEADER, *rows]})
    return load_file(read_file(path, make_options()), loaded_by="sari").batches[0].batch_id


def figures(rows):
    return [(r["facility_code"], r["month"], r["figure"], r["before"], r["now"]) for r in rows]


@pytest.mark.slow
def test_before_a_batch_the_lake_shows_what_the_earlier_batch_loaded(lake_env):
    """Batch A loads August and September for Lapas Kotabaru; batch B replaces August and adds October.
    Before B, August is A's figure and October had none; now both are B's. Before A there was nothing."""
    a = load(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12],
                                  ["Lapas Kotabaru", "September 2024", "Fiksi", 5]])
    b = load(lake_env, "b.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 30],
                                  ["Lapas Kotabaru", "Oktober 2024", "Fiksi", 7]])
    seen = snapshots.before_and_now(b)
    assert (seen.batch_id, seen.reason) == (b, None)
    assert figures(seen.rows) == [
        ("lapas-kotabaru", AUG, "loans", 12, 30), ("lapas-kotabaru", AUG, "borrowers", None, None),
        ("lapas-kotabaru", OCT, "loans", None, 7), ("lapas-kotabaru", OCT, "borrowers", None, None)]
    first = snapshots.before_and_now(a)
    assert (first.reason, first.snapshot < seen.snapshot) == (None, True)
    assert figures(first.rows) == [
        ("lapas-kotabaru", AUG, "loans", None, 30), ("lapas-kotabaru", AUG, "borrowers", None, None),
        ("lapas-kotabaru", SEP, "loans", None, 5), ("lapas-kotabaru", SEP, "borrowers", None, None)]
    undo_batch(b, by="sari")  # now is A's again; before B stays what it was
    assert figures(snapshots.before_and_now(b).rows) == [
        ("lapas-kotabaru", AUG, "loans", 12, 12), ("lapas-kotabaru", AUG, "borrowers", None, None),
        ("lapas-kotabaru", OCT, "loans", None, None), ("lapas-kotabaru", OCT, "borrowers", None, None)]


@pytest.mark.slow
def test_a_batch_without_its_snapshot_or_from_another_lake_is_not_compared(lake_env):
    """A batch whose snapshot was not recorded (loaded before the lake recorded them) says so; one whose
    recorded snapshot does not hold this lake's commit of it (copied from another lake) is not compared."""
    a = load(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12]])
    b = load(lake_env, "b.xlsx", [["Lapas Amuntai", "Agustus 2024", "Agama", 3]])
    with db.connect(write=True) as con:
        recorded = con.execute("SELECT lake_snapshot_before FROM batch WHERE batch_id = ?", [b]).fetchone()[0]
        con.execute("UPDATE batch SET lake_snapshot_before = NULL WHERE batch_id = ?", [a])
        con.execute("UPDATE batch SET lake_snapshot_before = ? WHERE batch_id = ?", [recorded - 1, b])
    assert [(c.batch_id, c.reason, c.rows) for c in map(snapshots.before_and_now, (a, b, 99))] == [
        (a, "not_recorded", []), (b, "mismatch", []), (99, "no_batch", [])]
    with db.connect(write=True) as con:
        con.execute("UPDATE batch SET lake_snapshot_before = 10000 WHERE batch_id = ?", [b])
    assert (snapshots.before_and_now(b).reason, snapshots.before_and_now(b).rows) == ("expired", [])


def test_the_file_keeps_no_snapshots(env):
    """On the DuckDB file a batch records no snapshot and no comparison is made."""
    batch = load(env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12]])
    with db.connect() as con:
        assert con.execute("SELECT lake_snapshot_before FROM batch").fetchall() == [(None,)]
    seen = snapshots.before_and_now(batch)
    assert (snapshots.available(), seen.batch_id, seen.snapshot, seen.reason, seen.rows) == (
        False, batch, None, "file", [])


def test_a_snapshot_id_is_an_integer():
    assert snapshots.version(7) == 7
    for bad in ("7", 7.0, -1, True, "1); DROP TABLE batch; --"):
        with pytest.raises(ValueError):
            snapshots.version(bad)


@pytest.mark.slow
def test_a_snapshot_expired_by_maintenance_is_said_to_be_gone(lake_env):
    """`lake-maintenance --older-than 0` expires every snapshot but the latest: the batch's figures before it
    are no longer there, and the page is told so rather than shown another snapshot's figures."""
    from warehouse import move

    load(lake_env, "a.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 12]])
    b = load(lake_env, "b.xlsx", [["Lapas Kotabaru", "Agustus 2024", "Agama", 30]])
    assert figures(snapshots.before_and_now(b).rows)[0] == ("lapas-kotabaru", AUG, "loans", 12, 30)
    assert move.maintain(0)["snapshots"] == 1
    seen = snapshots.before_and_now(b)
    assert (seen.reason, seen.rows) == ("expired", [])


def test_every_datasets_figures_read_the_marts(env):
    """Each dataset's figures are read from marts and columns the warehouse has (on the file: as now)."""
    from warehouse import marts

    with db.connect() as con:
        for dataset, (sql, names) in snapshots.FIGURES.items():
            cur = con.execute(sql.format(at=""))
            assert [d[0] for d in cur.description] == ["facility_code", "month", *names], dataset
            assert cur.fetchall() == [], dataset
    assert set(snapshots.FIGURES) == set(marts.ACTIVITY_DATASETS) | {"occupancy", "agreements", "packages"}
