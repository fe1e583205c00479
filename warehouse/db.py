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

With ``PANTAU_CATALOG`` set the warehouse is a DuckLake instead (issue 17): its
catalog in PostgreSQL, its data files under ``PANTAU_DATA_PATH``. Then none of
the above applies: each process keeps one in-memory DuckDB with the lake
attached and every unit of work gets its own connection to it; readers read the
snapshot committed when they start and never wait; writers commit optimistically
(:func:`transaction` runs a write again when another writer committed first, up
to ``PANTAU_LAKE_RETRIES`` times, then raises :class:`WriteConflict`); the data
version is the lake's latest snapshot id.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import threading
import time
import uuid
from collections.abc import Sequence
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


class WriteConflict(DatabaseBusy):
    """A write to the lake kept meeting other writers' commits (PANTAU_LAKE_RETRIES times)."""


def db_path() -> Path:
    return settings.get("PANTAU_DB")


def _sibling(path: Path | None, suffix: str) -> Path:
    path = Path(path or db_path())
    return path.with_name(path.name + suffix)


def version_path(path: Path | None = None) -> Path:
    return _sibling(path, ".version")


def data_version(path: Path | None = None) -> str:
    """Changes whenever a write commits; cheap enough to read on every rerun."""
    if path is None and is_lake():
        return _lake_snapshot()
    try:
        return version_path(path).read_text().strip() or "0"
    except FileNotFoundError:
        return "0"


def bump_version(path: Path | None = None) -> str:
    if path is None and is_lake():
        return _lake_snapshot()  # every commit makes a new snapshot
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
                if threads := settings.get("PANTAU_DUCKDB_THREADS"):  # 0: DuckDB's own (one per core)
                    con.execute(f"SET threads = {max(int(threads), 1)}")
                return con
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"Berkas data {path} sedang dipakai proses lain lebih dari {timeout:g} detik; "
                        "coba lagi sebentar lagi.") from exc
                # a writer waits with its flag up, and puts it back if it went: another writer that overwrote it
                # lowers it on getting the file, and a reader whose instance is kept warm would then hold the
                # file for as long as it keeps reading
                if write and (not flagged or not _flag(path).exists()):
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


def _release_warm(path: Path | None = None, checkpoint: bool = True) -> None:
    with _WARM_LOCK:
        keys = [str(path)] if path else list(_WARM)
        for key in keys:
            entry = _WARM.pop(key, None)
            if entry:
                if not checkpoint:
                    with contextlib.suppress(duckdb.Error):  # a connection DuckDB invalidated closes all the same
                        entry[0].execute("PRAGMA disable_checkpoint_on_shutdown")
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
    when the block ends without an exception. On the lake (``PANTAU_CATALOG``) the
    connection reads and writes the lake; several statements that must commit
    together belong in :func:`transaction`.
    """
    if path is None and is_lake():
        if not write:
            with _lake_connection() as con:
                yield con
            return
        # one transaction, kept as far as the block got (as the file keeps each statement): a with-block
        # cannot run twice, so a lost commit race is reported at once (transaction() runs work again)
        with _lake_writer() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE pantau_lake.write_token SET n = n + 1")
            try:
                yield con
            except duckdb.Error:
                _rollback(con)
                raise
            except BaseException:
                _commit(con)
                raise
            _commit(con)
        return
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
    dashboard or another loader gets its turn. Nothing to hold on the lake."""
    if path is None and is_lake():
        yield
        return
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
    if path is None and is_lake():
        return
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
    ``create`` is false and there is no database yet. On the lake: a connection to it
    (writers there never hold anything)."""
    if path is None and is_lake():
        with _lake_writer() as con:
            yield con
        return
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


def release(path: Path | None = None, *, checkpoint: bool = True) -> None:
    """Close this process's warm connection now (tests, shutdown), and its lakes. ``checkpoint=False`` leaves
    the changes in the write-ahead log instead of writing them into the file first (a tenth of the time):
    for a warehouse about to be thrown away, as a test's is at its end."""
    _release_warm(Path(path) if path else None, checkpoint)
    if path is None:
        _release_lakes()


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


