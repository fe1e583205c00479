"""Issue 12, validation and privacy edges: every value out of range is a
message naming its cell (never a database exception), and an id is never
repeated back in clear, whatever its fault."""

from __future__ import annotations

import datetime as dt
import json
import time

import pyarrow as pa
import pytest

from etl import parse, pipeline
from etl.pipeline import read_file
from etl.readers import Sheet, Workbook
from etl.validate import id_token
from tests.conftest import warehouse_env
from tests.files import LOAN_HEADER, write_csv, write_xlsx

D = dt.date
RECAP = ["Fasilitas", "Bulan", "Jumlah Peminjaman"]
LINES = ["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar", "Judul", "ID Anggota"]


def messages(result, severity="error", lang="id") -> list[str]:
    return [p.text(lang) for p in result.problems if p.severity == severity]


def etl(env, *args):
    from tests.test_realworld import etl as run

    return run(env, *args)


# ------------------------------------------------------------------ counts
@pytest.mark.parametrize("value", ["1e12", "1000000000000", "1.000.000.000.000", "1E+400"])
def test_a_count_beyond_the_ceiling_names_its_cell(env, opts, value):
    path = write_csv(env / "rekap.csv", [RECAP, ["Rutan Rantau", "Agustus 2024", value]])
    assert messages(read_file(path, opts)) == [
        f"Baris 2, kolom 'Jumlah Peminjaman': '{value}' terlalu besar untuk satu sel (paling banyak 1.000.000); "
        "periksa angkanya."]
    assert messages(read_file(path, opts), lang="en") == [
        f"Row 2, column 'Jumlah Peminjaman': '{value}' is too large for one cell (at most 1,000,000); check the figure."]


def test_a_count_of_1e12_is_refused_by_the_cli_without_a_traceback(env):
    path = write_csv(env / "rekap.csv", [RECAP, ["Rutan Rantau", "Agustus 2024", "1e12"]])
    run = etl(env, "load", str(path))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "  Baris 2, kolom 'Jumlah Peminjaman': '1e12' terlalu besar untuk satu sel (paling banyak 1.000.000); " \
           "periksa angkanya." in run.stdout.splitlines()


def test_a_value_the_warehouse_cannot_hold_is_one_sentence(env):
    import pandas as pd

    from warehouse.load import LoadRefused, load_records
    from warehouse.queries import summary

    records = pd.DataFrame({"facility_code": ["rutan-rantau"], "month": [D(2024, 8, 1)],
                            "snapshot_date": [D(2024, 8, 31)], "snapshot_key": ["2024-08-31"],
                            "occupants": pd.array([3_000_000_000], dtype="Int64"),
                            "capacity": pd.array([300], dtype="Int64"), "source": ["SDP"]})
    with pytest.raises(LoadRefused) as err:
        load_records("occupancy", records, name="hunian", loaded_by="sari")
    assert err.value.text() == ("Sheet 'aplikasi', baris 1, kolom 'Jumlah Penghuni': nilai '3000000000' tidak muat "
                                "di gudang data (terlalu besar); tidak ada yang dimuat. Periksa angkanya lalu unggah "
                                "lagi.")
    assert summary() == []


def test_a_database_data_error_is_one_sentence(env, opts, monkeypatch):
    """Whatever DuckDB data error still slips through a load rolls it back and is said in one sentence."""
    import duckdb

    from warehouse import load
    from warehouse.queries import summary

    path = write_csv(env / "rekap.csv", [RECAP, ["Rutan Rantau", "Agustus 2024", "12"]])
    result = read_file(path, opts)

    def broken(*args, **kwargs):
        raise duckdb.ConversionException("Conversion Error: Type INT64 with value 1000000000000 can't be cast")

    monkeypatch.setattr(load.marts, "refresh", broken)
    with pytest.raises(load.LoadRefused) as err:
        load.load_file(result, loaded_by="sari")
    assert err.value.text() == (
        "Berkas 'rekap.csv': berkas tidak bisa disimpan ke gudang data: ada nilai yang tidak sesuai dengan kolomnya; "
        "tidak ada yang dimuat. Periksa angka dan tanggalnya lalu unggah lagi, atau hubungi admin.")
    assert summary() == []


