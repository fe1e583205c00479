"""Backups of the warehouse, taken while the dashboard runs, and putting one back.

A backup is a folder ``pantau-YYYYMMDD-HHMMSS`` holding

* ``pantau.duckdb``: the database, copied while this process holds the file
  (other processes wait, as for any writer) right after a CHECKPOINT, so the copy
  is the last committed state with nothing left in a WAL;
* ``secret.key``: the installation key (without it the pseudonyms of new files
  would no longer match the stored ones, and every session would end);
* ``documents/``: the signed agreement documents (kept for good);
* ``manifest.json``: when, the schema version and the sha256 of every file.

The uploaded originals are not included: they hold names and are meant to expire.
Everything is written 0600 in 0700 folders, first under a temporary name and
renamed when complete, so a half-written backup never looks like one.

Restoring (:func:`restore_backup`) checks the manifest's hashes, opens the copied
database read-only and refuses a schema newer than this code's, then puts the
database back by an atomic rename; the current database is kept aside beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb

from warehouse import db, settings

DATABASE = "pantau.duckdb"
KEY = "secret.key"
DOCUMENTS = "documents"
MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup that cannot be written or put back; the message is one sentence for the user."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_private(source: Path, target: Path) -> None:
    db.private_dir(target.parent)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    db.private_file(target)


def code_schema_version() -> int:
    from warehouse.schema import MIGRATIONS

    return len(MIGRATIONS)


LAKE_BACKUP = ("Gudang data ini DuckLake (PANTAU_CATALOG): cadangkan katalog PostgreSQL-nya dengan pg_dump dan "
               "folder PANTAU_DATA_PATH, bukan dengan perintah ini.")


def _not_on_lake(path: Path | None) -> None:
    """backup and restore-backup copy the DuckDB file; a lake is backed up with PostgreSQL's own tools."""
    if path is None and db.is_lake():
        raise BackupError(LAKE_BACKUP)


def make_backup(folder: Path, now: dt.datetime | None = None, path: Path | None = None) -> Path:
    """Write a backup into a new subfolder of ``folder``; returns that subfolder."""
    _not_on_lake(path)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    source = Path(path or db.db_path())
    root = db.private_dir(Path(folder))
    name = f"pantau-{now:%Y%m%d-%H%M%S}"
    final = root / name
    n = 1
    while final.exists():
        n += 1
        final = root / f"{name}-{n}"
    work = root / f".{final.name}.{os.getpid()}.tmp"
    db.private_dir(work)
    try:
        files: dict[str, str] = {}
        with db.exclusive(source) as con:
            version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            con.execute("CHECKPOINT")
            _copy_private(source, work / DATABASE)  # nobody can write while this process holds the file
        files[DATABASE] = _sha256(work / DATABASE)
        key = Path(settings.get("PANTAU_SECRET_FILE"))
        if key.is_file():
            _copy_private(key, work / KEY)
            files[KEY] = _sha256(work / KEY)
        documents = Path(settings.get("PANTAU_DOCUMENTS_DIR"))
        if documents.is_dir():
            for doc in sorted(documents.iterdir()):
                if doc.is_file() and not doc.name.endswith(".tmp"):
                    _copy_private(doc, work / DOCUMENTS / doc.name)
                    files[f"{DOCUMENTS}/{doc.name}"] = _sha256(work / DOCUMENTS / doc.name)
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "schema_version": int(version[0]),
                    "files": files}
        db.write_private(work / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        os.replace(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups in ``folder`` (only folders that hold a manifest)."""
    found = sorted((p for p in Path(folder).glob("pantau-*") if (p / MANIFEST).is_file()), key=lambda p: p.name)
    gone = found[:-keep] if keep > 0 else []
    for old in gone:
        shutil.rmtree(old)
    return gone


def check_backup(folder: Path) -> dict:
    """The backup's manifest, after checking every file's hash and the database itself;
    raises :class:`BackupError` with one sentence."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = manifest["files"]
        schema = int(manifest["schema_version"])
    except FileNotFoundError:
        raise BackupError(f"{folder} bukan cadangan Pantau Literasi: tidak ada {MANIFEST}.") from None
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{folder / MANIFEST} rusak: bukan manifes cadangan yang sah.") from None
    if DATABASE not in files:
        raise BackupError(f"{folder / MANIFEST} tidak mencantumkan {DATABASE}; cadangan tidak lengkap.")
    for rel, expected in files.items():
        target = folder / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise BackupError(f"{folder / MANIFEST} menyebut berkas di luar folder cadangan ({rel}).")
        if not target.is_file():
            raise BackupError(f"Cadangan tidak lengkap: {rel} tidak ada di {folder}.")
        if _sha256(target) != expected:
            raise BackupError(f"Cadangan rusak atau diubah: isi {rel} tidak cocok dengan manifesnya.")
    try:
        con = duckdb.connect(str(folder / DATABASE), read_only=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        raise BackupError(f"{folder / DATABASE} tidak bisa dibuka sebagai basis data DuckDB.") from None
    if row is None or int(row[0]) != schema:
        raise BackupError(f"Versi skema di {DATABASE} tidak cocok dengan manifesnya.")
    if schema > code_schema_version():
        raise BackupError(f"Cadangan ini dari versi aplikasi yang lebih baru (skema {schema}, aplikasi ini "
                          f"{code_schema_version()}); perbarui aplikasinya dulu.")
    return manifest


def restore_backup(folder: Path, now: dt.datetime | None = None, path: Path | None = None) -> dict:
    """Check the backup in ``folder`` and put it back; returns what was done:
    ``{"manifest", "kept_aside" (the previous database or None), "documents" (files added)}``."""
    _not_on_lake(path)
    folder = Path(folder)
    manifest = check_backup(folder)
    stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    target = Path(path or db.db_path())
    db.private_dir(target.parent)
    staged = target.with_name(f"{target.name}.restore-{os.getpid()}.tmp")
    _copy_private(folder / DATABASE, staged)
    if _sha256(staged) != manifest["files"][DATABASE]:
        staged.unlink()
        raise BackupError("Salinan basis data berubah saat disalin; coba lagi.")
    kept = None
    try:
        with db.exclusive(target, create=False) as con:  # waits for the dashboard and loaders, as a writer does
            if con is not None:
                con.execute("CHECKPOINT")
            if target.exists():
                kept = target.with_name(f"{target.name}.before-restore-{stamp}")
                os.replace(target, kept)
            wal = target.with_name(target.name + ".wal")
            if wal.exists():
                os.replace(wal, kept.with_name(kept.name + ".wal") if kept else wal.with_name(wal.name + ".old"))
            os.replace(staged, target)
    finally:
        if staged.exists():
            staged.unlink()
    key = folder / KEY
    if KEY in manifest["files"]:
        current = Path(settings.get("PANTAU_SECRET_FILE"))
        if current.is_file() and current.read_bytes() != key.read_bytes():
            os.replace(current, current.with_name(f"{current.name}.before-restore-{stamp}"))
        if not current.is_file():
            tmp = current.with_name(f"{current.name}.{os.getpid()}.tmp")
            _copy_private(key, tmp)
            os.replace(tmp, current)
    added = 0
    documents = Path(settings.get("PANTAU_DOCUMENTS_DIR"))
    for rel in manifest["files"]:
        if rel.startswith(DOCUMENTS + "/"):
            dest = documents / Path(rel).name
            if not dest.exists():
                tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
                _copy_private(folder / rel, tmp)
                os.replace(tmp, dest)
                added += 1
    db.forget(target)
    db.bump_version(target)
    return {"manifest": manifest, "kept_aside": kept, "documents": added}
