"""Hostile and broken files: every bomb is refused by a cheap check, in about a second and a bounded amount of
memory, with one Indonesian sentence saying what is wrong; text files in UTF-16 load.

The corpus is written by the tests themselves (``hostile_corpus``); each file is read in a child process with
an address-space limit (a regression aborts the child, never the test run), which reports the time, its peak
memory and the messages for every file.
"""

from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, warehouse_env
from tests.files import write_csv, write_xlsx

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def raw_xlsx(path: Path, sheet_xml: bytes, shared: bytes | None = None, sheets: int = 1) -> Path:
    """A minimal xlsx written part by part, so a test can put anything in a sheet's XML."""
    names = "".join(f'<sheet name="Data{k or ""}" sheetId="{k + 1}" r:id="rId{k + 1}"/>' for k in range(sheets))
    rels = "".join(f'<Relationship Id="rId{k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{k + 1}.xml"/>' for k in range(sheets))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships"><sheets>{names}</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships">{rels}</Relationships>')
        for k in range(sheets):
            z.writestr(f"xl/worksheets/sheet{k + 1}.xml", sheet_xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return path


def sheet(rows: str) -> bytes:
    return SHEET_HEAD + b"<sheetData>" + rows.encode() + b"</sheetData></worksheet>"


def ods(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Data")
    for r in range(2):
        row = TableRow()
        for c in range(2):
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=f"v{r}{c}"))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "content.xml":
                data = data.replace(b"<table:table-row>",
                                    b'<table:table-row table:number-rows-repeated="%d">' % rows_repeated, 1)
                data = data.replace(b'<table:table-cell office:value-type="string"',
                                    b'<table:table-cell table:number-columns-repeated="%d" '
                                    b'office:value-type="string"' % columns_repeated, 1)
            out.writestr(info, data)
    return path


def xls_far_cell(path: Path) -> Path:
    """A real BIFF8 workbook (xlwt, in its OLE container) with one text cell moved to row 65536, column 65536."""
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("Data")
    ws.write(0, 0, "Fasilitas")
    ws.write(2, 2, "jauh")
    buf = io.BytesIO()
    book.save(buf)
    data = bytearray(buf.getvalue())
    at = data.find(struct.pack("<HHHH", 0x00FD, 10, 2, 2))  # the LABELSST record of C3
    assert at > 0
    struct.pack_into("<HH", data, at + 4, 65535, 65535)
    path.write_bytes(bytes(data))
    return path


