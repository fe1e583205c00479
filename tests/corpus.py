"""A corpus of real-world spreadsheets, written the way their producers write
them, each with the facility-month totals it must produce (or the exact
messages it must be refused with).

Producers and their quirks:

* SLiMS: loan-history and visitor-list exports as xlsx (PhpSpreadsheet-like:
  MySQL dates as text, member ids as numbers or text), and as the ``.xls``
  its ``xlsoutput.php`` really sends: tab-separated text, a trailing tab on the
  header, ``NULL`` for missing values, each line trimmed; statistic screens
  (visitors by member type, loans by classification) as month matrices, the
  loans-by-class export with its indented sub-class rows.
* INLISLite: the guest book as xlsx (title, "Tanggal Export", header on row 4,
  Excel date serials, group rows reading ``12 Laki-laki<br>8 Perempuan``) and
  v3 reports as HTML tables saved as ``.xls``.
* Hand-made sheets (xlsxwriter, openpyxl and an ODS writer): letterhead,
  title, label rows, a No column, two-row and merged headers, JUMLAH rows,
  spacer rows, notes and signatures, several datasets per workbook.
* Indonesian-locale Excel CSV: ``sep=;``, UTF-8 with BOM or cp1252, dot
  thousands, decimal commas, ids already destroyed into ``1,97E+17``, and
  double-encoded text.

``write_corpus(folder)`` writes ``good/`` (every file loads), ``option/`` (loads
with ``--facility``) and ``refused/`` (every file is refused) and returns the
cases.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment, Font

from tests.files import write_csv, write_xlsx

D = dt.date
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]


@dataclass
class Case:
    path: Path
    # summary rows it must produce: {(dataset, facility, 'YYYY-MM'): value}
    totals: dict[tuple[str, str, str], int] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)    # the dataset lines of its load report
    errors: list[str] = field(default_factory=list)    # refused: the exact error lines
    facility: str | None = None                         # loaded with --facility
    fmt: str = ""                                       # the format sniffed, when the extension says otherwise

    @property
    def format(self) -> str:
        return self.fmt or self.path.suffix.lstrip(".").lower()


# ----------------------------------------------------------------- writers
def write_openpyxl(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
                   formats: dict[str, dict[str, str]] | None = None) -> Path:
    """openpyxl, as PhpSpreadsheet-based exports and many scripts write:
    dates become real date cells only when given as dates."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "dd-mm-yyyy"
        for ref in (merges or {}).get(name, ()):
            sheet.merge_cells(ref)
            first = sheet[ref.split(":")[0]]
            first.alignment = Alignment(horizontal="center")
            first.font = Font(bold=True)
        for ref, fmt in (formats or {}).get(name, {}).items():
            sheet[ref].number_format = fmt
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[list]], spans: dict[str, list[tuple[int, int, int]]] | None = None
              ) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc saves one: date cells
    carry ``office:date-value``, merged cells ``number-columns-spanned``
    followed by covered cells. ``spans``: sheet -> (row, col, columns)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        spanned = {(r, c): n for r, c, n in (spans or {}).get(name, ())}
        for r, row in enumerate(rows):
            tr = TableRow()
            c = 0
            while c < len(row):
                value = row[c]
                n = spanned.get((r, c), 1)
                attrs = {"numbercolumnsspanned": n} if n > 1 else {}
                if value is None:
                    cell = TableCell(**attrs)
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
                    cell.addElement(P(text=value.strftime("%d/%m/%Y")))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value, **attrs)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string", **attrs)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
                for _ in range(n - 1):
                    tr.addElement(CoveredTableCell())
                c += n
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_slims_tsv(path: Path, header: list[str], rows: list[list]) -> Path:
    """What SLiMS' ``xlsoutput.php`` sends as ``.xls``: each header name
    followed by a tab, then one line per row, NULL for a missing value, a
    trailing tab, the whole line trimmed, newlines inside values flattened."""
    lines = ["".join(f"{h}\t" for h in header)]
    for row in rows:
        line = "".join(("NULL" if v is None else str(v)) + "\t" for v in row)
        lines.append(line.replace("\r\n", " ").replace("\n", " ").strip(" \t\n\r\0\x0b"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_slims_biff(path: Path, header: list[str], rows: list[list]) -> Path:
    """What older SLiMS versions' ``xlsoutput.php`` sends as ``.xls``: a bare
    BIFF record stream (a BOF record, a LABEL record per cell, an EOF record)
    without the OLE container, headers upper-cased."""
    import struct

    def label(r: int, c: int, value: str) -> bytes:
        raw = value.encode("utf-8")
        return struct.pack("<HHHHHH", 0x0204, 8 + len(raw), r, c, 0, len(raw)) + raw

    data = struct.pack("<HHHHHH", 0x0809, 8, 0, 0x10, 0, 0)
    for c, h in enumerate(header):
        data += label(0, c, h.upper().replace("_", " "))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            data += label(r, c, "" if value is None else str(value))
    path.write_bytes(data + struct.pack("<HH", 0x000A, 0))
    return path


def write_html_xls(path: Path, title: list[str], header: list[str], rows: list[list]) -> Path:
    """An INLISLite v3 report saved as ``.xls``: an HTML page whose table
    starts with title rows spanning every column."""
    width = len(header)
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
           '<style>td { mso-number-format:"\\@"; }</style></head><body>', '<table border="1">']
    for line in title:
        out.append(f'<tr><td colspan="{width}" align="center"><b>{html.escape(line)}</b></td></tr>')
    out.append(f'<tr><td colspan="{width}">&nbsp;</td></tr>')
    out.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{'' if v is None else html.escape(str(v))}</td>" for v in row) + "</tr>")
    out.append("</table></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# ------------------------------------------------------------- good files
def slims_loans_xlsx(folder: Path) -> Case:
    """SLiMS loan history (Indonesian headers), facility from the file name.
    Member ids mix numbers and text; dates mix MySQL text and date cells;
    'Tanggal Kembali' is the due date; status 0 = on loan, 1 = returned."""
    header = ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
              "Status peminjaman"]
    rows = [
        [12, "Ahmad Hidayat", "B00101", "Laskar Pelangi", "2024-08-01", "2024-08-08", 1],
        ["0012", "Ahmad Hidayat", "B00102", "Tafsir Al-Misbah Jilid 1", D(2024, 8, 5), D(2024, 8, 12), 1],
        ["A-3", "Rizky Saputra", "B00103", "Budidaya Anggrek untuk Pemula", "2024-08-06", "2024-08-13", 1],
        [1045, "Dedi Rahman", "B00104", "Bumi Manusia", D(2024, 8, 12), D(2024, 8, 19), 1],
        [1045, "Dedi Rahman", "B00105", "Negeri 5 Menara", "2024-08-20", "2024-08-27", 1],
        ["0031", "Hendra Pratama", "B00106", "Kisah 25 Nabi dan Rasul", "2024-08-21", "2024-08-28", 1],
        [77, "Fajar Maulana", "B00107", "Filosofi Teras", "2024-08-30", "2024-09-06", 1],
        [12, "Ahmad Hidayat", "B00108", "Pulang", "2024-09-02", "2024-09-09", 1],
        ["A-3", "Rizky Saputra", "B00109", "Hidroponik Sederhana di Rumah", D(2024, 9, 3), D(2024, 9, 10), 0],
        [1045, "Dedi Rahman", "B00110", "Laut Bercerita", "2024-09-10", "2024-09-17", 1],
        ["0031", "Hendra Pratama", "B00111", "Sirah Nabawiyah", "2024-09-16", "2024-09-23", 0],
        [88, "Ilham Hakim", "B00112", "Kamus Inggris-Indonesia", "2024-09-27", "2024-10-04", 0],
    ]
    path = write_openpyxl(folder / "lapas-banjarmasin_riwayat_peminjaman_slims.xlsx", {"Worksheet": [header, *rows]})
    return Case(path, {("loans", "lapas-banjarmasin", "2024-08"): 7, ("loans", "lapas-banjarmasin", "2024-09"): 5},
                ["Peminjaman: Lapas Banjarmasin Agu 2024–Sep 2024 (2 bulan); 12 baris dimuat, 0 ditolak."])


def slims_loans_english(folder: Path) -> Case:
    """The same export from an English-language SLiMS (its column aliases:
    Member ID, Member Name, Item Code, Title, Loan Date, Due Date, Loan Status),
    a title row naming the unit typed above it by staff."""
    rows = [["Loan History - Perpustakaan Lapas Kelas IIB Banjarbaru"], [],
            ["Member ID", "Member Name", "Item Code", "Title", "Loan Date", "Due Date", "Loan Status"]]
    for k in range(6):
        rows.append([str(2001 + k), f"Member {k}", f"BJB{k:04d}", f"Title {k}", f"2024-10-{k + 1:02d}",
                     f"2024-10-{k + 8:02d}", k % 2])
    path = write_xlsx(folder / "loan_history_october.xlsx", {"Sheet1": rows})
    return Case(path, {("loans", "lapas-banjarbaru", "2024-10"): 6},
                ["Peminjaman: Lapas Banjarbaru Okt 2024 (1 bulan); 6 baris dimuat, 0 ditolak."])


def slims_loans_biff(folder: Path) -> Case:
    """The loan history from an older SLiMS: a bare BIFF stream named .xls,
    the English column aliases upper-cased, every value a text label."""
    header = ["Member ID", "Member Name", "Item Code", "Title", "Loan Date", "Due Date", "Loan Status"]
    rows = [["0012", "Akhmad Noor", "BTL-001", "Juz Amma dan Terjemahannya", "2024-12-02", "2024-12-09", "1"],
            ["12", "Akhmad Noor", "BTL-002", "Tuntunan Shalat Lengkap", "2024-12-09", "2024-12-16", "1"],
            ["BTL-7", "Rusdi Saleh", "BTL-003", "Bertanam Cabai", "2024-12-16", None, "0"]]
    path = write_slims_biff(folder / "lapas-batulicin_export_loan_history.xls", header, rows)
    return Case(path, {("loans", "lapas-batulicin", "2024-12"): 3},
                ["Peminjaman: Lapas Batulicin Des 2024 (1 bulan); 3 baris dimuat, 0 ditolak."])


def slims_visitors_xlsx(folder: Path) -> Case:
    """SLiMS visitor list in export column order, with the room column;
    NON-MEMBER visitors have no id."""
    header = ["ID Anggota", "Nama Pengunjung", "Tipe Keanggotaan", "Institusi", "Nama Ruangan", "Tanggal Kunjungan"]
    rows = []
    people = [("1001", "Rahmat", "Warga Binaan"), ("1002", "Agus", "Warga Binaan"), ("NON-MEMBER", "Bu Sari", "NON-MEMBER"),
              ("1003", "Dedi", "Warga Binaan"), ("1001", "Rahmat", "Warga Binaan")]
    for k in range(9):
        member, name, kind = people[k % len(people)]
        rows.append([member, name, kind, "Lapas Narkotika Karang Intan", "Ruang Baca",
                     f"2024-08-{k + 5:02d} {9 + k % 5:02d}:{10 + k:02d}:00"])
    path = write_xlsx(folder / "lapas-narkotika-karang-intan_daftar_pengunjung_slims.xlsx", {"Sheet1": [header, *rows]})
    return Case(path, {("visits", "lapas-narkotika-karang-intan", "2024-08"): 9},
                ["Kunjungan Perpustakaan: Lapas Narkotika Karang Intan Agu 2024 (1 bulan); 9 baris dimuat, 0 ditolak."])


def slims8_visitors_tsv(folder: Path) -> Case:
    """SLiMS 8: no room column, columns in the on-screen order, served as
    tab-separated text named .xls, NULL where the institution is unknown."""
    header = ["Tanggal Kunjungan", "ID Anggota", "Nama Pengunjung", "Tipe Keanggotaan", "Institusi"]
    rows = [["2024-09-02 08:15:00", "B-01", "Yusuf", "Tahanan", "Rutan Barabai"],
            ["2024-09-02 09:40:00", "B-02", "Irwan", "Tahanan", None],
            ["2024-09-03 10:05:00", "NON-MEMBER", "Pak Taufik", "NON-MEMBER", None],
            ["2024-09-04 08:30:00", "B-01", "Yusuf", "Tahanan", "Rutan Barabai"],
            ["2024-09-11 13:00:00", "B-07", "Zainal", "Tahanan", None],
            ["2024-09-20 14:20:00", "P-01", "Bayu", "Pegawai", None]]
    path = write_slims_tsv(folder / "rutan-barabai_visitor_list.xls", header, rows)
    return Case(path, {("visits", "rutan-barabai", "2024-09"): 6},
                ["Kunjungan Perpustakaan: Rutan Barabai Sep 2024 (1 bulan); 6 baris dimuat, 0 ditolak."], fmt="tsv")


def slims_visitor_statistic(folder: Path) -> Case:
    """SLiMS' visitor statistic screen copied into Excel: member types by
    month, English month names, a total row, no total column, the months
    still to come at 0."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    data = {"Warga Binaan": [30, 28, 35, 31, 40, 38, 36, 42, 39, 41, 0, 0],
            "Pegawai": [4, 3, 5, 2, 6, 4, 3, 5, 4, 6, 0, 0],
            "NON-Member Visitor": [1, 0, 2, 0, 1, 1, 0, 3, 1, 2, 0, 0]}
    rows = [["Visitor Count Report for year 2025"], [], ["Member Type", *months]]
    rows += [[k, *v] for k, v in data.items()]
    rows.append(["Total visit/month", *[sum(v[i] for v in data.values()) for i in range(12)]])
    path = write_xlsx(folder / "lapas-kotabaru_statistik_pengunjung.xlsx", {"Sheet1": rows})
    totals = {("visits", "lapas-kotabaru", f"2025-{m + 1:02d}"): sum(v[m] for v in data.values()) for m in range(10)}
    return Case(path, totals,
                ["Kunjungan Perpustakaan: Lapas Kotabaru Jan 2025–Okt 2025 (10 bulan); 30 baris dimuat, 0 ditolak."])


def slims_loans_by_class_tsv(folder: Path) -> Case:
    """SLiMS' loans-by-classification export (tab-separated .xls): the main
    class row, then its ten sub-classes indented (SLiMS writes them all as
    '   2'), a year only in the file name."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    subs = [[3, 2, 4, 1, 0, 2, 3, 1, 2, 4, 0, 0], [1, 1, 0, 2, 1, 0, 1, 2, 0, 1, 0, 0]] + [[0] * 12] * 6 + \
        [[2, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0], [0] * 12]
    main = [sum(s[i] for s in subs) for i in range(12)]
    rows = [["2", *main]] + [["   2", *s] for s in subs]
    path = write_slims_tsv(folder / "lapas-kotabaru_loan_by_class_list_2025.xls", ["Classification", *months], rows)
    totals = {("loans", "lapas-kotabaru", f"2025-{m + 1:02d}"): main[m] for m in range(10)}
    return Case(path, totals, ["Peminjaman: Lapas Kotabaru Jan 2025–Okt 2025 (10 bulan); 10 baris dimuat, 0 ditolak."],
                fmt="tsv")


def handmade_loan_matrix(folder: Path) -> Case:
    """A hand-made recap: letterhead, title with the year, a No column, a
    two-row header ('Klasifikasi' and 'Jumlah' merged down, 'Bulan' merged over
    the months, Indonesian abbreviations Peb/Agt/Nop), a total column, a
    JUMLAH row, notes and a signature."""
    months = ["Jan", "Peb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des"]
    data = {"000 Karya Umum": [2, 1, 3, 0, 1, 2, 1, 0, 2, 1, 1, 0],
            "200 Agama": [14, 12, 18, 9, 15, 16, 13, 17, 14, 15, 12, 10],
            "600 Ilmu Terapan": [5, 4, 6, 3, 5, 4, 6, 5, 4, 5, 3, 2],
            "800 Kesusastraan": [11, 9, 12, 8, 10, 11, 12, 13, 10, 11, 9, 7]}
    path = folder / "rekap_peminjaman_2024.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Rekap 2024")
    center = book.add_format({"bold": True, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
    cell = book.add_format({"border": 1})
    for r, line in enumerate(["KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN RI", "KANTOR WILAYAH KALIMANTAN SELATAN",
                              "RUMAH TAHANAN NEGARA KELAS IIB RANTAU"]):
        sheet.merge_range(r, 0, r, 14, line, center)
    sheet.merge_range(4, 0, 4, 14, "REKAPITULASI PEMINJAMAN BUKU MENURUT KLASIFIKASI", center)
    sheet.merge_range(5, 0, 5, 14, "TAHUN 2024", center)
    sheet.merge_range(7, 0, 8, 0, "No", head)
    sheet.merge_range(7, 1, 8, 1, "Klasifikasi", head)
    sheet.merge_range(7, 2, 7, 13, "Bulan", head)
    sheet.merge_range(7, 14, 8, 14, "Jumlah", head)
    for c, m in enumerate(months, start=2):
        sheet.write(8, c, m, head)
    r = 9
    for k, (label, values) in enumerate(data.items(), start=1):
        sheet.write(r, 0, k, cell)
        sheet.write(r, 1, label, cell)
        for c, v in enumerate(values, start=2):
            sheet.write(r, c, v, cell)
        sheet.write(r, 14, sum(values), cell)
        r += 1
    monthly = [sum(v[i] for v in data.values()) for i in range(12)]
    sheet.merge_range(r, 0, r, 1, "JUMLAH", head)
    for c, v in enumerate(monthly, start=2):
        sheet.write(r, c, v, head)
    sheet.write(r, 14, sum(monthly), head)
    sheet.write(r + 2, 0, "Keterangan: data dari buku peminjaman perpustakaan.")
    sheet.write(r + 4, 12, "Rantau, 6 Januari 2025")
    sheet.write(r + 5, 12, "Petugas Perpustakaan,")
    sheet.write(r + 9, 12, "Rusdi Noor")
    sheet.write(r + 10, 12, "NIP. 198501012010121001")
    book.close()
    totals = {("loans", "rutan-rantau", f"2024-{m + 1:02d}"): monthly[m] for m in range(12)}
    return Case(path, totals, ["Peminjaman: Rutan Rantau Jan 2024–Des 2024 (12 bulan); 48 baris dimuat, 0 ditolak."])


def handmade_facility_recap(folder: Path) -> Case:
    """A recap with one row per unit (names spelled as staff spell them),
    full month names, a total column and row, the year in the sheet name."""
    months = MONTHS_ID[:6]
    data = {"LP Kelas 2A Banjarmasin": ("lapas-banjarmasin", [310, 295, 330, 280, 342, 301]),
            "Lapas Kls. IIB Amuntai": ("lapas-amuntai", [120, 115, 131, 98, 125, 119]),
            "Lapas Kelas III Batulicin": ("lapas-batulicin", [64, 70, 58, 61, 66, 72]),
            "Lembaga Pemasyarakatan Kelas IIB Tanjung": ("lapas-tanjung", [88, 91, 79, 85, 90, 86])}
    rows = [["REKAPITULASI KUNJUNGAN PERPUSTAKAAN LAPAS/RUTAN/LPKA SE-KALIMANTAN SELATAN"], ["SEMESTER I"], [],
            ["No", "Nama UPT", *months, "Jumlah"]]
    for k, (name, (_, values)) in enumerate(data.items(), start=1):
        rows.append([k, name, *values, sum(values)])
    monthly = [sum(v[i] for _, v in data.values()) for i in range(6)]
    rows.append([None, "JUMLAH", *monthly, sum(monthly)])
    rows += [[], ["Sumber: laporan bulanan UPT."]]
    path = write_xlsx(folder / "rekap_kunjungan_upt_semester1.xlsx", {"Kunjungan 2025": rows})
    totals = {("visits", code, f"2025-{m + 1:02d}"): values[m] for code, values in data.values() for m in range(6)}
    return Case(path, totals, ["Kunjungan Perpustakaan: 4 fasilitas Jan 2025–Jun 2025 (6 bulan); 24 baris dimuat, "
                               "0 ditolak."])


def handmade_matrix_by_gender(folder: Path) -> Case:
    """A quarterly recap with 'L | P | Jml' under every month and under the
    total, the months merged over their three columns, the group column
    without a known header name ('Jenis Pengunjung' is one)."""
    months = ["Januari", "Februari", "Maret"]
    data = {"WBP": [(10, 0), (12, 1), (9, 0)], "Petugas": [(2, 1), (1, 1), (3, 0)], "Tamu": [(0, 2), (1, 0), (0, 0)]}
    top, sub = ["No", "Jenis Pengunjung"], [None, None]
    for m in months:
        top += [m, None, None]
        sub += ["L", "P", "Jml"]
    top += ["Jumlah", None, None]
    sub += ["L", "P", "Jml"]
    rows = [["LAPORAN KUNJUNGAN PERPUSTAKAAN RUTAN KELAS IIB MARABAHAN"], ["TRIWULAN I TAHUN 2025"], [], top, sub]
    for k, (label, values) in enumerate(data.items(), start=1):
        row = [k, label]
        for men, women in values:
            row += [men, women, men + women]
        row += [sum(m for m, _ in values), sum(w for _, w in values), sum(m + w for m, w in values)]
        rows.append(row)
    total = [None, "JUMLAH"]
    for i in range(3):
        men, women = sum(v[i][0] for v in data.values()), sum(v[i][1] for v in data.values())
        total += [men, women, men + women]
    total += [sum(total[2::3]), sum(total[3::3]), sum(total[4::3])]
    rows.append(total)
    merges = [(3, 0, 4, 0, "No"), (3, 1, 4, 1, "Jenis Pengunjung"), (3, 11, 3, 13, "Jumlah")] + \
        [(3, 2 + 3 * i, 3, 4 + 3 * i, m) for i, m in enumerate(months)]
    path = write_xlsx(folder / "kunjungan_triwulan_1_marabahan.xlsx", {"Kunjungan": rows}, merges={"Kunjungan": merges})
    totals = {("visits", "rutan-marabahan", f"2025-0{i + 1}"): sum(m + w for m, w in (v[i] for v in data.values()))
              for i in range(3)}
    return Case(path, totals, ["Kunjungan Perpustakaan: Rutan Marabahan Jan 2025–Mar 2025 (3 bulan); 9 baris dimuat, "
                               "0 ditolak."])


def inlislite_guestbook(folder: Path) -> Case:
    """INLISLite's guest book export (PhpSpreadsheet): 'LAPORAN BUKU TAMU',
    'Tanggal Export', the header on row 4, visit dates as Excel serials with a
    dd-mm-yyyy format (one typed over as a bare serial), members, non-members
    and group rows whose gender cell counts the group."""
    header = ["Nomor Kunjungan", "Lokasi Perpustakaan", "Lokasi Ruang", "Tanggal Kunjungan", "Kriteria Pengunjung",
              "Nama", "Jenis Kelamin", "Pekerjaan", "Pendidikan", "Tujuan Kunjungan", "Informasi Dicari"]
    lib = "Perpustakaan LPKA Martapura"
    rows = [["LAPORAN BUKU TAMU"], ["Tanggal Export: 02-10-2024 10:15"], [], header,
            ["AN-0012", lib, "Ruang Baca", D(2024, 9, 2), "Anggota", "Andi", "Laki-laki", "Pelajar", "SMP",
             "Membaca", None],
            ["AN-0013", lib, "Ruang Baca", D(2024, 9, 2), "Anggota", "Budi", "Laki-laki", "Pelajar", "SD", "Membaca",
             None],
            ["NP-240903-1", lib, "Ruang Baca", D(2024, 9, 3), "Non Anggota", "Ibu Rina", "Perempuan", "PNS", "S1",
             "Kunjungan", None],
            ["RB-240910-1", lib, "Aula", D(2024, 9, 10), "Rombongan", "Ketua: Pak Hasan", "12 Laki-laki<br>8 Perempuan",
             "12 Pelajar<br>8 Mahasiswa<br>", "20 SMA<br>", "Kunjungan Literasi", None],
            ["AN-0012", lib, "Ruang Baca", 45552, "Anggota", "Andi", "Laki-laki", "Pelajar", "SMP", "Membaca", None],
            ["RB-240920-1", lib, "Aula", D(2024, 9, 20), "Rombongan", "Ketua: Bu Dewi", "<br>5 Perempuan",
             "5 Guru<br>", "5 S1<br>", "Bedah Buku", None],
            ["AN-0014", lib, "Ruang Baca", D(2024, 9, 23), "Anggota", "Cahya", "Laki-laki", "Pelajar", "SMP", "Membaca",
             None],
            ["AN-0015", lib, "Ruang Baca", D(2024, 9, 30), "Anggota", "Dimas", "Laki-laki", "Pelajar", "SMP",
             "Membaca", None]]
    path = write_openpyxl(folder / "lpka-martapura_buku_tamu_september_2024.xlsx", {"Worksheet": rows},
                          merges={"Worksheet": ["A1:K1", "A2:K2"]})
    return Case(path, {("visits", "lpka-martapura", "2024-09"): 6 + 20 + 5},
                ["Kunjungan Perpustakaan: LPKA Martapura Sep 2024 (1 bulan); 8 baris dimuat, 0 ditolak."])


def inlislite_html_loans(folder: Path) -> Case:
    """An INLISLite v3 loan report: an HTML table named .xls, title rows
    naming the unit and the period, dd-mm-yyyy dates as text."""
    header = ["No", "Tanggal Pinjam", "Nomor Anggota", "Nama Anggota", "Nomor Barcode", "Judul", "Tanggal Jatuh Tempo",
              "Tanggal Dikembalikan"]
    rows = [[1, "02-09-2024", "AN-0012", "Andi", "LPKA-0001", "Si Juki: Lika-Liku Anak Kos", "09-09-2024", "06-09-2024"],
            [2, "02-09-2024", "AN-0013", "Budi", "LPKA-0002", "Cerita Rakyat Banjar", "09-09-2024", None],
            [3, "10-09-2024", "AN-0012", "Andi", "LPKA-0007", "Belajar Bahasa Inggris 30 Hari", "17-09-2024",
             "17-09-2024"],
            [4, "16-09-2024", "AN-0014", "Cahya", "LPKA-0011", "Komputer untuk Pemula", "23-09-2024", None],
            [5, "23-09-2024", "AN-0015", "Dimas", "LPKA-0002", "Cerita Rakyat Banjar", "30-09-2024", "27-09-2024"]]
    path = write_html_xls(folder / "LaporanPeminjaman.xls",
                          ["LAPORAN PEMINJAMAN KOLEKSI", "LPKA KELAS I MARTAPURA", "Periode : 01-09-2024 s/d 30-09-2024"],
                          header, rows)
    return Case(path, {("loans", "lpka-martapura", "2024-09"): 5},
                ["Peminjaman: LPKA Martapura Sep 2024 (1 bulan); 5 baris dimuat, 0 ditolak."], fmt="html")


def handmade_workbook(folder: Path) -> Case:
    """One workbook, three datasets, one sheet each (openpyxl, as typed in
    Excel): letterhead, title, a No column, two-row headers with merged
    cells, JUMLAH rows, a blank spacer row between months, notes and a
    signature."""
    letter = ["KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN RI", "KANTOR WILAYAH KALIMANTAN SELATAN",
              "RUMAH TAHANAN NEGARA KELAS IIB PELAIHARI"]
    sign = [[], [None, "Keterangan: diisi dari buku perpustakaan."], [], [None, None, None, "Pelaihari, 3 Maret 2025"],
            [None, None, None, "Petugas Perpustakaan,"], [], [], [None, None, None, "Maya Lestari"],
            [None, None, None, "NIP. 199001012015032001"]]
    loans = [*[[x] for x in letter], [], ["REKAPITULASI PEMINJAMAN BUKU"], ["PERIODE JANUARI - FEBRUARI 2025"], [],
             ["No", "Bulan", "Klasifikasi", "Jumlah Peminjaman", "Jumlah Peminjam", None],
             [None, None, None, None, "L", "P"],
             [1, "Januari 2025", "297", 40, 21, 0], [2, "Januari 2025", "Fiksi", 25, 14, 0],
             [3, "Februari 2025", "297", 36, 20, 0], [4, "Februari 2025", "Fiksi", 30, 15, 0],
             ["JUMLAH", None, None, 131, 70, 0], *sign]
    visits = [*[[x] for x in letter], [], ["LAPORAN KUNJUNGAN PERPUSTAKAAN"], ["PERIODE JANUARI - FEBRUARI 2025"], [],
              ["No", "Hari/Tanggal", "Jumlah Pengunjung", None, "Jumlah"], [None, None, "L", "P", None],
              [1, D(2025, 1, 6), 18, 0, 18], [2, "Selasa, 7 Januari 2025", 22, 0, 22], [3, D(2025, 1, 8), 15, 1, 16],
              [], [1, D(2025, 2, 3), 20, 0, 20], [2, "04/02/2025", 19, 0, 19],
              ["JUMLAH", None, 94, 1, 95], *sign]
    training = [*[[x] for x in letter], [], ["LAPORAN KEGIATAN PEMBINAAN LITERASI"], [],
                ["No", "Hari/Tanggal", "Nama Kegiatan", "Penyelenggara", "Jumlah Peserta", None],
                [None, None, None, None, "L", "P"],
                [1, "Rabu, 15 Januari 2025", "Bedah Buku Bersama Warga Binaan", "Dispersip Kalsel", 25, 0],
                [2, "Kamis, 13 Februari 2025", "Pelatihan Menulis Cerpen", "Rutan Pelaihari", 18, 0], *sign]
    merges = {"Peminjaman": ["A1:F1", "A2:F2", "A3:F3", "A8:A9", "B8:B9", "C8:C9", "D8:D9", "E8:F8", "A14:C14"],
              "Kunjungan": ["A1:E1", "A2:E2", "A3:E3", "A8:A9", "B8:B9", "C8:D8", "E8:E9", "A16:B16"],
              "Pelatihan": ["A1:F1", "A2:F2", "A3:F3", "A7:A8", "B7:B8", "C7:C8", "D7:D8", "E7:F7"]}
    path = write_openpyxl(folder / "laporan_perpustakaan_rutan_pelaihari_jan-feb_2025.xlsx",
                          {"Peminjaman": loans, "Kunjungan": visits, "Pelatihan": training}, merges=merges)
    return Case(path, {("loans", "rutan-pelaihari", "2025-01"): 65, ("loans", "rutan-pelaihari", "2025-02"): 66,
                       ("visits", "rutan-pelaihari", "2025-01"): 56, ("visits", "rutan-pelaihari", "2025-02"): 39,
                       ("training", "rutan-pelaihari", "2025-01"): 25, ("training", "rutan-pelaihari", "2025-02"): 18},
                ["Peminjaman: Rutan Pelaihari Jan 2025–Feb 2025 (2 bulan); 4 baris dimuat, 0 ditolak.",
                 "Kunjungan Perpustakaan: Rutan Pelaihari Jan 2025–Feb 2025 (2 bulan); 5 baris dimuat, 0 ditolak.",
                 "Pelatihan: Rutan Pelaihari Jan 2025–Feb 2025 (2 bulan); 2 baris dimuat, 0 ditolak."])


def handmade_ods(folder: Path) -> Case:
    """A LibreOffice Calc sheet: merged title, label row with the unit, a No
    column, date cells and typed dates, a JUMLAH row."""
    rows = [["LAPORAN KUNJUNGAN PERPUSTAKAAN", None, None, None],
            ["UPT : Rutan Kelas IIB Kandangan", None, None, None],
            ["Bulan : Oktober 2024", None, None, None], [],
            ["No", "Tanggal", "Layanan", "Jumlah Pengunjung"],
            [1, D(2024, 10, 1), "Perpustakaan", 12], [2, D(2024, 10, 2), "Perpustakaan", 15],
            [3, "7 Oktober 2024", "Perpustakaan", 11], [4, D(2024, 10, 15), "Pusling", 38],
            [None, "JUMLAH", None, 76]]
    path = write_ods(folder / "kunjungan_rutan_kandangan_oktober_2024.ods", {"Kunjungan": rows},
                     spans={"Kunjungan": [(0, 0, 4)]})
    return Case(path, {("visits", "rutan-kandangan", "2024-10"): 76},
                ["Kunjungan Perpustakaan: Rutan Kandangan Okt 2024 (1 bulan); 4 baris dimuat, 0 ditolak."])


def csv_loans_bom(folder: Path) -> Case:
    """Indonesian-locale Excel 'CSV UTF-8': BOM, a first line 'sep=;',
    semicolons, CRLF, call numbers with decimal commas, a title double-encoded
    by an earlier round trip ('DeveloperÃ¢â‚¬â„¢s' is 'Developer’s')."""
    rows = [["Tanggal Pinjam", "ID Anggota", "Nama Anggota", "Judul", "Nomor Panggil", "Tanggal Kembali"],
            ["01/08/2024", "T-001", "Arif", "The DeveloperÃ¢â‚¬â„¢s Guide", "005,1 ARI d", "08/08/2024"],
            ["05/08/2024", "T-002", "Bayu", "Fiqih Sehari-hari", "297,4 RAS f", "12/08/2024"],
            ["05/08/2024", "T-003", "Gusti", "Ronggeng Dukuh Paruk", "813 TOH r", "12/08/2024"],
            ["19/08/2024", "T-001", "Arif", "Beternak Lele", "639,3 SUK b", "26/08/2024"],
            ["26/08/2024", "T-004", "Rusdi", "Sejarah Kalimantan Selatan", "959,8 IDW s", "02/09/2024"]]
    path = write_csv(folder / "peminjaman_lapas_tanjung_agustus_2024.csv", rows, sep=";", encoding="utf-8-sig",
                     sep_line=True)
    return Case(path, {("loans", "lapas-tanjung", "2024-08"): 5},
                ["Peminjaman: Lapas Tanjung Agu 2024 (1 bulan); 5 baris dimuat, 0 ditolak."])


def csv_visits_cp1252(folder: Path) -> Case:
    """'CSV (semicolon delimited)' from an older Excel: cp1252, 'sep=;',
    dot thousands in the counts, typographic quotes in the notes column."""
    rows = [["Fasilitas", "Bulan", "Layanan", "Jumlah Pengunjung", "Hari Layanan", "Keterangan"],
            ["Rutan Kelas IIB Tanjung", "Agustus 2024", "Perpustakaan", "1.234", "21", "termasuk “Pekan Literasi”"],
            ["Rutan Kelas IIB Tanjung", "Agustus 2024", "Perpustakaan Keliling", "40", "1", "–"],
            ["Rutan Kelas IIB Tanjung", "September 2024", "Perpustakaan", "987", "20", "café baca"]]
    path = write_csv(folder / "rekap_kunjungan_rutan_tanjung.csv", rows, sep=";", encoding="cp1252", sep_line=True)
    return Case(path, {("visits", "rutan-tanjung", "2024-08"): 1274, ("visits", "rutan-tanjung", "2024-09"): 987},
                ["Kunjungan Perpustakaan: Rutan Tanjung Agu 2024–Sep 2024 (2 bulan); 3 baris dimuat, 0 ditolak."])


def facility_spellings(folder: Path) -> Case:
    """Every common spelling of a unit's name, historical names and classes."""
    rows = [["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
            ["LP Kelas 2A Banjarmasin", "Januari 2023", "Agama", 10],
            ["Lapas Kls. II A Banjarmasin", "Februari 2023", "Agama", 11],
            ["Lembaga Pemasyarakatan Kelas IIA Banjarmasin", "Maret 2023", "Agama", 12],
            ["Lapas Teluk Dalam", "April 2023", "Agama", 13],
            ["Rutan Kelas II-B Rantau", "Januari 2023", "Fiksi", 7],
            ["Lapas Rantau", "Februari 2023", "Fiksi", 8],
            ["LPKA Kelas I Martapura", "Januari 2023", "Fiksi", 20],
            ["Lapas Anak Martapura", "Februari 2023", "Fiksi", 21],
            ["Lapas Kelas III Banjarbaru", "Januari 2023", "Fiksi", 5],
            ["lapas-perempuan-martapura", "Januari 2023", "Fiksi", 9]]
    path = write_xlsx(folder / "ejaan_nama_fasilitas_2023.xlsx", {"Peminjaman": rows})
    totals = {("loans", "lapas-banjarmasin", "2023-01"): 10, ("loans", "lapas-banjarmasin", "2023-02"): 11,
              ("loans", "lapas-banjarmasin", "2023-03"): 12, ("loans", "lapas-banjarmasin", "2023-04"): 13,
              ("loans", "rutan-rantau", "2023-01"): 7, ("loans", "rutan-rantau", "2023-02"): 8,
              ("loans", "lpka-martapura", "2023-01"): 20, ("loans", "lpka-martapura", "2023-02"): 21,
              ("loans", "lapas-banjarbaru", "2023-01"): 5, ("loans", "lapas-perempuan-martapura", "2023-01"): 9}
    return Case(path, totals, ["Peminjaman: Lapas Banjarbaru, Lapas Perempuan Martapura Jan 2023 (1 bulan); Lapas "
                               "Banjarmasin Jan 2023–Apr 2023 (4 bulan); LPKA Martapura, Rutan Rantau Jan 2023–Feb 2023 "
                               "(2 bulan); 10 baris dimuat, 0 ditolak."])


GOOD = (slims_loans_xlsx, slims_loans_english, slims_loans_biff, slims_visitors_xlsx, slims8_visitors_tsv, slims_visitor_statistic,
        slims_loans_by_class_tsv, handmade_loan_matrix, handmade_facility_recap, handmade_matrix_by_gender,
        inlislite_guestbook,
        inlislite_html_loans, handmade_workbook, handmade_ods, csv_loans_bom, csv_visits_cp1252, facility_spellings)


# ------------------------------------------------- loaded with --facility
def slims_loans_tsv_option(folder: Path) -> Case:
    """SLiMS' loan history as its tab-separated '.xls', named as SLiMS names
    it: the facility comes from the upload choice. A title starting with a
    quote, NULL for a missing due date, the status as 0/1."""
    header = ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
              "Status Peminjaman"]
    rows = [["M-0101", "Agus Santoso", "MRB-001", '"Aku" dan Puisi Lainnya', "2024-11-04", "2024-11-11", 1],
            ["M-0102", "Wahyu Firdaus", "MRB-014", "Kerajaan Banjar", "2024-11-05", None, 0],
            ["M-0101", "Agus Santoso", "MRB-020", '"Catatan Seorang Pembaca', "2024-11-12", "2024-11-19", 0],
            ["0103", "Irwan Mahdi", "MRB-031", "Bertanam Cabai", "2024-11-18", "2024-11-25", 1]]
    path = write_slims_tsv(folder / "loan_history.xls", header, rows)
    return Case(path, {("loans", "rutan-marabahan", "2024-11"): 4},
                ["Peminjaman: Rutan Marabahan Nov 2024 (1 bulan); 4 baris dimuat, 0 ditolak."],
                facility="Rutan Kelas IIB Marabahan", fmt="tsv")


# ----------------------------------------------------------- refused files
def refused_bad_date(folder: Path) -> Case:
    """The issue's example: the row number is the one the spreadsheet program
    shows, counting the title rows above the header (header on row 4)."""
    rows = [["LAPORAN PEMINJAMAN BUKU RUTAN KELAS IIB RANTAU"], ["BULAN FEBRUARI 2024"], [],
            ["Tanggal Pinjam", "Kode Eksemplar", "Judul", "ID Anggota", "Tanggal Kembali"]]
    for k in range(9):
        rows.append([f"{k + 1:02d}/02/2024", f"R-{k}", f"Judul {k}", f"{100 + k}", f"{k + 8:02d}/02/2024"])
    rows.append(["31/02/2024", "R-99", "Judul 99", "199", "07/03/2024"])
    path = write_xlsx(folder / "peminjaman_februari.xlsx", {"Peminjaman": rows})
    return Case(path, errors=[
        "Sheet 'Peminjaman', baris 14, kolom 'Tanggal Pinjam': '31/02/2024' bukan tanggal yang valid. Tulis tanggal "
        "seperti 06/08/2024 atau 6 Agustus 2024."])


def refused_destroyed_ids(folder: Path) -> Case:
    """Long ids Excel turned into rounded numbers before the CSV was saved,
    and a count with a decimal comma."""
    rows = [["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar", "ID Anggota", "Jumlah Peminjaman"],
            ["Rutan Rantau", "06/08/2024", "R-1", "1,97E+17", ""],
            ["Rutan Rantau", "06/08/2024", "R-2", "6371010101900000", ""],
            ["Rutan Rantau", "07/08/2024", "R-3", "0012", "1.234,5"]]
    path = write_csv(folder / "peminjaman_id_rusak.csv", rows, sep=";", encoding="utf-8-sig", sep_line=True)
    destroyed = ("sudah dirusak Excel menjadi angka bulat/ilmiah sehingga digit aslinya hilang. Format kolom ini "
                 "sebagai Teks (Format Cells > Text), ketik ulang ID-nya, lalu unggah lagi.")
    return Case(path, errors=[
        # the ids are shown as keyed tokens; the 16-digit one is a rounded number because its column also holds
        # one in scientific notation (a 16-digit text id ending in 0 alone is a real id)
        f"Baris 2, kolom 'ID Anggota': ID ini (ID samaran *) {destroyed}",
        f"Baris 3, kolom 'ID Anggota': ID ini (ID samaran *) {destroyed}",
        "Baris 4, kolom 'Jumlah Peminjaman': '1.234,5' bukan bilangan bulat; jumlah orang atau buku harus bulat."])


def refused_facility_names(folder: Path) -> Case:
    """Names that do not identify exactly one unit."""
    rows = [["Fasilitas", "Bulan", "Jumlah Peminjaman"],
            ["Lapas Kelas IIB Banjarmasin", "Agustus 2024", 10],
            ["Rutan Kelas IIB", "Agustus 2024", 11],
            ["Kanwil Kalsel", "Agustus 2024", 12]]
    path = write_xlsx(folder / "rekap_ejaan_salah.xlsx", {"Rekap": rows})
    return Case(path, errors=[
        "Sheet 'Rekap', baris 2, kolom 'Fasilitas': 'Lapas Kelas IIB Banjarmasin' bisa berarti lebih dari satu "
        "fasilitas: Lapas Banjarmasin (lapas-banjarmasin), Lapas Banjarbaru (lapas-banjarbaru). Tulis nama lengkapnya.",
        "Sheet 'Rekap', baris 3, kolom 'Fasilitas': 'Rutan Kelas IIB' bisa berarti lebih dari satu fasilitas: "
        "Rutan Barabai (rutan-barabai), Rutan Kandangan (rutan-kandangan), Rutan Marabahan (rutan-marabahan), "
        "Rutan Pelaihari (rutan-pelaihari), Rutan Rantau (rutan-rantau), Rutan Tanjung (rutan-tanjung). "
        "Tulis nama lengkapnya.",
        "Sheet 'Rekap', baris 4, kolom 'Fasilitas': tidak ada UPT bernama 'Kanwil Kalsel'. Yang paling "
        "mirip: Rutan Kandangan (rutan-kandangan), Bapas Amuntai (bapas-amuntai), Bapas Banjarmasin (bapas-banjarmasin). "
        "Tulis nama resmi atau kodenya."])


def refused_matrix_totals(folder: Path) -> Case:
    """A matrix whose total column and total row disagree with its figures."""
    rows = [["STATISTIK PENGUNJUNG PERPUSTAKAAN RUTAN KELAS IIB RANTAU TAHUN 2024"], [],
            ["Tipe Anggota", "Januari", "Februari", "Maret", "Jumlah"],
            ["Warga Binaan", 40, 42, 45, 128],
            ["Pegawai", 3, 2, 4, 9],
            ["Total", 43, 45, 48, 136]]
    path = write_xlsx(folder / "statistik_kunjungan_salah.xlsx", {"Statistik": rows})
    return Case(path, errors=[
        "Sheet 'Statistik', baris 6, kolom 'Februari': baris jumlah menulis 45, tetapi jumlah baris-baris di atasnya "
        "44. Perbaiki angka jumlahnya atau baris datanya.",
        "Sheet 'Statistik', baris 6, kolom 'Maret': baris jumlah menulis 48, tetapi jumlah baris-baris di atasnya 49. "
        "Perbaiki angka jumlahnya atau baris datanya.",
        "Sheet 'Statistik', baris 4, kolom 'Jumlah': kolom jumlah menulis 128, tetapi bulan-bulan di baris ini "
        "berjumlah 127. Perbaiki angka jumlahnya atau angka bulanannya."])


def refused_matrix_without_year(folder: Path) -> Case:
    rows = [["STATISTIK PEMINJAMAN MENURUT KLASIFIKASI"], ["RUTAN KELAS IIB RANTAU"], [],
            ["Klasifikasi", "Jan", "Feb", "Mar", "Jumlah"],
            ["200", 10, 12, 9, 31], ["800", 5, 4, 6, 15], ["Jumlah", 15, 16, 15, 46]]
    path = write_xlsx(folder / "statistik_peminjaman.xlsx", {"Statistik": rows})
    return Case(path, errors=[
        "Sheet 'Statistik', baris 4: judul kolom bulan ('Jan') tidak menyebut tahun, begitu pula judul di atas tabel, "
        "nama sheet dan nama berkas. Tulis tahunnya di judul, mis. 'TAHUN 2024', atau di judul kolom, mis. "
        "'Jan 2024'."])


def refused_unknown_sheet(folder: Path) -> Case:
    """A workbook with a sheet that is no dataset: reported, not skipped."""
    path = write_xlsx(folder / "laporan_rutan_rantau_agustus.xlsx", {
        "Kunjungan": [["Tanggal Kunjungan", "Jumlah Pengunjung"], ["06/08/2024", 12], ["07/08/2024", 14]],
        "Catatan Rapat": [["Rapat koordinasi perpustakaan"], ["Dihadiri 12 orang"]]})
    return Case(path, errors=[
        "Sheet 'Catatan Rapat' tidak dikenali sebagai data peminjaman, kunjungan, pelatihan, daftar hadir, hunian, "
        "paket buku atau kerja sama, sehingga tidak dibaca. Pastikan baris judul kolom memakai nama seperti di "
        "templat (mis. 'Tanggal Pinjam')."])


def refused_no_facility(folder: Path) -> Case:
    """A SLiMS export named as SLiMS names it, loaded without --facility."""
    header = ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
              "Status Peminjaman"]
    path = write_slims_tsv(folder / "loan_history.xls", header, [["7", "Ahmad", "B1", "Judul", "2024-08-06",
                                                                   "2024-08-13", 1]])
    return Case(path, fmt="tsv", errors=[
        "Berkas 'loan_history.xls': fasilitas kosong, dan judul atau nama berkas tidak menyebut satu fasilitas. Isi "
        "kolom Fasilitas, atau pilih fasilitasnya saat mengunggah (--facility KODE)."])


def refused_two_facilities(folder: Path) -> Case:
    """The title names one unit and the file name another: which is meant is for staff to say."""
    path = write_xlsx(folder / "rutan-rantau_kunjungan_agustus_2024.xlsx", {"Kunjungan": [
        ["LAPORAN KUNJUNGAN PERPUSTAKAAN LAPAS KELAS IIA BANJARMASIN"], [],
        ["Tanggal Kunjungan", "Jumlah Pengunjung"], ["06/08/2024", 12], ["07/08/2024", 14]]})
    return Case(path, errors=[
        "Sheet 'Kunjungan', baris 1: judul menyebut Lapas Banjarmasin, tetapi nama berkas menyebut Rutan Rantau. "
        "Perbaiki judul atau nama berkasnya, atau pilih fasilitasnya saat mengunggah (--facility KODE)."])


def refused_group_without_count(folder: Path) -> Case:
    header = ["Nomor Kunjungan", "Tanggal Kunjungan", "Kriteria Pengunjung", "Nama", "Jenis Kelamin"]
    rows = [["LAPORAN BUKU TAMU"], ["Tanggal Export: 02-10-2024 10:15"], [], header,
            ["AN-1", D(2024, 9, 2), "Anggota", "Andi", "Laki-laki"],
            ["RB-1", D(2024, 9, 3), "Rombongan", "Ketua: Pak Hasan", "<br>"]]
    path = write_openpyxl(folder / "lpka-martapura_buku_tamu_oktober.xlsx", {"Worksheet": rows})
    return Case(path, errors=[
        "Sheet 'Worksheet', baris 6, kolom 'Jenis Kelamin': baris rombongan tanpa jumlah orang. Isi 'Jumlah "
        "Pengunjung', atau tulis jenis kelaminnya seperti '12 Laki-laki<br>8 Perempuan'."])


REFUSED = (refused_bad_date, refused_destroyed_ids, refused_facility_names, refused_matrix_totals,
           refused_matrix_without_year, refused_unknown_sheet, refused_no_facility, refused_two_facilities,
           refused_group_without_count)


def write_corpus(folder: Path) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for part, writers in (("good", GOOD), ("option", (slims_loans_tsv_option,)), ("refused", REFUSED)):
        sub = folder / part
        sub.mkdir(parents=True, exist_ok=True)
        out[part] = [w(sub) for w in writers]
    return out


def expected_totals(cases: list[Case]) -> list[dict]:
    """The ``summary --json`` rows the cases must produce together."""
    totals: dict[tuple[str, str, str], int] = {}
    for case in cases:
        for key, value in case.totals.items():
            assert key not in totals, f"two corpus files report {key}"
            totals[key] = value
    return [{"dataset": d, "facility": f, "month": m, "value": v} for (d, f, m), v in sorted(totals.items())]
