"""Marts: the pre-aggregated tables every page reads, and the one place their
SQL is written.

The migrations in :mod:`warehouse.schema` only create the mart tables; what
fills them is here, whether for a whole warehouse (:func:`rebuild`, which the
migrations that add marts call too) or for the facility-months a load touches
(:func:`refresh`). :data:`MARTS` declares each mart once, in the order a refresh fills them:
its table, the key columns of its grain (a test checks them on the demo
warehouse), what a refresh redoes, the datasets it is made from and the
statement that fills it; the tuples of table names are derived from it.

What the marts hold are the facility-month building blocks of the figures
(loans, borrowers, visitors, service days, training sessions and participants,
the registers in force), each computed here once, in SQL over the staging tables
and the batches in force (``current_cell``); the figures the pages show are
computed from the marts by :mod:`warehouse.metrics` and its siblings.

A load, undo or restore changes which batch is in force for some
facility-months; :func:`refresh` rebuilds the marts for exactly those
facility-months, inside the caller's transaction. :func:`rebuild` redoes all
of them (after a schema change, or to check that refreshes add up).

Most marts hold one row per facility-month (or finer) and are redone for the
affected facility-months only. Two are redone per affected *facility*, all its
months (``FACILITY_MARTS``: the occupancy figure in force at each month's end,
which a new figure changes for every later month, and each borrower's months as
bits), and the top titles of the latest 12 months are redone for the affected
facilities in that window, or for all when the latest month moves. Staging rows
are stored in batch order, so each statement reads only the range of batch ids
in force for its dataset there.

Whoever writes ``occupancy`` (the register's seed figures) outside a load must
call :func:`refresh` for that facility's months, as loads, undos and restores do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

# what a refresh redoes of a mart
FACILITY_MONTHS = "the affected facility-months"
FACILITIES = "every month of the affected facilities"
LATEST_12_MONTHS = "the affected facilities in the latest 12 months, or all when the latest month moves"


ACTIVITY_DATASETS = ("loans", "visits", "training", "attendance")  # agreements, packages, occupancy are not activity


@dataclass(frozen=True)
class Mart:
    table: str
    key: tuple[str, ...]   # the columns that identify one row: the grain (no two rows share them)
    redone: str            # what a refresh redoes: FACILITY_MONTHS, FACILITIES or LATEST_12_MONTHS
    inputs: tuple[str, ...] = ACTIVITY_DATASETS  # the datasets whose cells in force it is made from
    fill: str | None = None  # the statement that fills it for the affected rows (None: the top titles' own)
    batches: tuple[str, ...] = ()  # whose range of batch ids in force its statement takes: 'loans', 'visits'


_CUR = """cur AS (
    SELECT c.* FROM current_cell c JOIN affected a ON a.facility_code = c.facility_code AND a.month = c.month
    WHERE c.dataset IN ('loans', 'visits', 'training', 'attendance'))"""

_LOANS_IN_FORCE = f"""WITH {_CUR}
    SELECT l.* FROM stg_loan l
    JOIN cur c ON c.dataset = 'loans' AND c.batch_id = l.batch_id AND c.facility_code = l.facility_code
              AND c.month = l.month AND c.part = l.service
    WHERE l.batch_id BETWEEN ? AND ?"""

_VISITS_IN_FORCE = f"""WITH {_CUR}
    SELECT v.* FROM stg_visit v
    JOIN cur c ON c.dataset = 'visits' AND c.batch_id = v.batch_id AND c.facility_code = v.facility_code
              AND c.month = v.month AND c.part = v.service
    WHERE v.batch_id BETWEEN ? AND ?"""

TRAINING_SESSIONS = f"""
INSERT INTO mart_training_session
WITH {_CUR},
sess AS (
    SELECT s.* FROM stg_training_session s
    JOIN cur c ON c.dataset = 'training' AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
              AND c.month = s.month AND c.part = ''),
att AS (
    SELECT p.facility_code, p.month, p.session_key, any_value(p.title) AS title, any_value(p.topic) AS topic,
           any_value(p.audience) AS audience, any_value(p.organiser) AS organiser, any_value(p.place) AS place,
           min(p.start_date) AS start_date, count(*) AS participants,
           count(*) FILTER (WHERE p.gender = 'L') AS participants_l,
           count(*) FILTER (WHERE p.gender = 'P') AS participants_p
    FROM stg_training_participant p
    JOIN cur c ON c.dataset = 'attendance' AND c.batch_id = p.batch_id AND c.facility_code = p.facility_code
              AND c.month = p.month AND c.part = p.session_key
    GROUP BY ALL)
