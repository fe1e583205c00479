"""The load use cases: from files on disk (or an upload's bytes) to the warehouse.

The ETL's options from the settings and the register, reading an untrusted file
in the limited worker process, loading files and folders one transaction each,
the demo, and the first start of a fresh machine (:func:`bootstrap`). The
command line (``pantau.cli``), the upload page (``ui.upload``), the server
(``pantau.serve``), the tests and the benchmarks call these; they print through
an ``out`` callable and know nothing of Streamlit.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from etl import load_report, sandbox
from etl.demo import read_manifest, write_demo
from etl.facilities import Register
from etl.i18n import normalise_lang
from etl.limits import MB, Limits
from etl.pipeline import EXTENSIONS, FileResult, read_file
from etl.privacy import load_or_create_key
from etl.validate import Options
from warehouse import marts, settings
from warehouse.accounts import ensure_first_admin
from warehouse.db import PRIVATE_UMASK, breathe, connect, hold, is_lake, private_dir, transaction
from warehouse.load import LoadHeld, LoadRefused, load_file, purge
from warehouse.queries import has_data
from warehouse.register import load_register, seed_register

DEMO_DIR = settings.ROOT / "data" / "demo"


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def make_options(facility: str | None = None, lang: str | None = None, path: Path | None = None,
                 seed: bool = True) -> Options:
    """ETL options from the settings and the warehouse's register (seeded from ``data/`` if empty)."""
    # on the file a loader opens as a writer (readers elsewhere step aside for it); on the lake a write is
    # a commit other writers must retry after, so the register is written there only when it is empty
    lake = path is None and is_lake()
    with connect(path, write=seed and not lake) as con:
        if seed and not lake:
            seed_register(con)
        empty = seed and lake and not con.execute("SELECT count(*) FROM facility").fetchone()[0]
        register = None if empty else load_register(con)
    if empty:
        for attempt in transaction(path):
            with attempt as con:
                seed_register(con)
                register = load_register(con)
    return options(register, facility, lang)


def options(register: Register, facility: str | None = None, lang: str | None = None) -> Options:
    """ETL options from the settings and ``register`` (:func:`make_options` reads it from the warehouse)."""
    if facility:
        code = facility.strip().lower()
        if code not in register.by_code:
            try:
                code = register.resolve(facility)
            except ValueError as exc:
                raise UserError(f"--facility {facility!r}: {exc}") from exc
        facility = code
    return Options(register=register, key=load_or_create_key(settings.get("PANTAU_SECRET_FILE")),
                   today=settings.today(), facility=facility, lang=normalise_lang(lang or settings.get("PANTAU_LANG")),
                   limits=Limits(file_bytes=int(settings.get("PANTAU_MAX_FILE_MB") * MB),
                                 cells=settings.get("PANTAU_MAX_CELLS")))


def parse_limits() -> sandbox.WorkerLimits:
    """What reading one untrusted file may use (``PANTAU_PARSE_*``), for :mod:`etl.sandbox`."""
    return sandbox.WorkerLimits(memory_mb=settings.get("PANTAU_PARSE_MEMORY_MB"),
                          seconds=settings.get("PANTAU_PARSE_SECONDS"),
                          result_mb=settings.get("PANTAU_PARSE_RESULT_MB"))


def read_untrusted(path: str | Path, opts: Options, data: bytes | None = None, name: str | None = None) -> FileResult:
    """``read_file`` in a separate worker process within the ``PANTAU_PARSE_*`` limits: a file that
    would exhaust memory or time, or crash a reader, is refused with one sentence and harms nothing else."""
    return sandbox.read_isolated(path, opts, data=data, name=name, limits=parse_limits())