# ------------------------------------------------------------- transactions
def _conflict(exc: BaseException) -> bool:
    """A lake commit that lost to another writer's (DuckLake's optimistic concurrency)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) and ("conflict" in text or "ducklake" in text)


class _Attempt:
    """One try of a write unit of work (see :func:`transaction`)."""

    def __init__(self, path: Path | None, last: bool, tries: int):
        self.path, self.last, self.tries = path, last, tries
        self.done = False
        self.conflict: BaseException | None = None

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        lake = self.path is None and is_lake()
        self._cm = _lake_writer() if lake else connect(self.path, write=True)
        self.con = self._cm.__enter__()
        try:
            self.con.execute("BEGIN TRANSACTION")
            if lake:
                # every write to the lake changes this one row: two writers at once cannot both commit,
                # so what DuckLake does not enforce (keys, ids from max()+1) holds as on the file
                self.con.execute("UPDATE pantau_lake.write_token SET n = n + 1")
        except BaseException as exc:
            self._cm.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self.con

    def __exit__(self, kind, exc, tb) -> bool:
        con = self.con
        if exc is None:
            try:
                con.execute("COMMIT")
                self.done = True
            except duckdb.Error as error:
                if "no transaction is active" in str(error):  # the work rolled itself back (a dry run)
                    self.done = True
                elif not _conflict(error):
                    _rollback(con)
                    self._cm.__exit__(type(error), error, error.__traceback__)
                    raise
                else:
                    self.conflict = error
        elif _conflict(exc):
            self.conflict = exc
        if self.done:
            self._cm.__exit__(None, None, None)
            return False
        _rollback(con)
        if self.conflict is not None:
            self._cm.__exit__(None, None, None)
            if self.last:
                raise WriteConflict(CONFLICT.format(tries=self.tries)) from self.conflict
            return True  # the next attempt runs the work again
        self._cm.__exit__(kind, exc, tb)
        return False


def _commit(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("COMMIT")
    except duckdb.Error as error:
        if "no transaction is active" in str(error):
            return
        if _conflict(error):
            raise WriteConflict(CONFLICT.format(tries=1)) from error
        raise


CONFLICT = ("Penyimpanan bentrok dengan penulisan lain (dicoba {tries} kali) dan dibatalkan tanpa menyimpan apa "
            "pun; coba lagi sebentar lagi.")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # nothing to roll back: the failed commit ended the transaction


def transaction(path: Path | None = None, *, retries: int | None = None):
    """A write unit of work in one transaction, run again when it loses a commit race on the lake::

        for attempt in db.transaction():
            with attempt as con:
                ...  # reads and writes; commits at the end of the block, rolls back on an exception

    On the file the block runs once (writers take turns there). On the lake each attempt starts from
    the latest snapshot; after ``PANTAU_LAKE_RETRIES`` lost races it raises :class:`WriteConflict`
    (one Indonesian sentence) and nothing of the work is stored. The block may run more than once:
    what it does outside the database must bear repeating."""
    tries = max(1, retries or int(settings.get("PANTAU_LAKE_RETRIES"))) if path is None and is_lake() else 1
    for number in range(1, tries + 1):
        attempt = _Attempt(path, number == tries, tries)
        yield attempt
        if attempt.done:
            return
        if attempt.conflict is None:  # the block left by return/break/exception before its end
            return
        time.sleep(min(2.0, 0.05 * 2 ** min(number, 6)) * (0.5 + _jitter()))


def _jitter() -> float:
    return int.from_bytes(os.urandom(2), "big") / 65535


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str, sequence: str) -> int:
    """A new id for ``table``: the sequence's next value on the file; max()+1 on the lake, which has no
    sequences (safe there: :func:`transaction` lets one writer at a time commit)."""
    return next_ids(con, table, column, sequence, 1)[0]


def next_ids(con: duckdb.DuckDBPyConnection, table: str, column: str, sequence: str, n: int) -> list[int]:
    """``n`` new ids for rows about to be inserted into ``table`` (see :func:`next_id`)."""
    if is_lake() and con_is_lake(con):
        first = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0]
        return list(range(first, first + n))
    return sorted(i for i, in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall())


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence],
                chunk: int = 500) -> None:
    """Insert ``rows`` (values in the order of ``columns``) into ``table``, one statement of bound values for
    each ``chunk`` rows: DuckDB's ``executemany`` runs its statement once per row (the register's 96 seed rows
    took 90-100 ms that way, 11-16 ms this way)."""
    names = ", ".join(columns)
    row = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        con.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(part))}",
                    [value for r in part for value in r])


# --------------------------------------------------------------------- lake
LAKE = "lake"                    # the attached lake's name in each connection
_LAKES: dict[tuple[str, str], duckdb.DuckDBPyConnection] = {}
_LAKES_LOCK = threading.Lock()


def is_lake() -> bool:
    """The warehouse is a DuckLake (``PANTAU_CATALOG`` set), not the DuckDB file."""
    return bool(str(settings.get("PANTAU_CATALOG")).strip())


def con_is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT current_database()").fetchone()[0] == LAKE


def lake_data_path() -> str:
    raw = str(settings.get("PANTAU_DATA_PATH")).strip()
    if "://" in raw:
        return raw.rstrip("/") + "/"
    path = Path(raw)
    path = path if path.is_absolute() else settings.ROOT / path
    private_dir(path)
    return str(path).rstrip("/") + "/"


def extension_file(name: str) -> Path:
    """The DuckDB extension ``name`` from its pinned PyPI wheel (``INSTALL`` cannot download here)."""
    import importlib

    module = importlib.import_module(f"duckdb_extension_{name}")
    folder = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    return folder / f"{name}.duckdb_extension"


def _lake_base() -> duckdb.DuckDBPyConnection:
    key = (str(settings.get("PANTAU_CATALOG")).strip(), lake_data_path())
    with _LAKES_LOCK:
        base = _LAKES.get(key)
        if base is None:
            base = duckdb.connect(":memory:")
            names = ["postgres_scanner", "ducklake"] + (["httpfs"] if key[1].startswith("s3://") else [])
            for name in names:
                base.execute(f"LOAD '{extension_file(name)}'")
            if key[1].startswith("s3://"):  # credentials from the environment (AWS_* variables), never stored
                base.execute("CREATE SECRET pantau_s3 (TYPE s3, PROVIDER credential_chain)")
            catalog = key[0].replace("'", "''")
            base.execute(f"ATTACH 'ducklake:postgres:{catalog}' AS {LAKE} (DATA_PATH '{key[1]}')")
            base.execute(f"USE {LAKE}")
            _LAKES[key] = base
    with _SCHEMA_LOCK:
        if key not in _LAKE_READY:
            con = base.cursor()
            try:
                con.execute(f"USE {LAKE}")
                _lake_migrate(con)
            finally:
                con.close()
            _LAKE_READY.add(key)
    return base


_LAKE_READY: set[tuple[str, str]] = set()


def _lake_migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the lake's schema up to date; two processes starting on a new lake at once race, and the
    one that loses finds the other's tables when it tries again."""
    from warehouse.schema import migrate

    tries = max(1, int(settings.get("PANTAU_LAKE_RETRIES")))
    for number in range(1, tries + 1):
        try:
            migrate(con)
            return
        except duckdb.Error as exc:
            if number == tries or not (_conflict(exc) or "already exists" in str(exc)):
                raise
            _rollback(con)
            time.sleep(0.1 * number * (0.5 + _jitter()))


