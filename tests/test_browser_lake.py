"""Two dashboard servers on one lake (issue 17): a session signed in on one works on the other (sessions
live in the warehouse, the signing key is the shared PANTAU_SECRET_FILE), and a load committed by a
separate loader process shows on both at their next run (their caches key on the lake's snapshot id)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.browser import add_account, browser, exceptions, kpi, require_browser, serve, settle, sign_in
from tests.conftest import QUIET, ROOT, warehouse_env
from tests.files import write_xlsx

pytestmark = pytest.mark.slow

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]


def shows(page, url: str, value: str, within: float) -> bool:
    """The page at ``url`` shows ``value`` loans within ``within`` seconds (reloading it)."""
    deadline = time.monotonic() + within
    while True:
        page.goto(url)
        settle(page)
        if kpi(page, "Peminjaman") == value:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def test_two_servers_on_one_lake_share_sessions_and_see_each_others_loads(tmp_path, pg_cluster):
    from tests import lake
    from warehouse.db import using
    from warehouse.ingest import make_options
    from warehouse.load import load_file
    from etl.pipeline import read_file

    require_browser()
    env = {**warehouse_env(tmp_path), **lake.lake_settings(pg_cluster, tmp_path), **QUIET}
    first = write_xlsx(tmp_path / "kotabaru.xlsx", {"Peminjaman": [HEADER, ["Lapas Kotabaru", "Agustus 2024",
                                                                            "Agama", 10]]})
    second = write_xlsx(tmp_path / "amuntai.xlsx", {"Peminjaman": [HEADER, ["Lapas Amuntai", "Agustus 2024",
                                                                            "Fiksi", 5]]})
    with using(env):
        load_file(read_file(first, make_options()), loaded_by="sari")
    add_account(env, "kepala", "viewer", "sandi-kepala-dinas")
    with serve(env, tmp_path / "a.log") as (one, _), serve(env, tmp_path / "b.log") as (other, _), \
            browser() as page:
        sign_in(page, one, "kepala", "sandi-kepala-dinas")
        # the cookie names no port: the other server gets it, and finds the session in the lake
        for base in (one, other):
            assert shows(page, f"{base}/?dari=2024-08&sampai=2024-08", "10", within=0)
            assert page.get_by_label("Nama pengguna").count() == 0
            assert exceptions(page) == []
        loader = subprocess.run([sys.executable, "-m", "etl", "load", str(second), "--user", "budi"], cwd=ROOT,
                                env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
        assert loader.returncode == 0, loader.stderr
        for base in (other, one):
            assert shows(page, f"{base}/?dari=2024-08&sampai=2024-08", "15", within=5), base
            assert exceptions(page) == []
    # each server warmed the new snapshot in its own thread (ui.data.warm_ahead), quietly: no traceback,
    # no warning about Streamlit's script context in its log
    for log in ("a.log", "b.log"):
        text = (tmp_path / log).read_text()
        assert "Traceback" not in text and "ScriptRunContext" not in text and "WARNING" not in text, text


def test_two_staff_upload_at_once_on_two_servers_and_both_servers_show_both(tmp_path, pg_cluster):
    """Issue 17's done-criterion: two staff members, each in their own browser context (own cookies), one
    on each server, load a different unit's month through the upload page. The two "Muat semua" clicks are
    issued one right after the other from one Playwright thread (the first click returns once the browser
    has dispatched it, not when the server has finished loading), so both loads run on the servers at the
    same time, though the clicks themselves are some tens of milliseconds apart, not simultaneous. On the
    lake writers take their turn (the catalog's advisory lock), so both must succeed at the first press; then both servers
    show the sum within 5 seconds and the warehouse holds exactly the two batches, one by each user."""
    from playwright.sync_api import sync_playwright

    from tests import lake
    from tests.browser import ARGS, CHROMIUM
    from warehouse.db import using
    from warehouse.queries import batches, summary

    require_browser()
    env = {**warehouse_env(tmp_path), **lake.lake_settings(pg_cluster, tmp_path), **QUIET}
    files = {"sari": write_xlsx(tmp_path / "kotabaru.xlsx", {"Peminjaman": [HEADER, ["Lapas Kotabaru",
                                                                                    "Agustus 2024", "Agama", 10]]}),
             "budi": write_xlsx(tmp_path / "amuntai.xlsx", {"Peminjaman": [HEADER, ["Lapas Amuntai",
                                                                                   "Agustus 2024", "Fiksi", 5]]})}
    add_account(env, "sari", "staff", "sandi-rahasia-sari")
    add_account(env, "budi", "staff", "sandi-rahasia-budi")
    with serve(env, tmp_path / "a.log") as (one, _), serve(env, tmp_path / "b.log") as (other, _), \
            sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pages = {}
            for user, base in (("sari", one), ("budi", other)):
                page = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID").new_page()
                sign_in(page, base, user, f"sandi-rahasia-{user}")
                page.goto(f"{base}/unggah")
                settle(page)
                page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(files[user]))
                page.get_by_role("button", name="Muat semua").wait_for(timeout=60000)
                settle(page)
                pages[user] = page
            for page in pages.values():  # no wait in between: both loads run at once on the two servers
                page.get_by_role("button", name="Muat semua").click()
            for page in pages.values():
                page.get_by_text("Dimuat sebagai 1 batch").wait_for(timeout=120000)
                assert page.get_by_text("Gudang data sedang sibuk").count() == 0
                assert exceptions(page) == []
            for base in (one, other):
                for page in pages.values():
                    assert shows(page, f"{base}/?dari=2024-08&sampai=2024-08", "15", within=5), base
                    assert exceptions(page) == []
        finally:
            chromium.close()
    with using(env):
        assert summary() == [{"dataset": "loans", "facility": "lapas-amuntai", "month": "2024-08", "value": 5},
                             {"dataset": "loans", "facility": "lapas-kotabaru", "month": "2024-08", "value": 10}]
        loaded = batches()
    assert sorted((b["loaded_by"], b["file_name"], b["rows_loaded"], b["status"], b["facilities"]) for b in loaded) \
        == [("budi", "amuntai.xlsx", 1, "active", "lapas-amuntai"),
            ("sari", "kotabaru.xlsx", 1, "active", "lapas-kotabaru")]
