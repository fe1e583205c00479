"""Month-column tables ("matrices"): SLiMS statistic screens (visitors by
member type, loans by classification), their exports, and the recaps staff
type by hand.

Rows are categories, member types, services or facilities; columns are the
months of a year (``Jan … Mei … Agu … Okt … Nop … Des`` or the full names,
with or without the year), usually with a total row and a total column::

    No | Klasifikasi | Jan | Feb | ... | Des | Jumlah
    1  | 000         |  3  |  5  | ... |  2  |   40
    ...
       | JUMLAH      | 81  | 77  | ... | 64  |  901

The table is unpivoted into the same normalised records the validator makes
of monthly recap rows (loans: one per facility, month and category or
borrower group; visits: one per facility, month and visitor group or
service), so the warehouse sees no difference. A month may be split into
``L | P | Jml`` sub-columns (visits keep the split). Totals are checked and
never counted: the total column against each row, the total row against the
rows above it, ``Jml`` against L + P, and in SLiMS' loans-by-class export the
main class against its sub-classes (indented on screen; in the tab-separated
export, where SLiMS trims the indent and writes every sub-class as its main
class, a run of rows of one class whose first row is the sum of the others).

The year comes from the month headers (``Jan 2024``), a year written above
them, the title rows (``TAHUN 2024``), the sheet name or the file name;
without one the sheet is refused with a message asking staff to write it in
the title. Months all 0 or empty before the first and after the last month
with figures are not reported (statistic screens show 0 for months to come).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl import parse
from etl.cells import Collector, cell_text, lp_total, merged_top, parse_column, raw_column
from etl.facilities import Register
from etl.i18n import dates, fmt_month
from etl.layout import HEAD_ROWS, SYNONYMS, TOTAL_WORDS, YEAR, Layout, hint_score, read_context
from etl.specs import DATASETS, IGNORED_HEADERS, header_key
from etl.validate import OUTPUT, Options, SheetResult, row_facilities

MATRIX_DATASETS = ("loans", "visits")
# what a matrix row may stand for, per dataset
DIMENSIONS = {"loans": ("facility", "category", "borrower_group", "service"),
              "visits": ("facility", "visitor_group", "service")}
GROUP_FIELD = {"loans": "borrower_group", "visits": "visitor_group"}
COUNT_FIELD = {"loans": "n_loans", "visits": "n_visitors"}
TOTAL_HEADER = re.compile(r"^\s*(jumlah|total|jml|grand total|sub ?total)\b", re.I)
INDENT = re.compile(r"^[\s\u00a0\u2000-\u200b\u3000]+\S")
SUB_PARTS = {"l": "l", "lk": "l", "laki laki": "l", "pria": "l", "p": "p", "pr": "p", "perempuan": "p", "wanita": "p",
             "jumlah": "total", "total": "total", "jumlah total": "total"}


@dataclass
class Matrix:
    """Where the months are in a matrix sheet. Column indices are 0-based in
    the sheet's cells; ``months`` maps a column to ``(month, year or None)``."""
    header_row: int
    months: dict[int, tuple[int, int | None]]
    total_col: int | None = None
    labels: dict[int, str] = field(default_factory=dict)      # label column -> header as shown ('' when blank)
    year_above: int | None = None                              # a year written over the month headers
    ignored: list[int] = field(default_factory=list)           # row-number columns
    # 'L | P | Jml' under each month (and the total): month or total column -> {'l'|'p'|'total': column}
    parts: dict[int, dict[str, int]] = field(default_factory=dict)
    sub_row: int | None = None
    total_text: str = ""                                       # the total column's header as shown

    def parts_of(self, c: int) -> dict[str, int]:
        return self.parts.get(c) or {"total": c}

    @property
    def columns(self) -> set[int]:
        cols = set(self.labels)
        for c in [*self.months, *([self.total_col] if self.total_col is not None else [])]:
            cols |= set(self.parts_of(c).values())
        return cols


# ------------------------------------------------------------------- finding
def _month_cells(row: list) -> dict[int, tuple[int, int | None]]:
    out = {}
    for c, cell in enumerate(row):
        if cell is None or cell == "":
            continue
        m = parse.parse_month_header(cell)
        if m:
            out[c] = m
    return out


