"""Register Fasilitas: the units, their codes and the spellings the loader
recognises; admins teach it a new spelling when a file uses one it does not know."""

import streamlit as st

from ui import auth, fmt, guarded, widgets
from ui.i18n import t
from ui.widgets import Col
from warehouse import register

auth.require("viewer")
st.title(t("register_title"))
st.caption(t("register_intro"))
units = register.listing()
widgets.show_table(widgets.table(units, [
    Col("code", "col_code", "text"), Col("short_name", "col_facility", "text"),
    Col("official_name", "col_official_name", "text"), Col("type", "col_type", "text"),
    Col("class", "col_class", "text"), Col("regency", "col_regency", "text"),
    Col("active_from", "register_active_from", "day"), Col("active_until", "register_active_until", "day"),
    Col("aliases", "col_aliases", "text")]), t("register_title"), "register", height=520)

user = auth.current_user()
if user is not None and user.can("admin"):
    st.subheader(t("register_alias_add"))
    st.caption(t("register_alias_help"))
    inmates = units[units["holds_inmates"]]
    names = dict(zip(inmates["code"], inmates["short_name"]))
    with st.form("alias-form", clear_on_submit=True):
        code = st.selectbox(t("col_facility"), list(names), format_func=lambda c: names[c], key="alias_code")
        alias = st.text_input(t("register_alias"), key="alias_text")
        submitted = st.form_submit_button(t("register_alias_button"), type="primary")
    if submitted:
        guarded.act("admin", lambda who: register.add_alias(code, alias, "ditambah admin", by=who.username),
                    t("register_alias_saved", alias=fmt.md(alias), name=fmt.md(names[code])))

    st.subheader(t("register_active_title"))
    st.caption(t("register_active_help"))
    unit_code = st.selectbox(t("col_facility"), list(names), format_func=lambda c: names[c], key="active_code")
    current = inmates.set_index("code").loc[unit_code]
    left, right = st.columns(2)
    start = left.date_input(t("register_active_from"), value=None if fmt.missing(current["active_from"]) else
                            current["active_from"], format="DD/MM/YYYY", key=f"active_from_{unit_code}")
    until = right.date_input(t("register_active_until"), value=None if fmt.missing(current["active_until"]) else
                             current["active_until"], format="DD/MM/YYYY", key=f"active_until_{unit_code}")
    if st.button(t("register_active_button"), key="active_save"):
        guarded.act("admin", lambda who: register.set_active(unit_code, start, until, by=who.username),
                    t("register_active_saved", name=fmt.md(names[unit_code])))

if user is not None and user.can("admin"):
    from ui import officers_view

    officers_view.officers_form()
