"""Provisional months and reporting per dataset, defined once, from the
completeness matrix (:func:`warehouse.completeness.matrix`).

A report is *expected* from a unit for a month and dataset unless the unit is
marked closed for that month (status ``closed``: it owes nothing). A month is
*provisional* for a dataset until every expected report for it has arrived:
one that is missing (deadline passed) or not yet due keeps it provisional, and
the units still outstanding are named. A unit *reported* a dataset in a period
when every expected report of it for the period's months arrived.

Each figure of the overview belongs to one dataset (:data:`DATASET_OF`); the
mobile library's visits are Dispersip's own and owe no report per unit, so
they are never provisional for want of a unit's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from warehouse.completeness import EXPECTED

NOT_EXPECTED = ("closed",)           # statuses that owe no report
ARRIVED = ("on_time", "late")        # statuses of a report that came
OUTSTANDING = ("missing", "not_due")  # statuses that keep a month provisional

# the dataset whose reports a figure is made of (None: no report per unit is expected for it)
DATASET_OF = {
    "loans": "loans", "borrowers": "loans", "loans_rate": "loans", "borrower_share": "loans",
    "visitors_library": "visits", "visitors_library_rate": "visits", "visitors": "visits",
    "visitors_pusling": None, "visitors_pusling_rate": None,
    "training_sessions": "training", "training_participants": "training", "training_participants_rate": "training",
    "participants_l": "training", "participants_p": "training",
}

MONTH_COLUMNS = ["dataset", "month", "expected", "received", "outstanding", "missing_units", "provisional"]


def _expected(matrix: pd.DataFrame) -> pd.DataFrame:
    return matrix[~matrix["status"].isin(NOT_EXPECTED)]


def by_month(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per dataset and month of the matrix: reports expected, received, still outstanding,
    the outstanding units' short names (register order by name) and whether the month is provisional.
    Grouped once (the overview asks for it five times a run, over hundreds of units nationally)."""
    months = sorted(matrix["month"].unique())
    expected = _expected(matrix)
    expected = expected[expected["dataset"].isin(EXPECTED)]
    keys = [expected["dataset"], expected["month"]]
    n_expected = expected.groupby(keys).size().to_dict()
    received = expected["status"].isin(ARRIVED).groupby(keys).sum().to_dict()
    out = expected[expected["status"].isin(OUTSTANDING)]
    missing = out.groupby([out["dataset"], out["month"]])["short_name"].agg(sorted).to_dict()
    rows = []
    for dataset in EXPECTED:
        for month in months:
            names = missing.get((dataset, month), [])
            rows.append({"dataset": dataset, "month": pd.Timestamp(month).date(),
                         "expected": int(n_expected.get((dataset, month), 0)),
                         "received": int(received.get((dataset, month), 0)), "outstanding": len(names),
                         "missing_units": list(names), "provisional": len(names) > 0})
    return pd.DataFrame(rows, columns=MONTH_COLUMNS)


@dataclass(frozen=True)
class Status:
    """A dataset over a period: which months are provisional, which units are still outstanding,
    and how many of the expected units reported every expected month."""
    dataset: str
    months: tuple[dt.date, ...]     # the provisional months, oldest first
    units: tuple[str, ...]          # the units with a report still outstanding in any of them (by name)
    reported: int                   # units whose every expected report of the period arrived
    expected: int                   # units that owe at least one report in the period

    @property
    def provisional(self) -> bool:
        return bool(self.months)


def period(matrix: pd.DataFrame) -> dict[str, Status]:
    """Per dataset (loans, visits, training), its :class:`Status` over the matrix's months."""
    months = by_month(matrix)
    expected = _expected(matrix)
    out = {}
    for dataset in EXPECTED:
        part = months[(months["dataset"] == dataset) & months["provisional"]]
        rows = expected[expected["dataset"] == dataset]
        # a unit is complete when every expected report of it arrived (vectorised: hundreds of units nationally)
        complete = rows["status"].isin(ARRIVED).groupby(rows["code"]).all()
        units = sorted({u for names in part["missing_units"] for u in names})
        out[dataset] = Status(dataset, tuple(part["month"]), tuple(units), int(complete.sum()), len(complete))
    return out


def of_figure(column: str, statuses: dict[str, Status]) -> Status | None:
    """The status of the dataset a KPI column is made of, when it is provisional (else None)."""
    dataset = DATASET_OF.get(column)
    status = statuses.get(dataset) if dataset else None
    return status if status is not None and status.provisional else None


def months_of(matrix: pd.DataFrame, datasets: tuple[str, ...]) -> dict[dt.date, tuple[str, ...]]:
    """The months provisional for any of ``datasets``, each with the units outstanding (a chart's marks)."""
    return _months_of(by_month(matrix), datasets)


def marks(matrix: pd.DataFrame) -> dict[str, dict[dt.date, tuple[str, ...]]]:
    """:func:`months_of` for each dataset of :data:`EXPECTED` on its own (the trend charts' marks), from one
    :func:`by_month`."""
    months = by_month(matrix)
    return {dataset: _months_of(months, (dataset,)) for dataset in EXPECTED}


def _months_of(months: pd.DataFrame, datasets: tuple[str, ...]) -> dict[dt.date, tuple[str, ...]]:
    part = months[months["dataset"].isin(datasets) & months["provisional"]]
    out: dict[dt.date, set[str]] = {}
    for row in part.itertuples(index=False):
        out.setdefault(row.month, set()).update(row.missing_units)
    return {m: tuple(sorted(units)) for m, units in sorted(out.items())}


def outstanding_units(matrix: pd.DataFrame, month: dt.date) -> dict[str, list[str]]:
    """The units with an expected report for ``month`` still outstanding: short name -> its datasets
    (in :data:`EXPECTED` order); units whose every expected report arrived are left out."""
    out: dict[str, list[str]] = {}
    for row in by_month(matrix).itertuples():
        if row.month == month:
            for name in row.missing_units:
                out.setdefault(name, []).append(row.dataset)
    return dict(sorted(out.items(), key=lambda item: item[0].casefold()))
