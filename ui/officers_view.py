"""The register page's admin section for the units' library officers (name and work e-mail: who receives
the reminders of missing reports)."""

from __future__ import annotations

import streamlit as st

from ui import fmt, guarded, widgets
from ui.i18n import t
from ui.widgets import Col
from warehouse import register


def officers_form() -> None:
    st.subheader(t("officer_title"))
    st.caption(t("officer_help"))
    found = register.officers()
    widgets.show_table(widgets.table(found, [
        Col("short_name", "col_facility", "text"), Col("officer_name", "officer_name", "text"),
        Col("officer_email", "officer_email", "text")]), t("officer_title"), "officers")
    names = dict(zip(found["code"], found["short_name"]))
    code = st.selectbox(t("col_facility"), list(names), format_func=lambda c: names[c], key="officer_code")
    row = found[found["code"] == code].iloc[0]
    with st.form(f"officer-form-{code}"):
        name = st.text_input(t("officer_name"), value="" if fmt.missing(row["officer_name"]) else row["officer_name"])
        email = st.text_input(t("officer_email"),
                              value="" if fmt.missing(row["officer_email"]) else row["officer_email"])
        submitted = st.form_submit_button(t("officer_save"), type="primary")
    if submitted:
        guarded.act("admin", lambda who: register.set_officer(code, name, email, by=who.username),
                    t("officer_saved", name=fmt.md(names[code])))
