"""Kelengkapan Data: which reports arrived (when, from whom), which were late
and which are missing, per facility and month; and the list to chase."""

import streamlit as st

from ui import charts, data, flags_view, fmt, notes_view, notify_view, shell, targets_view, widgets
from ui.i18n import t
from ui.widgets import Col
from warehouse import completeness

view = shell.view()
scope = view.scope
st.title(t("completeness_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · "
           + t("completeness_intro", day=widgets.deadline_day()))

frame = data.completeness(scope)
by_dataset = completeness.per_dataset(frame)
row = st.columns(len(by_dataset) + 1)
due = frame[~frame["status"].isin(completeness.NOT_EXPECTED_YET)]
with row[0]:
    with st.container(border=True):
        st.metric(t("completeness_all"), fmt.pct((due["status"] != "missing").mean() if len(due) else None,
                                                  signed=False))
        st.caption(t("completeness_late", late=fmt.num((due["status"] == "late").sum()),
                     missing=fmt.num((due["status"] == "missing").sum())))
        goals = targets_view.in_view(scope)  # a calendar year or year to date with a completeness target
        if line := targets_view.kpi_line(goals, "completeness"):
            st.caption(line)
for column, part in zip(row[1:], by_dataset.itertuples()):
    with column:
        with st.container(border=True):
            st.metric(t(f"dataset_{part.dataset}"), fmt.pct(part.completeness, signed=False))
            st.caption(t("completeness_late", late=fmt.num(part.late), missing=fmt.num(part.missing)))
if note := targets_view.view_note(goals, ("completeness",)):
    st.caption(note)

st.subheader(t("completeness_matrix"))
st.caption(t("completeness_matrix_help"))
st.plotly_chart(charts.completeness_matrix(frame, {s: t(f"report_{s}") for s in
                                                   completeness.STATUSES},
                                           {d: t(f"dataset_{d}") for d in completeness.EXPECTED}),
                key="completeness")
widgets.downloads(widgets.table(frame, [
    Col("short_name", "col_facility", "text"), Col("month", "col_month", "month"),
    Col("dataset", "col_dataset", "label:dataset"), Col("status", "col_status", "label:report"),
    Col("due", "col_due", "day"), Col("received_at", "col_received", "day"), Col("loaded_by", "col_by", "text"),
    Col("file_name", "col_file", "text"), Col("notes", "notes_col_text", "text")]), t("completeness_matrix"), "matrix")

notes_view.section(view)

st.subheader(t("completeness_chase"))
st.caption(t("completeness_chase_help"))
chase = completeness.chase_list(frame)
if chase.empty:
    st.success(t("completeness_nothing_missing"))
else:
    widgets.show_table(widgets.table(chase, [
        Col("short_name", "col_facility", "text"), Col("dataset", "col_missing_report", "label:dataset"),
        Col("since", "col_since", "month"), Col("months_missing", "col_months_missing"),
        Col("latest_missing", "col_latest_missing", "month")]), t("completeness_chase"), "chase")

st.subheader(t("completeness_by_facility"))
widgets.show_table(widgets.table(completeness.per_facility(frame), [
    Col("short_name", "col_facility", "text"), Col("due", "col_reports_due"), Col("received", "col_reports_received"),
    Col("late", "col_reports_late"), Col("missing", "col_reports_missing"),
    Col("completeness", "col_completeness", "percent")]), t("completeness_by_facility"), "by-facility")

flags_view.show(scope)
notify_view.sent_section()
