"""The e-mails `python -m etl notify` delivered (reminders of missing reports, subscribed reports), shown on
the Kelengkapan Data page, or how to configure e-mail when it is not; and an account's own subscriptions."""

from __future__ import annotations

import streamlit as st

from ui import auth, fmt, guarded, widgets
from ui.data import cached
from ui.i18n import lang, t
from ui.widgets import Col
from warehouse import accounts, notifications, settings

sent_log = cached(notifications.sent_log)


def sent_section() -> None:
    st.subheader(t("notify_sent_title"))
    if not str(settings.get("PANTAU_SMTP_HOST")).strip():
        st.info(t("notify_not_configured"), icon=":material/mail:")
    log = sent_log()
    if log.empty:
        st.caption(t("notify_sent_none"))
        return
    widgets.show_table(widgets.table(log, [
        Col("sent_at", "col_sent_at", "moment"), Col("kind", "col_kind", "label:notify_kind"),
        Col("period", "col_period", "text"), Col("topic", "col_about", "label:subscribe"),
        Col("recipients", "col_recipients", "text"), Col("subject", "col_subject", "text")]),
        t("notify_sent_title"), "notify-sent")


def subscription_section() -> None:
    """The signed-in account subscribes itself to the monthly or quarterly report (any role)."""
    user = auth.require("viewer")
    email = next((u["email"] for u in accounts.list_users() if u["username"] == user.username), None)
    if not email:
        st.info(t("subscribe_no_email"), icon=":material/mail:")
        return
    if not str(settings.get("PANTAU_SMTP_HOST")).strip():
        st.info(t("notify_not_configured"), icon=":material/mail:")
    st.caption(t("subscribe_help", email=fmt.md(email)))
    current = set(notifications.subscriptions_of(user.username))
    with st.form("subscriptions"):
        monthly = st.checkbox(t("subscribe_monthly"), value="monthly" in current)
        quarterly = st.checkbox(t("subscribe_quarterly"), value="quarterly" in current)
        submitted = st.form_submit_button(t("subscribe_save"), type="primary")
    if submitted:
        kinds = [k for k, on in (("monthly", monthly), ("quarterly", quarterly)) if on]
        guarded.act("viewer", lambda who: notifications.subscribe(who.username, kinds, lang()), t("subscribe_saved"))
