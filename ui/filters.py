"""The sidebar filter every page shares: language, period, unit type, regency
and facilities. Each widget's value is mirrored in a URL query parameter, so
a view can be bookmarked or sent to a colleague and opens the same.

URL parameters: ``lang``, ``dari`` and ``sampai`` (``YYYY-MM``), ``jenis``,
``kab`` and ``fas`` (repeated for several values); the facility page adds
``unit``. The URL carries codes, never labels, so a link works in either
language. (Streamlit's own ``bind="query-params"`` writes the *formatted*
label, which would put "Nov 2025" or "Lapas Banjarmasin" in the URL; hence
the explicit sync here.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ui import data, fmt
from ui.i18n import t
from warehouse.metrics import Scope, add_months

TYPES = ("Lapas", "Rutan", "LPKA")
PRESETS = ("month", "quarter", "year", "12", "all")


@dataclass(frozen=True)
class View:
    scope: Scope
    first: dt.date          # first month with data
    last: dt.date           # latest reporting month
    facilities: object      # DataFrame of the units in view
    per_capita: bool = False  # figures per 100 inmates instead of absolute numbers

    @property
    def codes(self) -> tuple[str, ...]:
        return self.scope.facilities

    def column(self, name: str) -> str:
        """The frame column to show for a figure: ``loans`` or, per capita, ``loans_rate``."""
        return f"{name}_rate" if self.per_capita else name


def _key(d: dt.date) -> str:
    return f"{d:%Y-%m}"


def _date(key: str) -> dt.date:
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def preset_range(preset: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Presets are anchored at the latest reporting month (reports arrive after a month ends)."""
    if preset == "month":
        start = last
    elif preset == "quarter":
        start = dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
    elif preset == "year":
        start = dt.date(last.year, 1, 1)
    elif preset == "all":
        start = first
    else:
        start = add_months(last, -11)
    return max(start, first), last


URL_KEYS = ("lang", "dari", "sampai", "jenis", "kab", "fas", "ukuran")
MEASURES = ("abs", "per100")
MULTI = ("jenis", "kab", "fas")


def state(key: str, options, default) -> dict:
    """Prepare the widget ``key``: its value lives under a shadow key that
    Streamlit never clears (widget state can be dropped when the set of pages
    changes, e.g. on signing in), seeded once per session from the URL. Returns
    the keyword arguments for the widget."""
    shadow = f"_url_{key}"
    if shadow not in st.session_state:
        if key in MULTI:
            st.session_state[shadow] = [v for v in st.query_params.get_all(key) if v in options] or list(default)
        else:
            wanted = st.query_params.get(key)
            st.session_state[shadow] = wanted if wanted in options else default
    value = st.session_state[shadow]
    if key in MULTI:
        value = [v for v in value if v in options]
    elif value not in options:  # new data may have moved the range since the value was chosen
        value = default
    st.session_state[shadow] = value
    st.session_state[key] = value
    return {"key": key, "on_change": _keep, "args": (key,)}


def _keep(key: str) -> None:
    st.session_state[f"_url_{key}"] = st.session_state[key]


def value(key: str, default=None):
    return st.session_state.get(f"_url_{key}", default)


def write_url() -> None:
    """Mirror the filter's values into the URL (codes, not labels)."""
    for key in URL_KEYS:
        current = value(key)
        if current in (None, [], "") or (key, current) in (("lang", "id"), ("ukuran", "abs")):
            if key in st.query_params:
                del st.query_params[key]
        elif key in MULTI:
            if st.query_params.get_all(key) != list(current):
                st.query_params[key] = list(current)
        elif st.query_params.get(key) != current:
            st.query_params[key] = current


def language_switch() -> None:
    kwargs = state("lang", ("id", "en"), "id")  # first: a link's ?lang=en sets the language its own label is in
    st.sidebar.segmented_control(t("language"), ["id", "en"], required=True, **kwargs,
                                 format_func=lambda v: {"id": "Indonesia", "en": "English"}[v])


def _apply_preset(first: dt.date, last: dt.date) -> None:
    preset = st.session_state.get("preset")
    if preset:
        start, end = preset_range(preset, first, last)
        st.session_state["_url_dari"], st.session_state["_url_sampai"] = _key(start), _key(end)


def sidebar() -> View | None:
    """Draw the shared filter; ``None`` when the warehouse holds no reports."""
    first, last = data.data_range()
    if first is None:
        return None
    months = []
    m = first
    while m <= last:
        months.append(_key(m))
        m = add_months(m, 1)
    default_start, default_end = preset_range("12", first, last)
    side = st.sidebar
    side.markdown(f"**{t('period')}**")
    side.pills(t("preset"), PRESETS, key="preset", selection_mode="single", label_visibility="collapsed",
               format_func=lambda p: t({"month": "preset_month", "quarter": "preset_quarter", "year": "preset_year",
                                        "12": "preset_12", "all": "preset_all"}[p]),
               on_change=_apply_preset, args=(first, last))
    c1, c2 = side.columns(2)
    start_key = c1.selectbox(t("month_from"), months, **state("dari", months, _key(default_start)),
                             format_func=lambda k: fmt.month(_date(k), long=False))
    end_key = c2.selectbox(t("month_to"), months, **state("sampai", months, _key(default_end)),
                           format_func=lambda k: fmt.month(_date(k), long=False))
    start, end = _date(start_key), _date(end_key)
    if start > end:
        start, end = end, start
        side.caption(t("swapped"))
    side.caption(t("period_note", month=fmt.month(last)))

    units = data.facilities()
    regency_options = sorted(units["regency"].dropna().unique())
    codes = list(units["code"])
    side.markdown(f"**{t('facilities')}**")
    types = side.multiselect(t("facility_type"), list(TYPES), **state("jenis", TYPES, ()), placeholder=t("all"))
    regencies = side.multiselect(t("regency"), regency_options, **state("kab", regency_options, ()),
                                 placeholder=t("all"))
    labels = dict(zip(units["code"], units["short_name"]))
    chosen = side.multiselect(t("facilities"), codes, **state("fas", codes, ()), placeholder=t("all"),
                              format_func=lambda c: labels.get(c, c))
    keep = units["code"].notna()
    for column, values in (("type", types), ("regency", regencies), ("code", chosen)):
        if values:
            keep &= units[column].isin(values)
    in_view = units[keep]
    side.caption(t("in_view", n=len(in_view)))
    measure = side.segmented_control(t("measure"), list(MEASURES), required=True, **state("ukuran", MEASURES, "abs"),
                                     format_func=lambda m: t(f"measure_{m}"), help=t("measure_help"))
    write_url()
    return View(Scope(start, end, tuple(in_view["code"])), first, last, in_view, per_capita=measure == "per100")


def query_string(view: View, **extra: str) -> dict:
    """The filter as query parameters, to carry it to another page."""
    params = {"dari": _key(view.scope.start), "sampai": _key(view.scope.end)}
    for key in ("lang", "jenis", "kab", "fas", "ukuran"):
        current = value(key)
        if current and (key, current) not in (("lang", "id"), ("ukuran", "abs")):
            params[key] = current
    params.update(extra)
    return params
