"""Loading, replacing, undoing and restoring batches.

One file loads in one transaction: its batches (one per dataset in it), their
staging rows, the facility-months they cover, the pointers to the batches in
force and the marts for those facility-months. Any failure rolls all of it
back. The same file again is a no-op; a new file for a dataset-facility-month
already reported replaces the earlier batch there, which stays as superseded
and can be restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from etl.messages import Problem
from warehouse import flags, marts, precheck, settings, snapshots
from warehouse.accounts import audit, record
from warehouse.db import connect, insert_rows, next_id, private_dir, transaction, write_private

if TYPE_CHECKING:  # the ETL's result object; the warehouse only reads its attributes
    from etl.pipeline import FileResult

STAGING = {"loans": "stg_loan", "visits": "stg_visit", "training": "stg_training_session",
           "attendance": "stg_training_participant", "agreements": "stg_agreement", "packages": "stg_package",
           "occupancy": "stg_occupancy"}

_INSERT = {
    "loans": """INSERT INTO stg_loan SELECT ?, facility_code, CAST(month AS DATE), CAST(loan_date AS DATE), item_code,
        title, category, borrower_key, borrower_group, borrower_gender, CAST(due_date AS DATE),
        CAST(return_date AS DATE), returned, service, n_loans, borrowers_l, borrowers_p, is_recap, source_sheet,
        source_row FROM incoming""",
    "visits": """INSERT INTO stg_visit SELECT ?, facility_code, CAST(month AS DATE), CAST(visit_date AS DATE),
        service, visitor_key, visitor_group, gender, is_group, n_visitors, visitors_l, visitors_p, service_days, room,
        is_total, source_sheet, source_row FROM incoming""",
    "training": """INSERT INTO stg_training_session SELECT ?, facility_code, CAST(month AS DATE), session_key, title,
        topic, audience, organiser, partner, CAST(start_date AS DATE), CAST(end_date AS DATE), place, participants_l,
        participants_p, participants, notes, source_sheet, source_row FROM incoming""",
    "attendance": """INSERT INTO stg_training_participant SELECT ?, facility_code, CAST(month AS DATE), session_key,
        title, topic, audience, organiser, place, CAST(start_date AS DATE), participant_key, gender, role,
        source_sheet, source_row FROM incoming""",
    "agreements": """INSERT INTO stg_agreement SELECT ?, facility_code, CAST(month AS DATE), agreement_key,
        number_dispersip, number_facility, CAST(signed_on AS DATE), CAST(valid_from AS DATE),
        CAST(valid_until AS DATE), scope, document_sha256, document_name, notes, source_sheet, source_row
        FROM incoming""",
    "packages": """INSERT INTO stg_package SELECT ?, facility_code, CAST(month AS DATE), CAST(package_date AS DATE),
        books_delivered, books_returned, package_label, notes, source_sheet, source_row FROM incoming""",
    "occupancy": """INSERT INTO stg_occupancy SELECT ?, facility_code, CAST(month AS DATE), CAST(snapshot_date AS DATE),
        occupants, capacity, source, source_sheet, source_row FROM incoming""",
}

INT32_MAX = 2**31 - 1  # the staging tables' INTEGER columns


class LoadRefused(Exception):
    """A file the warehouse cannot store, said as one sentence for staff
    (``text(lang)``); nothing of it was written."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text("id"))
        self.problem = problem

    def text(self, lang: str = "id") -> str:
        return self.problem.text(lang)


def _check_ranges(result, dataset: str, records) -> None:
    """A count the ETL let through but an INTEGER column cannot hold is named
    by its cell, before DuckDB would raise a conversion error."""
    import numpy as np

    from etl.specs import DATASETS

    headers = {c.key: c.header_id for c in DATASETS[dataset].columns}
    for name in records.columns:
        if name == "source_row" or records[name].dtype.kind not in "iuf":
            continue
        values = records[name].to_numpy(dtype="float64", na_value=np.nan)
        bad = np.flatnonzero(np.abs(np.nan_to_num(values)) > INT32_MAX)
        if len(bad):
            i = int(bad[0])
            sheet = records["source_sheet"].iloc[i] if "source_sheet" in records else None
            row = int(records["source_row"].iloc[i]) if "source_row" in records else None
            raise LoadRefused(Problem("error", "load_value_out_of_range", result.name, sheet, row,
                                      headers.get(name, name), f"{values[i]:.0f}",
                                      is_csv=getattr(result, "format", "") in ("csv", "tsv")))


