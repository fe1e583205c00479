"""Definisi Indikator: every indicator with its formula and its ISO 11620 / PAKPI
code where it has one, in words a reader needs: the settings it depends on appear
as their current values with what they mean (their names and the code computing
each figure are in warehouse/indicators.py and the README, for developers)."""

import streamlit as st

from ui import fmt
from ui.i18n import lang, t
from warehouse import settings
from warehouse.indicators import INDICATORS

HELP = {s.name: (s.help_en if lang() == "en" else s.help_id) for s in settings.SETTINGS}

st.title(t("indicators_title"))
st.caption(t("indicators_intro_words"))
for indicator in INDICATORS:
    with st.container(border=True):
        st.markdown(f"**{fmt.md(indicator.name(lang()))}**" + (f" · {fmt.md(indicator.code)}" if indicator.code else ""))
        formula = indicator.formula(lang())
        for name in indicator.settings:  # the value in force, not the setting's name
            formula = formula.replace(name, str(settings.get(name)))
        st.markdown(fmt.md(formula))
        if indicator.settings:
            used = "; ".join(t("indicators_setting_value", value=settings.get(name), meaning=HELP[name].rstrip("."))
                             for name in indicator.settings)
            st.caption(t("indicators_settings_words", used=fmt.md(used)))
