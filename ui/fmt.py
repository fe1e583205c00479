"""Numbers and dates as Indonesians write them (``1.234``, ``6 Agu 2024``,
``Agustus 2024``), through Babel, in the page's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from etl import i18n as base
from etl.i18n import missing
from ui.i18n import lang


def num(value, digits: int = 0) -> str:
    if missing(value):
        return "–"
    return base.fmt_num(value, lang(), digits) if digits else base.fmt_int(round(value), lang())


def pct(value, digits: int = 1, signed: bool = True) -> str:
    if missing(value):
        return "–"
    text = base.fmt_num(abs(value) * 100, lang(), digits) + "%"
    if not signed:
        return text
    return ("+" if value > 0 else "-" if value < 0 else "") + text


def day(value) -> str:
    if missing(value):
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return base.fmt_date(value, lang())


def month(value, long: bool = True) -> str:
    if missing(value):
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return base.fmt_month(value, lang(), long=long)


def moment(value) -> str:
    """A timestamp: ``21 Nov 2026 09.15``."""
    if missing(value):
        return "–"
    value = pd.Timestamp(value)
    return f"{base.fmt_date(value.date(), lang())} {value:%H.%M}"


def month_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return month(start)
    return f"{month(start, long=False)} – {month(end, long=False)}"


def plotly_separators() -> str:
    """Plotly's decimal and thousands marks for the page language."""
    return ",." if lang() == "id" else ".,"
