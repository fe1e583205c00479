"""Every class of error, with its exact message in Indonesian (and English)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from etl.pipeline import read_file
from tests.files import LOAN_HEADER, write_csv, write_xlsx

D = dt.date
GOOD = ["Lapas Kelas IIA Banjarmasin", D(2024, 8, 6), "B1", "Laskar Pelangi", "813", "7", "Ahmad", "13/08/2024", 1]


def errors(path, opts, lang="id") -> list[str]:
    return [p.text(lang) for p in read_file(path, opts).errors]


def loan_row(**changes) -> list:
    row = list(GOOD)
    row[LOAN_HEADER.index("Kode Eksemplar")] = "B2"  # another copy, so the row is not a repeat of GOOD
    for name, value in changes.items():
        row[LOAN_HEADER.index(name)] = value
    return row


def one_bad_row(env, opts, **changes) -> list[str]:
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LOAN_HEADER, GOOD, loan_row(**changes)]})
    return errors(path, opts)


@pytest.mark.parametrize("changes, message", [
    ({"Tanggal Pinjam": "31/02/2024"},
     "Sheet 'Peminjaman', baris 3, kolom 'Tanggal Pinjam': '31/02/2024' bukan tanggal yang valid. "
     "Tulis tanggal seperti 06/08/2024 atau 6 Agustus 2024."),
    ({"Tanggal Pinjam": "6 Agustos 2024"},
     "Sheet 'Peminjaman', baris 3, kolom 'Tanggal Pinjam': '6 Agustos 2024' bukan tanggal yang valid. "
     "Tulis tanggal seperti 06/08/2024 atau 6 Agustus 2024."),
    ({"Tanggal Pinjam": "06/08/1994"},
     "Sheet 'Peminjaman', baris 3, kolom 'Tanggal Pinjam': '06/08/1994' terlalu lama (sebelum tahun 2000); "
     "periksa tahunnya."),
    ({"Tanggal Pinjam": "01/12/2026", "Tanggal Kembali": "08/12/2026"},
     "Sheet 'Peminjaman', baris 3, kolom 'Tanggal Pinjam': '01/12/2026' ada di masa depan (hari ini 21 Nov 2026); "
     "periksa tanggalnya."),
    ({"Tanggal Kembali": "01/08/2024"},
     "Sheet 'Peminjaman', baris 3, kolom 'Tanggal Kembali': tanggal kembali 1 Agu 2024 lebih awal dari tanggal pinjam "
     "6 Agu 2024; periksa kedua tanggal."),
    # the id itself is never repeated back: a keyed token stands for it (issue 12)
    ({"ID Anggota": "1,97E+17"},
     "Sheet 'Peminjaman', baris 3, kolom 'ID Anggota': ID ini ({token:1,97E+17}) sudah dirusak Excel menjadi angka "
     "bulat/ilmiah sehingga digit aslinya hilang. Format kolom ini sebagai Teks (Format Cells > Text), ketik ulang "
     "ID-nya, lalu unggah lagi."),
    ({"Status Peminjaman": "hilang"},
     "Sheet 'Peminjaman', baris 3, kolom 'Status Peminjaman': 'hilang' bukan status peminjaman yang dikenal. "
     "Tulis 0/Dipinjam atau 1/Dikembalikan."),
    # the class fits Lapas Banjarbaru, the place Lapas Banjarmasin: either could be meant
    ({"Fasilitas": "Lapas Kelas IIB Banjarmasin"},
     "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': 'Lapas Kelas IIB Banjarmasin' bisa berarti lebih dari satu "
     "fasilitas: Lapas Banjarmasin (lapas-banjarmasin), Lapas Banjarbaru (lapas-banjarbaru). Tulis nama lengkapnya."),
    ({"Fasilitas": "Lapas Antah Berantah"},
     "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': tidak ada UPT bernama 'Lapas Antah Berantah'. Yang paling "
     "mirip: Lapas Banjarmasin (lapas-banjarmasin), Lapas Batulicin (lapas-batulicin), "
     "Lapas Narkotika Karang Intan (lapas-narkotika-karang-intan). Tulis nama resmi atau kodenya."),
    ({"Fasilitas": "Lapas Martapura"},
     "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': 'Lapas Martapura' bisa berarti lebih dari satu fasilitas: "
     "Lapas Perempuan Martapura (lapas-perempuan-martapura), LPKA Martapura (lpka-martapura). Tulis nama lengkapnya."),
    ({"Fasilitas": "Rutan Kelas IIB"},
     "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': 'Rutan Kelas IIB' bisa berarti lebih dari satu fasilitas: "
     "Rutan Barabai (rutan-barabai), Rutan Kandangan (rutan-kandangan), Rutan Marabahan (rutan-marabahan), "
     "Rutan Pelaihari (rutan-pelaihari), Rutan Rantau (rutan-rantau), Rutan Tanjung (rutan-tanjung). "
     "Tulis nama lengkapnya."),
    ({"Fasilitas": "Bapas Kelas I Banjarmasin"},
     "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': 'Bapas Kelas I Banjarmasin' (Bapas Banjarmasin) tidak "
     "menampung WBP; data layanan perpustakaan hanya untuk Lapas, Rutan dan LPKA."),
    ({"Tanggal Pinjam": None},
     "Sheet 'Peminjaman', baris 3: baris ini tidak lengkap. Setiap baris butuh 'Tanggal Pinjam' (satu peminjaman) "
     "atau 'Bulan' dan 'Jumlah Peminjaman' (rekap)."),
    ({"Kode Eksemplar": "B1"},
     "Sheet 'Peminjaman', baris 3: sama dengan baris 2 (fasilitas, tanggal pinjam, eksemplar, peminjam); satu "
     "kejadian hanya boleh ditulis sekali agar tidak terhitung dua kali."),
])
def test_loan_row_errors(env, opts, changes, message):
    from etl.validate import id_token

    message = re.sub(r"\{token:([^}]*)\}", lambda m: id_token(opts.key, m[1]), message)
    assert one_bad_row(env, opts, **changes) == [message]


def test_unknown_facility_lists_closest(env, opts):
    msgs = one_bad_row(env, opts, Fasilitas="Kanwil Kalsel")
    assert len(msgs) == 1 and msgs[0].startswith(
        "Sheet 'Peminjaman', baris 3, kolom 'Fasilitas': tidak ada UPT bernama 'Kanwil Kalsel'. "
        "Yang paling mirip: ")
    assert msgs[0].count("(") == 3  # three candidates, each with its code


def test_english_messages(env, opts):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LOAN_HEADER, loan_row(**{"Tanggal Pinjam": "31/02/2024"})]})
    assert errors(path, opts, "en") == [
        "Sheet 'Peminjaman', row 2, column 'Tanggal Pinjam': '31/02/2024' is not a valid date. "
        "Write the date like 06/08/2024 or 6 August 2024."]


def test_english_dates_and_names(env, opts):
    """Dates in messages as people write them, in the reader's language; a name no unit has says so."""
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [
        LOAN_HEADER, loan_row(**{"Tanggal Pinjam": D(2026, 12, 5), "Tanggal Kembali": D(2026, 12, 12)}),
        loan_row(**{"Fasilitas": "Lapas Antah Berantah", "Kode Eksemplar": "B2"})]})
    assert errors(path, opts, "en") == [
        "Sheet 'Peminjaman', row 2, column 'Tanggal Pinjam': '5 Dec 2026' lies in the future (today is 21 Nov 2026); "
        "check the date.",
        "Sheet 'Peminjaman', row 3, column 'Fasilitas': there is no unit named 'Lapas Antah Berantah'. Closest: "
        "Lapas Banjarmasin (lapas-banjarmasin), Lapas Batulicin (lapas-batulicin), "
        "Lapas Narkotika Karang Intan (lapas-narkotika-karang-intan). Write the official name or its code."]
    assert errors(path, opts)[0] == ("Sheet 'Peminjaman', baris 2, kolom 'Tanggal Pinjam': '5 Des 2026' ada di masa "
                                     "depan (hari ini 21 Nov 2026); periksa tanggalnya.")