def _in_calendar_order(months: dict[int, tuple[int, int | None]]) -> bool:
    seq = [months[c] for c in sorted(months)]
    if all(y is not None for _, y in seq):
        keys = [y * 12 + m for m, y in seq]
        return all(b > a for a, b in zip(keys, keys[1:]))
    if any(y is not None for _, y in seq):
        return False  # some with a year, some without: not a clean month row
    return all(b[0] > a[0] for a, b in zip(seq, seq[1:]))


def _header_text(rows: list[list], r: int, c: int, merged) -> tuple[str, bool]:
    """The header of column ``c`` for a month row ``r``: its own text, or the
    text above it (a two-row header: 'Klasifikasi' merged over both rows).
    Returns the text and whether the row above was used."""
    text = cell_text(rows[r][c]) if c < len(rows[r]) else ""
    if text:
        return text, False
    anchor = merged_top(merged, r, c)
    if anchor and anchor != (r, c):
        return cell_text(rows[anchor[0]][anchor[1]]), anchor[0] < r
    above = rows[r - 1] if r > 0 else []
    if c < len(above) and cell_text(above[c]) and sum(1 for x in above if cell_text(x)) >= 2:
        return cell_text(above[c]), True  # an unmerged two-row header (a one-cell row above is a title)
    return "", False


def _is_row_numbers(values: list[str]) -> bool:
    numbers = [v for v in values if v]
    return len(numbers) >= 2 and all(v.isdigit() for v in numbers) and \
        [int(v) for v in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))


def _infer_dimension(values: list[str], dataset: str, register: Register) -> str:
    """What an unnamed label column holds, judged by its values."""
    values = [v for v in values if v and not TOTAL_WORDS.match(v)]
    if not values:
        return "category" if dataset == "loans" else GROUP_FIELD[dataset]

    def share(test) -> float:
        return sum(1 for v in values if test(v)) / len(values)

    def is_facility(v):
        return register.find_in_text(v) is not None

    def is_service(v):
        try:
            return parse.parse_service(v) is not None
        except parse.ParseError:
            return False

    def is_group(v):
        return parse.parse_borrower_group(v) not in (None, "lainnya")

    if share(is_facility) >= 0.8:
        return "facility"
    if share(is_service) == 1:
        return "service"
    if share(is_group) >= 0.8 or dataset == "visits":
        return GROUP_FIELD[dataset]
    return "category"


def find_matrix(rows: list[list], merged, sheet_name: str, register: Register,
                datasets: tuple[str, ...] | None = None) -> Layout | None:
    """A month-column table in the first rows of a sheet, or None."""
    allowed = [d for d in MATRIX_DATASETS if datasets is None or d in datasets]
    if not allowed:
        return None
    head = rows[:HEAD_ROWS]
    titles_lower = " ".join(cell_text(c).lower() for r in head[:12] for c in r if c)
    for r, row in enumerate(head):
        months = _month_cells(row)
        if len(months) < 2 or not _in_calendar_order(months):
            continue
        first, last = min(months), max(months)
        if any(cell_text(row[c]) for c in range(first, last + 1) if c not in months):
            continue  # something other than months between the months: not a plain matrix
        used_above = False
        total_col, total_text = None, ""
        width = max(len(x) for x in head)
        for c in range(last + 1, width):
            text, above = _header_text(head, r, c, merged)
            if text and TOTAL_HEADER.match(text):
                total_col, total_text, used_above = c, text, used_above or above
                break
        parts, sub_row = _sub_columns(head, r, months, total_col, width)
        below = [head[k] for k in range((sub_row or r) + 1, len(head))]
        labels: dict[int, str] = {}
        ignored: list[int] = []
        for c in range(first):
            text, above = _header_text(head, r, c, merged)
            values = [cell_text(b[c]) if c < len(b) else "" for b in below]
            if header_key(text) in IGNORED_HEADERS or (not text and _is_row_numbers(values)):
                ignored.append(c)
                continue
            if text or any(values):
                labels[c] = text
                used_above = used_above or above
        if not labels:
            continue
        year_above = None
        if r > 0:
            over = " ".join(cell_text(head[r - 1][c]) for c in months if c < len(head[r - 1]) and head[r - 1][c])
            found = YEAR.search(over)
            year_above = int(found.group(1)) if found else None
            used_above = used_above or bool(over)
        header_rows = ((r - 1,) if used_above else ()) + (r,) + ((sub_row,) if sub_row else ())
        matrix = Matrix(r, months, total_col, labels, year_above, ignored, parts, sub_row, total_text)
        return _choose_dataset(head, header_rows, matrix, sheet_name, titles_lower, register, allowed)
    return None


