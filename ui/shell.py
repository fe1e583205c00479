"""What every page run needs before its own content: a prepared warehouse and
the filtered view the sidebar produced."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui import data, widgets
from ui.filters import View
from ui.i18n import t
from ui.navigation import use_navigation
from warehouse.ingest import bootstrap


@st.cache_resource(show_spinner=False)
def _bootstrap() -> dict:
    return bootstrap(out=lambda line: print(line, flush=True))  # the server's terminal


def prepare_warehouse() -> None:
    """Create the warehouse (and load the demo on a first start) once per server."""
    if "bootstrapped" in st.session_state:
        return
    with st.spinner(t("preparing")):
        _bootstrap()
    st.session_state["bootstrapped"] = True


def last_change() -> dt.datetime | None:
    version = data.version()
    try:
        return dt.datetime.fromtimestamp(int(version.split("-")[0]) / 1e9)
    except ValueError:
        return None


def ensure_entry_point() -> None:
    """Make sure the page runs inside ``dashboard.py``.

    Until some session has called ``st.navigation``, Streamlit treats a
    ``pages/`` folder the old way and may run a page file on its own (the first
    visitor after a restart opening a bookmarked ``/fasilitas?...`` link). The
    page then lacks the sidebar and the shared filter; switch Streamlit to
    ``st.navigation`` mode and rerun, which runs ``dashboard.py`` for that URL.
    """
    if use_navigation():
        st.rerun()


def view() -> View:
    """The sidebar's view; stops the page with a helpful empty state when there is no data."""
    ensure_entry_point()
    current = st.session_state.get("view")
    if current is None:
        widgets.no_data()
        st.stop()
    if not current.codes:
        st.warning(t("no_facilities"), icon=":material/filter_alt_off:")
        st.stop()
    return current
