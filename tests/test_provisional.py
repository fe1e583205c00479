"""Provisional months (a month stays provisional for a dataset until every
expected report for it has arrived) and like-for-like changes (only the units
and months that reported a figure in both periods), on the hand-checked
fixture warehouse (tests/fixtures.py) and on the demo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from warehouse import completeness, metrics, provisional
from warehouse.db import connect

D = dt.date
THREE = ("lapas-banjarmasin", "lpka-martapura", "rutan-rantau")
TODAY = D(2026, 11, 21)


def month_rows(matrix) -> list[tuple]:
    return [tuple(r) for r in provisional.by_month(matrix).itertuples(index=False)]


def test_a_month_with_a_unit_missing_is_provisional_and_names_it(small_env):
    matrix = completeness.matrix(D(2024, 7, 1), D(2024, 8, 1), THREE, TODAY)
    # by hand (tests/fixtures.py): loans from Rantau and Banjarmasin in July, from all three in August; library
    # visits from Banjarmasin in July, Rantau and Banjarmasin in August (LPKA Martapura: the mobile library's only);
    # training from Banjarmasin in July, Rantau and LPKA Martapura in August
    assert month_rows(matrix) == [
        ("loans", D(2024, 7, 1), 3, 2, 1, ["LPKA Martapura"], True),
        ("loans", D(2024, 8, 1), 3, 3, 0, [], False),
        ("visits", D(2024, 7, 1), 3, 1, 2, ["LPKA Martapura", "Rutan Rantau"], True),
        ("visits", D(2024, 8, 1), 3, 2, 1, ["LPKA Martapura"], True),
        ("training", D(2024, 7, 1), 3, 1, 2, ["LPKA Martapura", "Rutan Rantau"], True),
        ("training", D(2024, 8, 1), 3, 2, 1, ["Lapas Banjarmasin"], True),
    ]
    assert provisional.period(matrix) == {
        "loans": provisional.Status("loans", (D(2024, 7, 1),), ("LPKA Martapura",), 2, 3),
        "visits": provisional.Status("visits", (D(2024, 7, 1), D(2024, 8, 1)), ("LPKA Martapura", "Rutan Rantau"),
                                     1, 3),
        "training": provisional.Status("training", (D(2024, 7, 1), D(2024, 8, 1)),
                                       ("LPKA Martapura", "Lapas Banjarmasin", "Rutan Rantau"), 0, 3),
    }
    # August alone: every loan report is in, so its loans are final
    august = provisional.period(completeness.matrix(D(2024, 8, 1), D(2024, 8, 1), THREE, TODAY))
    assert (august["loans"].provisional, august["loans"].reported, august["loans"].expected) == (False, 3, 3)
    assert provisional.of_figure("loans", august) is None
    assert provisional.of_figure("visitors_library", august) == august["visits"]
    assert provisional.of_figure("visitors_pusling", august) is None  # Dispersip's own: no unit owes it


def test_a_report_not_yet_due_keeps_the_month_provisional(small_env):
    # on 5 September 2024 August's reports are not due yet (the 10th): LPKA Martapura's visits may still come
    matrix = completeness.matrix(D(2024, 8, 1), D(2024, 8, 1), THREE, D(2024, 9, 5))
    assert set(matrix["status"]) == {"late", "not_due"}  # (the fixture's files were loaded long after)
    assert month_rows(matrix)[1] == ("visits", D(2024, 8, 1), 3, 2, 1, ["LPKA Martapura"], True)


def test_a_unit_closed_for_the_month_owes_nothing(small_env):
    matrix = completeness.matrix(D(2024, 7, 1), D(2024, 7, 1), THREE, TODAY)
    closed = matrix.assign(status=[
        "closed" if (code, dataset) == ("lpka-martapura", "loans") else status
        for code, dataset, status in zip(matrix["code"], matrix["dataset"], matrix["status"])])
    assert month_rows(closed)[0] == ("loans", D(2024, 7, 1), 2, 2, 0, [], False)
    assert provisional.period(closed)["loans"] == provisional.Status("loans", (), (), 2, 2)


LIKE = """  -- the test's own like for like: units and months with loans in both periods, from the staging rows
    WITH loans AS (
        SELECT l.facility_code, l.month, sum(l.n_loans) AS n FROM stg_loan l JOIN current_cell c
          ON c.dataset = 'loans' AND c.batch_id = l.batch_id AND c.facility_code = l.facility_code
         AND c.month = l.month
        GROUP BY ALL)
    SELECT sum(a.n), sum(b.n), count(DISTINCT a.facility_code)
    FROM loans a JOIN loans b ON b.facility_code = a.facility_code AND b.month = a.month - to_months(?)
    WHERE a.month BETWEEN ? AND ?"""


def test_like_for_like_leaves_out_a_unit_that_reported_in_one_period_only(small_env):
    codes = tuple(metrics.facilities()["code"])
    august = metrics.Scope(D(2024, 8, 1), D(2024, 8, 1), codes)
    like = metrics.like_for_like(august)
    # LPKA Martapura lent 80 in August but sent nothing for July: left out of the change (620 against 500);
    # a year back only Rantau reported (120 against 60). Library visits: Banjarmasin in both months (40 vs 35)
    row = like.loc["previous"]
    assert (row["loans"], row["ref_loans"], row["loans_units"]) == (620, 500, 2)
    assert (row["visitors_library"], row["ref_visitors_library"], row["visitors_library_units"]) == (40, 35, 1)
    assert (row["training_participants_units"], pd.isna(row["training_participants"])) == (0, True)
    last = like.loc["last_year"]
    assert (last["loans"], last["ref_loans"], last["loans_units"]) == (120, 60, 1)
    with connect() as con:
        assert con.execute(LIKE, [1, D(2024, 8, 1), D(2024, 8, 1)]).fetchone() == (620, 500, 2)
        assert con.execute(LIKE, [12, D(2024, 8, 1), D(2024, 8, 1)]).fetchone() == (120, 60, 1)
    assert metrics.like_change(like, "previous", "loans") == metrics.Compared(620 / 500 - 1, 2, 620, 500)
    assert metrics.like_change(like, "last_year", "loans") == metrics.Compared(1.0, 1, 120, 60)
    assert metrics.like_change(like, "previous", "borrowers") is None  # compared on raw totals
    # the raw totals stay what they were
    kpis = metrics.kpis(august)
    assert (kpis.loc["current", "loans"], kpis.loc["previous", "loans"], kpis.loc["last_year", "loans"]) == \
        (700, 500, 60)
    # two months: each month is paired with the same unit's month two months (or a year) earlier
    both = metrics.like_for_like(metrics.Scope(D(2024, 7, 1), D(2024, 8, 1), codes))
    assert (both.loc["previous", "loans_units"], both.loc["last_year", "loans"], both.loc["last_year", "ref_loans"]) \
        == (0, 120, 60)


def test_a_twelve_month_period_has_one_comparison():
    codes = ("rutan-rantau",)
    year = metrics.Scope(D(2023, 9, 1), D(2024, 8, 1), codes)
    assert year.previous() == year.last_year() == metrics.Scope(D(2022, 9, 1), D(2023, 8, 1), codes)
    assert metrics.comparisons(year) == ("previous",)
    quarter = metrics.Scope(D(2024, 7, 1), D(2024, 9, 1), codes)
    assert (quarter.previous(), quarter.last_year()) == (metrics.Scope(D(2024, 4, 1), D(2024, 6, 1), codes),
                                                         metrics.Scope(D(2023, 7, 1), D(2023, 9, 1), codes))
    assert metrics.comparisons(quarter) == ("previous", "last_year")


@pytest.mark.slow  # a demo written and loaded
def test_the_demo_shows_its_last_month_provisional(demo_env):
    """Out of the box, the last month's visits are provisional: three units' reports are not in."""
    first, last = metrics.data_range()
    codes = tuple(metrics.facilities()["code"])
    statuses = provisional.period(completeness.matrix(last, last, codes, TODAY))
    assert last == D(2026, 10, 1)
    assert (statuses["loans"].provisional, statuses["training"].provisional) == (False, False)
    visits = statuses["visits"]
    assert (visits.months, visits.reported, visits.expected) == ((last,), len(codes) - 3, len(codes))
    with connect() as con:  # the units named are those without library visits that month, by the test's own SQL
        names = con.execute("""SELECT f.short_name FROM facility f WHERE f.holds_inmates AND f.code NOT IN (
            SELECT facility_code FROM current_cell WHERE dataset = 'visits' AND part = 'perpustakaan' AND month = ?)
            ORDER BY f.short_name""", [last]).fetchall()
    assert visits.units == tuple(sorted(n for (n,) in names))


def test_charts_draw_provisional_months_pale_or_dotted_and_say_so():
    from ui import charts
    from ui.i18n import use_lang
    from ui.provisional import chart_note

    frame = pd.DataFrame({"month": [D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)], "loans": [500, 520, 300],
                          "visitors_library": [200, 210, 120], "visitors_pusling": [50, 40, 45]})
    marks = {D(2026, 10, 1): ("Lapas Tanjung", "Rutan Pelaihari")}
    with use_lang("id"):
        line = charts.trend(frame, [("loans", "Peminjaman", charts.PALETTE[0])], provisional=marks)
        bars = charts.trend(frame, [("visitors_library", "Perpustakaan", charts.LIBRARY),
                                    ("visitors_pusling", "Pusling", charts.PUSLING)], bars=True, provisional=marks,
                            provisional_columns={"visitors_library"})
        note = chart_note(marks)
    dotted, solid = line.data
    # the dotted segment runs from September into October; the solid line stops before October
    assert (dotted.name, dotted.line.dash, list(dotted.y[1:]), pd.isna(dotted.y[0])) == (
        "Peminjaman (sementara)", "dot", [520, 300], True)
    assert list(solid.y[:2]) == [500, 520] and pd.isna(solid.y[2])
    assert [c[0] for c in solid.customdata] == ["Agustus 2026", "September 2026", "Oktober 2026 (sementara)"]
    library, pusling = bars.data
    assert (list(library.marker.opacity), list(pusling.marker.opacity)) == ([1.0, 1.0, 0.4], [1.0, 1.0, 1.0])
    assert note == ("Bulan berwarna pucat atau bergaris titik-titik masih sementara: Okt 2026 (belum masuk: Lapas "
                    "Tanjung, Rutan Pelaihari).")
