"""The figures of library activity the pages show, each defined once, here, and
read from the marts: the overview's KPIs (:func:`kpis`), monthly series,
rankings and map; loans, borrowers, returns, categories and top titles;
visitors, service days and visitor groups; training sessions and participants;
each facility's history and last reports; the dated occupancy figures; and the
per-inmate rates, all through :func:`ratio`.

The figures of the other registers are defined next to their data:
:mod:`warehouse.agreements` (each facility's agreement status, the register,
activity without an agreement in force), :mod:`warehouse.packages` (books on
deposit, collection turnover) and :mod:`warehouse.completeness` (reports due,
received, late and missing). The facility-month counts they all read (loans,
borrowers, visitors, service days, sessions, the registers in force) are
computed once, in :mod:`warehouse.marts`. :mod:`warehouse.indicators` names, for
each indicator, the function or SQL that computes it.

Most functions take a :class:`Scope` (a month range and the facilities in
view) and return a pandas DataFrame ready to chart. Values always travel as
bind parameters; the SQL text is constant. A month without a report is NULL,
never 0, so charts show it as a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.i18n import missing
from warehouse import marts, settings
from warehouse.db import connect


@dataclass(frozen=True)
class Scope:
    start: dt.date                 # first month (day 1)
    end: dt.date                   # last month (day 1), inclusive
    facilities: tuple[str, ...]    # facility codes in view

    def shifted(self, months: int) -> "Scope":
        return Scope(add_months(self.start, months), add_months(self.end, months), self.facilities)

    @property
    def n_months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Scope":
        """The period of the same length just before this one."""
        return self.shifted(-self.n_months)

    def last_year(self) -> "Scope":
        return self.shifted(-12)

    def at_least(self, months: int) -> "Scope":
        """This period, stretched back so it spans at least ``months`` months."""
        if self.n_months >= months:
            return self
        return Scope(add_months(self.end, -(months - 1)), self.end, self.facilities)

    def only(self, code: str) -> "Scope":
        """The same period for one facility."""
        return Scope(self.start, self.end, (code,))


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def _frame(sql: str, params: list, path: Path | None = None) -> pd.DataFrame:
    """Run a query; columns named ``*_rate`` are per-inmate ratios, scaled here to
    the rate base (``PANTAU_RATE_BASE``, e.g. per 100 inmates)."""
    with connect(path) as con:
        frame = con.execute(sql, params).df()
    base = settings.get("PANTAU_RATE_BASE")
    for column in frame.columns:
        if column.endswith("_rate"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce") * base
    return frame


# the occupancy figure in force for each facility-month (the latest dated on or before the month's end) is kept
# in mart_occupancy_month, refreshed per facility by every load
FM = """fm AS (
    SELECT m.*, o.occupants, o.occupancy_date
    FROM mart_activity_month m
    LEFT JOIN mart_occupancy_month o ON o.facility_code = m.facility_code AND o.month = m.month)"""


def change(current, reference) -> float | None:
    """The relative change of a figure against a reference period (the KPI cards' and the reports'):
    None when either is missing or the reference is zero."""
    if missing(current) or missing(reference) or not reference:
        return None
    return float(current) / float(reference) - 1


def ratio(column: str) -> str:
    """SQL for a per-inmate ratio of a figure: its sum over the facility-months that
    have both the figure and a denominator, over the occupants of those same months."""
    return (f"sum({column}) FILTER (WHERE occupants IS NOT NULL) / "
            f"nullif(sum(occupants) FILTER (WHERE {column} IS NOT NULL AND occupants IS NOT NULL), 0)")


# --------------------------------------------------------------- reference
FACILITIES = """
SELECT code, short_name, official_name, type, class, speciality, regency, lat, lon
FROM facility WHERE holds_inmates ORDER BY type, short_name"""


def facilities(path: Path | None = None) -> pd.DataFrame:
    """The inmate-holding units of the register (what the filters offer)."""
    return _frame(FACILITIES, [], path)


OCCUPANCY = """
SELECT o.facility_code AS code, f.short_name, o.snapshot_date, o.occupants, o.capacity,
       o.occupants / nullif(o.capacity, 0) - 1 AS over_capacity, o.source
