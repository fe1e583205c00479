"""The one place that touches Streamlit's private API; imports nothing of the app, so the server
launcher can call it before Streamlit's runtime exists (importing the cached page helpers
then would log "No runtime found")."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def use_navigation() -> bool:
    """Tell Streamlit that this app navigates with ``st.navigation``, not with its ``pages/`` folder;
    returns whether it was in the folder mode. The one place that touches Streamlit's private
    ``PagesManager`` (``pantau.serve`` calls it before the server starts, ``ui.shell`` on every page run;
    tests/test_shell.py fails when a Streamlit upgrade removes or renames what it relies on).

    ``PagesManager.uses_pages_directory`` starts as None; the first session's ``PagesManager``
    sets it to whether ``pages/`` exists beside the main script, and ``st.navigation`` sets it
    to False. While it is true, the script runner runs the page file the URL names on its own."""
    was = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was
