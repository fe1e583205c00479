"""Which monthly reports arrived, when and from whom, which were late and which
are still missing. The figures defined here: each expected report's status
(:func:`matrix`), and from it report completeness per facility
(:func:`per_facility`) and per dataset (:func:`per_dataset`), and the list of
reports to chase (:func:`chase_list`).

Which reports are expected is defined here and nowhere else (:data:`MATRIX`).
Every inmate-holding facility owes three reports a month: loans and visits of
its own library (Dispersip's mobile library reports its own), and training,
for each month it is active in the register (``facility.active_from`` /
``active_until``; no date: always). A note marking the unit closed for a month
(warehouse/notes.py; for one dataset or all) turns that report into 'closed':
zero activity is expected, nothing is missing. A report is due on
``PANTAU_REPORT_DEADLINE_DAY`` of the next month; it arrived when the first
batch covering it was received (corrections later do not make it late), and it
is missing once the deadline has passed without one.

Statuses: on_time, late, missing, not_due (no report yet, deadline ahead) and
closed (not expected: the unit is closed for that month and dataset; a report
that came anyway keeps its received_at).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from warehouse import settings
from warehouse.db import connect

EXPECTED = ("loans", "visits", "training")
STATUSES = ("on_time", "late", "missing", "not_due", "closed")
# the statuses that count in no "due" figure: not due yet, or not expected at all (closed)
NOT_EXPECTED_YET = ("not_due", "closed")

MATRIX = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
datasets(dataset) AS (VALUES ('loans'), ('visits'), ('training')),
expected AS (
    SELECT f.code, f.short_name, months.month, d.dataset,
           CAST(months.month + INTERVAL 1 MONTH + (? - 1) * INTERVAL 1 DAY AS DATE) AS due
    FROM facility f CROSS JOIN months CROSS JOIN datasets d
    WHERE f.holds_inmates AND f.code IN (SELECT unnest(?::VARCHAR[]))
      -- active in the register for at least part of the month
      AND (f.active_from IS NULL OR f.active_from <= last_day(months.month))
      AND (f.active_until IS NULL OR f.active_until >= months.month)),
noted AS (  -- the notes in force on each expected report (a note for 'all' applies to each dataset)
    SELECT n.facility_code, n.month, d.dataset, bool_or(n.closed) AS closed,
           string_agg(n.text, '; ' ORDER BY n.note_id) FILTER (WHERE n.text <> '') AS notes
    FROM note_in_force n JOIN datasets d ON n.dataset IN ('all', d.dataset)
    WHERE n.month IN (SELECT month FROM months) AND n.facility_code IN (SELECT DISTINCT code FROM expected)
    GROUP BY ALL),
arrivals AS (  -- the first report (not undone) for each facility, month and dataset, even if corrected later
    SELECT c.facility_code, c.month,
           CASE WHEN c.dataset = 'attendance' THEN 'training' ELSE c.dataset END AS dataset,
           min(b.received_at) AS received_at, arg_min(b.loaded_by, b.received_at) AS loaded_by,
           arg_min(b.file_name, b.received_at) AS file_name
    FROM batch_cell c JOIN batch b ON b.batch_id = c.batch_id
    WHERE b.undone_at IS NULL
      AND (c.dataset IN ('training', 'attendance') OR (c.dataset IN ('loans', 'visits') AND c.part = 'perpustakaan'))
      AND c.month IN (SELECT month FROM months) AND c.facility_code IN (SELECT DISTINCT code FROM expected)
    GROUP BY ALL),
in_force AS (  -- whether a report is in force now (an undone-only cell is missing again)
    SELECT DISTINCT facility_code, month, CASE WHEN dataset = 'attendance' THEN 'training' ELSE dataset END AS dataset
    FROM current_cell
    WHERE (dataset IN ('training', 'attendance') OR (dataset IN ('loans', 'visits') AND part = 'perpustakaan'))
      AND month IN (SELECT month FROM months) AND facility_code IN (SELECT DISTINCT code FROM expected))
SELECT e.code, e.short_name, e.month, e.dataset, e.due, a.received_at, a.loaded_by, a.file_name,
       CASE WHEN coalesce(n.closed, false) THEN 'closed'
            WHEN i.month IS NULL AND ?::DATE > e.due THEN 'missing'
            WHEN i.month IS NULL THEN 'not_due'
            WHEN CAST(a.received_at AS DATE) > e.due THEN 'late'
            ELSE 'on_time' END AS status,
       coalesce(n.closed, false) AS closed, n.notes
FROM expected e
LEFT JOIN noted n ON n.facility_code = e.code AND n.month = e.month AND n.dataset = e.dataset
LEFT JOIN in_force i ON i.facility_code = e.code AND i.month = e.month AND i.dataset = e.dataset
LEFT JOIN arrivals a ON a.facility_code = e.code AND a.month = e.month AND a.dataset = e.dataset
ORDER BY e.short_name, e.month, e.dataset
"""


