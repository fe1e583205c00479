"""Each dataset's happy path: whole normalised rows in the warehouse, and the
summary contract computed from them."""

from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.ingest import make_options
from etl.pipeline import read_file
from etl.privacy import pseudonymise
from tests.files import LOAN_HEADER, write_xlsx
from warehouse import settings
from warehouse.db import connect
from warehouse.load import load_file
from warehouse.queries import summary

D = dt.date


def rows(sql: str, params=None) -> list[tuple]:
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def load(path, opts, **kw):
    result = read_file(path, opts)
    assert [p.text() for p in result.errors] == []
    return result, load_file(result, loaded_by="sari", **kw)


def key_of(opts, facility: str, member: str) -> str:
    return pseudonymise(opts.key, facility, member)


def test_loans_one_row_per_loan(env, opts):
    path = write_xlsx(env / "pinjam.xlsx", {"Peminjaman": [
        LOAN_HEADER,
        ["Lapas Kelas IIA Banjarmasin", D(2024, 8, 6), "B00012", "Laskar Pelangi", "813", "0012", "Ahmad Hidayat",
         "13/08/2024", 1],
        ["LP Kelas 2A Banjarmasin", "6 Agustus 2024", "B00013", "Tafsir Al-Misbah", "297.4 ABD t", "12",
         "Ahmad Hidayat", "2024-08-13", 0],
        ["Rutan Kelas II-B Rantau", "45537", "R-7", "Budidaya Anggrek", "Pertanian", "A-3", "Siti Nur", None, None],
    ]})
    _, outcome = load(path, opts)
    [batch] = outcome.batches
    assert (batch.dataset, batch.rows_read, batch.rows_loaded, batch.rows_rejected) == ("loans", 3, 3, 0)
    assert rows("SELECT * EXCLUDE (batch_id) FROM stg_loan ORDER BY source_row") == [
        ("lapas-banjarmasin", D(2024, 8, 1), D(2024, 8, 6), "B00012", "Laskar Pelangi", "800 Kesusastraan",
         key_of(opts, "lapas-banjarmasin", "12"), None, None, D(2024, 8, 13), None, True, "perpustakaan", 1, None, None,
         False, "Peminjaman", 2),
        ("lapas-banjarmasin", D(2024, 8, 1), D(2024, 8, 6), "B00013", "Tafsir Al-Misbah", "200 Agama",
         key_of(opts, "lapas-banjarmasin", "12"), None, None, D(2024, 8, 13), None, False, "perpustakaan", 1, None,
         None, False, "Peminjaman", 3),
        ("rutan-rantau", D(2024, 9, 1), D(2024, 9, 2), "R-7", "Budidaya Anggrek", "Pertanian",
         key_of(opts, "rutan-rantau", "A-3"), None, None, None, None, None, "perpustakaan", 1, None, None, False,
         "Peminjaman", 4),
    ]
    # '0012' and '12' are one member: one active borrower in August at Banjarmasin
    assert rows("SELECT facility_code, month, loans, loan_lines, borrowers, loans_returned, loans_open "
                "FROM mart_activity_month ORDER BY 1, 2") == [
        ("lapas-banjarmasin", D(2024, 8, 1), 2, 2, 1, 1, 1),
        ("rutan-rantau", D(2024, 9, 1), 1, 1, 1, None, None),
    ]
    assert summary() == [
        {"dataset": "loans", "facility": "lapas-banjarmasin", "month": "2024-08", "value": 2},
        {"dataset": "loans", "facility": "rutan-rantau", "month": "2024-09", "value": 1},
    ]


