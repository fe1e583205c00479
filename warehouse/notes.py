"""Notes on a unit's month: what staff know about a month that the figures do not say
("perpustakaan tutup renovasi", "listrik padam 2 minggu"), for one dataset or for all of them,
and the mark that a unit was closed for the month (then no report is expected of it:
warehouse/completeness.py reads the notes in force for that).

Every change is a row of ``note_change`` (add, edit, remove), written with its audit entry in
one transaction; the note in force is its latest change not undone (the view
``note_in_force``), so undoing a change brings the note back as it was before, the way undoing
a batch brings back the batch it replaced. Only staff and admins change notes: staff their
own, admins any; the account's role is read from the warehouse at the moment of the change.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from warehouse.accounts import RANK, AccountError, _now, audit, require_role
from warehouse.completeness import EXPECTED
from warehouse.db import connect, next_id, transaction

DATASETS = ("all",) + EXPECTED   # what a note is about: every expected report of the month, or one
MAX_LENGTH = 300


class NoteError(AccountError):
    """A refused change of a note; ``str()`` is the Indonesian sentence, :meth:`text` either language."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_id)
        self.message_en = message_en

    def text(self, lang: str) -> str:
        return self.message_en if lang == "en" else str(self)


def first_of_month(month) -> dt.date:
    stamp = pd.Timestamp(month)
    return dt.date(stamp.year, stamp.month, 1)


def clean_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _check_role(con, username: str) -> str:
    """The account's role now (active accounts only); refuses anyone below staff."""
    return require_role(con, username, "staff", NoteError(
        f"Akun '{username}' tidak boleh mengubah catatan; hanya staf atau admin.",
        f"Account '{username}' may not change notes; staff or admins only."))


def _check_text(text: str, closed: bool) -> str:
    text = clean_text(text)
    if not text and not closed:
        raise NoteError("Catatan kosong; tulis isinya, mis. 'perpustakaan tutup renovasi'.",
                        "The note is empty; write what happened, e.g. 'library closed for renovation'.")
    if len(text) > MAX_LENGTH:
        raise NoteError(f"Catatan terlalu panjang ({len(text)} karakter); paling banyak {MAX_LENGTH}.",
                        f"The note is too long ({len(text)} characters); at most {MAX_LENGTH}.")
    return text


def _current(con, note_id: int):
    """The note's latest change not undone: (change_id, action, facility, month, dataset, closed, text, changed_by)."""
    return con.execute(
        "SELECT change_id, action, facility_code, month, dataset, closed, text, changed_by FROM note_change "
        "WHERE note_id = ? AND undone_at IS NULL ORDER BY change_id DESC LIMIT 1", [note_id]).fetchone()


def _describe(code: str, month: dt.date, dataset: str, closed: bool, text: str) -> str:
    return f"{code} {month:%Y-%m} {dataset}{' tutup' if closed else ''}: {text}"


def _may_change(role: str, username: str, author: str) -> bool:
    return RANK[role] >= RANK["admin"] or username == author


def add(code: str, month, dataset: str, text: str, *, closed: bool = False, by: str,
        path: Path | None = None) -> int:
    """Attach a note to ``code``'s ``month`` for ``dataset`` ('all' or one of EXPECTED); with
    ``closed`` the unit is marked closed for that month (and dataset). Returns the note's id."""
    month = first_of_month(month)
    if dataset not in DATASETS:
        raise NoteError(f"Jenis laporan '{dataset}' tidak dikenal untuk catatan.",
                        f"Unknown report '{dataset}' for a note.")
    text = _check_text(text, closed)
    for attempt in transaction(path):
        with attempt as con:
            _check_role(con, by)
            unit = con.execute("SELECT short_name FROM facility WHERE code = ?", [code]).fetchone()
            if unit is None:
                raise NoteError(f"UPT '{code}' tidak ada di register.", f"Unit '{code}' is not in the register.")
            # note ids: on the lake max()+1 over the changes, which hold every note ever added
            note_id = next_id(con, "note_change", "note_id", "note_id_seq")
            change_id = next_id(con, "note_change", "change_id", "note_change_id_seq")
            con.execute(
                "INSERT INTO note_change (change_id, note_id, action, facility_code, month, dataset, closed, text, "
                "changed_by, changed_at) VALUES (?, ?, 'add', ?, ?, ?, ?, ?, ?, ?)",
                [change_id, note_id, code, month, dataset, closed, text, by, _now()])
            audit(con, by, "note_add", f"catatan #{note_id} (perubahan #{change_id}) "
                  + _describe(code, month, dataset, closed, text))
    return note_id