class LoadHeld(Exception):
    """A file that loads only when the person loading says so: flagged values need a note,
    a replacement that removes more than half of a month's figure an explicit confirmation.
    Nothing of it was written; ``check`` holds what was found, ``text(lang)`` says what to do."""

    def __init__(self, check: "precheck.PreCheck", reason: str):
        super().__init__(reason)
        self.check = check
        self.reason = reason


@dataclass
class Replaced:
    batch_id: int
    facility_code: str
    month: dt.date
    part: str
    loaded_by: str
    loaded_at: dt.datetime
    file_name: str


@dataclass
class BatchOutcome:
    dataset: str
    batch_id: int | None             # None: nothing new (the same file was loaded before)
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    cells: list[tuple[str, dt.date, str]]
    replaced: list[Replaced] = field(default_factory=list)
    duplicate_of: int | None = None  # the earlier batch of the same file


@dataclass
class LoadOutcome:
    file_name: str
    sha256: str
    batches: list[BatchOutcome]
    dry_run: bool = False
    check: "precheck.PreCheck | None" = None  # the flags and replacement totals found before loading

    @property
    def changed(self) -> bool:
        return any(b.batch_id is not None for b in self.batches)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def existing_cells(con: duckdb.DuckDBPyConnection, dataset: str, cells) -> list[Replaced]:
    """The batches now in force for ``cells`` of ``dataset`` (what a load would replace)."""
    if not cells:
        return []
    incoming = pa.table({
        "facility_code": pa.array([c[0] for c in cells], pa.string()),
        "month": pa.array([c[1] for c in cells], pa.date32()),
        "part": pa.array([c[2] for c in cells], pa.string()),
    })
    con.register("cells_input", incoming)
    try:
        rows = con.execute(
            """SELECT c.batch_id, c.facility_code, c.month, c.part, b.loaded_by, b.loaded_at, b.file_name
               FROM current_cell c JOIN cells_input i
                 ON i.facility_code = c.facility_code AND i.month = c.month AND i.part = c.part
               JOIN batch b ON b.batch_id = c.batch_id
               WHERE c.dataset = ? ORDER BY c.facility_code, c.month, c.part""", [dataset]).fetchall()
    finally:
        con.unregister("cells_input")
    return [Replaced(*r) for r in rows]


class RecordsBatch:
    """A batch typed into the app (an agreement, occupancy figures) rather than read
    from a file: it loads, replaces, undoes and restores like any other."""

    format = "app"
    data = None
    errors: list = []
    problems: list = []

    def __init__(self, dataset: str, records, name: str):
        import pandas as pd

        from etl.validate import cell_counts

        self.dataset = dataset
        self.frame = records.copy()
        if "source_sheet" not in self.frame:
            self.frame["source_sheet"] = "aplikasi"
        if "source_row" not in self.frame:
            self.frame["source_row"] = range(1, len(self.frame) + 1)
        self.name = name
        payload = self.frame.drop(columns=["source_row"]).to_csv(index=False).encode()
        self.sha256 = hashlib.sha256(dataset.encode() + payload).hexdigest()
        self._counts = cell_counts(self.frame.assign(month=pd.to_datetime(self.frame["month"])), dataset)

    @property
    def datasets(self) -> list[str]:
        return [self.dataset]

    def records(self, dataset: str):
        return self.frame

    def cell_counts(self, dataset: str):
        return self._counts

    def cells(self, dataset: str):
        return set(self._counts)

    def rejected(self, dataset: str) -> list:
        return []

    def rows_read(self, dataset: str) -> int:
        return len(self.frame)

    def sheet_names(self, dataset: str) -> list[str]:
        return ["aplikasi"]


def load_records(dataset: str, records, *, name: str, loaded_by: str, path: Path | None = None) -> "LoadOutcome":
    """Load rows typed into the app as a batch of ``dataset``."""
    return load_file(RecordsBatch(dataset, records, name), loaded_by=loaded_by, path=path)


def replacements(result: "FileResult", path: Path | None = None) -> dict[str, list[Replaced]]:
    """Per dataset of ``result``, the reports in force that loading it would replace
    (the same file again replaces nothing: it is a no-op)."""
    out: dict[str, list[Replaced]] = {}
    with connect(path) as con:
        for dataset in result.datasets:
            same = con.execute("SELECT 1 FROM batch WHERE sha256 = ? AND dataset = ? AND undone_at IS NULL",
                               [result.sha256, dataset]).fetchone()
            if not same:
                out[dataset] = existing_cells(con, dataset, sorted(result.cells(dataset)))
    return out


