"""One palette: a category has the same colour in every chart (whatever its rank there), agreement bars
take their status's colour, legends list only series with data, the latest month is always labelled,
and the xlsx charts use the same colours."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest

import reports
from reports.period import parse
from ui import charts, palette

D = dt.date


def _colours(fig) -> dict[str, str]:
    return {trace.name: trace.marker.color for trace in fig.data}


def test_a_ddc_class_has_one_colour_whatever_its_rank():
    months = [pd.Timestamp(2026, 9, 1), pd.Timestamp(2026, 10, 1)]
    # on one page 'Agama' leads, on the other it comes third
    one = pd.DataFrame({"month": months * 3, "category": ["200 Agama"] * 2 + ["800 Kesusastraan"] * 2 + ["Fiksi"] * 2,
                        "loans": [90, 80, 20, 10, 5, 5]})
    other = pd.DataFrame({"month": months * 3, "category": ["200 Agama"] * 2 + ["800 Kesusastraan"] * 2 + ["Fiksi"] * 2,
                          "loans": [1, 2, 50, 60, 30, 30]})
    first, second = _colours(charts.stacked_categories(one, "category", "loans", "Peminjaman")), \
        _colours(charts.stacked_categories(other, "category", "loans", "Peminjaman"))
    assert first == second == {"200 Agama": palette.DDC[2], "800 Kesusastraan": palette.DDC[8],
                               "Fiksi": palette.colour("ddc", "Fiksi")}
    assert palette.colour("ddc", "Fiksi") == palette.colour("ddc", "fiksi ") in palette.OTHERS
    assert palette.colour("ddc", "Lainnya") == palette.colour("topic", "Tidak diketahui") == "#6B6B6B"
    assert len(set(palette.DDC.values())) == 10 and len(set(palette.TOPIC.values())) == len(palette.TOPIC)


def test_training_topics_keep_their_colour():
    sessions = pd.DataFrame({
        "code": ["a", "b"], "short_name": ["Lapas A", "Rutan B"], "title": ["x", "y"], "topic": ["Menulis", "Hidroponik"],
        "start_date": [D(2026, 10, 1), D(2026, 10, 5)], "end_date": [D(2026, 10, 1), D(2026, 10, 6)],
        "participants": [10, 12]})
    assert _colours(charts.timeline(sessions, "topic", {})) == {"Menulis": palette.TOPIC["Menulis"],
                                                                 "Hidroponik": palette.TOPIC["Hidroponik"]}


def test_agreement_bars_take_their_status_colour():
    register = pd.DataFrame({
        "code": ["a", "b", "c", "a"], "short_name": ["Lapas A", "Rutan B", "LPKA C", "Lapas A"],
        "number_dispersip": ["1/PKS", None, "3/PKS", "0/PKS"],
        "valid_from": [D(2024, 1, 1), D(2025, 1, 1), D(2023, 1, 1), D(2022, 1, 1)],
        "valid_until": [D(2027, 6, 30), D(2026, 12, 1), D(2025, 12, 31), D(2023, 12, 31)]})
    fig = charts.agreement_timeline(register, D(2026, 11, 21), "hari ini",
                                    {"active": "berlaku", "expiring": "segera berakhir", "expired": "sudah berakhir",
                                     "renewed": "sudah diperpanjang"}, warn_days=60)
    assert [(trace.name, trace.marker.color, tuple(trace.y)) for trace in fig.data] == [
        ("sudah diperpanjang", palette.AGREEMENT["renewed"], ("Lapas A",)),   # ended, followed by 1/PKS
        ("berlaku", palette.AGREEMENT["active"], ("Lapas A",)),
        ("segera berakhir", palette.AGREEMENT["expiring"], ("Rutan B",)),
        ("sudah berakhir", palette.AGREEMENT["expired"], ("LPKA C",))]
    # only the statuses present are in the legend
    fig = charts.agreement_timeline(register.iloc[:1], D(2026, 11, 21), "hari ini", {}, warn_days=60)
    assert [trace.name for trace in fig.data] == ["active"]


def test_legends_list_only_series_with_data():
    months = pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"])
    deposits = pd.DataFrame({"month": list(months) * 3,
                             "short_name": ["Lapas A"] * 3 + ["Rutan B"] * 3 + ["LPKA C"] * 3,
                             "on_deposit": [100, 120, 90, None, None, None, 0, 0, 0]})
    assert [trace.name for trace in charts.lines_by_facility(deposits, "on_deposit", "Buku").data] == ["Lapas A"]
    monthly = pd.DataFrame({"month": months, "visitors_library": [5, 6, 7], "visitors_pusling": [None] * 3})
    fig = charts.trend(monthly, [("visitors_library", "Perpustakaan UPT", charts.LIBRARY),
                                 ("visitors_pusling", "Pusling", charts.PUSLING)])
    assert [(trace.name, trace.line.color) for trace in fig.data] == [("Perpustakaan UPT", palette.SERVICE["perpustakaan"])]


def test_the_latest_month_is_always_labelled():
    for n in (1, 5, 12, 13, 18, 25, 36):
        months = pd.date_range("2024-01-01", periods=n, freq="MS")
        frame = pd.DataFrame({"month": months, "loans": range(n)})
        axis = charts.trend(frame, [("loans", "Peminjaman", palette.TEAL)]).layout.xaxis
        ticks = list(axis.tickvals)
        assert pd.Timestamp(ticks[-1]) == months[-1], n
        assert len(ticks) <= 12
        # labels too long to lie flat end at their tick: plotly's own 30 degrees starts them there, and on a
        # half-width chart the latest month's label ran past the right edge and was not drawn
        assert list(axis.autotickangles) == [0, -30, -90]


@pytest.mark.parametrize("start,n,labels", [
    ("2025-12-01", 12, ["Des", "Jan<br>2026", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov"]),
    ("2025-11-01", 4, ["Nov<br>2025", "Des", "Jan<br>2026", "Feb"]),
    ("2023-12-01", 36, ["Feb<br>2024", "Mei", "Agu", "Nov", "Feb<br>2025", "Mei", "Agu", "Nov", "Feb<br>2026", "Mei",
                        "Agu", "Nov"]),
    ("2026-09-01", 3, ["September 2026", "Oktober 2026", "November 2026"])])
def test_month_labels_are_short_with_the_year_where_it_changes(start, n, labels):
    """Short enough to lie flat on a half-width chart: the month, and the year under the first tick and where
    it changes (a first December beside 'Jan 2026' needs none: on a phone the two years crowd each other)."""
    from ui.i18n import use_lang

    months = pd.date_range(start, periods=n, freq="MS")
    with use_lang("id"):
        axis = charts.trend(pd.DataFrame({"month": months, "loans": range(n)}),
                            [("loans", "Peminjaman", palette.TEAL)]).layout.xaxis
    assert list(axis.ticktext) == labels


def test_xlsx_charts_use_the_palette(small_env, tmp_path):
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        charts_xml = " ".join(archive.read(name).decode() for name in archive.namelist()
                              if name.startswith("xl/charts/chart"))
    for colour in (palette.MEASURE["loans"], palette.SERVICE["perpustakaan"], palette.SERVICE["pusling"],
                   palette.MEASURE["training_participants"]):
        assert colour.lstrip("#").upper() in charts_xml, colour