def _change(note_id: int, action: str, by: str, path: Path | None, text: str | None = None,
            closed: bool | None = None, dataset: str | None = None) -> int:
    for attempt in transaction(path):
        with attempt as con:
            role = _check_role(con, by)
            now = _current(con, note_id)
            if now is None or now[1] == "remove":
                raise NoteError(f"Catatan #{note_id} tidak ada (atau sudah dihapus).",
                                f"Note #{note_id} does not exist (or was removed).")
            _, _, code, month, old_dataset, old_closed, old_text, _ = now
            author = con.execute("SELECT changed_by FROM note_change WHERE note_id = ? AND action = 'add' "
                                 "ORDER BY change_id LIMIT 1", [note_id]).fetchone()[0]
            if not _may_change(role, by, author):
                raise NoteError(f"Catatan #{note_id} ditulis {author}; hanya penulisnya atau admin yang boleh "
                                "mengubahnya.",
                                f"Note #{note_id} was written by {author}; only its author or an admin may change it.")
            new_closed = old_closed if closed is None else closed
            new_dataset = old_dataset if dataset is None else dataset
            if new_dataset not in DATASETS:
                raise NoteError(f"Jenis laporan '{new_dataset}' tidak dikenal untuk catatan.",
                                f"Unknown report '{new_dataset}' for a note.")
            new_text = old_text if text is None else _check_text(text, new_closed)
            change_id = next_id(con, "note_change", "change_id", "note_change_id_seq")
            con.execute(
                "INSERT INTO note_change (change_id, note_id, action, facility_code, month, dataset, closed, text, "
                "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [change_id, note_id, action, code, month, new_dataset, new_closed, new_text, by, _now()])
            audit(con, by, f"note_{action}", f"catatan #{note_id} (perubahan #{change_id}) "
                  + _describe(code, month, new_dataset, new_closed, new_text))
    return change_id


def edit(note_id: int, *, by: str, text: str | None = None, closed: bool | None = None,
         dataset: str | None = None, path: Path | None = None) -> int:
    """Change a note's text, its closed mark or its dataset (None: unchanged). Returns the change's id."""
    return _change(note_id, "edit", by, path, text=text, closed=closed, dataset=dataset)


def remove(note_id: int, *, by: str, path: Path | None = None) -> int:
    """Take a note away (a closed mark too: the month's reports are expected again). Returns the change's id."""
    return _change(note_id, "remove", by, path)


def undo(change_id: int, *, by: str, path: Path | None = None) -> int:
    """Undo a note's latest change: the note comes back as it was before it (an undone addition
    leaves no note). Only the latest change of a note not undone yet can be undone, by its author
    or an admin. Returns the note's id."""
    for attempt in transaction(path):
        with attempt as con:
            role = _check_role(con, by)
            row = con.execute("SELECT note_id, action, changed_by, undone_at FROM note_change WHERE change_id = ?",
                              [change_id]).fetchone()
            if row is None:
                raise NoteError(f"Perubahan catatan #{change_id} tidak ada.",
                                f"Note change #{change_id} does not exist.")
            note_id, action, author, undone_at = row
            if undone_at is not None:
                raise NoteError(f"Perubahan catatan #{change_id} sudah dibatalkan.",
                                f"Note change #{change_id} was already undone.")
            latest = _current(con, note_id)
            if latest[0] != change_id:
                raise NoteError(f"Catatan #{note_id} sudah diubah lagi sesudah perubahan #{change_id}; batalkan "
                                f"perubahan #{latest[0]} dulu.",
                                f"Note #{note_id} was changed again after change #{change_id}; undo change "
                                f"#{latest[0]} first.")
            if not _may_change(role, by, author):
                raise NoteError(f"Perubahan catatan #{change_id} dibuat {author}; hanya dia atau admin yang boleh "
                                "membatalkannya.",
                                f"Note change #{change_id} was made by {author}; only they or an admin may undo it.")
            con.execute("UPDATE note_change SET undone_at = ?, undone_by = ? WHERE change_id = ?",
                        [_now(), by, change_id])
            audit(con, by, "note_undo", f"catatan #{note_id}: perubahan #{change_id} ({action}) dibatalkan")
    return note_id


LISTING = """
SELECT n.note_id, n.facility_code AS code, f.short_name, n.month, n.dataset, n.closed, n.text,
       n.changed_by, n.changed_at, n.change_id
FROM note_in_force n JOIN facility f ON f.code = n.facility_code
WHERE n.month BETWEEN ? AND ? AND n.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY n.month, f.short_name, n.note_id
"""


def listing(start: dt.date, end: dt.date, facilities: tuple[str, ...], path: Path | None = None) -> pd.DataFrame:
    """The notes in force on the units ``facilities`` for the months ``start``..``end``: one row per note
    (note_id, code, short_name, month, dataset, closed, text, changed_by, changed_at, and the
    change_id of its latest change, the one undo takes back)."""
    with connect(path) as con:
        return con.execute(LISTING, [first_of_month(start), first_of_month(end), list(facilities)]).df()


CHANGES = """
SELECT c.change_id, c.note_id, c.action, c.facility_code AS code, f.short_name, c.month, c.dataset, c.closed,
       c.text, c.changed_by, c.changed_at, c.undone_at, c.undone_by,
       c.undone_at IS NULL AND c.change_id = max(c.change_id) FILTER (WHERE c.undone_at IS NULL)
           OVER (PARTITION BY c.note_id) AS undoable
FROM note_change c JOIN facility f ON f.code = c.facility_code
WHERE c.month BETWEEN ? AND ? AND c.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY c.change_id DESC
"""


def changes(start: dt.date, end: dt.date, facilities: tuple[str, ...], path: Path | None = None) -> pd.DataFrame:
    """Every change of the notes on those units and months, newest first, with whether it can be
    undone now (``undoable``: the note's latest change not undone)."""
    with connect(path) as con:
        return con.execute(CHANGES, [first_of_month(start), first_of_month(end), list(facilities)]).df()

