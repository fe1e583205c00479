"""A report ready to sign: the letter number, the signature block on the PDF's last page and under the
xlsx summary, the agreements' status as of the end of the report's period, and highlights that name
the units. The PDF's text is read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

import reports
from reports import browser as report_browser
from reports.period import parse
from tests import fixtures

D = dt.date
SIGNED = {"PANTAU_LETTER_NUMBER": "400.14/001/Dispersip-Uji", "PANTAU_SIGN_PLACE": "Banjarbaru",
          "PANTAU_SIGN_TITLE": "Kepala Dinas Contoh", "PANTAU_SIGN_NAME": "Nama Pejabat Contoh, S.Sos.",
          "PANTAU_SIGN_NIP": "197001012000031001"}


@pytest.fixture
def agreements_then(env):
    """The hand-checked fixture, plus an agreement of Rutan Rantau in force in August 2024 and long
    expired by today (2026-11-21), and one of Lapas Banjarmasin that only starts in 2025."""
    from warehouse.ingest import load_paths
    from warehouse.load import load_records

    files = fixtures.write_fixture_files(env / "files")
    assert load_paths([str(f) for f in files], user="sari", out=lambda line: None, isolate=False) == 0
    record = pd.DataFrame([
        {"facility_code": "rutan-rantau", "month": D(2024, 1, 1), "agreement_key": "2024-01-02|012/PKS/2024",
         "number_dispersip": "012/PKS/2024", "number_facility": None, "signed_on": D(2024, 1, 2),
         "valid_from": D(2024, 1, 2), "valid_until": D(2025, 6, 30), "scope": "pusling", "document_sha256": None,
         "document_name": None, "notes": None},
        {"facility_code": "lapas-banjarmasin", "month": D(2025, 1, 1), "agreement_key": "2025-01-06|001/PKS/2025",
         "number_dispersip": "001/PKS/2025", "number_facility": None, "signed_on": D(2025, 1, 6),
         "valid_from": D(2025, 1, 6), "valid_until": D(2027, 1, 5), "scope": "pusling", "document_sha256": None,
         "document_name": None, "notes": None}])
    load_records("agreements", record, name="PKS (uji)", loaded_by="admin")
    return env


def pdftotext(data: bytes, path, first: int | None = None, last: int | None = None) -> str:
    path.write_bytes(data)
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    done = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True,
                          text=True, timeout=60)
    return done.stdout


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


@pytest.mark.slow  # kaleido's Chromium draws the PDF; test_xlsx_is_ready_to_sign checks the same block in the xlsx
@pytest.mark.skipif(report_browser.find_browser() is None or shutil.which("pdftotext") is None,
                    reason="needs Chromium (the PDF's charts) and pdftotext (apt-get install -y chromium "
                           "poppler-utils); .ci/run installs them")
def test_pdf_is_ready_to_sign(agreements_then, tmp_path, monkeypatch):
    for key, value in SIGNED.items():
        monkeypatch.setenv(key, value)
    content, data = reports.build(parse("2024-08"), fmt="pdf", lang="id")
    assert content.agreements_as_of == D(2024, 8, 31)
    path = tmp_path / "laporan.pdf"
    every = lines(pdftotext(data, path))
    pages = int(re.search(r"Halaman 1 dari (\d+)", " ".join(every)).group(1))
    assert "Nomor: 400.14/001/Dispersip-Uji" in every[:12]          # under the title, on the first page
    # the agreements as they stood on 31 August 2024: Rantau's was in force, Banjarmasin's not yet signed
    assert "5. Status kerja sama (PKS) per 31 Agu 2024" in every
    assert any(re.fullmatch(r"Rutan Rantau berlaku 012/PKS/2024 30 Jun 2025 303 30 Jun 2025", line)
               for line in every), [line for line in every if "Rantau" in line]
    assert any(re.fullmatch(r"Lapas Banjarmasin belum ada – – – 5 Jan 2027", line) for line in every), \
        [line for line in every if "Banjarmasin" in line]
    assert "PKS per 31 Agu 2024: 1 dari 15 UPT punya PKS yang berlaku. Belum ada: " in " ".join(every)
    # the highlights name the units
    text = " ".join(every)
    assert "Peminjaman per 100 WBP terendah: Lapas Banjarmasin (22,8)." in text
    assert "Peminjaman dibanding Jul 2024: naik terbanyak Lapas Banjarmasin (+25,0%), Rutan Rantau (+20,0%); " \
           "turun terbanyak –." in text
    assert re.search(r"Belum ada laporan sama sekali dalam periode ini dari: [^.]*Rutan Tanjung", text)
    # the signature block closes the last page, in this order
    last = lines(pdftotext(data, path, first=pages, last=pages))
    block = ["Banjarbaru, 21 November 2026", "Kepala Dinas Contoh", "Nama Pejabat Contoh, S.Sos.",
             "NIP. 197001012000031001"]
    found = [last.index(line) for line in block]
    assert found == sorted(found) and found[-1] == len(last) - 2, last   # then only the footer
    assert last[-1].startswith("Pantau Literasi · Dibuat") and last[-1].endswith(f"Halaman {pages} dari {pages}")


def test_xlsx_is_ready_to_sign(agreements_then, tmp_path, monkeypatch):
    for key, value in SIGNED.items():
        monkeypatch.setenv(key, value)
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)
    summary = [[c for c in row if c is not None] for row in book["Ringkasan"].iter_rows(values_only=True)]
    assert ["Nomor: 400.14/001/Dispersip-Uji"] in summary[:14]
    tail = summary[-8:]
    assert tail == [[], ["Banjarbaru, 21 November 2026"], ["Kepala Dinas Contoh"], [], [], [],
                    ["Nama Pejabat Contoh, S.Sos."], ["NIP. 197001012000031001"]]
    sheet = book["Ringkasan"]
    name_cell = next(c for row in sheet.iter_rows() for c in row if c.value == "Nama Pejabat Contoh, S.Sos.")
    assert name_cell.column_letter == "E" and name_cell.font.b and name_cell.font.u == "single"
    assert sheet.print_area == f"'Ringkasan'!$A$1:$G${name_cell.row + 1}"   # printed down to the NIP
    agreements = [[c for c in row if c is not None] for row in book["Kerja Sama"].iter_rows(values_only=True)]
    assert ["Status kerja sama (PKS) per 31 Agu 2024"] in agreements


def test_unsigned_report_leaves_dots_to_fill_in(agreements_then, tmp_path, monkeypatch):
    monkeypatch.delenv("PANTAU_SIGN_NAME", raising=False)
    monkeypatch.delenv("PANTAU_SIGN_NIP", raising=False)
    monkeypatch.delenv("PANTAU_LETTER_NUMBER", raising=False)
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(data)
    summary = [[c for c in row if c is not None] for row in openpyxl.load_workbook(path)["Ringkasan"]
               .iter_rows(values_only=True)]
    assert summary[-7:] == [["Banjarmasin, 21 November 2026"],
                            ["Kepala Dinas Perpustakaan dan Kearsipan Provinsi Kalimantan Selatan"], [], [], [],
                            ["." * 40], ["NIP. " + "." * 30]]
    assert not any(str(v).startswith("Nomor:") for row in summary for v in row)