FROM occupancy_in_force o JOIN facility f ON f.code = o.facility_code
WHERE o.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY f.short_name, o.snapshot_date DESC
"""


def occupancy(codes: tuple[str, ...], path: Path | None = None) -> pd.DataFrame:
    """Every dated occupancy figure in force (occupants, capacity, % over capacity)."""
    with connect(path) as con:
        return con.execute(OCCUPANCY, [list(codes)]).df()


DATA_RANGE = "SELECT min(month), max(month), count(*) FROM mart_activity_month"


def data_range(path: Path | None = None) -> tuple[dt.date | None, dt.date | None]:
    """First and last month with any report in force."""
    with connect(path) as con:
        first, last, n = con.execute(DATA_RANGE).fetchone()
    return (first, last) if n else (None, None)


# ---------------------------------------------------------------- overview
KPIS = """
WITH periods(period, p_start, p_end) AS (VALUES ('current', ?::DATE, ?::DATE), ('previous', ?::DATE, ?::DATE),
                                                ('last_year', ?::DATE, ?::DATE)),
scope AS (SELECT unnest(?::VARCHAR[]) AS facility_code),
{FM},
activity AS (
    SELECT p.period, sum(m.loans) AS loans, sum(m.visitors_library) AS visitors_library,
           sum(m.visitors_pusling) AS visitors_pusling, sum(m.visitors) AS visitors,
           sum(m.training_sessions) AS training_sessions, sum(m.training_participants) AS training_participants,
           sum(m.participants_l) AS participants_l, sum(m.participants_p) AS participants_p,
           count(DISTINCT m.facility_code) AS facilities_reported,
           count(DISTINCT m.facility_code) FILTER (WHERE m.occupants IS NOT NULL) AS facilities_with_denominator,
           {loans_rate} AS loans_rate, {library_rate} AS visitors_library_rate,
           {pusling_rate} AS visitors_pusling_rate, {participants_rate} AS training_participants_rate
    FROM periods p
    LEFT JOIN fm m ON m.month BETWEEN p.p_start AND p.p_end AND m.facility_code IN (SELECT facility_code FROM scope)
    GROUP BY p.period),
per_facility AS (  -- borrowers of each facility over the period: those whose months meet the period's
    -- (a borrower has one row per 64-month block: a period within one block counts rows, one across two
    -- counts distinct keys)
    WITH p AS (
        SELECT period, block, months, count(*) OVER (PARTITION BY period) AS blocks
        FROM (SELECT period, k // 64 AS block, bit_or(CAST(1 AS UBIGINT) << (k % 64)) AS months
              FROM (SELECT period, CAST(datediff('month', DATE '1900-01-01',
                                                unnest(generate_series(p_start, p_end, INTERVAL 1 MONTH))) AS INTEGER) AS k
                    FROM periods)
              GROUP BY ALL)),
    matched AS (
        SELECT p.period, p.blocks, b.facility_code, b.borrower_key
        FROM p JOIN mart_borrower_span b ON b.block = p.block AND (b.months & p.months) <> 0
             AND b.facility_code IN (SELECT facility_code FROM scope))
    SELECT period, facility_code, count(*) AS borrowers FROM matched WHERE blocks = 1 GROUP BY ALL
    UNION ALL
    SELECT period, facility_code, count(DISTINCT borrower_key) FROM matched WHERE blocks > 1 GROUP BY ALL),
mean_occupancy AS (
    SELECT p.period, m.facility_code, avg(m.occupants) AS occupants
    FROM periods p JOIN fm m ON m.month BETWEEN p.p_start AND p.p_end AND m.has_loans AND m.occupants IS NOT NULL
    GROUP BY ALL),
borrowers AS (
    SELECT f.period, sum(f.borrowers) AS borrowers, count(*) AS facilities_with_ids,
           sum(f.borrowers) FILTER (WHERE o.occupants IS NOT NULL) / nullif(sum(o.occupants), 0) AS borrower_share
    FROM per_facility f LEFT JOIN mean_occupancy o USING (period, facility_code)
    GROUP BY f.period)
SELECT a.period, a.loans, nullif(coalesce(b.borrowers, 0), 0) AS borrowers, coalesce(b.facilities_with_ids, 0)
       AS facilities_with_ids, b.borrower_share, a.visitors, a.visitors_library, a.visitors_pusling,
       a.training_sessions, a.training_participants, a.participants_l, a.participants_p, a.facilities_reported,
       a.facilities_with_denominator, a.loans_rate, a.visitors_library_rate, a.visitors_pusling_rate,
       a.training_participants_rate
