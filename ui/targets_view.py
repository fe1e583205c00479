"""The Capaian Kinerja page's cached calls and its admin forms (edit the year's targets, load them
from a spreadsheet); the comparisons themselves are in :mod:`warehouse.targets`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.targets import BY_KEY, TARGET_INDICATORS, TargetFileError, read_targets, template_xlsx
from ui import auth, fmt, guarded, palette
from ui import data
from ui.data import cached, etl_options
from ui.i18n import lang, t
from ui.target_text import basis_text
from warehouse import targets
from warehouse.settings import today

lkjip_on = data.lkjip                # (year, codes, facility, today, revision): the report's cached query too
trend_on = cached(targets.trend)     # (year, codes, facility, years_back, today)
revisions = cached(targets.revisions)
years = cached(targets.years)
targets_of = cached(targets.targets)


in_view_on = cached(targets.in_view)  # (start, end, codes, today)


def in_view(scope) -> pd.DataFrame:
    """The targets beside a page's figures for ``scope`` (a metrics.Scope): rows only for a calendar year or
    year to date whose units have targets (:func:`warehouse.targets.in_view`)."""
    return in_view_on(scope.start, scope.end, scope.facilities, today())


def lkjip(year: int, codes: tuple[str, ...], facility: str) -> pd.DataFrame:
    return lkjip_on(year, codes, facility, today())


def trend(year: int, codes: tuple[str, ...], facility: str) -> pd.DataFrame:
    return trend_on(year, codes, facility, 4, today())


def revision_line(year: int) -> str | None:
    found = revisions(year)
    if found.empty:
        return None
    r = found.iloc[0]
    return t("capaian_revision", revision=int(r["revision"]), label=fmt.md(r["label"]), by=fmt.md(r["entered_by"]),
             when=fmt.moment(r["entered_at"]))


def edit_form(year: int, facility: str, unit_name: str) -> None:
    """The admin's table of this year's targets for ``facility`` ('' = the province); saving makes a
    new revision holding these and every other unit's targets as they stand."""
    current = targets_of(year)
    mine = current[current["facility_code"] == facility]
    value_of = dict(zip(mine["indicator"], mine["value"]))
    editor = pd.DataFrame({
        t("capaian_col_indicator"): [i.name(lang()) for i in TARGET_INDICATORS],
        t("capaian_col_unit"): [i.unit(lang()) for i in TARGET_INDICATORS],
        t("capaian_col_target"): pd.array([value_of.get(i.key) for i in TARGET_INDICATORS], dtype="Float64")})
    with st.form(f"targets-{year}-{facility}"):
        st.caption(t("capaian_edit_help") + f" · {unit_name}")
        edited = st.data_editor(editor, hide_index=True, disabled=[t("capaian_col_indicator"), t("capaian_col_unit")],
                                key=f"targets-editor-{year}-{facility}", width="stretch")
        label = st.text_input(t("capaian_label"), value=t("capaian_label_default", year=year))
        submitted = st.form_submit_button(t("capaian_save"), type="primary")
    if not submitted:
        return
    others = current[current["facility_code"] != facility]
    rows = [(i, c, v) for i, c, v in zip(others["indicator"], others["facility_code"], others["value"])]
    for ind, value in zip(TARGET_INDICATORS, edited[t("capaian_col_target")]):
        if not fmt.missing(value):
            rows.append((ind.key, facility, float(value)))
    if guarded.act("admin", lambda who: targets.save(year, rows, label=label, by=who.username, source="halaman",
                                                      replace=True),
                   lambda revision: t("capaian_saved", year=year, revision=revision)):
        lkjip_on.clear()
        st.rerun()


