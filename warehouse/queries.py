"""Queries about loads: the summary contract, batch history, refused rows.

The pages' metric queries live in ``warehouse.metrics``; this module answers
what was loaded, by whom and what is in force.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import connect

SUMMARY = """
SELECT dataset, facility_code AS facility, strftime(month, '%Y-%m') AS month, value FROM (
    SELECT 'loans' AS dataset, facility_code, month, loans AS value FROM mart_activity_month WHERE has_loans
    UNION ALL
    SELECT 'visits', facility_code, month, visitors FROM mart_activity_month WHERE has_visits
    UNION ALL
    SELECT 'training', facility_code, month, training_participants FROM mart_activity_month WHERE has_training)
ORDER BY dataset, facility, month
"""


def summary(path: Path | None = None) -> list[dict]:
    """The stable contract of ``python -m etl summary --json``: per dataset,
    facility and month, the loans, visitors or training participants counted
    from the batches in force."""
    with connect(path) as con:
        rows = con.execute(SUMMARY).fetchall()
    return [{"dataset": d, "facility": f, "month": m, "value": int(v)} for d, f, m, v in rows]


BATCHES = """
WITH shown AS (  -- the batches the page lists
    SELECT * FROM batch b WHERE ?::VARCHAR IS NULL OR b.loaded_by = ?::VARCHAR ORDER BY b.batch_id DESC LIMIT ?),
cells AS (
    SELECT bc.batch_id, count(*) AS cells, count(cc.batch_id) AS cells_in_force,
           min(bc.month) AS first_month, max(bc.month) AS last_month,
           string_agg(DISTINCT bc.facility_code, ', ' ORDER BY bc.facility_code) AS facilities
    FROM batch_cell bc
    LEFT JOIN (SELECT * FROM current_cell WHERE batch_id IN (SELECT batch_id FROM shown)) cc ON cc.batch_id = bc.batch_id AND cc.dataset = bc.dataset
         AND cc.facility_code = bc.facility_code AND cc.month = bc.month AND cc.part = bc.part
    WHERE bc.batch_id IN (SELECT batch_id FROM shown)
    GROUP BY bc.batch_id)
SELECT b.batch_id, b.dataset, b.file_name, b.sha256, b.loaded_by, b.loaded_at, b.received_at, b.rows_read,
       b.rows_loaded, b.rows_rejected,
       CASE WHEN b.undone_at IS NOT NULL THEN 'undone'
            WHEN c.cells_in_force = c.cells THEN 'active'
            WHEN coalesce(c.cells_in_force, 0) = 0 THEN 'superseded'
            ELSE 'partial' END AS status,
       c.cells, c.cells_in_force, c.first_month, c.last_month, c.facilities, b.undone_at, b.undone_by
FROM shown b LEFT JOIN cells c ON c.batch_id = b.batch_id
ORDER BY b.batch_id DESC
"""


def batches(limit: int = 1000, loaded_by: str | None = None, path: Path | None = None) -> list[dict]:
    """Every batch, newest first, with its status: active, partial (some facility-months
    replaced), superseded or undone."""
    with connect(path) as con:
        cur = con.execute(BATCHES, [loaded_by, loaded_by, limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def batch(batch_id: int, con: duckdb.DuckDBPyConnection) -> dict | None:
    cur = con.execute("SELECT * FROM batch WHERE batch_id = ?", [batch_id])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def rejected_rows(batch_id: int, path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        cur = con.execute("""SELECT sheet, row_number, messages_id, messages_en, cell_values FROM rejected_row
                             WHERE batch_id = ? ORDER BY sheet, row_number""", [batch_id])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def has_data(path: Path | None = None) -> bool:
    with connect(path) as con:
        return con.execute("SELECT count(*) FROM current_cell").fetchone()[0] > 0