-- a session reported in a training recap and also by its attendance list is one session:
-- the list's head count wins
SELECT coalesce(s.facility_code, a.facility_code), coalesce(s.month, a.month), coalesce(s.session_key, a.session_key),
       coalesce(s.title, a.title), coalesce(s.topic, a.topic), coalesce(s.audience, a.audience),
       coalesce(s.organiser, a.organiser), s.partner, coalesce(s.start_date, a.start_date), s.end_date,
       coalesce(s.place, a.place), coalesce(a.participants, s.participants),
       coalesce(a.participants_l, s.participants_l), coalesce(a.participants_p, s.participants_p),
       a.session_key IS NOT NULL
FROM sess s FULL OUTER JOIN att a
  ON s.facility_code = a.facility_code AND s.month = a.month AND s.session_key = a.session_key
"""

ACTIVITY = f"""
INSERT INTO mart_activity_month
WITH {_CUR},
flags AS (
    SELECT facility_code, month, bool_or(dataset = 'loans') AS has_loans, bool_or(dataset = 'visits') AS has_visits,
           bool_or(dataset IN ('training', 'attendance')) AS has_training
    FROM cur GROUP BY ALL),
loans AS (
    SELECT l.facility_code, l.month,
           sum(l.n_loans) AS loans,
           count(*) FILTER (WHERE NOT l.is_recap) AS loan_lines,
           nullif(count(DISTINCT l.borrower_key), 0) AS borrowers,
           nullif(coalesce(sum(l.borrowers_l), 0)
                  + count(DISTINCT l.borrower_key) FILTER (WHERE l.borrower_gender = 'L'), 0) AS borrowers_l,
           nullif(coalesce(sum(l.borrowers_p), 0)
                  + count(DISTINCT l.borrower_key) FILTER (WHERE l.borrower_gender = 'P'), 0) AS borrowers_p,
           sum(l.n_loans) FILTER (WHERE l.returned) AS loans_returned,
           sum(l.n_loans) FILTER (WHERE NOT l.returned) AS loans_open,
           sum(l.n_loans) FILTER (WHERE (l.returned AND l.return_date > l.due_date)
                                     OR (NOT l.returned AND l.due_date < CAST(b.loaded_at AS DATE))) AS loans_overdue,
           sum(l.n_loans) FILTER (WHERE l.returned IS NOT NULL) AS loans_with_status
    FROM stg_loan l
    JOIN cur c ON c.dataset = 'loans' AND c.batch_id = l.batch_id AND c.facility_code = l.facility_code
              AND c.month = l.month AND c.part = l.service
    JOIN batch b ON b.batch_id = l.batch_id
    WHERE l.batch_id BETWEEN ? AND ?
    GROUP BY ALL),
visits AS (
    SELECT v.facility_code, v.month,
           sum(v.n_visitors) AS visitors,
           sum(v.n_visitors) FILTER (WHERE v.service = 'perpustakaan') AS visitors_library,
           sum(v.n_visitors) FILTER (WHERE v.service = 'pusling') AS visitors_pusling,
           sum(v.visitors_l) AS visitors_l, sum(v.visitors_p) AS visitors_p,
           nullif(count(DISTINCT v.visit_date) FILTER (WHERE v.service = 'perpustakaan')
                  + coalesce(sum(v.service_days) FILTER (WHERE v.service = 'perpustakaan' AND v.visit_date IS NULL), 0),
                  0) AS days_library,
           nullif(count(DISTINCT v.visit_date) FILTER (WHERE v.service = 'pusling')
                  + coalesce(sum(v.service_days) FILTER (WHERE v.service = 'pusling' AND v.visit_date IS NULL), 0),
                  0) AS days_pusling
    FROM stg_visit v
    JOIN cur c ON c.dataset = 'visits' AND c.batch_id = v.batch_id AND c.facility_code = v.facility_code
              AND c.month = v.month AND c.part = v.service
    WHERE v.batch_id BETWEEN ? AND ?
    GROUP BY ALL),
