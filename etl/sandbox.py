"""Read an untrusted file in a separate worker process, with limits.

An uploaded file is parsed by :func:`etl.pipeline.read_file` in a child
process: a file that makes a reader allocate without bound, spin, or crash
(an abort from a Rust allocation failure, a segfault) takes down only that
child, never the dashboard server or ``etl load``. The limits are set in the
child (``resource.setrlimit``) before it reads a byte:

* memory: the child's address space may grow by at most ``memory_mb`` beyond
  what the warm worker already maps (``RLIMIT_AS``);
* time: ``RLIMIT_CPU`` in the child, and the parent kills the child at the
  wall-clock limit (a reader blocked on nothing still ends);
* output: the pickled result sent back may not exceed ``result_mb``;
* no files written (``RLIMIT_FSIZE`` 0), few files opened, no core dumps.

Children are forked from a warm ``forkserver`` that has already imported the
ETL, pandas, pyarrow and the readers, so an honest upload pays only a fork and
the pickling of its result (about 0.1 s for a 200,000-row export). Each file
gets a fresh child; the forkserver reaps it, so no zombies are left.

When a limit is hit, or the child dies, the result is a :class:`FileResult`
with one error naming the limit and its value ("berkas terlalu besar atau
rusak"), never a traceback; the detail of an unexpected exception goes to
stderr (the server's log), not to the user.

This module imports nothing heavy at import time, so :func:`warm` can start the
worker before the caller's own imports. It knows no settings: the callers
(``warehouse.ingest``) pass the limits from ``warehouse.settings``.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from pathlib import Path

MB = 1024 * 1024
# imported once by the forkserver, so every child starts with them loaded
PRELOAD = ["etl.pipeline", "pandas", "pyarrow", "fastexcel", "python_calamine", "etl.sandbox"]
OPEN_FILES = 64      # RLIMIT_NOFILE in the child: the data comes through a pipe, no file is opened
_context = None
_lock = threading.Lock()


@dataclass(frozen=True)
class WorkerLimits:
    """What one read may use. ``seconds`` is wall-clock (enforced by the parent) and CPU (in the child)."""
    memory_mb: int = 2048
    seconds: float = 30.0
    result_mb: int = 512


def _ctx():
    """The forkserver context with the heavy modules preloaded (started on first use)."""
    global _context
    with _lock:
        if _context is None:
            import multiprocessing

            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


class _Popen(popen_forkserver.Popen):
    def _launch(self, process_obj):
        """``popen_forkserver.Popen._launch`` without the main module: the child needs only this
        module, and re-running the caller's main module (a script, pytest's, Streamlit's) in it
        would be slow at best."""
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in ("init_main_from_path", "init_main_from_name"):
            prep_data.pop(key, None)
        buf = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


def warm(fork: bool = False) -> None:
    """Start the worker now, so the first read does not wait for it. Cheap and idempotent.

    By default the worker is a fresh interpreter that imports the ETL and the readers in the
    background (right for the threaded Streamlit server: call it at start). ``fork=True`` forks it
    from this process instead, which has imported them already, so they are not imported twice
    (``python -m etl load``: call it after the imports, before any thread or database is opened);
    it falls back to the default when this process already runs other threads."""
    _ctx()
    if fork and threading.current_thread() is threading.main_thread() and threading.active_count() == 1:
        _fork_server()
    forkserver.ensure_running()


def _fork_server() -> None:
    """``forkserver.ensure_running`` with ``os.fork`` instead of a new interpreter."""
    import socket
    from multiprocessing import connection, resource_tracker

    server = forkserver._forkserver
    with server._lock:
        if server._forkserver_pid is not None:
            return
        resource_tracker.ensure_running()
        address = connection.arbitrary_address("AF_UNIX")
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            alive_r, alive_w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the server: serve fork requests until this process's end closes alive_w
                try:
                    os.close(alive_w)
                    forkserver.main(listener.fileno(), alive_r, [])
                finally:
                    os._exit(0)
            os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid


def _vm(field: str) -> int:
    """This process's ``VmSize`` (mapped address space) or ``VmPeak`` in bytes."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set_limits(limits: WorkerLimits, base: int) -> None:
    """In the child, before reading: bound memory, CPU, files written and opened, and core dumps."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ["RUST_BACKTRACE"] = "0"  # a failed allocation in a Rust reader: one line in the log, not 40
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond RLIMIT_FSIZE fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(OPEN_FILES, soft), min(OPEN_FILES, hard) if hard > 0 else OPEN_FILES))
    cpu = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))  # SIGXCPU at the soft limit ends the child
    if limits.memory_mb > 0:
        space = base + limits.memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (space, space))


def _child(conn, path, opts, data, name, datasets, limits: WorkerLimits, misbehave: str | None) -> None:
    """The worker: limits, read, send back a header (status, detail, sizes, timings) then the pickled result."""
    info = {"base": _vm("VmSize")}
    failure = None
    try:
        _set_limits(limits, info["base"])
        if misbehave:
            _misbehave(misbehave, limits)
        from etl.pipeline import read_file

        start = time.perf_counter()
        result = read_file(path, opts, data=data, name=name, datasets=datasets)
        info["read_s"] = time.perf_counter() - start
        result.data = None                  # the parent has the bytes already
        result._records, result._cells = {}, {}
        start = time.perf_counter()
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        info["pickle_s"] = time.perf_counter() - start
        del result
        if misbehave == "big":
            payload = b"\0" * ((limits.result_mb + 1) * MB)
        if len(payload) > limits.result_mb * MB:
            conn.send(_header("result", "", len(payload), info))
            return
        conn.send(_header("ok", "", len(payload), info))
        conn.send_bytes(payload)
    except MemoryError:
        failure = ("memory", "MemoryError")
    except BaseException as exc:  # noqa: BLE001 (anything else: one sentence for the user, the traceback for the log)
        # (sent to the parent: with RLIMIT_FSIZE 0 the child cannot append to a log file itself)
        try:
            info["trace"] = "".join(traceback.format_exception(exc))[-4000:]
            failure = ("failed", f"{type(exc).__name__}: {exc}"[:500])
        except MemoryError:
            failure = ("memory", "MemoryError")
    finally:
        if failure is None:
            conn.close()
    if failure is None:
        return
    # out of the except clause, the traceback and the frames holding the memory are gone
    _send(conn, _header(failure[0], failure[1], 0, info))
    conn.close()


def _header(status: str, detail: str, size: int, info: dict) -> dict:
    info = dict(info, status=status, detail=detail, size=size,
                peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    info["grew_mb"] = max(0, _vm("VmPeak") - info.pop("base")) / MB
    return info


def _send(conn, message) -> None:
    try:
        conn.send(message)
    except OSError:  # the parent is gone or stopped listening: nobody to tell
        return


def _misbehave(kind: str, limits: WorkerLimits) -> None:
    if kind == "allocate":
        hog = []
        while True:
            hog.append(bytearray(16 * MB))
    elif kind == "spin":
        while True:
            pass
    elif kind == "sleep":
        time.sleep(3600)
    elif kind == "abort":
        os.abort()
    elif kind == "raise":
        raise RuntimeError("an unexpected failure inside the reader")


@dataclass
class Outcome:
    """How the child ended: ``ok`` | ``memory`` | ``time`` | ``result`` | ``failed`` | ``crashed``, and
    what it measured (for tests and the benchmarks): ``info`` has the result's size in bytes, the
    child's peak resident memory and address-space growth in MB, its read and pickle seconds."""
    status: str
    detail: str = ""
    info: dict = field(default_factory=dict)
    seconds: float = 0.0
    result: object = None


