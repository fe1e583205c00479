"""Real-world spreadsheets load as they come, through ``python -m etl load``,
or are refused with messages that say exactly what to fix.

The corpus (``tests/corpus.py``) is written with the producers' own quirks;
each file states the facility-month totals it must produce, checked through
``python -m etl summary --json``. Where LibreOffice is installed, some files
are also re-saved by it, and must load to the same totals.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli, warehouse_env
from tests.corpus import Case, expected_totals, write_corpus

D = dt.date


def etl(env: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m etl *args`` in this process (tests/conftest.py run_cli); the files are still read by
    the sandboxed worker, as the command line reads them."""
    return run_cli(warehouse_env(env), *args)


def reports(stdout: str) -> dict[str, list[str]]:
    """The load report split per file: '== name (format)' -> the lines under it."""
    out: dict[str, list[str]] = {}
    current = None
    for line in stdout.splitlines():
        if line.startswith("== "):
            current = line
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


SECTIONS = re.compile(r"^(Galat|Peringatan|Catatan|Errors|Warnings|Notes) \(")


def dataset_lines(lines: list[str]) -> list[str]:
    """What was recognised and loaded, without the batch numbers."""
    return [re.sub(r" \(batch #\d+\)", "", line) for line in lines
            if not line.startswith("  ") and not SECTIONS.match(line) and not line.startswith(("Berkas ditolak",
                                                                                                 "File refused"))]


def section(lines: list[str], title: str) -> list[str]:
    out, inside = [], False
    for line in lines:
        if SECTIONS.match(line):
            inside = line.startswith(title)
        elif inside and line.startswith("  "):
            out.append(line[2:])
        else:
            inside = False
    return out


