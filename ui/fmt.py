"""Numbers and dates as Indonesians write them (``1.234``, ``6 Agu 2024``,
``Agustus 2024``), through Babel, in the page's language; and :func:`md`, which
makes any user-supplied text safe to show through Streamlit's Markdown."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from etl import i18n as base
from etl.i18n import missing
from ui.i18n import lang

DASH = "–"   # what an empty figure reads everywhere (tables, cards, downloads): never None, nan, NaT or <NA>


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


# Markdown and Streamlit's own syntax: links and images ([]()!), emphasis (*_~), code (`),
# headings (#), HTML and autolinks (<>), tables (|), LaTeX ($), directives and icons (:red[..], :material/x:)
_MD_SPECIAL = re.compile(r"([\\`*_&\[\](){}!#<>|~$:])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")
_MD_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_MD_WWW = re.compile(r"(?i)(www)\.")


def md(value) -> str:
    """``value`` as literal text inside Streamlit Markdown (st.markdown, captions, alerts,
    titles, labels, help): every Markdown or Streamlit marker is backslash-escaped and line
    breaks become spaces, so a file named ``[klik](http://x) ![](http://x/p.png).csv`` shows
    as those characters, never as a link or an image. None and NaN give ``–``."""
    if value is None or (not isinstance(value, str) and missing(value)):
        return "–"
    text = _MD_BREAKS.sub(" ", str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_WWW.sub(r"\1\\.", text)  # a bare www.… would become a link (GFM autolink)
    match = _MD_LINE_START.match(text)
    if match:  # a list item or heading underline at the start
        if match.group(2)[0].isdigit():
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[:match.start(2)] + "\\" + text[match.start(2):]
    return text
