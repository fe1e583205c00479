"""Kunjungan: visits to the facility's own library against Dispersip's mobile
library, per facility over time, and visitors per service day."""

import streamlit as st

from ui import charts, data, fmt, shell, widgets
from ui import provisional as prov
from warehouse import provisional
from ui.i18n import t
from ui.widgets import Col

view = shell.view()
scope = view.scope

st.title(t("visits_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('in_view', n=len(view.codes))}")

st.subheader(t("visits_services"))
monthly = data.monthly(scope)
kind = "decimal" if view.per_capita else "number"
marks = provisional.months_of(data.completeness(scope), ("visits",))  # own-library visits owed by each unit
st.plotly_chart(charts.trend(monthly, [(view.column("visitors_library"), t("series_library"), charts.LIBRARY),
                                       (view.column("visitors_pusling"), t("series_pusling"), charts.PUSLING)],
                             provisional=marks, provisional_columns={view.column("visitors_library")}),
                key="services")
if note := prov.chart_note(marks):
    st.caption(note)
widgets.downloads(widgets.table(monthly, [Col("month", "col_month", "month"),
                                          Col(view.column("visitors_library"), "col_visitors_library", kind),
                                          Col(view.column("visitors_pusling"), "col_visitors_pusling", kind)]),
                  t("visits_services"), "services")

st.subheader(t("visits_by_facility") + (f" · {t('measure_per100')}" if view.per_capita else ""))
st.caption(t("ranking_help"))
by_facility = data.visits_by_service(scope)
per_facility = data.ranking(scope) if view.per_capita else by_facility
chosen = st.plotly_chart(charts.services_by_facility(per_facility, t("series_library"), t("series_pusling"),
                                                     (view.column("visitors_library"), view.column("visitors_pusling")),
                                                     digits=1 if view.per_capita else 0),
                         on_select="rerun", selection_mode="points", key="by-facility")
if code := charts.selected_code(chosen):
    widgets.open_facility(code, view)
widgets.downloads(widgets.table(by_facility, [
    Col("short_name", "col_facility", "text"), Col("month", "col_month", "month"),
    Col("visitors_library", "col_visitors_library"), Col("visitors_pusling", "col_visitors_pusling")]),
    t("visits_by_facility"), "by-facility")

st.subheader(t("visits_per_day"))
st.caption(t("visits_per_day_help"))
per_day = data.visits_per_day(scope)
widgets.show_table(widgets.table(per_day, [
    Col("short_name", "col_facility", "text"), Col("visitors_library", "col_visitors_library"),
    Col("days_library", "col_days_library"), Col("library_per_day", "col_per_day", "decimal"),
    Col("visitors_pusling", "col_visitors_pusling"), Col("days_pusling", "col_days_pusling"),
    Col("pusling_per_visit", "col_per_call", "decimal")]), t("visits_per_day"), "per-day")

st.subheader(t("visits_groups"))
groups = data.visitor_groups(scope)
widgets.show_table(widgets.table(groups, [Col("service", "col_service", "label:service"),
                                          Col("visitor_group", "col_group", "label:group"),
                                          Col("visitors", "col_visitors")]), t("visits_groups"), "groups")