def read_isolated(path: str | Path, opts, data: bytes | None = None, name: str | None = None,
                  datasets: tuple[str, ...] | None = None, limits: WorkerLimits = WorkerLimits(), *,
                  _misbehave: str | None = None, _outcome: list | None = None):
    """:func:`etl.pipeline.read_file` in a fresh child of the warm worker, within ``limits``.
    Never raises for what the file does: a limit hit or a dead child is one error in the result.

    ``_misbehave`` (tests only, never reachable from a file) makes the child misbehave after its limits
    are set: ``allocate`` grows a list without bound, ``spin`` loops, ``sleep`` blocks without using the
    CPU, ``abort`` calls ``os.abort`` (as a Rust allocation failure does), ``big`` sends back a result of
    ``result_mb`` + 1 MB, ``raise`` raises an unexpected exception. ``_outcome`` receives the :class:`Outcome`."""
    from etl.messages import Problem
    from etl.pipeline import FileResult

    name = name or Path(path).name
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            result = FileResult(name=name)
            result.problems.append(Problem("error", "corrupt", name, params={"detail": exc.strerror or str(exc)}))
            return result
    start = time.monotonic()
    outcome = _run(path, opts, data, name, datasets, limits, _misbehave)
    outcome.seconds = time.monotonic() - start
    if _outcome is not None:
        _outcome.append(outcome)
    if outcome.status == "ok":
        result = outcome.result
        result.data = data
        return result
    if outcome.status != "ok":  # the detail goes to the log (the server's, or etl load's stderr), not to the user
        trace = outcome.info.get("trace", "")
        print(f"etl.sandbox: reading {name!r} stopped: {outcome.status} {outcome.detail}\n{trace}".rstrip(),
              file=sys.stderr, flush=True)
    return refused(name, outcome.status, limits)


