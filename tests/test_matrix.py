"""Month-column tables: unpivoted into recap records, totals checked and
never counted, and every way they can be wrong refused with its reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl.pipeline import read_file
from tests.files import write_xlsx

D = dt.date
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nop", "Des"]


def messages(result, severity: str = "error") -> list[str]:
    return [p.text() for p in result.problems if p.severity == severity]


def records(result, dataset: str) -> list[tuple]:
    frame = result.records(dataset)
    if dataset == "loans":
        columns = ["facility_code", "month", "category", "borrower_group", "service", "n_loans", "is_recap",
                   "source_row"]
    else:
        columns = ["facility_code", "month", "visitor_group", "service", "n_visitors", "visitors_l", "visitors_p",
                   "is_total", "source_row"]
    return [tuple(None if pd.isna(v) else (v.date() if hasattr(v, "date") else v) for v in row)
            for row in frame[columns].astype(object).itertuples(index=False)]


def test_a_loans_matrix_becomes_monthly_recap_records(env, opts):
    path = write_xlsx(env / "rutan-rantau_rekap.xlsx", {"Rekap": [
        ["REKAP PEMINJAMAN MENURUT KLASIFIKASI TAHUN 2024"],
        ["No", "Klasifikasi", "Jan", "Peb", "Mar", "Jumlah"],
        [1, "297", 4, 5, 0, 9],
        [2, "Fiksi", 2, None, 1, 3],
        [None, "JUMLAH", 6, 5, 1, 12],
    ]})
    result = read_file(path, opts)
    assert messages(result) == []
    assert records(result, "loans") == [
        ("rutan-rantau", D(2024, 1, 1), "200 Agama", None, "perpustakaan", 4, True, 3),
        ("rutan-rantau", D(2024, 2, 1), "200 Agama", None, "perpustakaan", 5, True, 3),
        ("rutan-rantau", D(2024, 3, 1), "200 Agama", None, "perpustakaan", 0, True, 3),  # a 0 between months is real
        ("rutan-rantau", D(2024, 1, 1), "Fiksi", None, "perpustakaan", 2, True, 4),
        ("rutan-rantau", D(2024, 3, 1), "Fiksi", None, "perpustakaan", 1, True, 4),  # an empty cell reports nothing
    ]
    assert messages(result, "info") == [
        "Sheet 'Rekap', baris 5: baris jumlah diperiksa dan cocok; tidak dihitung sebagai data.",
        "Sheet 'Rekap': tabel bulanan dibaca: 2 baris × 3 bulan (Jan 2024–Mar 2024) menjadi 5 angka rekap; kolom dan "
        "baris jumlah diperiksa dan tidak dihitung sebagai data.",
    ]


def test_the_year_comes_from_headers_a_year_row_the_title_or_the_names(env, opts):
    cases = {
        "headers.xlsx": ([["Tipe Anggota", "Jan 2023", "Feb 2023"], ["WBP", 1, 2]], "Rutan Rantau", 2023),
        "over.xlsx": ([[None, "2022", None], ["Tipe Anggota", "Jan", "Feb"], ["WBP", 1, 2]], "Rutan Rantau", 2022),
        "title.xlsx": ([["STATISTIK PENGUNJUNG TAHUN 2021"], ["Tipe Anggota", "Jan", "Feb"], ["WBP", 1, 2]],
                       "Rutan Rantau", 2021),
        "sheet.xlsx": ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 1, 2]], "Kunjungan 2020", 2020),
        "rutan-rantau_statistik_2019.xlsx": ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 1, 2]], "Statistik", 2019),
    }
    for name, (rows, sheet, year) in cases.items():
        result = read_file(write_xlsx(env / name, {sheet: rows}), opts.__class__(**{**opts.__dict__,
                                                                                  "facility": "rutan-rantau"}))
        assert messages(result) == [], name
        assert [r[1] for r in records(result, "visits")] == [D(year, 1, 1), D(year, 2, 1)], name


def test_months_before_and_after_the_reported_ones_are_not_reported(env, opts):
    path = write_xlsx(env / "lapas-amuntai_statistik_2025.xlsx", {"Statistik": [
        ["Member Type", *["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]],
        ["Warga Binaan", 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0],
        ["Pegawai", 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    ]})
    result = read_file(path, opts)
    assert messages(result) == []
    assert sorted({r[1] for r in records(result, "visits")}) == [D(2025, 3, 1), D(2025, 4, 1), D(2025, 5, 1)]
    assert messages(result, "info")[0] == (
        "Sheet 'Statistik': kolom Jan, Feb, Jun, Jul, Aug, Sep, Oct, Nov, Dec kosong atau 0 semua di awal/akhir "
        "tahun, sehingga bulan itu dianggap belum dilaporkan dan tidak dimuat.")


@pytest.mark.parametrize("rows, expected", [
    ([["Tipe Anggota", "Jan", "Feb", "Jumlah"], ["WBP", 4, 5, 10]],
     ["Sheet 'Statistik', baris 2, kolom 'Jumlah': kolom jumlah menulis 10, tetapi bulan-bulan di baris ini "
      "berjumlah 9. Perbaiki angka jumlahnya atau angka bulanannya."]),
    ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 4, 5], ["Petugas", 1, 1], ["Total", 5, 7]],
     ["Sheet 'Statistik', baris 4, kolom 'Feb': baris jumlah menulis 7, tetapi jumlah baris-baris di atasnya 6. "
      "Perbaiki angka jumlahnya atau baris datanya."]),
    ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 4, "lima"]],
     ["Sheet 'Statistik', baris 2, kolom 'Feb': 'lima' bukan angka. Tulis angka saja, mis. 1234 atau 1.234."]),
    ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 4, 5], [None, 4, 5]],
     ["Sheet 'Statistik', baris 3: baris ini berisi angka tetapi 'Tipe Anggota'-nya kosong. Isi 'Tipe Anggota', atau "
      "tulis 'JUMLAH' bila ini baris jumlah."]),
    ([["Tipe Anggota", "Jan", "Feb"], ["WBP", 4, 5], ["WBP", 1, 1]],
     ["Sheet 'Statistik', baris 3: sama dengan baris 2 (kelompok); satu kejadian hanya boleh ditulis sekali agar "
      "tidak terhitung dua kali."]),
    ([["Tipe Anggota", "Okt 2026", "Nop 2026", "Des 2026"], ["WBP", 4, 5, 6]],
     ["Sheet 'Statistik', baris 2, kolom 'Des 2026': bulan Desember 2026 belum tiba (hari ini 21 Nov 2026), tetapi "
      "berisi 6. Periksa tahun di judul, atau kosongkan bulan yang belum tiba."]),
    ([["Klasifikasi", "Jan", "Feb"], ["200", 5, 3], ["\u00a0\u00a0200", 2, 1], ["\u00a0\u00a0210", 2, 2]],
     ["Sheet 'Statistik', baris 2, kolom 'Jan': baris ini adalah subjumlah baris 3–4 di bawahnya dan menulis 5, "
      "tetapi baris-baris itu berjumlah 4. Perbaiki salah satunya."]),
    ([["Tipe Anggota", "Jan", None, "Feb", None], [None, "L", "P", "L", "P"], ["WBP", 4, 0, 5, "x"]],
     ["Sheet 'Statistik', baris 3, kolom 'Feb P': 'x' bukan angka. Tulis angka saja, mis. 1234 atau 1.234."]),
    ([["Tipe Anggota", "Jan", None, None, "Feb", None, None], [None, "L", "P", "Jml", "L", "P", "Jml"],
      ["WBP", 4, 1, 6, 2, 2, 4]],
     ["Sheet 'Statistik', baris 3, kolom 'Jan Jml': L (4) + P (1) = 5, tidak sama dengan jumlah 6. Perbaiki salah "
      "satunya."]),
])
def test_matrix_errors(env, opts, rows, expected):
    path = write_xlsx(env / "rutan-rantau_statistik_2025.xlsx", {"Statistik": rows})
    assert messages(read_file(path, opts)) == expected


def test_matrix_errors_in_english(env, opts):
    path = write_xlsx(env / "rutan-rantau_statistik_2025.xlsx", {"Statistik": [
        ["Tipe Anggota", "Jan", "Feb", "Jumlah"], ["WBP", 4, 5, 10], ["Jumlah", 4, 6, 9]]})
    assert [p.text("en") for p in read_file(path, opts).errors] == [
        "Sheet 'Statistik', row 3, column 'Feb': the total row says 6, but the rows above add up to 5. Fix the total "
        "or the data rows.",
        "Sheet 'Statistik', row 2, column 'Jumlah': the total column says 10, but the months of this row add up to 9. "
        "Fix the total or the monthly figures.",
    ]


def test_rows_per_facility_and_the_dataset_they_report(env, opts):
    rows = [["Nama UPT", "Jan", "Feb"], ["Rutan Kelas II-B Rantau", 4, 5], ["Lapas Teluk Dalam", 1, 2]]
    ambiguous = read_file(write_xlsx(env / "rekap_upt_2024.xlsx", {"Rekap": rows}), opts)
    assert messages(ambiguous) == [
        "Sheet 'Rekap' cocok dengan lebih dari satu jenis data (Peminjaman, Kunjungan Perpustakaan). Ganti nama sheet "
        "menjadi salah satunya."]
    result = read_file(write_xlsx(env / "rekap_upt_2024.xlsx", {"Peminjaman": rows}), opts)
    assert messages(result) == []
    assert records(result, "loans") == [
        ("rutan-rantau", D(2024, 1, 1), None, None, "perpustakaan", 4, True, 2),
        ("rutan-rantau", D(2024, 2, 1), None, None, "perpustakaan", 5, True, 2),
        ("lapas-banjarmasin", D(2024, 1, 1), None, None, "perpustakaan", 1, True, 3),
        ("lapas-banjarmasin", D(2024, 2, 1), None, None, "perpustakaan", 2, True, 3),
    ]


def test_a_regular_table_is_never_taken_for_a_matrix(env, opts):
    # loan and due dates on the first of a month look like month headers; the header above wins
    path = write_xlsx(env / "rutan-rantau_pinjam.xlsx", {"Peminjaman": [
        ["Tanggal Pinjam", "Tanggal Kembali", "Kode Eksemplar"],
        [D(2024, 8, 1), D(2024, 9, 1), "B1"],
        [D(2024, 9, 1), D(2024, 10, 1), "B2"],
    ]})
    result = read_file(path, opts)
    assert messages(result) == []
    assert result.records("loans")["is_recap"].tolist() == [False, False]