training AS (
    SELECT t.facility_code, t.month, count(*) AS sessions, sum(t.participants) AS participants,
           sum(t.participants_l) AS participants_l, sum(t.participants_p) AS participants_p
    FROM mart_training_session t JOIN affected a ON a.facility_code = t.facility_code AND a.month = t.month
    GROUP BY ALL)
SELECT f.facility_code, f.month, f.has_loans, f.has_visits, f.has_training,
       CASE WHEN f.has_loans THEN coalesce(l.loans, 0) END, l.loan_lines, l.borrowers, l.borrowers_l, l.borrowers_p,
       l.loans_returned, l.loans_open, l.loans_overdue, l.loans_with_status,
       CASE WHEN f.has_visits THEN coalesce(v.visitors, 0) END, v.visitors_library, v.visitors_pusling,
       v.visitors_l, v.visitors_p, v.days_library, v.days_pusling,
       CASE WHEN f.has_training THEN coalesce(t.sessions, 0) END,
       CASE WHEN f.has_training THEN coalesce(t.participants, 0) END, t.participants_l, t.participants_p
FROM flags f
LEFT JOIN loans l ON l.facility_code = f.facility_code AND l.month = f.month
LEFT JOIN visits v ON v.facility_code = f.facility_code AND v.month = f.month
LEFT JOIN training t ON t.facility_code = f.facility_code AND t.month = f.month
"""

LOAN_CATEGORIES = f"""
INSERT INTO mart_loan_category_month
SELECT facility_code, month, coalesce(category, 'Tidak diketahui'), sum(n_loans)
FROM ({_LOANS_IN_FORCE}) GROUP BY ALL"""

LOAN_TITLES = f"""
INSERT INTO mart_loan_title_month
SELECT facility_code, month, title, sum(n_loans)
FROM ({_LOANS_IN_FORCE}) WHERE title IS NOT NULL GROUP BY ALL"""

BORROWERS = f"""
INSERT INTO mart_borrower_month
SELECT DISTINCT facility_code, month, borrower_key
FROM ({_LOANS_IN_FORCE}) WHERE borrower_key IS NOT NULL"""

VISIT_GROUPS = f"""
INSERT INTO mart_visit_group_month
SELECT facility_code, month, service, coalesce(visitor_group, 'tidak disebut'), sum(n_visitors)
FROM ({_VISITS_IN_FORCE}) GROUP BY ALL"""

# the registers in force (occupancy_in_force, agreement_in_force and package_in_force read these)
OCCUPANCY = """
INSERT INTO mart_occupancy_loaded
SELECT s.facility_code, s.month, s.snapshot_date, s.occupants, s.capacity, coalesce(s.source, b.file_name)
FROM stg_occupancy s
JOIN affected a ON a.facility_code = s.facility_code AND a.month = s.month
JOIN current_cell c ON c.dataset = 'occupancy' AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
     AND c.month = s.month AND c.part = strftime(s.snapshot_date, '%Y-%m-%d')
JOIN batch b ON b.batch_id = s.batch_id"""

AGREEMENTS = """
INSERT INTO mart_agreement
SELECT s.* FROM stg_agreement s
JOIN affected a ON a.facility_code = s.facility_code AND a.month = s.month
JOIN current_cell c ON c.dataset = 'agreements' AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
     AND c.month = s.month AND c.part = s.agreement_key"""

PACKAGES = """
INSERT INTO mart_package
SELECT s.* FROM stg_package s
JOIN affected a ON a.facility_code = s.facility_code AND a.month = s.month
JOIN current_cell c ON c.dataset = 'packages' AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
     AND c.month = s.month"""

OCCUPANCY_MONTH = """
INSERT INTO mart_occupancy_month
SELECT m.facility_code, m.month, o.occupants, o.snapshot_date
FROM (SELECT facility_code, month FROM mart_activity_month
      WHERE facility_code IN (SELECT facility_code FROM affected)) m
ASOF LEFT JOIN (SELECT facility_code, snapshot_date, occupants FROM occupancy_in_force
                WHERE occupants IS NOT NULL AND facility_code IN (SELECT facility_code FROM affected)) o
  ON o.facility_code = m.facility_code AND last_day(m.month) >= o.snapshot_date"""

BORROWER_SPANS = """
INSERT INTO mart_borrower_span
SELECT facility_code, borrower_key, k // 64, bit_or(CAST(1 AS UBIGINT) << (k % 64))
FROM (SELECT facility_code, borrower_key, CAST(datediff('month', DATE '1900-01-01', month) AS INTEGER) AS k
      FROM mart_borrower_month
      WHERE facility_code IN (SELECT facility_code FROM affected) AND month >= DATE '1900-01-01')