def load_file(result: "FileResult", *, loaded_by: str, accept_valid: bool = False, dry_run: bool = False,
              received_at: dt.datetime | None = None, path: Path | None = None,
              fail_after_insert: bool = False, checks: bool = False, note: str | None = None,
              replace_anyway: bool = False, refresh_marts: bool = True, totals: bool = True) -> LoadOutcome:
    """Load every dataset of ``result`` in one transaction.

    The caller has checked ``result.errors``: with errors and without
    ``accept_valid`` nothing may load. ``dry_run`` does all the work and rolls
    it back, reporting what would happen. ``fail_after_insert`` exists for the
    atomicity test: it raises after the staging rows are written.

    The values that need a check (:mod:`warehouse.anomaly`) are stored with the
    batch, with ``note``. With ``checks`` (staff uploading: the command line,
    the upload page) :class:`LoadHeld` refuses the file when it has such values
    and no ``note``, or when it replaces more than half of a month's figure
    without ``replace_anyway``; the trusted demo loads without.

    ``totals=False`` leaves out the replacement totals, which are only shown, never stored (the demo's load,
    whose report nobody reads line by line: ``outcome.check.totals`` is then empty).

    ``refresh_marts=False`` leaves the marts to the caller, who rebuilds them once after a run of
    files (the demo's first load, :func:`warehouse.ingest.load_paths` with ``defer_marts``).
    """
    if result.errors and not accept_valid:
        raise ValueError("a file with errors loads nothing unless accept_valid is set")
    loaded_at = _now()
    received_at = received_at or loaded_at
    for attempt in transaction(path):
        outcomes: list[BatchOutcome] = []
        with attempt as con:
            try:
                check = precheck.run(con, result, totals)
                held = check.refusal("id", note, replace_anyway) if checks and not dry_run else None
                if held:
                    raise LoadHeld(check, "note" if check.flags and not (note or "").strip() else "replace")
                touched: set[tuple[str, dt.date]] = set()
                for dataset in result.datasets:
                    outcome = _load_dataset(con, result, dataset, loaded_by, loaded_at, received_at, accept_valid)
                    outcomes.append(outcome)
                    if outcome.batch_id is not None:
                        touched |= {(f, m) for f, m, _ in outcome.cells}
                stored = flags.store(con, check.flags,
                                     {o.dataset: o.batch_id for o in outcomes if o.batch_id is not None},
                                     note, loaded_at)
                if stored:
                    audit(con, loaded_by, "flags_loaded", f"{result.name}: {stored} nilai perlu dicek dimuat"
                          + (f" dengan catatan: {note.strip()}" if (note or "").strip() else ""),
                          next(o.batch_id for o in outcomes if o.batch_id is not None))
                for o in outcomes:
                    if o.batch_id is None:
                        continue
                    audit(con, loaded_by, "upload", f"{result.name}: {o.dataset}, {o.rows_loaded} baris dimuat, "
                          f"{o.rows_rejected} ditolak", o.batch_id)
                    replaced = sorted({r.batch_id for r in o.replaced})
                    if replaced:
                        audit(con, loaded_by, "replace", f"batch {', '.join(map(str, replaced))} digantikan untuk "
                              f"{len(o.replaced)} sel fasilitas-bulan", o.batch_id)
                if fail_after_insert:
                    raise RuntimeError("injected failure")
                if refresh_marts:
                    marts.refresh(con, touched, {o.dataset for o in outcomes if o.batch_id is not None})
                if dry_run:
                    con.execute("ROLLBACK")
            except (duckdb.DataError, duckdb.IntegrityError) as exc:
                # a value the ETL let through but a column cannot hold: one sentence, never DuckDB's text
                raise LoadRefused(Problem("error", "load_failed", result.name)) from exc
    if not dry_run and any(o.batch_id is not None for o in outcomes) and result.data is not None:
        keep_original(result.sha256, result.name, result.data, by=loaded_by, path=path)
    return LoadOutcome(result.name, result.sha256, outcomes, dry_run, check)