def _sub_columns(head, r: int, months, total_col, width) -> tuple[dict[int, dict[str, int]], int | None]:
    """'L | P | Jml' written under each month in the row below the months."""
    if r + 1 >= len(head):
        return {}, None
    sub = head[r + 1]
    found_any = False
    parts: dict[int, dict[str, int]] = {}
    stops = sorted(months) + ([total_col] if total_col is not None else [])
    for i, c in enumerate(stops):
        end = stops[i + 1] if i + 1 < len(stops) else min(width, c + 3)
        found: dict[str, int] = {}
        for k in range(c, end):
            part = SUB_PARTS.get(header_key(cell_text(sub[k]))) if k < len(sub) else None
            if part and part not in found:
                found[part] = k
        parts[c] = found
        found_any = found_any or bool(found)
    if not found_any or any(not p for c, p in parts.items() if c in months):
        return {}, None
    return parts, r + 1


def _choose_dataset(head, header_rows, mx: Matrix, sheet_name: str, titles_lower: str, register: Register,
                    allowed: list[str]) -> Layout | None:
    r = mx.header_row
    below = head[(mx.sub_row or r) + 1:]
    ranked: list[tuple[tuple, str, dict[str, int], list[tuple[int, str]]]] = []
    for ds in allowed:
        dims: dict[str, int] = {}
        unknown: list[tuple[int, str]] = []
        fits = True
        for c, text in mx.labels.items():
            key = header_key(text)
            fieldname = SYNONYMS[ds].get(key) if key else None
            if fieldname is None:
                values = [cell_text(b[c]) if c < len(b) else "" for b in below]
                fieldname = _infer_dimension(values, ds, register)
                if fieldname in dims:
                    unknown.append((c, text))
                    continue
            elif fieldname not in DIMENSIONS[ds] or fieldname in dims:
                fits = False
                break
            dims[fieldname] = c
        if not fits or not dims:
            continue
        hint = hint_score(DATASETS[ds], "" if header_key(sheet_name).startswith("sheet") else sheet_name,
                          titles_lower)
        if SYNONYMS[ds].get(header_key(mx.total_text)) == COUNT_FIELD[ds] and not _shared_total(mx.total_text):
            hint += 1  # 'Jumlah Peminjaman' over the total column
        # rows of classes are loans (SLiMS' loans by class); rows of member types are visits unless the title
        # or sheet says otherwise (SLiMS' visitor statistic); rows of units or services need the title
        affinity = 2 if "category" in dims else (1 if "visitor_group" in dims else 0)
        ranked.append(((hint, affinity), ds, dims, unknown))
    if not ranked:
        return None
    ranked.sort(key=lambda x: x[0], reverse=True)
    rank, ds, dims, unknown = ranked[0]
    ties = sorted(d for k, d, _, _ in ranked if k == rank)
    headers = {c: (text or DATASETS[ds].column(f).header_id) for f, c in dims.items() for text in [mx.labels[c]]}
    headers.update({c: cell_text(head[r][c]) for c in mx.months})
    if mx.total_col is not None:
        headers[mx.total_col] = mx.total_text
    base = {c: headers[c] for c in mx.parts}
    for c, parts in mx.parts.items():
        for k in parts.values():
            headers[k] = f"{base[c]} {cell_text(head[mx.sub_row][k])}"
    layout = Layout(dataset=ds, header_rows=header_rows, columns=dims, headers=headers, unknown=unknown,
                    matrix=mx, candidates=ties)
    layout.data_start = (mx.sub_row or r) + 1
    layout.context = read_context(head[:header_rows[0]], register, ds)
    return layout


def _shared_total(text: str) -> bool:
    """'Jumlah' names the count of every dataset: no hint in it."""
    key = header_key(text)
    return sum(1 for d in MATRIX_DATASETS if SYNONYMS[d].get(key) == COUNT_FIELD[d]) > 1


