"""How big a file staff may send, checked before anything big is allocated.

A spreadsheet reader allocates the bounding box of the cells it finds: one cell
at ``XFD1048576`` in a 1 KB xlsx is a grid of 17 billion cells, a few KB of HTML
with ``colspan="100000"`` likewise. ``etl.readers`` measures that box from the
file's own bytes (cell references, repeat counts, spans, record headers) and
refuses a file past any of these limits with one sentence naming the place.
"""

from __future__ import annotations

import html as _html
import queue
import re
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from etl.i18n import numbers

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 100 * MB        # the file as uploaded
    unpacked_bytes: int = 512 * MB    # one member of an xlsx/ods zip, unpacked (a 200,000-row export: 72 MB)
    zip_members: int = 10_000         # members of an xlsx/ods zip
    cells: int = 10_000_000           # rows x columns of the grid a reader would allocate, per sheet
    rows: int = 1_048_576             # Excel's own row limit
    columns: int = 16_384             # Excel's own column limit (XFD)
    sheets: int = 255
    cell_chars: int = 32_767          # Excel's own limit for the text of one cell
    span: int = 1_000                 # HTML colspan/rowspan (browsers clamp colspan at 1,000 too)
    merged_ranges: int = 20_000       # merged ranges per sheet (each header cell is looked up in them)