GROUP BY ALL"""

# The most borrowed titles of the 12 months ending at the latest reporting month. A load in those
# months redoes its facilities; a new latest month (or an undo of the last one) redoes every facility.
TOP_TITLES_KEPT = 10
TOP_TITLES = f"""
INSERT INTO mart_loan_title_top12
WITH t AS (
    SELECT m.facility_code, m.title, sum(m.loans) AS loans FROM mart_loan_title_month m
    WHERE m.month BETWEEN CAST(?::DATE - INTERVAL 11 MONTH AS DATE) AND ?::DATE
      AND (? OR m.facility_code IN (SELECT facility_code FROM affected
                                    WHERE month BETWEEN CAST(?::DATE - INTERVAL 11 MONTH AS DATE) AND ?::DATE))
    GROUP BY m.facility_code, m.title),
cut AS (  -- a facility's {TOP_TITLES_KEPT}th highest count: only titles at or above it can rank
    SELECT facility_code, list_min(max(loans, {TOP_TITLES_KEPT})) AS loans FROM t GROUP BY facility_code)
SELECT t.facility_code, ?::DATE, row_number() OVER (PARTITION BY t.facility_code ORDER BY t.loans DESC, t.title) AS rank,
       t.title, t.loans
FROM t JOIN cut ON cut.facility_code = t.facility_code AND t.loans >= cut.loans
QUALIFY rank <= {TOP_TITLES_KEPT}"""
TOP_TITLES_DELETE = """
DELETE FROM mart_loan_title_top12
WHERE ? OR facility_code IN (SELECT facility_code FROM affected
                             WHERE month BETWEEN CAST(?::DATE - INTERVAL 11 MONTH AS DATE) AND ?::DATE)"""


# Every mart, in the order refresh fills them (the training sessions before the activity that sums them,
# the activity before the occupancy at its months, the loan titles before the top titles); the schema's
# `-- grain:` comments say the same in words. A mart's inputs: its own staging datasets, plus the activity
# datasets where it follows the months a unit reported (the occupancy per activity month) or the latest
# reporting month (the top titles).
MARTS: tuple[Mart, ...] = (
    Mart("mart_training_session", ("facility_code", "month", "session_key"), FACILITY_MONTHS,
         ("training", "attendance"), TRAINING_SESSIONS),
    Mart("mart_activity_month", ("facility_code", "month"), FACILITY_MONTHS, ACTIVITY_DATASETS, ACTIVITY,
         ("loans", "visits")),
    Mart("mart_loan_category_month", ("facility_code", "month", "category"), FACILITY_MONTHS, ("loans",),
         LOAN_CATEGORIES, ("loans",)),
    Mart("mart_loan_title_month", ("facility_code", "month", "title"), FACILITY_MONTHS, ("loans",), LOAN_TITLES,
         ("loans",)),
    Mart("mart_borrower_month", ("facility_code", "month", "borrower_key"), FACILITY_MONTHS, ("loans",), BORROWERS,
         ("loans",)),
    Mart("mart_visit_group_month", ("facility_code", "month", "service", "visitor_group"), FACILITY_MONTHS,
         ("visits",), VISIT_GROUPS, ("visits",)),
    Mart("mart_occupancy_loaded", ("facility_code", "snapshot_date"), FACILITY_MONTHS, ("occupancy",), OCCUPANCY),
    Mart("mart_agreement", ("facility_code", "month", "agreement_key"), FACILITY_MONTHS, ("agreements",),
         AGREEMENTS),
    Mart("mart_package", ("facility_code", "package_date", "package_label"), FACILITY_MONTHS, ("packages",),
         PACKAGES),
    Mart("mart_occupancy_month", ("facility_code", "month"), FACILITIES, ACTIVITY_DATASETS + ("occupancy",),
         OCCUPANCY_MONTH),
    Mart("mart_borrower_span", ("facility_code", "borrower_key", "block"), FACILITIES, ("loans",), BORROWER_SPANS),
    Mart("mart_loan_title_top12", ("facility_code", "rank"), LATEST_12_MONTHS),
)
GRAIN = {m.table: m.key for m in MARTS}
INPUTS = {m.table: m.inputs for m in MARTS}
ALL_MARTS = tuple(m.table for m in MARTS)
MART_TABLES = tuple(m.table for m in MARTS if m.redone == FACILITY_MONTHS)  # one row per facility-month or finer
# kept per facility (all its months), since a new occupancy figure changes the rate of every later
# month and a borrower's bits span months: redone for every facility affected
FACILITY_MARTS = tuple(m.table for m in MARTS if m.redone == FACILITIES)

_DELETE = {t: f"DELETE FROM {t} USING affected a WHERE {t}.facility_code = a.facility_code AND {t}.month = a.month"
           for t in MART_TABLES}

_DELETE_FACILITY = {t: f"DELETE FROM {t} WHERE facility_code IN (SELECT facility_code FROM affected)"
                    for t in FACILITY_MARTS}


def _refresh_top_titles(con: duckdb.DuckDBPyConnection, everything: bool) -> None:
    end = con.execute("SELECT max(month) FROM mart_activity_month").fetchone()[0]
    kept = con.execute("SELECT max(end_month) FROM mart_loan_title_top12").fetchone()[0]
    everything = everything or kept is None or end != kept
    con.execute(TOP_TITLES_DELETE, [everything, end, end])
    if end is not None:
        con.execute(TOP_TITLES, [end, end, everything, end, end, end])


def _set_affected(con: duckdb.DuckDBPyConnection, cells: Iterable[tuple[str, dt.date]] | None) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE affected (facility_code VARCHAR, month DATE)")
    if cells is None:  # every facility-month in force, and every one a mart still holds
        con.execute("INSERT INTO affected SELECT DISTINCT facility_code, month FROM current_cell")
        held = " UNION ".join(f"SELECT facility_code, month FROM {t}" for t in MART_TABLES)
        con.execute(f"INSERT INTO affected SELECT * FROM ({held}) EXCEPT SELECT facility_code, month FROM affected")
        return
    rows = sorted(set(cells))
    if rows:
        incoming = pa.table({"facility_code": pa.array([r[0] for r in rows], pa.string()),
                             "month": pa.array([r[1] for r in rows], pa.date32())})
        con.register("affected_input", incoming)
        con.execute("INSERT INTO affected SELECT facility_code, month FROM affected_input")
        con.unregister("affected_input")


def refresh(con: duckdb.DuckDBPyConnection, cells: Iterable[tuple[str, dt.date]] | None,
            datasets: Iterable[str] | None = None) -> int:
    """Rebuild the marts for ``cells`` (facility, month); ``None`` = everything. With ``datasets`` (the
    datasets whose cells in force changed there: a load's own), only the marts made from them
    (``Mart.inputs``); the others hold the same rows either way. Runs in the caller's transaction.
    Returns the number of facility-months."""
    _set_affected(con, cells)
    n = con.execute("SELECT count(*) FROM affected").fetchone()[0]
    if not n:
        return 0
    changed = None if datasets is None else set(datasets)

    def redo(table: str) -> bool:
        return changed is None or not changed.isdisjoint(INPUTS[table])

    # the batches in force there, per dataset: a load of one dataset reads only its own batches'
    # staging rows (stored in batch order, so a narrow range of batch ids skips the rest)
    ranges = dict.fromkeys(("loans", "visits"), (0, 0))
    ranges.update({d: (lo, hi) for d, lo, hi in con.execute(
        "SELECT c.dataset, min(c.batch_id), max(c.batch_id) FROM current_cell c "
        "JOIN affected a ON a.facility_code = c.facility_code AND a.month = c.month "
        "WHERE c.dataset IN ('loans', 'visits') GROUP BY c.dataset").fetchall()})
    for table in filter(redo, MART_TABLES):
        con.execute(_DELETE[table])
    for mart in MARTS:
        if mart.fill is not None and redo(mart.table):
            if mart.redone == FACILITIES:
                con.execute(_DELETE_FACILITY[mart.table])
            con.execute(mart.fill, [bound for dataset in mart.batches for bound in ranges[dataset]])
    if redo("mart_loan_title_top12"):
        _refresh_top_titles(con, cells is None)
    con.execute("DROP TABLE affected")
    return n


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild every mart from the staging tables and the batches in force, in the caller's
    transaction (a fresh installation and the migrations that add marts call this). Returns the
    number of facility-months."""
    return refresh(con, None)
