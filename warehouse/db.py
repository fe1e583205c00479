"""The one module that opens the DuckDB file.

DuckDB lets one process at a time hold a database file. The dashboard and the
command-line loader share the file, so nobody holds it for long: every unit of
work opens a connection, does its work and closes it, and a process that finds
the file locked waits (up to ``PANTAU_LOCK_TIMEOUT`` seconds) instead of failing.
Within one process, writers are serialised by a lock, and readers on other
threads share the same database instance and see the last committed state.

After every committed write the *data version* (a small file beside the
database) changes; readers key their caches on it, so pages are fresh after a
load without reopening the database on every rerun.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse import settings

_WRITE_LOCK = threading.RLock()
_SCHEMA_READY: set[str] = set()
_SCHEMA_LOCK = threading.Lock()


class DatabaseBusy(RuntimeError):
    """Another process held the database longer than the lock timeout."""


def db_path() -> Path:
    return settings.get("PANTAU_DB")


def version_path(path: Path | None = None) -> Path:
    path = Path(path or db_path())
    return path.with_name(path.name + ".version")


def data_version(path: Path | None = None) -> str:
    """Changes whenever a write commits; cheap enough to read on every rerun."""
    try:
        return version_path(path).read_text().strip() or "0"
    except FileNotFoundError:
        return "0"


def bump_version(path: Path | None = None) -> str:
    target = version_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    value = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text(value)
    os.replace(tmp, target)
    return value


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + float(settings.get("PANTAU_LOCK_TIMEOUT"))
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"Berkas data {path} sedang dipakai proses lain lebih dari "
                    f"{settings.get('PANTAU_LOCK_TIMEOUT'):g} detik; coba lagi sebentar lagi."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


@contextmanager
def connect(path: Path | None = None, *, write: bool = False):
    """A connection for one unit of work; the file is released when it ends.

    ``write=True`` serialises writers of this process and bumps the data version
    when the block ends without an exception.
    """
    path = Path(path or db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    guard = _WRITE_LOCK if write else _NullLock()
    with guard:
        con = _open(path)
        try:
            _ensure_schema(con, path)
            yield con
        finally:
            con.close()
        if write:
            bump_version(path)


_HELD: dict[str, list] = {}


@contextmanager
def hold(path: Path | None = None, breathe_every: float = 5.0):
    """Keep the database open while this process does many units of work (a
    folder of files): each ``connect`` inside reuses the open database instead
    of reopening and checkpointing the file. Call :func:`breathe` between units;
    every ``breathe_every`` seconds it lets go of the file for a moment so the
    dashboard or another loader gets its turn."""
    path = Path(path or db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    _HELD[key] = [_open(path), time.monotonic(), breathe_every]
    try:
        yield
    finally:
        con = _HELD.pop(key)[0]
        con.close()


def breathe(path: Path | None = None) -> None:
    key = str(Path(path or db_path()).resolve())
    held = _HELD.get(key)
    if held is None or time.monotonic() - held[1] < held[2]:
        return
    held[0].close()
    time.sleep(0.3)  # long enough for a waiting process's next retry
    held[0] = _open(Path(key))
    held[1] = time.monotonic()


class _NullLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_ino}"
    if key in _SCHEMA_READY:
        return
    with _SCHEMA_LOCK:
        if key in _SCHEMA_READY:
            return
        from warehouse.schema import migrate

        migrate(con)
        _SCHEMA_READY.add(key)

