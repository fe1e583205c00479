"""Exports of an online form (Google Forms and the like): one answer per row,
a ``Timestamp`` column, the unit and the month chosen in the form, and the
month's figures of several datasets side by side (loans, visitors).

Each dataset of the row becomes its own table (and so its own batch; the file
still loads in one transaction). A unit that answered the form twice for the
same month is not counted twice: the later answer (the lower row; a form's
sheet lists answers in the order they were sent) is read, each earlier one is
skipped with a warning naming both rows and their timestamps. A resent answer
is nearly always a correction, and staff see which one was used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from etl import parse
from etl.cells import cell_text, raw_column
from etl.facilities import Register
from etl.i18n import fmt_date, fmt_month
from etl.layout import Layout, classify_rows, map_headers, read_context
from etl.messages import Problem
from etl.readers import Sheet
from etl.specs import DATASETS, header_key

TIMESTAMP_HEADERS = {header_key(h) for h in ("Timestamp", "Stempel waktu", "Cap waktu", "Tanda waktu",
                                               "Waktu pengisian", "Waktu kirim", "Submitted at", "Submission time")}
# the datasets a form row can carry, and the columns of each read from the row (its figure comes first)
FORM_DATASETS = {
    "loans": ("n_loans", "borrowers_l", "borrowers_p", "service"),
    "visits": ("n_visitors", "visitors_l", "visitors_p", "service_days", "service"),
}
SHARED = ("facility", "month", "year")


@dataclass
class Form:
    header_row: int
    timestamp: int                                   # column of the timestamp
    layouts: list[Layout] = field(default_factory=list)
    repeats: list[tuple[int, int, dict, dict, tuple]] = field(default_factory=list)  # (skipped, used, ts, ts, what)
    empty: list[tuple[str, str, list[int]]] = field(default_factory=list)  # (dataset, header, rows) left empty


def find_form(head: list[list], register: Register, datasets: tuple[str, ...] | None = None) -> Form | None:
    """The form export in the first rows of a sheet, or None: a header row with a timestamp
    column, the unit and month columns and the figure of at least one dataset."""
    for r, row in enumerate(head):
        headers = {c: cell_text(v) for c, v in enumerate(row) if cell_text(v)}
        stamp = next((c for c, h in headers.items() if header_key(h) in TIMESTAMP_HEADERS), None)
        if stamp is None:
            continue
        form = Form(r, stamp)
        used: set[int] = {stamp}
        for key, own in FORM_DATASETS.items():
            if datasets and key not in datasets:
                continue
            columns, _ = map_headers(key, {c: h for c, h in headers.items() if c != stamp})
            columns = {f: c for f, c in columns.items() if f in SHARED or f in own}
            if own[0] not in columns or "month" not in columns:
                continue
            used |= set(columns.values())
            form.layouts.append(Layout(dataset=key, header_rows=(r,), data_start=r + 1, columns=columns,
                                       headers=headers, context=read_context(head[:r], register, key)))
        if not form.layouts:
            return None
        # columns no dataset reads (e-mail, the name of whoever filled it in): said once, never stored
        form.layouts[0].unknown = [(c, h) for c, h in headers.items() if c not in used]
        return form
    return None


def read_form(sheet: Sheet, form: Form, register: Register) -> None:
    """Fill each layout's data rows; an earlier answer for a unit and month answered again later
    is left out of every dataset (``form.repeats`` says which)."""
    for layout in form.layouts:
        classify_rows(sheet, layout, register)
    first = form.layouts[0]
    rows = sorted(set().union(*(set(lay.data_rows) for lay in form.layouts)))
    if not rows:
        return
    indices = np.array(rows, dtype=np.int64)
    cols = first.columns
    facility = raw_column(sheet, cols["facility"], indices).tolist() if "facility" in cols else [None] * len(rows)
    month = raw_column(sheet, cols["month"], indices).tolist()
    year = raw_column(sheet, cols["year"], indices).tolist() if "year" in cols else [None] * len(rows)
    stamps = raw_column(sheet, form.timestamp, indices).tolist()
    last: dict[tuple, int] = {}
    skipped: set[int] = set()
    for k, r in enumerate(rows):
        key = _answer_key(facility[k], month[k], year[k], register)
        if key is None:
            continue
        if key in last:
            earlier = last[key]
            skipped.add(rows[earlier])
            form.repeats.append((rows[earlier], r, _stamp(stamps[earlier]), _stamp(stamps[k]), key[2]))
        last[key] = k
    for layout in form.layouts:
        layout.data_rows = [r for r in layout.data_rows if r not in skipped]
        # an answer that leaves this dataset's figure empty reports nothing for it (an empty count
        # would otherwise read as one visitor)
        figure = layout.columns[FORM_DATASETS[layout.dataset][0]]
        values = raw_column(sheet, figure, np.array(layout.data_rows, dtype=np.int64)).tolist()
        empty = [r for r, v in zip(layout.data_rows, values) if parse.is_blank(v)]
        if empty:
            form.empty.append((layout.dataset, layout.headers.get(figure, ""), empty))
            layout.data_rows = [r for r in layout.data_rows if r not in set(empty)]


def _answer_key(facility, month, year, register: Register) -> tuple | None:
    """(unit, month) an answer is for, as comparable values, with how to name them; None when
    either cannot be read (the row is then refused by the validator, naming its cell)."""
    if parse.is_blank(facility) or parse.is_blank(month):
        return None
    text = parse.clean_text(facility)
    try:
        unit = register.resolve(text)
        label = register.label(unit)
    except ValueError:
        unit, label = header_key(text), text
    m = parse.clean_text(month)
    if not parse.is_blank(year) and not re.search(r"\b\d{4}\b", m):
        y = parse.clean_text(year).split(".")[0]
        m = f"{y}-{int(m):02d}" if m.isdigit() and 1 <= int(m) <= 12 else f"{m} {y}"
    try:
        first = parse.parse_month(m)
    except parse.ParseError:
        return None
    if first is None:
        return None
    return unit, first, (label, first)


_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})")


def _stamp(raw) -> dict[str, str]:
    """A timestamp as people write it ('5 Des 2026 09:12' / '5 Dec 2026 09:12'); as written when
    it is not ISO (a text cell keeps the form's own spelling)."""
    text = parse.shown(raw)
    m = _STAMP.match(text)
    day = None
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            day = None
    if day is None:
        return {"id": text, "en": text}
    return {lang: f"{fmt_date(day, lang)} {m[4]}:{m[5]}" for lang in ("id", "en")}


def repeat_problems(form: Form, sheet: Sheet, file_name: str, is_csv: bool) -> list[Problem]:
    """One warning per answer left out, naming both rows and when each was sent."""
    out = []
    for skipped, used, at_skipped, at_used, (label, month) in form.repeats:
        params = {"used": sheet.first_row + used, "unit": label}
        for lang in ("id", "en"):
            params[f"skipped_at_{lang}"], params[f"used_at_{lang}"] = at_skipped[lang], at_used[lang]
            params[f"month_{lang}"] = fmt_month(month, lang)
        out.append(Problem("warning", "form_answered_twice", file_name, sheet.name, sheet.first_row + skipped,
                           params=params, is_csv=is_csv))
    for dataset, header, rows in form.empty:
        for r in rows:
            out.append(Problem("info", "form_figure_empty", file_name, sheet.name, sheet.first_row + r, header,
                               params={"dataset_id": DATASETS[dataset].title_id,
                                       "dataset_en": DATASETS[dataset].title_en}, is_csv=is_csv))
    return out
