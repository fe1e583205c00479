"""How provisional figures and like-for-like changes are written, for the
pages and the reports alike (the definitions are in
:mod:`warehouse.provisional` and :func:`warehouse.metrics.like_for_like`).

The texts name the months and the units still outstanding; the cards and
charts of the pages use them, and so do the xlsx and PDF reports and
``python -m etl report``. Streamlit is imported only by the card functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ui import fmt
from ui.i18n import label, t
from warehouse import metrics
from warehouse.provisional import Status, of_figure

NAMES_SHOWN = 5  # units named before 'and n more'


def names(units) -> str:
    """'Lapas A, Rutan B' or 'Lapas A, ..., Rutan E dan 7 lainnya'."""
    units = list(units)
    if len(units) <= NAMES_SHOWN:
        return ", ".join(units)
    return t("prov_more", names=", ".join(units[:NAMES_SHOWN]), n=len(units) - NAMES_SHOWN)


MONTHS_SHOWN = 4  # months named before '12 bulan (Sep 2023 s.d. Agu 2024)'


def months_text(months) -> str:
    months = list(months)
    if len(months) > MONTHS_SHOWN:
        return t("prov_months_many", n=len(months), first=fmt.month(months[0], long=False),
                 last=fmt.month(months[-1], long=False))
    return ", ".join(fmt.month(m, long=False) for m in months)


def status_text(status: Status) -> str:
    """'Sementara: laporan Kunjungan Okt 2026 belum lengkap; belum masuk: Lapas A, Rutan B.'"""
    return t("prov_kpi", dataset=label("dataset", status.dataset).lower(), months=months_text(status.months),
             units=names(status.units))


def chart_note(months: dict[dt.date, tuple[str, ...]]) -> str | None:
    """A chart's footnote naming its provisional months and the units outstanding (None when there are none);
    many months are written as a span with every unit outstanding in any of them."""
    if not months:
        return None
    if len(months) > MONTHS_SHOWN:
        units = sorted({u for names_ in months.values() for u in names_})
        items = t("prov_chart_item", month=months_text(months), units=names(units))
    else:
        items = "; ".join(t("prov_chart_item", month=fmt.month(m, long=False), units=names(u))
                          for m, u in months.items())
    return t("prov_chart", items=items)


def report_items(statuses: dict[str, Status]) -> list[str]:
    """One item per provisional dataset: 'Kunjungan Okt 2026 (belum masuk: Lapas A, Rutan B)'."""
    return [t("report_note_provisional_item", dataset=label("dataset", s.dataset), months=months_text(s.months),
              units=names(s.units)) for s in statuses.values() if s.provisional]


@dataclass(frozen=True)
class KpiNotes:
    """What a KPI card says beyond its figure: whether it is provisional (and why), its like-for-like
    changes, and whether the two reference periods are the same months."""
    provisional: str | None
    previous: metrics.Compared | None
    last_year: metrics.Compared | None
    same: bool
    units: int                       # units in view
    raw_previous: object = None      # the reference periods' raw totals (shown beside the like-for-like change)
    raw_last_year: object = None


def kpi_notes(column: str, statuses: dict[str, Status], like, scope: metrics.Scope, previous_row: dict,
              last_year_row: dict) -> KpiNotes:
    status = of_figure(column, statuses)
    return KpiNotes(status_text(status) if status else None, metrics.like_change(like, "previous", column),
                    metrics.like_change(like, "last_year", column), metrics.comparisons(scope) == ("previous",),
                    len(scope.facilities), previous_row.get(column), last_year_row.get(column))


def like_text(compared: metrics.Compared | None, current, raw_reference, units: int, digits: int = 0,
              key: str = "like_note") -> str:
    """'Sebanding: 13 dari 15 UPT yang melapor di kedua periode; total mentah 700 vs 500.'"""
    if compared is None:
        return t("like_raw")
    key = key if compared.units else "like_none"
    return t(key, n=compared.units, total=units, current=fmt.num(current, digits),
             reference=fmt.num(raw_reference, digits))


def reporting_card(statuses: dict[str, Status]) -> None:
    """The overview's 'Fasilitas melapor' card: per dataset, the units whose reports for the period
    all arrived, of those that owe one, marked 'sementara' while any is outstanding."""
    import streamlit as st

    with st.container(border=True):
        st.markdown(f"**{t('kpi_reported')}**", help=t("prov_reported_help"))
        for status in statuses.values():
            line = t("prov_reported", dataset=label("dataset", status.dataset), n=status.reported,
                     total=status.expected)
            st.markdown(line + (f" · :orange[{t('prov_mark')}]" if status.provisional else ""),
                        help=status_text(status) if status.provisional else None)


def kpi_captions(notes: KpiNotes, current, digits: int = 0, percent: bool = False) -> None:
    """The lines under a KPI card's figure: one comparison when both are the same months, the
    like-for-like note with the raw totals, and the provisional mark."""
    import streamlit as st

    if notes.same:
        st.caption(t("same_periods"))
    if not percent:
        st.caption(like_text(notes.previous, current, notes.raw_previous, notes.units, digits))
        if not notes.same and notes.last_year is not None and notes.last_year.units:
            st.caption(like_text(notes.last_year, current, notes.raw_last_year, notes.units, digits,
                                 "like_note_last_year"))
    if notes.provisional:
        st.caption(f":orange[{notes.provisional}]")
