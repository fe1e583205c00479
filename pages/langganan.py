"""Langganan: the signed-in account subscribes to the monthly or quarterly report by e-mail."""

import streamlit as st

from ui import notify_view
from ui.i18n import t

st.title(t("subscribe_title"))
notify_view.subscription_section()
