"""The admin's account page and audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import fmt, guarded, widgets, words
from ui.i18n import label, t
from ui.widgets import Col
from warehouse import accounts
from warehouse.accounts import ROLES


def listing() -> None:
    users = pd.DataFrame(accounts.list_users())
    shown = widgets.table(users, [
        Col("username", "col_username", "text"), Col("display_name", "col_name", "text"),
        Col("email", "col_email", "text"), Col("role", "col_role", "label:role"),
        Col("active", "col_active", "label:active"), Col("last_login", "col_last_login", "moment")])
    widgets.show_table(shown, t("accounts_title"), "accounts")


def _show_password_once(username: str, password: str) -> None:
    st.success(t("password_once", user=fmt.md(username)))
    st.code(password, language=None)


def add_form(admin) -> None:
    with st.form("add-account", clear_on_submit=True, border=True):
        st.markdown(f"**{t('account_add')}**")
        c1, c2 = st.columns(2)
        username = c1.text_input(t("col_username"), key="new_username")
        display = c2.text_input(t("col_name"), key="new_display")
        email = c1.text_input(t("col_email"), help=t("email_help"), key="new_email")
        role = c2.selectbox(t("col_role"), ROLES, index=1, format_func=lambda r: t(f"role_{r}"), key="new_role")
        submitted = st.form_submit_button(t("account_add_button"), type="primary")
    if submitted:
        password = accounts.generate_password()
        if guarded.act("admin", lambda who: accounts.add_user(username, role, password, by=who.username,
                                                              display_name=display or None, email=email or None)):
            _show_password_once(username.strip().lower(), password)


def edit(admin) -> None:
    users = accounts.list_users()
    if not users:
        return
    st.markdown(f"**{t('account_edit')}**")
    names = [u["username"] for u in users]
    chosen = st.selectbox(t("col_username"), names, key="edit_user")
    current = next(u for u in users if u["username"] == chosen)
    c1, c2, c3 = st.columns(3)
    role = c1.selectbox(t("col_role"), ROLES, index=ROLES.index(current["role"]),
                        format_func=lambda r: t(f"role_{r}"), key=f"role-{chosen}")
    if c1.button(t("account_role_button"), key=f"set-role-{chosen}", disabled=role == current["role"]):
        guarded.act("admin", lambda who: accounts.set_role(chosen, role, by=who.username), t("account_saved"))
    if c2.button(t("account_reset_button"), key=f"reset-{chosen}", icon=":material/key:"):
        password = accounts.generate_password()
        if guarded.act("admin", lambda who: accounts.set_password(chosen, password, by=who.username), None):
            _show_password_once(chosen, password)
    if current["active"]:
        if c3.button(t("account_disable_button"), key=f"disable-{chosen}", icon=":material/person_off:"):
            guarded.act("admin", lambda who: accounts.set_active(chosen, False, by=who.username), t("account_saved"))
    elif c3.button(t("account_enable_button"), key=f"enable-{chosen}", icon=":material/person:"):
        guarded.act("admin", lambda who: accounts.set_active(chosen, True, by=who.username), t("account_saved"))


def audit_log() -> None:
    entries = pd.DataFrame(accounts.audit_entries())
    if entries.empty:
        st.info(t("audit_empty"))
        return
    c1, c2 = st.columns(2)
    actions = c1.multiselect(t("col_action"), sorted(entries["action"].unique()), key="audit_actions",
                             format_func=lambda a: label("action", a), placeholder=t("all"))
    people = c2.multiselect(t("col_username"), sorted(entries["username"].dropna().unique()), key="audit_people",
                            placeholder=t("all"))
    keep = entries["audit_id"].notna()
    if actions:
        keep &= entries["action"].isin(actions)
    if people:
        keep &= entries["username"].isin(people)
    entries = entries[keep].assign(detail=[words.audit_detail(a, d) for a, d in
                                           zip(entries.loc[keep, "action"], entries.loc[keep, "detail"])])
    shown = widgets.table(entries, [
        Col("logged_at", "col_when", "moment"), Col("username", "col_username", "text"),
        Col("action", "col_action", "label:action"), Col("detail", "col_detail", "text"), Col("batch_id", "col_batch")])
    widgets.show_table(shown, t("audit_title"), "audit", height=520)
