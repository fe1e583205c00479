"""The one module that opens the DuckDB file.

DuckDB lets one process at a time hold a database file. The dashboard and the
command-line loader share the file, so nobody holds it for long:

* every unit of work opens a connection, does its work and closes it;
* a process that finds the file locked waits (up to ``PANTAU_LOCK_TIMEOUT``
  seconds) instead of failing, and while a *writer* waits it leaves a flag
  beside the database so readers in other processes step aside for it;
* to make back-to-back queries cheap, the database stays open for
  ``PANTAU_KEEPALIVE`` seconds after the last unit of work, unless a writer
  elsewhere is waiting.

Within one process writers are serialised by a lock, and readers on other
threads share the same database instance and see the last committed state.

After every committed write the *data version* (a small file beside the
database) changes; readers key their caches on it, so pages are fresh after a
load without reopening the database on every rerun.

Everything the app writes beside the database (the file itself, its WAL, the
version and flag files) is private to the app's user: folders 0700, files 0600
(:func:`private_dir`, :func:`private_file`), whatever the process umask.
"""

from __future__ import annotations

import atexit
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
_WARM: dict[str, list] = {}      # path -> [connection, idle deadline]
_WARM_LOCK = threading.Lock()
_REAPER: threading.Thread | None = None
_HELD: dict[str, list] = {}      # path -> [connection, since, breathe_every]
WAIT_FLAG_FRESH = 60.0           # seconds a writer's flag counts as live


class DatabaseBusy(RuntimeError):
    """Another process held the database longer than the lock timeout."""


def db_path() -> Path:
    return settings.get("PANTAU_DB")


def _sibling(path: Path | None, suffix: str) -> Path:
    path = Path(path or db_path())
    return path.with_name(path.name + suffix)


def version_path(path: Path | None = None) -> Path:
    return _sibling(path, ".version")


def data_version(path: Path | None = None) -> str:
    """Changes whenever a write commits; cheap enough to read on every rerun."""
    try:
        return version_path(path).read_text().strip() or "0"
    except FileNotFoundError:
        return "0"


def bump_version(path: Path | None = None) -> str:
    target = version_path(path)
    private_dir(target.parent)
    value = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    write_private(tmp, value.encode())
    os.replace(tmp, target)
    return value


