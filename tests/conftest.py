"""Shared fixtures: an isolated warehouse per test, ETL options, file writers,
and one demo warehouse per test session (36 months, as a newcomer gets it)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-21"
ISOLATED = ("PANTAU_DB", "PANTAU_SECRET_FILE", "PANTAU_ORIGINALS_DIR", "PANTAU_TODAY", "PANTAU_LANG")


def warehouse_env(folder: Path) -> dict[str, str]:
    return {"PANTAU_DB": str(folder / "pantau.duckdb"), "PANTAU_SECRET_FILE": str(folder / "secret.key"),
            "PANTAU_ORIGINALS_DIR": str(folder / "originals"), "PANTAU_TODAY": TODAY, "PANTAU_LANG": "id"}


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    """A private warehouse in ``tmp_path``; returns the folder."""
    for key, value in warehouse_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    return tmp_path


@pytest.fixture
def opts(env):
    from etl.cli import make_options

    return make_options()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A warehouse loaded with the full demo (36 months), built once per session."""
    folder = tmp_path_factory.mktemp("demo")
    old = {k: os.environ.get(k) for k in ISOLATED}
    os.environ.update(warehouse_env(folder))
    try:
        from etl.cli import load_demo

        status = load_demo(folder / "demo", dt.date.fromisoformat(TODAY))
        assert status == 0
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return folder


@pytest.fixture
def demo_env(demo_dir, monkeypatch) -> Path:
    for key, value in warehouse_env(demo_dir).items():
        monkeypatch.setenv(key, value)
    return demo_dir
