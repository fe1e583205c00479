"""Shared fixtures: an isolated warehouse per test, ETL options, file writers,
the hand-checked fixture warehouse, and one demo warehouse per test session
(36 months, as a newcomer gets it, when browser tests run; 3 otherwise, see
``demo_months``; none in the fast tier)."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent  # on sys.path by pyproject.toml's pythonpath
# tests write only under temporary folders: Hypothesis keeps its examples there, not in .hypothesis/ of the checkout
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "pantau-hypothesis"))
# one DuckDB thread per warehouse: the two pytest-xdist processes already use both cores of the machines the tests
# run on, and DuckDB's own threads on top only contend with them (the fast tier's demo loads with 10-15 % less CPU)
os.environ.setdefault("PANTAU_DUCKDB_THREADS", "1")
try:  # no per-example wall-clock deadline: on a busy machine, or beside a second pytest-xdist process, an
    # example's first run can take 0.4 s where the next takes 9 ms, and Hypothesis calls that a failure
    from hypothesis import settings as _hypothesis

    _hypothesis.register_profile("pantau", deadline=None)
    _hypothesis.load_profile("pantau")
except ImportError:  # hypothesis is in tests/requirements.txt; only its property tests need it
    pass

TODAY = "2026-11-21"

# Tests hash passwords with argon2's cheapest parameters, as Django's test settings use a fast hasher (a hash
# costs about 1 ms instead of 70-190 ms, and the tests make hundreds): the hashes are still argon2id and verify
# the same way. Tests of the hashing's cost itself are marked ``real_argon2`` and get the real hasher back.
from argon2 import PasswordHasher  # noqa: E402

from warehouse import accounts as _accounts  # noqa: E402

REAL_HASHER = _accounts._HASHER
_accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _argon2_cost(request, monkeypatch):
    if request.node.get_closest_marker("real_argon2") is None:
        yield
        return
    monkeypatch.setattr(_accounts, "_HASHER", REAL_HASHER)
    _accounts._dummy_hash.cache_clear()  # made with the cheap one, maybe
    yield
    _accounts._dummy_hash.cache_clear()


def warehouse_env(folder: Path) -> dict[str, str]:
    return {"PANTAU_DB": str(folder / "pantau.duckdb"), "PANTAU_SECRET_FILE": str(folder / "secret.key"),
            "PANTAU_ORIGINALS_DIR": str(folder / "originals"), "PANTAU_TODAY": TODAY, "PANTAU_LANG": "id"}


def run_cli(settings: dict[str, str], *args: str, umask: int | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -m etl *args`` in this process (a new interpreter costs a second or more of imports):
    the same ``main`` the shim calls, with ``settings`` in the environment, stdout and stderr captured
    and the exit status as ``returncode``. The process umask (``main`` sets the private one) and the
    environment (``BROWSER_PATH`` too, which the browser search may export for kaleido) are restored
    after; ``stdin`` is what the command reads (never a terminal). Tests whose point is the separate
    process still start one."""
    from etl import sandbox
    from pantau.cli import main
    from warehouse.db import using

    out, err = io.StringIO(), io.StringIO()
    old_umask = os.umask(0o022 if umask is None else umask)
    warm, old_stdin, old_browser = sandbox.warm, sys.stdin, os.environ.get("BROWSER_PATH")
    sys.stdin = io.StringIO(stdin or "")
    # the reading worker starts as a fresh interpreter, never forked from the test process
    sandbox.warm = lambda fork=False: warm()
    try:
        with using(settings), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sandbox.warm, sys.stdin = warm, old_stdin
        os.umask(old_umask)
        if old_browser is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = old_browser
    return subprocess.CompletedProcess(["python", "-m", "etl", *args], code, out.getvalue(), err.getvalue())


# The test files whose warehouse tests run on both backends (issue 17): the DuckDB file, and a DuckLake
# with its catalog in a throw-away PostgreSQL cluster (tests/lake.py; marked slow, skipped without PostgreSQL).
BOTH_BACKENDS = {"test_batches", "test_notes", "test_flags", "test_accounts"}


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_BACKENDS:
        metafunc.parametrize("backend", ["file", pytest.param("lake", marks=pytest.mark.slow)], indirect=True)


@pytest.fixture
def backend(request) -> str:
    """Which warehouse the test's ``env`` is: 'file' (the default) or 'lake' (BOTH_BACKENDS)."""
    return getattr(request, "param", "file")


@pytest.fixture(scope="session")
def pg_cluster():
    """One throw-away PostgreSQL cluster for the session's lake tests (tests/lake.py)."""
    from tests import lake

    reason = lake.missing()
    if reason:
        pytest.skip(reason)
    cluster = lake.Cluster()
    try:
        yield cluster
    finally:
        from warehouse.db import release

        release()
        cluster.stop()


