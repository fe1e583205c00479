"""A staff member's month in a real browser: sign in, upload a real xlsx
through the file input, confirm the replacement, see the overview change,
refresh and still be signed in, sign out."""

from __future__ import annotations

import pytest

from tests.browser import add_account, browser, dashboard, exceptions, kpi, require_browser, screenshot, settle, sign_in
from tests.conftest import QUIET, fixture_warehouse, warehouse_env
from tests.files import write_xlsx


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("upload")
    env = fixture_warehouse(folder)
    add_account(env, "sari", "staff", "sandi-rahasia-sari")
    with dashboard({**env, **QUIET, "PANTAU_TEST_LOG": str(folder / "streamlit.log")}) as base:
        yield base, folder


def test_upload_confirm_and_see_the_overview_change(served):
    base, folder = served
    corrected = write_xlsx(folder / "rantau_agustus_2024.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        ["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 150],
    ]})
    with browser() as page:
        sign_in(page, base, "sari", "sandi-rahasia-sari")
        page.goto(f"{base}/?dari=2024-08&sampai=2024-08")
        settle(page)
        assert kpi(page, "Peminjaman") == "700"  # 120 + 500 + 80 in the fixture

        page.goto(f"{base}/unggah")
        settle(page)
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(corrected))
        page.get_by_text("Data Peminjaman Rutan Rantau Agustus 2024 sudah ada").wait_for(timeout=60000)
        settle(page)
        screenshot(page, "unggah-konfirmasi")
        page.get_by_text("Ya, ganti data yang sudah ada").click()
        settle(page)
        page.get_by_role("button", name="Muat semua").click()
        page.get_by_text("Dimuat sebagai 1 batch").wait_for(timeout=60000)
        screenshot(page, "unggah-dimuat")
        assert exceptions(page) == []

        page.goto(f"{base}/?dari=2024-08&sampai=2024-08")
        settle(page)
        assert kpi(page, "Peminjaman") == "730"  # Rantau's 120 replaced by 150

        page.reload()  # a refresh keeps the sign-in (signed session cookie)
        settle(page)
        assert page.get_by_text("Masuk sebagai sari").count() == 1
        assert kpi(page, "Peminjaman") == "730"

        page.get_by_role("button", name="Keluar").click()
        page.get_by_label("Nama pengguna").wait_for(timeout=30000)
        page.reload()  # signed out stays signed out
        page.get_by_label("Nama pengguna").wait_for(timeout=30000)
        assert page.locator("[data-testid='stMetric']").count() == 0
        screenshot(page, "keluar")


def test_a_viewer_cannot_reach_the_upload_page(served):
    base, folder = served
    add_account(warehouse_env(folder), "tamu", "viewer", "sandi-tamu-dinas")
    with browser() as page:
        sign_in(page, base, "tamu", "sandi-tamu-dinas")
        page.goto(f"{base}/unggah")
        settle(page)
        assert page.get_by_text("hanya untuk peran staf").count() == 1
        assert page.locator("[data-testid='stFileUploader']").count() == 0
