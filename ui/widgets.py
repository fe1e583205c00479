"""Small building blocks the pages share: KPI cards, tables in the figures
they show, downloads (CSV and xlsx), empty states, and the jump to a
facility's page."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from etl.safety import safe_cell, safe_filename
from ui import fmt
from ui.i18n import label, lang, t
from warehouse import metrics, settings

FACILITY_PAGE = "pages/fasilitas.py"


def rate_base() -> int:
    return settings.get("PANTAU_RATE_BASE")


def deadline_day() -> int:
    return settings.get("PANTAU_REPORT_DEADLINE_DAY")


def measured(view, key: str, short: bool = False) -> str:
    """A figure's label, with 'per 100 WBP per bulan' (``short``: '/100 WBP') when the view shows rates."""
    if not view.per_capita:
        return t(key)
    suffix = "per_capita_short" if short else "per_capita_suffix"
    return f"{t(key)} {t(suffix, base=settings.get('PANTAU_RATE_BASE'))}"


def rate_missing(view, *headers: str) -> dict[str, str]:
    """In per-capita tables, an empty rate means the facility has no occupancy figure."""
    return {t(h): t("no_denominator") for h in headers} if view.per_capita else {}


def kpi(title: str, row_current, row_previous, row_last_year, column: str, help: str | None = None,
        digits: int = 0, percent: bool = False, notes=None, target: str | None = None) -> None:
    """A KPI card: the period's figure, its change against the previous period
    (arrow) and against the same period a year earlier (caption). With ``notes``
    (:class:`ui.provisional.KpiNotes`) the changes are like for like, the card says how
    many units they compare, once when both periods are the same months, and marks a
    provisional figure 'sementara', naming the units still outstanding. ``target``: the line of its
    target (:func:`ui.targets_view.kpi_line`), right under the figure."""
    current = row_current.get(column)
    previous = metrics.change(current, row_previous.get(column))
    last_year = metrics.change(current, row_last_year.get(column))
    if notes is not None:
        from ui import provisional

        if notes.previous is not None:
            previous = notes.previous.change
        if notes.last_year is not None:
            last_year = notes.last_year.change
        if notes.provisional:
            help = f"{help}\n\n{notes.provisional}" if help else notes.provisional
    if previous is None:
        delta = None
    elif round(previous, 3) == 0:
        delta = 0  # a number, so Streamlit shows it grey without an arrow
    else:
        delta = fmt.pct(previous)
    shown = fmt.pct(current, signed=False) if percent else fmt.num(current, digits)
    with st.container(border=True):
        st.metric(title, shown, delta=delta,
                  delta_description=t("vs_previous") if previous is not None else None, help=help)
        if target:
            st.caption(target)
        if notes is None or not notes.same:
            st.caption(t("vs_last_year", delta=fmt.pct(last_year) if last_year is not None else t("no_comparison")))
        if notes is not None:
            provisional.kpi_captions(notes, current, digits, percent)


@dataclass(frozen=True)
class Col:
    """A column of a displayed table: source column, header text key, kind."""
    source: str
    header: str
    kind: str = "number"   # number | decimal | percent | text | month | day | moment | trend | label:<prefix>


def _sparkline(values) -> list[float | None] | None:
    """A list cell (DuckDB gives arrays, masked where a month has no figure) as plain floats and Nones."""
    if values is None:
        return None
    floats = np.ma.asarray(values, dtype=float).filled(np.nan).tolist()
    return [None if x != x else x for x in floats]


def table(frame: pd.DataFrame, columns: list[Col]) -> pd.DataFrame:
    """The frame as the page shows it: translated headers, months and dates as
    Indonesians write them, codes as labels; numbers stay numbers."""
    out = {}
    for c in columns:
        values = frame[c.source]
        if c.kind == "month":
            values = values.map(lambda v: fmt.month(v))
        elif c.kind == "day":
            values = values.map(lambda v: fmt.day(v))
        elif c.kind == "moment":
            values = values.map(lambda v: fmt.moment(v))
        elif c.kind.startswith("label:"):
            prefix = c.kind.split(":", 1)[1]
            values = values.map(lambda v: label(prefix, v))
        elif c.kind == "text":
            values = values.map(lambda v: fmt.DASH if fmt.missing(v) else str(v))
        elif c.kind == "decimal":
            values = pd.to_numeric(values, errors="coerce").round(1)
        elif c.kind == "percent":  # shown as a percentage with one decimal
            values = (pd.to_numeric(values, errors="coerce") * 100).round(1)
        elif c.kind == "trend":  # a list of monthly figures, drawn as a sparkline (plain lists: cheap to show)
            values = values.map(_sparkline)
        elif c.kind == "number":
            values = pd.to_numeric(values, errors="coerce").astype("Int64")
        out[t(c.header)] = values.reset_index(drop=True)
    return pd.DataFrame(out)