def upload_form(year: int) -> None:
    """The target template and the loading of a filled one (a new revision of each year it names)."""
    options = etl_options()
    st.download_button(t("capaian_template"), data=lambda: template_xlsx(options.register, year, lang()),
                       file_name=f"templat_target_{year}.xlsx", on_click="ignore", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    uploaded = st.file_uploader(t("capaian_upload"), type=["xlsx"], key="targets-upload")
    if uploaded is None or not st.button(t("capaian_upload_button"), type="primary"):
        return
    who = auth.require("admin")  # checked again at the moment of the action
    try:
        rows = read_targets(uploaded.getvalue(), options.register, lang())
    except TargetFileError as exc:
        for message in exc.messages[:20]:
            st.error(fmt.md(message))
        return
    by_year: dict[int, list] = {}
    for y, indicator, code, value in rows:
        by_year.setdefault(y, []).append((indicator, code, value))
    try:
        for y, part in sorted(by_year.items()):
            targets.save(y, part, label=t("capaian_upload_label", file=uploaded.name), by=who.username,
                         source=uploaded.name)
    except targets.TargetError as exc:
        st.error(fmt.md(str(exc)))
        return
    st.success(t("capaian_loaded", n=len(rows), file=fmt.md(uploaded.name)))


def target_line(row: dict) -> str:
    """One LKjIP row as a line under a figure: the year's target and the share achieved, year to date the
    pro-rata target and the share of it, and the status in bold in its colour (ui.palette.TARGET), e.g.
    'Target 2024: 3.000 (capaian 40%) · pro-rata s.d. Agu 2024: 2.000 (60%) · Tertinggal'. Numbers are
    rounded as the Capaian Kinerja page rounds them."""
    ind = BY_KEY[row["indicator"]]

    def number(value) -> str:
        shown = _number(None if fmt.missing(value) else round(float(value), ind.digits))
        return f"{shown}%" if ind.percent and not fmt.missing(value) else shown

    def pct(share) -> str:  # as the page's Capaian % column: one decimal unless whole
        return "–" if fmt.missing(share) else _number(round(float(share) * 100, 1)) + "%"

    if row["status"] == "no_data":
        return t("target_line_plain", year=row["year"], target=number(row["target"])) + " · " + t("target_line_no_data")
    line = t("target_line", year=row["year"], target=number(row["target"]),
             pct=pct(row["achievement"]))
    if row["kind"] == "sum" and 0 < row["months"] < 12:
        line += " · " + t("target_line_prorata", month=fmt.month(row["through"], long=False),
                          prorata=number(row["prorata"]), pct=pct(row["ytd_achievement"]))
    word, colour = t(f"capaian_status_{row['status']}"), STATUS_COLOUR[row["status"]]
    return f'{line} · **:color[{word}]{{foreground="{colour}"}}**'


def kpi_line(goals: pd.DataFrame, column: str) -> str | None:
    """The target line under a KPI card showing ``column`` (metrics.kpis' column, or an indicator's key such
    as 'completeness'), or None when that figure has no target in ``goals`` (:func:`in_view`)."""
    key = targets.INDICATOR_OF.get(column, column if column in BY_KEY else None)
    found = goals[goals["indicator"] == key] if key else goals.iloc[0:0]
    return None if found.empty else target_line(found.iloc[0].to_dict())


def show_lines(goals: pd.DataFrame) -> None:
    """A unit's realisation against its own targets (:func:`in_view`), one line per indicator that has one:
    its name, the realisation and :func:`target_line`, in a bordered box under a heading; the revision
    and the pro-rata basis below. Nothing when ``goals`` is empty."""
    if goals.empty:
        return
    with st.container(border=True):
        st.markdown(f"**{t('target_unit_title', year=int(goals['year'].iloc[0]))}**")
        for row in goals.to_dict("records"):
            ind = BY_KEY[row["indicator"]]
            amount = ("–" if fmt.missing(row["realisation"]) else
                      f"**{_number(round(float(row['realisation']), ind.digits))}** {ind.unit(lang())}")
            st.markdown(t("target_unit_line", indicator=ind.name(lang()), amount=amount, line=target_line(row)))
        st.caption(view_note(goals))


def view_note(goals: pd.DataFrame, only: tuple[str, ...] | None = None) -> str | None:
    """Under the figures that have a target: the revision in force and how the pro-rata target was made
    (of the indicators ``only``, when the page shows just those)."""
    if only is not None:
        goals = goals[goals["indicator"].isin(only)]
    if goals.empty:
        return None
    note = revision_line(int(goals["year"].iloc[0])) or ""
    prorata = goals[(goals["kind"] == "sum") & (goals["months"] > 0) & (goals["months"] < 12)]
    if not prorata.empty:
        note += " " + t("target_line_basis", basis=basis_text(prorata["basis"].iloc[0]))
    return note.strip()


def _number(value) -> str:
    """1.234 for a whole number, 18,3 otherwise (the page's language); '–' where there is none."""
    if fmt.missing(value):
        return "–"
    return fmt.num(value) if float(value) == round(float(value)) else fmt.num(value, 1)


def styled(shown: pd.DataFrame, status: bool = True):
    """A Capaian table as the page shows it: numbers written the page language's way and '–' where there
    is none (as text: a small table, and Streamlit draws an empty number as 'None'); for the LKjIP table
    the status coloured (green on track or achieved, red behind). The xlsx keeps the numbers."""
    numbers = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c].dtype)][1 if status else 0:]
    frame = shown.astype({c: object for c in numbers})
    for column in numbers:
        frame[column] = [_number(v) for v in shown[column]]
    styler = frame.style
    if status:
        label_of = {s: t(f"capaian_status_{s}") for s in STATUS_COLOUR}
        styler = styler.map(status_colour(label_of), subset=[t("capaian_col_status")])
    return styler


STATUS_COLOUR = palette.TARGET


def status_colour(label_of: dict[str, str]):
    """A Styler function colouring the status column: green on track or achieved, red behind."""
    colours = {label_of[k]: v for k, v in STATUS_COLOUR.items()}

    def colour(value):
        return f"color: {colours[value]}; font-weight: 600" if value in colours else ""
    return colour


__all__ = ["BY_KEY", "basis_text", "edit_form", "in_view", "kpi_line", "lkjip", "revision_line", "revisions",
           "show_lines", "status_colour", "styled", "target_line", "trend", "upload_form", "view_note", "years"]