FROM activity a LEFT JOIN borrowers b USING (period)
""".format(FM=FM, loans_rate=ratio("m.loans"), library_rate=ratio("m.visitors_library"),
           pusling_rate=ratio("m.visitors_pusling"), participants_rate=ratio("m.training_participants"))


def kpis(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """One row per period (current, previous, last_year) with every headline figure."""
    prev, last = scope.previous(), scope.last_year()
    frame = _frame(KPIS, [scope.start, scope.end, prev.start, prev.end, last.start, last.end,
                          list(scope.facilities)], path)
    return frame.set_index("period").reindex(["current", "previous", "last_year"])


# like-for-like changes: a figure of the period against a reference period (the previous one of the same length,
# or the same months a year earlier) over only the unit-months that have the figure in both: each month of the
# period is paired with the month ``shift`` months before it, for the same unit
LIKE_FIGURES = ("loans", "visitors_library", "visitors_pusling", "visitors", "training_sessions",
                "training_participants", "participants_l", "participants_p")
LIKE_RATES = ("loans", "visitors_library", "visitors_pusling", "training_participants")


def _like_columns() -> str:
    parts = []
    for f in LIKE_FIGURES:
        both = f"c_{f} IS NOT NULL AND r_{f} IS NOT NULL"
        parts.append(f"sum(c_{f}) FILTER (WHERE {both}) AS {f}, sum(r_{f}) FILTER (WHERE {both}) AS ref_{f}, "
                     f"count(DISTINCT facility_code) FILTER (WHERE {both}) AS {f}_units")
    for f in LIKE_RATES:
        both = f"c_{f} IS NOT NULL AND r_{f} IS NOT NULL AND c_occupants IS NOT NULL AND r_occupants IS NOT NULL"
        parts.append(f"sum(c_{f}) FILTER (WHERE {both}) / nullif(sum(c_occupants) FILTER (WHERE {both}), 0) "
                     f"AS {f}_rate, sum(r_{f}) FILTER (WHERE {both}) / nullif(sum(r_occupants) FILTER (WHERE {both}), 0)"
                     f" AS ref_{f}_rate, count(DISTINCT facility_code) FILTER (WHERE {both}) AS {f}_rate_units")
    return ",\n       ".join(parts)


LIKE_FOR_LIKE = """
WITH shifts(period, shift) AS (VALUES ('previous', ?::INTEGER), ('last_year', ?::INTEGER)),
scope AS (SELECT unnest(?::VARCHAR[]) AS facility_code),
{FM},
cur AS (SELECT * FROM fm WHERE month BETWEEN ? AND ? AND facility_code IN (SELECT facility_code FROM scope)),
pairs AS (
    SELECT s.period, c.facility_code, {pairs}, c.occupants AS c_occupants, r.occupants AS r_occupants
    FROM shifts s CROSS JOIN cur c
    JOIN fm r ON r.facility_code = c.facility_code AND r.month = CAST(c.month + to_months(s.shift) AS DATE))
SELECT s.period, {columns}
FROM shifts s LEFT JOIN pairs p USING (period)
GROUP BY s.period
""".format(FM=FM, pairs=", ".join(f"c.{f} AS c_{f}, r.{f} AS r_{f}" for f in LIKE_FIGURES), columns=_like_columns())


def like_for_like(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """One row per reference period (previous, last_year): each figure summed over only the unit-months
    that have it in both periods (``loans``: this period's, ``ref_loans``: the reference's, ``loans_units``:
    the units counted), and the per-inmate rates the same way (``loans_rate``, ``ref_loans_rate``)."""
    frame = _frame(LIKE_FOR_LIKE, [-scope.n_months, -12, list(scope.facilities), scope.start, scope.end], path)
    return frame.set_index("period").reindex(["previous", "last_year"])


@dataclass(frozen=True)
class Compared:
    """A figure's change against a reference period, like for like."""
    change: float | None    # over the units and months with the figure in both periods
    units: int              # units counted
    current: object         # the figure over those unit-months, this period and the reference
    reference: object