# ------------------------------------------------------------------ helpers
class Refused(ValueError):
    """A file past a limit or unsafe to hand to a reader; ``code`` is a message key of ``etl.messages``."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def column_letters(index: int) -> str:
    """0 -> A, 16383 -> XFD."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_index(letters: bytes | str) -> int:
    """A -> 0, XFD -> 16383."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def check_grid(limits: Limits, sheet: str, rows: int, columns: int, far: str) -> None:
    """Refuse a grid of ``rows`` x ``columns`` (the box a reader would allocate); ``far`` names its far cell."""
    if rows * columns > limits.cells:
        raise Refused("grid_too_large", sheet=sheet, cell=far, **numbers(cells=rows * columns, limit=limits.cells))
    if rows > limits.rows:
        raise Refused("too_many_rows", sheet=sheet, **numbers(rows=rows, limit=limits.rows))
    if columns > limits.columns:
        raise Refused("too_many_columns", sheet=sheet, **numbers(columns=columns, limit=limits.columns))


# ---------------------------------------------------------------- zip files

CHUNK = 8 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_zip(data: bytes, zf: zipfile.ZipFile, limits: Limits) -> None:
    """Members, their unpacked sizes, and no DOCTYPE/ENTITY in any XML part (read from its prolog)."""
    infos = zf.infolist()
    if len(infos) > limits.zip_members:
        raise Refused("zip_too_many_members", **numbers(members=len(infos), limit=limits.zip_members))
    for info in infos:
        if info.file_size > limits.unpacked_bytes:
            raise Refused("zip_member_too_large", member=info.filename,
                          **numbers(size=-(-info.file_size // MB), limit=limits.unpacked_bytes // MB))
        if info.flag_bits & 0x1:
            raise Refused("encrypted")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size:
            try:
                with zf.open(info) as f:
                    head = f.read(64 * 1024)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:
                raise Refused("bad_zip") from exc
            if _DOCTYPE.search(head):
                raise Refused("xml_entities", member=info.filename)


def _blocks(zf: zipfile.ZipFile, name: str):
    """The unpacked blocks of one member, unpacked in a second thread (zlib lets go of the GIL) while the caller
    scans the block before: the scan of a 72 MB sheet costs little more than unpacking it."""
    out: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item) -> None:
        while not stop.is_set():  # the reader may have stopped (a refusal): never block on a full queue
            try:
                out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def unpack():
        try:
            with zf.open(name) as f:
                while not stop.is_set():
                    block = f.read(CHUNK)
                    hand_over(block)
                    if not block:
                        return
        except Exception as exc:  # noqa: BLE001 - handed to the reading thread, which raises it
            hand_over(exc)

    worker = threading.Thread(target=unpack, name="unpack-" + name, daemon=True)
    worker.start()
    try:
        while True:
            block = out.get()
            if isinstance(block, Exception):
                raise block
            if not block:
                return
            yield block
    finally:
        stop.set()
        worker.join()


def _stream(zf: zipfile.ZipFile, name: str, marker: bytes = b"<c "):
    """Chunks of one member, each cut before the last ``marker`` (a cell, a row) so none straddles two chunks."""
    carry = b""
    try:
        for block in _blocks(zf, name):
            data = carry + block if carry else block
            cut = data.rfind(marker, max(0, len(data) - 1_048_576))
            if cut < 0:
                cut = data.rfind(marker)
            if cut <= 0:
                carry = data
                continue
            carry = data[cut:]
            yield data[:cut]
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # CRC mismatch: a header that lies about sizes
        raise Refused("bad_zip") from exc
    if carry:
        yield carry


@dataclass
class SheetScan:
    """What the byte scan of one sheet found (grid indices as fastexcel hands the grid over)."""
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    number_cells: set[tuple[int, int]] | None = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)   # Excel error values ('#REF!') by cell


def _greater(n: int) -> bytes:
    """A regex for decimal numbers (no leading zero) greater than ``n``."""
    s = str(n)
    k = len(s)
    alts = [rb"[1-9]\d{%d,}" % k]
    for i in range(k):
        d = int(s[i])
        if d < 9:
            alts.append(s[:i].encode() + b"[%d-9]" % (d + 1) + (rb"\d{%d}" % (k - i - 1) if k - i - 1 else b""))
    return b"(?:" + b"|".join(alts) + b")"


_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_NUMBER_V = re.compile(rb"<v>-?(?:\d{16,}(?:\.\d*)?|\d(?:\.\d+)?[eE]\+?(?:1[5-9]|[2-9]\d|\d{3}))</v>")
_UNCOMPUTED = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>')
_CELL_T = re.compile(rb'\bt="([A-Za-z]+)"')
# a cell holding an Excel error value (readers hand it over as empty): <c r="B5" t="e"><f>..</f><v>#REF!</v></c>
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*\bt="e"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]{1,32})</v>')
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"(?:[^>]*[^/>])?>')
_NUMBER_V_RE2 = rb"<v>-?(?:\d{16}|\d(?:\.\d+)?[eE]\+?(?:1[5-9]|[2-9]\d|\d{3}))"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _not_in(columns: set[bytes]) -> bytes:
    """An RE2 pattern for column letters (1-3, followed by a digit) that are not one of ``columns``."""
    trie: dict = {}
    for c in columns:
        node = trie
        for ch in c:
            node = node.setdefault(ch, {})
        node[None] = True

    def walk(node: dict, depth: int) -> bytes | None:
        options = []
        if depth and None not in node:
            options.append(rb"\d")
        if depth < 3:
            others = bytes(ch for ch in _LETTERS if ch not in node)
            if others:
                options.append(b"[" + others + b"]" + (rb"[A-Z]{0,%d}" % (2 - depth) if depth < 2 else b"") + rb"\d")
            for ch, child in sorted((k, v) for k, v in node.items() if k is not None):
                if (rest := walk(child, depth + 1)) is not None:
                    options.append(bytes([ch]) + rest)
        if not options:
            return None
        return b"(?:" + b"|".join(options) + b")"

    return walk(trie, 0) or b""


class _Extent:
    """The bounding box of an xlsx sheet's value cells, found with as few passes over the bytes as possible:
    one regex search for a value cell outside the box known so far (a new column letter or a bigger row),
    re-compiled only when the box grows."""

    def __init__(self, sheet: str, limits: Limits):
        self.sheet, self.limits = sheet, limits
        self.columns: set[bytes] = set()
        self.max_row = 0
        self.far = ""
        self.pattern = None
        self.number_refs: list[tuple[int, int]] = []   # (row, col) absolute, 1-based row
        self.uncomputed_refs: list[tuple[int, int]] = []
        self.error_refs: dict[tuple[int, int], str] = {}
        self.irregular = False   # a cell without r="..." first: positions are implied, fall back to counting
        self.numbers_seen = False  # this chunk's long numbers are collected
        self.formulas_seen = False  # this chunk's formulas without a value are collected
        self.errors_seen = False  # this chunk's error cells are collected

    def _compile(self):
        outside = _not_in(self.columns)
        cells = [rb'<c r="[A-Z]{1,3}' + _greater(self.max_row) + rb'"']
        if outside:
            cells.append(rb'<c r="' + outside + rb'\d*"')
        value = rb'(?:[^>]*[^/>])?>'  # a cell with a value: <c r="B5" s="1"> and not only formatted <c r="B5" s="1"/>
        parts = [b"(?:" + b"|".join(cells) + b")" + value, rb"<c>", rb"<c [^r]", rb"<c r[^=]"]
        if not self.numbers_seen:
            parts.append(_NUMBER_V_RE2)
        if not self.formulas_seen:
            parts.append(rb"<f[ >]")
        if not self.errors_seen:
            parts.append(rb'\bt="e"')
        self.pattern = (b"(" + b"|".join(parts) + b")").decode()

    def _search(self, chunk: bytes, pos: int) -> tuple[int, bytes] | None:
        """The first match at or after ``pos``: RE2 (Arrow's) scans a chunk about five times faster than ``re``."""
        view = memoryview(chunk)[pos:]
        offsets = pa.py_buffer(struct.pack("<ii", 0, len(view)))
        array = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(view)])
        found = pc.extract_regex(array, "(?P<m>" + self.pattern[1:])[0]
        if not found.is_valid:
            return None
        text = found["m"].as_py()
        return chunk.find(text, pos), text

    def _grow(self, letters: bytes, row: int):
        grew = False
        if letters not in self.columns:
            self.columns.add(letters)
            grew = True
        if row > self.max_row:
            self.max_row = row
            grew = True
        if grew:
            self.far = f"{letters.decode()}{row}"
            self.check()
            self.pattern = None

    def check(self):
        cols = [column_index(c) for c in self.columns]
        width = max(cols) - min(cols) + 1 if cols else 0
        far_col = column_letters(max(cols)) if cols else "A"
        check_grid(self.limits, self.sheet, self.max_row, width, f"{far_col}{self.max_row}" if cols else self.far)

    def feed(self, chunk: bytes):
        if self.irregular:
            return self._count(chunk)
        # rows come in order in every producer's files: start from the last cell of the chunk
        last = len(chunk)
        for _ in range(1000):  # the last cell with a value (an only formatted cell, <c r=".." s=".."/>, is none)
            last = chunk.rfind(b'<c r="', 0, last)
            if last < 0:
                break
            end = chunk.find(b">", last)
            if end > 0 and chunk[end - 1:end] != b"/":
                if m := _CELL_REF.match(chunk, last):
                    self._grow(m.group(1), int(m.group(2)))
                break
        for m in _VALUE_CELL.finditer(chunk, 0, 65_536):  # the columns of the first rows, found the plain way
            if m.group(1) not in self.columns or int(m.group(2)) > self.max_row:
                self._grow(m.group(1), int(m.group(2)))
        pos, found = 0, 0
        while True:
            if self.pattern is None:
                self._compile()
            hit = self._search(chunk, pos)
            if hit is None:
                break
            found += 1
            if found > 200:  # a file built to defeat the search: count the slow way
                self.irregular = True
                return self._count(chunk[pos:])
            at, text = hit
            if text.startswith(b"<v>"):  # a number of 16 digits or more somewhere: find them all, once per chunk
                self.numbers_seen = True
                self.pattern = None
                self._numbers(chunk, at)
                pos = at
                continue
            if text.startswith(b"<f"):  # formulas: find those saved without a value, once per chunk
                self.formulas_seen = True
                self.pattern = None
                cell = chunk.rfind(b"<c ", 0, at)
                for m in _UNCOMPUTED.finditer(chunk, max(cell, 0)):
                    self.uncomputed_refs.append((int(m.group(2)), column_index(m.group(1))))
                pos = at
                continue
            if text.startswith(b"t="):  # Excel error values: collect them all, once per chunk
                self.errors_seen = True
                self.pattern = None
                for m in _ERROR_CELL.finditer(chunk, max(chunk.rfind(b"<c ", 0, at), 0)):
                    self.error_refs[(int(m.group(2)), column_index(m.group(1)))] = m.group(3).decode("ascii", "replace")
                pos = at + 1
                continue
            ref = _CELL_REF.match(chunk, at)
            if ref is None:  # <c> or <c s=".." r=".."> : attributes in another order or no reference at all
                self.irregular = True
                return self._count(chunk[at:])
            self._grow(ref.group(1), int(ref.group(2)))
            pos = at
        if self.numbers_seen or self.formulas_seen or self.errors_seen:
            self.numbers_seen = self.formulas_seen = self.errors_seen = False
            self.pattern = None

    def _numbers(self, chunk: bytes, start: int):
        for m in _NUMBER_V.finditer(chunk, start):
            cell = chunk.rfind(b"<c ", 0, m.start())
            ref = _CELL_REF.match(chunk, cell) if cell >= 0 else None
            if ref is None:
                continue
            kind = _CELL_T.search(chunk, cell, chunk.find(b">", cell))
            if kind is None or kind.group(1) == b"n":
                self.number_refs.append((int(ref.group(2)), column_index(ref.group(1))))

    _ANY_CELL = re.compile(rb'<row\b([^>]*?)(/?)>|<c\b([^>]*?)(/?)>')
    _R = re.compile(rb'\br="([A-Z]{0,3})(\d*)"')

    def _count(self, chunk: bytes):
        """Every row and cell, positions implied where ``r`` is missing (as calamine does)."""
        row, col = self.max_row, -1
        for m in self._ANY_CELL.finditer(chunk):
            if m.group(3) is None:  # a row
                attrs = m.group(1)
                r = self._R.search(attrs)
                row = int(r.group(2)) if r and r.group(2) else row + 1
                col = -1
                continue
            attrs, closed = m.group(3), m.group(4)
            r = self._R.search(attrs)
            if r and r.group(1):
                col = column_index(r.group(1))
                if r.group(2):
                    row = int(r.group(2))
            else:
                col += 1
            if closed:
                continue  # an empty, only formatted cell: readers skip it
            self._grow(column_letters(col).encode(), max(row, 1))

    def scan(self, limits: Limits) -> SheetScan:
        cols = [column_index(c) for c in self.columns]
        col0 = min(cols) if cols else 0
        return SheetScan(uncomputed={(r - 1, c - col0) for r, c in self.uncomputed_refs},
                         number_cells={(r - 1, c - col0) for r, c in self.number_refs},
                         errors={(r - 1, c - col0): text for (r, c), text in self.error_refs.items()})


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"|<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def scan_xlsx(zf: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Bound every worksheet of an xlsx before a reader allocates it; returns what the scan found per sheet name."""
    names = set(zf.namelist())
    workbook = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
    rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        target = target.decode("utf-8", "replace").lstrip("/")
        targets[rid] = target if target.startswith("xl/") else "xl/" + target
    sheets: list[tuple[str, str | None]] = []
    for m in _SHEET.finditer(workbook):
        name, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        sheets.append((_html.unescape(name.decode("utf-8", "replace")), targets.get(rid)))
    if len(sheets) > limits.sheets:
        raise Refused("too_many_sheets", **numbers(sheets=len(sheets), limit=limits.sheets))
    by_member = {member: name for name, member in sheets if member}
    # every worksheet part, named or not, is bounded: a reader may open any of them
    members = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    out = {}
    for member in members:
        sheet = by_member.get(member, member.rsplit("/", 1)[-1])
        extent = _Extent(sheet, limits)
        for chunk in _stream(zf, member):
            extent.feed(chunk)
        out[sheet] = extent.scan(limits)
    return out


