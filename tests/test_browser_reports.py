"""The Laporan page in a real browser, on the demo warehouse: a newcomer signs
in, opens Laporan (the last month of the data by default), and downloads the
xlsx and the PDF; both hold the figure the overview page shows for the same
month. The PDF's first page is kept as a PNG beside the screenshots."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from pypdf import PdfReader

from tests.browser import SHOTS, browser, exceptions, kpi, screenshot, settle, sign_in


def download(page, label: str, folder, timeout: float = 180):
    """Click a download button and save what the browser receives."""
    button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text=label).first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=timeout * 1000) as info:
        button.click()
    received = info.value
    path = folder / received.suggested_filename
    received.save_as(path)
    return path


def test_download_both_reports_for_the_last_month(demo_served, tmp_path):
    with browser() as page:
        sign_in(page, demo_served, "kepala", "sandi-kepala-dinas")
        page.goto(f"{demo_served}/?dari=2026-10&sampai=2026-10")
        settle(page)
        overview = kpi(page, "Peminjaman")

        page.goto(f"{demo_served}/laporan")
        settle(page)
        assert exceptions(page) == []
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Laporan untuk dikirim"
        assert "Pratinjau ringkasan: Oktober 2026" in page.locator("[data-testid='stMain']").inner_text()
        assert kpi(page, "Peminjaman") == overview
        screenshot(page, "laporan")

        xlsx = download(page, "Unduh xlsx", tmp_path)
        assert xlsx.name == "laporan_pantau-literasi_2026-10.xlsx"
        summary = openpyxl.load_workbook(xlsx, data_only=True)["Ringkasan"]
        loans = next(row[1].value for row in summary.iter_rows() if row[0].value == "Peminjaman")
        assert f"{loans:,}".replace(",", ".") == overview
        assert exceptions(page) == []

        pdf = download(page, "Unduh PDF", tmp_path)
        assert pdf.name == "laporan_pantau-literasi_2026-10.pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert "Periode: Oktober 2026" in text
        assert f"Peminjaman {overview} " in text
        assert exceptions(page) == []
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not found (apt-get install -y poppler-utils); .ci/run installs it")
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SHOTS / "laporan-pdf-unduhan-halaman-1")], check=True, timeout=120)
