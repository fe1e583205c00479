"""The application shell: both entry points, and the one use of Streamlit's private API."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # a fresh interpreter is the point
@pytest.mark.parametrize("package", ["etl", "pantau"])
def test_both_entry_points_run_the_command_line(package):
    """``python -m etl`` (README, cron lines, habits) is ``python -m pantau``."""
    done = subprocess.run([sys.executable, "-m", package, "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m {package} [-h] [--lang {{id,en}}]")
    for command in ("load", "demo", "summary", "serve", "report", "users", "backup", "restore-backup"):
        assert command in done.stdout


def test_use_navigation_relies_on_what_streamlit_still_has(monkeypatch):
    """ui.navigation.use_navigation switches Streamlit's ``pages/`` folder mode off through the private
    ``PagesManager.uses_pages_directory``: fails when an upgrade removes, renames or stops reading it."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    from ui.navigation import use_navigation

    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # raises when the attribute is gone
    PagesManager(str(ROOT / "dashboard.py"))  # a session's manager: pages/ beside the script turns the mode on
    assert PagesManager.uses_pages_directory is True
    assert use_navigation() is True
    assert PagesManager.uses_pages_directory is False
    PagesManager(str(ROOT / "dashboard.py"))  # once told, a new session's manager leaves it off
    assert PagesManager.uses_pages_directory is False
    assert use_navigation() is False
    # the script runner is what reads it: while true it runs the page file the URL names on its own
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)


BUSY = ("Gudang data sedang dipakai proses lain (misalnya memuat berkas besar) lebih lama dari biasanya; tunggu "
        "sebentar lalu muat ulang halaman ini.")


def test_a_page_read_that_waited_too_long_says_so_in_one_sentence():
    """shell.when_busy: a DatabaseBusy inside it is the one warning (ui.widgets.busy), no traceback; the
    page goes on after the block."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from ui import shell
        from warehouse.db import DatabaseBusy

        with shell.when_busy():
            st.write("sebelum")
            raise DatabaseBusy("database is locked")
        st.write("sesudah")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert [(w.value, w.icon) for w in at.warning] == [(BUSY, ":material/hourglass_top:")]
    assert [m.value for m in at.markdown] == ["sebelum", "sesudah"]
