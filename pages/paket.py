"""Paket Buku: rotating book packages delivered and taken back, books on
deposit per facility over time, and collection turnover (ISO 11620 B.2.1.1)."""

import streamlit as st

from ui import charts, data, fmt, shell, widgets
from ui.i18n import t
from ui.widgets import Col

view = shell.view()
scope = view.scope
st.title(t("packages_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('packages_intro')}")

deposits = data.deposits(scope)
if deposits["on_deposit"].fillna(0).eq(0).all() and deposits["delivered"].isna().all():
    st.info(t("packages_none"))
    st.stop()
st.subheader(t("packages_on_deposit"))
st.plotly_chart(charts.lines_by_facility(deposits, "on_deposit", t("col_on_deposit")), key="deposits")
widgets.downloads(widgets.table(deposits, [
    Col("short_name", "col_facility", "text"), Col("month", "col_month", "month"), Col("delivered", "col_delivered"),
    Col("returned", "col_taken_back"), Col("on_deposit", "col_on_deposit"), Col("loans", "col_loans"),
    Col("turnover", "col_turnover", "decimal")]), t("packages_on_deposit"), "deposits")

st.subheader(t("packages_turnover"))
st.caption(t("packages_turnover_help"))
turnover = data.turnover(scope)
widgets.show_table(widgets.table(turnover, [
    Col("short_name", "col_facility", "text"), Col("delivered", "col_delivered"), Col("returned", "col_taken_back"),
    Col("mean_on_deposit", "col_mean_on_deposit", "decimal"), Col("loans", "col_loans"),
    Col("turnover", "col_turnover", "decimal")]), t("packages_turnover"), "turnover")
