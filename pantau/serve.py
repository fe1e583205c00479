"""``python -m etl serve`` (= ``python -m pantau serve``): get a fresh machine from nothing to a
running dashboard with data.

On first start the warehouse is created, the facility register seeded and,
when the warehouse holds no reports and ``PANTAU_DEMO_ON_EMPTY`` is on, the demo
workbooks are written and loaded (:func:`warehouse.ingest.bootstrap`). The
Chromium/Chrome that draws the reports' PDF charts is found and exported as
``BROWSER_PATH`` (or the PDF is disabled, said once here). Then Streamlit runs
``dashboard.py``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

from streamlit.starlette import App

from ui.i18n import t
from reports.browser import export_browser
from ui.session_cookie import routes
from ui.navigation import use_navigation
from warehouse.ingest import admin_notice, bootstrap

ROOT = Path(__file__).resolve().parent.parent


def find_browser(out=print) -> str | None:
    """Find the Chromium/Chrome the reports' PDF charts are drawn with (``PANTAU_CHROMIUM``, else
    chromium or google-chrome on PATH, /usr/bin/chromium) and export it as ``BROWSER_PATH``, which
    kaleido's browser driver (choreographer) reads. Without one the PDF is disabled, xlsx still works."""
    path = export_browser()
    out(t("report_browser_found", path=path) if path else t("report_browser_missing"))
    return path


def remind_after_start(text: str, port: int, address: str | None, out=print, timeout: float = 300) -> threading.Thread:
    """Print ``text`` once the server answers on ``port`` (after Streamlit's "URL: ..." lines, so the first
    admin's password is the last thing on a first start's screen, not 300 lines up)."""
    host = "127.0.0.1" if address in (None, "", "0.0.0.0", "::") else address

    def wait():
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        time.sleep(0.5)  # Streamlit prints its address just after it starts answering
                        out("\n" + text, flush=True)
                        return
            except OSError:
                time.sleep(0.3)

    thread = threading.Thread(target=wait, daemon=True, name="pantau-first-admin")
    thread.start()
    return thread


def serve(port: int = 8501, headless: bool = False, address: str | None = None) -> int:
    """Prepare the warehouse, then run the dashboard in this process.

    The dashboard runs as Streamlit's ASGI ``st.App`` on ``dashboard.py`` with one
    route of ours, ``/_pantau/session`` (ui/session_cookie.py): the server, not
    a page script, sets and clears the HttpOnly session cookie.

    Streamlit treats a ``pages/`` folder beside the main script the old way
    (running a page file on its own) until some session has called
    ``st.navigation``; telling it up front that this app navigates with
    ``st.navigation`` (:func:`ui.navigation.use_navigation`) makes even the first
    visitor's bookmarked link work.
    """
    done = bootstrap()
    find_browser()
    use_navigation()
    if done.get("password"):
        remind_after_start(admin_notice(done["password"]), port, address)
    config = {"server.port": port, "browser.gatherUsageStats": False}
    if headless:
        config["server.headless"] = True
    if address:
        config["server.address"] = address
    script = ROOT / "dashboard.py"
    sys.argv = [str(script)]  # as `streamlit run dashboard.py`: its folder holds .streamlit/ and the imports
    sys.stdout.flush()
    os.chdir(ROOT)
    App(str(script), routes=routes()).run(config=config)
    return 0
