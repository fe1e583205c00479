"""Akun: admins add accounts, change roles, reset passwords and disable accounts."""

import streamlit as st

from ui import accounts_view, auth
from ui.i18n import t

admin = auth.require("admin")
st.title(t("accounts_title"))
st.caption(t("accounts_intro"))
accounts_view.listing()
accounts_view.add_form(admin)
accounts_view.edit(admin)