def refused(name: str, status: str, limits: WorkerLimits):
    """The result of a read that hit ``status``'s limit (or failed): one error, no sheets."""
    from etl.i18n import fmt_int
    from etl.messages import Problem
    from etl.pipeline import FileResult

    result = FileResult(name=name)
    if status == "memory":
        code, value = "file_limit_memory", limits.memory_mb
    elif status == "time":
        code, value = "file_limit_time", limits.seconds
    elif status == "result":
        code, value = "file_limit_result", limits.result_mb
    else:
        code, value = "file_failed", 0
    value = int(value) if float(value).is_integer() else value
    params = {"limit_id": fmt_int(value, "id") if isinstance(value, int) else f"{value:g}".replace(".", ","),
              "limit_en": fmt_int(value, "en") if isinstance(value, int) else f"{value:g}"}
    result.problems.append(Problem("error", code, name, params=params))
    return result


def _run(path, opts, data, name, datasets, limits: WorkerLimits, misbehave) -> Outcome:
    from multiprocessing.connection import wait

    ctx = _ctx()
    reader, writer = ctx.Pipe(duplex=False)
    proc = _Process(target=_child, args=(writer, str(path), opts, data, name, datasets, limits, misbehave),
                    name="pantau-read", daemon=True)
    killed = started = False
    try:
        try:
            proc.start()
            started = True
        except OSError as exc:  # no worker could be started: refuse rather than read in this process
            return Outcome("crashed", f"start: {exc}")
        finally:
            writer.close()  # the child holds the only write end: its death is an EOF here
        deadline = time.monotonic() + limits.seconds
        header = None
        while header is None:
            left = deadline - time.monotonic()
            if left <= 0 or not wait([reader], timeout=left):
                proc.kill()
                killed = True
                return Outcome("time")
            try:
                header = reader.recv()
            except (EOFError, OSError):
                break  # the child died before saying anything
        if header is None:
            proc.join(5)
            return _death(proc.exitcode)
        status, detail, size = header["status"], header["detail"], header["size"]
        if status != "ok":
            return Outcome(status, detail, header)
        left = deadline - time.monotonic()
        if left <= 0 or not wait([reader], timeout=left):
            proc.kill()
            killed = True
            return Outcome("time", "", header)
        try:
            start = time.perf_counter()
            payload = reader.recv_bytes(maxlength=limits.result_mb * MB + 1)
            header["receive_s"] = time.perf_counter() - start
        except (EOFError, OSError):  # died while sending, or sent more than announced
            return Outcome("result" if size > limits.result_mb * MB else "crashed", "", header)
        start = time.perf_counter()
        result = pickle.loads(payload)
        header["unpickle_s"] = time.perf_counter() - start
        return Outcome("ok", "", header, result=result)
    finally:
        reader.close()
        if started:
            if not killed and proc.is_alive():
                proc.join(5)
            if proc.is_alive():
                proc.kill()
            proc.join()
            proc.close()


def _death(exitcode: int | None) -> Outcome:
    """What the way the child died says: SIGXCPU is the CPU limit; an abort or a kill under an address
    space limit is memory running out (Rust aborts when an allocation fails); anything else a crash."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGXCPU:
            return Outcome("time", "SIGXCPU")
        if sig in (signal.SIGABRT, signal.SIGKILL):
            return Outcome("memory", signal.Signals(sig).name)
        return Outcome("crashed", signal.Signals(sig).name)
    return Outcome("crashed", f"exit {exitcode}")