# ------------------------------------------------------------------ months
def test_a_recap_for_a_month_still_to_come_is_refused(env, opts):
    path = write_csv(env / "rekap.csv", [RECAP, ["Rutan Rantau", "November 2026", "5"],
                                         ["Rutan Rantau", "Desember 2026", "5"], ["Rutan Rantau", "2027-01", "5"]])
    result = read_file(path, opts)
    assert messages(result) == [
        "Baris 3, kolom 'Bulan': bulan 'Desember 2026' belum tiba (hari ini 21 Nov 2026); periksa bulan dan tahunnya.",
        "Baris 4, kolom 'Bulan': bulan 'Januari 2027' belum tiba (hari ini 21 Nov 2026); periksa bulan dan tahunnya."]
    assert len(result.records("loans")) == 1  # the current month is allowed


def test_a_month_still_to_come_above_the_table_is_refused_once(env, opts):
    path = write_xlsx(env / "rekap.xlsx", {"Rekap": [
        ["REKAP PEMINJAMAN"], ["Bulan", ":", "Desember 2026"], ["UPT", ":", "Rutan Kelas IIB Rantau"],
        ["Kategori", "Jumlah Peminjaman"], ["Fiksi", 4], ["Agama", 3]]})
    result = read_file(path, opts)
    assert messages(result) == [
        "Sheet 'Rekap', baris 2: bulan 'Desember 2026' di atas tabel belum tiba (hari ini 21 Nov 2026); periksa bulan "
        "dan tahunnya. Tidak ada baris sheet ini yang dimuat."]
    assert result.records("loans").empty and len(result.rejected("loans")) == 2


# ------------------------------------------------------------------ headers
def test_the_same_header_twice_is_an_error_naming_both_columns(env, opts):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [
        LOAN_HEADER + ["Tanggal Pinjam"],
        ["Rutan Rantau", D(2024, 8, 6), "B1", "Judul", "813", "7", "Ahmad", D(2024, 8, 13), 1, D(2024, 8, 7)]]})
    result = read_file(path, opts)
    assert messages(result) == [
        "Sheet 'Peminjaman', baris 1: judul kolom 'Tanggal Pinjam' muncul dua kali (kolom ke-2 dan ke-10 dari kiri), "
        "sehingga tidak jelas mana yang dibaca. Hapus atau ganti nama salah satunya."]
    assert messages(result, "info") == []  # no longer an 'unknown column' note
    assert result.records("loans").empty


def test_two_synonyms_of_one_field_say_which_was_read(env, opts):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [
        ["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar", "Tanggal"], ["Rutan Rantau", D(2024, 8, 6), "B1",
                                                                       D(2024, 8, 7)]]})
    result = read_file(path, opts)
    assert messages(result) == []
    assert messages(result, "warning") == [
        "Sheet 'Peminjaman', baris 1: kolom 'Tanggal' (ke-4 dari kiri) dan 'Tanggal Pinjam' (ke-2) sama-sama berarti "
        "'Tanggal Pinjam'; yang dibaca 'Tanggal Pinjam', 'Tanggal' tidak dibaca."]
    assert result.records("loans")["loan_date"].tolist() == [dt.datetime(2024, 8, 6)]


# ------------------------------------------------------------------ counts that disagree
def test_more_borrowers_than_loans_is_refused(env, opts):
    path = write_csv(env / "rekap.csv", [RECAP + ["Peminjam L", "Peminjam P"],
                                         ["Rutan Rantau", "Agustus 2024", "10", "50", "50"],
                                         ["Rutan Rantau", "Juli 2024", "10", "5", "4"]])
    result = read_file(path, opts)
    assert messages(result) == [
        "Baris 2, kolom 'Jumlah Peminjaman': peminjam L (50) + P (50) = 100, lebih banyak dari jumlah peminjaman 10; "
        "satu peminjam meminjam paling sedikit satu buku. Perbaiki salah satunya."]
    assert len(result.records("loans")) == 1


@pytest.mark.parametrize("header, part", [("Peserta L", "L"), ("Peserta P", "P")])
def test_one_of_l_and_p_alone_cannot_exceed_the_total(env, opts, header, part):
    path = write_csv(env / "p.csv", [["Fasilitas", "Judul Kegiatan", "Tanggal Mulai", header, "Jumlah Peserta"],
                                     ["Rutan Rantau", "Menulis", "06/08/2024", "100", "10"],
                                     ["Rutan Rantau", "Anggrek", "07/08/2024", "4", "10"]])
    result = read_file(path, opts)
    assert messages(result) == [
        f"Baris 2, kolom 'Jumlah Peserta': {part} (100) lebih besar dari jumlah 10. Perbaiki salah satunya."]
    assert len(result.records("training")) == 1