def styled(frame: pd.DataFrame, missing: dict[str, str] | None = None):
    """The frame with numbers written 1.234 / 12,5 (id) or 1,234 / 12.5 (en); sorting stays numeric.
    ``missing`` names what an empty cell means, per column (e.g. 'tanpa penyebut')."""
    thousands, decimal = (".", ",") if lang() == "id" else (",", ".")
    styler = frame.style
    for name, dtype in frame.dtypes.items():
        na = (missing or {}).get(name, "–")
        if pd.api.types.is_integer_dtype(dtype):
            styler = styler.format(precision=0, thousands=thousands, decimal=decimal, na_rep=na, subset=[name])
        elif pd.api.types.is_float_dtype(dtype):
            styler = styler.format(precision=1, thousands=thousands, decimal=decimal, na_rep=na, subset=[name])
    return styler


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame a download holds: what the table shows minus its sparklines and links (a file has no use for
    a picture of a trend or a link relative to this server)."""
    if frame.empty:
        return frame
    keep = [name for name in frame.columns
            if not _where(frame[name], _is_list).any() and not frame[name].astype(str).str.startswith("./").any()]
    return frame[keep]


def _where(column: pd.Series, test) -> pd.Series:
    """``test`` of each cell, as booleans (``map`` keeps an empty column's dtype)."""
    return pd.Series([bool(test(v)) for v in column], index=column.index, dtype=bool)


def missing_word(name: str, missing: dict[str, str] | None) -> str:
    """The one rule for an empty cell: the column's own words (e.g. 'tanpa penyebut') or a dash."""
    return (missing or {}).get(name) or fmt.DASH


def gaps(frame: pd.DataFrame) -> list[str]:
    """The columns holding an empty cell (None, NaN, NA, NaT)."""
    return [name for name in frame.columns if _where(frame[name], fmt.missing).any()]


def to_csv(frame: pd.DataFrame, missing: dict[str, str] | None = None) -> bytes:
    """CSV that Excel in an Indonesian locale opens as it is: BOM, ``;``, decimal comma; an empty cell
    reads as on screen ('-' or the column's words), never None or nan."""
    decimal = "," if lang() == "id" else "."
    safe = for_download(frame).copy()
    for name in gaps(safe):
        column = safe[name]
        if pd.api.types.is_float_dtype(column.dtype):  # written by hand once it holds words: keep its decimal mark
            column = column.map(lambda v: v if fmt.missing(v) else repr(float(v)).replace(".", decimal))
        safe[name] = column.astype(object).where(~_where(column, fmt.missing), missing_word(name, missing))
    safe = safe.map(safe_cell)
    text = safe.to_csv(index=False, sep=";" if lang() == "id" else ",", decimal=decimal)
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, title: str, missing: dict[str, str] | None = None) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "nan_inf_to_errors": True})
    frame = for_download(frame)
    sheet = book.add_worksheet(safe_sheet(title))
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    whole = book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "#,##0.0"})
    sheet.write_row(0, 0, list(frame.columns), head)
    for c, name in enumerate(frame.columns):
        column = frame[name]
        is_int = pd.api.types.is_integer_dtype(column.dtype)
        is_num = pd.api.types.is_numeric_dtype(column.dtype)
        for r, value in enumerate(column, start=1):
            if fmt.missing(value):
                sheet.write_string(r, c, missing_word(name, missing))
                continue
            if is_num:
                sheet.write_number(r, c, float(value), whole if is_int else decimal)
            else:
                sheet.write(r, c, safe_cell(str(value)))
        width = max([len(str(name))] + [len(str(v)) for v in column.head(200)]) + 2
        sheet.set_column(c, c, min(max(width, 8), 60))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
    book.close()
    return buffer.getvalue()