def test_loans_monthly_recap(env, opts):
    path = write_xlsx(env / "rekap.xlsx", {"Rekap Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman", "Peminjam L", "Peminjam P", "Layanan"],
        ["Lapas Perempuan Kelas IIA Martapura", "Agustus 2024", "Fiksi", "1.234", 0, 310, None],
        ["Lapas Perempuan Kelas IIA Martapura", "Agu 2024", "297", 40, 0, 25, "Pusling"],
        ["lpka-martapura", "2024-09", "Agama", 15, 9, 0, "Perpustakaan"],
    ]})
    load(path, opts)
    assert rows("SELECT facility_code, month, loan_date, category, service, n_loans, borrowers_l, borrowers_p, "
                "is_recap FROM stg_loan ORDER BY source_row") == [
        ("lapas-perempuan-martapura", D(2024, 8, 1), None, "Fiksi", "perpustakaan", 1234, 0, 310, True),
        ("lapas-perempuan-martapura", D(2024, 8, 1), None, "200 Agama", "pusling", 40, 0, 25, True),
        ("lpka-martapura", D(2024, 9, 1), None, "Agama", "perpustakaan", 15, 9, 0, True),
    ]
    # the own library and the mobile library are separate reports of the same facility-month
    assert rows("SELECT dataset, facility_code, month, part FROM current_cell ORDER BY 2, 3, 4") == [
        ("loans", "lapas-perempuan-martapura", D(2024, 8, 1), "perpustakaan"),
        ("loans", "lapas-perempuan-martapura", D(2024, 8, 1), "pusling"),
        ("loans", "lpka-martapura", D(2024, 9, 1), "perpustakaan"),
    ]
    assert [r["value"] for r in summary()] == [1274, 15]


def test_visits_people_groups_and_totals(env, opts):
    path = write_xlsx(env / "kunjungan.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "Layanan", "Jenis Kunjungan", "Jumlah Pengunjung", "Pengunjung L",
         "Pengunjung P", "Kelompok Pengunjung", "Hari Layanan"],
        ["Rutan Kelas IIB Barabai", D(2024, 8, 6), None, "Perorangan", None, None, None, "WBP", None],
        ["Rutan Kelas IIB Barabai", D(2024, 8, 6), "Perpustakaan Keliling", "Rombongan", 20, 12, 8, "WBP", None],
        ["Rutan Kelas IIB Barabai", D(2024, 8, 7), "Perpustakaan", None, 31, 30, 1, None, None],
        ["Rutan Kelas IIB Barabai", None, "Perpustakaan", None, None, None, None, None, None],
    ], "Rekap Bulanan": [
        ["Fasilitas", "Bulan", "Layanan", "Jumlah Pengunjung", "Hari Layanan"],
        ["Rutan Kelas IIB Kandangan", "September 2024", "Perpustakaan", 410, 20],
    ]})
    result = read_file(path, opts)
    assert [p.text() for p in result.errors] == [
        "Sheet 'Kunjungan', baris 5: baris ini tidak lengkap. Setiap baris butuh 'Tanggal Kunjungan', atau 'Bulan' "
        "dan 'Jumlah Pengunjung' (rekap bulanan)."]
    load_file(result, loaded_by="sari", accept_valid=True)
    assert rows("SELECT facility_code, month, visit_date, service, visitor_group, is_group, n_visitors, visitors_l, "
                "visitors_p, service_days, is_total FROM stg_visit ORDER BY source_sheet, source_row") == [
        ("rutan-barabai", D(2024, 8, 1), D(2024, 8, 6), "perpustakaan", "wbp", False, 1, None, None, None, False),
        ("rutan-barabai", D(2024, 8, 1), D(2024, 8, 6), "pusling", "wbp", True, 20, 12, 8, None, False),
        ("rutan-barabai", D(2024, 8, 1), D(2024, 8, 7), "perpustakaan", None, False, 31, 30, 1, None, True),
        ("rutan-kandangan", D(2024, 9, 1), None, "perpustakaan", None, False, 410, None, None, 20, True),
    ]
    assert rows("SELECT facility_code, visitors, visitors_library, visitors_pusling, days_library, days_pusling "
                "FROM mart_activity_month ORDER BY 1") == [
        ("rutan-barabai", 52, 32, 20, 2, 1),
        ("rutan-kandangan", 410, 410, None, 20, None),
    ]
    assert rows("SELECT sheet, row_number, messages_id FROM rejected_row") == [
        ("Kunjungan", 5, "Sheet 'Kunjungan', baris 5: baris ini tidak lengkap. Setiap baris butuh 'Tanggal "
                         "Kunjungan', atau 'Bulan' dan 'Jumlah Pengunjung' (rekap bulanan).")]