def test_visitors_l_alone_beyond_the_total(env, opts):
    path = write_csv(env / "k.csv", [["Fasilitas", "Tanggal Kunjungan", "Jumlah Pengunjung", "Pengunjung L"],
                                     ["Rutan Rantau", "06/08/2024", "10", "50"]])
    assert messages(read_file(path, opts)) == [
        "Baris 2, kolom 'Jumlah Pengunjung': L (50) lebih besar dari jumlah 10. Perbaiki salah satunya."]


# ------------------------------------------------------------------ formulas and Excel errors
def _with(monkeypatch, **attrs):
    """Readers that mark cells the way the hardened readers do (``Sheet.uncomputed``, ``Sheet.number_cells``)."""
    real = pipeline.read_workbook

    def read(*args, **kwargs):
        workbook = real(*args, **kwargs)
        for sheet in workbook.sheets:
            for name, value in attrs.items():
                setattr(sheet, name, value)
        return workbook

    monkeypatch.setattr(pipeline, "read_workbook", read)


def test_a_formula_cell_without_a_value_names_the_cell(env, opts, monkeypatch):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Jumlah Peminjaman"], ["Rutan Rantau", "Agustus 2024", None],
        ["Rutan Rantau", "Juli 2024", 4]]})
    _with(monkeypatch, uncomputed={(1, 2)})
    result = read_file(path, opts)
    assert messages(result) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Jumlah Peminjaman': sel ini berisi rumus tanpa nilai tersimpan; buka "
        "berkas di Excel/LibreOffice, simpan ulang, lalu unggah lagi."]
    assert len(result.records("loans")) == 1


def test_a_formula_cell_without_a_value_in_a_month_table(env, opts, monkeypatch):
    path = write_xlsx(env / "rekap_2024.xlsx", {"Rekap 2024": [
        ["REKAP PEMINJAMAN RUTAN KELAS IIB RANTAU TAHUN 2024"],
        ["Kategori", "Jan", "Feb", "Mar"], ["Fiksi", 3, None, 2], ["Agama", 1, 2, 3]]})
    _with(monkeypatch, uncomputed={(2, 2)})
    assert messages(read_file(path, opts)) == [
        "Sheet 'Rekap 2024', baris 3, kolom 'Feb': sel ini berisi rumus tanpa nilai tersimpan; buka berkas di "
        "Excel/LibreOffice, simpan ulang, lalu unggah lagi."]


def test_a_formula_without_cached_value_written_by_a_script(env, opts):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Peminjaman"
    sheet.append(["Fasilitas", "Bulan", "Jumlah Peminjaman"])
    sheet.append(["Rutan Rantau", "Agustus 2024", "=2+2"])  # openpyxl stores no cached value
    book.save(env / "rumus.xlsx")
    assert messages(read_file(env / "rumus.xlsx", opts)) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Jumlah Peminjaman': sel ini berisi rumus tanpa nilai tersimpan; buka "
        "berkas di Excel/LibreOffice, simpan ulang, lalu unggah lagi."]


@pytest.mark.parametrize("value", ["#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"])
def test_an_excel_error_value_is_named_not_an_incomplete_row(env, opts, value):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES, ["Rutan Rantau", value, "B1", "Judul", "7"],
                                                      ["Rutan Rantau", D(2024, 8, 6), "B2", value, "8"]]})
    assert messages(read_file(path, opts)) == [
        f"Sheet 'Peminjaman', baris 2, kolom 'Tanggal Pinjam': sel berisi galat Excel '{value}' (rumus yang gagal), "
        "bukan data. Perbaiki rumusnya atau ketik nilainya, lalu unggah lagi.",
        f"Sheet 'Peminjaman', baris 3, kolom 'Judul': sel berisi galat Excel '{value}' (rumus yang gagal), bukan data. "
        "Perbaiki rumusnya atau ketik nilainya, lalu unggah lagi."]


