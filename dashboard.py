"""Pantau Literasi: the dashboard's entry point.

Signs the visitor in, builds the navigation over the page files in ``pages/``
(listed explicitly: once ``st.navigation`` runs, Streamlit no longer discovers
them), draws the sidebar filter every page shares, and runs the chosen page.
Pages a role may not use are registered hidden, so opening their URL reaches
the page's own server-side refusal rather than a generic "not found".
Run it with ``python -m etl serve`` (which prepares the warehouse first).
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Pantau Literasi", page_icon=":material/local_library:", layout="wide",
                   initial_sidebar_state="auto")  # auto: closed on a phone, open on a laptop

from ui import auth, data, fmt, shell  # noqa: E402  (set_page_config must come first)
from ui.filters import language_switch, sidebar  # noqa: E402
from ui.i18n import t  # noqa: E402

shell.prepare_warehouse()
data.warm_ahead()  # on the lake: a load committed through another server is warmed here ahead of the next view
language_switch()  # first: the CSS below writes the uploader's button in the language a link's ?lang= sets
shell.style()
user = auth.current_user()
auth.emit_pending_cookie()
if user is None:
    st.navigation([st.Page(auth.login_page, title=t("page_login"), icon=":material/login:", url_path="masuk")],
                  position="hidden").run()
    st.stop()


def page(path: str, title: str, icon: str, url: str | None, role: str = "viewer", default: bool = False):
    return st.Page(path, title=t(title), icon=icon, url_path=url, default=default,
                   visibility="visible" if user.can(role) else "hidden")


PAGES = {
    "section_overview": [
        # the default page lives at "/" (Streamlit gives it no path of its own)
        page("pages/ringkasan.py", "page_overview", ":material/dashboard:", None, default=True),
        page("pages/fasilitas.py", "page_facility", ":material/apartment:", "fasilitas"),
        page("pages/laporan.py", "page_report", ":material/summarize:", "laporan"),
        page("pages/capaian.py", "page_capaian", ":material/flag:", "capaian"),
    ],
    "section_services": [
        page("pages/peminjaman.py", "page_loans", ":material/menu_book:", "peminjaman"),
        page("pages/kunjungan.py", "page_visits", ":material/groups:", "kunjungan"),
        page("pages/pelatihan.py", "page_training", ":material/school:", "pelatihan"),
    ],
    "section_programme": [
        page("pages/kerjasama.py", "page_agreements", ":material/handshake:", "kerjasama"),
        page("pages/paket.py", "page_packages", ":material/library_books:", "paket"),
        page("pages/hunian.py", "page_occupancy", ":material/groups_3:", "hunian"),
    ],
    "section_data": [
        page("pages/kelengkapan.py", "page_completeness", ":material/fact_check:", "kelengkapan"),
        page("pages/unggah.py", "page_upload", ":material/upload_file:", "unggah", role="staff"),
        page("pages/riwayat.py", "page_history", ":material/history:", "riwayat", role="staff"),
    ],
    "section_reference": [
        page("pages/indikator.py", "page_indicators", ":material/functions:", "indikator"),
        page("pages/register.py", "page_register", ":material/list_alt:", "register"),
        page("pages/langganan.py", "page_subscribe", ":material/mail:", "langganan"),
    ],
    "section_admin": [
        page("pages/akun.py", "page_accounts", ":material/manage_accounts:", "akun", role="admin"),
        page("pages/audit.py", "page_audit", ":material/policy:", "audit", role="admin"),
    ],
}
sections = {t(name): pages for name, pages in PAGES.items()}
current = st.navigation(sections, expanded=True)  # every page listed: no "View 6 more"

with shell.when_busy():
    st.session_state["view"] = sidebar()
    st.sidebar.caption(t("data_loaded", when=fmt.moment(shell.last_change())))
    auth.sidebar_account(user)
    current.run()
