"""The cells of a read sheet as the table finders (``etl.layout``,
``etl.matrix``) and the validators (``etl.validate``, ``etl.matrix``) see
them: a cell's text, the merged area a cell lies in, a column of data cells
with merged cells filled down, every distinct value of a column parsed once,
the problems found per row, and L + P.

Imports nothing of the modules that use it, so they import in one direction:
``cells`` < ``layout`` < ``validate`` < ``matrix`` < ``pipeline``.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import parse
from etl.i18n import cell_dates, numbers
from etl.messages import Problem
from etl.readers import Sheet

# the column kinds parse_column returns as dates, counts and yes/no (the others as objects)
DATE_KINDS = {"date"}
COUNT_KINDS = {"count"}
BOOL_KINDS = {"status", "visit_kind"}


# ------------------------------------------------------------------- cells
# finding a table needs only the start of a cell: a pasted page in a cell is not cleaned whole, again and again
TEXT_HEAD = 400


def cell_text(cell) -> str:
    """A cell as clean text ('' when empty), cut to its first ``TEXT_HEAD`` characters."""
    if cell is None:
        return ""
    text = str(cell)
    return parse.clean_text(text if len(text) <= TEXT_HEAD else text[:TEXT_HEAD])


def merged_top(merged, r: int, c: int) -> tuple[int, int] | None:
    """The top-left cell of the merged area (``(r0, c0, r1, c1)`` in ``merged``) holding cell ``(r, c)``, or None."""
    for r0, c0, r1, c1 in merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return r0, c0
    return None


def raw_column(sheet: Sheet, col: int, indices: np.ndarray) -> pd.Series:
    """The cells of one column for the data rows (Arrow-backed text), merged
    cells filled down."""
    arr = sheet.cells.column(f"c{col}").take(indices)
    fills = [(r0, c0, r1) for r0, c0, r1, c1 in sheet.merged if c0 <= col <= c1 and r1 > r0 and r0 < sheet.height]
    if not fills:
        return arr.to_pandas()
    values = arr.to_numpy(zero_copy_only=False).astype(object)
    for r0, c0, r1 in fills:
        top = sheet.cells.column(f"c{c0}")[r0].as_py()
        if top is None:
            continue
        pos = np.searchsorted(indices, np.arange(r0 + 1, r1 + 1))
        for k, r in zip(pos, range(r0 + 1, r1 + 1)):
            if k < len(indices) and indices[k] == r and values[k] is None:
                values[k] = top
    return pd.Series(values, dtype="str")


# ---------------------------------------------------------------- problems
class Collector:
    """Problems of one sheet, per row."""

    def __init__(self, file: str, sheet: str, is_csv: bool, rows: np.ndarray, key: bytes = b""):
        self.file, self.sheet, self.is_csv = file, sheet, is_csv
        self.key = key              # the installation key: ids in messages are shown as keyed tokens
        self.rows = rows            # spreadsheet row number per frame position
        self.by_index: dict[int, list[Problem]] = {}
        self.sheet_level: list[Problem] = []
        self.rejected_by_sheet_error: set[int] = set()  # rows refused by one sheet-level error

    def add(self, index: int, code: str, column: str | None, value, severity: str = "error", **params):
        params = {**cell_dates(value), **params}  # a date cell is quoted '5 Des 2026', not '2026-12-05 00:00:00'
        p = Problem(severity, code, self.file, self.sheet, int(self.rows[index]), column,
                    None if value is None else str(value), params=params, is_csv=self.is_csv)
        self.by_index.setdefault(int(index), []).append(p)

    def add_many(self, indices, code: str, column: str | None, values, **params):
        for i, v in zip(indices, values):
            self.add(int(i), code, column, v, **params)

    def add_sheet(self, code: str, severity: str = "error", row=None, column=None, value=None, row_to=None, **params):
        self.sheet_level.append(Problem(severity, code, self.file, self.sheet, row, column, value, row_to,
                                        params=params, is_csv=self.is_csv))

    def has_error(self, index: int) -> bool:
        return any(p.severity == "error" for p in self.by_index.get(int(index), ()))

    def bad(self) -> np.ndarray:
        idx = {i for i, ps in self.by_index.items() if any(p.severity == "error" for p in ps)}
        return np.array(sorted(idx | self.rejected_by_sheet_error), dtype=int)


REDACTED = "[disamarkan]"


def id_token(key: bytes, raw) -> str:
    """What a message shows instead of an id: ``ID samaran 3fa2b1c9``, a keyed
    hash of the cell's text (nobody without the key can test a guessed id)."""
    text = str(raw).strip() if raw is not None else ""
    digest = hmac.new(key or b"pantau", f"message\x1f{text}".encode(), hashlib.sha256).hexdigest()
    return f"ID samaran {digest[:8]}"


def _shown_value(raw, pii: str | None, key: bytes) -> str:
    """A refused cell as a message may quote it: ids as tokens, names never, long text cut short."""
    if pii == "id":
        return id_token(key, raw)
    if pii == "name":
        return REDACTED
    return parse.shown(raw)