@pytest.mark.parametrize("value, message", [
    ("-3", "'-3' negatif; jumlah tidak boleh kurang dari 0."),
    ("2,5", "'2,5' bukan bilangan bulat; jumlah orang atau buku harus bulat."),
    ("1,234", "'1,234' bisa dibaca dua cara (koma desimal atau pemisah ribuan). Tulis tanpa pemisah, mis. 1234."),
    ("banyak", "'banyak' bukan angka. Tulis angka saja, mis. 1234 atau 1.234."),
])
def test_count_errors(env, opts, value, message):
    path = write_csv(env / "rekap.csv", [
        ["Fasilitas", "Bulan", "Jumlah Peminjaman"],
        ["Rutan Rantau", "Agustus 2024", value],
    ])
    assert errors(path, opts) == [f"Baris 2, kolom 'Jumlah Peminjaman': {message}"]


def test_training_errors(env, opts):
    path = write_xlsx(env / "p.xlsx", {"Pelatihan": [
        ["Fasilitas", "Judul Kegiatan", "Tanggal Mulai", "Tanggal Selesai", "Peserta L", "Peserta P",
         "Jumlah Peserta", "Sasaran"],
        ["Rutan Rantau", "Hidroponik", D(2024, 8, 6), D(2024, 8, 5), 10, 2, 12, "WBP"],
        ["Rutan Rantau", "Anggrek", D(2024, 8, 7), None, 10, 2, 13, "WBP"],
        ["Rutan Rantau", "Menulis", D(2024, 8, 8), None, None, None, None, "Pengunjung"],
    ]})
    assert errors(path, opts) == [
        "Sheet 'Pelatihan', baris 2, kolom 'Tanggal Selesai': tanggal selesai 5 Agu 2024 lebih awal dari tanggal mulai "
        "6 Agu 2024.",
        "Sheet 'Pelatihan', baris 3, kolom 'Jumlah Peserta': L (10) + P (2) = 12, tidak sama dengan jumlah 13. "
        "Perbaiki salah satunya.",
        "Sheet 'Pelatihan', baris 4, kolom 'Sasaran': 'Pengunjung' bukan sasaran yang dikenal. Tulis 'WBP' atau "
        "'Pengelola Perpustakaan'.",
        "Sheet 'Pelatihan', baris 4, kolom 'Jumlah Peserta': jumlah peserta kosong. Isi 'Jumlah Peserta' atau "
        "'Peserta L' dan 'Peserta P'.",
    ]