def backend_env(folder: Path, backend: str, request) -> dict[str, str]:
    """The settings of a private warehouse in ``folder`` on ``backend``: the lake gets a fresh catalog
    database and a data path in ``folder``."""
    settings = {**warehouse_env(folder), "PANTAU_CATALOG": "", "PANTAU_DATA_PATH": ""}
    if backend == "lake":
        from tests import lake

        settings.update(lake.lake_settings(request.getfixturevalue("pg_cluster"), folder))
    return settings


MIGRATED_FILES = ("pantau.duckdb", "pantau.duckdb.wal", "pantau.duckdb.version")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory) -> Path:
    """A DuckDB warehouse with every migration run and the facility register seeded from ``data/`` (as the
    first ``make_options`` or start seeds it), and nothing else, made once per run: each test's private file
    warehouse starts as a copy of it, since running the migrations costs about half a second a test and
    seeding the register 10-15 ms. tests/test_marts.py runs the migrations from nothing; the tests of a
    first start (the command line's private files, the server printing the first admin's password) begin
    in a folder without a database."""
    from warehouse.db import connect, using
    from warehouse.register import seed_register

    def migrate(folder: Path) -> None:
        with using(warehouse_env(folder)), connect(write=True) as con:  # closes the database on the way out
            seed_register(con)

    return once_per_run(tmp_path_factory, "migrated", migrate)


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder all processes of this run share, filled by ``make(folder)`` in the first process that asks
    (under a lock when pytest-xdist runs several; the others wait for it)."""
    made = shared_folder(tmp_path_factory) / name
    with open(f"{made}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (made.parent / f"{name}.done").exists():
            shutil.rmtree(made, ignore_errors=True)
            made.mkdir()
            make(made)
            (made.parent / f"{name}.done").touch()
    return made


def built_once(request, name: str, build: Callable[[], None]) -> None:
    """Fill the test's private warehouse (the ``env`` fixture's folder, which the settings name) as ``build()``
    does, running ``build`` once per run: the first test builds in its own folder, which is kept; every later
    one (in any process) starts from a copy of it. For fixtures that write and load files before each test
    of a module (half a second to a second a test). On the lake it builds every time."""
    from warehouse.db import release

    folder = request.getfixturevalue("env")
    if request.getfixturevalue("backend") != "file":
        build()
        return
    built_here = []

    def keep(made: Path) -> None:
        build()
        release()  # the database checkpointed and closed: the folder is whole on disk
        shutil.copytree(folder, made, dirs_exist_ok=True, symlinks=True)
        built_here.append(True)

    made = once_per_run(request.getfixturevalue("tmp_path_factory"), f"built-{name}", keep)
    if built_here:
        return
    release()
    for stale in MIGRATED_FILES:  # no write-ahead log of the migrated copy may meet the copied database
        (folder / stale).unlink(missing_ok=True)
    shutil.copytree(made, folder, dirs_exist_ok=True, symlinks=True)


@pytest.fixture
def env(tmp_path, monkeypatch, backend, request) -> Path:
    """A private warehouse in ``tmp_path`` (on ``backend``; the file starts as a copy of ``migrated``);
    returns the folder."""
    from warehouse.db import release

    release()
    if backend == "file":
        template = request.getfixturevalue("migrated")
        for name in MIGRATED_FILES:
            if (template / name).exists():
                shutil.copy2(template / name, tmp_path / name)
    for key, value in backend_env(tmp_path, backend, request).items():
        monkeypatch.setenv(key, value)
    yield tmp_path
    release(checkpoint=False)  # the folder is thrown away (built_once copied what it keeps already)


@pytest.fixture
def lake_env(tmp_path, monkeypatch, request) -> Path:
    """A private warehouse in ``tmp_path`` that is a lake on a fresh catalog database (tests/test_lake.py)."""
    from warehouse.db import release

    release()
    for key, value in backend_env(tmp_path, "lake", request).items():
        monkeypatch.setenv(key, value)
    yield tmp_path
    release()


@pytest.fixture(scope="session")
def seeded_register(migrated, tmp_path_factory):
    """The register every test's file warehouse starts with (``migrated``'s), read once per process with
    the settings the run starts with (a test that changes ``PANTAU_FUZZY_MIN_SCORE`` calls ``make_options``)."""
    from warehouse.db import connect, using
    from warehouse.register import load_register

    folder = tmp_path_factory.mktemp("register")
    shutil.copy2(migrated / "pantau.duckdb", folder / "pantau.duckdb")
    with using(warehouse_env(folder)), connect() as con:  # closes the database on the way out
        return load_register(con)


@pytest.fixture
def opts(env, backend, request):
    """The ETL options ``make_options`` makes for the test's warehouse: on the file, from the register it
    starts with, without opening the database (a test that only reads files never opens it)."""
    from warehouse.ingest import make_options, options

    if backend != "file":
        return make_options()
    return options(request.getfixturevalue("seeded_register"))


def demo_months(session: pytest.Session) -> int:
    """The demo's length for this session: the full 36 months a newcomer gets when a browser test will look
    at it (the pages and their screenshots as staff see them); 3 otherwise. The checks on the demo (marts
    add up, reports equal the queries, grains, nothing refused) hold for any length; 3 months still write
    every kind of demo file (recaps, library reports, SLiMS exports, training, pusling, occupancy, book
    packages, agreements, an attendance list), end a quarter (its last two months) and start the next, at
    a twelfth of the full demo's loading time (its cost grows with the number of files, 22 a month; 3 months
    take 12-15 s of one process on a slow machine). The fast tier writes no demo: every test on it is marked
    slow (tests/test_marts.py runs its refreshes on the fixture warehouse there). A test that needs a longer
    history says so with ``@pytest.mark.demo_months(n)``."""
    wanted = [marker.args[0] for item in session.items for marker in item.iter_markers("demo_months")]
    browser = any(item.get_closest_marker("browser") for item in session.items)
    return max([36 if browser else 3, *wanted])


def shared_folder(tmp_path_factory) -> Path:
    """The temporary folder every process of this run shares: pytest's base folder, or, under
    pytest-xdist (``-n 2``), its parent, since each worker has a base folder of its own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, request) -> Path:
    """A warehouse loaded with the demo (``demo_months``): loaded once per run (by the first worker
    that needs it, under a lock, when pytest-xdist runs several) and copied into a folder of this
    process's own, since DuckDB lets one process at a time hold a database file."""
    from warehouse.ingest import load_demo
    from warehouse.db import using

    months = demo_months(request.session)

    def load(folder: Path) -> None:
        with using(warehouse_env(folder)):  # closes the database on the way out
            assert load_demo(folder / "demo", dt.date.fromisoformat(TODAY), months=months) == 0

    built = once_per_run(tmp_path_factory, f"demo-{months}-months", load)
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(built, folder, dirs_exist_ok=True, symlinks=True)
    return folder


