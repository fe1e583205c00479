"""Stored flags of :mod:`warehouse.anomaly`: written with the batch that brought
the value, listed while open, and confirmed (with a note, audited) by the
uploader or an admin.

A flag is open while nobody has confirmed it and its batch is still the one in
force for that facility-month: a corrected file, or undoing the batch, closes it
without a confirmation (the value it was about is no longer counted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from etl.i18n import normalise_lang, translate
from warehouse import anomaly
from warehouse.accounts import RANK, audit, require_role
from warehouse.db import connect, insert_rows, next_ids, transaction

TEXT: dict[str, tuple[str, str]] = {
    "gone": ("Nilai ini sudah tidak perlu dicek (sudah dikonfirmasi, diganti atau dibatalkan).",
             "This value no longer needs a check (already confirmed, replaced or undone)."),
    "not_allowed": ("Hanya pengunggah batch #{batch} atau admin yang dapat mengonfirmasi nilai ini.",
                    "Only the uploader of batch #{batch} or an admin can confirm this value."),
    "no_note": ("Tulis catatan singkat mengapa angka ini benar.", "Write a short note on why this figure is right."),
}


class FlagError(Exception):
    """A refused confirmation, said in one sentence (``text(lang)``)."""

    def __init__(self, key: str, **kw):
        super().__init__(translate(TEXT, key, "id", **kw))
        self.key, self.kw = key, kw

    def text(self, lang: str = "id") -> str:
        return translate(TEXT, self.key, lang, **self.kw)


def store(con: duckdb.DuckDBPyConnection, found: list[anomaly.Flag], batch_of: dict[str, int], note: str | None,
          at: dt.datetime) -> int:
    """Write the flags of a load, each with the batch of its dataset; returns how many."""
    rows = [[batch_of[f.dataset], f.dataset, f.facility_code, f.month, f.part, f.value, f.expected.center,
             f.expected.low, f.expected.high, f.expected.months, f.expected.seasonal, at, (note or "").strip() or None]
            for f in found if f.dataset in batch_of]
    if rows:
        ids = next_ids(con, "anomaly_flag", "flag_id", "anomaly_flag_id_seq", len(rows))
        rows = [[flag_id, *row] for flag_id, row in zip(ids, rows)]
        insert_rows(con, "anomaly_flag", ("flag_id", "batch_id", "dataset", "facility_code", "month", "part", "value",
                                          "expected_center", "expected_low", "expected_high", "history_months",
                                          "seasonal", "flagged_at", "load_note"), rows)
    return len(rows)


OPEN = """
SELECT a.flag_id, a.batch_id, a.dataset, a.facility_code, coalesce(f.short_name, a.facility_code) AS short_name,
       a.month, a.part, a.value, a.expected_center, a.expected_low, a.expected_high, a.flagged_at, a.load_note,
       b.loaded_by, b.file_name
FROM anomaly_flag a
JOIN batch b ON b.batch_id = a.batch_id
JOIN current_cell c ON c.dataset = a.dataset AND c.facility_code = a.facility_code AND c.month = a.month
     AND c.part = a.part AND c.batch_id = a.batch_id
LEFT JOIN facility f ON f.code = a.facility_code
WHERE a.confirmed_at IS NULL
  AND (?::DATE IS NULL OR a.month >= ?::DATE) AND (?::DATE IS NULL OR a.month <= ?::DATE)
  AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.facility_code))
ORDER BY a.month DESC, short_name, a.dataset, a.part
"""


def open_flags(start: dt.date | None = None, end: dt.date | None = None, codes=None, lang: str = "id",
               path: Path | None = None) -> pd.DataFrame:
    """The open flags of the months ``start``..``end`` and the facilities ``codes`` (None: all),
    newest month first, each with its sentence (``message``) in ``lang``."""
    codes = list(codes) if codes is not None else None
    with connect(path) as con:
        frame = con.execute(OPEN, [start, start, end, end, codes, codes]).df()
    lang = normalise_lang(lang)
    frame["message"] = [anomaly.flag_text(r.dataset, r.part, r.short_name, pd.Timestamp(r.month).date(), r.value,
                                          r.expected_center, r.expected_low, r.expected_high, lang)
                        for r in frame.itertuples()] if len(frame) else pd.Series(dtype=object)
    return frame


def confirm(flag_id: int, username: str, note: str, path: Path | None = None) -> None:
    """Confirm a flagged value as right: allowed to the uploader of its batch (staff) and to admins,
    checked against the accounts table in the same transaction; the note is required; audited."""
    note = (note or "").strip()
    for attempt in transaction(path):
        with attempt as con:
            row = con.execute(f"SELECT * FROM ({OPEN}) WHERE flag_id = ?",
                              [None, None, None, None, None, None, flag_id]).fetchone()
            if row is None:
                raise FlagError("gone")
            batch_id, dataset, facility, name, month, part, value, center, low, high = row[1:11]
            loaded_by = row[13]
            role = require_role(con, username, "staff", FlagError("not_allowed", batch=batch_id))
            if RANK[role] < RANK["admin"] and username != loaded_by:  # staff: only their own batch's values
                raise FlagError("not_allowed", batch=batch_id)
            if not note:
                raise FlagError("no_note")
            con.execute("UPDATE anomaly_flag SET confirmed_at = ?, confirmed_by = ?, confirm_note = ? WHERE flag_id = ?",
                        [dt.datetime.now().replace(microsecond=0), username, note, flag_id])
            audit(con, username, "flag_confirmed",
                  anomaly.flag_text(dataset, part, name, month, value, center, low, high, "id")
                  + f" Dikonfirmasi benar: {note}", batch_id)