def matrix(start: dt.date, end: dt.date, facilities: tuple[str, ...], today: dt.date,
           path: Path | None = None) -> pd.DataFrame:
    """One row per facility active in the register, month and report, with its status: on_time,
    late, missing, not_due or closed; ``closed`` (bool) and ``notes`` (the notes' texts in force
    on that unit, month and dataset, or NULL) come last."""
    day = settings.get("PANTAU_REPORT_DEADLINE_DAY")
    with connect(path) as con:
        return con.execute(MATRIX, [start, end, day, list(facilities), today]).df()


def per_facility(frame: pd.DataFrame) -> pd.DataFrame:
    """Completeness of each facility: reports due, received, late, missing."""
    due = frame[~frame["status"].isin(NOT_EXPECTED_YET)]
    grouped = due.groupby(["code", "short_name"], as_index=False).agg(
        due=("status", "size"), received=("status", lambda s: int((s != "missing").sum())),
        late=("status", lambda s: int((s == "late").sum())), missing=("status", lambda s: int((s == "missing").sum())))
    grouped["completeness"] = grouped["received"] / grouped["due"].where(grouped["due"] > 0)
    return grouped.sort_values(["completeness", "short_name"])


def per_dataset(frame: pd.DataFrame) -> pd.DataFrame:
    due = frame[~frame["status"].isin(NOT_EXPECTED_YET)]
    grouped = due.groupby("dataset", as_index=False).agg(
        due=("status", "size"), received=("status", lambda s: int((s != "missing").sum())),
        late=("status", lambda s: int((s == "late").sum())), missing=("status", lambda s: int((s == "missing").sum())))
    grouped["completeness"] = grouped["received"] / grouped["due"].where(grouped["due"] > 0)
    return grouped


def chase_list(frame: pd.DataFrame) -> pd.DataFrame:
    """What staff must chase: per facility and report, the months missing and since when
    (the first month of the run of missing months that reaches the latest due month)."""
    rows = []
    for (code, name, dataset), part in frame[~frame["status"].isin(NOT_EXPECTED_YET)].groupby(["code", "short_name", "dataset"]):
        part = part.sort_values("month")
        missing = part[part["status"] == "missing"]
        if missing.empty:
            continue
        since = None
        for month, st_ in zip(reversed(list(part["month"])), reversed(list(part["status"]))):
            if st_ != "missing":
                break
            since = month
        rows.append({"code": code, "short_name": name, "dataset": dataset, "months_missing": len(missing),
                     "since": since if since is not None else missing["month"].iloc[0],
                     "latest_missing": missing["month"].iloc[-1], "ongoing": since is not None})
    out = pd.DataFrame(rows, columns=["code", "short_name", "dataset", "months_missing", "since", "latest_missing",
                                      "ongoing"])
    return out.sort_values(["ongoing", "since", "short_name"], ascending=[False, True, True])
