"""Reading a big SLiMS loan-history export (issue 3).

A 200,000-row loan history as SLiMS exports it (ID Anggota | Nama Anggota |
Kode Eksemplar | Judul | Tanggal Pinjam | Tanggal Kembali | Status peminjaman;
member ids as text with and without leading zeros, dates as date cells,
status 0/1) is generated once under ``bench/work/`` and read three ways:

* the floor: fastexcel alone reading the sheet into Arrow (no checks at all);
* ours: ``etl.pipeline.read_file``: sniff, read, find the table and its
  facility, normalise, validate every cell, pseudonymise the member ids;
* the usual way: ``pandas.read_excel`` with openpyxl, then the same parsers
  applied row by row in Python.

Target: ours within 2× the floor.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bench.common import Row, measure, measure_pair

NAME = "reading"
DESCRIPTION = __doc__
ROWS = {"smoke": 2_000, "full": 200_000}
HEADER = ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Tanggal Pinjam", "Tanggal Kembali",
          "Status peminjaman"]
FACILITY = "lapas-banjarmasin"


def generate(path: Path, rows: int, seed: int = 3) -> Path:
    """The SLiMS loan history, written with xlsxwriter as PhpSpreadsheet would."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Sheet1")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    titles = [f"Judul Buku Nomor {k}" for k in range(3000)]
    first = dt.datetime(2023, 1, 2)
    for r in range(1, rows + 1):
        member = rng.randrange(1, 5000)
        day = first + dt.timedelta(days=rng.randrange(700))
        sheet.write_string(r, 0, f"{member:04d}" if member % 3 else str(member))
        sheet.write_string(r, 1, f"Anggota {member}")
        sheet.write_string(r, 2, f"B{r:07d}")
        sheet.write_string(r, 3, titles[rng.randrange(len(titles))])
        sheet.write_datetime(r, 4, day, date_fmt)
        sheet.write_datetime(r, 5, day + dt.timedelta(days=7), date_fmt)
        sheet.write_number(r, 6, rng.randrange(2))
    book.close()
    tmp.replace(path)
    return path


def input_file(size: str, work: Path) -> Path:
    rows = ROWS[size]
    path = work / f"{FACILITY}_riwayat_peminjaman_{rows}.xlsx"
    return path if path.exists() else generate(path, rows)


def options():
    from etl.facilities import load_register
    from etl.validate import Options
    from warehouse.settings import today

    return Options(register=load_register(), key=b"bench-key-not-a-secret-0123456789", today=today())


def floor(path: Path):
    import fastexcel

    return fastexcel.read_excel(path).load_sheet(0, header_row=None, eager=True)


def ours(path: Path, opts, rows: int):
    from etl.pipeline import read_file

    result = read_file(path, opts)
    loaded = len(result.records("loans"))
    if result.errors or loaded != rows:  # a benchmark of a failing read would measure nothing
        raise RuntimeError(f"read_file loaded {loaded} of {rows} rows: {[p.text() for p in result.errors[:3]]}")
    return result


def usual_way(path: Path, opts, rows: int) -> list[dict]:
    """What a straightforward script does: pandas + openpyxl, then a loop."""
    import pandas as pd

    from etl import parse
    from etl.privacy import pseudonymise

    frame = pd.read_excel(path, engine="openpyxl", dtype=object)
    out, errors = [], []
    for row in frame.itertuples(index=False):
        try:
            loan = parse.parse_date(str(row[4]))
            record = {"facility_code": FACILITY, "loan_date": loan, "month": loan.replace(day=1),
                      "item_code": parse.parse_text(row[2]), "title": parse.parse_text(row[3]),
                      "due_date": parse.parse_date(str(row[5])), "returned": parse.parse_loan_status(str(row[6])),
                      "borrower_key": pseudonymise(opts.key, FACILITY, parse.parse_id(str(row[0]))), "n_loans": 1}
            if record["due_date"] and record["due_date"] < loan:
                raise parse.ParseError("due_before_loan")
            out.append(record)
        except parse.ParseError as exc:
            errors.append(exc)
    if errors or len(out) != rows:
        raise RuntimeError(f"the usual way loaded {len(out)} of {rows} rows")
    return out


def run(size: str, work: Path) -> list[Row]:
    rows = ROWS[size]
    path = input_file(size, work)
    opts = options()
    full = size == "full"
    warmup, repeats = (1, 7) if full else (0, 1)
    mine, base, ratios = measure_pair(lambda: ours(path, opts, rows), lambda: floor(path), warmup, repeats)
    label = f"{rows:,}-row SLiMS loan history (.xlsx, {path.stat().st_size / 1e6:.1f} MB)"
    ratios.sort()
    floor_row = Row(NAME, f"{label}: read_file vs fastexcel reading it to Arrow", mine, base,
                    ratios[len(ratios) // 2], target=2.0, judged=full,
                    notes=[f"read_file / fastexcel per pair of runs: {', '.join(f'{r:.2f}' for r in ratios)}"])
    usual = measure(lambda: usual_way(path, opts, rows), warmup=0, repeats=1)
    usual_row = Row(NAME, f"{label}: read_file vs pandas.read_excel(openpyxl) + per-row checks", mine, usual,
                    mine.median / usual.median, target=1.0, judged=full)
    return [floor_row, usual_row]