def expand(paths: list[str]) -> list[Path]:
    """The spreadsheet files named by ``paths``: files as given, folders searched recursively."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                            and not f.name.startswith(("~$", ".")))
        elif p.is_file():
            files.append(p)
        else:
            raise UserError(f"{raw}: berkas atau folder tidak ada")
    return files


def load_paths(paths: list[str], *, accept_valid=False, dry_run=False, facility=None, user=None, received=None,
               lang=None, out=print, path: Path | None = None, provenance=None, isolate: bool = True,
               note: str | None = None, replace_anyway: bool = False, checks: bool = True,
               defer_marts: bool = False) -> int:
    """Load files and folders, each file in its own transaction; print one
    report per file. Returns the exit status (1 when any file was refused).
    ``provenance(file) -> (received date, uploader) or None`` overrides both per file.
    With ``checks`` a file with values that need a check loads only with a ``note``, and one that
    removes more than half of a month's figure only with ``replace_anyway`` (the demo, which this
    program wrote itself, loads without: ``checks=False``, and then its report leaves out the replacement
    totals, which exist for the person who decides whether to load).

    Each file is read and validated in a separate worker process within the
    ``PANTAU_PARSE_*`` limits (``isolate=False`` reads in this process: only for
    files this program wrote itself, like the demo). The next file is read while
    the current one is written, so the two cores share the work.

    ``defer_marts`` (the demo, loaded into a warehouse nobody reads yet) rebuilds the marts once
    after the last file instead of refreshing them with each: a quarter of the demo's load. The
    rebuild runs even when a file fails half way, so the marts always match what was loaded."""
    opts = make_options(facility, lang, path)
    files = expand(paths)
    if not files:
        raise UserError("tidak ada berkas lembar kerja (xlsx, xls, ods, csv) di " + " ".join(paths))
    user = user or getpass.getuser()
    received_at = dt.datetime.combine(dt.date.fromisoformat(received), dt.time(9)) if received else None
    status = 0
    read = read_untrusted if isolate else read_file
    with hold(path), ThreadPoolExecutor(max_workers=1) as reader:
        pending = reader.submit(read, files[0], opts)
        try:
            for k, f in enumerate(files):
                result = pending.result()
                if k + 1 < len(files):
                    pending = reader.submit(read, files[k + 1], opts)
                who, when = user, received_at
                if provenance and (known := provenance(f)):
                    when, who = dt.datetime.combine(known[0], dt.time(9)), known[1]
                status = max(status, load_result(result, opts, accept_valid=accept_valid, dry_run=dry_run,
                                                 user=who, received_at=when, out=out, path=path, note=note,
                                                 replace_anyway=replace_anyway, checks=checks,
                                                 refresh_marts=not defer_marts, totals=checks))
                breathe(path)
        finally:
            if defer_marts and not dry_run:
                for attempt in transaction(path):
                    with attempt as con:
                        marts.rebuild(con)
    return status


def load_result(result: FileResult, opts: Options, *, accept_valid: bool, dry_run: bool, user: str,
                received_at: dt.datetime | None, out=print, path: Path | None = None, note: str | None = None,
                replace_anyway: bool = False, checks: bool = True, refresh_marts: bool = True,
                totals: bool = True) -> int:
    """Load one read file (unless refused) and print its report: what it holds, the values that
    need a check and the totals it replaces, and what was loaded (or why not)."""
    outcome = None
    status = 0
    check, held = None, None
    if result.sheets and (not result.errors or accept_valid):
        try:
            outcome = load_file(result, loaded_by=user, accept_valid=accept_valid, dry_run=dry_run,
                                received_at=received_at, path=path, checks=checks, note=note,
                                replace_anyway=replace_anyway, refresh_marts=refresh_marts, totals=totals)
            check = outcome.check
        except LoadRefused as exc:  # a value the warehouse cannot hold: one sentence, nothing loaded
            result.problems.append(exc.problem)
            status = 1
        except LoadHeld as exc:  # flagged values without a note, a large drop without --replace-anyway
            check, held = exc.check, exc.check.refusal(opts.lang, note, replace_anyway)
            status = 1
    elif result.errors:
        status = 1
    for line in load_report.file_lines(result, outcome, opts.register, opts.lang):
        out(line)
    for line in (check.lines(opts.lang) if check else []) + ([held] if held else []):
        out(line)
    return status


def load_demo(folder: Path, day: dt.date, months: int = 36, seed: int = 2024, load: bool = True,
              verbose: bool = False, path: Path | None = None, out=None, quiet: bool = False) -> int:
    """Write the demo workbooks and load them as the staff who sent them would have; ``out`` receives
    each file's lines (default: headlines and refusals, printed); ``quiet`` leaves out the count line."""
    written = write_demo(folder, today=day, months=months, seed=seed)
    if not quiet:
        print(f"{len(written)} berkas demo ditulis ke {folder}")
    if not load:
        return 0
    manifest = read_manifest(folder)

    def provenance(f: Path):
        return manifest.get(str(Path(f).resolve().relative_to(folder.resolve())))

    return load_paths([str(folder)], user="demo", out=out or quiet_printer(verbose), provenance=provenance,
                      path=path, isolate=False, checks=False,  # written by this program a moment ago
                      defer_marts=True)


def quiet_printer(verbose: bool):
    """A printer for the demo's load: each file's headline and refusals, everything when ``verbose``."""
    def out(line: str):
        if verbose or line.startswith("==") or _refusal(line):
            print(line)
    return out


# ---- the first start of a fresh machine (``python -m pantau serve``, and once per dashboard server)
@contextmanager
def _bootstrap_lock():
    """One process at a time prepares the warehouse (two first starts must not both load the demo)."""
    db = settings.get("PANTAU_DB")
    private_dir(db.parent)
    fd = os.open(db.with_name(db.name + ".bootstrap.lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def admin_notice(password: str) -> str:
    """The first admin's password, framed, with how to change it (printed on the first start)."""
    line = "=" * 72
    return "\n".join([line, "Akun admin pertama dibuat / first admin account created:",
                      "  nama pengguna / user name : admin", f"  kata sandi / password    : {password}",
                      "Kata sandi ini hanya ditampilkan saat mulai pertama. Gantilah dengan / change it with:",
                      "  python -m etl users set-password admin", line])


def _refusal(line: str) -> bool:
    return "ditolak" in line and "0 ditolak" not in line


def bootstrap(out=print) -> dict:
    """Prepare the warehouse; returns what was done. On a first start with no
    account, an admin is created and its random password is printed once. When
    the warehouse holds no reports and ``PANTAU_DEMO_ON_EMPTY`` is on, the demo
    workbooks are written and loaded. The originals' retention is enforced here
    too (and by ``python -m etl purge``)."""
    os.umask(PRIVATE_UMASK)  # the server's files (database, originals, demo) are its user's alone
    done = {"seeded": False, "demo": False, "admin": False, "purged": 0}
    with _bootstrap_lock():
        for attempt in transaction():
            with attempt as con:
                done["seeded"] = seed_register(con)
        password = ensure_first_admin()
        if password:
            done["admin"] = True
            done["password"] = password  # kept in memory only: the server prints it again after its address
            out(admin_notice(password))
        if settings.get("PANTAU_DEMO_ON_EMPTY") and not has_data():
            out("Gudang data masih kosong: menulis dan memuat data demo (sekali saja, sekitar satu menit)...")
            refused = []
            load_demo(DEMO_DIR, settings.today(), out=lambda line: refused.append(line) if _refusal(line) else None,
                      quiet=True)
            for line in refused:
                out(line)
            out("Data demo dimuat / demo data loaded.")
            done["demo"] = True
        done["purged"] = purge("server")
        if done["purged"]:
            days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")
            out(f"{done['purged']} berkas asli dihapus (masa simpan {max(days, 0)} hari).")
    return done
