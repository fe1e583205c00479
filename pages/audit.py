"""Log Audit: who did what (sign-ins, uploads, replacements, undos, account changes)."""

import streamlit as st

from ui import accounts_view, auth
from ui.i18n import t

auth.require("admin")
st.title(t("audit_title"))
st.caption(t("audit_intro"))
accounts_view.audit_log()
