"""Cached calls to the warehouse queries.

Every call is keyed on the warehouse's data version (a file that changes with
each committed load), so reruns are served from memory and a load shows up
on the next rerun without restarting anything.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from warehouse import agreements, completeness, db, metrics, packages
from warehouse.metrics import Scope
from warehouse.settings import today


def version() -> str:
    return db.data_version()


MODULES = {"metrics": metrics, "agreements": agreements, "completeness": completeness, "packages": packages}


@st.cache_data(show_spinner=False, max_entries=1024, ttl=6 * 3600)
def _call(name: str, data_version: str, args: tuple, kwargs: tuple):
    module, _, function = name.rpartition(".")
    return getattr(MODULES[module or "metrics"], function)(*args, **dict(kwargs))


def query(name: str, *args, **kwargs):
    """``metrics.<name>(*args, **kwargs)`` (or ``module.name``), cached for the current data version."""
    return _call(name, version(), args, tuple(sorted(kwargs.items())))


def agreement_status(codes: tuple[str, ...]) -> pd.DataFrame:
    return query("agreements.status", today(), codes)


def agreement_register(codes: tuple[str, ...]) -> pd.DataFrame:
    return query("agreements.register", codes)


def activity_without_agreement(scope: Scope) -> pd.DataFrame:
    return query("agreements.activity_without_agreement", scope.start, scope.end, scope.facilities)


def completeness(scope: Scope) -> pd.DataFrame:
    return query("completeness.matrix", scope.start, scope.end, scope.facilities, today())


def deposits(scope: Scope) -> pd.DataFrame:
    return query("packages.deposits", scope)


def turnover(scope: Scope) -> pd.DataFrame:
    return query("packages.turnover", scope)


def occupancy(codes: tuple[str, ...]) -> pd.DataFrame:
    return query("metrics.occupancy", codes)


@st.cache_resource(show_spinner=False, max_entries=32)
def _options(data_version: str, facility: str | None):
    from warehouse.ingest import make_options

    return make_options(facility=facility, seed=False)


def etl_options(facility: str | None = None):
    """The ETL's options (register, pseudonym key, today) for reading uploads."""
    return _options(version(), facility)


def facilities() -> pd.DataFrame:
    return query("facilities")


def data_range() -> tuple[dt.date | None, dt.date | None]:
    return query("data_range")


def kpis(scope: Scope) -> pd.DataFrame:
    return query("kpis", scope)


def monthly(scope: Scope) -> pd.DataFrame:
    return query("monthly", scope)


def ranking(scope: Scope) -> pd.DataFrame:
    return query("ranking", scope)


def map_points(scope: Scope) -> pd.DataFrame:
    return query("map_points", scope)


def facility_monthly(code: str, scope: Scope) -> pd.DataFrame:
    return query("facility_monthly", code, scope)


def last_reports(code: str) -> pd.DataFrame:
    return query("last_reports", code)


def loan_heatmap(scope: Scope) -> pd.DataFrame:
    return query("loan_heatmap", scope)


def loan_categories(scope: Scope) -> pd.DataFrame:
    return query("loan_categories", scope)


def top_titles(scope: Scope, per_facility: int = 5) -> pd.DataFrame:
    return query("top_titles", scope, per_facility=per_facility)


def returns(scope: Scope) -> pd.DataFrame:
    return query("returns", scope)


def visits_by_service(scope: Scope) -> pd.DataFrame:
    return query("visits_by_service", scope)


def visits_per_day(scope: Scope) -> pd.DataFrame:
    return query("visits_per_day", scope)


def visitor_groups(scope: Scope) -> pd.DataFrame:
    return query("visitor_groups", scope)


def sessions(scope: Scope) -> pd.DataFrame:
    return query("sessions", scope)


def training_by(dimension: str, scope: Scope) -> pd.DataFrame:
    return query("training_by", dimension, scope)
