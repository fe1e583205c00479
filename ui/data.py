"""Cached calls to the warehouse queries.

Every call is keyed on the warehouse's data version (a file that changes with
each committed load), so reruns are served from memory and a load shows up
on the next rerun without restarting anything.

Each query is a module-level name that go-to-definition follows to the
warehouse: ``kpis = cached(metrics.kpis)`` takes the same arguments as
``metrics.kpis``. A few small functions below add what the pages always pass
(today's date, a scope's bounds).
"""

from __future__ import annotations

import functools
import inspect
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
        return call(version(), bound.args, tuple(sorted(bound.kwargs.items())))

    query.clear = call.clear
    return query  # type: ignore[return-value]


# the warehouse's queries, cached; same names and arguments as there
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