def _load_dataset(con, result, dataset, loaded_by, loaded_at, received_at, accept_valid) -> BatchOutcome:
    records = result.records(dataset)
    cells = sorted(result.cells(dataset))
    rejected = result.rejected(dataset)
    rows_read = result.rows_read(dataset)
    earlier = con.execute(
        "SELECT batch_id FROM batch WHERE sha256 = ? AND dataset = ? AND undone_at IS NULL ORDER BY batch_id LIMIT 1",
        [result.sha256, dataset]).fetchone()
    if earlier:
        return BatchOutcome(dataset, None, rows_read, 0, len(rejected), cells, duplicate_of=earlier[0])
    if records.empty:
        return BatchOutcome(dataset, None, rows_read, 0, len(rejected), [])
    batch_id = next_id(con, "batch", "batch_id", "batch_id_seq")
    con.execute(
        """INSERT INTO batch (batch_id, dataset, file_name, sha256, file_format, sheets, loaded_by, loaded_at,
                              received_at, rows_read, rows_loaded, rows_rejected, accept_valid, lake_snapshot_before)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [batch_id, dataset, result.name, result.sha256, result.format, ", ".join(result.sheet_names(dataset)),
         loaded_by, loaded_at, received_at, rows_read, len(records), len(rejected), accept_valid,
         snapshots.read_snapshot(con)])
    _check_ranges(result, dataset, records)
    con.register("incoming", _arrow(records))
    try:
        con.execute(_INSERT[dataset], [batch_id])
    finally:
        con.unregister("incoming")
    counts = result.cell_counts(dataset)
    insert_rows(con, "batch_cell", ("batch_id", "dataset", "facility_code", "month", "part", "n_rows"),
                [[batch_id, dataset, f, m, p, n] for (f, m, p), n in counts.items()])
    replaced = existing_cells(con, dataset, list(counts))
    con.execute(
        """DELETE FROM current_cell USING batch_cell b
           WHERE b.batch_id = ? AND current_cell.dataset = b.dataset AND current_cell.facility_code = b.facility_code
             AND current_cell.month = b.month AND current_cell.part = b.part""", [batch_id])
    con.execute("""INSERT INTO current_cell SELECT dataset, facility_code, month, part, batch_id, ?
                   FROM batch_cell WHERE batch_id = ?""", [loaded_at, batch_id])
    if rejected:
        insert_rows(con, "rejected_row", ("batch_id", "sheet", "row_number", "messages_id", "messages_en",
                                          "cell_values"), [
            [batch_id, r["sheet"], r["row"], "\n".join(p.text("id") for p in r["problems"]),
             "\n".join(p.text("en") for p in r["problems"]), json.dumps(r["values"], ensure_ascii=False)]
            for r in rejected])
    return BatchOutcome(dataset, batch_id, rows_read, len(records), len(rejected), sorted(counts), replaced)


def _arrow(records) -> pa.Table:
    table = pa.Table.from_pandas(records, preserve_index=False)
    return table


# ------------------------------------------------------------------ batches
def undo_batch(batch_id: int, *, by: str, path: Path | None = None) -> list[tuple[str, dt.date, str, int | None]]:
    """Take a batch back. Where it was in force, the batch it replaced comes
    back (or the facility-month becomes unreported). Returns, per cell,
    (facility, month, part, batch now in force)."""
    for attempt in transaction(path):
        with attempt as con:
            row = con.execute("SELECT dataset, undone_at FROM batch WHERE batch_id = ?", [batch_id]).fetchone()
            if row is None:
                raise LookupError(f"batch {batch_id} tidak ada")
            if row[1] is not None:
                raise LookupError(f"batch {batch_id} sudah dibatalkan pada {row[1]:%Y-%m-%d %H:%M}")
            con.execute("UPDATE batch SET undone_at = ?, undone_by = ? WHERE batch_id = ?", [_now(), by, batch_id])
            cells = con.execute(
                "SELECT dataset, facility_code, month, part FROM current_cell WHERE batch_id = ?", [batch_id]).fetchall()
            con.execute("DELETE FROM current_cell WHERE batch_id = ?", [batch_id])
            result = []
            for dataset, facility, month, part in cells:
                previous = con.execute(
                    """SELECT c.batch_id FROM batch_cell c JOIN batch b ON b.batch_id = c.batch_id
                       WHERE c.dataset = ? AND c.facility_code = ? AND c.month = ? AND c.part = ?
                         AND b.undone_at IS NULL AND c.batch_id <> ?
                       ORDER BY c.batch_id DESC LIMIT 1""", [dataset, facility, month, part, batch_id]).fetchone()
                if previous:
                    con.execute("INSERT INTO current_cell VALUES (?, ?, ?, ?, ?, ?)",
                                [dataset, facility, month, part, previous[0], _now()])
                result.append((facility, month, part, previous[0] if previous else None))
            marts.refresh(con, {(f, m) for f, m, _, _ in result}, {dataset for dataset, _, _, _ in cells})
            audit(con, by, "undo", f"{len(result)} sel fasilitas-bulan", batch_id)
    return result


def restore_batch(batch_id: int, *, by: str, path: Path | None = None) -> list[tuple[str, dt.date, str, int | None]]:
    """Put a superseded batch back in force everywhere it reported. Returns,
    per cell, (facility, month, part, batch it replaced)."""
    for attempt in transaction(path):
        with attempt as con:
            row = con.execute("SELECT undone_at FROM batch WHERE batch_id = ?", [batch_id]).fetchone()
            if row is None:
                raise LookupError(f"batch {batch_id} tidak ada")
            if row[0] is not None:
                raise LookupError(f"batch {batch_id} sudah dibatalkan; muat ulang berkasnya untuk memakainya lagi")
            cells = con.execute("SELECT dataset, facility_code, month, part FROM batch_cell WHERE batch_id = ?",
                                [batch_id]).fetchall()
            result = []
            for dataset, facility, month, part in cells:
                now = con.execute("SELECT batch_id FROM current_cell WHERE dataset = ? AND facility_code = ? AND "
                                  "month = ? AND part = ?", [dataset, facility, month, part]).fetchone()
                if now and now[0] == batch_id:
                    continue
                con.execute("DELETE FROM current_cell WHERE dataset = ? AND facility_code = ? AND month = ? AND part = ?",
                            [dataset, facility, month, part])
                con.execute("INSERT INTO current_cell VALUES (?, ?, ?, ?, ?, ?)",
                            [dataset, facility, month, part, batch_id, _now()])
                result.append((facility, month, part, now[0] if now else None))
            marts.refresh(con, {(f, m) for f, m, _, _ in result}, {dataset for dataset, _, _, _ in cells})
            audit(con, by, "restore", f"{len(result)} sel fasilitas-bulan", batch_id)
    return result


# ---------------------------------------------------------------- originals
def originals_dir() -> Path:
    return settings.get("PANTAU_ORIGINALS_DIR")


def original_path(sha256: str) -> Path | None:
    folder = originals_dir()
    matches = list(folder.glob(f"{sha256}.*")) if folder.exists() else []
    return matches[0] if matches else None


def keep_original(sha256: str, name: str, data: bytes, by: str = "system", path: Path | None = None) -> Path | None:
    """Keep an uploaded file by its hash for ``PANTAU_ORIGINALS_RETENTION_DAYS``
    (it holds names, so it is not kept forever), and purge older ones. With 0 days
    nothing is kept, and any original kept before is removed."""
    days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")
    if days <= 0:
        purge(by, days, path)
        return None
    target = store_by_hash(originals_dir(), sha256, name, data, ".bin")
    purge(by, days, path)
    return target


def store_by_hash(folder: Path, sha256: str, name: str, data: bytes, default_suffix: str) -> Path:
    """Write ``data`` once as ``folder/<sha256><suffix of name>``, atomically (a file that is
    already there is the same bytes); the uploaded originals and the agreements' documents.
    The folder is 0700 and the file 0600: originals hold names."""
    private_dir(folder)
    suffix = Path(name).suffix.lower()[:6] or default_suffix
    target = folder / f"{sha256}{suffix}"
    if not target.exists():
        tmp = target.with_suffix(target.suffix + f".{os.getpid()}.tmp")
        write_private(tmp, data)
        os.replace(tmp, target)
    return target


def purge_originals(days: int | None = None) -> int:
    """Remove the kept originals older than ``days`` (bawaan: ``PANTAU_ORIGINALS_RETENTION_DAYS``);
    ``days <= 0`` removes every one. Returns how many files were removed."""
    if days is None:
        days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")
    folder = originals_dir()
    if not folder.is_dir():
        return 0
    limit = dt.datetime.now().timestamp() - max(days, 0) * 86400
    removed = 0
    for f in folder.iterdir():
        try:
            if f.is_file() and (days <= 0 or f.stat().st_mtime < limit):
                f.unlink()
                removed += 1
        except FileNotFoundError:  # another process purged it first
            pass
    return removed


def purge(by: str, days: int | None = None, path: Path | None = None) -> int:
    """The retention rule run on its own (``python -m etl purge``, server start): purge and,
    when anything went, say so in the audit log."""
    if days is None:
        days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")
    removed = purge_originals(days)
    if removed:
        record(by, "originals_purged", f"{removed} berkas asli dihapus (retensi {max(days, 0)} hari)", path=path)
    return removed