# ------------------------------------------------------------ private files
PRIVATE_UMASK = 0o077


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and missing parents) readable by this user only. A folder that
    already exists is left as it is (it may be /tmp or a folder the admin chose)."""
    folder = Path(folder)
    if not folder.is_dir():
        missing = []
        probe = folder
        while not probe.exists() and probe != probe.parent:
            missing.append(probe)
            probe = probe.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for created in missing:  # mkdir's mode is filtered by the umask; parents get the umask's
            try:
                os.chmod(created, 0o700)
            except OSError:
                pass
    return folder


def private_file(path: Path) -> None:
    """Take group and other permissions off a file this app wrote (if it is there and ours)."""
    try:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except OSError:
        pass


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new or existing file with mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    private_file(path)  # an existing file keeps its mode through O_CREAT


def _private_database(path: Path) -> None:
    for target in (path, _sibling(path, ".wal")):
        private_file(target)


# ------------------------------------------------------- a writer is waiting
def _flag(path: Path) -> Path:
    return _sibling(path, ".writer-waiting")


def _process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, /proc/<pid>/stat field 22), or
    None when there is no such process. Without /proc, "0" for any live process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None  # /proc works, the process is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "0"
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # the name in parentheses may hold spaces
    return fields[19] if len(fields) > 19 else None  # field 22 overall: state is field 3


def _flag_text() -> str:
    return f"{os.getpid()} {_process_start(os.getpid())}"


def _writer_waiting_elsewhere(path: Path) -> bool:
    """A writer in another, live process is waiting for the file. A flag left by a process
    that is gone (or whose pid now belongs to another process) is removed and ignored."""
    flag = _flag(path)
    try:
        text = flag.read_text().strip()
        age = time.time() - flag.stat().st_mtime
    except (FileNotFoundError, ValueError):
        return False
    parts = text.split()
    try:
        pid = int(parts[0]) if parts else 0
    except ValueError:
        pid = 0
    if pid == os.getpid():
        return False
    started = parts[1] if len(parts) > 1 else None
    alive = pid > 0 and (now := _process_start(pid)) is not None and (started is None or now == started)
    if not alive or age >= WAIT_FLAG_FRESH:
        _remove_flag_if(flag, text)
        return False
    return True


def _remove_flag_if(flag: Path, text: str) -> None:
    """Remove a stale flag, unless a live writer replaced it meanwhile."""
    try:
        if flag.read_text().strip() == text:
            flag.unlink()
    except FileNotFoundError:
        pass


def _raise_flag(path: Path) -> None:
    flag = _flag(path)
    tmp = flag.with_name(flag.name + f".{os.getpid()}.tmp")
    write_private(tmp, _flag_text().encode())
    os.replace(tmp, flag)


def _lower_flag(path: Path) -> None:
    _remove_flag_if(_flag(path), _flag_text())


def _open(path: Path, write: bool = False) -> duckdb.DuckDBPyConnection:
    timeout = float(settings.get("PANTAU_LOCK_TIMEOUT"))
    deadline = time.monotonic() + timeout
    if not write:  # step aside while a writer in another process waits for the file
        while _writer_waiting_elsewhere(path) and time.monotonic() < deadline:
            _release_warm(path)
            time.sleep(0.05)
    delay = 0.02
    flagged = False
    try:
        while True:
            try:
                con = duckdb.connect(str(path))
                _private_database(path)
                return con
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"Berkas data {path} sedang dipakai proses lain lebih dari {timeout:g} detik; "
                        "coba lagi sebentar lagi.") from exc
                if write and not flagged:
                    _raise_flag(path)
                    flagged = True
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
    finally:
        if flagged:
            _lower_flag(path)


# -------------------------------------------------------------- warm keeper
def _keep_warm(path: Path) -> None:
    """Keep the database instance open a moment after this unit of work."""
    seconds = float(settings.get("PANTAU_KEEPALIVE"))
    if seconds <= 0:
        return
    key = str(path)
    with _WARM_LOCK:
        entry = _WARM.get(key)
        if entry is None:
            # the caller's connection is open, so this attaches to the same instance at once
            entry = _WARM[key] = [duckdb.connect(key), 0.0]
        entry[1] = time.monotonic() + seconds
        _start_reaper()


def _release_warm(path: Path | None = None) -> None:
    with _WARM_LOCK:
        keys = [str(path)] if path else list(_WARM)
        for key in keys:
            entry = _WARM.pop(key, None)
            if entry:
                entry[0].close()


_STOP = threading.Event()


def _start_reaper() -> None:
    global _REAPER
    if _REAPER is not None and _REAPER.is_alive():
        return

    def reap():
        while not _STOP.wait(0.1):
            with _WARM_LOCK:
                now = time.monotonic()
                for key, (con, deadline) in list(_WARM.items()):
                    if now >= deadline or _writer_waiting_elsewhere(Path(key)):
                        con.close()
                        del _WARM[key]

    _REAPER = threading.Thread(target=reap, name="duckdb-keepalive", daemon=True)
    _REAPER.start()


@atexit.register
def _shutdown() -> None:
    """Close warm connections before the interpreter goes, so DuckDB checkpoints cleanly."""
    _STOP.set()
    if _REAPER is not None:
        _REAPER.join(timeout=1)
    _release_warm()


# ------------------------------------------------------------ units of work
@contextmanager
def connect(path: Path | None = None, *, write: bool = False):
    """A connection for one unit of work.

    ``write=True`` serialises writers of this process and bumps the data version
    when the block ends without an exception.
    """
    path = Path(path or db_path())
    private_dir(path.parent)
    guard = _WRITE_LOCK if write else _NullLock()
    with guard:
        con = _open(path, write)
        try:
            _ensure_schema(con, path)
            _keep_warm(path)
            yield con
        finally:
            con.close()
        if write:
            _private_database(path)
            bump_version(path)


@contextmanager
def hold(path: Path | None = None, breathe_every: float = 5.0):
    """Keep the database open while this process does many units of work (a
    folder of files): each ``connect`` inside reuses the open database instead
    of reopening and checkpointing the file. Call :func:`breathe` between units;
    every ``breathe_every`` seconds it lets go of the file for a moment so the
    dashboard or another loader gets its turn."""
    path = Path(path or db_path())
    private_dir(path.parent)
    key = str(path.resolve())
    _HELD[key] = [_open(path, write=True), time.monotonic(), breathe_every]
    try:
        yield
    finally:
        con = _HELD.pop(key)[0]
        con.close()
        _release_warm(path)


def breathe(path: Path | None = None) -> None:
    key = str(Path(path or db_path()).resolve())
    held = _HELD.get(key)
    if held is None or time.monotonic() - held[1] < held[2]:
        return
    held[0].close()
    _release_warm(Path(key))
    time.sleep(0.3)  # long enough for a waiting process's next retry
    held[0] = _open(Path(key), write=True)
    held[1] = time.monotonic()


@contextmanager
def exclusive(path: Path | None = None, *, create: bool = True):
    """This process alone holds the database file for the block (backups, restoring one):
    other processes wait as they do for any writer. Yields the connection, or None when
    ``create`` is false and there is no database yet."""
    path = Path(path or db_path())
    private_dir(path.parent)
    with _WRITE_LOCK:
        _release_warm(path)
        if not create and not path.exists():
            yield None
            return
        con = _open(path, write=True)
        try:
            if create:
                _ensure_schema(con, path)
            yield con
        finally:
            con.close()
            _private_database(path)


def forget(path: Path | None = None) -> None:
    """Drop what this process keeps open or remembers about the database file (it was replaced)."""
    path = Path(path or db_path())
    _release_warm(path)
    with _SCHEMA_LOCK:
        prefix = f"{path.resolve()}:"
        for key in [k for k in _SCHEMA_READY if k.startswith(prefix)]:
            _SCHEMA_READY.discard(key)


def release(path: Path | None = None) -> None:
    """Close this process's warm connection now (tests, shutdown)."""
    _release_warm(Path(path) if path else None)


@contextmanager
def using(env: dict[str, str]):
    """Point this process at other settings for a while (``PANTAU_DB`` and the rest: tests,
    benchmarks, one-off scripts): the environment is set, and the warm connection released,
    on the way in and restored on the way out."""
    old = {k: os.environ.get(k) for k in env}
    release()
    os.environ.update(env)
    try:
        yield
    finally:
        release()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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