# ---------------------------------------------------------------- validating
def validate_matrix(sheet, layout: Layout, opts: Options, file_name: str, is_csv: bool) -> SheetResult:
    """Unpivot a matrix sheet into normalised recap records; check its totals."""
    ds = DATASETS[layout.dataset]
    mx: Matrix = layout.matrix
    indices = np.array(layout.data_rows, dtype=np.int64)
    n = len(indices)
    rows = sheet.first_row + indices
    col = Collector(file_name, sheet.name, is_csv, rows, opts.key)
    headers = {f: layout.headers.get(c, f) for f, c in layout.columns.items()}
    month_cols = sorted(mx.months)
    month_header = {c: layout.headers.get(c) or f"{c}" for c in month_cols}

    # the year of every month column
    ctx = layout.context
    fallback = mx.year_above or ctx.year or _year_in(sheet.name) or _year_in(Path(file_name).stem)
    month_of: dict[int, dt.date] = {}
    for c in month_cols:
        m, y = mx.months[c]
        y = y or fallback
        if y is not None:
            month_of[c] = dt.date(y, m, 1)
    if len(month_of) < len(month_cols):
        col.add_sheet("matrix_no_year", row=sheet.first_row + mx.header_row, value=month_header[month_cols[0]])
        col.rejected_by_sheet_error.update(range(n))
        return _result(sheet, layout, ds, n, rows, col, [], indices)

    # formula cells saved without their value: an error naming the cell
    uncomputed = getattr(sheet, "uncomputed", None)
    if uncomputed:
        position = {int(r): k for k, r in enumerate(indices)}
        for r, c in sorted(uncomputed):
            if int(r) in position and int(c) in mx.columns:
                col.add(position[int(r)], "formula_without_value", layout.headers.get(int(c)), None)

    # the row dimensions
    raw = {f: raw_column(sheet, c, indices) for f, c in layout.columns.items()}
    facility = row_facilities({"facility": raw["facility"]} if "facility" in raw else {}, headers, layout, opts, col, n)
    dims: dict[str, pd.Series] = {}
    kinds = {"category": ("category", parse.parse_category), "borrower_group": ("group", parse.parse_borrower_group),
             "visitor_group": ("group", parse.parse_borrower_group), "service": ("service", parse.parse_service)}
    for f in layout.columns:
        if f != "facility":
            kind, parser = kinds[f]
            dims[f] = parse_column(raw[f], kind, parser, col, headers[f])
    labels = [[_cell(x) for x in raw[f]] for f, c in sorted(layout.columns.items(), key=lambda x: x[1])]
    label_text = [" ".join(parse.clean_text(texts[i]) for texts in labels).strip() for i in range(n)]

    # the counts: one per month, or 'Jml' (else L + P) under a month with L/P sub-columns
    counts, men, women = {}, {}, {}
    for c in month_cols:
        counts[c], men[c], women[c] = _month_counts(sheet, layout, mx.parts_of(c), indices, col)
    values = np.column_stack([counts[c].fillna(0).to_numpy(dtype=np.int64) for c in month_cols]) if n else \
        np.zeros((0, len(month_cols)), dtype=np.int64)
    given = np.column_stack([counts[c].notna().to_numpy() for c in month_cols]) if n else \
        np.zeros((0, len(month_cols)), dtype=bool)
    # a cell that is written but unreadable (already an error): its column's totals cannot be checked
    errors_in = {p.column for ps in col.by_index.values() for p in ps if p.severity == "error"}
    unreadable = np.array([any(layout.headers.get(k) in errors_in for k in mx.parts_of(c).values())
                           for c in month_cols], dtype=bool)
    for i in range(n):
        if given[i].any() and not label_text[i] and not col.has_error(i):
            col.add(i, "matrix_label_missing", None, None, label=headers[next(iter(layout.columns))])

    # the total column: each row's months add up to it
    total_header = layout.headers.get(mx.total_col) if mx.total_col is not None else None
    row_totals = None
    if mx.total_col is not None:
        row_totals = _month_counts(sheet, layout, mx.parts_of(mx.total_col), indices, col)[0]
        total_header = layout.headers.get(mx.parts_of(mx.total_col).get("total", mx.total_col), total_header)
        stated = row_totals.to_numpy(dtype="float64", na_value=np.nan)
        sums = values.sum(axis=1)
        for i in np.flatnonzero(~np.isnan(stated) & (stated != sums)):
            if not col.has_error(i):
                col.add(int(i), "matrix_row_total_mismatch", total_header, int(stated[i]), expected=int(sums[i]))

    # SLiMS loans by class: a main class followed by its (indented) sub-classes is their subtotal
    keys = [(facility[i],) + tuple(dims[f].iloc[i] for f in sorted(dims)) for i in range(n)]
    parents = _subtotal_groups(labels[0]) or _subtotal_runs(keys, values, given)
    child_of = np.full(n, -1)
    for p, children in parents.items():
        child_of[children] = p
        for k, c in enumerate(month_cols):
            expected = int(values[children, k].sum())
            if given[p, k] and int(values[p, k]) != expected:
                col.add(p, "matrix_subtotal_mismatch", month_header[c], int(values[p, k]), expected=expected,
                        first=int(rows[children[0]]), last=int(rows[children[-1]]))
    counted = np.ones(n, dtype=bool)
    counted[list(parents)] = False

    # total rows: each equals the rows above it (since the previous total row, or all of them)
    _check_total_rows(sheet, layout, mx, month_cols, month_header, values, counted, indices, col, unreadable)

    # months before the first and after the last month with any figure (all empty or 0) are not reported:
    # a statistic screen shows 0 for the months before the library software was used and for those to come;
    # a 0 between reported months is a real 0
    today_month = opts.today.replace(day=1)
    with_figures = [k for k in range(len(month_cols)) if (given[:, k] & (values[:, k] != 0) & counted).any()]
    span = range(with_figures[0], with_figures[-1] + 1) if with_figures else range(0)
    reported = []
    skipped = []
    for k, c in enumerate(month_cols):
        if k not in span:
            skipped.append(month_header[c])
            continue
        if month_of[c] > today_month:
            for i in np.flatnonzero(given[:, k] & (values[:, k] != 0)):
                col.add(int(i), "matrix_future_month", month_header[c], int(values[i, k]),
                        month=fmt_month(month_of[c], opts.lang), **dates(today=opts.today))
            continue
        reported.append(k)
    if skipped:
        col.add_sheet("matrix_months_skipped", "info", value=", ".join(skipped))

    # duplicates: the same label twice (siblings under one SLiMS main class excepted)
    first_seen: dict[tuple, int] = {}
    for i in range(n):
        if not counted[i] or not given[i].any() or facility[i] is None:
            continue
        same = (keys[i], label_text[i].lower())
        j = first_seen.setdefault(same, i)
        if j != i and not (child_of[i] >= 0 and child_of[i] == child_of[j]):
            col.add(i, "duplicate_row", None, None, other=int(rows[j]), what=_what(ds.key, layout))

    bad = set(col.bad().tolist())
    split = None
    if any(men[c] is not None or women[c] is not None for c in month_cols):
        split = tuple(np.column_stack([(s[c] if s[c] is not None else pd.Series([pd.NA] * n, dtype="Int64"))
                                       .to_numpy(dtype="float64", na_value=np.nan) for c in month_cols])
                      for s in (men, women))
    records = _records(ds.key, layout, facility, dims, values, given, counted, reported, month_cols, month_of,
                       rows, bad, n, keys, split)
    n_months = len(reported)
    if n_months and records:
        col.add_sheet("matrix_read", "info", rows_n=int(counted.sum()), months_n=n_months,
                      first=fmt_month(month_of[month_cols[reported[0]]], opts.lang, long=False),
                      last=fmt_month(month_of[month_cols[reported[-1]]], opts.lang, long=False),
                      value=str(len(records)))
    if parents:
        col.add_sheet("matrix_subtotals", "info", row=int(rows[min(parents)]),
                      row_to=int(rows[max(parents)]) if len(parents) > 1 else None)
    return _result(sheet, layout, ds, n, rows, col, records, indices)


