"""Pantau Literasi: the dashboard's entry point.

Builds the navigation over the page files in ``pages/`` (listed explicitly:
once ``st.navigation`` runs, Streamlit no longer discovers them), draws the
sidebar filter every page shares, and runs the chosen page. Run it with
``python -m etl serve`` (which prepares the warehouse first) or
``streamlit run dashboard.py``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Pantau Literasi", page_icon=":material/local_library:", layout="wide",
                   initial_sidebar_state="expanded")

from ui import fmt, shell  # noqa: E402  (set_page_config must come first)
from ui.filters import language_switch, sidebar  # noqa: E402
from ui.i18n import t  # noqa: E402

shell.prepare_warehouse()
language_switch()

PAGES = {
    "section_overview": [
        # the default page lives at "/" (Streamlit gives it no path of its own)
        st.Page("pages/ringkasan.py", title=t("page_overview"), icon=":material/dashboard:", default=True),
        st.Page("pages/fasilitas.py", title=t("page_facility"), icon=":material/apartment:", url_path="fasilitas"),
    ],
    "section_services": [
        st.Page("pages/peminjaman.py", title=t("page_loans"), icon=":material/menu_book:", url_path="peminjaman"),
        st.Page("pages/kunjungan.py", title=t("page_visits"), icon=":material/groups:", url_path="kunjungan"),
        st.Page("pages/pelatihan.py", title=t("page_training"), icon=":material/school:", url_path="pelatihan"),
    ],
}
page = st.navigation({t(section): pages for section, pages in PAGES.items()})

st.session_state["view"] = sidebar()
st.sidebar.caption(t("data_loaded", when=fmt.moment(shell.last_change())))
page.run()
