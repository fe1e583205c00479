"""Snapshots are history (issue 17): on the DuckLake warehouse, what the dashboard showed before a batch.

Every commit to a lake makes a new snapshot, and DuckLake reads any table as of a snapshot it still
keeps (``FROM t AT (VERSION => id)``). A load records in its batch row the snapshot its transaction
read (``batch.lake_snapshot_before``, :func:`read_snapshot`): every write to the lake changes
``pantau_lake.write_token``, so no other write commits between that snapshot and the load's own,
and the marts as of it are the figures before the batch. :func:`before_and_now` sets them beside the
figures now, for the batch's units and months, one row per unit, month and figure.

The DuckDB file keeps no snapshots: there :func:`before_and_now` answers with the reason ``file``
and nothing else; it never makes figures up. A batch without a recorded snapshot (loaded on the
file, or before the lake recorded them), a snapshot expired by maintenance, or one that does not
hold the batch where it should (a warehouse copied from another lake) each get their own reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse import db

# Per dataset, the figures a batch of it changes, per unit-month, from the marts the pages read:
# (SQL over the mart, {at} where the snapshot goes; the figures' column names, in the order shown).
FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "loans": ("SELECT facility_code, month, loans, borrowers FROM mart_activity_month {at} WHERE has_loans",
              ("loans", "borrowers")),
    "visits": ("SELECT facility_code, month, visitors FROM mart_activity_month {at} WHERE has_visits",
               ("visitors",)),
    "training": ("SELECT facility_code, month, training_sessions, training_participants "
                 "FROM mart_activity_month {at} WHERE has_training", ("training_sessions", "training_participants")),
    "occupancy": ("SELECT facility_code, month, arg_max(occupants, snapshot_date) AS occupants "
                  "FROM mart_occupancy_loaded {at} GROUP BY ALL", ("occupants",)),
    "agreements": ("SELECT facility_code, month, count(*) AS agreements FROM mart_agreement {at} GROUP BY ALL",
                   ("agreements",)),
    "packages": ("SELECT facility_code, month, sum(books_delivered) AS books_delivered "
                 "FROM mart_package {at} GROUP BY ALL", ("books_delivered",)),
}
FIGURES["attendance"] = FIGURES["training"]  # attendance lists count into the same training figures

# the batch's unit-months (batch_cell is never changed once written: read as it is now)
_COMPARE = """
WITH cells AS (SELECT DISTINCT facility_code, month FROM batch_cell WHERE batch_id = ?),
before AS ({before}),
now AS ({now})
SELECT c.facility_code, c.month, {columns}
FROM cells c
LEFT JOIN before b ON b.facility_code = c.facility_code AND b.month = c.month
LEFT JOIN now n ON n.facility_code = c.facility_code AND n.month = c.month
ORDER BY c.facility_code, c.month"""

AT = "AT (VERSION => ?)"
# a table or column the lake did not have at that snapshot
_NOT_THERE = (duckdb.CatalogException, duckdb.BinderException)


@dataclass
class Comparison:
    """The figures of one batch's unit-months before it and now. ``reason`` says why there are none:
    'file' (the warehouse keeps no snapshots), 'not_recorded', 'expired', 'mismatch', 'unreadable' or
    'no_batch'; None when ``rows`` holds them (facility_code, month, figure, before, now; before or now
    None where the unit-month had no figure then)."""

    batch_id: int
    snapshot: int | None = None
    reason: str | None = None
    rows: list[dict] = field(default_factory=list)


def available() -> bool:
    """The warehouse keeps snapshots (it is a DuckLake)."""
    return db.is_lake()


def read_snapshot(con: duckdb.DuckDBPyConnection) -> int | None:
    """The lake snapshot ``con``'s transaction reads (within a transaction it stays the one the
    transaction started from); None on the DuckDB file."""
    if not db.is_lake() or not db.con_is_lake(con):
        return None
    return int(con.execute(f"SELECT id FROM ducklake_current_snapshot('{db.LAKE}')").fetchone()[0])


def version(value) -> int:
    """A snapshot id as the integer a time-travel clause takes (refuses anything else)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not a snapshot id: {value!r}")
    return value


def before_and_now(batch_id: int, path: Path | None = None) -> Comparison:
    """For batch ``batch_id``: its dataset's figures per unit-month as of the snapshot before it,
    beside the figures now."""
    out = Comparison(int(batch_id))
    if path is not None or not available():
        out.reason = "file"
        return out
    with db.connect() as con:
        row = con.execute("SELECT dataset, loaded_at, lake_snapshot_before FROM batch WHERE batch_id = ?",
                          [out.batch_id]).fetchone()
        if row is None:
            out.reason = "no_batch"
            return out
        dataset, loaded_at, before = row
        if before is None:
            out.reason = "not_recorded"
            return out
        out.snapshot = version(int(before))
        kept = [r[0] for r in con.execute(
            f"SELECT snapshot_id FROM ducklake_snapshots('{db.LAKE}') WHERE snapshot_id >= ? ORDER BY snapshot_id "
            "LIMIT 2", [out.snapshot]).fetchall()]
        if not kept or kept[0] != out.snapshot or len(kept) < 2:
            out.reason = "expired"
            return out
        try:
            absent = con.execute(f"SELECT count(*) FROM batch {AT} WHERE batch_id = ?",
                                 [out.snapshot, out.batch_id]).fetchone()[0] == 0
            # the first commit after the snapshot is the batch's own (see the module's docstring)
            committed = con.execute(f"SELECT loaded_at FROM batch {AT} WHERE batch_id = ?",
                                    [kept[1], out.batch_id]).fetchone()
        except _NOT_THERE:
            out.reason = "unreadable"
            return out
        if not absent or committed is None or committed[0] != loaded_at:
            out.reason = "mismatch"  # a batch row copied from another warehouse: its snapshot is not this lake's
            return out
        sql, figures = FIGURES[dataset]
        columns = ", ".join(f"b.{f} AS before_{f}, n.{f} AS now_{f}" for f in figures)
        query = _COMPARE.format(before=sql.format(at=AT), now=sql.format(at=""), columns=columns)
        try:
            result = con.execute(query, [out.batch_id, out.snapshot]).fetchall()
        except _NOT_THERE:  # the marts as of then lack a table or column the query reads
            out.reason = "unreadable"
            return out
    for facility, month, *values in result:
        for i, figure in enumerate(figures):
            out.rows.append({"facility_code": facility, "month": month, "figure": figure,
                             "before": _int(values[2 * i]), "now": _int(values[2 * i + 1])})
    return out


def _int(value) -> int | None:
    return None if value is None else int(value)

