"""Ringkasan: the head of Dispersip's page before a meeting: headline figures
with their change, the monthly trend, the facility ranking and the map."""

import streamlit as st

from ui import charts, data, fmt, shell, widgets
from ui.i18n import t
from ui.widgets import Col

view = shell.view()
scope = view.scope

st.title(t("overview_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('in_view', n=len(view.codes))}")

figures = data.kpis(scope)
current, previous, last_year = (figures.loc[p].to_dict() for p in ("current", "previous", "last_year"))
if not current.get("facilities_reported"):
    st.info(t("nothing_in_period"), icon=":material/event_busy:")
    st.stop()

row = st.columns(4)
with row[0]:
    widgets.kpi(t("kpi_loans"), current, previous, last_year, "loans")
with row[1]:
    widgets.kpi(t("kpi_borrowers"), current, previous, last_year, "borrowers",
                help=t("kpi_borrowers_help", n=int(current.get("facilities_with_ids") or 0)))
with row[2]:
    widgets.kpi(t("kpi_visitors_library"), current, previous, last_year, "visitors_library")
with row[3]:
    widgets.kpi(t("kpi_visitors_pusling"), current, previous, last_year, "visitors_pusling")
row = st.columns(4)
with row[0]:
    widgets.kpi(t("kpi_sessions"), current, previous, last_year, "training_sessions")
with row[1]:
    widgets.kpi(t("kpi_participants"), current, previous, last_year, "training_participants")
with row[2]:
    widgets.kpi(t("kpi_reported"), current, previous, last_year, "facilities_reported")

# ---- the monthly trend of all facilities in view
st.subheader(t("trend_title"))
monthly = data.monthly(scope)
tab_loans, tab_visits, tab_training = st.tabs([t("page_loans"), t("page_visits"), t("page_training")])
with tab_loans:
    st.plotly_chart(charts.trend(monthly, [("loans", t("col_loans"), charts.PALETTE[0])]), key="trend-loans")
with tab_visits:
    st.plotly_chart(charts.trend(monthly, [("visitors_library", t("series_library"), charts.LIBRARY),
                                           ("visitors_pusling", t("series_pusling"), charts.PUSLING)], bars=True),
                    key="trend-visits")
with tab_training:
    st.plotly_chart(charts.trend(monthly, [("training_participants", t("col_participants"), charts.PALETTE[2])]),
                    key="trend-training")
widgets.downloads(widgets.table(monthly, [
    Col("month", "col_month", "month"), Col("loans", "col_loans"), Col("visitors_library", "col_visitors_library"),
    Col("visitors_pusling", "col_visitors_pusling"), Col("training_sessions", "col_sessions"),
    Col("training_participants", "col_participants")]), t("trend_title"), "trend")

# ---- ranking: a row or a bar opens the facility's page for the same period
st.subheader(t("ranking_title"))
st.caption(t("ranking_help"))
ranking = data.ranking(scope)
shown = widgets.table(ranking, [
    Col("short_name", "col_facility", "text"), Col("type", "col_type", "text"), Col("loans", "col_loans"),
    Col("visitors", "col_visitors"), Col("training_participants", "col_participants"),
    Col("months_reported", "col_reported")])
shown[t("col_trend")] = ranking["loans_trend"]
shown[t("col_open")] = widgets.facility_links(ranking["code"], view)
event = widgets.show_table(
    shown, t("ranking_title"), "ranking", on_select="rerun", selection_mode="single-row",
    column_config={t("col_trend"): st.column_config.LineChartColumn(t("col_trend"), width="medium"),
                   t("col_open"): st.column_config.LinkColumn(t("col_open"), display_text="↗")})
if event.selection.rows:
    widgets.open_facility(ranking["code"].iloc[event.selection.rows[0]], view)

left, right = st.columns([1, 1])
with left:
    st.markdown(f"**{t('col_loans')}**")
    chosen = st.plotly_chart(charts.ranking_bars(ranking, "loans", t("col_loans")), on_select="rerun",
                             selection_mode="points", key="ranking-bars")
    if code := charts.selected_code(chosen):
        widgets.open_facility(code, view)
with right:
    st.markdown(f"**{t('map_title')}**")
    points = data.map_points(scope)
    tiles = widgets.map_tiles_available()
    chosen = st.plotly_chart(charts.facility_map(points, "loans", t("col_loans"), tiles,
                                                 axes=(t("longitude"), t("latitude"))), on_select="rerun",
                             selection_mode="points", key="map")
    if not tiles:
        st.caption(t("map_offline"))
    if code := charts.selected_code(chosen):
        widgets.open_facility(code, view)