@contextmanager
def _lake_connection():
    con = _lake_base().cursor()
    try:
        con.execute(f"USE {LAKE}")
        yield con
    finally:
        con.close()


@contextmanager
def _lake_writer():
    with _WRITE_LOCK, _writer_turn(), _lake_connection() as con:
        yield con


# ------------------------------------------------------- the writers' turn
# One PostgreSQL advisory lock in the catalog's database: the lake's writers take turns on it.
TURN_KEY = int.from_bytes(b"pantau-w", "big") & 0x7FFFFFFFFFFFFFFF
_TURNS: dict[str, object] = {}   # catalog -> this process's psycopg connection that takes the turn


@contextmanager
def _writer_turn():
    """This process's turn to write to the lake, across processes and servers.

    DuckLake commits optimistically: two writers that both change ``pantau_lake.write_token`` find out
    only at COMMIT, and the one that loses runs its whole write again. So writers queue first: a
    session-level advisory lock of the catalog's PostgreSQL database, held by one connection of this
    process for the length of one write transaction, and released at its end. Each write then runs
    once, readers never take it, and a process that dies mid-write lets go with its connection
    (PostgreSQL ends the session), so the next writer goes on. A writer waits as long as the queue
    moves; when the writer ahead of it has held the turn for ``PANTAU_LOCK_TIMEOUT`` seconds it gives
    up with :class:`DatabaseBusy` (one sentence) and stores nothing. The token stays: a writer that
    does not queue (an older version) still cannot commit over another."""
    import psycopg

    catalog = str(settings.get("PANTAU_CATALOG")).strip()
    timeout = float(settings.get("PANTAU_LOCK_TIMEOUT"))
    for last in (False, True):  # a connection that went stale (PostgreSQL restarted) is opened again once
        con = _TURNS.get(catalog)
        try:
            if con is None:
                con = _TURNS[catalog] = psycopg.connect(catalog, autocommit=True, application_name="pantau-writer")
            con.execute("SELECT set_config('lock_timeout', %s, false)", [f"{max(1, int(timeout * 1000))}ms"])
            ahead = None
            while True:
                try:
                    con.execute("SELECT pg_advisory_lock(%s)", [TURN_KEY])
                    break
                except psycopg.errors.LockNotAvailable as exc:
                    holder = _turn_holder(con)
                    if holder is not None and holder == ahead:  # the same writer all this time
                        raise DatabaseBusy(f"Gudang data sedang dipakai penulisan lain lebih dari {timeout:g} "
                                           "detik; coba lagi sebentar lagi.") from exc
                    ahead = holder  # the queue moved (or the turn is free now): wait on
            break
        except psycopg.OperationalError:
            _drop_turn(catalog)
            if last:
                raise
    try:
        yield
    finally:
        try:
            con.execute("SELECT pg_advisory_unlock(%s)", [TURN_KEY])
        except psycopg.Error:
            _drop_turn(catalog)  # closing the session lets go of the lock too


