"""Values that need a second look ("perlu dicek"), defined once.

For each unit, dataset (loans, library visits) and month, the value a file
brings is compared with that unit's own history of the same report (its own
library and the mobile library are separate reports): the median and the
median absolute deviation (MAD) of its previous 12 reported months. Where the
unit has reported the same calendar month in at least two earlier years, the
centre is scaled by how that month usually compares with its preceding twelve
(seasonal). A value is flagged when it is both

* more than ``PANTAU_ANOMALY_LIMIT`` robust deviations (1,4826 x MAD) from the
  centre, and
* at most ``1 - PANTAU_ANOMALY_MIN_CHANGE`` times the centre (a halving, a zero)
  or at least ``1 / (1 - PANTAU_ANOMALY_MIN_CHANGE)`` times it (a doubling, a
  tenfold jump);

and only when the unit has at least ``PANTAU_ANOMALY_MIN_MONTHS`` earlier
reported months and a centre of at least ``PANTAU_ANOMALY_MIN_LEVEL`` (a unit
that lends 3 books a month may lend none). Values flagged earlier and not
confirmed are left out of the history (a typo does not become the usual
level). The "usual" range shown to staff is
the lowest and highest of the previous 12 reported months; seasonal, the range
of the same month in the earlier years, scaled to the last 12 months' median.

Also here, because the replacement totals use it: the value of every
facility-month(-part) cell of every dataset, from a file's records and from the
batches in force (``MEASURES``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.i18n import fmt_int, fmt_month
from etl.specs import DATASETS, PART_OF
from warehouse import settings

CHECKED = ("loans", "visits")  # training sessions are too irregular month to month to judge this way

# per dataset: the staging table, the value of a cell (SQL over its rows ``s``), the cell's part
# (SQL, as current_cell.part holds it) and the records' column that holds the value (None: rows)
MEASURES: dict[str, tuple[str, str, str, str | None]] = {
    "loans": ("stg_loan", "sum(s.n_loans)", "s.service", "n_loans"),
    "visits": ("stg_visit", "sum(s.n_visitors)", "s.service", "n_visitors"),
    "training": ("stg_training_session", "sum(coalesce(s.participants, 0))", "''", "participants"),
    "attendance": ("stg_training_participant", "count(*)", "s.session_key", None),
    "packages": ("stg_package", "sum(coalesce(s.books_delivered, 0))", "''", "books_delivered"),
    "occupancy": ("stg_occupancy", "sum(coalesce(s.occupants, 0))", "strftime(s.snapshot_date, '%Y-%m-%d')",
                  "occupants"),
    "agreements": ("stg_agreement", "count(*)", "s.agreement_key", None),
}

PART_LABELS = {"perpustakaan": ("perpustakaan UPT", "own library"), "pusling": ("pusling", "mobile library")}

Cell = tuple[str, dt.date, str]  # facility, month, part


def record_values(records: pd.DataFrame, dataset: str) -> dict[Cell, int]:
    """The value of each cell a file's valid records cover."""
    if records is None or records.empty:
        return {}
    column = MEASURES[dataset][3]
    value = records[column].fillna(0).astype("int64") if column else pd.Series(1, index=records.index)
    part = records[PART_OF[dataset]] if dataset in PART_OF else ""
    frame = pd.DataFrame({"f": records["facility_code"], "m": records["month"], "p": part, "v": value})
    grouped = frame.groupby(["f", "m", "p"], sort=True)["v"].sum()
    return {(f, pd.Timestamp(m).date(), p): int(v) for (f, m, p), v in grouped.items()}


def in_force_values(con: duckdb.DuckDBPyConnection, dataset: str, facilities) -> dict[Cell, int]:
    """The value of each cell of ``facilities`` in the batches in force."""
    if not facilities:
        return {}
    table, value, part, _ = MEASURES[dataset]
    rows = con.execute(
        f"""SELECT s.facility_code, s.month, c.part, {value}
            FROM {table} s
            JOIN current_cell c ON c.dataset = ? AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
                 AND c.month = s.month AND c.part = {part}
            WHERE s.facility_code IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY ALL""", [dataset, sorted(facilities)]).fetchall()
    return {(f, m, p): int(v or 0) for f, m, p, v in rows}


def still_flagged(con: duckdb.DuckDBPyConnection, dataset: str, facilities) -> list[Cell]:
    """The cells of ``facilities`` whose value in force is flagged and not confirmed."""
    rows = con.execute(
        """SELECT a.facility_code, a.month, a.part FROM anomaly_flag a
           JOIN current_cell c ON c.dataset = a.dataset AND c.facility_code = a.facility_code AND c.month = a.month
                AND c.part = a.part AND c.batch_id = a.batch_id
           WHERE a.dataset = ? AND a.confirmed_at IS NULL AND a.facility_code IN (SELECT unnest(?::VARCHAR[]))""",
        [dataset, sorted(facilities)]).fetchall()
    return [tuple(r) for r in rows]


@dataclass(frozen=True)
class Expected:
    """What a unit usually reports for a month: the centre the value is judged against, the
    range it reported in its previous 12 months (seasonally scaled) and the robust spread."""
    center: float
    low: float
    high: float
    spread: float
    months: int
    seasonal: bool


@dataclass(frozen=True)
class Flag:
    dataset: str
    facility_code: str
    facility_name: str
    month: dt.date
    part: str
    value: int
    expected: Expected

    @property
    def kind(self) -> str:
        return kind_of(self.value, self.expected.center)

    def text(self, lang: str = "id") -> str:
        return flag_text(self.dataset, self.part, self.facility_name, self.month, self.value,
                         self.expected.center, self.expected.low, self.expected.high, lang)