def test_a_real_error_cell_of_an_xlsx_is_named(env, opts):
    """Excel stores an error as a cell of type 'e' (readers hand it over empty): the byte scan puts it back."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(env / "ref.xlsx"))
    sheet = book.add_worksheet("Peminjaman")
    sheet.write_row(0, 0, ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"])
    sheet.write_row(1, 0, ["Rutan Rantau", "Agustus 2024", "Agama"])
    sheet.write_formula(1, 3, "=#REF!*2", None, "#REF!")
    sheet.write_row(2, 0, ["Rutan Rantau", "September 2024", "Agama", 5])
    book.close()
    assert messages(read_file(env / "ref.xlsx", opts)) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Jumlah Peminjaman': sel berisi galat Excel '#REF!' (rumus yang gagal), "
        "bukan data. Perbaiki rumusnya atau ketik nilainya, lalu unggah lagi."]


def test_excel_errors_in_a_big_column_of_item_codes(env, opts):
    """The fast path for columns of all-distinct codes still sees an Excel error."""
    rows = [["Rutan Rantau", D(2024, 8, 6), f"B{i}", "Judul", "7"] for i in range(6000)]
    rows[4000][2] = "#REF!"
    result = read_file(write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES, *rows]}), opts)
    assert messages(result) == [
        "Sheet 'Peminjaman', baris 4002, kolom 'Kode Eksemplar': sel berisi galat Excel '#REF!' (rumus yang gagal), "
        "bukan data. Perbaiki rumusnya atau ketik nilainya, lalu unggah lagi."]


# ------------------------------------------------------------------ text
def test_control_characters_are_stripped(env, opts):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES, ["Rutan Rantau", D(2024, 8, 6), "B\x001",
                                                              "Laskar\x00 Pelangi\u202e\x07\x85", "7"]]})
    result = read_file(path, opts)
    assert messages(result) == []
    records = result.records("loans")
    assert records["title"].tolist() == ["Laskar Pelangi"]
    assert records["item_code"].tolist() == ["B1"]
    assert parse.clean_text("a\u200bb\ufeff\x1b[31mc") == "ab[31mc"


def test_a_text_cell_longer_than_the_limit_is_refused(env, opts):
    title = "Laskar Pelangi " * 70  # 1,050 characters
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES, ["Rutan Rantau", D(2024, 8, 6), "B1", title, "7"],
                                                      ["Rutan Rantau", D(2024, 8, 6), "B2", "x" * 1000, "7"]]})
    result = read_file(path, opts)
    assert messages(result) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Judul': isi sel terlalu panjang (lebih dari 1.000 karakter): 'Laskar "
        "Pelangi Laskar Pelangi Laskar Pelangi Laskar Pelangi…'. Persingkat isinya."]
    assert len(result.records("loans")) == 1
    assert len(json.dumps(result.rejected("loans")[0]["values"])) < 400  # the rejected row keeps a short excerpt


def test_a_50_mb_title_is_refused_cheaply(env, opts, monkeypatch):
    huge = "Laskar Pelangi " * (50 * 1024 * 1024 // 15)
    cells = pa.table({"c0": ["Fasilitas", "Rutan Rantau"], "c1": ["Tanggal Pinjam", "06/08/2024"],
                      "c2": ["Kode Eksemplar", "B1"], "c3": ["Judul", huge]})
    monkeypatch.setattr(pipeline, "read_workbook", lambda *a, **k: Workbook(
        "besar.xlsx", "xlsx", "0" * 64, len(huge), [Sheet("Peminjaman", cells)]))
    start = time.process_time()  # the work this process does (every thread), not a busy machine's wall clock
    result = read_file(env / "besar.xlsx", opts, data=b"x")
    took = time.process_time() - start
    assert messages(result) == [
        "Sheet 'Peminjaman', baris 2, kolom 'Judul': isi sel terlalu panjang (lebih dari 1.000 karakter): 'Laskar "
        "Pelangi Laskar Pelangi Laskar Pelangi Laskar Pelangi…'. Persingkat isinya."]
    assert took < 2.0, took


# ------------------------------------------------------------------ header-only files
def test_a_file_with_only_a_header_is_an_error(env, opts):
    path = write_csv(env / "kosong.csv", [RECAP])
    result = read_file(path, opts)
    assert messages(result) == [
        "Berkas 'kosong.csv': berisi judul kolom tetapi tidak ada satu pun baris data; tidak ada yang dimuat. Isi "
        "datanya di bawah judul kolom lalu unggah lagi."]
    run = etl(env, "load", str(path))
    assert run.returncode == 1, run.stdout


def test_a_header_only_sheet_beside_a_sheet_with_data_is_a_warning(env, opts):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES, ["Rutan Rantau", D(2024, 8, 6), "B1", "Judul", "7"]],
                                       "Kunjungan": [["Fasilitas", "Tanggal Kunjungan", "Jumlah Pengunjung"]]})
    result = read_file(path, opts)
    assert messages(result) == []
    assert messages(result, "warning") == ["Sheet 'Kunjungan' punya judul kolom tetapi tidak ada baris data."]


# ------------------------------------------------------------------ ids
LONG_IDS = ["6371010101900010", "6371010101900021", "6371010101900033", "6371010101900045"]


def test_a_text_id_ending_in_zero_is_a_real_id(env, opts):
    path = write_csv(env / "p.csv", [LINES] + [["Rutan Rantau", "06/08/2024", f"B{i}", "Judul", v]
                                               for i, v in enumerate(LONG_IDS)])
    result = read_file(path, opts)
    assert messages(result) == []
    assert result.records("loans")["borrower_key"].nunique() == 4


def test_a_column_of_ids_that_excel_rounded_is_refused_without_the_digits(env, opts):
    ids = ["6371010101900000", "6371010101800000", "6371010101700000", "6371010101900021"]
    path = write_csv(env / "p.csv", [LINES] + [["Rutan Rantau", "06/08/2024", f"B{i}", "Judul", v]
                                               for i, v in enumerate(ids)])
    result = read_file(path, opts)
    assert messages(result) == [
        f"Baris {r}, kolom 'ID Anggota': ID ini ({id_token(opts.key, v)}) sudah dirusak Excel menjadi angka "
        "bulat/ilmiah sehingga digit aslinya hilang. Format kolom ini sebagai Teks (Format Cells > Text), ketik "
        "ulang ID-nya, lalu unggah lagi." for r, v in zip((2, 3, 4), ids)]
    assert len(result.records("loans")) == 1


def test_only_cells_stored_as_numbers_are_taken_for_rounded(env, opts, monkeypatch):
    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [LINES] + [
        ["Rutan Rantau", D(2024, 8, 6), f"B{i}", "Judul", v]
        for i, v in enumerate(["6371010101900000", "6371010101800000", "6371010101700000"])]})
    _with(monkeypatch, number_cells={(2, 4)})  # only row 3 was a number cell; the others were typed as text
    result = read_file(path, opts)
    assert [p.row for p in result.errors] == [3]
    assert len(result.records("loans")) == 2


def test_refused_ids_never_reach_messages_rejected_rows_or_the_cli(env, opts):
    from etl.load_report import problems_xlsx
    from etl.templates import rejected_xlsx
    from warehouse.db import connect
    from warehouse.queries import rejected_rows

    ids = ["6371010101900000", "6371010101800000", "6371010101700000", "1,97E+17"]
    path = write_csv(env / "p.csv", [LINES] + [["Rutan Rantau", "06/08/2024", f"B{i}", "Judul", v]
                                               for i, v in enumerate(ids)] +
                     [["Rutan Rantau", "06/08/2024", "B9", "Judul", "REG-4471-2024"]])
    digits = [v.replace(",", "") for v in ids] + ["197E+17", "REG-4471-2024", "4471"]

    run = etl(env, "load", "--accept-valid", str(path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ID samaran" in run.stdout
    result = read_file(path, opts)
    texts = [run.stdout, run.stderr] + [p.text(lang) for p in result.problems for lang in ("id", "en")]
    texts += [str(p.value) for p in result.problems] + [json.dumps(r, default=str) for r in result.rejected("loans")]
    with connect() as con:
        texts += [json.dumps(row, default=str) for row in con.execute("SELECT * FROM rejected_row").fetchall()]
        batch = con.execute("SELECT max(batch_id) FROM batch").fetchone()[0]
    assert len(result.rejected("loans")) == 4
    for text in texts:
        for needle in digits:
            assert needle not in text, (needle, text)
    import io
    import zipfile

    for book in (problems_xlsx(result.problems), rejected_xlsx(rejected_rows(batch))):
        with zipfile.ZipFile(io.BytesIO(book)) as z:
            xml = b"".join(z.read(n) for n in z.namelist())
        for needle in digits:
            assert needle.encode() not in xml


@pytest.mark.slow  # a whole demo written and loaded
def test_the_demo_still_loads_with_nothing_refused(demo_dir):
    from warehouse.db import connect, using

    # the session's demo warehouse, loaded by load_demo as a first start loads it (conftest.demo_dir)
    with using(warehouse_env(demo_dir)):
        with connect() as con:
            assert con.execute("SELECT coalesce(sum(rows_rejected), 0) FROM batch").fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM batch").fetchone()[0] > 0
