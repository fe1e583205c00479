"""Kerja Sama: the cooperation agreements (PKS): each facility's status, the
timeline over the years, activity recorded without an agreement in force, and
(for admins) adding an agreement with its signed document."""

import streamlit as st

from ui import agreements_view, charts, data, shell, widgets
from ui.i18n import label, t
from ui.widgets import Col
from warehouse.settings import today

view = shell.view()
st.title(t("agreements_title"))
st.caption(t("agreements_intro", days=agreements_view.warn_days()))

widgets.agreement_alerts(view)
status = data.agreement_status(view.codes)
widgets.show_table(widgets.table(status, [
    Col("short_name", "col_facility", "text"), Col("status", "col_status", "label:agreement"),
    Col("number", "col_number", "text"), Col("valid_until", "col_valid_until", "day"),
    Col("days_left", "col_days_left"), Col("last_until", "col_last_until", "day"),
    Col("agreements", "col_agreements")]), t("agreements_status"), "agreement-status")

st.subheader(t("agreements_timeline"))
register = data.agreement_register(view.codes)
if register.empty:
    st.info(t("agreements_none"))
else:
    st.plotly_chart(charts.agreement_timeline(register, today(), t("today"),
                                              {s: label("agreement", s) for s in ("active", "expiring", "expired", "renewed")},
                                              agreements_view.warn_days()), key="agreements-gantt")
    agreements_view.register_table(register)

st.subheader(t("agreements_without"))
st.caption(t("agreements_without_help"))
without = data.activity_without_agreement(view.scope)
if without.empty:
    st.success(t("agreements_without_none"))
else:
    widgets.show_table(widgets.table(without, [
        Col("short_name", "col_facility", "text"), Col("months", "col_months"),
        Col("first_month", "col_first_month", "month"), Col("last_month", "col_last_month", "month")]),
        t("agreements_without"), "without")

agreements_view.admin_form(view)
