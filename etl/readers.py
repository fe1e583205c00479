"""Open any spreadsheet staff send and hand back its sheets as grids of text.

The format is sniffed from the bytes, never trusted from the extension: SLiMS
serves tab-separated text as ``.xls``, INLISLite serves HTML tables as ``.xls``.
Every cell arrives as text (or None); ``etl.parse`` gives it a type later, once
per distinct value. Row numbers are kept as the spreadsheet program shows them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import logging
import re
import struct
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from etl.i18n import numbers
from etl.limits import (
    Limits,
    Refused,
    SheetScan,
    biff_extent,
    check_grid,
    check_zip,
    column_letters,
    scan_ods,
    scan_xls,
    scan_xlsx,
)

SMALL_FILE = 4 * 1024 * 1024  # below this, merged-cell ranges are read too
log = logging.getLogger(__name__)

# The file cannot be opened as a spreadsheet, or is past a limit; ``code`` is a message key.
UnreadableFile = Refused


@dataclass
class Sheet:
    name: str
    cells: pa.Table                 # string columns c0..cN
    first_row: int = 1              # spreadsheet row number of cells' row 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based in cells
    hidden: bool = False
    # (row, column) grid indices of formula cells saved without a value (files written by scripts)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    # (row, column) grid indices of cells stored as numbers with 16 or more digits; None: the format has no types
    number_cells: set[tuple[int, int]] | None = None

    @property
    def height(self) -> int:
        return self.cells.num_rows

    @property
    def width(self) -> int:
        return self.cells.num_columns

    def head(self, n: int) -> list[list[str | None]]:
        part = self.cells.slice(0, n).to_pydict()
        cols = [part[name] for name in self.cells.column_names]
        return [list(row) for row in zip(*cols)] if cols else []


@dataclass
class Workbook:
    name: str            # the file name as staff know it
    format: str          # xlsx | xls | ods | csv | tsv | html
    sha256: str
    size: int
    sheets: list[Sheet]


def _zip_entries(data: bytes) -> int | None:
    """The number of members a zip's end record declares (None: not found, or zip64)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    total = struct.unpack_from("<H", data, at + 10)[0]
    return None if total == 0xFFFF else total


