"""Pelatihan: sessions and participants by topic, audience, gender, organiser
and facility, and the sessions on a timeline."""

import streamlit as st

from ui import charts, data, fmt, shell, targets_view, widgets
from ui import provisional as prov
from warehouse import provisional
from ui.i18n import label, t
from ui.widgets import Col

view = shell.view()
scope = view.scope

st.title(t("training_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('in_view', n=len(view.codes))}")

sessions = data.sessions(scope)
if sessions.empty:
    st.info(t("nothing_in_period"), icon=":material/event_busy:")
    st.stop()

figures = data.kpis(scope)
current, previous, last_year = (figures.loc[p].to_dict() for p in ("current", "previous", "last_year"))
statuses, like = provisional.period(data.completeness(scope)), data.like_for_like(scope)


def notes(column: str) -> prov.KpiNotes:
    return prov.kpi_notes(column, statuses, like, scope, previous, last_year)


goals = targets_view.in_view(scope)  # a calendar year or year to date: the targets of the figures that have one
row = st.columns(4)
with row[0]:
    widgets.kpi(t("kpi_sessions"), current, previous, last_year, "training_sessions", notes=notes("training_sessions"),
                target=targets_view.kpi_line(goals, "training_sessions"))
with row[1]:
    widgets.kpi(t("kpi_participants"), current, previous, last_year, "training_participants",
                notes=notes("training_participants"), target=targets_view.kpi_line(goals, "training_participants"))
with row[2]:
    widgets.kpi(t("kpi_participants_l"), current, previous, last_year, "participants_l", notes=notes("participants_l"))
with row[3]:
    widgets.kpi(t("kpi_participants_p"), current, previous, last_year, "participants_p", notes=notes("participants_p"))
if note := targets_view.view_note(goals, ("training_sessions", "training_participants")):
    st.caption(note)

GROUPED = [Col("label", "col_topic", "text"), Col("sessions", "col_sessions"), Col("participants", "col_participants"),
           Col("participants_l", "col_participants_l"), Col("participants_p", "col_participants_p")]
tabs = st.tabs([t("training_by_topic"), t("training_by_audience"), t("training_by_organiser"),
                t("training_by_facility")])
for tab, dimension, header in zip(tabs, ("topic", "audience", "organiser", "facility"),
                                  ("col_topic", "col_audience", "col_organiser", "col_facility")):
    with tab:
        grouped = data.training_by(dimension, scope)
        kind = f"label:{dimension}" if dimension in ("audience", "topic") else "text"
        names = (lambda v, prefix=dimension: label(prefix, v)) if dimension in ("audience", "topic") else str
        st.plotly_chart(charts.grouped_lp(grouped, "label", t("gender_l"), t("gender_p"), names=names),
                        key=f"by-{dimension}")
        columns = [Col("label", header, kind), *GROUPED[1:]]
        if dimension == "facility":
            columns.append(Col("participants_rate", "col_participants_rate", "decimal"))
        widgets.show_table(widgets.table(grouped, columns), f"{t('training_title')} {t(header)}", f"by-{dimension}",
                           missing={t("col_participants_rate"): t("no_denominator")})

st.subheader(t("training_timeline"))
st.caption(t("ranking_help"))
chosen = st.plotly_chart(charts.timeline(sessions, "topic", {}), on_select="rerun", selection_mode="points",
                         key="timeline")
if code := charts.selected_code(chosen):
    widgets.open_facility(code, view)

st.subheader(t("training_list"))
widgets.show_table(widgets.table(sessions, [
    Col("start_date", "col_start", "day"), Col("end_date", "col_end", "day"), Col("short_name", "col_facility", "text"),
    Col("title", "col_title", "text"), Col("topic", "col_topic", "label:topic"), Col("audience", "col_audience", "label:audience"),
    Col("organiser", "col_organiser", "text"), Col("partner", "col_partner", "text"),
    Col("participants", "col_participants"), Col("participants_l", "col_participants_l"),
    Col("participants_p", "col_participants_p")]), t("training_list"), "sessions", height=420)
