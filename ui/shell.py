"""What every page run needs before its own content: a prepared warehouse and
the filtered view the sidebar produced."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import streamlit as st

from ui import data, widgets
from ui.filters import View
from ui.i18n import t
from ui.navigation import use_navigation
from warehouse.db import DatabaseBusy
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


# The dashboard's own CSS, in one place: phones (390 px) and Streamlit's English texts we replace.
_CSS = """
<style>
/* the uploader: our own translated caption and limit replace Streamlit's "200MB per file" line;
   its "Upload" button reads in the page's language */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button > * { display: none; }
[data-testid="stFileUploaderDropzone"] button::after { content: "@CHOOSE@"; font-size: 0.875rem; }
/* KPI titles and table headers wrap instead of being cut */
[data-testid="stMetricLabel"] p { white-space: normal; overflow-wrap: anywhere; }
/* chart toolbars appear only while the pointer is over the chart, and never on a phone */
.js-plotly-plot .modebar-container { opacity: 0; transition: opacity .2s; }
.js-plotly-plot:hover .modebar-container { opacity: 1; }
@media (max-width: 640px) {
  .js-plotly-plot .modebar-container { display: none; }
  /* KPI cards two per row instead of seven stacked */
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) { flex-wrap: wrap; gap: 0.5rem; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
    width: calc(50% - 0.5rem) !important; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"]:empty { display: none; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
  /* tables and charts scroll inside their frame, never the page sideways */
  [data-testid="stDataFrame"], [data-testid="stPlotlyChart"] { max-width: 100%; overflow-x: auto; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.8rem; padding-right: 0.8rem; }
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
}
</style>
"""


def style() -> None:
    """The dashboard's CSS (phones, the uploader's texts), once per page run."""
    st.html(_CSS.replace("@CHOOSE@", t("upload_choose").replace('"', "")))


def last_change() -> dt.datetime | None:
    nanoseconds = data.changed_at(data.version())
    return None if nanoseconds is None else dt.datetime.fromtimestamp(nanoseconds / 1e9)


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


@contextmanager
def when_busy():
    """A page whose reads waited too long for another process's writer says so (:func:`widgets.busy`)."""
    try:
        yield
    except DatabaseBusy:
        widgets.busy()
