"""Definisi Indikator: every indicator with its formula, its ISO 11620 / PAKPI
code where it has one, and the settings (with their current values) it uses."""

import streamlit as st

from ui.i18n import lang, t
from warehouse import settings
from warehouse.indicators import INDICATORS

st.title(t("indicators_title"))
st.caption(t("indicators_intro"))
for indicator in INDICATORS:
    with st.container(border=True):
        st.markdown(f"**{indicator.name(lang())}**" + (f" · `{indicator.code}`" if indicator.code else ""))
        st.markdown(indicator.formula(lang()))
        if indicator.settings:
            used = ", ".join(f"`{name}` = {settings.get(name)}" for name in indicator.settings)
            st.caption(t("indicators_settings", used=used))
        st.caption(t("indicators_where", where=indicator.where))
