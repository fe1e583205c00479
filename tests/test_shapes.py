"""Issue 14, the next real-world shapes and safer uploads: files written the
way their producers write them, loaded through ``python -m etl load`` (the CLI
in-process) and checked through ``summary --json``, or refused with exact
messages naming the cell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, warehouse_env
from tests.corpus import write_openpyxl
from tests.files import write_csv, write_xlsx
from tests.test_realworld import dataset_lines, reports, section
from tests.test_upload_page import XLSX, app, button, page, people  # noqa: F401 (people is a fixture)

D = dt.date
T = dt.datetime
END_OF_NOVEMBER = "2026-11-30"


def settings(env: Path, today: str | None = None) -> dict[str, str]:
    return {**warehouse_env(env), **({"PANTAU_TODAY": today} if today else {})}


def load(env: Path, *paths: Path, today: str | None = None) -> tuple[int, dict[str, list[str]]]:
    run = run_cli(settings(env, today), "load", *map(str, paths))
    return run.returncode, reports(run.stdout)


def summary(env: Path) -> list[dict]:
    run = run_cli(settings(env), "summary", "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def rows(dataset: str, facility: str, values: dict[str, int]) -> list[dict]:
    return [{"dataset": dataset, "facility": facility, "month": m, "value": v} for m, v in values.items()]


# ------------------------------------------------------- a year and a month in two columns
def test_year_and_month_in_separate_columns(env):
    """A hand-made recap: 'Tahun' | 'Bulan', the month as a name, a short name or a number."""
    path = write_xlsx(env / "rekap_peminjaman_upt.xlsx", {"Rekap": [
        ["REKAP PEMINJAMAN BUKU PERPUSTAKAAN UPT"], [],
        ["No", "Nama UPT", "Tahun", "Bulan", "Jumlah Peminjaman"],
        [1, "Lapas Kotabaru", 2025, "Oktober", 300],
        [2, "Lapas Kotabaru", 2025, "Nov", 280],
        [3, "Rutan Rantau", 2025, 10, 120],
        [4, "Rutan Rantau", "2025", "11", 110]]})
    status, found = load(env, path)
    lines = found["== rekap_peminjaman_upt.xlsx (xlsx)"]
    assert status == 0 and section(lines, "Galat") == [] and section(lines, "Catatan") == []
    assert dataset_lines(lines) == ["Peminjaman: Lapas Kotabaru, Rutan Rantau Okt 2025–Nov 2025 (2 bulan); 4 baris dimuat, "
                                    "0 ditolak."]
    assert summary(env) == rows("loans", "lapas-kotabaru", {"2025-10": 300, "2025-11": 280}) + \
        rows("loans", "rutan-rantau", {"2025-10": 120, "2025-11": 110})


def test_a_year_that_is_no_year_is_refused(env):
    path = write_csv(env / "rekap.csv", [["Nama UPT", "Tahun", "Bulan", "Jumlah Peminjaman"],
                                         ["Lapas Kotabaru", "20x5", "Oktober", 300]])
    status, found = load(env, path)
    assert status == 1
    assert section(found["== rekap.csv (csv)"], "Galat") == [
        "Baris 2, kolom 'Tahun': '20x5' bukan tahun. Tulis tahunnya dengan empat angka, mis. 2024."]


# ------------------------------------------------------- INLISLite's location column
def test_inlislite_guest_book_location_names_the_unit(env):
    """The file name names no unit; 'Lokasi Perpustakaan' does, with 'Perpustakaan' in front."""
    header = ["Nomor Kunjungan", "Lokasi Perpustakaan", "Lokasi Ruang", "Tanggal Kunjungan", "Kriteria Pengunjung",
              "Nama", "Jenis Kelamin", "Pekerjaan", "Pendidikan", "Tujuan Kunjungan", "Informasi Dicari"]
    lib = "Perpustakaan Lapas Kotabaru"
    path = write_openpyxl(env / "laporan_buku_tamu.xlsx", {"Worksheet": [
        ["LAPORAN BUKU TAMU"], ["Tanggal Export: 02-10-2024 10:15"], [], header,
        ["AN-0001", lib, "Ruang Baca", D(2024, 9, 2), "Anggota", "Andi", "Laki-laki", "WBP", "SMP", "Membaca", None],
        ["NP-1", lib, "Ruang Baca", D(2024, 9, 3), "Non Anggota", "Bu Rina", "Perempuan", "PNS", "S1", "Kunjungan",
         None],
        ["RB-1", lib, "Aula", D(2024, 9, 10), "Rombongan", "Ketua: Pak Hasan", "12 Laki-laki<br>3 Perempuan",
         "WBP<br>", "SMA<br>", "Bedah Buku", None]]}, merges={"Worksheet": ["A1:K1", "A2:K2"]})
    status, found = load(env, path)
    lines = found["== laporan_buku_tamu.xlsx (xlsx)"]
    assert status == 0 and section(lines, "Galat") == [] and section(lines, "Peringatan") == []
    assert dataset_lines(lines) == ["Kunjungan Perpustakaan: Lapas Kotabaru Sep 2024 (1 bulan); 3 baris dimuat, "
                                    "0 ditolak."]
    assert summary(env) == rows("visits", "lapas-kotabaru", {"2024-09": 1 + 1 + 15})


# ------------------------------------------------------- label rows naming the place
def test_label_rows_above_the_table_name_the_place(env):
    tempat = write_xlsx(env / "daftar_kunjungan_september.xlsx", {"Kunjungan": [
        ["DAFTAR KUNJUNGAN PERPUSTAKAAN"], ["Tempat", ":", "Perpustakaan Rutan Rantau"], [],
        ["No", "Tanggal Kunjungan", "Jumlah Pengunjung"], [1, D(2024, 9, 2), 14], [2, D(2024, 9, 3), 9]]})
    upt = write_xlsx(env / "laporan_bulanan.xlsx", {"Laporan": [
        ["LAPORAN BULANAN PEMINJAMAN BUKU"], ["UPT : Lapas Amuntai"], [],
        ["Bulan", "Jumlah Peminjaman"], ["Agustus 2024", 75], ["September 2024", 81]]})
    lokasi = write_xlsx(env / "rekap_pengunjung.xlsx", {"Pengunjung": [
        ["REKAP PENGUNJUNG PERPUSTAKAAN"], ["Lokasi : LPKA Martapura"], [],
        ["Bulan", "Jumlah Pengunjung"], ["Agustus 2024", 40]]})
    status, found = load(env, tempat, upt, lokasi)
    assert status == 0
    assert [dataset_lines(found[k]) for k in sorted(found)] == [
        ["Kunjungan Perpustakaan: Rutan Rantau Sep 2024 (1 bulan); 2 baris dimuat, 0 ditolak."],
        ["Peminjaman: Lapas Amuntai Agu 2024–Sep 2024 (2 bulan); 2 baris dimuat, 0 ditolak."],
        ["Kunjungan Perpustakaan: LPKA Martapura Agu 2024 (1 bulan); 1 baris dimuat, 0 ditolak."]]
    assert summary(env) == rows("loans", "lapas-amuntai", {"2024-08": 75, "2024-09": 81}) + \
        rows("visits", "lpka-martapura", {"2024-08": 40}) + rows("visits", "rutan-rantau", {"2024-09": 23})


def test_a_label_row_naming_no_unit_is_refused_once_at_its_row(env):
    path = write_xlsx(env / "laporan_bulanan.xlsx", {"Laporan": [
        ["LAPORAN BULANAN PEMINJAMAN BUKU"], ["UPT : Lapas Antah Berantah"], [],
        ["Bulan", "Jumlah Peminjaman"], ["Agustus 2024", 75], ["September 2024", 81]]})
    status, found = load(env, path)
    assert status == 1
    assert section(found["== laporan_bulanan.xlsx (xlsx)"], "Galat") == [
        "Sheet 'Laporan', baris 2: tidak ada UPT bernama 'Lapas Antah Berantah'. Yang paling mirip: Lapas Banjarmasin "
        "(lapas-banjarmasin), Lapas Batulicin (lapas-batulicin), Lapas Narkotika Karang Intan "
        "(lapas-narkotika-karang-intan). Tulis nama resmi atau kodenya."]


# ------------------------------------------------------- outdated or wrongly written classes
def test_an_outdated_class_is_read_when_place_and_kind_name_one_unit(env):
    path = write_xlsx(env / "rekap_kelas_lama.xlsx", {"Rekap": [
        ["Fasilitas", "Bulan", "Jumlah Peminjaman"],
        ["Lapas Kelas IIB Kotabaru", "Agustus 2024", 10],      # now IIA
        ["Rutan Kls. IIA Rantau", "Agustus 2024", 11],          # IIB, written wrongly
        ["Lapas Kelas IIB Kotabaru", "September 2024", 12]]})
    status, found = load(env, path)
    lines = found["== rekap_kelas_lama.xlsx (xlsx)"]
    assert status == 0 and section(lines, "Galat") == [] and section(lines, "Peringatan") == []
    assert section(lines, "Catatan") == [
        "Sheet 'Rekap', baris 2, kolom 'Fasilitas': 'Lapas Kelas IIB Kotabaru' dibaca sebagai Lapas Kotabaru: tempat "
        "dan jenisnya hanya cocok dengan UPT itu, yang kelasnya sekarang IIA (tertulis IIB).",
        "Sheet 'Rekap', baris 3, kolom 'Fasilitas': 'Rutan Kls. IIA Rantau' dibaca sebagai Rutan Rantau: tempat dan "
        "jenisnya hanya cocok dengan UPT itu, yang kelasnya sekarang IIB (tertulis IIA)."]
    assert summary(env) == rows("loans", "lapas-kotabaru", {"2024-08": 10, "2024-09": 12}) + \
        rows("loans", "rutan-rantau", {"2024-08": 11})


def test_a_wrong_class_is_refused_when_it_fits_another_unit(env):
    """IIB fits Lapas Banjarbaru, the place Lapas Banjarmasin; a place no unit has is no unit at all."""
    path = write_xlsx(env / "rekap_kelas_salah.xlsx", {"Rekap": [
        ["Fasilitas", "Bulan", "Jumlah Peminjaman"],
        ["Lapas Kelas IIB Banjarmasin", "Agustus 2024", 10],
        ["Lapas Antah Berantah", "Agustus 2024", 11],
        ["Rutan Kotabaru", "Agustus 2024", 12]]})
    status, found = load(env, path)
    assert status == 1
    assert section(found["== rekap_kelas_salah.xlsx (xlsx)"], "Galat") == [
        "Sheet 'Rekap', baris 2, kolom 'Fasilitas': 'Lapas Kelas IIB Banjarmasin' bisa berarti lebih dari satu "
        "fasilitas: Lapas Banjarmasin (lapas-banjarmasin), Lapas Banjarbaru (lapas-banjarbaru). Tulis nama lengkapnya.",
        "Sheet 'Rekap', baris 3, kolom 'Fasilitas': tidak ada UPT bernama 'Lapas Antah Berantah'. Yang paling mirip: "
        "Lapas Banjarmasin (lapas-banjarmasin), Lapas Batulicin (lapas-batulicin), Lapas Narkotika Karang Intan "
        "(lapas-narkotika-karang-intan). Tulis nama resmi atau kodenya.",
        "Sheet 'Rekap', baris 4, kolom 'Fasilitas': tidak ada UPT bernama 'Rutan Kotabaru'. Yang paling mirip: "
        "Lapas Kotabaru (lapas-kotabaru). Tulis nama resmi atau kodenya."]
    assert summary(env) == []


# ------------------------------------------------------- the province's own recap
def province_recap(folder: Path, name: str, total_fix: int = 0) -> Path:
    """Units as rows (typed from memory: 'Perpustakaan' in front, an old class), months as columns, a total
    column and a total row."""
    months = ["Januari", "Februari", "Maret"]
    data = {"Perpustakaan Lapas Kelas IIB Kotabaru": [210, 190, 205],
            "Perpustakaan Rutan Rantau": [88, 91, 79],
            "LPKA Kelas I Martapura": [40, 38, 45]}
    table = [["REKAPITULASI PEMINJAMAN BUKU PERPUSTAKAAN UPT PEMASYARAKATAN"], ["PROVINSI KALIMANTAN SELATAN"],
             ["TRIWULAN I TAHUN 2025"], [], ["No", "Nama UPT", *months, "Jumlah"]]
    for k, (unit, values) in enumerate(data.items(), start=1):
        table.append([k, unit, *values, sum(values)])
    monthly = [sum(v[i] for v in data.values()) for i in range(3)]
    table.append([None, "JUMLAH", *monthly, sum(monthly) + total_fix])
    table += [[], ["Banjarmasin, 5 April 2025"], ["Kepala Bidang Layanan"]]
    return write_xlsx(folder / name, {"Rekap TW I": table})


def test_province_recap_units_as_rows_months_as_columns(env):
    path = province_recap(env, "rekap_provinsi_tw1_2025.xlsx")
    status, found = load(env, path)
    lines = found["== rekap_provinsi_tw1_2025.xlsx (xlsx)"]
    assert status == 0 and section(lines, "Galat") == [] and section(lines, "Peringatan") == []
    assert dataset_lines(lines) == ["Peminjaman: Lapas Kotabaru, LPKA Martapura, Rutan Rantau Jan 2025–Mar 2025 "
                                    "(3 bulan); 9 baris dimuat, 0 ditolak."]
    # the total row and column are checked, never units or months
    assert summary(env) == rows("loans", "lapas-kotabaru", {"2025-01": 210, "2025-02": 190, "2025-03": 205}) + \
        rows("loans", "lpka-martapura", {"2025-01": 40, "2025-02": 38, "2025-03": 45}) + \
        rows("loans", "rutan-rantau", {"2025-01": 88, "2025-02": 91, "2025-03": 79})


def test_province_recap_with_a_wrong_grand_total_is_refused(env):
    path = province_recap(env, "rekap_provinsi_salah.xlsx", total_fix=10)
    status, found = load(env, path)
    assert status == 1
    assert section(found["== rekap_provinsi_salah.xlsx (xlsx)"], "Galat") == [
        "Sheet 'Rekap TW I', baris 9, kolom 'Jumlah': baris jumlah menulis 996, tetapi jumlah baris-baris di atasnya "
        "986. Perbaiki angka jumlahnya atau baris datanya."]
    assert summary(env) == []


# ------------------------------------------------------- online form exports
FORM_HEADER = ["Timestamp", "Email Address", "Nama UPT", "Tahun", "Bulan Laporan", "Jumlah Peminjaman Buku",
               "Jumlah Pengunjung Perpustakaan", "Nama Petugas"]


def form_export(folder: Path) -> Path:
    """Google Sheets' download of the answers: a Timestamp, one row per unit and month, loans and visitors side
    by side; Lapas Kotabaru answered October twice (the second corrects a typo), Rutan Rantau left visitors
    empty for September."""
    return write_xlsx(folder / "Laporan Bulanan Perpustakaan UPT (Jawaban).xlsx", {"Form Responses 1": [
        FORM_HEADER,
        [T(2026, 11, 3, 8, 15, 2), "kotabaru@example.id", "Lapas Kotabaru", 2026, "Oktober", 6270, 410, "Budi"],
        [T(2026, 11, 4, 9, 1, 40), "rantau@example.id", "Perpustakaan Rutan Kelas IIB Rantau", 2026, "Oktober", 120,
         95, "Sari"],
        [T(2026, 11, 5, 10, 30, 0), "kotabaru@example.id", "Lapas Kotabaru", 2026, "Oktober", 627, 410, "Budi"],
        [T(2026, 11, 6, 7, 45, 9), "rantau@example.id", "Rutan Rantau", 2026, "September", 101, None, "Sari"]]})


def test_form_export_one_batch_per_dataset_and_answers_given_twice(env):
    path = form_export(env)
    status, found = load(env, path)
    lines = found[f"== {path.name} (xlsx)"]
    assert status == 0 and section(lines, "Galat") == []
    assert dataset_lines(lines) == [
        "Peminjaman: Lapas Kotabaru Okt 2026 (1 bulan); Rutan Rantau Sep 2026–Okt 2026 (2 bulan); 3 baris dimuat, "
        "0 ditolak.",
        "Kunjungan Perpustakaan: Lapas Kotabaru, Rutan Rantau Okt 2026 (1 bulan); 2 baris dimuat, 0 ditolak."]
    assert section(lines, "Peringatan") == [
        "Sheet 'Form Responses 1', baris 2: formulir untuk Lapas Kotabaru Oktober 2026 dijawab dua kali: baris ini "
        "(dikirim 3 Nov 2026 08:15) dan baris 4 (dikirim 5 Nov 2026 10:30). Yang dipakai jawaban terakhir, baris 4; "
        "baris ini tidak dimuat agar tidak terhitung dua kali."]
    assert section(lines, "Catatan") == [
        "Sheet 'Form Responses 1', baris 5, kolom 'Jumlah Pengunjung Perpustakaan': jawaban ini tidak mengisi kolom "
        "ini, jadi tidak ada laporan Kunjungan Perpustakaan darinya.",
        "Sheet 'Form Responses 1': kolom 'Email Address' tidak dikenal dan tidak dibaca.",
        "Sheet 'Form Responses 1': kolom 'Nama Petugas' tidak dikenal dan tidak dibaca."]
    # the October loans of Lapas Kotabaru once, as corrected
    assert summary(env) == rows("loans", "lapas-kotabaru", {"2026-10": 627}) + \
        rows("loans", "rutan-rantau", {"2026-09": 101, "2026-10": 120}) + \
        rows("visits", "lapas-kotabaru", {"2026-10": 410}) + rows("visits", "rutan-rantau", {"2026-10": 95})
    from warehouse.db import connect

    with connect() as con:
        batches = con.execute("""SELECT batch_id, dataset, file_name, sheets, rows_read, rows_loaded, rows_rejected,
                                        loaded_at FROM batch ORDER BY batch_id""").fetchall()
    assert [b[:7] for b in batches] == [
        (1, "loans", path.name, "Form Responses 1", 3, 3, 0),
        (2, "visits", path.name, "Form Responses 1", 2, 2, 0)]
    assert batches[0][7] == batches[1][7]  # one transaction


def test_form_export_in_english(env, monkeypatch):
    from etl.pipeline import read_file
    from warehouse.ingest import make_options

    path = form_export(env)
    result = read_file(path, make_options(lang="en"))
    assert [p.text("en") for p in result.warnings] == [
        "Sheet 'Form Responses 1', row 2: the form for Lapas Kotabaru October 2026 was answered twice: this row "
        "(sent 3 Nov 2026 08:15) and row 4 (sent 5 Nov 2026 10:30). The last answer, row 4, is used; this row was "
        "not loaded, so nothing is counted twice."]


# ------------------------------------------------------- future months in every form, negative counts
@pytest.fixture
def end_of_november(env, monkeypatch):
    monkeypatch.setenv("PANTAU_TODAY", END_OF_NOVEMBER)
    from warehouse.ingest import make_options

    return make_options()


def errors(path: Path, opts) -> list[str]:
    from etl.pipeline import read_file

    return [p.text() for p in read_file(path, opts).errors]


def test_future_months_are_refused_in_every_form(env, end_of_november):
    opts = end_of_november
    recap = write_xlsx(env / "rekap.xlsx", {"Rekap": [
        ["Fasilitas", "Bulan", "Jumlah Peminjaman"],
        ["Lapas Kotabaru", "November 2026", 10],
        ["Lapas Kotabaru", "Desember 2026", 11],
        ["Lapas Kotabaru", "Maret 2031", 12],
        ["Rutan Rantau", "Oktober 2026", -4]]})
    assert errors(recap, opts) == [
        "Sheet 'Rekap', baris 3, kolom 'Bulan': bulan 'Desember 2026' belum tiba (hari ini 30 Nov 2026); periksa "
        "bulan dan tahunnya.",
        "Sheet 'Rekap', baris 4, kolom 'Bulan': bulan 'Maret 2031' belum tiba (hari ini 30 Nov 2026); periksa bulan "
        "dan tahunnya.",
        "Sheet 'Rekap', baris 5, kolom 'Jumlah Peminjaman': '-4' negatif; jumlah tidak boleh kurang dari 0."]
    columns = write_xlsx(env / "tahun_bulan.xlsx", {"Rekap": [
        ["Nama UPT", "Tahun", "Bulan", "Jumlah Peminjaman"], ["Lapas Kotabaru", 2026, 12, 5]]})
    assert errors(columns, opts) == [
        "Sheet 'Rekap', baris 2, kolom 'Bulan': bulan 'Desember 2026' belum tiba (hari ini 30 Nov 2026); periksa "
        "bulan dan tahunnya."]
    matrix = write_xlsx(env / "matriks.xlsx", {"Rekap": [
        ["REKAP PEMINJAMAN TAHUN 2026"], [], ["Nama UPT", "Oktober", "November", "Desember", "Jumlah"],
        ["Lapas Kotabaru", 5, 6, 7, 18]]})
    assert errors(matrix, opts) == [
        "Sheet 'Rekap', baris 4, kolom 'Desember': bulan Desember 2026 belum tiba (hari ini 30 Nov 2026), tetapi "
        "berisi 7. Periksa tahun di judul, atau kosongkan bulan yang belum tiba."]
    title = write_xlsx(env / "judul.xlsx", {"Kunjungan": [
        ["LAPORAN KUNJUNGAN PERPUSTAKAAN LAPAS KOTABARU BULAN DESEMBER 2026"], [],
        ["Tanggal Kunjungan", "Jumlah Pengunjung"], [D(2026, 11, 2), 5]]})
    assert errors(title, opts) == [
        "Sheet 'Kunjungan', baris 1: judul menyebut bulan Desember 2026, yang belum tiba (hari ini 30 Nov 2026); "
        "periksa bulan dan tahunnya. Tidak ada baris sheet ini yang dimuat."]
    label = write_xlsx(env / "label.xlsx", {"Kunjungan": [
        ["LAPORAN KUNJUNGAN"], ["Periode : Maret 2031"], ["UPT : Lapas Kotabaru"], [],
        ["Tanggal Kunjungan", "Jumlah Pengunjung"], [D(2026, 11, 2), 5]]})
    assert errors(label, opts) == [
        "Sheet 'Kunjungan', baris 2: bulan 'Maret 2031' di atas tabel belum tiba (hari ini 30 Nov 2026); periksa "
        "bulan dan tahunnya. Tidak ada baris sheet ini yang dimuat."]
    dates = write_xlsx(env / "tanggal.xlsx", {"Peminjaman": [
        ["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar"], ["Lapas Kotabaru", D(2026, 12, 5), "B1"],
        ["Lapas Kotabaru", D(2026, 11, 30), "B2"]]})
    assert errors(dates, opts) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Tanggal Pinjam': '5 Des 2026' ada di masa depan (hari ini 30 Nov 2026); "
        "periksa tanggalnya."]
    form = write_xlsx(env / "formulir.xlsx", {"Form Responses 1": [
        FORM_HEADER, [T(2026, 11, 30, 8, 0, 0), "a@example.id", "Lapas Kotabaru", 2026, "Desember", 5, 6, "Budi"]]})
    assert errors(form, opts) == [
        "Sheet 'Form Responses 1', baris 2, kolom 'Bulan Laporan': bulan 'Desember 2026' belum tiba (hari ini 30 Nov "
        "2026); periksa bulan dan tahunnya."]  # once, though both datasets of the row are refused


def test_a_title_naming_a_range_of_months_is_no_future_month(env, end_of_november):
    """'JANUARI - DESEMBER 2026' is the year being reported, not December."""
    path = write_xlsx(env / "tahunan.xlsx", {"Kunjungan": [
        ["LAPORAN KUNJUNGAN PERPUSTAKAAN LAPAS KOTABARU JANUARI - DESEMBER 2026"], [],
        ["Tanggal Kunjungan", "Jumlah Pengunjung"], [D(2026, 11, 2), 5]]})
    assert errors(path, end_of_november) == []


# ------------------------------------------------------- the browser upload reads the same shapes
@pytest.mark.usefixtures("people")
def test_upload_page_loads_a_form_export_as_two_batches(tmp_path):
    from warehouse.queries import batches
    from warehouse.queries import summary as stored

    path = form_export(tmp_path)
    at = page(app("sari", "sandi-rahasia-sari"), "pages/unggah.py")
    at.get("file_uploader")[0].set_value([(path.name, path.read_bytes(), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    report = at.dataframe[-1].value
    assert "Sheet 'Form Responses 1', baris 2: formulir untuk Lapas Kotabaru Oktober 2026 dijawab dua kali: baris " \
           "ini (dikirim 3 Nov 2026 08:15) dan baris 4 (dikirim 5 Nov 2026 10:30). Yang dipakai jawaban terakhir, " \
           "baris 4; baris ini tidak dimuat agar tidak terhitung dua kali." in list(report["Pesan"])
    button(at, "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 2 batch (#1, #2): 5 baris dimuat, 0 ditolak.")
    assert [(b["batch_id"], b["dataset"]) for b in sorted(batches(), key=lambda b: b["batch_id"])] == \
        [(1, "loans"), (2, "visits")]
    assert stored() == rows("loans", "lapas-kotabaru", {"2026-10": 627}) + \
        rows("loans", "rutan-rantau", {"2026-09": 101, "2026-10": 120}) + \
        rows("visits", "lapas-kotabaru", {"2026-10": 410}) + rows("visits", "rutan-rantau", {"2026-10": 95})
