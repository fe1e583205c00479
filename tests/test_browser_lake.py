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