def like_change(like: pd.DataFrame, period: str, column: str) -> Compared | None:
    """The like-for-like change of a KPI column against ``period`` (None when the figure has none,
    e.g. borrowers: compared on raw totals)."""
    if column not in like.columns or f"ref_{column}" not in like.columns:
        return None
    row = like.loc[period]
    current, reference = row[column], row[f"ref_{column}"]
    units = row[f"{column}_units"]
    return Compared(change(current, reference), 0 if missing(units) else int(units),
                    None if missing(current) else current, None if missing(reference) else reference)


def comparisons(scope: Scope) -> tuple[str, ...]:
    """The reference periods a figure is compared with: the previous period of the same length and the
    same months a year earlier; once ('previous') when they are the same months (a 12-month period)."""
    return ("previous",) if scope.previous() == scope.last_year() else ("previous", "last_year")


MONTHLY = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
scope AS (SELECT unnest(?::VARCHAR[]) AS facility_code),
{FM}
SELECT months.month, sum(m.loans) AS loans, sum(m.visitors_library) AS visitors_library,
       sum(m.visitors_pusling) AS visitors_pusling, sum(m.visitors) AS visitors,
       sum(m.training_sessions) AS training_sessions, sum(m.training_participants) AS training_participants,
       count(m.facility_code) FILTER (WHERE m.has_loans) AS facilities_loans,
       count(m.facility_code) FILTER (WHERE m.has_visits) AS facilities_visits,
       count(m.facility_code) FILTER (WHERE m.has_training) AS facilities_training,
       {loans} AS loans_rate, {library} AS visitors_library_rate, {pusling} AS visitors_pusling_rate,
       {participants} AS training_participants_rate
FROM months
LEFT JOIN fm m ON m.month = months.month AND m.facility_code IN (SELECT facility_code FROM scope)
GROUP BY months.month ORDER BY months.month
""".format(FM=FM, loans=ratio("m.loans"), library=ratio("m.visitors_library"), pusling=ratio("m.visitors_pusling"),
           participants=ratio("m.training_participants"))


def monthly(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """All facilities in view, per month; NULL where no facility reported."""
    return _frame(MONTHLY, [scope.start, scope.end, list(scope.facilities)], path)


RANKING = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
grid AS (SELECT f.code, f.short_name, f.type, f.regency, months.month
         FROM facility f CROSS JOIN months WHERE f.code IN (SELECT unnest(?::VARCHAR[]))),
{FM}
SELECT g.code, g.short_name, g.type, g.regency,
       sum(m.loans) AS loans, sum(m.visitors) AS visitors, sum(m.visitors_library) AS visitors_library,
       sum(m.visitors_pusling) AS visitors_pusling, sum(m.training_sessions) AS training_sessions,
       sum(m.training_participants) AS training_participants,
       count(m.month) FILTER (WHERE m.has_loans OR m.has_visits OR m.has_training) AS months_reported,
       count(*) AS months_in_period,
       list(m.loans ORDER BY g.month) AS loans_trend,
       {loans} AS loans_rate, {visitors} AS visitors_rate, {participants} AS training_participants_rate,
       {library} AS visitors_library_rate, {pusling} AS visitors_pusling_rate,
       list(m.loans / m.occupants ORDER BY g.month) AS loans_rate_trend,
       arg_max(m.occupants, g.month) FILTER (WHERE m.occupants IS NOT NULL) AS occupants,
       bool_or(m.occupants IS NOT NULL) AS has_denominator
FROM grid g
LEFT JOIN fm m ON m.facility_code = g.code AND m.month = g.month
GROUP BY g.code, g.short_name, g.type, g.regency
ORDER BY loans DESC NULLS LAST, g.short_name
""".format(FM=FM, loans=ratio("m.loans"), visitors=ratio("m.visitors"), participants=ratio("m.training_participants"),
           library=ratio("m.visitors_library"), pusling=ratio("m.visitors_pusling"))


