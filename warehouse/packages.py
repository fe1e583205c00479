"""Rotating book packages. The figures defined here: books on deposit per
facility and month (:func:`deposits`) and collection turnover (:func:`turnover`,
ISO 11620 B.2.1.1: loans / books deposited)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.db import connect
from warehouse.metrics import Scope

DEPOSITS = """
WITH months AS (SELECT CAST(unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS DATE) AS month),
grid AS (SELECT f.code, f.short_name, months.month FROM facility f CROSS JOIN months
         WHERE f.code IN (SELECT unnest(?::VARCHAR[]))),
moves AS (SELECT facility_code, month, sum(books_delivered) AS delivered, sum(books_returned) AS returned
          FROM package_in_force GROUP BY ALL),
running AS (SELECT facility_code, month, delivered, returned,
                   sum(coalesce(delivered, 0) - coalesce(returned, 0))
                       OVER (PARTITION BY facility_code ORDER BY month) AS on_deposit
            FROM moves)
SELECT g.code, g.short_name, g.month, mv.delivered, mv.returned, r.on_deposit, m.loans,
       m.loans / nullif(r.on_deposit, 0) AS turnover
FROM grid g
ASOF LEFT JOIN running r ON r.facility_code = g.code AND g.month >= r.month
LEFT JOIN moves mv ON mv.facility_code = g.code AND mv.month = g.month
LEFT JOIN mart_activity_month m ON m.facility_code = g.code AND m.month = g.month AND m.has_loans
ORDER BY g.short_name, g.month
"""


def deposits(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Per facility and month: books delivered and taken back that month, books on
    deposit at the month's end (all deliveries so far minus all returns), loans,
    and the month's turnover (loans / books on deposit)."""
    with connect(path) as con:
        return con.execute(DEPOSITS, [scope.start, scope.end, list(scope.facilities)]).df()


TURNOVER = """
WITH d AS (""" + DEPOSITS.strip() + """)
SELECT code, short_name, sum(delivered) AS delivered, sum(returned) AS returned,
       avg(on_deposit) FILTER (WHERE on_deposit > 0) AS mean_on_deposit,
       sum(loans) FILTER (WHERE on_deposit > 0) AS loans,
       sum(loans) FILTER (WHERE on_deposit > 0) / nullif(avg(on_deposit) FILTER (WHERE on_deposit > 0), 0) AS turnover
FROM d GROUP BY code, short_name
HAVING sum(delivered) > 0 OR max(on_deposit) > 0
ORDER BY turnover DESC NULLS LAST, short_name
"""


def turnover(scope: Scope, path: Path | None = None) -> pd.DataFrame:
    """Per facility over the period: loans in the months a package was on deposit,
    over the mean number of books on deposit (B.2.1.1)."""
    with connect(path) as con:
        return con.execute(TURNOVER, [scope.start, scope.end, list(scope.facilities)]).df()
