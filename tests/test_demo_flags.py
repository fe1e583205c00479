"""The demo's "perlu dicek" flags (issue 14): the demo plants exactly one typing error (Lapas Kotabaru's
loans two months before the latest, one category ten times too large), and its ordinary month-to-month
noise must not be flagged, whatever day it is built on. Checked on the full 36 months a newcomer gets,
by applying the rule (:mod:`warehouse.anomaly`) to the values of the files the demo writes, read by the
ETL as the loader reads them, month by month as they arrive: a flagged value is left out of the later
months' history, as the loader does while it is not confirmed. Loading them into a warehouse would add
minutes and nothing the rule sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import TODAY


def demo_flags(folder: Path, today: dt.date, months: int = 36) -> list[tuple]:
    """(dataset, facility, month, part, value) of every value of the demo built on ``today`` that the
    rule flags."""
    from etl.demo import write_demo
    from etl.pipeline import read_file
    from warehouse import anomaly
    from warehouse.ingest import make_options

    opts = make_options()
    series: dict[tuple[str, str, str], dict[dt.date, int]] = {}
    for path in write_demo(folder, today, months=months):
        result = read_file(path, opts)
        assert result.errors == [], path.name
        for dataset in anomaly.CHECKED:
            if dataset in result.datasets:
                for (facility, month, part), value in anomaly.record_values(result.records(dataset), dataset).items():
                    series.setdefault((dataset, facility, part), {})[month] = value
    found = []
    for (dataset, facility, part), history in sorted(series.items()):
        known: dict[dt.date, int] = {}
        for month in sorted(history):
            if anomaly.is_anomaly(history[month], anomaly.expected(known, month)):
                found.append((dataset, facility, month, part, history[month]))
            else:
                known[month] = history[month]
    return found


@pytest.mark.slow  # writes and reads the 36 months' demo files (about a minute and a half each)
@pytest.mark.parametrize("today", [TODAY, "2026-12-01"])  # the tests' day, and the day this was found on
def test_the_full_demo_flags_only_its_planted_typo(tmp_path, monkeypatch, today):
    from etl.demo import TYPO_UNIT, add_months, plan
    from tests.conftest import warehouse_env

    for key, value in warehouse_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PANTAU_TODAY", today)
    day = dt.date.fromisoformat(today)
    typo = add_months(plan(day).latest, -2)
    found = demo_flags(tmp_path / "demo", day)
    assert [f[:4] for f in found] == [("loans", TYPO_UNIT, typo, "perpustakaan")]


def test_the_demos_mobile_library_visits_flag_nothing_whatever_month_it_is_built_in(env):
    """Dispersip's mobile-library visits straight from the generator (no files), for a demo built in
    each month of 2025-2027: a unit's calls vary around its own usual level without ever looking like
    a typing error (they once swung from 0.08 to 0.2 of the readers, which did, e.g. Lapas Tanjung's
    July 2026 on the demo built on 2026-12-01)."""
    import random

    from etl import demo
    from etl.facilities import load_register
    from warehouse import anomaly

    register = load_register()
    flagged = []
    for k in range(36):
        day = dt.date(2025 + k // 12, k % 12 + 1, 1)
        seeded = random.Random(2024)  # write_demo's units, with their seed
        units = [demo.Units(f, register, seeded) for f in register.inmate_facilities]
        names = {u.f.official_name: u.f.code for u in units}
        rng = random.Random(2024 + 2)  # write_demo's pusling generator
        series: dict[str, dict[dt.date, int]] = {}
        for month in demo.plan(day).months():
            for row in demo.pusling_rows(units, month, rng):
                visits = series.setdefault(names[row["facility"]], {})
                visits[month] = visits.get(month, 0) + row["n_visitors"]
        for code, history in series.items():
            assert len(history) == 36
            flagged += [(day, code, m) for m in history if anomaly.is_anomaly(history[m], anomaly.expected(history, m))]
    assert flagged == []
