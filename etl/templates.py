"""Blank templates staff fill in, generated from the dataset specs.

Each template has the data sheet (Indonesian headers, drop-down lists for
facility, category, gender and the like, id columns formatted as text so Excel
cannot round them, dates as dd/mm/yyyy), an instructions sheet generated from
the same spec, and a hidden sheet holding the drop-down lists.
"""

from __future__ import annotations

import io

import xlsxwriter

from etl.facilities import Register
from etl.i18n import normalise_lang
from etl.safety import safe_cell
from etl.specs import DATASETS, Column, Dataset

INSTRUCTION_SHEETS = ("petunjuk", "instructions", "readme", "baca saya")
LISTS_SHEET = "_daftar"


def template_columns(ds: Dataset) -> list[Column]:
    return [c for c in ds.columns if c.template]


def _choices(column: Column, register: Register) -> list[str]:
    if column.kind == "facility":
        return [f.official_name for f in register.inmate_facilities]
    return list(column.choices)


def add_table_sheet(book, ds: Dataset, register: Register, lang: str = "id", rows: list[list] | None = None,
                    title: list[str] | None = None, name: str | None = None, list_cache: dict | None = None):
    """A sheet with ``title`` lines, the header of ``ds`` and ``rows`` (values in
    template column order). Returns the worksheet."""
    lang = normalise_lang(lang)
    columns = template_columns(ds)
    sheet = book.add_worksheet(name or (ds.title_en if lang == "en" else ds.title_id)[:31])
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "font_size": 12})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    month_fmt = book.add_format({"num_format": "mmm yyyy"})
    text_fmt = book.add_format({"num_format": "@"})
    top = 0
    for line in title or ():
        sheet.write(top, 0, line, bold)
        top += 1
    if title:
        top += 1
    lists = book.get_worksheet_by_name(LISTS_SHEET)
    if lists is None:
        lists = book.add_worksheet(LISTS_SHEET)
        lists.hide()
    cache = list_cache if list_cache is not None else {}
    last = max(len(rows or ()) + top + 200, top + 1000)
    for c, column in enumerate(columns):
        header = column.header_en if lang == "en" else column.header_id
        is_required = column.required or any(column.key in s and len(ds.row_shapes) == 1 for s in ds.row_shapes)
        sheet.write(top, c, header, required if is_required else head)
        sheet.write_comment(top, c, column.help_en if lang == "en" else column.help_id,
                            {"x_scale": 2, "y_scale": 1.5})
        width = 14 if column.kind in ("date", "month", "count", "gender") else 24
        fmt = {"date": date_fmt, "month": month_fmt, "id": text_fmt}.get(column.kind)
        sheet.set_column(c, c, width, fmt)
        choices = _choices(column, register)
        if choices:
            key = (column.kind, tuple(choices))
            if key not in cache:
                col_index = len(cache)
                for r, value in enumerate(choices):
                    lists.write(r, col_index, value)
                letter = xlsxwriter.utility.xl_col_to_name(col_index)
                cache[key] = f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(choices)}"
            strict = column.kind not in ("category", "text", "facility")
            sheet.data_validation(top + 1, c, last, c, {
                "validate": "list", "source": cache[key], "ignore_blank": True,
                "error_type": "stop" if strict else "information",
                "error_title": "Pantau Literasi",
                "error_message": column.help_en if lang == "en" else column.help_id,
            })
    for r, row in enumerate(rows or (), start=top + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = columns[c].kind
            if kind in ("date", "month") and hasattr(value, "year"):
                import datetime as dt

                when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                sheet.write_datetime(r, c, when, date_fmt if kind == "date" else month_fmt)
            elif kind == "id":
                sheet.write_string(r, c, str(value))
            else:
                sheet.write(r, c, safe_cell(value))
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top, len(columns) - 1)
    return sheet


INSTRUCTION_HEADERS = (("Kolom", "Wajib", "Arti", "Juga dikenali sebagai"),
                       ("Column", "Required", "Meaning", "Also recognised as"))
INSTRUCTION_HEADER_ROW = 4


def is_template_instructions(head: list[list]) -> bool:
    """The first rows of a sheet are our blank template's instructions (its header row of the
    column list), not a sheet staff named 'Petunjuk' themselves."""
    if len(head) <= INSTRUCTION_HEADER_ROW:
        return False
    row = tuple(str(c).strip() for c in head[INSTRUCTION_HEADER_ROW][:4] if c not in (None, ""))
    return row in INSTRUCTION_HEADERS


