"""Cached calls to the warehouse queries.

Every call is keyed on the warehouse's data version (a file that changes with
each committed load), so reruns are served from memory and a load shows up
on the next rerun without restarting anything.

Each query is a module-level name that go-to-definition follows to the
warehouse: ``kpis = cached(metrics.kpis)`` takes the same arguments as
``metrics.kpis``. A few small functions below add what the pages always pass
(today's date, a scope's bounds).

On the lake, a new version is a load committed through any server, and the first
page view after it would pay for every query on the new snapshot. So a server
warms ahead (:func:`warm_ahead`): it remembers the calls its pages made lately and,
when the version changes, runs them again for the new one in a thread of its own,
so the next page view reads them from memory (or waits for the one computation
already under way: Streamlit computes each cache entry once).
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from warehouse import agreements, db, metrics, notes, packages, story, targets
from warehouse import completeness as completeness_queries
from warehouse.metrics import Scope
from warehouse.settings import today

F = TypeVar("F", bound=Callable)


def version() -> str:
    return db.data_version()


def cached(function: F) -> F:
    """``function`` (a warehouse query) cached in ``st.cache_data`` for the current data version.

    The arguments are bound to ``function``'s signature first (defaults filled in), so
    ``top_titles(scope)`` and ``top_titles(scope, per_facility=5)`` share one entry. Each query has its
    own cache, named after the query (Streamlit keys a cache on the function's module and name).
    """
    signature = inspect.signature(function)

    def call(data_version: str, args: tuple, kwargs: tuple):
        return function(*args, **dict(kwargs))

    call.__module__, call.__qualname__ = function.__module__, function.__qualname__
    call = st.cache_data(show_spinner=False, max_entries=1024, ttl=6 * 3600)(call)

    @functools.wraps(function)
    def query(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = (bound.args, tuple(sorted(bound.kwargs.items())))
        _remember(call, arguments)
        return call(version(), *arguments)

    query.clear = call.clear
    return query  # type: ignore[return-value]


# ------------------------------------------------------------ warming ahead
WARM_KEPT = 96              # the calls remembered (about the pages of a few users' current views)
WARM_WITHIN = 15 * 60.0     # seconds: a call not made again for this long is not warmed any more
_RECENT: OrderedDict = OrderedDict()   # (cached call, arguments) -> when a page last made it
_RECENT_LOCK = threading.Lock()
_WARMER: list[threading.Thread] = []


def _remember(call, arguments: tuple) -> None:
    try:
        hash(arguments)
    except TypeError:  # not a key a dict can hold: not warmed (Streamlit hashes it its own way)
        return
    with _RECENT_LOCK:
        _RECENT[(call, arguments)] = time.monotonic()
        _RECENT.move_to_end((call, arguments))
        while len(_RECENT) > WARM_KEPT:
            _RECENT.popitem(last=False)


def warm(data_version: str) -> int:
    """Run the calls the pages made lately (within ``WARM_WITHIN`` seconds) for ``data_version``;
    returns how many ran. A call that fails is left for the page to run (and report) itself."""
    since = time.monotonic() - WARM_WITHIN
    with _RECENT_LOCK:
        calls = [key for key, when in _RECENT.items() if when >= since]
    for call, (args, kwargs) in reversed(calls):  # the latest first: most likely the next view's
        try:
            call(data_version, args, kwargs)
        except Exception:  # noqa: BLE001 - a warming miss costs the page its own query, nothing more
            pass
    return len(calls)


def warm_ahead(every: float = 1.0) -> None:
    """On the lake, start this server's warming thread once (a daemon: it ends with the server, or when the
    settings name another warehouse). It reads the data version every ``every`` seconds (one small catalog
    query) and warms on a change."""
    if not db.is_lake():
        return
    with _RECENT_LOCK:
        if _WARMER and _WARMER[0].is_alive():
            return
        lake = db.lake_tag()

        def loop():
            seen = None
            while True:
                try:
                    if not db.is_lake() or db.lake_tag() != lake:
                        return  # the settings name another warehouse now (tests, scripts): not ours to warm
                    now = version()
                    if seen is not None and now != seen:
                        warm(now)
                    seen = now
                except Exception:  # noqa: BLE001 - the lake unreachable a moment: try again next time
                    pass
                time.sleep(every)

        _WARMER[:] = [threading.Thread(target=loop, name="pantau-warm-ahead", daemon=True)]
        _WARMER[0].start()


# the warehouse's queries, cached; same names and arguments as there
changed_at = cached(db.changed_at)                          # (version): when that data was committed
facilities = cached(metrics.facilities)
data_range = cached(metrics.data_range)
occupancy = cached(metrics.occupancy)
kpis = cached(metrics.kpis)
like_for_like = cached(metrics.like_for_like)
monthly = cached(metrics.monthly)
ranking = cached(metrics.ranking)
map_points = cached(metrics.map_points)
regency_rates = cached(metrics.regency_rates)
facility_monthly = cached(metrics.facility_monthly)
last_reports = cached(metrics.last_reports)
loan_heatmap = cached(metrics.loan_heatmap)
loan_categories = cached(metrics.loan_categories)
top_titles = cached(metrics.top_titles)
returns = cached(metrics.returns)
visits_by_service = cached(metrics.visits_by_service)
visits_per_day = cached(metrics.visits_per_day)
visitor_groups = cached(metrics.visitor_groups)
sessions = cached(metrics.sessions)
training_by = cached(metrics.training_by)
deposits = cached(packages.deposits)
turnover = cached(packages.turnover)
agreement_register = cached(agreements.register)
agreement_status_on = cached(agreements.status)              # (today, codes)
completeness_matrix = cached(completeness_queries.matrix)    # (start, end, codes, today)
story_ranking = cached(story.ranking)                      # the overview's ranking with change and rate
_activity_without_agreement = cached(agreements.activity_without_agreement)
unit_notes = cached(notes.listing)                          # (start, end, codes)
lkjip = cached(targets.lkjip)                                # (year, codes, facility, today): the LKjIP table


def story_facts(frame: pd.DataFrame, matrix: pd.DataFrame, month):
    """The facts of a :func:`story_ranking` frame (``warehouse.story.facts``), with the units whose
    expected reports for ``month`` have not all arrived (from the completeness ``matrix``)."""
    from warehouse import provisional

    return story.facts(frame, provisional.outstanding_units(matrix, month))


def agreement_status(codes: tuple[str, ...]) -> pd.DataFrame:
    """Each facility's agreement on today's date (``agreements.status``)."""
    return agreement_status_on(today(), codes)


def activity_without_agreement(scope: Scope) -> pd.DataFrame:
    return _activity_without_agreement(scope.start, scope.end, scope.facilities)


def completeness(scope: Scope) -> pd.DataFrame:
    """``completeness.matrix`` for the scope, as of today."""
    return completeness_matrix(scope.start, scope.end, scope.facilities, today())


@st.cache_resource(show_spinner=False, max_entries=32)
def _options(data_version: str, facility: str | None):
    from warehouse.ingest import make_options

    return make_options(facility=facility, seed=False)


def etl_options(facility: str | None = None):
    """The ETL's options (register, pseudonym key, today) for reading uploads."""
    return _options(version(), facility)
