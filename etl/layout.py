"""Find the table inside a sheet: which dataset it is, where its header is,
which column is which field, and what the rows above the table say.

Hand-made sheets carry a letterhead, a title, label rows (``Hari / Tanggal :
Selasa, 6 Agustus 2024``), a ``No`` column, two-row headers (``Jumlah Peserta``
over ``L | P``), a row of column numbers, JUMLAH/TOTAL rows, blank spacer rows
and notes or signatures under the table. This module reads all of that and
says what it did, so nothing is skipped in silence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl import parse
from etl.cells import cell_text, merged_top
from etl.facilities import Register
from etl.specs import DATASETS, IGNORED_HEADERS, Dataset, header_key

HEAD_ROWS = 40
SUB_TOKENS = {"l", "p", "laki laki", "perempuan", "lk", "pr", "pria", "wanita", "jumlah", "total", "jml", "jumlah total"}
_TOTAL = r"jumlah|total|jumlah total|grand total|sub ?total|jml|total keseluruhan"
_FOOTER = (r"keterangan|catatan|ket\b|mengetahui|menyetujui|kepala|kasi\b|kasubsi|petugas perpustakaan|pustakawan|"
           r"pengelola perpustakaan|nip\b|dibuat oleh|diketahui|disetujui|sumber\b|note|\*")
TOTAL_WORDS = re.compile(rf"^\s*({_TOTAL})\b", re.I)
# rows computed from the others that are no total: never data, never checked
_SUMMARY = r"rata[\s\-]*rata|rerata|average|persentase|prosentase|percentage|%"
SUMMARY_WORDS = re.compile(rf"^\s*({_SUMMARY})", re.I)
FOOTER_WORDS = re.compile(rf"^\s*({_FOOTER})", re.I)
SUSPECT_RE2 = rf"(?i)^\s*({_TOTAL}|{_FOOTER}|{_SUMMARY})"  # the same words, for Arrow's RE2 screening
PLACE_DATE = re.compile(r"^[A-Za-z .]+,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}$")
YEAR = re.compile(r"\b(20\d{2})\b")
PLACE_LABELS = {"upt", "nama upt", "tempat", "lokasi", "lokasi upt", "lokasi perpustakaan", "satker", "unit",
                "nama satker", "instansi", "lapas", "rutan", "lapas rutan", "perpustakaan", "nama perpustakaan"}
UNIT_LABELS = {"upt", "nama upt", "lokasi upt", "satker", "nama satker", "unit", "lapas", "rutan", "lapas rutan"}
LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z /.\-]{1,40}?)\s*:\s*(.*)$")


def _index(dataset: Dataset) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in dataset.columns:
        for name in col.names():
            index.setdefault(header_key(name), col.key)
    return index


SYNONYMS: dict[str, dict[str, str]] = {key: _index(d) for key, d in DATASETS.items()}


@dataclass
class Note:
    """Something the layout engine did that staff should know of."""
    code: str
    row: int | None = None       # spreadsheet row number
    row_to: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict = field(default_factory=dict)


@dataclass
class Context:
    facility: str | None = None
    facility_row: int | None = None
    facility_text: str | None = None
    conflicting_facilities: list[tuple[str, str]] = field(default_factory=list)
    year: int | None = None
    month: object = None            # datetime.date of the first day, when the title names one month
    month_row: int | None = None    # the title row naming that month and no other (not a range of months)
    labels: dict[str, tuple[str, int]] = field(default_factory=dict)  # field -> (value, row number)


@dataclass
class Layout:
    dataset: str | None
    header_rows: tuple[int, ...] = ()
    data_start: int = 0
    columns: dict[str, int] = field(default_factory=dict)       # field -> column index
    headers: dict[int, str] = field(default_factory=dict)       # column index -> header as shown
    unknown: list[tuple[int, str]] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    data_rows: list[int] = field(default_factory=list)          # indices of rows to read
    total_rows: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    matrix: object = None                                        # etl.matrix.Matrix for month-column tables
    candidates: list[str] = field(default_factory=list)         # datasets that tied
    # two header cells for one field: (field, column read, column not read, same header text?)
    clashes: list[tuple[str, int, int, bool]] = field(default_factory=list)


def _is_sub_row(row: list) -> bool:
    cells = [header_key(cell_text(c)) for c in row if c not in (None, "")]
    return bool(cells) and sum(c in SUB_TOKENS for c in cells) >= max(1, len(cells) // 2)


def combined_headers(rows: list[list], r: int, merged) -> tuple[dict[int, str], bool]:
    """Column index -> header text for a header starting at row ``r``; uses row
    ``r+1`` as sub-header row when it holds L/P-like labels. Returns the headers
    and whether two rows were used."""
    top = rows[r]
    width = max(len(top), len(rows[r + 1]) if r + 1 < len(rows) else 0)
    sub = rows[r + 1] if r + 1 < len(rows) and _is_sub_row(rows[r + 1]) else None
    headers: dict[int, str] = {}
    last_top = ""
    for c in range(width):
        t = cell_text(top[c]) if c < len(top) else ""
        if not t:
            anchor = merged_top(merged, r, c)
            if anchor and anchor[0] == r and anchor[1] < c:
                t = cell_text(rows[r][anchor[1]])
            elif sub is not None and c < len(sub) and cell_text(sub[c]):
                t = last_top  # an unmerged two-row header: the label sits left
        else:
            last_top = t
        s = cell_text(sub[c]) if sub is not None and c < len(sub) else ""
        name = f"{t} {s}".strip() if s else t
        if name:
            headers[c] = name
    return headers, sub is not None


def map_headers(dataset: str, headers: dict[int, str]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    index = SYNONYMS[dataset]
    columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for c, name in headers.items():
        key = header_key(name)
        if key in IGNORED_HEADERS:
            continue
        fieldname = index.get(key)
        if fieldname is None:
            # "Jumlah Peserta L" -> try the last word alone for L/P under a group header
            tail = key.split()[-1] if key else ""
            fieldname = index.get(key.replace(" / ", " ")) or None
            if fieldname is None and tail in ("l", "p") and len(key.split()) > 1:
                fieldname = index.get(tail)
        if fieldname is None or fieldname in columns:
            unknown.append((c, name))
            continue
        columns[fieldname] = c
    return columns, unknown


def header_clashes(dataset: str, headers: dict[int, str], columns: dict[str, int],
                   unknown: list[tuple[int, str]]) -> list[tuple[str, int, int, bool]]:
    """Header cells that name a field another column already gives: the same
    header twice ('Tanggal Pinjam' | ... | 'Tanggal Pinjam'), or two synonyms
    of one field ('Tanggal' and 'Tanggal Pinjam'). ``map_headers`` reads the
    first and lists the other as unknown."""
    if not unknown:
        return []
    index = SYNONYMS[dataset]
    out = []
    for c, name in unknown:
        key = header_key(name)
        fieldname = index.get(key) or index.get(key.replace(" / ", " "))
        if fieldname is None:
            tail = key.split()[-1] if key else ""
            fieldname = index.get(tail) if tail in ("l", "p") and len(key.split()) > 1 else None
        if fieldname is None or fieldname not in columns:
            continue
        first = columns[fieldname]
        out.append((fieldname, first, c, header_key(headers.get(first, "")) == key))
    return out


def _score(dataset: Dataset, columns: dict[str, int]) -> float:
    if not columns:
        return 0
    generic = {"facility", "month", "year"}
    return sum(0.5 if f in generic else 1 for f in columns)


def hint_score(dataset: Dataset, sheet_name: str, titles: str) -> int:
    key = header_key(sheet_name)
    score = 0
    if any(header_key(n) == key or header_key(n) in key.split() for n in dataset.sheet_names):
        score += 2
    if any(w in titles for w in dataset.title_words):
        score += 1
    return score


def find_layout(rows: list[list], merged, sheet_name: str, register: Register,
                datasets: tuple[str, ...] | None = None) -> Layout:
    """The best reading of the first rows of a sheet (``rows`` = its head) as
    a table with one header row (or two) over its columns; ``Layout(None)``
    when none fits. Month-column tables are ``etl.matrix.find_matrix``'s;
    ``etl.pipeline.find_table`` chooses between the two."""
    head = rows[:HEAD_ROWS]
    titles_lower = " ".join(cell_text(c).lower() for r in head[:12] for c in r if c)
    best: tuple[float, int, str, dict, dict, list, bool] | None = None
    ties: set[str] = set()
    place_row = _place_label_row(head, register)
    for r in range(len(head)):
        if sum(1 for c in head[r] if c not in (None, "")) < 2:
            continue
        headers, two = combined_headers(head, r, merged)
        for key in datasets or tuple(DATASETS):
            ds = DATASETS[key]
            columns, unknown = map_headers(key, headers)
            score = _score(ds, columns)
            if "facility" not in columns and place_row is not None and place_row < r:
                score += 0.5  # 'UPT : Lapas Amuntai' above the table stands for the facility column
            if score < 2:
                continue
            hint = hint_score(ds, sheet_name, titles_lower)
            rank = (score, hint)
            if best is None or rank > (best[0], best[1]):
                best = (score, hint, key, columns, headers, unknown, two, r)
                ties = {key}
            elif rank == (best[0], best[1]) and r == best[7]:
                ties.add(key)
    if best is None:
        return Layout(dataset=None)
    score, hint, key, columns, headers, unknown, two, r = best
    clashes = header_clashes(key, headers, columns, unknown)
    clashing = {c for _, _, c, _ in clashes}
    layout = Layout(dataset=key, header_rows=(r, r + 1) if two else (r,), columns=columns,
                    headers=headers, unknown=[u for u in unknown if u[0] not in clashing], candidates=sorted(ties),
                    clashes=clashes)
    layout.data_start = r + (2 if two else 1)
    layout.context = read_context(head[:r], register, key)
    return layout


def _place_label_row(head: list[list], register: Register) -> int | None:
    """The first label row naming a unit ('Tempat : ...', 'UPT : ...', 'Lokasi : ...'), or None."""
    for i, row in enumerate(head):
        cells = [cell_text(c) for c in row if c not in (None, "")]
        if not cells or len(cells) > 3:
            continue
        line = " ".join(cells)
        m = LABEL.match(line.replace(" :", ":").replace(": ", ":", 1).replace(":", " : ", 1))
        if m and m.group(2).strip() and header_key(m.group(1)) in PLACE_LABELS:
            value = m.group(2).strip()
            # 'UPT : ...' is the unit whatever it says (a name no unit has is refused at that row);
            # 'Tempat : ...' only when it names a unit
            if header_key(m.group(1)) in UNIT_LABELS or register.find_in_text(value) or \
                    _safe_resolve(register, value):
                return i
    return None


def read_context(rows: list[list], register: Register, dataset: str) -> Context:
    """Facility, period and labelled facts written above the table."""
    ctx = Context()
    index = SYNONYMS[dataset]
    found: dict[str, tuple[int, str]] = {}
    for i, row in enumerate(rows):
        cells = [cell_text(c) for c in row if c not in (None, "")]
        if not cells:
            continue
        line = " ".join(cells)
        # label rows: "Hari / Tanggal : Selasa, 6 Agustus 2024" in one, two or three cells
        m = LABEL.match(line.replace(" :", ":").replace(": ", ":", 1).replace(":", " : ", 1))
        if m and m.group(2).strip():
            label = header_key(m.group(1))
            value = m.group(2).strip()
            fieldname = index.get(label) or {"upt": "facility", "nama upt": "facility", "bulan": "month",
                                             "periode": "month", "tahun": "year"}.get(label)
            if label in PLACE_LABELS and fieldname != "facility":
                # 'Tempat : Perpustakaan Lapas Kotabaru', 'Lokasi : Rutan Rantau': the place is a unit when it
                # names one (it stays the session's place, or the visit's room, as well)
                code = register.find_in_text(value) or _safe_resolve(register, value)
                if code:
                    found.setdefault(code, (i, value))
            if fieldname == "month":
                period = parse.parse_period(value)
                if period is not None:
                    value = period.strftime("%Y-%m")
                elif parse.month_number(value) is None:
                    fieldname = None  # 'Periode : 01-09-2024 s/d 31-10-2024': no one month; its year still counts
            if fieldname:
                ctx.labels.setdefault(fieldname, (value, i))
                if fieldname == "facility":
                    code = register.find_in_text(value) or _safe_resolve(register, value)
                    if code:
                        found.setdefault(code, (i, value))
                continue
        for cell in cells + ([line] if len(cells) > 1 else []):
            code = register.find_in_text(cell)
            if code:
                found.setdefault(code, (i, cell))
                break
        year = YEAR.search(line)
        if year and ctx.year is None and re.search(r"(tahun|periode|bulan|laporan|statistik|rekap|year|\d{4}\s*$)",
                                                   line, re.I):
            ctx.year = int(year.group(1))
        for word in re.findall(r"[A-Za-z]+\s+20\d{2}", line):
            try:
                month = parse.parse_month(word)
            except parse.ParseError:
                continue
            if month and ctx.month is None:
                ctx.month = month
                names = [w for w in re.findall(r"[A-Za-z]+", line) if parse.month_number(w) is not None]
                ctx.month_row = i if len(names) == 1 else None
    if "month" in ctx.labels and ctx.month is None:
        try:
            ctx.month = parse.parse_month(ctx.labels["month"][0])
        except parse.ParseError:
            pass
    if "year" in ctx.labels and ctx.year is None:
        m = YEAR.search(ctx.labels["year"][0])
        ctx.year = int(m.group(1)) if m else None
    if ctx.month is not None and ctx.year is None:
        ctx.year = ctx.month.year
    if len(found) == 1:
        code, (row, text) = next(iter(found.items()))
        ctx.facility, ctx.facility_row, ctx.facility_text = code, row, text
    elif len(found) > 1:
        ctx.conflicting_facilities = [(code, text) for code, (row, text) in found.items()]
    return ctx


def _safe_resolve(register: Register, text: str) -> str | None:
    try:
        return register.resolve(text)
    except ValueError:
        return None


def classify_rows(sheet, layout: Layout, register: Register | None = None) -> None:
    """Sort the rows under the header into data, total, spacer and footer rows.

    Fills ``layout.data_rows``/``total_rows`` and adds a note for every row it
    does not read as data. A footer (notes, signatures) is only a footer when no
    row under it looks like data again. Rows are screened column-wise with
    Arrow; only the few that might not be data are looked at one by one.
    """
    import numpy as np
    import pyarrow.compute as pc

    table = sheet.cells.slice(layout.data_start)
    n = table.num_rows
    if n == 0:
        return
    mapped = set(layout.columns.values()) | (layout.matrix.columns if layout.matrix is not None else set())
    dense = max(2, (len(mapped) + 1) // 2)
    filled = np.zeros((table.num_columns, n), dtype=bool)
    suspect = np.zeros(n, dtype=bool)
    for c in range(table.num_columns):
        col = table.column(c)
        # a cell is filled when it holds anything but whitespace (utf8_is_space is false for '')
        has_text = pc.and_(pc.greater(pc.binary_length(col), 0), pc.invert(pc.utf8_is_space(col)))
        filled[c] = pc.fill_null(has_text, False).to_numpy(zero_copy_only=False)
        if c < 4:
            hit = pc.fill_null(pc.match_substring_regex(col, SUSPECT_RE2), False).to_numpy(zero_copy_only=False)
            suspect |= hit
    count = filled.sum(axis=0)
    n_mapped = filled[sorted(mapped)].sum(axis=0) if mapped else np.zeros(n, dtype=int)
    suspect |= (count == 1)
    suspect[: 3] |= count[: 3] >= 3  # a row of column numbers sits right under the header
    kinds = np.where(count == 0, 0, 1).astype(object)  # 0 = spacer, 1 = data
    kinds[kinds == 1] = "data"
    seen_data = in_footer = False
    for i in sorted(set(np.flatnonzero(count > 0)[:3].tolist() + np.flatnonzero(suspect).tolist())):
        if kinds[i] == 0:
            continue
        cells = [table.column(c)[i].as_py() for c in range(table.num_columns)]
        values = [(c, cell_text(v)) for c, v in enumerate(cells) if v not in (None, "") and cell_text(v)]
        texts = [v for _, v in values]
        if not seen_data and i < 3 and len(texts) >= 3 and all(v.isdigit() for v in texts) and \
                [int(v) for v in texts] == list(range(int(texts[0]), int(texts[0]) + len(texts))):
            kinds[i] = "numbers"
            continue
        seen_data = True
        label = texts[0] if not texts[0].isdigit() or len(texts) == 1 else texts[1]
        sparse = n_mapped[i] < dense
        if TOTAL_WORDS.match(label):
            kinds[i] = "total"
        elif SUMMARY_WORDS.match(label):
            kinds[i] = "summary"
        elif FOOTER_WORDS.match(texts[0]) or PLACE_DATE.match(texts[0]) or (len(values) == 1 and len(texts[0]) > 40):
            kinds[i] = "footer" if sparse else "data"
            in_footer = in_footer or sparse
        elif in_footer and sparse and len(values) <= 2:
            kinds[i] = "footer"  # the signer's name under "Petugas Perpustakaan,"
        elif len(values) == 1 and _is_section(texts[0], register):
            kinds[i] = "section"
    data_or_total = np.flatnonzero((kinds == "data") | (kinds == "total"))
    last_data = data_or_total[-1] if len(data_or_total) else -1
    footer_rows = np.flatnonzero(kinds == "footer")
    # a note in the middle of the table is read (and validated) as data
    kinds[footer_rows[footer_rows < last_data]] = "data"
    offset = layout.data_start
    first_row = sheet.first_row
    layout.data_rows = (np.flatnonzero(kinds == "data") + offset).tolist()
    layout.total_rows = (np.flatnonzero(kinds == "total") + offset).tolist()
    for i in np.flatnonzero(kinds == "numbers"):
        layout.notes.append(Note("column_numbers_row", row=first_row + offset + int(i)))
    for i in np.flatnonzero(kinds == "summary"):
        layout.notes.append(Note("summary_row", row=first_row + offset + int(i)))
    for i in np.flatnonzero(kinds == "section"):
        layout.notes.append(Note("section_row", row=first_row + offset + int(i)))
    footer = np.flatnonzero(kinds == "footer")
    if len(footer):
        layout.notes.append(Note("footer_skipped", row=first_row + offset + int(footer[0]),
                                 row_to=first_row + offset + int(footer[-1])))


def _is_section(text: str, register: Register | None) -> bool:
    """A one-cell heading inside the table: a month ('JANUARI 2024', 'Bulan
    Februari') or a facility name."""
    words = re.sub(r"^(bulan|periode|month)\s*:?\s*", "", text.strip(), flags=re.I)
    try:
        if parse.parse_month(words, default_year=2000):
            return True
    except parse.ParseError:
        pass
    return bool(register and register.find_in_text(text))