@pytest.fixture
def demo_env(demo_dir, monkeypatch) -> Path:
    for key, value in warehouse_env(demo_dir).items():
        monkeypatch.setenv(key, value)
    return demo_dir


# what the dashboard runs with in tests: no demo written into an empty warehouse, no map tiles
QUIET = {"PANTAU_DEMO_ON_EMPTY": "0"}


def fixture_warehouse(folder: Path) -> dict[str, str]:
    """Build the hand-checked fixture warehouse (tests/fixtures.py) in ``folder``; returns its settings."""
    from tests import fixtures
    from warehouse.db import using

    env = warehouse_env(folder)
    with using(env):
        fixtures.build(folder)
    return env


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> dict[str, str]:
    """The fixture warehouse with a viewer account, built once per run (by the first process that asks,
    as ``demo_dir``) and copied into a folder of this process's own; tests read it and never change it.
    Returns its settings."""
    from warehouse import accounts
    from warehouse.db import using

    def build(folder: Path) -> None:
        with using(fixture_warehouse(folder)):  # closes the database on the way out
            accounts.add_user("kepala", "viewer", "sandi-kepala-dinas", by="cli:test", display_name="Kepala Dinas")

    folder = tmp_path_factory.mktemp("small")
    shutil.copytree(once_per_run(tmp_path_factory, "small", build), folder, dirs_exist_ok=True, symlinks=True)
    return warehouse_env(folder)


@pytest.fixture
def small_env(small, monkeypatch) -> dict[str, str]:
    for k, v in {**small, **QUIET}.items():
        monkeypatch.setenv(k, v)
    return small


@pytest.fixture(scope="session")
def demo_served(demo_dir):
    """The real dashboard on the demo warehouse, with a viewer account 'kepala'; yields its URL.
    Skips (saying why) where Chromium or Playwright is missing."""
    from tests.browser import add_account, dashboard, require_browser

    require_browser()
    env = warehouse_env(demo_dir)
    add_account(env, "kepala", "viewer", "sandi-kepala-dinas")
    with dashboard({**env, **QUIET, "PANTAU_TEST_LOG": str(demo_dir / "streamlit.log")}) as base:
        yield base


def pytest_collection_modifyitems(items):
    """The tiers by file: test_browser_*.py drive Chromium, test_bench_*.py run the benchmarks; the fast tier
    for daily work is ``pytest -m "not browser and not bench"``."""
    for item in items:
        name = item.path.name
        if name.startswith("test_browser_"):
            item.add_marker(pytest.mark.browser)
        elif name.startswith("test_bench_"):
            item.add_marker(pytest.mark.bench)
