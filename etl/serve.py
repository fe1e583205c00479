"""``python -m etl serve``: get a fresh machine from nothing to a running
dashboard with data.

On first start the warehouse is created, the facility register seeded and,
when the warehouse holds no reports and ``PANTAU_DEMO_ON_EMPTY`` is on, the demo
workbooks are written and loaded. The Chromium/Chrome that draws the reports'
PDF charts is found and exported as ``BROWSER_PATH`` (or the PDF is disabled,
said once here). Then Streamlit runs ``dashboard.py``.
"""

from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from warehouse import settings

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def _bootstrap_lock():
    """One process at a time prepares the warehouse (two first starts must not both load the demo)."""
    from warehouse.db import private_dir

    db = settings.get("PANTAU_DB")
    private_dir(db.parent)
    fd = os.open(db.with_name(db.name + ".bootstrap.lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def bootstrap(out=print) -> dict:
    """Prepare the warehouse; returns what was done. On a first start with no
    account, an admin is created and its random password is printed once. The
    originals' retention is enforced here too (and by ``python -m etl purge``)."""
    from etl.cli import load_demo, today
    from warehouse.accounts import ensure_first_admin
    from warehouse.db import PRIVATE_UMASK, connect
    from warehouse.load import purge
    from warehouse.queries import has_data
    from warehouse.register import seed_register

    os.umask(PRIVATE_UMASK)  # the server's files (database, originals, demo) are its user's alone
    done = {"seeded": False, "demo": False, "admin": False, "purged": 0}
    with _bootstrap_lock():
        with connect(write=True) as con:
            done["seeded"] = seed_register(con)
        password = ensure_first_admin()
        if password:
            done["admin"] = True
            line = "=" * 72
            out("\n".join([line, "Akun admin pertama dibuat / first admin account created:",
                            "  nama pengguna / user name : admin", f"  kata sandi / password    : {password}",
                            "Kata sandi ini hanya ditampilkan sekali. Gantilah dengan:",
                            "  python -m etl users set-password admin", line]))
        if settings.get("PANTAU_DEMO_ON_EMPTY") and not has_data():
            out("Gudang data masih kosong: menulis dan memuat data demo (sekali saja, sekitar satu menit)...")
            load_demo(ROOT / "data" / "demo", today())
            done["demo"] = True
        done["purged"] = purge("server")
        if done["purged"]:
            days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")
            out(f"{done['purged']} berkas asli dihapus (masa simpan {max(days, 0)} hari).")
    return done


def find_browser(out=print) -> str | None:
    """Find the Chromium/Chrome the reports' PDF charts are drawn with (``PANTAU_CHROMIUM``, else
    chromium or google-chrome on PATH, /usr/bin/chromium) and export it as ``BROWSER_PATH``, which
    kaleido's browser driver (choreographer) reads. Without one the PDF is disabled, xlsx still works."""
    from reports.browser import export_browser
    from ui.i18n import t

    path = export_browser()
    out(t("report_browser_found", path=path) if path else t("report_browser_missing"))
    return path


def serve(port: int = 8501, headless: bool = False, address: str | None = None) -> int:
    """Prepare the warehouse, then run the dashboard in this process.

    The dashboard runs as Streamlit's ASGI ``st.App`` on ``dashboard.py`` with one
    route of ours, ``/_pantau/session`` (ui/session_cookie.py): the server, not
    a page script, sets and clears the HttpOnly session cookie.

    Streamlit treats a ``pages/`` folder beside the main script the old way
    (running a page file on its own) until some session has called
    ``st.navigation``; telling it up front that this app navigates with
    ``st.navigation`` makes even the first visitor's bookmarked link work.
    """
    bootstrap()
    find_browser()
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.starlette import App

    from ui.session_cookie import routes

    PagesManager.uses_pages_directory = False
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