def test_visit_gender_error(env, opts):
    path = write_xlsx(env / "v.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "Nama Pengunjung", "Jenis Kelamin"],
        ["Rutan Rantau", D(2024, 8, 6), "Budi", "X"],
    ]})
    assert errors(path, opts) == ["Sheet 'Kunjungan', baris 2, kolom 'Jenis Kelamin': 'X' bukan jenis kelamin yang "
                                  "dikenal. Tulis L atau P."]


def test_sheet_and_file_errors(env, opts):
    no_facility = write_xlsx(env / "laporan_bulanan.xlsx", {"Data": [
        ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
         "Status peminjaman"],
        ["12", "Ahmad", "B1", "Judul", D(2024, 8, 6), D(2024, 8, 13), 1],
    ], "Catatan Rapat": [["Rapat koordinasi"], ["dihadiri 12 orang"]]})
    assert errors(no_facility, opts) == [
        "Sheet 'Data': fasilitas kosong, dan judul atau nama berkas tidak menyebut satu fasilitas. Isi kolom "
        "Fasilitas, atau pilih fasilitasnya saat mengunggah (--facility KODE).",
        "Sheet 'Catatan Rapat' tidak dikenali sebagai data peminjaman, kunjungan, pelatihan, daftar hadir, hunian, "
        "paket buku atau kerja sama, sehingga tidak dibaca. Pastikan baris judul kolom memakai nama seperti di "
        "templat (mis. 'Tanggal Pinjam').",
    ]
    (env / "kosong.xlsx").write_bytes(b"")
    assert errors(env / "kosong.xlsx", opts) == ["Berkas 'kosong.xlsx': berkas kosong."]
    (env / "gambar.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert errors(env / "gambar.xlsx", opts) == [
        "Berkas 'gambar.xlsx': bukan lembar kerja (xlsx, xls, ods, csv). Simpan sebagai .xlsx lalu unggah lagi."]
    (env / "rusak.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert errors(env / "rusak.xlsx", opts) == [
        "Berkas 'rusak.xlsx': berkas rusak (arsip zip tidak utuh). Simpan ulang dari program lembar kerja lalu "
        "unggah lagi."]


def test_total_row_mismatch_names_the_row(env, opts):
    path = write_xlsx(env / "t.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "Jumlah Pengunjung"],
        ["Rutan Rantau", D(2024, 8, 6), 10],
        ["Rutan Rantau", D(2024, 8, 7), 12],
        ["JUMLAH", None, 23],
    ]})
    assert errors(path, opts) == [
        "Sheet 'Kunjungan', baris 4, kolom 'Jumlah Pengunjung': baris jumlah menulis 23, tetapi jumlah baris-baris di "
        "atasnya 22. Perbaiki angka jumlahnya atau baris datanya."]


def test_a_file_with_errors_loads_nothing(env, opts):
    from warehouse.load import load_file
    from warehouse.queries import summary

    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LOAN_HEADER, GOOD,
                                                      loan_row(**{"Tanggal Pinjam": "31/02/2024"})]})
    result = read_file(path, opts)
    with pytest.raises(ValueError):
        load_file(result, loaded_by="sari")
    assert summary() == []


@pytest.mark.parametrize("lang,headers,severities", [
    ("id", ["Berkas", "Sheet", "Baris", "Kolom", "Nilai", "Tingkat", "Pesan"], ["galat", "catatan"]),
    ("en", ["File", "Sheet", "Row", "Column", "Value", "Severity", "Message"], ["error", "note"])])
def test_the_validation_report_is_headed_and_graded_in_the_users_language(lang, headers, severities):
    """The upload page's table and its xlsx download: capitalised headers, and an 'info' called a note as the
    report's summary line counts it ('1 galat, 0 peringatan, 1 catatan')."""
    import io

    import openpyxl

    from etl.load_report import problems_xlsx
    from etl.messages import Problem

    problems = [Problem("error", "bad_date", "r.xlsx", sheet="Peminjaman", row=4, column="Tanggal", value="31/02/2024"),
                Problem("info", "footer_skipped", "r.xlsx", sheet="Peminjaman", row=30)]
    rows = [p.as_row(lang) for p in problems]
    assert [list(r) for r in rows] == [headers, headers]
    assert [r[headers[5]] for r in rows] == severities
    sheet = openpyxl.load_workbook(io.BytesIO(problems_xlsx(problems, lang))).worksheets[0]
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    assert got[0] == headers
    assert [r[:6] for r in got[1:]] == [["r.xlsx", "Peminjaman", 4, "Tanggal", "31/02/2024", severities[0]],
                                        ["r.xlsx", "Peminjaman", 30, None, None, severities[1]]]