def _year_in(name: str) -> int | None:
    """The one year a sheet or file name states ('2024', 'Statistik 2024', 'rekap_2024-08.xlsx')."""
    found = set(re.findall(r"(?<!\d)(20\d{2})(?!\d)", name or ""))
    return int(found.pop()) if len(found) == 1 else None


def _month_counts(sheet, layout: Layout, parts: dict[str, int], indices, col: Collector):
    """The count of one month (or of the total column) per row, with its L
    and P when the sheet splits it; 'Jml' is checked against L + P."""
    parsed = {part: parse_column(raw_column(sheet, k, indices), "count", parse.parse_count, col,
                             layout.headers.get(k)) for part, k in parts.items()}
    total, men, women = parsed.get("total"), parsed.get("l"), parsed.get("p")
    if men is None and women is None:
        return total, None, None
    blank = pd.Series([pd.NA] * len(indices), dtype="Int64")
    lp = lp_total(men if men is not None else blank, women if women is not None else blank)
    if total is None:
        return lp, men, women
    if men is not None and women is not None:
        wrong = (total.notna() & men.notna() & women.notna() & (total != men + women)).fillna(False)
        for i in np.flatnonzero(wrong.to_numpy(dtype=bool)):
            a, b = int(men.iloc[i]), int(women.iloc[i])
            col.add(int(i), "lp_mismatch", layout.headers.get(parts["total"]), int(total.iloc[i]), l=a, p=b, sum=a + b)
    # only L or only P written: it cannot exceed 'Jml'
    for one, other, part in ((men, women, "L"), (women, men, "P")):
        if one is None:
            continue
        alone = one.notna() & (other.isna() if other is not None else True) & total.notna() & (one > total)
        for i in np.flatnonzero(alone.fillna(False).to_numpy(dtype=bool)):
            col.add(int(i), "lp_exceeds_total", layout.headers.get(parts["total"]), int(total.iloc[i]), part=part,
                    n=int(one.iloc[i]))
    return total.where(total.notna(), lp).astype("Int64"), men, women


