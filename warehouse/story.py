"""The overview's story: the ranking with each unit's change against the previous period and its loans per
100 WBP, whether it has reported the latest month, and the facts the opening sentences state (which units
have not reported, which is lowest per 100 WBP, which improved most). Each query written once, with bind
parameters; the page only words what this returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from warehouse import metrics
from warehouse.metrics import FM, Scope, _frame, ratio

CHANGES = """
WITH {FM},
periods AS (SELECT 'current' AS period, ?::DATE AS first, ?::DATE AS last
            UNION ALL SELECT 'previous', ?::DATE, ?::DATE),
figures AS (
    SELECT p.period, m.facility_code, sum(m.loans) AS loans, {loans} AS loans_rate
    FROM periods p JOIN fm m ON m.month BETWEEN p.first AND p.last
    GROUP BY p.period, m.facility_code),
latest AS (
    SELECT facility_code FROM mart_activity_month
    WHERE month = ? AND (has_loans OR has_visits OR has_training))
SELECT f.code, c.loans, p.loans AS loans_previous, c.loans_rate, p.loans_rate AS previous_loans_rate,  -- *_rate: scaled by _frame
       f.code IN (SELECT facility_code FROM latest) AS reported_latest
FROM facility f
LEFT JOIN figures c ON c.facility_code = f.code AND c.period = 'current'
LEFT JOIN figures p ON p.facility_code = f.code AND p.period = 'previous'
WHERE f.code IN (SELECT unnest(?::VARCHAR[]))
""".format(FM=FM, loans=ratio("m.loans"))


def ranking(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """:func:`metrics.ranking` with, per unit: ``loans_previous`` and ``loans_change`` (relative, against the
    period of the same length just before), ``loans_rate_previous`` and ``loans_rate_change`` (per 100 WBP),
    and ``reported_latest`` (a report for the period's last month). Ordered by loans per 100 WBP, highest
    first, units without a denominator last (raw counts mostly measure a unit's size)."""
    base = metrics.ranking(scope, path)
    previous = scope.previous()
    changes = _frame(CHANGES, [scope.start, scope.end, previous.start, previous.end, scope.end,
                               list(scope.facilities)], path).rename(columns={"previous_loans_rate": "loans_rate_previous"})
    frame = base.merge(changes[["code", "loans_previous", "loans_rate_previous", "reported_latest"]],
                       on="code", how="left")
    frame["loans_change"] = [metrics.change(c, p) for c, p in zip(frame["loans"], frame["loans_previous"])]
    frame["loans_rate_change"] = [metrics.change(c, p) for c, p in zip(frame["loans_rate"],
                                                                        frame["loans_rate_previous"])]
    for column in ("loans_change", "loans_rate_change"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["reported_latest"] = frame["reported_latest"].fillna(False).astype(bool)
    return frame.sort_values(["loans_rate", "loans", "short_name"], ascending=[False, False, True],
                             na_position="last").reset_index(drop=True)


@dataclass(frozen=True)
class Facts:
    """What the overview's opening sentences and its 'perlu perhatian' list state."""
    not_reported: dict[str, list[str]]             # units with an expected report for the latest month not in: datasets
    lowest: tuple[str, float] | None               # (unit, loans per 100 WBP per month)
    improved: tuple[str, float] | None             # (unit, relative change of loans per 100 WBP), > 0 only
    declined: list[tuple[str, float]]              # units whose loans per 100 WBP fell by ``drop`` or more
    no_denominator: list[str]                      # units that reported without an occupancy figure


def facts(frame: pd.DataFrame, outstanding: dict[str, list[str]], drop: float = 0.2) -> Facts:
    """The facts in a :func:`ranking` frame; ``outstanding``: the units whose expected reports for the
    latest month have not all arrived, with those reports' datasets (warehouse.provisional.outstanding_units)."""
    rated = frame[frame["loans_rate"].notna()]
    lowest = rated.nsmallest(1, "loans_rate") if len(rated) > 1 else rated.iloc[:0]
    changed = frame[frame["loans_rate_change"].notna()]
    best = changed.nlargest(1, "loans_rate_change")
    declined = changed[changed["loans_rate_change"] <= -drop].sort_values("loans_rate_change")
    return Facts(
        not_reported={name: list(datasets) for name, datasets in outstanding.items()},  # in the given order
        lowest=(lowest["short_name"].iloc[0], float(lowest["loans_rate"].iloc[0])) if len(lowest) else None,
        improved=((best["short_name"].iloc[0], float(best["loans_rate_change"].iloc[0]))
                  if len(best) and best["loans_rate_change"].iloc[0] > 0 else None),
        declined=[(r.short_name, float(r.loans_rate_change)) for r in declined.itertuples()],
        # reported, but without an occupancy figure for any reported month
        no_denominator=sorted(frame.loc[(frame["months_reported"] > 0) & ~frame["has_denominator"].fillna(False)
                                        .astype(bool), "short_name"]))
