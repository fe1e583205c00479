"""Memory at national scale (issue 8): the peak resident memory (VmHWM) of the
Streamlit server process serving every page.

The real server (``python -m etl serve``) runs on the national warehouse; a
headless Chromium signs in and opens every page of the navigation, first in
the default view (last 12 months, every unit), then with the facility filter
narrowed to one unit (``?fas=``). The server's ``/proc/PID/status`` is sampled
throughout; the figure is the kernel's high-water mark at the end.

The usual way: a process that loads the facts in force into pandas (as the
``pages`` workload's usual way does) and computes every page's figures for
both views from them; its peak resident memory. Target: the server under 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import national, server
from bench.common import ROOT, Amount, Row

NAME = "memory"
DESCRIPTION = __doc__
LIMIT_MB = 1024

USUAL = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from bench import pages
pages_views = pages.views()
usual = pages.UsualWay().load()
for v in pages_views:
    for page, calls in usual.page_calls(v).items():
        for label, fn in calls:
            fn()
status = Path("/proc/self/status").read_text().splitlines()
peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
print("RESULT " + json.dumps({"peak_mb": peak, "loans": len(usual.loans)}))
'''


def skipped(reason: str, size: str) -> list[Row]:
    return [Row(NAME, f"skipped: {reason}", Amount(0), None, None, limit=LIMIT_MB, judged=False,
                notes=[f"Not measured: {reason}."])]


def usual_peak(env: dict[str, str]) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", USUAL, str(ROOT)], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the usual way's process failed: {done.stderr[-2000:]}")
    out = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])
    return out["peak_mb"], out["loans"]


def serve_every_page(env: dict[str, str], work: Path, unit: str | None) -> tuple[float, float, float, list[str]]:
    """Start the server, open every page (and every page for ``unit``); returns
    (RSS after start-up, peak RSS, seconds, problems)."""
    problems: list[str] = []
    with server.dashboard(env, work / "memory-server.log") as (base, proc):
        memory = server.Memory(proc.pid)
        started = memory.rss_mb
        start = time.perf_counter()
        with server.browser() as page:
            server.sign_in(page, base, national.BENCH_USER, national.BENCH_PASSWORD)
            for query in ([""] + ([f"?fas={unit}"] if unit else [])):
                for path in server.pages():
                    page.goto(f"{base}/{path}{query}")
                    server.settle(page)
                    problems += [f"/{path}{query}: {e}" for e in server.exceptions(page)]
        took = time.perf_counter() - start
        peak = memory.stop()
    return started, peak, took, problems


def run(size: str, work: Path) -> list[Row]:
    national.database(size, work)
    env = national.environment(size, work)
    reason = server.browser_missing()
    if reason:
        return skipped(reason, size)
    full = size == "full"
    from bench.pages import views
    from warehouse.db import using

    with using(env):
        one = views()[1].unit
    started, peak, took, problems = serve_every_page(env, work, one if full else None)
    theirs, loans = usual_peak(env)
    pages = len(server.pages()) * (2 if full else 1)
    notes = [f"The server's resident memory after start-up: {started:,.0f} MB; after signing in and opening "
             f"{pages} page views in {took:.0f} s: peak {peak:,.0f} MB.",
             f"The usual way's process held {loans / 1e6:.1f} M loan rows and the other facts in DataFrames."]
    notes += [f"Error on a page: {p}" for p in problems]
    return [Row(NAME, f"peak RSS of the Streamlit server serving every page ({pages} page views) vs a process "
                      f"holding the facts in pandas", Amount(peak), Amount(theirs), peak / theirs, limit=LIMIT_MB,
                judged=full, notes=notes)]


GAPS = """
The server holds no facts: DuckDB reads the marts a page needs and Streamlit caches the small
frames the pages show. Its peak comes from DuckDB's buffers while a page's queries run and from
Streamlit's cached frames and rendered tables of the national view (530 units).
"""