# ----------------------------------------------------------------------- ods
_ODS_TOKEN = re.compile(rb'<table:table((?:\s[^>]*)?)>|<table:table-row((?:\s[^>]*?)?)(/?)>|</table:table-row>'
                        rb'|<table:(?:covered-)?table-cell((?:\s[^>]*?)?)(/?)>')
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def scan_ods(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Bound every table of an ods: a non-empty cell repeated (``number-columns-repeated``) in a row repeated
    (``number-rows-repeated``) is a grid the reader builds in full."""
    if "content.xml" not in zf.namelist():
        return
    tables = 0
    sheet, row, row_rep, col, row_max_col, max_row, min_col, max_col = "", 0, 1, 0, -1, -1, None, -1

    def check():
        if max_row >= 0 and max_col >= 0:
            check_grid(limits, sheet, max_row + 1, max_col - (min_col or 0) + 1,
                       f"{column_letters(max_col)}{max_row + 1}")

    for chunk in _stream(zf, "content.xml", b"<table:table-row"):
        for m in _ODS_TOKEN.finditer(chunk):
            if m.group(1) is not None:  # a new table
                tables += 1
                if tables > limits.sheets:
                    raise Refused("too_many_sheets", **numbers(sheets=tables, limit=limits.sheets))
                name = _ODS_NAME.search(m.group(1))
                sheet = _html.unescape(name.group(1).decode("utf-8", "replace")) if name else f"Sheet{tables}"
                row, max_row, min_col, max_col = 0, -1, None, -1
            elif m.group(2) is not None:  # a row starts (or is empty: <table:table-row .../>)
                rep = _ROWS_REPEATED.search(m.group(2))
                row_rep, col, row_max_col = (int(rep.group(1)) if rep else 1), 0, -1
                if m.group(3):
                    row += row_rep
            elif m.group(4) is not None:  # a cell
                rep = _COLS_REPEATED.search(m.group(4))
                n = int(rep.group(1)) if rep else 1
                if not m.group(5) or b"value-type" in m.group(4):
                    row_max_col = col + n - 1
                    min_col = col if min_col is None else min(min_col, col)
                col += n
            else:  # </table:table-row>
                if row_max_col >= 0:
                    max_row = row + row_rep - 1
                    max_col = max(max_col, row_max_col)
                    check()
                row += row_rep


# ----------------------------------------------------------------------- xls
class _Cfb:
    """Just enough of a Compound File Binary (OLE2) reader to get one stream out, with every chain bounded."""

    FREE, END = 0xFFFFFFFF, 0xFFFFFFFE

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise Refused("unreadable")
        self.data = data
        self.ssz = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mssz = 1 << struct.unpack_from("<H", data, 0x20)[0]
        if self.ssz not in (512, 4096) or self.mssz != 64:
            raise Refused("unreadable")
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)[0], struct.unpack_from("<I", data, 0x30)[0]
        self.cutoff, first_mini, n_mini, first_difat, _n_difat = struct.unpack_from("<IIIII", data, 0x38)
        self.n_sectors = max(0, (len(data) - self.ssz) // self.ssz)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector, seen = first_difat, 0
        per = self.ssz // 4 - 1
        while sector < self.n_sectors and seen <= self.n_sectors:
            block = self.sector(sector)
            difat += struct.unpack_from(f"<{per}I", block)
            sector = struct.unpack_from("<I", block, per * 4)[0]
            seen += 1
        fat_sectors = [s for s in difat[:n_fat] if s < self.n_sectors]
        self.fat = b"".join(self.sector(s) for s in fat_sectors)
        self.dir = self.chain(first_dir, self.fat, self.ssz, self.sector)
        self.entries = []
        for off in range(0, len(self.dir) - 127, 128):
            raw = self.dir[off:off + 128]
            length = struct.unpack_from("<H", raw, 64)[0]
            name = raw[:max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            kind, start, size = raw[66], struct.unpack_from("<I", raw, 116)[0], struct.unpack_from("<I", raw, 120)[0]
            self.entries.append((name, kind, start, size))
        self.minifat = self.chain(first_mini, self.fat, self.ssz, self.sector) if n_mini else b""
        root = next((e for e in self.entries if e[1] == 5), None)
        self.ministream = self.chain(root[2], self.fat, self.ssz, self.sector) if root else b""

    def sector(self, n: int) -> bytes:
        return self.data[(n + 1) * self.ssz:(n + 2) * self.ssz]

    def chain(self, start: int, table: bytes, size: int, read) -> bytes:
        out, seen, limit = [], 0, len(table) // 4
        while start < limit and seen <= limit:
            out.append(read(start))
            start = struct.unpack_from("<I", table, start * 4)[0]
            seen += 1
        return b"".join(out)

    def stream(self, name: str) -> bytes | None:
        for entry, kind, start, size in self.entries:
            if kind == 2 and entry.lower() == name.lower():
                if size < self.cutoff:
                    raw = self.chain(start, self.minifat, self.mssz,
                                     lambda n: self.ministream[n * self.mssz:(n + 1) * self.mssz])
                else:
                    raw = self.chain(start, self.fat, self.ssz, self.sector)
                return raw[:size]
        return None

    def names(self) -> set[str]:
        return {e[0].lower() for e in self.entries if e[1] == 2}


# cell records: row in the first two bytes, column in the next two (MULRK: first and last column)
_CELL_RECORDS = {0x00FD, 0x0204, 0x0203, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0004, 0x0003, 0x0002, 0x0005}
_MULRK = 0x00BD


def biff_extent(stream: bytes, limits: Limits, name: str | None = None) -> None:
    """Bound every worksheet of a BIFF stream from its cell records, before a reader allocates."""
    sheets: dict[int, str] = {}
    pos, n = 0, len(stream)
    current, max_row, min_col, max_col, in_globals, bofs = "", -1, None, -1, True, 0
    unpack = struct.unpack_from
    while pos + 4 <= n:
        kind, length = unpack("<HH", stream, pos)
        body_at = pos + 4
        if kind == 0x0809 or kind in (0x0009, 0x0209, 0x0409):  # BOF
            bofs += 1
            if bofs > 1 or name is not None:
                in_globals = False
            current = sheets.get(pos, name or f"Sheet{bofs - 1}")
            max_row, min_col, max_col = -1, None, -1
        elif kind == 0x002F and in_globals:  # FILEPASS: the workbook is encrypted
            raise Refused("encrypted")
        elif kind == 0x0085 and in_globals and length >= 8:  # BOUNDSHEET: where each sheet's BOF is, its name
            offset = unpack("<I", stream, body_at)[0]
            cch, flags = stream[body_at + 6], stream[body_at + 7] if length > 7 else 0
            raw = stream[body_at + 8: body_at + 8 + cch * (2 if flags & 1 else 1)]
            sheets[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            if len(sheets) > limits.sheets:
                raise Refused("too_many_sheets", **numbers(sheets=len(sheets), limit=limits.sheets))
        elif (kind in _CELL_RECORDS or kind == _MULRK) and length >= 4 and not in_globals:
            row, col = unpack("<HH", stream, body_at)
            last = unpack("<H", stream, body_at + length - 2)[0] if kind == _MULRK and length >= 6 else col
            if row > max_row or last > max_col or min_col is None or col < min_col:
                max_row = max(max_row, row)
                max_col = max(max_col, last)
                min_col = col if min_col is None else min(min_col, col)
                check_grid(limits, current, max_row + 1, max_col - min_col + 1,
                           f"{column_letters(max_col)}{max_row + 1}")
        pos = body_at + length


def scan_xls(data: bytes, limits: Limits) -> None:
    """An xls in its OLE container: encrypted xlsx (an OLE file too) refused, the Workbook stream bounded."""
    try:
        cfb = _Cfb(data)
    except (struct.error, IndexError) as exc:
        raise Refused("unreadable") from exc
    names = cfb.names()
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise Refused("encrypted")
    stream = cfb.stream("Workbook")
    if stream is None:
        stream = cfb.stream("Book")
    if stream is None:
        raise Refused("unreadable")
    biff_extent(stream, limits)