def _stated(sheet, t: int, parts: dict[str, int]) -> int | None:
    """What a total row says for one month: its 'Jml', else L + P."""
    found = {}
    for part, k in parts.items():
        try:
            found[part] = parse.parse_count(sheet.cells.column(f"c{k}")[t].as_py())
        except parse.ParseError:
            found[part] = None
    if found.get("total") is not None:
        return found["total"]
    if found.get("l") is None and found.get("p") is None:
        return None
    return (found.get("l") or 0) + (found.get("p") or 0)


def _what(dataset: str, layout: Layout) -> str:
    names = {"facility": "fasilitas", "category": "kategori", "borrower_group": "kelompok",
             "visitor_group": "kelompok", "service": "layanan"}
    return ", ".join(names[f] for f in layout.columns)


def _cell(value) -> str:
    """A raw cell as text ('' when empty; pandas' str columns hold NaN there)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _subtotal_groups(texts: list[str]) -> dict[int, list[int]]:
    """Rows followed by indented rows (SLiMS writes sub-classes indented under
    their main class): parent index -> child indices."""
    n = len(texts)
    indented = [bool(INDENT.match(t)) for t in texts]
    if not any(indented) or all(indented[i] or not texts[i].strip() for i in range(n)):
        return {}
    groups: dict[int, list[int]] = {}
    parent = None
    for i in range(n):
        if indented[i]:
            if parent is not None:
                groups.setdefault(parent, []).append(i)
        elif texts[i].strip():
            parent = i
    return groups


def _subtotal_runs(keys: list[tuple], values: np.ndarray, given: np.ndarray) -> dict[int, list[int]]:
    """The same without indentation (SLiMS' tab-separated export trims every
    line, and writes every sub-class as its main class): a run of rows of one
    category whose first row is the sum of the others."""
    groups: dict[int, list[int]] = {}
    n = len(keys)
    i = 0
    while i < n:
        j = i + 1
        while j < n and keys[j] == keys[i]:
            j += 1
        if j - i >= 3 and given[i].any() and (values[i] == values[i + 1:j].sum(axis=0)).all():
            groups[i] = list(range(i + 1, j))
        i = j
    return groups


def _check_total_rows(sheet, layout: Layout, mx: Matrix, month_cols, month_header, values, counted, indices, col,
                      unreadable):
    if not layout.total_rows:
        return
    data_rows = indices
    previous = -1
    columns = list(month_cols) + ([mx.total_col] if mx.total_col is not None else [])
    for t in layout.total_rows:
        row_number = sheet.first_row + t
        above = (data_rows > previous) & (data_rows < t) & counted
        everything = (data_rows < t) & counted
        previous = t
        checked = mismatch = False
        for k, c in enumerate(columns):
            stated = _stated(sheet, t, mx.parts_of(c))
            if stated is None or (unreadable[k] if k < len(month_cols) else unreadable.any()):
                continue
            checked = True
            if k < len(month_cols):
                segment, cumulative = int(values[above, k].sum()), int(values[everything, k].sum())
                header = month_header[c]
            else:
                segment, cumulative = int(values[above].sum()), int(values[everything].sum())
                header = layout.headers.get(c)
            if stated not in (segment, cumulative):
                mismatch = True
                col.add_sheet("total_mismatch", row=row_number, column=header, value=str(stated),
                              expected=str(segment if above.any() else cumulative))
        if not mismatch:
            col.add_sheet("total_checked" if checked else "total_skipped", "info", row=row_number)


def _records(dataset: str, layout: Layout, facility, dims, values, given, counted, reported, month_cols, month_of,
             rows, bad: set[int], n: int, keys, split=None) -> list[dict]:
    """One record per (row key, month); rows that share a key (sub-classes of
    one DDC main class) are added up, the first row kept as the source."""
    agg: dict[tuple, list] = {}
    for i in range(n):
        if i in bad or not counted[i] or facility[i] is None:
            continue
        for k in reported:
            if not given[i, k]:
                continue
            key = keys[i] + (month_of[month_cols[k]],)
            men = women = None
            if split is not None:
                men, women = (None if np.isnan(x[i, k]) else int(x[i, k]) for x in split)
            if key in agg:
                agg[key][0] += int(values[i, k])
                agg[key][3] = None if agg[key][3] is None or men is None else agg[key][3] + men
                agg[key][4] = None if agg[key][4] is None or women is None else agg[key][4] + women
            else:
                agg[key] = [int(values[i, k]), i, k, men, women]
    out = []
    group_field = GROUP_FIELD[dataset]
    for key, (total, i, k, men, women) in agg.items():
        rec = {"facility_code": facility[i], "month": month_of[month_cols[k]], "source_row": int(rows[i])}
        for f in dims:
            rec[f] = dims[f].iloc[i]
        if dataset == "loans":
            rec.update(n_loans=total, is_recap=True, service=rec.get("service") or "perpustakaan")
        else:  # loans split by L/P count loans, not borrowers: only visits keep the split
            rec.update(n_visitors=total, is_total=True, is_group=False, service=rec.get("service") or "perpustakaan",
                       visitors_l=men, visitors_p=women)
        rec.setdefault(group_field, None)
        out.append(rec)
    return out


def _result(sheet, layout: Layout, ds, n: int, rows, col, records: list[dict], indices):
    m = len(records)
    frame = pd.DataFrame(index=range(m))
    for c in OUTPUT[ds.key]:
        column = [r.get(c) for r in records]
        if c in ("month", "loan_date", "visit_date", "due_date", "return_date"):
            frame[c] = pd.Series(np.array([np.datetime64(x, "s") if x is not None else np.datetime64("NaT")
                                           for x in column], dtype="datetime64[s]"))
        elif c in ("n_loans", "n_visitors", "borrowers_l", "borrowers_p", "visitors_l", "visitors_p", "service_days"):
            frame[c] = pd.Series(column, dtype="Int64")
        elif c in ("is_recap", "is_total", "is_group", "returned"):
            frame[c] = pd.Series(column, dtype="boolean")
        else:
            frame[c] = pd.Series(column, dtype=object)
    frame["source_sheet"] = sheet.name
    frame["source_row"] = np.array([r["source_row"] for r in records], dtype=np.int64)
    sheet_errors = [p for p in col.sheet_level if p.severity == "error"]
    mx: Matrix = layout.matrix
    shown = sorted(mx.columns)
    rejected = []
    for i in col.bad():
        values = {}
        for c in shown:
            cell = sheet.cells.column(f"c{c}")[int(indices[i])].as_py()
            if cell is not None:
                values[layout.headers.get(c) or f"#{c + 1}"] = parse.shown(cell, 200)
        rejected.append({"row": int(rows[i]), "values": values,
                         "problems": col.by_index.get(int(i)) or sheet_errors})
    problems = col.sheet_level + [p for i in sorted(col.by_index) for p in col.by_index[i]]
    return SheetResult(sheet.name, ds.key, n, frame, rejected, problems)
