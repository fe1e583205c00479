"""A hostile upload in a real browser (issue 12, finding 1): a 5 KB xlsx whose only cell is at
XFD1048576 used to make the server's reader ask for 512 GB and abort the whole dashboard. Now it is
read in a separate worker process: the staff member sees one sentence, and the server still answers."""

from __future__ import annotations

import time
import urllib.request

import pytest

from tests.browser import add_account, browser, dashboard, exceptions, kpi, require_browser, screenshot, settle, sign_in
from tests.conftest import QUIET, fixture_warehouse
from tests.test_sandbox import xfd_bomb


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("hostile")
    env = fixture_warehouse(folder)
    add_account(env, "sari", "staff", "sandi-rahasia-sari")
    with dashboard({**env, **QUIET, "PANTAU_PARSE_MEMORY_MB": "512",
                    "PANTAU_TEST_LOG": str(folder / "streamlit.log")}) as base:
        yield base, folder


def test_a_bomb_is_refused_and_the_server_still_answers(served):
    base, folder = served
    bomb = xfd_bomb(folder / "bom.xlsx")
    with browser() as page:
        sign_in(page, base, "sari", "sandi-rahasia-sari")
        page.goto(f"{base}/unggah")
        settle(page)
        start = time.monotonic()
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(bomb))
        refusal = page.locator("[data-testid='stAlert']").filter(has_text="berkas terlalu besar atau rusak")
        refusal.first.wait_for(timeout=60000)
        took = time.monotonic() - start
        settle(page)
        screenshot(page, "unggah-bom")
        text = refusal.first.inner_text()
        assert text.startswith("Berkas 'bom.xlsx': berkas terlalu besar atau rusak")
        if "batas memori" in text:  # (the readers' own bounds, once there, refuse it with their sentence)
            assert "melewati batas memori 512 MB." in text
        assert exceptions(page) == []
        assert took < 30

        with urllib.request.urlopen(base + "/_stcore/health", timeout=10) as r:
            assert r.status == 200
        page.goto(f"{base}/?dari=2024-08&sampai=2024-08")
        settle(page)
        assert kpi(page, "Peminjaman") == "700"  # the fixture's figures, unchanged
        assert exceptions(page) == []