# ----------------------------------------------------------------- parsing
def parse_column(series: pd.Series, kind: str, parser, col: Collector, header: str,
                 pii: str | None = None, **kw) -> pd.Series:
    """Parse every distinct value once; record an error for each row that fails.
    An Excel error value (``#REF!``) or a cell longer than any real value is
    refused before the parser sees it; ``pii`` ('id' or 'name') keeps the
    value out of the message."""
    if kind == "text" and parser is parse.parse_text and len(series) > 5000 and \
            series.iloc[:2000].nunique() > 1000 and _all_plain(series):
        return _parse_text(series)  # nearly every value distinct (item codes): per-value parsing costs most
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results: list = []
    failed: dict[int, parse.ParseError] = {}
    values = uniques.tolist()
    clean = _already_clean(uniques) if kind == "text" and len(values) > 1000 else None
    special = _special(values, kind)
    for k, u in enumerate(values):
        if clean is not None and clean[k]:
            results.append(u)
            continue
        if special and k in special:
            results.append(None)
            failed[k] = special[k]
            continue
        try:
            results.append(parser(u, **kw))
        except parse.ParseError as exc:
            results.append(None)
            failed[k] = exc
    results.append(None)  # code -1 (empty cell)
    if failed:
        bad_codes = np.array(sorted(failed))
        shown = {k: exc.params.pop("shown", None) or _shown_value(uniques[k], pii, col.key)
                 for k, exc in failed.items()}
        for i in np.flatnonzero(np.isin(codes, bad_codes)):
            exc = failed[int(codes[i])]
            col.add(int(i), exc.code, header, shown[int(codes[i])], **exc.params)
    if kind in DATE_KINDS:
        table = np.array([np.datetime64(d, "D") if d is not None else np.datetime64("NaT") for d in results],
                         dtype="datetime64[D]")
        return pd.Series(table[codes].astype("datetime64[s]"))
    if kind in COUNT_KINDS:
        table = np.array([np.nan if v is None else float(v) for v in results])
        return pd.Series(table[codes]).astype("Int64")
    if kind in BOOL_KINDS:
        values = np.array([bool(v) for v in results], dtype=bool)
        missing = np.array([v is None for v in results], dtype=bool)
        return pd.Series(pd.arrays.BooleanArray(values[codes], missing[codes]))
    table = np.empty(len(results), dtype=object)
    table[:] = results
    return pd.Series(table[codes], dtype=object)


def _special(values: list, kind: str) -> dict[int, parse.ParseError]:
    """The distinct cells refused before any parser sees them: Excel error
    values, and (but for names, which are dropped) cells longer than any real
    value. Screened in Arrow; only the few candidates are looked at."""
    if not values:
        return {}
    arr = pa.array(values, type=pa.string())
    hits = pc.match_substring(arr, "#")
    if kind != "object":
        hits = pc.or_(hits, pc.greater(pc.utf8_length(arr), 2 * parse.MAX_TEXT))
    out = {}
    for k in np.flatnonzero(pc.fill_null(hits, False).to_numpy(zero_copy_only=False)).tolist():
        u = values[k]
        if err := parse.excel_error(u):
            out[k] = parse.ParseError("excel_error", shown=err)
        elif kind != "object" and len(u) > 2 * parse.MAX_TEXT:
            out[k] = parse.ParseError("text_too_long", **numbers(limit=parse.MAX_TEXT))
    return out


def _parse_text(series: pd.Series) -> pd.Series:
    """``parse.parse_text`` for a big column of (nearly) all-distinct texts,
    such as item codes: the cells it would return unchanged are found with
    Arrow kernels and kept as they are; only the others go through the parser,
    once per distinct value. The column stays Arrow-backed text."""
    arr = pa.array(series, type=pa.string())
    clean = _already_clean(arr)
    rest = np.flatnonzero(~clean & arr.is_valid().to_numpy(zero_copy_only=False))
    if len(rest):
        others = pa.array(arr.take(rest).to_pylist(), type=pa.string())
        codes, uniques = pd.factorize(others.to_pandas())
        parsed = pa.array([parse.parse_text(u) for u in uniques], type=pa.string()).take(pa.array(codes))
        mask = np.zeros(len(arr), dtype=bool)
        mask[rest] = True
        arr = pc.replace_with_mask(arr, pa.array(mask), parsed)
    return arr.to_pandas()


def _already_clean(uniques) -> np.ndarray:
    """Which distinct texts ``parse.parse_text`` would return unchanged (checked in Arrow)."""
    arr = pa.array(uniques.tolist() if not isinstance(uniques, pa.Array) else uniques, type=pa.string())
    ok = pc.and_(pc.string_is_ascii(arr), pc.equal(pc.utf8_trim_whitespace(arr), arr))
    ok = pc.and_(ok, pc.invert(pc.match_substring_regex(arr, "  |[\\x00-\\x1f\\x7f]")))
    ok = pc.and_(ok, pc.invert(pc.is_in(arr, value_set=


_BLANKS)))
    ok = pc.and_(ok, pc.less_equal(pc.utf8_length(arr), parse.MAX_TEXT))
    ok = pc.and_(ok, pc.invert(pc.is_in(arr, value_set=_EXCEL_ERRORS)))
    return pc.fill_null(ok, False).to_numpy(zero_copy_only=False)


def _all_plain(series: pd.Series) -> bool:
    """No cell of a big text column is an Excel error or too long (the fast path may be taken)."""
    arr = pa.array(series, type=pa.string())
    too_long = pc.any(pc.greater(pc.utf8_length(arr), parse.MAX_TEXT)).as_py()
    errors = pc.any(pc.match_substring(arr, "#")).as_py()  # any cell that might be an Excel error: the careful path
    return not too_long and not errors


_BLANKS = pa.array(["", "-", "NULL", "null", "None", "nan", "NaN", "#N/A"])
_EXCEL_ERRORS = pa.array(sorted(parse.EXCEL_ERRORS))


# ------------------------------------------------------------------ counts
def lp_total(l: pd.Series, p: pd.Series) -> pd.Series:
    """L + P where at least one is given."""
    either = l.notna() | p.notna()
    return (l.fillna(0) + p.fillna(0)).where(either, pd.NA).astype("Int64")