def safe_sheet(title: str) -> str:
    """An xlsx sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))[:31].strip() or "Data"


def downloads(frame: pd.DataFrame, name: str, key: str, missing: dict[str, str] | None = None) -> None:
    """CSV and xlsx of ``frame`` (the figures the chart or table shows), built when clicked; ``name`` is the
    page's words (the file is named after it, in the user's language)."""
    file_stem = safe_filename(name.lower().replace(" ", "_"))
    with st.popover(t("download"), icon=":material/download:"):
        st.download_button(t("download_csv"), data=lambda: to_csv(frame, missing), file_name=f"{file_stem}.csv",
                           mime="text/csv", on_click="ignore", key=f"dl-csv-{key}", icon=":material/table:")
        st.download_button(t("download_xlsx"), data=lambda: to_xlsx(frame, name, missing),
                           file_name=f"{file_stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", key=f"dl-xlsx-{key}", icon=":material/grid_on:")


def show_table(frame: pd.DataFrame, name: str, key: str, height: int | str = "auto",
               missing: dict[str, str] | None = None, **kwargs):
    """A table with its downloads; extra kwargs go to st.dataframe (selection, column config).
    Empty cells follow :func:`missing_word`; numbers stay numbers, so sorting stays numeric."""
    kwargs["column_config"] = with_gap_help(kwargs.get("column_config") or {}, gap_help(frame, missing))
    event = st.dataframe(styled(frame, missing), hide_index=True, width="stretch", height=height, key=key,
                         placeholder=placeholder(frame, missing), **kwargs)
    downloads(frame, name, key, missing)
    return event


def rows_height(rows: int, most: int = 40) -> int | str:
    """A table's height that shows ``rows`` rows without an inner scroll bar (up to ``most`` rows)."""
    return 35 * (min(rows, most) + 1) + 3 if rows else "auto"


def with_gap_help(config: dict, helps: dict) -> dict:
    """The page's column config with the empty-cell tooltips added (after the column's own help, if any)."""
    merged = dict(config)
    for name, extra in helps.items():
        own = dict(merged.get(name) or {})
        own["help"] = " ".join(filter(None, [own.get("help"), extra["help"]]))
        merged[name] = own
    return merged


def placeholder(frame: pd.DataFrame, missing: dict[str, str] | None = None) -> str:
    """What an empty cell of ``frame`` reads on screen. Streamlit draws every empty cell of a table with one
    text: the columns' own words when every column with a gap shares them, otherwise a dash (and
    :func:`gap_help` says in the column's header tooltip what its dash means)."""
    words = {missing_word(name, missing) for name in gaps(frame)}
    return words.pop() if len(words) == 1 else fmt.DASH


def gap_help(frame: pd.DataFrame, missing: dict[str, str] | None = None) -> dict:
    """Header tooltips for columns whose empty cells mean more than the table's placeholder shows."""
    if placeholder(frame, missing) != fmt.DASH:
        return {}
    return {name: st.column_config.Column(help=t("empty_means", dash=fmt.DASH, words=(missing or {})[name]))
            for name in gaps(frame) if (missing or {}).get(name)}


def agreement_alerts(view) -> None:
    """The overview's warning about agreements ending soon or ended, for the facilities in view."""
    from ui import data

    status = data.agreement_status(view.codes)
    expiring = status[status["status"] == "expiring"]
    expired = status[status["status"] == "expired"]
    if not expiring.empty:
        items = "; ".join(t("alert_expiring_item", name=fmt.md(r.short_name), until=fmt.day(r.valid_until),
                            days=int(r.days_left)) for r in expiring.itertuples())
        st.warning(t("alert_expiring", items=items), icon=":material/event_upcoming:")
    if not expired.empty:
        items = "; ".join(t("alert_expired_item", name=fmt.md(r.short_name), until=fmt.day(r.last_until))
                          for r in expired.itertuples())
        st.error(t("alert_expired", items=items), icon=":material/event_busy:")
    if not expiring.empty or not expired.empty:
        st.page_link("pages/kerjasama.py", label=t("alert_link"), icon=":material/handshake:")


def busy() -> None:
    """The one sentence for a read that waited for another process's writer past ``PANTAU_LOCK_TIMEOUT``
    (the file backend; on the lake readers never wait): the page says so instead of a traceback."""
    st.warning(t("warehouse_busy"), icon=":material/hourglass_top:")


def no_data() -> None:
    st.title(t("app_title"))
    st.info(f"**{t('no_data_title')}**\n\n{t('no_data_body')}", icon=":material/inventory_2:")


def facility_links(codes, view) -> list[str]:
    """Relative links that open each facility's page with the same filter."""
    from urllib.parse import urlencode

    from ui.filters import query_string

    shared = urlencode(query_string(view), doseq=True)
    return [f"./fasilitas?{shared}&{urlencode({'unit': code})}" for code in codes]


def open_facility(code: str, view) -> None:
    """Go to the facility page for ``code`` with the same filter."""
    from ui.filters import query_string

    st.switch_page(FACILITY_PAGE, query_params=query_string(view, unit=code))
