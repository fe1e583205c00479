"""Writers for test spreadsheets, with the same libraries and quirks the real
producers have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[tuple]] | None = None,
               hidden: tuple[str, ...] = ()) -> Path:
    """``sheets``: name -> rows; a ``dt.date`` becomes a real Excel date cell,
    a ``str`` stays text, numbers stay numbers, ``None`` an empty cell."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        for (r0, c0, r1, c1, value) in (merges or {}).get(name, ()):
            sheet.merge_range(r0, c0, r1, c1, value)
        if name in hidden:
            sheet.hide()
    book.close()
    return path


def write_csv(path: Path, rows: list[list], sep: str = ";", encoding: str = "utf-8-sig", sep_line: bool = False,
              newline: str = "\r\n") -> Path:
    lines = ([f"sep={sep}"] if sep_line else []) + [sep.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


LOAN_HEADER = ["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar", "Judul", "Kategori", "ID Anggota", "Nama Anggota",
               "Tanggal Kembali", "Status Peminjaman"]