def ranking(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """One row per facility in view, busiest first, with its monthly loans (gaps as NULL)."""
    return _frame(RANKING, [scope.start, scope.end, list(scope.facilities)], path)


MAP = """
WITH {FM}
SELECT f.code, f.short_name, f.type, f.regency, f.lat, f.lon,
       coalesce(sum(m.loans), 0) AS loans, coalesce(sum(m.visitors), 0) AS visitors,
       coalesce(sum(m.training_participants), 0) AS training_participants, {loans} AS loans_rate
FROM facility f
LEFT JOIN fm m ON m.facility_code = f.code AND m.month BETWEEN ? AND ?
WHERE f.code IN (SELECT unnest(?::VARCHAR[])) AND f.lat IS NOT NULL
GROUP BY ALL ORDER BY loans DESC
""".format(FM=FM, loans=ratio("m.loans"))


def map_points(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    return _frame(MAP, [scope.start, scope.end, list(scope.facilities)], path)


REGENCIES = """
WITH {FM}
SELECT f.regency, count(DISTINCT f.code) AS facilities, sum(m.loans) AS loans, {loans} AS loans_rate,
       count(DISTINCT m.facility_code) FILTER (WHERE m.loans IS NOT NULL AND m.occupants IS NOT NULL)
           AS facilities_with_denominator
FROM facility f
LEFT JOIN fm m ON m.facility_code = f.code AND m.month BETWEEN ? AND ?
WHERE f.code IN (SELECT unnest(?::VARCHAR[])) AND f.regency IS NOT NULL
GROUP BY f.regency ORDER BY f.regency
""".format(FM=FM, loans=ratio("m.loans"))


def regency_rates(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Per regency or city, the units in view there and their loans per 100 inmates over the period
    (the facility-months with both figures, as :func:`ratio`); NULL where none has both."""
    return _frame(REGENCIES, [scope.start, scope.end, list(scope.facilities)], path)


# ---------------------------------------------------------------- facility
FACILITY_MONTHLY = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
{FM},
series AS (
    SELECT months.month, m.has_loans, m.has_visits, m.has_training, m.visitors_library IS NOT NULL AS has_library_visits,
           m.loans, m.borrowers, m.visitors,
           m.visitors_library, m.visitors_pusling, m.training_sessions, m.training_participants,
           m.loans_returned, m.loans_overdue, m.loans_with_status, m.occupants, m.occupancy_date,
           m.loans / m.occupants AS loans_rate, m.visitors / m.occupants AS visitors_rate,
           m.visitors_library / m.occupants AS visitors_library_rate,
           m.visitors_pusling / m.occupants AS visitors_pusling_rate,
           m.training_participants / m.occupants AS training_participants_rate
    FROM months LEFT JOIN fm m ON m.month = months.month AND m.facility_code = ?)
SELECT *,
       avg(loans) OVER w AS loans_rolling12,
       avg(visitors) OVER w AS visitors_rolling12,
       avg(training_participants) OVER w AS training_participants_rolling12,
       avg(loans_rate) OVER w AS loans_rolling12_rate,
       avg(visitors_rate) OVER w AS visitors_rolling12_rate,
       avg(training_participants_rate) OVER w AS training_participants_rolling12_rate
FROM series
WINDOW w AS (ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
QUALIFY month >= ?
ORDER BY month
""".format(FM=FM)


def facility_monthly(code: str, scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """One facility per month over the period; the 12-month rolling means look back
    11 months before the period. Unreported months are NULL (gaps)."""
    return _frame(FACILITY_MONTHLY, [add_months(scope.start, -11), scope.end, code, scope.start], path)


LAST_REPORTS = """
SELECT c.dataset, CASE WHEN c.dataset IN ('loans', 'visits') THEN c.part END AS service, max(c.month) AS last_month, arg_max(b.received_at, c.month) AS received_at,
       arg_max(b.loaded_by, c.month) AS loaded_by, arg_max(b.file_name, c.month) AS file_name,
       arg_max(b.batch_id, c.month) AS batch_id
FROM current_cell c JOIN batch b ON b.batch_id = c.batch_id
WHERE c.facility_code = ?
GROUP BY c.dataset, service
ORDER BY last_month DESC, c.dataset, service
"""


def last_reports(code: str, path: Path | None = None) -> pd.DataFrame:
    """Per dataset (and service), the latest month reported and the file it came in."""
    return _frame(LAST_REPORTS, [code], path)


# ------------------------------------------------------------------- loans
LOAN_HEATMAP = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
{FM}
SELECT f.code, f.short_name, months.month, m.loans, m.loans / m.occupants AS loans_rate
FROM facility f CROSS JOIN months
LEFT JOIN fm m ON m.facility_code = f.code AND m.month = months.month AND m.has_loans
WHERE f.code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY f.short_name, months.month
""".format(FM=FM)


def loan_heatmap(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    return _frame(LOAN_HEATMAP, [scope.start, scope.end, list(scope.facilities)], path)


LOAN_CATEGORIES = """
SELECT month, category, sum(loans) AS loans
FROM mart_loan_category_month
WHERE month BETWEEN ? AND ? AND facility_code IN (SELECT unnest(?::VARCHAR[]))
GROUP BY ALL ORDER BY month, loans DESC
"""


def loan_categories(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Loans per month and category (DDC main class or the sheet's own category)."""
    return _frame(LOAN_CATEGORIES, [scope.start, scope.end, list(scope.facilities)], path)


# the most borrowed titles: the default view (the 12 months ending at the latest reporting month) reads
# mart_loan_title_top12; any other period ranks only the titles at or above each facility's n-th count
TOP_TITLES_LATEST = """
SELECT f.code, f.short_name, t.title, CAST(t.loans AS HUGEINT) AS loans, t.rank
FROM mart_loan_title_top12 t JOIN facility f ON f.code = t.facility_code
WHERE t.end_month = ? AND t.rank <= ? AND t.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY f.short_name, t.rank
"""
TOP_TITLES = """
WITH t AS (
    SELECT facility_code, title, sum(loans) AS loans FROM mart_loan_title_month
    WHERE month BETWEEN ? AND ? AND facility_code IN (SELECT unnest(?::VARCHAR[]))
    GROUP BY facility_code, title),
cut AS (  -- each facility's n-th highest count: only titles at or above it can rank
    SELECT facility_code, list_min(max(loans, ?)) AS loans FROM t GROUP BY facility_code)
SELECT f.code, f.short_name, t.title, t.loans,
       row_number() OVER (PARTITION BY f.code ORDER BY t.loans DESC, t.title) AS rank
FROM t JOIN cut ON cut.facility_code = t.facility_code AND t.loans >= cut.loans
JOIN facility f ON f.code = t.facility_code
QUALIFY rank <= ?
ORDER BY f.short_name, rank
"""


def top_titles(scope: Scope, per_facility: int = 5, path: Path | None = None) -> pd.DataFrame:
    """The most borrowed titles of each facility (titles only: never who borrowed them)."""
    if scope.n_months == 12 and per_facility <= marts.TOP_TITLES_KEPT:
        # rows only when the mart's 12 months are the view's (else the ranking below, which is
        # empty too when the mart is empty because nothing was borrowed)
        kept = _frame(TOP_TITLES_LATEST, [scope.end, per_facility, list(scope.facilities)], path)
        if not kept.empty:
            return kept
    return _frame(TOP_TITLES, [scope.start, scope.end, list(scope.facilities), per_facility, per_facility], path)


RETURNS = """
SELECT f.code, f.short_name, sum(m.loans_with_status) AS loans_with_status, sum(m.loans_returned) AS returned,
       sum(m.loans_open) AS on_loan, sum(m.loans_overdue) AS overdue
FROM mart_activity_month m JOIN facility f ON f.code = m.facility_code
WHERE m.month BETWEEN ? AND ? AND m.facility_code IN (SELECT unnest(?::VARCHAR[])) AND m.loans_with_status > 0
GROUP BY ALL ORDER BY loans_with_status DESC
"""


def returns(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Returned, still on loan and overdue, where the data carries a loan status."""
    return _frame(RETURNS, [scope.start, scope.end, list(scope.facilities)], path)


# ------------------------------------------------------------------ visits
VISITS_BY_SERVICE = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
{FM}
SELECT f.code, f.short_name, months.month, m.visitors_library, m.visitors_pusling, m.days_library, m.days_pusling,
       m.visitors_library / m.occupants AS visitors_library_rate,
       m.visitors_pusling / m.occupants AS visitors_pusling_rate, m.occupants
FROM facility f CROSS JOIN months
LEFT JOIN fm m ON m.facility_code = f.code AND m.month = months.month AND m.has_visits
WHERE f.code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY f.short_name, months.month
""".format(FM=FM)


def visits_by_service(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    return _frame(VISITS_BY_SERVICE, [scope.start, scope.end, list(scope.facilities)], path)


VISITS_PER_DAY = """
SELECT f.code, f.short_name,
       sum(m.visitors_library) AS visitors_library, sum(m.days_library) AS days_library,
       sum(m.visitors_library) FILTER (WHERE m.days_library IS NOT NULL)
           / nullif(sum(m.days_library), 0) AS library_per_day,
       sum(m.visitors_pusling) AS visitors_pusling, sum(m.days_pusling) AS days_pusling,
       sum(m.visitors_pusling) FILTER (WHERE m.days_pusling IS NOT NULL)
           / nullif(sum(m.days_pusling), 0) AS pusling_per_visit
FROM mart_activity_month m JOIN facility f ON f.code = m.facility_code
WHERE m.month BETWEEN ? AND ? AND m.facility_code IN (SELECT unnest(?::VARCHAR[])) AND m.has_visits
GROUP BY ALL ORDER BY library_per_day DESC NULLS LAST
"""


def visits_per_day(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Visitors per day the library was open, and per mobile-library call, where days are known."""
    return _frame(VISITS_PER_DAY, [scope.start, scope.end, list(scope.facilities)], path)


VISITOR_GROUPS = """
SELECT service, visitor_group, sum(visitors) AS visitors
FROM mart_visit_group_month
WHERE month BETWEEN ? AND ? AND facility_code IN (SELECT unnest(?::VARCHAR[]))
GROUP BY ALL ORDER BY service, visitors DESC
"""


def visitor_groups(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    return _frame(VISITOR_GROUPS, [scope.start, scope.end, list(scope.facilities)], path)


# ---------------------------------------------------------------- training
SESSIONS = """
SELECT s.facility_code AS code, f.short_name, s.month, s.title, coalesce(s.topic, 'Lainnya') AS topic,
       coalesce(s.audience, 'tidak disebut') AS audience, coalesce(s.organiser, 'tidak disebut') AS organiser,
       s.partner, s.start_date, coalesce(s.end_date, s.start_date) AS end_date, s.place, s.participants,
       s.participants_l, s.participants_p, s.from_attendance
FROM mart_training_session s JOIN facility f ON f.code = s.facility_code
WHERE s.month BETWEEN ? AND ? AND s.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY s.start_date, f.short_name
"""


def sessions(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Every training session in view (one row per session and facility)."""
    return _frame(SESSIONS, [scope.start, scope.end, list(scope.facilities)], path)


TRAINING_BY = {
    "topic": "coalesce(s.topic, 'Lainnya')",
    "audience": "coalesce(s.audience, 'tidak disebut')",
    "organiser": "coalesce(s.organiser, 'tidak disebut')",
    "facility": "f.short_name",
}
_TRAINING_GROUPED = """
SELECT {dimension} AS label, count(*) AS sessions, sum(s.participants) AS participants,
       sum(s.participants_l) AS participants_l, sum(s.participants_p) AS participants_p
FROM mart_training_session s JOIN facility f ON f.code = s.facility_code
WHERE s.month BETWEEN ? AND ? AND s.facility_code IN (SELECT unnest(?::VARCHAR[]))
GROUP BY 1 ORDER BY participants DESC NULLS LAST, label
"""
TRAINING_BY_FACILITY = """
WITH {FM}
SELECT f.short_name AS label, f.code, sum(m.training_sessions) AS sessions, sum(m.training_participants) AS participants,
       sum(m.participants_l) AS participants_l, sum(m.participants_p) AS participants_p,
       {rate} AS participants_rate
FROM fm m JOIN facility f ON f.code = m.facility_code
WHERE m.month BETWEEN ? AND ? AND m.facility_code IN (SELECT unnest(?::VARCHAR[])) AND m.has_training
GROUP BY ALL ORDER BY participants DESC NULLS LAST, label
""".format(FM=FM, rate=ratio("m.training_participants"))
# one constant query per dimension (the dimension is never user text)
TRAINING_GROUPED = {key: _TRAINING_GROUPED.format(dimension=expr) for key, expr in TRAINING_BY.items()}
TRAINING_GROUPED["facility"] = TRAINING_BY_FACILITY


def training_by(dimension: str, scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Sessions and participants (L/P) grouped by topic, audience, organiser or facility."""
    return _frame(TRAINING_GROUPED[dimension], [scope.start, scope.end, list(scope.facilities)], path)