def biff_far_cell(path: Path) -> Path:
    """An older SLiMS' bare BIFF stream with a second cell at row 65536, column 256."""
    def label(r: int, c: int, text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<HHHHHH", 0x0204, 8 + len(raw), r, c, 0, len(raw)) + raw

    path.write_bytes(struct.pack("<HHHH", 0x0809, 4, 0, 0x10) + label(0, 0, "ID Anggota")
                     + label(65535, 255, "jauh") + struct.pack("<HH", 0x000A, 0))
    return path


def zip_bomb(path: Path) -> Path:
    """An xlsx whose sheet unpacks to 520 MB of blanks (2.4 MB on disk)."""
    raw_xlsx(path, sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            z.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as f:
        block = b" " * (16 * 1024 * 1024)
        for _ in range(33):
            f.write(block)
    return path


LIMIT_CELLS = "batasnya 10.000.000 sel. Hapus isi atau format sel yang jauh di luar tabel, simpan, lalu unggah lagi."
REFUSED = {
    "far_cell.xlsx": "berkas terlalu besar atau rusak: sheet 'Data' berisi sel di XFD1048576, sehingga tabelnya "
                     "17.179.869.184 sel; " + LIMIT_CELLS,
    "far_cell_out_of_order.xlsx": "berkas terlalu besar atau rusak: sheet 'Data' berisi sel di C1048576, sehingga "
                                  "tabelnya 3.145.728 sel; batasnya 1.000.000 sel. Hapus isi atau format sel yang "
                                  "jauh di luar tabel, simpan, lalu unggah lagi.",
    "zip_bomb.xlsx": "berkas terlalu besar atau rusak: bagian 'xl/worksheets/sheet2.xml' di dalamnya terbuka menjadi "
                     "528 MB; batasnya 512 MB. Simpan ulang dari program lembar kerja lalu unggah lagi.",
    "entities.xlsx": "berkas rusak atau tidak aman: bagian 'xl/sharedStrings.xml' memakai deklarasi DOCTYPE/ENTITY, "
                     "yang tidak pernah ditulis program lembar kerja. Simpan ulang dari Excel atau LibreOffice lalu "
                     "unggah lagi.",
    "sheets.xlsx": "berkas terlalu besar atau rusak: berisi 300 sheet; batasnya 255 sheet. Bagi sheet-nya ke beberapa "
                   "berkas lalu unggah lagi.",
    "repeated.ods": "berkas terlalu besar atau rusak: sheet 'Data' berisi sel di WQK1000000, sehingga tabelnya "
                    "16.001.000.000 sel; " + LIMIT_CELLS,
    "far_cell.xls": "berkas terlalu besar atau rusak: sheet 'Data' berisi sel di CRXP65536, sehingga tabelnya "
                    "4.294.967.296 sel; " + LIMIT_CELLS,
    "biff_far_cell.xls": "berkas terlalu besar atau rusak: sheet 'biff_far_cell' berisi sel di IV65536, sehingga "
                         "tabelnya 16.777.216 sel; " + LIMIT_CELLS,
    "colspan.xls": "berkas terlalu besar atau rusak: tabel 'colspan', sel B2 menggabungkan 1.000.000 sel (colspan); "
                   "batasnya 1.000. Simpan ulang sebagai .xlsx dari program lembar kerja lalu unggah lagi.",
    "rowspan.html": "berkas terlalu besar atau rusak: tabel 'rowspan', sel A2 menggabungkan 65.534 sel (rowspan); "
                    "batasnya 1.000. Simpan ulang sebagai .xlsx dari program lembar kerja lalu unggah lagi.",
    "long_cell.csv": "berkas terlalu besar atau rusak: baris 3 berisi lebih dari 32.767 karakter dalam satu sel; "
                     "batasnya 32.767 karakter (batas Excel sendiri). Persingkat isinya lalu unggah lagi.",
    "long_cell.xlsx": "berkas terlalu besar atau rusak: sheet 'Data', sel B2 berisi 40.000 karakter dalam satu sel; "
                      "batasnya 32.767 karakter (batas Excel sendiri). Persingkat isinya lalu unggah lagi.",
    "truncated.xlsx": "berkas rusak (arsip zip tidak utuh). Simpan ulang dari program lembar kerja lalu unggah lagi.",
    "random.xlsx": "bukan lembar kerja (xlsx, xls, ods, csv). Simpan sebagai .xlsx lalu unggah lagi.",
    "broken_ole.xls": "berkas rusak atau formatnya tidak dikenali, sehingga tidak bisa dibuka. Simpan ulang sebagai "
                      ".xlsx dari program lembar kerja lalu unggah lagi.",
    "binary.xlsb": "berkas Excel Binary (.xlsb) tidak didukung. Buka di Excel, simpan sebagai Excel Workbook (.xlsx), "
                   "lalu unggah lagi.",
    "garbage_sheet.xlsx": "berkas rusak atau formatnya tidak dikenali, sehingga tidak bisa dibuka. Simpan ulang "
                          "sebagai .xlsx dari program lembar kerja lalu unggah lagi.",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    raw_xlsx(folder / "far_cell.xlsx", sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>'
                                             '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    # the far cell in the middle, rows out of order: the search from the last cell must still find it
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="C{r}"><v>1</v></c></row>' for r in range(1, 2000))
    raw_xlsx(folder / "far_cell_out_of_order.xlsx",
             sheet(rows[: len(rows) // 2] + '<row r="1048576"><c r="B1048576"><v>1</v></c></row>'
                   + rows[len(rows) // 2:]))
    zip_bomb(folder / "zip_bomb.xlsx")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    raw_xlsx(folder / "entities.xlsx", sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared=laughs)
    write_xlsx(folder / "sheets.xlsx", {f"S{k}": [["x"]] for k in range(300)})
    ods(folder / "repeated.ods", 1_000_000, 16_000)
    xls_far_cell(folder / "far_cell.xls")
    biff_far_cell(folder / "biff_far_cell.xls")
    (folder / "colspan.xls").write_text('<html><body><table><tr><td>Fasilitas</td><td>Bulan</td></tr>'
                                        '<tr><td>a</td><td colspan="1000000">b</td></tr></table></body></html>')
    (folder / "rowspan.html").write_text('<table><tr><td>Fasilitas</td><td>Bulan</td></tr>'
                                         '<tr><td rowspan="65534">a</td><td>b</td></tr></table>')
    write_csv(folder / "long_cell.csv", [["Fasilitas", "Bulan", "Judul"], ["Rutan Rantau", "Agustus 2024", "x"],
                                         ["Rutan Rantau", "Agustus 2024", "y" * 30_000_000]])
    raw_xlsx(folder / "long_cell.xlsx", sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>Judul</t></is></c></row>'
                                              '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" '
                                              f't="inlineStr"><is><t>{"z" * 40_000}</t></is></c></row>'))
    good = write_xlsx(folder / "good.tmp", {"Data": [["Fasilitas", "Bulan"], ["Rutan Rantau", "Agustus 2024"]]})
    data = good.read_bytes()
    good.unlink()
    (folder / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "random.xlsx").write_bytes(os.urandom(0) + bytes((k * 7919 + 13) % 256 for k in range(20_000)))
    (folder / "broken_ole.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with zipfile.ZipFile(folder / "binary.xlsb", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    raw_xlsx(folder / "garbage_sheet.xlsx", b"\x00\x01not xml at all<<<<")
    return folder


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from warehouse.ingest import make_options
from etl.pipeline import read_file
opts = make_options()
read_file(Path(sys.argv[2]) / "random.xlsx", opts)   # imports done before the baseline
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {}
for name in sys.argv[3:]:
    t = time.perf_counter()
    result = read_file(Path(sys.argv[2]) / name, opts)
    out[name] = {"seconds": time.perf_counter() - t,
                 "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024,
                 "errors": [p.text() for p in result.errors]}
print(json.dumps(out))
"""


def read_in_child(env: Path, folder: Path, names: list[str], extra: dict | None = None) -> dict:
    def limit():  # 3 GB of address space: a bomb that gets through aborts the child, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

    run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(folder), *names], capture_output=True,
                         text=True, timeout=300, preexec_fn=limit, cwd=ROOT,
                         env={**os.environ, **warehouse_env(env), **(extra or {})})
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.mark.slow  # a fresh child process measures its own time and memory
def test_every_bomb_is_refused_quickly_in_bounded_memory(env, hostile):
    names = sorted(n for n in REFUSED if n != "far_cell_out_of_order.xlsx")
    found = read_in_child(env, hostile, names)
    for name in names:
        assert found[name]["errors"] == [f"Berkas '{name}': {REFUSED[name]}"], name
        assert found[name]["seconds"] < 1.5, (name, found[name])
    # the biggest legitimate allocation here is the 30 MB CSV cell read as text; no bomb is ever materialised
    assert max(f["peak_mb"] for f in found.values()) < 300, found


def test_a_far_cell_among_rows_out_of_order_is_found(opts, hostile):
    """Read as an upload is, in the sandbox's worker (a reader that missed the cell and sized its grid from
    the rows would meet the worker's memory limit there, and this test would see that sentence instead)."""
    import dataclasses

    from etl.sandbox import WorkerLimits, read_isolated

    name = "far_cell_out_of_order.xlsx"
    tight = dataclasses.replace(opts, limits=dataclasses.replace(opts.limits, cells=1_000_000))
    result = read_isolated(hostile / name, tight, limits=WorkerLimits(memory_mb=512, seconds=20))
    assert [p.text() for p in result.errors] == [f"Berkas '{name}': {REFUSED[name]}"]


def test_refusals_in_english(opts, hostile):
    from etl.pipeline import read_file

    opts.lang = "en"
    result = read_file(hostile / "far_cell.xlsx", opts)
    assert [p.text("en") for p in result.errors] == [
        "File 'far_cell.xlsx': the file is too large or damaged: sheet 'Data' holds a cell at XFD1048576, which "
        "makes its table 17,179,869,184 cells; the limit is 10,000,000 cells. Delete the contents or formatting of "
        "cells far outside the table, save, and upload again."]


def test_the_command_line_refuses_every_bomb_and_changes_nothing(env, hostile, tmp_path):
    def etl(*args):  # the command line in this process (tests/conftest.py run_cli); the files are read by the worker
        return run_cli(warehouse_env(env), *args)

    good = write_csv(tmp_path / "rekap_rutan-rantau.csv", [["Fasilitas", "Bulan", "Jumlah Peminjaman"],
                                                           ["Rutan Rantau", "Agustus 2024", "12"]])
    assert etl("load", str(good)).returncode == 0
    before = etl("summary", "--json").stdout
    assert json.loads(before) != []
    run = etl("load", str(hostile))
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    for name, message in REFUSED.items():
        if name.endswith(".xlsb") or name == "far_cell_out_of_order.xlsx":
            continue  # not a loadable extension: the folder scan skips it; within the default limit
        assert f"  Berkas '{name}': {message}" in run.stdout, name
    assert "calamine" not in run.stdout.lower() and "xml error" not in run.stdout.lower()
    assert etl("summary", "--json").stdout == before


UTF16_ROWS = [["Fasilitas", "Bulan", "Jumlah Peminjaman"], ["Rutan Rantau", "Agustus 2024", "12"],
              ["Rutan Rantau", "September 2024", "7"]]


@pytest.mark.parametrize("sep, encoding, bom", [
    ("\t", "utf-16-le", True),    # Excel's "Unicode Text"
    (",", "utf-16-le", True),     # a UTF-16 CSV with commas
    ("\t", "utf-16-be", True),
    ("\t", "utf-16-le", False),   # no byte-order mark: told by the NUL bytes
])
def test_utf16_text_loads(opts, tmp_path, sep, encoding, bom):
    from etl.pipeline import read_file

    text = "\r\n".join(sep.join(row) for row in UTF16_ROWS) + "\r\n"
    raw = text.encode(encoding)
    if bom:
        raw = ("\ufeff".encode(encoding)) + raw
    path = tmp_path / "rekap_unicode.txt"
    path.write_bytes(raw)
    result = read_file(path, opts)
    assert result.errors == []
    assert result.format == ("tsv" if sep == "\t" else "csv")
    records = result.records("loans")
    assert list(records["n_loans"]) == [12, 7]


def test_grid_indices_of_long_numbers_and_formulas_without_values(tmp_path):
    """What the byte scan records for the validation: cells stored as numbers of 16 digits or more, and formulas
    saved without a value, as indices into the grid fastexcel hands over (leading empty columns dropped)."""
    from etl.readers import read_workbook

    path = raw_xlsx(tmp_path / "ids.xlsx", sheet(
        '<row r="2"><c r="B2" t="inlineStr"><is><t>ID Anggota</t></is></c><c r="C2" t="inlineStr"><is><t>Jumlah'
        '</t></is></c></row>'
        '<row r="3"><c r="B3"><v>6371010101900000</v></c><c r="C3"><v>4</v></c></row>'
        '<row r="4"><c r="B4" t="inlineStr"><is><t>6371010101900001</t></is></c><c r="C4"><f>C3*2</f></c></row>'
        '<row r="5"><c r="B5" s="1"><v>1.2345678901234E+17</v></c><c r="C5"><f>C3+1</f><v>5</v></c></row>'))
    [sheet_] = read_workbook(path).sheets
    assert sheet_.number_cells == {(2, 0), (4, 0)}
    assert sheet_.uncomputed == {(3, 1)}
    rows = sheet_.head(10)
    assert rows[2][0] == "6371010101900000" and rows[1] == ["ID Anggota", "Jumlah"]
    assert rows[3][1] is None  # the formula without a value arrives as an empty cell


def test_formatted_cells_far_away_do_not_count(tmp_path):
    """Only cells with a value make the grid: a cell only formatted at XFD1048576 is no bomb (readers skip it)."""
    from etl.readers import read_workbook

    path = raw_xlsx(tmp_path / "styled.xlsx", SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>'
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>2</v></c></row>'
                    b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData></worksheet>')
    [sheet_] = read_workbook(path).sheets
    assert (sheet_.height, sheet_.width) == (1, 2)


def test_sheet_limit_names_the_rows_of_a_long_text_file(tmp_path):
    from etl.limits import Limits
    from etl.readers import UnreadableFile, read_workbook

    path = tmp_path / "panjang.csv"
    path.write_text("a;b\n" + "1;2\n" * 50)
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path, limits=Limits(rows=40))
    assert caught.value.code == "too_many_rows"
    assert caught.value.params["rows_id"] == "51"
