"""Read one file end to end: open it, find every table in it, validate the rows,
and say what it covers. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.facilities import Register
from etl.forms import find_form, read_form, repeat_problems
from etl.layout import HEAD_ROWS, Layout, classify_rows, find_layout
from etl.matrix import find_matrix, validate_matrix
from etl.messages import Problem
from etl.readers import UnreadableFile, Workbook, read_workbook
from etl.specs import DATASETS, header_key
from etl.templates import INSTRUCTION_HEADER_ROW, INSTRUCTION_SHEETS, LISTS_SHEET, is_template_instructions
from etl.validate import Options, SheetResult, cell_counts, sheet_notes, validate_sheet

INSTRUCTIONS = {header_key(n) for n in INSTRUCTION_SHEETS}
EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".html", ".htm"}


@dataclass
class FileResult:
    name: str
    format: str = ""
    sha256: str = ""
    size: int = 0
    data: bytes | None = None
    sheets: list[SheetResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # file- and sheet-level, and every row problem
    _records: dict = field(default_factory=dict, repr=False)
    _cells: dict = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def datasets(self) -> list[str]:
        return sorted({s.dataset for s in self.sheets}, key=lambda k: DATASETS[k].load_order)

    def records(self, dataset: str) -> pd.DataFrame:
        if dataset not in self._records:
            frames = [s.records for s in self.sheets if s.dataset == dataset and not s.records.empty]
            if not frames:
                combined = next((s.records.iloc[0:0] for s in self.sheets if s.dataset == dataset), pd.DataFrame())
            else:
                combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            self._records[dataset] = combined
        return self._records[dataset]

    def cells(self, dataset: str) -> set[tuple[str, dt.date, str]]:
        return set(self.cell_counts(dataset))

    def cell_counts(self, dataset: str) -> dict[tuple[str, dt.date, str], int]:
        if dataset not in self._cells:
            self._cells[dataset] = cell_counts(self.records(dataset), dataset)
        return self._cells[dataset]

    def rows_read(self, dataset: str) -> int:
        return sum(s.rows_read for s in self.sheets if s.dataset == dataset)

    def rejected(self, dataset: str) -> list[dict]:
        return [dict(r, sheet=s.sheet) for s in self.sheets if s.dataset == dataset for r in s.rejected]

    def sheet_names(self, dataset: str) -> list[str]:
        return [s.sheet for s in self.sheets if s.dataset == dataset]


def facility_from_name(name: str, register: Register) -> str | None:
    """``lapas-banjarmasin_peminjaman_2024-08.xlsx`` or ``Peminjaman Rutan Rantau Agustus.xlsx``."""
    stem = Path(name).stem.lower()
    codes = [f.code for f in register.facilities if f.code in stem]
    codes = [c for c in codes if not any(c != other and c in other for other in codes)]  # a code inside a longer one
    if len(codes) == 1:
        return codes[0]
    if len(codes) > 1:  # the name names several units: it names none
        return None
    return register.find_in_text(re.sub(r"[_\-.]+", " ", Path(name).stem))


def find_table(head: list[list], merged, sheet_name: str, register: Register,
               datasets: tuple[str, ...] | None = None) -> Layout:
    """The table in the first rows of a sheet: a month-column table (a
    statistic screen or a hand-made recap) when it starts no lower than the
    best reading with column headers, else that reading (``Layout(None)`` when
    neither fits)."""
    layout = find_layout(head, merged, sheet_name, register, datasets)
    matrix = find_matrix(head, merged, sheet_name, register, datasets)
    if matrix is not None and (layout.dataset is None or matrix.header_rows[0] <= layout.header_rows[0]):
        return matrix
    return layout


def read_file(path: str | Path, opts: Options, data: bytes | None = None, name: str | None = None,
              datasets: tuple[str, ...] | None = None) -> FileResult:
    """Read, find tables, validate. Never raises for a user error: problems are
    returned in the result."""
    name = name or Path(path).name
    result = FileResult(name=name)
    try:
        if data is None:
            data = Path(path).read_bytes()
        workbook: Workbook = read_workbook(path, data=data, name=name, limits=opts.limits)
    except UnreadableFile as exc:
        result.problems.append(Problem("error", exc.code, name, params=exc.params))
        return result
    except OSError as exc:
        result.problems.append(Problem("error", "corrupt", name, params={"detail": exc.strerror or str(exc)}))
        return result
    result.format, result.sha256, result.size = workbook.format, workbook.sha256, workbook.size
    result.data = data
    is_csv = workbook.format in ("csv", "tsv")
    file_opts = Options(**{**opts.__dict__, "file_facility": opts.file_facility or facility_from_name(name, opts.register)})
    for sheet in workbook.sheets:
        if header_key(sheet.name) in INSTRUCTIONS:
            if not is_template_instructions(sheet.head(INSTRUCTION_HEADER_ROW + 1)):
                # a sheet staff named so themselves: said, as a note
                result.problems.append(Problem("info", "instructions_sheet", name, sheet.name, is_csv=is_csv))
            continue  # our blank template's own instructions sheet: nothing staff need to hear about
        if sheet.hidden:
            if sheet.name == LISTS_SHEET:
                continue  # the drop-down lists of our own templates
            result.problems.append(Problem("info", "hidden_sheet", name, sheet.name, is_csv=is_csv))
            continue
        if sheet.height == 0:
            result.problems.append(Problem("info", "empty_sheet", name, sheet.name, is_csv=is_csv))
            continue
        head = sheet.head(HEAD_ROWS)
        if not any(any(c not in (None, "") for c in row) for row in head):
            result.problems.append(Problem("info", "empty_sheet", name, sheet.name, is_csv=is_csv))
            continue
        form = find_form(head, opts.register, datasets)
        if form is not None:  # an online form's answers: each dataset of a row read as its own table
            read_form(sheet, form, opts.register)
            result.problems.extend(repeat_problems(form, sheet, name, is_csv))
            for k, layout in enumerate(form.layouts):
                sheet_result = validate_sheet(sheet, layout, file_opts, name, is_csv)
                if k == 0:
                    result.problems.extend(sheet_notes(layout, name, sheet.name, is_csv))
                said = {(p.severity, p.code, p.row, p.column, p.value) for p in result.problems}
                # a problem of a shared column (the unit's name, the month) is said once, not once per dataset
                result.problems.extend(p for p in sheet_result.problems
                                       if (p.severity, p.code, p.row, p.column, p.value) not in said)
                result.sheets.append(sheet_result)
            continue
        layout = find_table(head, sheet.merged, sheet.name, opts.register, datasets)
        if layout.dataset is None:
            result.problems.append(Problem("error", "unknown_sheet", name, sheet.name, is_csv=is_csv))
            continue
        if len(layout.candidates) > 1:
            labels = ", ".join(DATASETS[k].title_id for k in layout.candidates)
            result.problems.append(Problem("error", "ambiguous_sheet", name, sheet.name, is_csv=is_csv,
                                           params={"candidates": labels}))
            continue
        classify_rows(sheet, layout, opts.register)
        if not layout.data_rows:
            result.problems.append(Problem("warning", "no_data_rows", name, sheet.name, is_csv=is_csv))
        if layout.matrix is not None:
            sheet_result = validate_matrix(sheet, layout, file_opts, name, is_csv)
        else:
            sheet_result = validate_sheet(sheet, layout, file_opts, name, is_csv)
        result.problems.extend(sheet_notes(layout, name, sheet.name, is_csv))
        result.problems.extend(sheet_result.problems)
        result.sheets.append(sheet_result)
    if not result.sheets and not result.errors:
        result.problems.append(Problem("error", "no_dataset", name))
    elif result.sheets and not result.errors and not any(s.rows_read for s in result.sheets):
        # only headers, no data row anywhere: nothing would load, and that must not look like success
        result.problems.append(Problem("error", "header_only", name))
    return result
