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
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa

SMALL_FILE = 4 * 1024 * 1024  # below this, merged-cell ranges are read too


class UnreadableFile(ValueError):
    """The file cannot be opened as a spreadsheet; ``code`` is a message key."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Sheet:
    name: str
    cells: pa.Table                 # string columns c0..cN
    first_row: int = 1              # spreadsheet row number of cells' row 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based in cells
    hidden: bool = False

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


def sniff(data: bytes) -> str:
    """``xlsx``, ``ods``, ``xls`` (BIFF), ``biff`` (a bare BIFF record stream), ``html`` or ``text``."""
    head = data[:4096]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype"):
                    return "ods"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("bad_zip") from exc
        raise UnreadableFile("not_spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith((b"\x09\x08", b"\x09\x04", b"\x09\x02")) and len(head) >= 12:
        return "biff"  # older SLiMS: BOF and LABEL records written straight out, without the OLE container
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head", b"<body", b"<style")) \
            or (b"<table" in text and b"<td" in text):
        return "html"
    if b"\x00" in head:
        raise UnreadableFile("not_spreadsheet")
    return "text"


def read_workbook(path: str | Path, data: bytes | None = None, name: str | None = None) -> Workbook:
    """Read ``path`` (or ``data``, an upload's bytes, named ``name``)."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    name = name or path.name
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise UnreadableFile("empty_file")
    kind = sniff(data)
    if kind in ("xlsx", "ods", "xls"):
        sheets = _read_excel(data, kind)
        fmt = kind
    elif kind == "html":
        sheets = _read_html(_decode(data), name)
        fmt = "html"
    elif kind == "biff":
        sheets = [_read_biff_stream(data, name)]
        fmt = "xls"
    else:
        sheets, fmt = _read_text(_decode(data), name)
    return Workbook(name=name, format=fmt, sha256=sha, size=len(data), sheets=sheets)


# ------------------------------------------------------------------- excel
def _read_excel(data: bytes, kind: str) -> list[Sheet]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        raise UnreadableFile("corrupt", detail=str(exc).splitlines()[0][:200]) from exc
    merges = _merged_ranges(data) if len(data) <= SMALL_FILE else {}
    sheets = []
    for index, sheet_name in enumerate(reader.sheet_names):
        try:
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            table = sheet.to_arrow()
            hidden = str(getattr(sheet, "visible", "visible")).lower() != "visible"
        except Exception as exc:
            if "empty" in str(exc).lower() or "no rows" in str(exc).lower():
                table, hidden = pa.table({}), False
            else:
                raise UnreadableFile("corrupt", detail=str(exc).splitlines()[0][:200]) from exc
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        sheets.append(Sheet(name=sheet_name, cells=table, merged=merges.get(sheet_name, []), hidden=hidden))
    return sheets


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


def _read_biff_stream(data: bytes, name: str) -> Sheet:
    """The ``.xls`` older SLiMS versions send: a bare BIFF stream (a BOF
    record, one LABEL or NUMBER record per cell, an EOF record) that no
    spreadsheet library opens, as Excel does, without its OLE container."""
    import struct

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
        raise UnreadableFile("corrupt", detail="berkas .xls lama tanpa isi")
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    rows = [[cells.get((r, c)) or None for c in range(width)] for r in range(height)]
    return Sheet(name=Path(name).stem, cells=_grid_table(rows))


# -------------------------------------------------------------------- text
def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _grid_table(rows: list[list[str | None]]) -> pa.Table:
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{i}": [r[i] if i < len(r) and r[i] not in ("",) else None for r in rows] for i in range(width)}
    return pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})


def _read_text(text: str, name: str) -> tuple[list[Sheet], str]:
    lines = text.splitlines()
    first_row = 1
    delimiter = None
    if lines and (m := re.match(r'^"?sep=(.)"?\s*$', lines[0].strip(), re.I)):
        delimiter = m.group(1)
        lines = lines[1:]  # Excel consumes the sep= line: row 1 is the next line
    body = "\n".join(lines)
    if delimiter is None:
        sample = "\n".join(lines[:50])
        counts = {d: sum(line.count(d) for line in lines[:50]) for d in ("\t", ";", ",", "|")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        try:
            sniffed = csv.Sniffer().sniff(sample, delimiters="\t;,|").delimiter
            if counts.get(sniffed, 0) >= counts[delimiter] * 0.8:
                delimiter = sniffed
        except csv.Error:
            pass
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    if delimiter == "\t" and len(rows) != len(lines):
        # SLiMS writes tab-separated text without any quoting: a title starting with '"' is not a quoted
        # field, and must not swallow the lines after it
        rows = list(csv.reader(io.StringIO(body), delimiter=delimiter, quoting=csv.QUOTE_NONE))
    fmt = "tsv" if delimiter == "\t" else "csv"
    stem = Path(name).stem
    return [Sheet(name=stem, cells=_grid_table(rows), first_row=first_row)], fmt


# -------------------------------------------------------------------- html
class _TableParser(HTMLParser):
    """Rows as a spreadsheet program shows an HTML file: text blocks before a
    table become rows of their own, colspan/rowspan cells become merged ranges."""

    BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "caption", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
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
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_table = max(0, self._in_table - 1)
        elif tag in self.BLOCKS and not self._in_table:
            self._flush_block()

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


def _read_html(text: str, name: str) -> list[Sheet]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    if not any(len(r) > 1 for r in parser.rows):
        raise UnreadableFile("no_table")
    return [Sheet(name=Path(name).stem, cells=_grid_table(parser.rows), merged=parser.merged)]
