"""A throw-away PostgreSQL cluster for the lake tests (issue 17): the warehouse as a DuckLake whose
catalog is a fresh database of this cluster and whose data files are in the test's folder.

The cluster is PostgreSQL from Debian (``apt-get install postgresql``; ``.ci/run`` installs it), never
the system service: ``initdb`` in a temporary folder, a free port on 127.0.0.1, trust authentication,
``pg_ctl stop -m immediate`` at the end. PostgreSQL refuses to run as root, so as root the cluster runs
as ``nobody`` (``runuser``). Where PostgreSQL is not installed the tests that need it skip, saying so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

USER = "pantau"  # the cluster's superuser, the catalog's owner


def bin_dir() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them out of PATH), or None."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")  # elsewhere: the programs on PATH
    return Path(found).parent if found and (Path(found).parent / "createdb").exists() else None


def missing() -> str | None:
    """Why the lake tests cannot run here, in one line, or None."""
    folder = bin_dir()
    if folder is None or not (folder / "initdb").exists():
        return "PostgreSQL is not installed (apt-get install postgresql): no catalog for the lake tests"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser: PostgreSQL cannot be started as an unprivileged user"
    try:
        import duckdb_extension_ducklake  # noqa: F401
        import duckdb_extension_postgres_scanner  # noqa: F401
    except ImportError:
        return "the DuckDB extension wheels (duckdb-extension-ducklake, -postgres-scanner) are not installed"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One running PostgreSQL cluster; :meth:`database` makes a fresh database in it."""

    def __init__(self):
        self.bin = bin_dir()
        # as root, straight under /tmp: 'nobody' must reach it (pytest's own folders are root's alone)
        parent = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="pantau-pg-", dir=parent))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            os.chown(self.root, _uid("nobody"), _gid("nobody"))
            self.as_user = ["runuser", "-u", "nobody", "--"]
        os.chmod(self.root, 0o700)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", USER, "-E", "UTF8",
                  "--no-locale", "--no-sync")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")

    def database(self) -> str:
        """A new empty database; returns its URL for PANTAU_CATALOG."""
        name = "lake_" + uuid.uuid4().hex[:12]
        for attempt in range(50):
            done = subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER,
                                   name], capture_output=True, text=True)
            if done.returncode == 0:
                return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"
            time.sleep(0.1)
        raise RuntimeError(f"createdb {name} failed: {done.stderr}")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def _gid(name: str) -> int:
    import grp
    import pwd

    try:
        return grp.getgrnam("nogroup").gr_gid
    except KeyError:
        return pwd.getpwnam(name).pw_gid


def lake_settings(cluster: Cluster, folder: Path) -> dict[str, str]:
    """Settings that make a warehouse in ``folder`` a lake on a fresh database of ``cluster``."""
    return {"PANTAU_CATALOG": cluster.database(), "PANTAU_DATA_PATH": str(folder / "lake")}