def summary(env: Path) -> list[dict]:
    run = etl(env, "summary", "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, list[Case]]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def loaded(env, corpus, request) -> str:
    """The test's warehouse with the good corpus loaded by the command line, as one folder load; returns the
    load's report (stdout). Loaded once per run and copied for each test that asks (conftest.built_once)."""
    from tests.conftest import built_once

    def build():
        run = etl(env, "load", str(corpus["good"][0].path.parent))
        assert run.returncode == 0, run.stdout + run.stderr
        (env / "load-report.txt").write_text(run.stdout, encoding="utf-8")

    built_once(request, "realworld-good-corpus", build)
    return (env / "load-report.txt").read_text(encoding="utf-8")


def test_every_shape_loads_as_it_comes(env, corpus, loaded):
    good = corpus["good"]
    found = reports(loaded)
    assert sorted(found) == sorted(f"== {c.path.name} ({c.format})" for c in good)
    for case in good:
        lines = found[f"== {case.path.name} ({case.format})"]
        assert dataset_lines(lines) == case.report, case.path.name
        assert section(lines, "Galat") == [] and section(lines, "Peringatan") == [], case.path.name
    assert summary(env) == expected_totals(good)


def test_totals_and_subtotals_are_checked_never_counted(env, corpus):
    by_name = {c.path.name: c for c in corpus["good"]}
    run = etl(env, "load", str(by_name["rekap_peminjaman_2024.xlsx"].path),
              str(by_name["lapas-kotabaru_loan_by_class_list_2025.xls"].path))
    assert run.returncode == 0, run.stdout
    found = reports(run.stdout)
    assert section(found["== rekap_peminjaman_2024.xlsx (xlsx)"], "Catatan") == [
        "Sheet 'Rekap 2024', baris 16–24: catatan/tanda tangan di bawah tabel tidak dibaca.",
        "Sheet 'Rekap 2024', baris 14: baris jumlah diperiksa dan cocok; tidak dihitung sebagai data.",
        "Sheet 'Rekap 2024': tabel bulanan dibaca: 4 baris × 12 bulan (Jan 2024–Des 2024) menjadi 48 angka rekap; "
        "kolom dan baris jumlah diperiksa dan tidak dihitung sebagai data.",
    ]
    name = "lapas-kotabaru_loan_by_class_list_2025.xls"
    assert section(found[f"== {name} (tsv)"], "Catatan") == [
        f"Berkas '{name}': kolom Nov, Dec kosong atau 0 semua di awal/akhir tahun, sehingga bulan itu dianggap belum "
        "dilaporkan dan tidak dimuat.",
        f"Berkas '{name}': tabel bulanan dibaca: 10 baris × 10 bulan (Jan 2025–Okt 2025) menjadi 10 angka rekap; "
        "kolom dan baris jumlah diperiksa dan tidak dihitung sebagai data.",
        "Baris 2: baris kelas utama (subjumlah baris-baris sub-kelas di bawahnya) diperiksa dan tidak dihitung "
        "sebagai data.",
    ]
    from warehouse.db import connect

    with connect() as con:
        stored = con.execute("""SELECT facility_code, month, loan_date, category, service, n_loans, is_recap,
                                       source_sheet, source_row
                                FROM stg_loan WHERE facility_code = 'lapas-kotabaru' ORDER BY month""").fetchall()
    # the sub-classes of one main class are one DDC class: added up per month, the main class row not counted
    assert stored == [
        ("lapas-kotabaru", D(2025, m, 1), None, "200 Agama", "perpustakaan", n, True,
         "lapas-kotabaru_loan_by_class_list_2025", 3)
        for m, n in zip(range(1, 11), (6, 3, 5, 4, 2, 3, 4, 3, 3, 5))
    ]


def test_what_is_stored_from_each_producer(env, loaded):
    from etl.privacy import load_or_create_key, pseudonymise
    from warehouse import settings
    from warehouse.db import connect

    key = load_or_create_key(settings.get("PANTAU_SECRET_FILE"))
    with connect() as con:
        def rows(sql):
            return con.execute(sql).fetchall()

        # SLiMS: 'Tanggal Kembali' is the due date, status 0/1; ids 12 (a number) and '0012' are one member
        assert rows("""SELECT loan_date, item_code, borrower_key, due_date, return_date, returned, source_row
                       FROM stg_loan WHERE facility_code = 'lapas-banjarmasin' AND month = DATE '2024-09-01'
                       ORDER BY source_row""") == [
            (D(2024, 9, 2), "B00108", pseudonymise(key, "lapas-banjarmasin", "12"), D(2024, 9, 9), None, True, 9),
            (D(2024, 9, 3), "B00109", pseudonymise(key, "lapas-banjarmasin", "A-3"), D(2024, 9, 10), None, False, 10),
            (D(2024, 9, 10), "B00110", pseudonymise(key, "lapas-banjarmasin", "1045"), D(2024, 9, 17), None, True, 11),
            (D(2024, 9, 16), "B00111", pseudonymise(key, "lapas-banjarmasin", "31"), D(2024, 9, 23), None, False, 12),
            (D(2024, 9, 27), "B00112", pseudonymise(key, "lapas-banjarmasin", "88"), D(2024, 10, 4), None, False, 13),
        ]
        assert rows("""SELECT facility_code, month, borrowers FROM mart_activity_month
                       WHERE facility_code = 'lapas-banjarmasin' AND month BETWEEN DATE '2024-08-01' AND DATE '2024-09-01'
                       ORDER BY month""") == [
            ("lapas-banjarmasin", D(2024, 8, 1), 5), ("lapas-banjarmasin", D(2024, 9, 1), 5)]
        # INLISLite: a group row is its head count; members and non-members are one person each
        assert rows("""SELECT visit_date, is_group, n_visitors, visitors_l, visitors_p, gender, room, source_row
                       FROM stg_visit WHERE facility_code = 'lpka-martapura' ORDER BY source_row""") == [
            (D(2024, 9, 2), False, 1, 1, 0, "L", "Ruang Baca", 5),
            (D(2024, 9, 2), False, 1, 1, 0, "L", "Ruang Baca", 6),
            (D(2024, 9, 3), False, 1, 0, 1, "P", "Ruang Baca", 7),
            (D(2024, 9, 10), True, 20, 12, 8, None, "Aula", 8),
            (D(2024, 9, 17), False, 1, 1, 0, "L", "Ruang Baca", 9),
            (D(2024, 9, 20), True, 5, 0, 5, None, "Aula", 10),
            (D(2024, 9, 23), False, 1, 1, 0, "L", "Ruang Baca", 11),
            (D(2024, 9, 30), False, 1, 1, 0, "L", "Ruang Baca", 12),
        ]
        # a SLiMS statistic screen: one recap figure per member type and month
        assert rows("""SELECT month, visitor_group, n_visitors, is_total, service, source_row FROM stg_visit
                       WHERE facility_code = 'lapas-kotabaru' AND month = DATE '2025-03-01'
                       ORDER BY source_row""") == [
            (D(2025, 3, 1), "wbp", 35, True, "perpustakaan", 4),
            (D(2025, 3, 1), "petugas", 5, True, "perpustakaan", 5),
            (D(2025, 3, 1), "umum", 2, True, "perpustakaan", 6),
        ]
        # a recap split by gender under each month keeps the split
        assert rows("""SELECT month, visitor_group, n_visitors, visitors_l, visitors_p, source_row FROM stg_visit
                       WHERE facility_code = 'rutan-marabahan' AND month = DATE '2025-02-01'
                       ORDER BY source_row""") == [
            (D(2025, 2, 1), "wbp", 13, 12, 1, 6), (D(2025, 2, 1), "petugas", 2, 1, 1, 7),
            (D(2025, 2, 1), "umum", 1, 1, 0, 8)]
        # CSV: double-encoded text repaired, call numbers with a decimal comma read as DDC classes
        assert rows("""SELECT title, category FROM stg_loan WHERE facility_code = 'lapas-tanjung'
                       ORDER BY source_row""") == [
            ("The Developer’s Guide", "000 Karya Umum"), ("Fiqih Sehari-hari", "200 Agama"),
            ("Ronggeng Dukuh Paruk", "800 Kesusastraan"), ("Beternak Lele", "600 Ilmu Terapan"),
            ("Sejarah Kalimantan Selatan", "900 Sejarah & Geografi")]
        # cp1252 CSV with dot thousands; the mobile library reports apart from the unit's own library
        assert rows("""SELECT month, service, n_visitors, service_days FROM stg_visit
                       WHERE facility_code = 'rutan-tanjung' ORDER BY source_row""") == [
            (D(2024, 8, 1), "perpustakaan", 1234, 21), (D(2024, 8, 1), "pusling", 40, 1),
            (D(2024, 9, 1), "perpustakaan", 987, 20)]


def test_the_facility_can_come_from_the_upload_choice(env, corpus):
    [case] = corpus["option"]
    run = etl(env, "load", str(case.path), "--facility", case.facility)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = reports(run.stdout)[f"== {case.path.name} ({case.format})"]
    assert dataset_lines(lines) == case.report
    assert summary(env) == expected_totals([case])
    from warehouse.db import connect

    with connect() as con:  # a title starting with an unbalanced quote swallows no other line
        assert con.execute("SELECT title FROM stg_loan ORDER BY source_row").fetchall() == [
            ('"Aku" dan Puisi Lainnya',), ("Kerajaan Banjar",), ('"Catatan Seorang Pembaca',), ("Bertanam Cabai",)]


def test_refused_files_say_exactly_what_to_fix(env, corpus):
    refused = corpus["refused"]
    run = etl(env, "load", str(refused[0].path.parent))
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    found = reports(run.stdout)
    for case in refused:
        lines = found[f"== {case.path.name} ({case.format})"]
        # an id is never repeated back: a keyed token (its key is this warehouse's) stands for it
        shown = [re.sub(r"ID samaran [0-9a-f]{8}", "ID samaran *", line) for line in section(lines, "Galat")]
        assert shown == case.errors, case.path.name
        assert lines[-1] == (f"Berkas ditolak: {len(case.errors)} galat, tidak ada yang dimuat. Perbaiki lalu muat lagi, "
                             "atau pakai --accept-valid untuk memuat baris yang valid saja.")
    assert summary(env) == []  # bad input never loads half


def test_refusals_in_english(env, corpus):
    by_name = {c.path.name: c for c in corpus["refused"]}
    run = etl(env, "--lang", "en", "load", str(by_name["peminjaman_februari.xlsx"].path),
              str(by_name["statistik_peminjaman.xlsx"].path), str(by_name["statistik_kunjungan_salah.xlsx"].path))
    assert run.returncode == 1
    found = reports(run.stdout)
    assert section(found["== peminjaman_februari.xlsx (xlsx)"], "Errors") == [
        "Sheet 'Peminjaman', row 14, column 'Tanggal Pinjam': '31/02/2024' is not a valid date. Write the date like "
        "06/08/2024 or 6 August 2024."]
    assert section(found["== statistik_peminjaman.xlsx (xlsx)"], "Errors") == [
        "Sheet 'Statistik', row 4: the month headers ('Jan') name no year, and neither do the title above the table, "
        "the sheet name or the file name. Write the year in the title, e.g. 'TAHUN 2024', or in the headers, e.g. "
        "'Jan 2024'."]
    assert section(found["== statistik_kunjungan_salah.xlsx (xlsx)"], "Errors")[-1] == (
        "Sheet 'Statistik', row 4, column 'Jumlah': the total column says 128, but the months of this row add up to "
        "127. Fix the total or the monthly figures.")


def test_accept_valid_loads_the_rows_of_a_matrix_that_add_up(env, corpus):
    [case] = [c for c in corpus["refused"] if c.path.name == "statistik_kunjungan_salah.xlsx"]
    run = etl(env, "load", str(case.path), "--accept-valid")
    assert run.returncode == 0, run.stdout
    assert dataset_lines(reports(run.stdout)["== statistik_kunjungan_salah.xlsx (xlsx)"]) == [
        "Kunjungan Perpustakaan: Rutan Rantau Jan 2024–Mar 2024 (3 bulan); 3 baris dimuat, 1 ditolak."]
    assert summary(env) == [{"dataset": "visits", "facility": "rutan-rantau", "month": f"2024-0{m}", "value": v}
                            for m, v in ((1, 3), (2, 2), (3, 4))]


LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# file -> (format to save as, the LibreOffice import filter when its content is not what the extension says)
RESAVED = {"rekap_peminjaman_2024.xlsx": ("xls", None),
           "lpka-martapura_buku_tamu_september_2024.xlsx": ("xls", None),
           "laporan_perpustakaan_rutan_pelaihari_jan-feb_2025.xlsx": ("ods", None),
           "rekap_kunjungan_upt_semester1.xlsx": ("ods", None),
           "kunjungan_triwulan_1_marabahan.xlsx": ("ods", None),
           "kunjungan_rutan_kandangan_oktober_2024.ods": ("xlsx", None),
           "LaporanPeminjaman.xls": ("xlsx", "HTML (StarCalc)"),
           "rutan-barabai_visitor_list.xls": ("xlsx", "CSV:9,34,76,1"),
           "lapas-kotabaru_loan_by_class_list_2025.xls": ("xlsx", "CSV:9,34,76,1"),
           "rekap_kunjungan_rutan_tanjung.csv": ("xlsx", "CSV:59,34,ANSI,1")}


@pytest.mark.slow  # LibreOffice starts once per file
@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                "apt-get install -y libreoffice-calc-nogui")
def test_files_resaved_by_libreoffice_load_the_same(env, corpus, tmp_path):
    by_name = {c.path.name: c for c in corpus["good"]}
    out = tmp_path / "libreoffice"
    for name, (fmt, infilter) in RESAVED.items():
        command = [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
        if infilter:
            command.append(f"--infilter={infilter}")
        done = subprocess.run([*command, "--convert-to", fmt, "--outdir", str(out), str(by_name[name].path)],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
    resaved = sorted(out.iterdir())
    assert len(resaved) == len(RESAVED)
    run = etl(env, "load", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    found = reports(run.stdout)
    for path in resaved:
        [original] = [by_name[n] for n in RESAVED if Path(n).stem == path.stem]
        lines = found[f"== {path.name} ({path.suffix.lstrip('.')})"]
        assert dataset_lines(lines) == original.report, path.name
    assert summary(env) == expected_totals([by_name[n] for n in RESAVED])