def _add_months(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def _previous(history: dict[dt.date, float], month: dt.date) -> list[float]:
    """The values of the (at most) 12 reported months before ``month``, oldest first."""
    earlier = sorted(m for m in history if m < month)[-12:]
    return [history[m] for m in earlier]


def expected(history: dict[dt.date, float], month: dt.date) -> Expected | None:
    """What ``history`` (month -> value of one unit's report) leads one to expect for ``month``;
    None when there is too little history to say."""
    previous = _previous(history, month)
    if len(previous) < settings.get("PANTAU_ANOMALY_MIN_MONTHS"):
        return None
    median = statistics.median(previous)
    mad = statistics.median(abs(v - median) for v in previous)
    ratios = []
    for years in range(1, 4):
        then = _add_months(month, -12 * years)
        before = _previous(history, then)
        if then in history and len(before) >= settings.get("PANTAU_ANOMALY_MIN_MONTHS") and statistics.median(before):
            ratios.append(history[then] / statistics.median(before))
    if len(ratios) >= 2:  # the same month in earlier years: what it usually was against its year
        factor = statistics.median(ratios)
        return Expected(center=median * factor, low=median * min(ratios), high=median * max(ratios),
                        spread=1.4826 * mad * factor, months=len(previous), seasonal=True)
    return Expected(center=median, low=min(previous), high=max(previous), spread=1.4826 * mad,
                    months=len(previous), seasonal=False)


def is_anomaly(value: float, usual: Expected | None) -> bool:
    """The rule of this module's docstring."""
    if usual is None or usual.center < settings.get("PANTAU_ANOMALY_MIN_LEVEL"):
        return False
    change = settings.get("PANTAU_ANOMALY_MIN_CHANGE")
    far = abs(value - usual.center) > settings.get("PANTAU_ANOMALY_LIMIT") * usual.spread
    return far and (value <= usual.center * (1 - change) or value >= usual.center / (1 - change))


def cell_values(con: duckdb.DuckDBPyConnection, result, dataset: str,
                memo: dict | None = None) -> tuple[dict[Cell, int], dict[Cell, int]]:
    """The value of each cell ``result`` brings for ``dataset``, and the value in force of every cell
    of its units: read once per check of a file (``memo``), which the flags and the replacement
    totals (:mod:`warehouse.precheck`) both need. Callers must not change the dicts."""
    if memo is not None and dataset in memo:
        return memo[dataset]
    incoming = record_values(result.records(dataset), dataset)
    known = in_force_values(con, dataset, {f for f, _, _ in incoming}) if incoming else {}
    if memo is not None:
        memo[dataset] = (incoming, known)
    return incoming, known


def check(con: duckdb.DuckDBPyConnection, result, memo: dict | None = None) -> list[Flag]:
    """The flags loading ``result`` (an ETL file result) would raise, judged against the batches
    in force with the file's own earlier months taking the place of what they replace."""
    flags: list[Flag] = []
    for dataset in CHECKED:
        if dataset not in result.datasets or con.execute(
                "SELECT 1 FROM batch WHERE sha256 = ? AND dataset = ? AND undone_at IS NULL",
                [result.sha256, dataset]).fetchone():
            continue  # the same file again loads nothing
        incoming, known = cell_values(con, result, dataset, memo)
        if not incoming:
            continue
        facilities = {f for f, _, _ in incoming}
        known = dict(known)
        for cell in still_flagged(con, dataset, facilities):
            known.pop(cell, None)  # a figure that still needs a check is not what the unit usually reports
        series: dict[tuple[str, str], dict[dt.date, float]] = {}
        for (f, m, p), v in {**known, **incoming}.items():
            series.setdefault((f, p), {})[m] = v
        names = dict(con.execute("SELECT code, short_name FROM facility WHERE code IN (SELECT unnest(?::VARCHAR[]))",
                                 [sorted(facilities)]).fetchall())
        for (f, m, p), v in sorted(incoming.items()):
            usual = expected(series[(f, p)], m)
            if is_anomaly(v, usual):
                flags.append(Flag(dataset, f, names.get(f, f), m, p, v, usual))
    return flags


def report_label(dataset: str, part: str, lang: str = "id") -> str:
    """"Peminjaman", "Kunjungan Perpustakaan (pusling)": a report of a unit as staff name it."""
    spec = DATASETS[dataset]
    title = spec.title_en if lang == "en" else spec.title_id
    if dataset == "visits" and part in PART_LABELS:
        title += f" ({PART_LABELS[part][1 if lang == 'en' else 0]})"
    return title


_QUESTION = {"jump": ("Salah ketik?", "A typo?"), "drop": ("Laporannya lengkap?", "Is the report complete?"),
             "zero": ("Benar tidak ada kegiatan?", "Really no activity?")}


def kind_of(value: float, center: float) -> str:
    return "zero" if value == 0 else ("drop" if value < center else "jump")


def flag_text(dataset: str, part: str, facility_name: str, month: dt.date, value: float, center: float, low: float,
              high: float, lang: str = "id") -> str:
    """"Peminjaman Lapas X Oktober 2026: 6.270, biasanya 550-700. Salah ketik?" (one sentence per flag)."""
    kind = kind_of(value, center)
    usual = "usually" if lang == "en" else "biasanya"
    span = fmt_int(round(low), lang) if round(low) == round(high) else \
        f"{fmt_int(round(low), lang)}-{fmt_int(round(high), lang)}"
    question = _QUESTION[kind][1 if lang == "en" else 0]
    return (f"{report_label(dataset, part, lang)} {facility_name} {fmt_month(month, lang)}: "
            f"{fmt_int(round(value), lang)}, {usual} {span}. {question}")