def _turn_holder(con) -> int | None:
    """The PostgreSQL backend that holds the writers' turn now (None: nobody)."""
    row = con.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
        "AND classid::bigint = %s AND objid::bigint = %s "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [TURN_KEY >> 32, TURN_KEY & 0xFFFFFFFF]).fetchone()
    return row[0] if row else None


def _drop_turn(catalog: str | None = None) -> None:
    for key in [catalog] if catalog else list(_TURNS):
        con = _TURNS.pop(key, None)
        if con is not None:
            try:
                con.close()
            except Exception:  # noqa: BLE001 - a broken connection: closing it is all that is left
                pass


def _lake_snapshot() -> str:
    """The lake's data version: its latest snapshot id, tagged with the lake it belongs to (``12@3f9a0c1e``),
    so caches keyed on it never take one lake's snapshot 12 for another's (tests make many lakes)."""
    with _lake_connection() as con:
        snapshot = con.execute(f"SELECT id FROM ducklake_current_snapshot('{LAKE}')").fetchone()[0]
    return f"{snapshot}@{lake_tag()}"


def lake_tag() -> str:
    """A short name of the lake the settings point at (its catalog and data path), for cache keys. Read on
    every data version, so from the settings as written: no folder made or checked, the hash computed once."""
    return _tag(str(settings.get("PANTAU_CATALOG")).strip(), str(settings.get("PANTAU_DATA_PATH")).strip())


@functools.lru_cache(maxsize=16)
def _tag(catalog: str, data_path: str) -> str:
    import hashlib

    return hashlib.sha256(f"{catalog}|{data_path}".encode()).hexdigest()[:8]


def changed_at(version: str) -> int | None:
    """When the data of ``version`` (:func:`data_version`) was committed, in nanoseconds since the epoch:
    the file's version starts with it; on the lake it is the snapshot's commit time."""
    head = version.split("@")[0].split("-")[0]
    if not head.isdigit() or head == "0":  # "0": nothing committed yet
        return None
    if "@" not in version:
        return int(head)
    with _lake_connection() as con:
        row = con.execute(f"SELECT epoch_ns(snapshot_time) FROM __ducklake_metadata_{LAKE}.ducklake_snapshot "
                          "WHERE snapshot_id = ?", [int(head)]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _release_lakes() -> None:
    with _LAKES_LOCK:
        for base in _LAKES.values():
            try:
                base.close()
            except duckdb.Error:
                pass
        _LAKES.clear()
        _LAKE_READY.clear()
    with _WRITE_LOCK:
        _drop_turn()
