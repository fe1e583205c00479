"""Turn the rows of one recognised table into normalised records, and say
exactly what is wrong with every row that cannot be.

Values are parsed once per distinct value (a 200,000-row export has a few
hundred distinct dates) and every check is column-wise, so a big file costs
little more than reading it. A row with any error is rejected as a whole;
nothing is dropped silently.

Column representation: dates are ``datetime64[s]`` (NaT when empty), counts
``Int64``, yes/no ``boolean``, everything else ``object`` with ``None`` (big
columns of nearly all-distinct text, such as item codes, stay Arrow-backed
``str``, missing = NaN). Month-column tables are validated by ``etl.matrix``
into the same records as monthly recap rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import parse
from etl.cells import BOOL_KINDS, COUNT_KINDS, DATE_KINDS, REDACTED, Collector, id_token, lp_total, parse_column, \
    raw_column
from etl.facilities import FacilityNotFound, Register
from etl.i18n import dates, fmt_month, numbers
from etl.layout import Layout
from etl.limits import Limits
from etl.messages import Problem
from etl.privacy import pseudonymise
from etl.readers import Sheet
from etl.specs import DATASETS, PART_OF, Column, Dataset, header_key

PARSERS = {
    "date": parse.parse_date,
    "count": parse.parse_count,
    "gender": parse.parse_gender,
    "category": parse.parse_category,
    "group": parse.parse_borrower_group,
    "service": parse.parse_service,
    "audience": parse.parse_audience,
    "status": parse.parse_loan_status,
    "visit_kind": parse.parse_visit_kind,
    "text": parse.parse_text,
    "id": parse.parse_id,
    "scope": parse.parse_scope,
}

# the columns of the normalised records, per dataset (the warehouse's staging tables)
OUTPUT = {
    "loans": ["facility_code", "month", "loan_date", "item_code", "title", "category", "borrower_key",
              "borrower_group", "borrower_gender", "due_date", "return_date", "returned", "service", "n_loans",
              "borrowers_l", "borrowers_p", "is_recap"],
    "visits": ["facility_code", "month", "visit_date", "service", "visitor_key", "visitor_group", "gender",
               "is_group", "n_visitors", "visitors_l", "visitors_p", "service_days", "room", "is_total"],
    "training": ["facility_code", "month", "session_key", "title", "topic", "audience", "organiser", "partner",
                 "start_date", "end_date", "place", "participants_l", "participants_p", "participants", "notes"],
    "attendance": ["facility_code", "month", "session_key", "title", "topic", "audience", "organiser", "place",
                   "start_date", "participant_key", "gender", "role"],
    "occupancy": ["facility_code", "month", "snapshot_date", "snapshot_key", "occupants", "capacity", "source"],
    "packages": ["facility_code", "month", "package_date", "books_delivered", "books_returned", "package_label",
                 "notes"],
    "agreements": ["facility_code", "month", "agreement_key", "number_dispersip", "number_facility", "signed_on",
                   "valid_from", "valid_until", "scope", "document_sha256", "document_name", "notes"],
}


@dataclass
class Options:
    register: Register
    key: bytes                        # installation key for pseudonyms
    today: dt.date
    facility: str | None = None       # the upload choice / --facility
    file_facility: str | None = None  # named by the file name
    lang: str = "id"
    limits: Limits = field(default_factory=Limits)


@dataclass
class SheetResult:
    sheet: str
    dataset: str
    rows_read: int
    records: pd.DataFrame                  # normalised valid rows + source_sheet, source_row
    rejected: list[dict] = field(default_factory=list)   # {row, values (redacted), problems}
    problems: list[Problem] = field(default_factory=list)

    @property
    def cells(self) -> set[tuple[str, dt.date, str]]:
        """(facility, month, part) the valid rows cover (see ``specs.PART_OF``)."""
        return set(cell_counts(self.records, self.dataset))


def cell_counts(records: pd.DataFrame, dataset: str) -> dict[tuple[str, dt.date, str], int]:
    """Rows per (facility, month, part) of normalised records."""
    if records.empty:
        return {}
    part = records[PART_OF[dataset]] if dataset in PART_OF else ""
    frame = pd.DataFrame({"f": records["facility_code"], "m": records["month"], "p": part})
    grouped = frame.groupby(["f", "m", "p"], sort=True).size()
    return {(f, pd.Timestamp(m).date(), p): int(n) for (f, m, p), n in grouped.items()}


# ------------------------------------------------------------------ helpers
_BR = re.compile(r"<br\s*/?>", re.I)


def _blank_series(kind: str, n: int) -> pd.Series:
    if kind in DATE_KINDS:
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"))
    if kind in COUNT_KINDS:
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)))
    if kind in BOOL_KINDS:
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool)))
    return pd.Series(np.full(n, None, dtype=object), dtype=object)


def _month(dates: pd.Series) -> pd.Series:
    return pd.Series(dates.to_numpy().astype("datetime64[M]").astype("datetime64[s]"))


def _iso(value) -> str:
    return pd.Timestamp(value).date().isoformat()


# ---------------------------------------------------------------- validate
def validate_sheet(sheet: Sheet, layout: Layout, opts: Options, file_name: str, is_csv: bool) -> SheetResult:
    ds: Dataset = DATASETS[layout.dataset]
    indices = np.array(layout.data_rows, dtype=np.int64)
    n = len(indices)
    rows = sheet.first_row + indices
    col = Collector(file_name, sheet.name, is_csv, rows, opts.key)
    raw: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    for key, c in layout.columns.items():
        raw[key] = raw_column(sheet, c, indices)
        headers[key] = layout.headers.get(c, key)
    _header_clashes(sheet, layout, ds, col, n)
    _uncomputed(sheet, layout.columns, indices, raw, headers, col)
    # facts written above the table (label rows) apply to every row
    for key, (value, _row) in layout.context.labels.items():
        if key in ds.keys and key not in raw and key != "year":  # a year label is the title's year (ctx.year)
            raw[key] = pd.Series([value] * n, dtype=object)
            headers[key] = ds.column(key).header_id

    if "year" in raw:
        _month_with_year(raw, headers, col)
    out = pd.DataFrame(index=range(n))
    label = layout.context.labels.get("facility")
    from_label = label is not None and "facility" not in layout.columns
    facility = row_facilities(raw, headers, layout, opts, col, n,
                              label_row=sheet.first_row + label[1] if from_label else None)

    typed: dict[str, pd.Series] = {}
    for column in ds.columns:
        if column.key in ("facility", "year"):
            continue
        typed[column.key] = _typed(column, raw.get(column.key), headers.get(column.key, column.header_id), col,
                                   layout, n)
        if column.kind == "id" and column.key in raw:
            _rounded_ids(sheet, layout, column.key, typed[column.key], raw[column.key], indices, col,
                         headers[column.key])
    out["facility_code"] = facility
    builder = {"loans": _loans, "visits": _visits, "training": _training, "attendance": _attendance,
               "occupancy": _occupancy, "packages": _packages, "agreements": _agreements}[ds.key]
    builder(typed, raw, out, col, headers, opts)

    today = np.datetime64(opts.today, "s")
    for key in ("loan_date", "visit_date", "start_date", "end_date", "return_date", "snapshot_date", "package_date",
                "signed_on"):
        if key in out and key in raw:
            future = (out[key] > today).to_numpy()
            for i in np.flatnonzero(future):
                col.add(int(i), "future_date", headers.get(key, key), parse.clean_text(raw[key].iloc[i]),
                        **dates(today=opts.today))
    if "month" in typed and "month" in raw:
        _future_months(typed["month"], raw["month"], layout, sheet, headers, opts, col, n)
    _future_title_month(layout, sheet, opts, col, n)
    _counts_agree(ds.key, out, col, headers)
    _row_shapes(ds, out, raw, col, opts)
    _duplicates(ds.key, out, col)
    _check_totals(sheet, layout, ds, out, col)

    bad = col.bad()
    for c in OUTPUT[ds.key]:
        if c not in out:
            out[c] = None
    if len(bad):
        keep = np.ones(n, dtype=bool)
        keep[bad] = False
        records = out.loc[keep, OUTPUT[ds.key]].reset_index(drop=True)
        source_rows = rows[keep]
    else:
        records = out[OUTPUT[ds.key]]
        source_rows = rows
    records["source_sheet"] = sheet.name
    records["source_row"] = source_rows
    sheet_errors = [p for p in col.sheet_level if p.severity == "error"]
    rejected = []
    for i in bad:
        values = {headers[k]: _redact(ds.column(k), raw[k].iloc[i]) for k in raw if k in ds.keys}
        rejected.append({"row": int(rows[i]), "values": values,
                         "problems": col.by_index.get(int(i)) or sheet_errors})
    problems = col.sheet_level + [p for i in sorted(col.by_index) for p in col.by_index[i]]
    return SheetResult(sheet.name, ds.key, n, records, rejected, problems)


def _redact(column: Column, value) -> str | None:
    if value is None:
        return None
    return REDACTED if column.pii else parse.shown(value, 200)


def _column_number(layout: Layout, c: int) -> int:
    """A column's place counted from the table's left edge (1 = the leftmost column read)."""
    return c + 1


def _header_clashes(sheet: Sheet, layout: Layout, ds: Dataset, col: Collector, n: int):
    """The same header twice is an error (which column holds the data?);
    two synonyms of one field a warning saying which one was read."""
    row = sheet.first_row + layout.header_rows[0] if layout.header_rows else None
    for fieldname, first, second, same in getattr(layout, "clashes", ()):
        if same:
            col.add_sheet("duplicate_header", row=row, value=layout.headers.get(first, fieldname),
                          first=_column_number(layout, first), second=_column_number(layout, second))
            col.rejected_by_sheet_error.update(range(n))
        else:
            col.add_sheet("synonym_header", "warning", row=row, value=layout.headers.get(second, ""),
                          other=layout.headers.get(first, ""), field=ds.column(fieldname).header_id,
                          first=_column_number(layout, first), second=_column_number(layout, second))


def _uncomputed(sheet: Sheet, columns: dict[str, int], indices: np.ndarray, raw: dict[str, pd.Series],
                headers: dict[str, str], col: Collector):
    """Formula cells saved without their value (files written by scripts): an
    error naming the cell, which is then read as empty (no second message)."""
    cells = getattr(sheet, "uncomputed", None)
    if not cells:
        return
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(int(c), []).append(int(r))
    for key, c in columns.items():
        grid_rows = by_col.get(c)
        if not grid_rows:
            continue
        pos = np.searchsorted(indices, grid_rows)
        hits = [int(k) for k, r in zip(pos, grid_rows) if k < len(indices) and indices[k] == r]
        if not hits:
            continue
        for k in hits:
            col.add(k, "formula_without_value", headers.get(key, key), None)
        values = raw[key].astype(object).to_numpy(copy=True)
        values[hits] = None
        raw[key] = pd.Series(values, dtype="str")


def _rounded_ids(sheet: Sheet, layout: Layout, key: str, ids: pd.Series, raw: pd.Series, indices: np.ndarray,
                 col: Collector, header: str):
    """Ids of 16+ digits that end in the zeros of a 15-digit float. A cell
    stored as a number (``Sheet.number_cells``) was rounded by Excel; a text
    cell was typed as text and is a real id, unless most long ids of the
    column end so (genuine ids end in 0 about one time in ten): then the
    column was a number column pasted as text. The id is refused and the
    message shows a keyed token, never the digits."""
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    if not len(uniques):
        return
    arr = pa.array(uniques.tolist(), type=pa.string())
    long_ = pc.fill_null(pc.match_substring_regex(arr, r"^[0-9]{16,}$"), False).to_numpy(zero_copy_only=False)
    candidates = np.flatnonzero(pc.fill_null(pc.match_substring_regex(arr, r"^[0-9]{15}0+$"), False)
                                .to_numpy(zero_copy_only=False))
    if not len(candidates):
        return
    zeros = np.zeros(len(uniques) + 1, dtype=np.int64)
    zeros[candidates] = [parse.looks_rounded(uniques[k]) for k in candidates]
    long_ = np.append(long_, False)
    suspect = np.flatnonzero(zeros[codes] > 0)
    if not len(suspect):
        return
    number_cells = getattr(sheet, "number_cells", None)
    c = layout.columns.get(key)
    if number_cells is not None and c is not None:
        mangled = [int(i) for i in suspect if (int(indices[i]), c) in number_cells]
    else:
        # evidence that the column was a number column: ids ending in a float's zeros, and ids already in
        # scientific notation ('1,97E+17', refused by the parser)
        scientific = sum(int(k) for v, k in raw.dropna().value_counts().items()
                         if parse.DESTROYED_ID.match(parse.clean_text(v).replace(" ", "")))
        n_long = int(long_[codes].sum()) + scientific
        evidence = len(suspect) + scientific
        most = evidence * 2 > n_long
        mangled = suspect.tolist() if most and (evidence >= 2 or zeros[codes[suspect[0]]] >= 2) else []
    for i in mangled:
        col.add(int(i), "id_destroyed", header, id_token(col.key, raw.iloc[i]))
        ids.iloc[i] = None


_YEAR_CELL = re.compile(r"^(\d{4})(?:\.0+)?$")
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _month_with_year(raw: dict[str, pd.Series], headers: dict[str, str], col: Collector):
    """'Tahun' | 'Bulan' in two columns (2024 | Oktober, Okt or 10): each row's month gets its
    year. A year cell that is no year is refused naming that cell; a month that names its own
    year keeps it."""
    years = raw.pop("year")
    if "month" not in raw:
        return  # a year beside full dates says nothing more
    months = raw["month"]
    out = months.astype(object).to_numpy(copy=True)
    combined: dict[tuple, tuple[object, bool]] = {}  # each distinct (month, year) pair once: (month text, bad year)
    for i, (m, y) in enumerate(zip(months.tolist(), years.tolist())):
        key = (m, y)
        if key not in combined:
            combined[key] = _combine(m, y)
        value, bad = combined[key]
        if bad:
            col.add(i, "bad_year", headers.get("year", "Tahun"), parse.shown(y))
        out[i] = value
    raw["month"] = pd.Series(out, dtype=object)


def _combine(m, y) -> tuple[object, bool]:
    if parse.is_blank(m):
        return m, False
    text = parse.clean_text(m)
    if _HAS_YEAR.search(text) or parse.is_blank(y):
        return m, False  # a month naming its year keeps it; without any it is refused as a month without a year
    match = _YEAR_CELL.match(parse.clean_text(y))
    if not match:
        return None, True
    number = re.fullmatch(r"(\d{1,2})(?:\.0+)?", text)
    return (f"{match[1]}-{int(number[1]):02d}" if number else f"{text} {match[1]}"), False


def _future_title_month(layout: Layout, sheet: Sheet, opts: Options, col: Collector, n: int):
    """A title naming one month still to come ('LAPORAN KUNJUNGAN BULAN DESEMBER 2026' on 30 Nov
    2026): the sheet is a report for a month that has not happened; none of its rows load. (A month
    in a label row is checked with the rows it applies to.)"""
    ctx = layout.context
    if ctx.month is None or ctx.month_row is None or "month" in ctx.labels:
        return
    if ctx.month <= opts.today.replace(day=1):
        return
    col.add_sheet("future_month_title", row=sheet.first_row + ctx.month_row,
                  **{f"value_{lang}": fmt_month(ctx.month, lang) for lang in ("id", "en")}, **dates(today=opts.today))
    col.rejected_by_sheet_error.update(range(n))


def _future_months(months: pd.Series, raw: pd.Series, layout: Layout, sheet: Sheet, headers, opts: Options,
                   col: Collector, n: int):
    """A recap for a month still to come (the current month is allowed): per
    cell, or once for a month written above the table."""
    limit = np.datetime64(opts.today.replace(day=1), "s")
    future = (months > limit).fillna(False).to_numpy(dtype=bool)
    if not future.any():
        return
    label = layout.context.labels.get("month")
    if "month" not in layout.columns and label is not None:
        _, label_row = label
        first = pd.Timestamp(months[future].iloc[0]).date()
        col.add_sheet("future_month_label", row=sheet.first_row + label_row, value=fmt_month(first, opts.lang),
                      **dates(today=opts.today))
        col.rejected_by_sheet_error.update(range(n))
        return
    for i in np.flatnonzero(future):
        if not col.has_error(i):
            # the month as read ('Maret' under 'TAHUN 2031', 2026 | 12 in two columns): 'Maret 2031', 'Desember 2026'
            month = pd.Timestamp(months.iloc[i]).date()
            col.add(int(i), "future_month", headers.get("month", "Bulan"), parse.shown(raw.iloc[i]),
                    **{f"value_{lang}": fmt_month(month, lang) for lang in ("id", "en")}, **dates(today=opts.today))


def _counts_agree(dataset: str, out: pd.DataFrame, col: Collector, headers):
    """Borrowers cannot outnumber loans: each borrows at least one book."""
    if dataset != "loans" or "borrowers_l" not in out:
        return
    lp = out["borrowers_l"].fillna(0) + out["borrowers_p"].fillna(0)
    given = out["borrowers_l"].notna() | out["borrowers_p"].notna()
    wrong = (given & out["is_recap"].astype(bool) & out["n_loans"].notna() & (lp > out["n_loans"])) \
        .fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(wrong):
        if col.has_error(i):
            continue
        a, b = out["borrowers_l"].iloc[i], out["borrowers_p"].iloc[i]
        a, b = (0 if pd.isna(a) else int(a)), (0 if pd.isna(b) else int(b))
        col.add(int(i), "borrowers_exceed_loans", headers.get("n_loans"), int(out["n_loans"].iloc[i]), l=a, p=b,
                sum=a + b)


def _typed(column: Column, raw: pd.Series | None, header: str, col: Collector, layout: Layout, n: int) -> pd.Series:
    if raw is None:
        return _blank_series(column.kind, n)
    pii = ("name" if column.kind == "name" else "id") if column.pii else None
    if column.kind == "name":  # only whether it is there: the name itself is dropped here
        return parse_column(raw, "object", lambda v: None if parse.is_blank(v) else True, col, header, pii=pii)
    if column.kind == "month":
        return parse_column(raw, "date", parse.parse_month, col, header, default_year=layout.context.year)
    if column.kind == "gender_or_counts":
        return parse_column(raw, "object", _gender_or_counts, col, header)
    return parse_column(raw, column.kind, PARSERS[column.kind], col, header, pii=pii)


def _gender_or_counts(value):
    if parse.is_blank(_BR.sub("", str(value))):
        return None  # INLISLite writes '<br>' for a group whose head count was not entered
    counts = parse.parse_gender_counts(value)
    if counts is not None:
        return counts
    gender = parse.parse_gender(value)
    return None if gender is None else ((1, 0) if gender == "L" else (0, 1))


def row_facilities(raw, headers, layout: Layout, opts: Options, col: Collector, n: int,
                   label_row: int | None = None) -> np.ndarray:
    """Each row's unit. ``label_row``: the spreadsheet row of the label ('UPT : ...') the
    facility was read from, when no column gives it."""
    register = opts.register
    ctx = layout.context
    default = opts.facility or ctx.facility or opts.file_facility
    if ctx.conflicting_facilities and not opts.facility:
        col.add_sheet("title_facility_conflict", "warning",
                      candidates=", ".join(register.label(c) for c, _ in ctx.conflicting_facilities))
    if opts.facility and ctx.facility and ctx.facility != opts.facility:
        col.add_sheet("option_overrides_title", "warning", value=register.label(ctx.facility),
                      facility=register.label(opts.facility))
    if not opts.facility and ctx.facility and opts.file_facility and ctx.facility != opts.file_facility \
            and "facility" not in raw:
        # the title and the file name name different units: which one is meant is for staff to say
        col.add_sheet("facility_title_name_conflict", row=ctx.facility_row + 1 if ctx.facility_row is not None
                      else None, value=register.label(ctx.facility), other=register.label(opts.file_facility))
        col.rejected_by_sheet_error.update(range(n))
        return np.full(n, None, dtype=object)
    codes = np.full(n, default, dtype=object)
    header = headers.get("facility", "Fasilitas")
    if "facility" in raw:
        series = raw["facility"]
        fcodes, uniques = pd.factorize(series, use_na_sentinel=True)
        for k, value in enumerate(uniques):
            where = np.flatnonzero(fcodes == k)
            if len(str(value)) > 2 * parse.MAX_TEXT or parse.excel_error(value):
                code = "excel_error" if parse.excel_error(value) else "text_too_long"
                col.add_many(where, code, header, [parse.excel_error(value) or parse.shown(value)] * len(where),
                             **numbers(limit=parse.MAX_TEXT))
                codes[where] = None
                continue
            text = parse.clean_text(value)
            if not text:
                continue
            try:
                code = register.resolve(text)
            except FacilityNotFound as exc:
                cands = ", ".join(f"{label} ({c})" for c, label in exc.candidates) or "–"
                if label_row is not None:  # 'UPT : Lapas Antah Berantah' above the table: said once, at that row
                    col.add_sheet(f"facility_{exc.code}", row=label_row, value=text, candidates=cands)
                    col.rejected_by_sheet_error.update(int(i) for i in where)
                else:
                    col.add_many(where, f"facility_{exc.code}", header, [text] * len(where), candidates=cands)
                codes[where] = None
                continue
            if opts.facility and code != opts.facility:
                col.add_many(where, "facility_conflict", header, [text] * len(where),
                             facility=register.label(opts.facility))
            written = register.class_written(text, code)
            if written:  # said once per name, not per row: read as the one unit its place and kind name
                col.add_sheet("facility_class_outdated", "info",
                              row=label_row if label_row is not None else int(col.rows[where[0]]),
                              column=None if label_row is not None else header,
                              value=text, facility=register.label(code), written=written,
                              klass=register.by_code[code].klass)
            if not register.by_code[code].holds_inmates:
                col.add_many(where, "facility_not_inmate", header, [text] * len(where),
                             facility=register.label(code))
            codes[where] = code
    elif "role" in raw:
        # a bimtek for library managers of many units: each participant's unit is in Jabatan/Instansi
        roles = raw["role"]
        found = {v: register.find_in_text(parse.clean_text(v)) for v in pd.unique(roles[roles.notna()])}
        by_role = roles.map(found).to_numpy()
        codes = np.where(pd.isna(by_role), codes, by_role).astype(object)
    missing = np.flatnonzero(pd.isna(codes))
    missing = [i for i in missing if not col.has_error(i) and int(i) not in col.rejected_by_sheet_error]
    if missing:
        if "facility" not in raw:
            col.add_sheet("facility_missing")
            col.rejected_by_sheet_error.update(int(i) for i in missing)
        else:
            col.add_many(missing, "facility_missing", header, [None] * len(missing))
    return codes


def _lp_check(out, col, headers, total_key, l_key, p_key, explicit: pd.Series):
    lp = out[l_key].fillna(0) + out[p_key].fillna(0)
    both = out[l_key].notna() & out[p_key].notna() & out[total_key].notna() & explicit
    wrong = (both & (lp != out[total_key])).fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(wrong):
        a, b, t = int(out[l_key].iloc[i]), int(out[p_key].iloc[i]), int(out[total_key].iloc[i])
        col.add(int(i), "lp_mismatch", headers.get(total_key), t, l=a, p=b, sum=a + b)
    # only L or only P given: it cannot exceed the total
    for key, other, part in ((l_key, p_key, "L"), (p_key, l_key, "P")):
        alone = out[key].notna() & out[other].isna() & out[total_key].notna() & explicit
        over = (alone & (out[key] > out[total_key])).fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(over):
            col.add(int(i), "lp_exceeds_total", headers.get(total_key), int(out[total_key].iloc[i]), part=part,
                    n=int(out[key].iloc[i]))


def _pseudonyms(ids: pd.Series, facilities, opts: Options) -> pd.Series:
    """Keyed hashes of (facility, id), computed once per distinct pair."""
    fac_codes, fac_uniques = pd.factorize(pd.Series(facilities, dtype=object), use_na_sentinel=True)
    id_codes, id_uniques = pd.factorize(ids, use_na_sentinel=True)
    ok = (fac_codes >= 0) & (id_codes >= 0)
    out = np.full(len(ids), None, dtype=object)
    if ok.any():
        pair = fac_codes[ok].astype(np.int64) * (len(id_uniques) + 1) + id_codes[ok]
        inverse, unique_pairs = pd.factorize(pair)
        width = len(id_uniques) + 1
        facilities_, ids_ = list(fac_uniques), list(id_uniques)
        hashed = np.array([pseudonymise(opts.key, facilities_[p // width], ids_[p % width])
                           for p in unique_pairs.tolist()], dtype=object)
        out[ok] = hashed[inverse]
    return pd.Series(out, dtype=object)


def _dates_before(out, col, headers, later_key, earlier_key, code, present):
    if later_key not in present:
        return
    wrong = (out[later_key] < out[earlier_key]).to_numpy()
    for i in np.flatnonzero(wrong):
        col.add(int(i), code, headers.get(later_key), _iso(out[later_key].iloc[i]),
                **dates(other=pd.Timestamp(out[earlier_key].iloc[i]).date()))


# ---------------------------------------------------------------- datasets
def _loans(t, raw, out, col, headers, opts):
    is_line = t["loan_date"].notna()
    out["loan_date"] = t["loan_date"]
    out["month"] = _month(t["loan_date"]).where(is_line, t["month"])
    out["n_loans"] = t["n_loans"].where(t["n_loans"].notna() | ~is_line, 1).astype("Int64")
    out["is_recap"] = ~is_line
    for key in ("item_code", "title", "category", "borrower_group", "borrower_gender", "due_date", "return_date",
                "borrowers_l", "borrowers_p"):
        out[key] = t[key]
    out["service"] = t["service"].where(t["service"].notna(), "perpustakaan")
    returned = t["returned"]
    out["returned"] = returned.where(returned.notna() | out["return_date"].isna(), True).astype("boolean")
    out["borrower_key"] = _pseudonyms(t["borrower_id"], out["facility_code"], opts)
    _dates_before(out, col, headers, "due_date", "loan_date", "due_before_loan", raw)
    _dates_before(out, col, headers, "return_date", "loan_date", "return_before_loan", raw)


def _visits(t, raw, out, col, headers, opts):
    has_date = t["visit_date"].notna()
    out["visit_date"] = t["visit_date"]
    out["month"] = _month(t["visit_date"]).where(has_date, t["month"])
    gender = t["gender"]
    gl = pd.Series([g[0] if isinstance(g, tuple) else None for g in gender], dtype="Int64")
    gp = pd.Series([g[1] if isinstance(g, tuple) else None for g in gender], dtype="Int64")
    l = t["visitors_l"].where(t["visitors_l"].notna(), gl).astype("Int64")
    p = t["visitors_p"].where(t["visitors_p"].notna(), gp).astype("Int64")
    explicit = t["n_visitors"].notna()
    lp = lp_total(l, p)
    out["n_visitors"] = t["n_visitors"].where(explicit, lp.where(lp.notna(), 1)).astype("Int64")
    out["visitors_l"], out["visitors_p"] = l, p
    single = np.array([isinstance(g, tuple) and sum(g) == 1 for g in gender], dtype=bool)
    out["gender"] = pd.Series([("L" if g[0] else "P") if s else None for g, s in zip(gender, single)], dtype=object)
    kind = t["is_group"]
    # a group is what the sheet says, or an INLISLite gender cell counting several people
    group_cell = pd.Series([isinstance(g, tuple) and sum(g) > 1 for g in gender], dtype=bool)
    out["is_group"] = kind.where(kind.notna(), group_cell).astype("boolean")
    out["is_total"] = (explicit & ~kind.fillna(False)).astype(bool)
    out["service"] = t["service"].where(t["service"].notna(), "perpustakaan")
    for key in ("visitor_group", "service_days", "room"):
        out[key] = t[key]
    out["visitor_key"] = _pseudonyms(t["visitor_id"], out["facility_code"], opts)
    _lp_check(out, col, headers, "n_visitors", "visitors_l", "visitors_p", explicit)
    # a group row must say how many came: one person is not a group
    uncounted = (kind.fillna(False) & ~explicit & lp.isna()).to_numpy(dtype=bool)
    where = "gender" if "gender" in raw else "is_group"
    for i in np.flatnonzero(uncounted):
        if not col.has_error(i):
            col.add(int(i), "group_without_count", headers.get(where), None)


def _training(t, raw, out, col, headers, opts):
    for key in ("title", "topic", "audience", "organiser", "partner", "start_date", "end_date", "place", "notes",
                "participants_l", "participants_p"):
        out[key] = t[key]
    out["month"] = _month(t["start_date"])
    explicit = t["participants"].notna()
    out["participants"] = t["participants"].where(explicit, lp_total(t["participants_l"], t["participants_p"]))
    empty = out["participants"].isna() & out["title"].notna() & out["start_date"].notna()
    for i in np.flatnonzero(empty.to_numpy()):
        col.add(int(i), "no_participants", headers.get("participants", "Jumlah Peserta"), None)
    _lp_check(out, col, headers, "participants", "participants_l", "participants_p", explicit)
    _dates_before(out, col, headers, "end_date", "start_date", "end_before_start", raw)
    out["session_key"] = _session_keys(out)


def _attendance(t, raw, out, col, headers, opts):
    for key in ("title", "topic", "audience", "organiser", "place", "start_date", "gender", "role"):
        out[key] = t[key]
    out["month"] = _month(t["start_date"])
    ids = t["participant_id"]
    if "audience" not in raw and ids.notna().any():
        # participants identified by an 18-digit NIP are staff: a training for library managers
        nip = ids.map(lambda s: s is not None and s.isdigit() and len(s) == 18)
        if nip.sum() * 2 >= ids.notna().sum():
            out["audience"] = "pengelola"
    # a participant without an id is still one person: key the name's presence by row
    out["participant_key"] = _pseudonyms(ids, out["facility_code"], opts)
    out["session_key"] = _session_keys(out)


def _occupancy(t, raw, out, col, headers, opts):
    for key in ("snapshot_date", "occupants", "capacity", "source"):
        out[key] = t[key]
    out["month"] = _month(t["snapshot_date"])
    out["snapshot_key"] = pd.Series([None if pd.isna(d) else _iso(d) for d in t["snapshot_date"]], dtype=object)


def _packages(t, raw, out, col, headers, opts):
    for key in ("package_date", "books_delivered", "books_returned", "package_label", "notes"):
        out[key] = t[key]
    out["month"] = _month(t["package_date"])
    empty = (t["books_delivered"].isna() & t["books_returned"].isna() & t["package_date"].notna()).to_numpy()
    for i in np.flatnonzero(empty):
        col.add(int(i), "package_empty", None, None)


def _agreements(t, raw, out, col, headers, opts):
    for key in ("number_dispersip", "number_facility", "signed_on", "valid_from", "valid_until", "scope", "notes"):
        out[key] = t[key]
    out["month"] = _month(t["valid_from"])
    out["agreement_key"] = pd.Series(
        [None if pd.isna(d) else f"{_iso(d)}|{'' if pd.isna(n) else str(n).strip()}"
         for d, n in zip(t["valid_from"], t["number_dispersip"])], dtype=object)
    out["document_sha256"] = None
    out["document_name"] = None
    _dates_before(out, col, headers, "valid_until", "valid_from", "end_before_start", raw)


def _session_keys(out: pd.DataFrame) -> pd.Series:
    return pd.Series([f"{_iso(d)}|{header_key(t)}" if not pd.isna(d) and not pd.isna(t) else None
                      for d, t in zip(out["start_date"], out["title"])], dtype=object)


def _row_shapes(ds: Dataset, out: pd.DataFrame, raw, col: Collector, opts: Options):
    def present(key: str) -> np.ndarray:
        if key == "facility":
            return out["facility_code"].notna().to_numpy()
        if key == "participant_name":
            return (raw["participant_name"].notna().to_numpy() if "participant_name" in raw
                    else np.zeros(len(out), dtype=bool))
        return out[key].notna().to_numpy() if key in out else np.zeros(len(out), dtype=bool)

    ok = np.zeros(len(out), dtype=bool)
    for shape in ds.row_shapes:
        ok |= np.logical_and.reduce([present(k) for k in shape])
    help_text = ds.row_shape_help_en if opts.lang == "en" else ds.row_shape_help_id
    for i in np.flatnonzero(~ok):
        if col.has_error(i) or int(i) in col.rejected_by_sheet_error:
            continue  # already explained
        col.add(int(i), "row_shape", None, None, help=help_text)


def _dup_groups(dataset: str, out: pd.DataFrame) -> list[tuple[list[str], np.ndarray, str]]:
    """What makes two rows the same event: (columns, rows it applies to, description)."""
    if dataset == "loans":
        recap = out["is_recap"].to_numpy(dtype=bool)
        line = ~recap & out["item_code"].notna().to_numpy()
        return [(["facility_code", "loan_date", "item_code", "borrower_key"], line,
                 "fasilitas, tanggal pinjam, eksemplar, peminjam"),
                (["facility_code", "month", "category", "service", "borrower_group"], recap,
                 "fasilitas, bulan, kategori, layanan")]
    if dataset == "visits":
        # only head-count totals can be double counted; anonymous visitors may come twice a day
        return [(["facility_code", "visit_date", "month", "service", "visitor_group"],
                 out["is_total"].to_numpy(dtype=bool), "fasilitas, tanggal/bulan, layanan, kelompok")]
    if dataset == "attendance":
        return [(["facility_code", "session_key", "participant_key"], out["participant_key"].notna().to_numpy(),
                 "kegiatan, tanggal, peserta")]
    if dataset == "occupancy":
        return [(["facility_code", "snapshot_date"], out["snapshot_date"].notna().to_numpy(), "fasilitas, tanggal")]
    if dataset == "packages":
        return [(["facility_code", "package_date", "package_label"], out["package_date"].notna().to_numpy(),
                 "fasilitas, tanggal, paket")]
    if dataset == "agreements":
        return [(["facility_code", "agreement_key"], out["agreement_key"].notna().to_numpy(),
                 "fasilitas, berlaku mulai, nomor PKS")]
    return [(["facility_code", "session_key"], out["session_key"].notna().to_numpy(),
             "fasilitas, tanggal, judul kegiatan")]


def _group_ids(frame: pd.DataFrame) -> np.ndarray:
    """One integer per distinct combination of the columns' values, numbered
    in order of first appearance."""
    combined = np.zeros(len(frame), dtype=np.int64)
    width = 1
    for name in frame.columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        if width * (len(uniques) + 1) >= 2 ** 62:  # renumber before the product could overflow
            combined = pd.factorize(combined)[0].astype(np.int64)
            width = int(combined.max()) + 1
        combined = combined * (len(uniques) + 1) + (codes + 1)
        width *= len(uniques) + 1
    return pd.factorize(combined)[0].astype(np.int64)


def _duplicates(dataset: str, out: pd.DataFrame, col: Collector):
    if out.empty:
        return
    known = out["facility_code"].notna().to_numpy()  # a row whose facility is refused is already explained
    for keys, eligible, what in _dup_groups(dataset, out):
        eligible = eligible & known
        if not eligible.any():
            continue
        ids = _group_ids(out[keys] if eligible.all() else out.loc[eligible, keys])
        # _group_ids numbers groups in order of first appearance
        first_pos = np.full(ids.max() + 1, -1, dtype=np.int64)
        order = np.arange(len(ids))
        first_pos[ids[::-1]] = order[::-1]
        repeated = np.flatnonzero(first_pos[ids] != order)
        if not len(repeated):
            continue
        position = np.flatnonzero(eligible)
        for k in repeated:
            col.add(int(position[k]), "duplicate_row", None, None, other=int(col.rows[position[first_pos[ids[k]]]]),
                    what=what)


COUNT_FIELDS = {"loans": ("n_loans", "borrowers_l", "borrowers_p"),
                "visits": ("n_visitors", "visitors_l", "visitors_p"),
                "training": ("participants", "participants_l", "participants_p"),
                "attendance": (), "occupancy": (), "agreements": (),
                "packages": ("books_delivered", "books_returned")}


def _check_totals(sheet: Sheet, layout: Layout, ds: Dataset, out: pd.DataFrame, col: Collector):
    """JUMLAH/TOTAL rows are never data: each is compared with the sum of the
    data rows above it (since the previous total row)."""
    if not layout.total_rows:
        return
    fields = [f for f in COUNT_FIELDS[ds.key] if f in layout.columns]
    data_rows = np.array(layout.data_rows)
    previous = -1
    for t in layout.total_rows:
        above = (data_rows > previous) & (data_rows < t)
        previous = t
        row_number = sheet.first_row + t
        checked = mismatch = False
        for f in fields:
            c = layout.columns[f]
            try:
                stated = parse.parse_count(sheet.cells.column(f"c{c}")[t].as_py())
            except parse.ParseError:
                stated = None
            if stated is None:
                continue
            expected = int(out.loc[above, f].fillna(0).sum())
            checked = True
            if expected != stated:
                mismatch = True
                col.add_sheet("total_mismatch", row=row_number, column=layout.headers.get(c, f),
                              value=str(stated), expected=str(expected))
        if not mismatch:
            col.add_sheet("total_checked" if checked else "total_skipped", "info", row=row_number)


def sheet_notes(layout: Layout, file_name: str, sheet_name: str, is_csv: bool) -> list[Problem]:
    """The layout engine's notes (skipped rows, unknown columns) as info problems."""
    out = [Problem("info", n.code, file_name, sheet_name, n.row, n.column, n.value, n.row_to, n.params, is_csv)
           for n in layout.notes]
    for _, name in layout.unknown:
        out.append(Problem("info", "unknown_column", file_name, sheet_name, None, None, name, is_csv=is_csv))
    return out
