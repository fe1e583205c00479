"""Yearly targets (Perjanjian Kinerja) and their realisation: what the
Capaian Kinerja page and its LKjIP table show.

Targets are stored in revisions (:func:`save`): a revised Perjanjian Kinerja
mid-year is a new revision of that year, holding every target as it then
stood, and the latest revision is in force (the page names it). Realisation is
never computed here: each indicator's figure comes from the function that
defines it (:func:`warehouse.metrics.kpis`, :func:`warehouse.agreements.status`,
:func:`warehouse.completeness.matrix`); this module only compares.

Year to date: a yearly total (``sum``) is compared with its pro-rata target,
the share of the year's total that the months so far brought in the previous
complete years of the same units (seasonality), or months/12 when there is no
complete year of history; a level (a rate, a share, a count of units) is
compared with the target itself.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.targets import BY_KEY, TARGET_INDICATORS, check_value
from warehouse import agreements, completeness, metrics
from warehouse.accounts import AccountError, audit, require_role
from warehouse.db import connect, insert_rows, transaction
from warehouse.metrics import Scope

PROVINCE = ""
# the column of metrics.kpis (or of metrics.monthly, for the seasonal shares) that is each indicator's figure
KPI_COLUMN = {"loans": "loans", "loans_per_capita": "loans_rate", "visitors_library": "visitors_library",
              "visits_per_capita": "visitors_library_rate", "training_sessions": "training_sessions",
              "training_participants": "training_participants"}
HISTORY_YEARS = 3


class TargetError(AccountError):
    """A refused target change; the message is one sentence for the person who asked."""


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def save(year: int, rows: list[tuple[str, str, float]], *, label: str, by: str, source: str,
         replace: bool = False, path: Path | None = None) -> int:
    """Store a new revision of ``year``'s targets and return its number. ``rows`` are
    (indicator, facility code or '' for the province, value). With ``replace`` the revision holds exactly
    ``rows`` (the page's whole table); otherwise the targets of the previous revision that ``rows`` does not
    mention are carried forward (a spreadsheet that revises a few targets)."""
    label = (label or "").strip()
    if not label:
        raise TargetError("Tulis nama dokumen revisi, mis. 'Perjanjian Kinerja 2026' atau 'PK Perubahan Juli'.")
    if not 2000 <= int(year) <= 2100:
        raise TargetError(f"Tahun {year} tidak valid; tulis tahun empat angka.")
    clean: dict[tuple[str, str], float] = {}
    for indicator, code, value in rows:
        if indicator not in BY_KEY:
            raise TargetError(f"Indikator '{indicator}' tidak dikenal.")
        number = check_value(indicator, value)
        if number is None:
            raise TargetError(f"Target {BY_KEY[indicator].name_id} ({value}) bukan angka nol atau lebih"
                              + (" dan paling banyak 100." if BY_KEY[indicator].percent else "."))
        clean[(indicator, code or PROVINCE)] = number
    for attempt in transaction(path):
        with attempt as con:
            require_role(con, by, "admin", TargetError("Hanya admin yang boleh mengubah target kinerja."))
            codes = {c for c, in con.execute("SELECT code FROM facility WHERE holds_inmates").fetchall()}
            for _, code in clean:
                if code and code not in codes:
                    raise TargetError(f"Fasilitas '{code}' tidak ada di register.")
            previous = con.execute("SELECT max(revision) FROM target_revision WHERE year = ?", [year]).fetchone()[0]
            revision = (previous or 0) + 1
            merged: dict[tuple[str, str], float] = {}
            if previous and not replace:
                merged = {(i, c): v for i, c, v in con.execute(
                    "SELECT indicator, facility_code, value FROM target WHERE year = ? AND revision = ?",
                    [year, previous]).fetchall()}
            merged.update(clean)
            con.execute("INSERT INTO target_revision VALUES (?, ?, ?, ?, ?, ?)",
                        [year, revision, label, by, _now(), source])
            if merged:  # a revision may remove every target
                insert_rows(con, "target", ("year", "revision", "indicator", "facility_code", "value"),
                            [[year, revision, i, c, v] for (i, c), v in sorted(merged.items())])
            audit(con, by, "targets_save", f"{year} revisi {revision} ({label}, {source}): {len(clean)} target diubah, "
                                           f"{len(merged)} berlaku")
    return revision


REVISIONS = """
SELECT r.year, r.revision, r.label, r.entered_by, r.entered_at, r.source, count(t.indicator) AS targets
FROM target_revision r LEFT JOIN target t ON t.year = r.year AND t.revision = r.revision
WHERE r.year = ? GROUP BY ALL ORDER BY r.revision DESC
"""


def revisions(year: int, path: Path | None = None) -> pd.DataFrame:
    """The revisions of ``year``'s targets, the one in force (the latest) first."""
    with connect(path) as con:
        return con.execute(REVISIONS, [year]).df()


TARGETS = """
SELECT t.indicator, t.facility_code, t.value, t.revision
FROM target t
WHERE t.year = ? AND t.revision = coalesce(?, (SELECT max(revision) FROM target_revision WHERE year = ?))
ORDER BY t.indicator, t.facility_code
"""


def targets(year: int, revision: int | None = None, path: Path | None = None) -> pd.DataFrame:
    """The targets of ``year`` in ``revision`` (None: the one in force)."""
    with connect(path) as con:
        return con.execute(TARGETS, [year, revision, year]).df()


YEARS = "SELECT DISTINCT year FROM target_revision ORDER BY year DESC"


def years(path: Path | None = None) -> list[int]:
    with connect(path) as con:
        return [y for y, in con.execute(YEARS).fetchall()]


# ------------------------------------------------------------ realisation
@dataclass(frozen=True)
class Progress:
    year: int
    through: dt.date | None     # the last month of the year with data (None: none yet)
    months: int                 # months of the year counted so far

    @property
    def complete(self) -> bool:
        return self.months == 12


def progress(year: int, path: Path | None = None, through: dt.date | None = None) -> Progress:
    """How far into ``year`` the data reaches: its last month with any report in force (no later than
    the month ``through``, a dashboard period's last month, when given)."""
    first, last = metrics.data_range(path)
    if through is not None and last is not None:
        last = min(last, through.replace(day=1))
    if last is None or last < dt.date(year, 1, 1) or first > dt.date(year, 12, 1) or first > last:
        return Progress(year, None, 0)
    end = min(last, dt.date(year, 12, 1))
    return Progress(year, end, end.month)


def realisation(year: int, codes: tuple[str, ...], today: dt.date, path: Path | None = None,
                through: dt.date | None = None) -> dict[str, float | None]:
    """Each indicator's figure for ``year`` so far (up to the month ``through`` when given) over ``codes``,
    each from the function that defines it. None where there is no figure (no report, no occupancy figure
    to divide by)."""
    done = progress(year, path, through)
    out: dict[str, float | None] = {key: None for key in BY_KEY}
    if done.through is None:
        return out
    scope = Scope(dt.date(year, 1, 1), done.through, codes)
    row = metrics.kpis(scope, path).loc["current"]
    for key, column in KPI_COLUMN.items():
        value = row[column]
        out[key] = None if value is None or pd.isna(value) else float(value)
    day = min(today, dt.date(year, 12, 31))
    if done.through < progress(year, path).through:  # a period ending before the latest data: agreements then
        day = min(day, metrics.add_months(done.through, 1) - dt.timedelta(days=1))
    status = agreements.status(day, codes, path)
    out["agreements_active"] = float(status["status"].isin(["active", "expiring"]).sum())
    matrix = completeness.matrix(scope.start, scope.end, codes, today, path)
    due = matrix[matrix["status"].isin(["on_time", "late", "missing"])]
    out["completeness"] = 100.0 * float(due["status"].isin(["on_time", "late"]).sum()) / len(due) if len(due) else None
    return out


def seasonal_share(year: int, months: int, codes: tuple[str, ...], path: Path | None = None
                   ) -> tuple[dict[str, float], str]:
    """Per yearly-total indicator, the share of a year's total its first ``months`` months brought in the
    complete years (all twelve months reported) among the ``HISTORY_YEARS`` before ``year``; the basis:
    'seasonal' (with the years used) or 'linear' (months/12, for indicators without such a year)."""
    history = metrics.monthly(Scope(dt.date(year - HISTORY_YEARS, 1, 1), dt.date(year - 1, 12, 1), codes), path)
    history["year"] = pd.to_datetime(history["month"]).dt.year
    history["m"] = pd.to_datetime(history["month"]).dt.month
    shares: dict[str, float] = {}
    used: set[int] = set()
    for key, ind in BY_KEY.items():
        if ind.kind != "sum":
            continue
        column = KPI_COLUMN[key]
        full = history.groupby("year").filter(lambda g: g[column].notna().sum() == 12 and g[column].sum() > 0)
        if full.empty:
            shares[key] = months / 12
            continue
        used |= set(full["year"])
        shares[key] = float(full.loc[full["m"] <= months, column].sum() / full[column].sum())
    basis = "seasonal:" + ",".join(str(y) for y in sorted(used)) if used else "linear"
    return shares, basis


STATUSES = ("achieved", "not_achieved", "on_track", "behind", "no_target", "no_data")


def lkjip(year: int, codes: tuple[str, ...], facility: str = PROVINCE, today: dt.date | None = None,
          revision: int | None = None, path: Path | None = None, through: dt.date | None = None) -> pd.DataFrame:
    """The LKjIP table for ``year``: one row per indicator with its target (of ``facility``: '' = the
    province's), realisation over ``codes``, achievement (realisation ÷ target), the pro-rata target for
    the months so far and the status: achieved / not_achieved (a complete year), on_track / behind
    (year to date against the pro-rata target), no_target, no_data. With ``through`` (a month) the year
    is counted up to that month at the latest (a dashboard period of January to that month)."""
    from warehouse.settings import today as clock

    today = today or clock()
    done = progress(year, path, through)
    found = targets(year, revision, path)
    found = found[found["facility_code"] == facility]
    value_of = dict(zip(found["indicator"], found["value"]))
    real = realisation(year, codes, today, path, through)
    shares, basis = seasonal_share(year, done.months, codes, path) if done.months else ({}, "linear")
    rows = []
    for ind in TARGET_INDICATORS:
        target = value_of.get(ind.key)
        value = real[ind.key]
        prorata = None
        if target is not None and done.months:
            prorata = target * shares.get(ind.key, done.months / 12) if ind.kind == "sum" else target
        achievement = value / target if target and value is not None else None
        ytd = value / prorata if prorata and value is not None else None
        if target is None:
            status = "no_target"
        elif value is None:
            status = "no_data"
        elif done.complete:
            status = "achieved" if value >= target else "not_achieved"
        else:
            status = "on_track" if value >= (prorata or 0) else "behind"
        rows.append({"indicator": ind.key, "kind": ind.kind, "target": target, "realisation": value,
                     "achievement": achievement, "prorata": prorata, "ytd_achievement": ytd, "status": status,
                     "months": done.months, "through": done.through,
                     "basis": basis if ind.kind == "sum" and done.months and not done.complete else
                     ("level" if ind.kind == "level" else "year")})
    frame = pd.DataFrame(rows)
    for column in ("target", "realisation", "achievement", "prorata", "ytd_achievement"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def trend(year: int, codes: tuple[str, ...], facility: str = PROVINCE, years_back: int = 4,
          today: dt.date | None = None, path: Path | None = None) -> pd.DataFrame:
    """Target, realisation and achievement of every indicator for ``year`` and the ``years_back`` before
    it that have data: the LKjIP's trend of recent years (each year's targets as last revised)."""
    frames = []
    for y in range(year - years_back, year + 1):
        if progress(y, path).through is None:
            continue
        table = lkjip(y, codes, facility, today, None, path)
        table.insert(0, "year", y)
        frames.append(table[["year", "indicator", "target", "realisation", "achievement", "months"]])
    if not frames:
        return pd.DataFrame(columns=["year", "indicator", "target", "realisation", "achievement", "months"])
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------ beside the dashboard's figures
# the indicator of each figure a KPI card shows (metrics.kpis' column), where a target can be set for it
INDICATOR_OF = {column: key for key, column in KPI_COLUMN.items()}


def applies_to(codes: tuple[str, ...], path: Path | None = None) -> str | None:
    """Whose targets a view of the units ``codes`` is measured against: the province's ('') when it holds
    every inmate-holding unit of the register, a unit's own (its code) when it is that one unit, and none
    (None) for any other group of units: a province target does not apply to part of the province."""
    every = set(metrics.facilities(path)["code"])
    if codes and set(codes) == every:
        return PROVINCE
    if len(codes) == 1:
        return codes[0]
    return None


def in_view(start: dt.date, end: dt.date, codes: tuple[str, ...], today: dt.date | None = None,
            path: Path | None = None) -> pd.DataFrame:
    """The LKjIP rows a dashboard page shows beside its figures for the months ``start`` to ``end`` over
    ``codes``: when the period is a calendar year or its first months (January to a month of the same year)
    and targets apply to those units (:func:`applies_to`), the rows of that year's indicators that have a
    target, counted up to ``end`` (or the latest month with data); otherwise no rows."""
    if start.month != 1 or end.year != start.year:
        return _no_rows()
    facility = applies_to(codes, path)
    if facility is None or not (targets(start.year, None, path)["facility_code"] == facility).any():
        return _no_rows()
    table = lkjip(start.year, codes, facility, today, None, path, through=end)
    table.insert(0, "year", start.year)
    return table[table["status"] != "no_target"].reset_index(drop=True)


def _no_rows() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in
                          ("year", "indicator", "kind", "target", "realisation", "achievement", "prorata", "ytd_achievement",
                           "status", "months", "through", "basis")})
    for column in ("target", "realisation", "achievement", "prorata", "ytd_achievement"):
        frame[column] = frame[column].astype("Float64")
    return frame


def finite(value) -> bool:
    return value is not None and not pd.isna(value) and math.isfinite(float(value))