def add_instructions(book, ds: Dataset, lang: str = "id"):
    en = normalise_lang(lang) == "en"
    sheet = book.add_worksheet("Instructions" if en else "Petunjuk")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, (ds.title_en if en else ds.title_id), book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, ds.grain_en if en else ds.grain_id)
    sheet.write(2, 0, ds.row_shape_help_en if en else ds.row_shape_help_id)
    headers = INSTRUCTION_HEADERS[1 if en else 0]
    sheet.write_row(4, 0, headers, bold)
    for r, column in enumerate(ds.columns, start=5):
        sheet.write(r, 0, column.header_en if en else column.header_id, wrap)
        sheet.write(r, 1, ("yes" if en else "ya") if column.required else "", wrap)
        sheet.write(r, 2, column.help_en if en else column.help_id, wrap)
        sheet.write(r, 3, ", ".join(column.synonyms), wrap)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 3, 70)
    return sheet


def template_xlsx(dataset: str, register: Register, lang: str = "id") -> bytes:
    """The blank template of ``dataset`` as xlsx bytes."""
    ds = DATASETS[dataset]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    if dataset == "attendance":
        add_attendance_sheet(book, register, lang)
    else:
        add_table_sheet(book, ds, register, lang)
    add_instructions(book, ds, lang)
    book.close()
    return buffer.getvalue()


ATTENDANCE_LABELS = (("Hari / Tanggal", "start_date"), ("Tempat", "place"), ("Kegiatan / Pelatihan", "title"),
                     ("Penyelenggara", "organiser"))


def add_attendance_sheet(book, register: Register, lang: str = "id", facts: dict | None = None,
                         participants: list[list] | None = None, letterhead: list[str] | None = None,
                         name: str | None = None):
    """The recurring daftar-hadir layout: letterhead, title, label rows with the
    session's facts, then NO | NAMA | NIP / NO. REGISTRASI | JENIS KELAMIN |
    JABATAN / INSTANSI / BLOK | TANDA TANGAN."""
    en = normalise_lang(lang) == "en"
    sheet = book.add_worksheet(name or ("Attendance" if en else "Daftar Hadir"))
    bold = book.add_format({"bold": True})
    center = book.add_format({"bold": True, "align": "center", "font_size": 12})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
    cell = book.add_format({"border": 1})
    text = book.add_format({"border": 1, "num_format": "@"})
    r = 0
    for line in letterhead or ("PEMERINTAH PROVINSI KALIMANTAN SELATAN", "DINAS PERPUSTAKAAN DAN KEARSIPAN"):
        sheet.merge_range(r, 0, r, 5, line, center)
        r += 1
    r += 1
    title = (facts or {}).get("heading") or "DAFTAR HADIR PELATIHAN"
    sheet.merge_range(r, 0, r, 5, title, center)
    r += 2
    for label, key in ATTENDANCE_LABELS:
        value = (facts or {}).get(key, "")
        sheet.write(r, 0, label, bold)
        sheet.write(r, 1, ":")
        sheet.write(r, 2, value)
        r += 1
    r += 1
    headers = ["NO", "NAMA", "NIP / NO. REGISTRASI", "JENIS KELAMIN", "JABATAN / INSTANSI / BLOK", "TANDA TANGAN"]
    sheet.write_row(r, 0, headers, head)
    for k, row in enumerate(participants or (), start=1):
        sheet.write(r + k, 0, k, cell)
        sheet.write(r + k, 1, row[0], cell)
        sheet.write_string(r + k, 2, str(row[1] or ""), text)
        sheet.write(r + k, 3, row[2], cell)
        sheet.write(r + k, 4, safe_cell(row[3]), cell)
        sheet.write(r + k, 5, "", cell)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 22, book.add_format({"num_format": "@"}))
    sheet.set_column(3, 3, 14)
    sheet.set_column(4, 4, 34)
    sheet.set_column(5, 5, 16)
    sheet.data_validation(r + 1, 3, r + 300, 3, {"validate": "list", "source": ["L", "P"]})
    return sheet


def rejected_xlsx(rows: list[dict], lang: str = "id") -> bytes:
    """Rows refused in a batch, with the reasons, for staff to correct."""
    import json

    en = normalise_lang(lang) == "en"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Rejected" if en else "Ditolak")
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    value_keys: list[str] = []
    for row in rows:
        for k in json.loads(row["cell_values"] or "{}"):
            if k not in value_keys:
                value_keys.append(k)
    headers = ["Sheet", "Row" if en else "Baris", "Reason" if en else "Alasan", *value_keys]
    sheet.write_row(0, 0, [safe_cell(h) for h in headers], bold)
    for r, row in enumerate(rows, start=1):
        values = json.loads(row["cell_values"] or "{}")
        sheet.write(r, 0, safe_cell(row["sheet"]))
        sheet.write(r, 1, row["row_number"])
        sheet.write(r, 2, safe_cell(row["messages_en" if en else "messages_id"]))
        for c, k in enumerate(value_keys, start=3):
            sheet.write(r, c, safe_cell(values.get(k)))
    sheet.set_column(2, 2, 90)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