def test_training_sessions_and_attendance_list(env, opts):
    sessions = write_xlsx(env / "pelatihan.xlsx", {"Pelatihan": [
        ["Fasilitas", "Judul Kegiatan", "Topik", "Sasaran", "Penyelenggara", "Mitra", "Tanggal Mulai",
         "Tanggal Selesai", "Peserta L", "Peserta P", "Jumlah Peserta"],
        ["Lapas Narkotika Kelas IIA Karang Intan", "Pelatihan Menulis Cerpen", "Menulis", "WBP", "Dispersip Kalsel",
         None, D(2024, 11, 12), D(2024, 11, 14), 34, 0, 34],
        ["Lapas Narkotika Kelas IIA Karang Intan", "Pelatihan Budidaya Anggrek", "Anggrek", "Warga Binaan",
         "Dispersip Kalsel", "Perhimpunan Anggrek Indonesia", "20/11/2024", None, 18, None, None],
    ]})
    load(sessions, opts)
    attendance = write_xlsx(env / "hadir.xlsx", {"Daftar Hadir": [
        ["PEMERINTAH PROVINSI KALIMANTAN SELATAN"],
        ["DINAS PERPUSTAKAAN DAN KEARSIPAN"],
        [],
        ["DAFTAR HADIR PELATIHAN MENULIS CERPEN"],
        [],
        ["Hari / Tanggal", ":", "Selasa, 12 November 2024"],
        ["Tempat", ":", "Aula Lapas Narkotika Karang Intan"],
        ["Kegiatan / Pelatihan", ":", "Pelatihan Menulis Cerpen"],
        ["Penyelenggara", ":", "Dispersip Kalsel"],
        [],
        ["NO", "NAMA", "NIP / NO. REGISTRASI", "JENIS KELAMIN", "JABATAN / INSTANSI / BLOK", "TANDA TANGAN"],
        [1, "Rahmat Saputra", "B.I-123/2024", "L", "Lapas Narkotika Kelas IIA Karang Intan, Blok A", None],
        [2, "Dedi Kurniawan", "B.I-124/2024", "L", "Lapas Narkotika Kelas IIA Karang Intan, Blok B", None],
        [3, "Agus Santoso", "B.I-125/2024", "L", "Lapas Narkotika Kelas IIA Karang Intan, Blok B", None],
    ]})
    load(attendance, opts)
    assert rows("SELECT facility_code, month, session_key, title, organiser, place, participant_key IS NOT NULL, "
                "gender, source_row FROM stg_training_participant ORDER BY source_row") == [
        ("lapas-narkotika-karang-intan", D(2024, 11, 1), "2024-11-12|pelatihan menulis cerpen",
         "Pelatihan Menulis Cerpen", "Dispersip Kalsel", "Aula Lapas Narkotika Karang Intan", True, "L", row)
        for row in (12, 13, 14)
    ]
    # the list is the same session as the recap's first row: its head count (3) replaces the recap's 34
    assert rows("SELECT title, participants, participants_l, participants_p, from_attendance "
                "FROM mart_training_session ORDER BY start_date") == [
        ("Pelatihan Menulis Cerpen", 3, 3, 0, True),
        ("Pelatihan Budidaya Anggrek", 18, 18, None, False),
    ]
    assert summary() == [{"dataset": "training", "facility": "lapas-narkotika-karang-intan", "month": "2024-11",
                          "value": 21}]


def test_options_come_from_settings(env, monkeypatch):
    monkeypatch.setenv("PANTAU_LANG", "en")
    assert make_options().lang == "en"
    assert settings.get("PANTAU_DB") == env / "pantau.duckdb"
    assert duckdb.__version__ == "1.5.5"