def sniff(data: bytes, limits: Limits | None = None) -> str:
    """``xlsx``, ``ods``, ``xls`` (BIFF), ``biff`` (a bare BIFF record stream), ``html`` or ``text``."""
    limits = limits or Limits()
    head = data[:4096]
    if head.startswith(b"PK\x03\x04"):
        if (entries := _zip_entries(data)) is not None and entries > limits.zip_members:
            raise UnreadableFile("zip_too_many_members", **numbers(members=entries, limit=limits.zip_members))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype")[:200]:
                    return "ods"
                if "xl/workbook.bin" in names:
                    raise UnreadableFile("xlsb")
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
            if isinstance(exc, UnreadableFile):
                raise
            raise UnreadableFile("bad_zip") from exc
        raise UnreadableFile("not_spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith((b"\x09\x08", b"\x09\x04", b"\x09\x02")) and len(head) >= 12:
        return "biff"  # older SLiMS: BOF and LABEL records written straight out, without the OLE container
    if _utf16(head):
        head = _decode(head[:4096 - 4096 % 2]).encode("utf-8")
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head", b"<body", b"<style")) \
            or (b"<table" in text and b"<td" in text):
        return "html"
    if b"\x00" in head:
        raise UnreadableFile("not_spreadsheet")
    return "text"


def _utf16(head: bytes) -> str | None:
    """``utf-16`` for text with a UTF-16 byte-order mark (Excel's 'Unicode Text'), ``utf-16-le``/``-be`` for
    text without one whose every other byte is NUL (ASCII letters in UTF-16); None otherwise."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:2048]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
            return "utf-16-be"
    return None


def read_workbook(path: str | Path, data: bytes | None = None, name: str | None = None,
                  limits: Limits | None = None) -> Workbook:
    """Read ``path`` (or ``data``, an upload's bytes, named ``name``), within ``limits``."""
    limits = limits or Limits()
    path = Path(path)
    if data is None:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise UnreadableFile("file_too_large", **numbers(size=-(-size // 1024 // 1024),
                                                             limit=limits.file_bytes // 1024 // 1024))
        data = path.read_bytes()
    name = name or path.name
    if len(data) > limits.file_bytes:
        raise UnreadableFile("file_too_large", **numbers(size=-(-len(data) // 1024 // 1024),
                                                         limit=limits.file_bytes // 1024 // 1024))
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise UnreadableFile("empty_file")
    kind = sniff(data, limits)
    if kind in ("xlsx", "ods", "xls"):
        sheets = _read_excel(data, kind, limits)
        fmt = kind
    elif kind == "html":
        sheets = _read_html(_decode(data), name, limits)
        fmt = "html"
    elif kind == "biff":
        sheets = [_read_biff_stream(data, name, limits)]
        fmt = "xls"
    else:
        sheets, fmt = _read_text(_decode(data), name, limits)
    for sheet in sheets:
        _check_sheet(sheet, limits, fmt in ("csv", "tsv"))
    return Workbook(name=name, format=fmt, sha256=sha, size=len(data), sheets=sheets)


def _check_sheet(sheet: Sheet, limits: Limits, is_text: bool) -> None:
    """What every reader hands over: its grid within the limits, no cell longer than Excel allows."""
    check_grid(limits, sheet.name, sheet.height, sheet.width,
               f"{column_letters(max(sheet.width - 1, 0))}{sheet.first_row + max(sheet.height - 1, 0)}")
    if len(sheet.merged) > limits.merged_ranges:
        raise UnreadableFile("too_many_merged", sheet=sheet.name,
                             **numbers(merged=len(sheet.merged), limit=limits.merged_ranges))
    for c, column in enumerate(sheet.cells.columns):
        if column.null_count == len(column):
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limits.cell_chars:
            r = pc.index(lengths, longest).as_py()
            _cell_too_long(sheet, r, c, longest, limits, is_text)


def _cell_too_long(sheet: Sheet, r: int, c: int, chars: int, limits: Limits, is_text: bool):
    row = sheet.first_row + r
    if is_text:
        place_id, place_en = f"baris {row}, kolom {c + 1}", f"row {row}, column {c + 1}"
    else:
        place_id = f"sheet '{sheet.name}', sel {column_letters(c)}{row}"
        place_en = f"sheet '{sheet.name}', cell {column_letters(c)}{row}"
    raise UnreadableFile("cell_too_long", place_id=place_id, place_en=place_en,
                         **numbers(chars=chars, limit=limits.cell_chars))


# ------------------------------------------------------------------- excel
def _read_excel(data: bytes, kind: str, limits: Limits) -> list[Sheet]:
    import fastexcel

    scans: dict[str, SheetScan] = {}
    if kind in ("xlsx", "ods"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                check_zip(data, zf, limits)
                if kind == "xlsx":
                    scans = scan_xlsx(zf, limits)
                else:
                    scan_ods(zf, limits)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, KeyError) as exc:
            raise UnreadableFile("bad_zip") from exc
    else:
        scan_xls(data, limits)
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        raise _unreadable(exc) from exc
    merges = _merged_ranges(data) if len(data) <= SMALL_FILE else {}
    sheet_names = reader.sheet_names
    if len(sheet_names) > limits.sheets:
        raise UnreadableFile("too_many_sheets", **numbers(sheets=len(sheet_names), limit=limits.sheets))
    sheets = []
    for index, sheet_name in enumerate(sheet_names):
        try:
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            table = sheet.to_arrow()
            hidden = str(getattr(sheet, "visible", "visible")).lower() != "visible"
        except Exception as exc:
            if "empty" in str(exc).lower() or "no rows" in str(exc).lower():
                table, hidden = pa.table({}), False
            else:
                raise _unreadable(exc) from exc
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        scan = scans.get(sheet_name)
        if scan and scan.errors:
            table = _with_error_values(table, scan.errors)
        merged = [(r0, c0, min(r1, table.num_rows - 1), min(c1, table.num_columns - 1))
                  for r0, c0, r1, c1 in merges.get(sheet_name, []) if r0 < table.num_rows and c0 < table.num_columns]
        sheets.append(Sheet(name=sheet_name, cells=table, merged=merged, hidden=hidden,
                            uncomputed=scan.uncomputed if scan else set(),
                            number_cells=scan.number_cells if scan and kind == "xlsx" else None))
    return sheets


def _with_error_values(table: pa.Table, errors: dict[tuple[int, int], str]) -> pa.Table:
    """Put Excel's error values ('#REF!') back into the cells fastexcel hands over empty, so the
    validator names them instead of reading an empty cell (they are rare: cell by cell is fine)."""
    by_column: dict[int, dict[int, str]] = {}
    for (r, c), text in errors.items():
        if 0 <= r < table.num_rows and 0 <= c < table.num_columns:
            by_column.setdefault(c, {})[r] = text
    for c, cells in by_column.items():
        values = table.column(c).to_pylist()
        for r, text in cells.items():
            if values[r] is None:
                values[r] = text
        table = table.set_column(c, table.column_names[c], pa.array(values, type=pa.string()))
    return table


def _unreadable(exc: Exception) -> UnreadableFile:
    """A reader library's own error, kept for the log; staff get one sentence."""
    detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    log.info("spreadsheet reader refused a file: %s: %s", type(exc).__name__, detail)
    lowered = detail.lower()
    if "password" in lowered or "encrypt" in lowered:
        return UnreadableFile("encrypted")
    return UnreadableFile("unreadable")


def _merged_ranges(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges per sheet, relative to the first used column, as fastexcel
    drops leading empty columns but keeps leading empty rows."""
    import python_calamine

    out: dict[str, list[tuple[int, int, int, int]]] = {}
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet_name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(sheet_name)
            ranges = sheet.merged_cell_ranges or []
            col0 = sheet.start[1] if sheet.start else 0
            out[sheet_name] = [(r0, c0 - col0, r1, c1 - col0) for (r0, c0), (r1, c1) in ranges]
    except Exception:  # merged ranges are a refinement; never fail a read on them
        return {}
    return out


def _read_biff_stream(data: bytes, name: str, limits: Limits) -> Sheet:
    """The ``.xls`` older SLiMS versions send: a bare BIFF stream (a BOF
    record, one LABEL or NUMBER record per cell, an EOF record) that no
    spreadsheet library opens, as Excel does, without its OLE container."""
    import struct

    biff_extent(data, limits, name=Path(name).stem)  # bounded before the grid below is built
    cells: dict[tuple[int, int], str] = {}
    pos = 0
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4: pos + 4 + length]
        pos += 4 + length
        if kind == 0x000A:  # EOF
            break
        if kind in (0x0204, 0x0004) and len(body) >= 8:  # LABEL (BIFF3-5, BIFF2)
            row, col = struct.unpack_from("<HH", body, 0)
            if kind == 0x0204:
                size = struct.unpack_from("<H", body, 6)[0]
                raw = body[8: 8 + size]
            else:
                size = body[7]
                raw = body[8: 8 + size]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
            cells[(row, col)] = text
        elif kind == 0x0203 and len(body) >= 14:  # NUMBER
            row, col = struct.unpack_from("<HH", body, 0)
            value = struct.unpack_from("<d", body, 6)[0]
            cells[(row, col)] = str(int(value)) if value == int(value) else repr(value)
    if not cells:
        raise UnreadableFile("unreadable")
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    rows = [[cells.get((r, c)) or None for c in range(width)] for r in range(height)]
    return Sheet(name=Path(name).stem, cells=_grid_table(rows))


# -------------------------------------------------------------------- text
def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if encoding := _utf16(data[:4096]):
        return data[:len(data) - len(data) % 2].decode(encoding, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _grid_table(rows: list[list[str | None]]) -> pa.Table:
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{i}": [r[i] if i < len(r) and r[i] not in ("",) else None for r in rows] for i in range(width)}
    return pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})


def _read_text(text: str, name: str, limits: Limits) -> tuple[list[Sheet], str]:
    stem = Path(name).stem
    if text.count("\n") > limits.rows + 1:
        raise UnreadableFile("too_many_rows", sheet=stem, **numbers(rows=text.count("\n"), limit=limits.rows))
    lines = text.splitlines()
    first_row = 1
    delimiter = None
    if lines and (m := re.match(r'^"?sep=(.)"?\s*$', lines[0].strip(), re.I)):
        delimiter = m.group(1)
        lines = lines[1:]  # Excel consumes the sep= line: row 1 is the next line
    body = "\n".join(lines)
    if delimiter is None:
        sample = "\n".join(line[:4096] for line in lines[:50])  # the sniffer is slow on a huge line
        counts = {d: sum(line.count(d) for line in lines[:50]) for d in ("\t", ";", ",", "|")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        try:
            sniffed = csv.Sniffer().sniff(sample, delimiters="\t;,|").delimiter
            if counts.get(sniffed, 0) >= counts[delimiter] * 0.8:
                delimiter = sniffed
        except csv.Error:
            pass
    rows = _csv_rows(body, delimiter, csv.QUOTE_MINIMAL, stem, first_row, limits)
    if delimiter == "\t" and len(rows) != len(lines):
        # SLiMS writes tab-separated text without any quoting: a title starting with '"' is not a quoted
        # field, and must not swallow the lines after it
        rows = _csv_rows(body, delimiter, csv.QUOTE_NONE, stem, first_row, limits)
    fmt = "tsv" if delimiter == "\t" else "csv"
    return [Sheet(name=stem, cells=_grid_table(rows), first_row=first_row)], fmt


def _csv_rows(body: str, delimiter: str, quoting: int, stem: str, first_row: int, limits: Limits) -> list[list[str]]:
    """Rows of delimited text; a cell longer than a spreadsheet cell can be, or a row wider than a sheet,
    refused with its row named (``csv`` itself would raise 'field larger than field limit')."""
    csv.field_size_limit(limits.cell_chars)
    reader = csv.reader(io.StringIO(body), delimiter=delimiter, quoting=quoting)
    rows: list[list[str]] = []
    cells = width = 0
    try:
        for row in reader:
            if len(row) > width:
                width = len(row)
                if width > limits.columns:
                    raise UnreadableFile("too_many_columns", sheet=stem, **numbers(columns=width,
                                                                                   limit=limits.columns))
            cells += len(row)
            if len(rows) * width > limits.cells and cells > 0:
                check_grid(limits, stem, len(rows) + 1, width, f"{column_letters(width - 1)}{len(rows) + 1}")
            rows.append(row)
    except csv.Error as exc:
        if "field larger" not in str(exc):
            raise UnreadableFile("unreadable") from exc
        row = first_row + reader.line_num - 1
        limit = numbers(limit=limits.cell_chars)
        raise UnreadableFile("cell_too_long", place_id=f"baris {row}", place_en=f"row {row}",
                             chars_id=f"lebih dari {limit['limit_id']}", chars_en=f"more than {limit['limit_en']}",
                             **limit) from exc
    return rows


# -------------------------------------------------------------------- html
class _TableParser(HTMLParser):
    """Rows as a spreadsheet program shows an HTML file: text blocks before a
    table become rows of their own, colspan/rowspan cells become merged ranges."""

    BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "caption", "title"}

    def __init__(self, limits: Limits | None = None, sheet: str = ""):
        super().__init__(convert_charrefs=True)
        self.limits = limits or Limits()
        self.sheet = sheet
        self.width = 0
        self.rows: list[list[str | None]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self._in_table = 0
        self._row: list[str | None] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._block: list[str] | None = None
        self._pending: dict[tuple[int, int], bool] = {}  # cells covered by a rowspan from above
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self._flush_block()
            self._in_table += 1
        elif tag == "tr" and self._in_table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._span = (_int_attr(attrs.get("rowspan")), _int_attr(attrs.get("colspan")))
        elif tag == "br":
            if self._cell is not None:
                self._cell.append("<br>")
            elif self._block is not None:
                self._flush_block()
                self._block = []
        elif tag in self.BLOCKS and not self._in_table:
            self._flush_block()
            self._block = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            row_index = len(self.rows)
            col = len(self._row)
            while self._pending.pop((row_index, col), False):
                self._row.append(None)
                col += 1
            text = html.unescape("".join(self._cell)).strip()
            rowspan, colspan = self._span
            self._bound(row_index, col, rowspan, colspan)
            self._row.append(text or None)
            self._row.extend([None] * (colspan - 1))
            if rowspan > 1 or colspan > 1:
                self.merged.append((row_index, col, row_index + rowspan - 1, col + colspan - 1))
                for r in range(row_index + 1, row_index + rowspan):
                    for c in range(col, col + colspan):
                        self._pending[(r, c)] = True
            self._cell = None
        elif tag == "tr" and self._row is not None:
            row_index = len(self.rows)
            col = len(self._row)
            while self._pending.pop((row_index, col), False):
                self._row.append(None)
                col += 1
            self._bound(row_index, 0, 1, len(self._row))
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_table = max(0, self._in_table - 1)
        elif tag in self.BLOCKS and not self._in_table:
            self._flush_block()

    def _bound(self, row: int, col: int, rowspan: int, colspan: int):
        """Refuse a span or a grid past the limits before any row or pending cell is made for it."""
        limits = self.limits
        if rowspan > limits.span or colspan > limits.span:
            span = max(rowspan, colspan)
            raise UnreadableFile("span_too_large", sheet=self.sheet, cell=f"{column_letters(col)}{row + 1}",
                                 attr="rowspan" if rowspan >= colspan else "colspan",
                                 **numbers(span=span, limit=limits.span))
        self.width = max(self.width, col + colspan)
        height = max(row + rowspan, len(self.rows) + 1)
        far = f"{column_letters(self.width - 1)}{height}"
        check_grid(limits, self.sheet, height, self.width, far)
        if len(self._pending) + (rowspan - 1) * colspan > limits.cells // 10:
            raise UnreadableFile("grid_too_large", sheet=self.sheet, cell=far,
                                 **numbers(cells=len(self._pending) + (rowspan - 1) * colspan, limit=limits.cells // 10))

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._in_table:
            if self._block is None:
                self._block = []
            self._block.append(data)

    def _flush_block(self):
        if self._block is not None:
            text = " ".join("".join(self._block).split())
            if text:
                self.rows.append([text])
        self._block = None

    def close(self):
        super().close()
        self._flush_block()


def _int_attr(value) -> int:
    try:
        return max(1, int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def _read_html(text: str, name: str, limits: Limits | None = None) -> list[Sheet]:
    parser = _TableParser(limits, Path(name).stem)
    parser.feed(text)
    parser.close()
    if not any(len(r) > 1 for r in parser.rows):
        raise UnreadableFile("no_table")
    return [Sheet(name=Path(name).stem, cells=_grid_table(parser.rows), merged=parser.merged)]
