"""Fasilitas: one facility over time: its monthly loans, visits and training
with a 12-month rolling line, loans by category, the sessions it held and the
last reports it sent. Months without a report are gaps, never zeros."""

import streamlit as st

from ui import charts, data, flags_view, fmt, note_text, shell, targets_view, widgets
from ui.i18n import lang, t
from ui.widgets import Col, measured

view = shell.view()
scope = view.scope
units = view.facilities

# the chosen facility lives in the URL (?unit=...) so a link opens the same page
codes = list(units["code"])
names = dict(zip(units["code"], units["short_name"]))
wanted = st.query_params.get("unit")
if wanted not in codes:
    wanted = codes[0]
code = st.selectbox(t("facility_pick"), codes, index=codes.index(wanted), format_func=lambda c: names[c],
                    key="unit_choice")
st.query_params["unit"] = code
unit = units.set_index("code").loc[code]

st.title(fmt.md(unit["short_name"]))
st.caption(t("facility_meta", official=fmt.md(unit["official_name"]), type=fmt.md(unit["type"]),
             klass=fmt.md(unit["class"] or "–"), regency=fmt.md(unit["regency"])) + f" · {fmt.month_range(scope.start, scope.end)}")

reports = data.last_reports(code)
if reports.empty:
    st.info(t("facility_no_reports", name=fmt.md(unit["short_name"])), icon=":material/mark_email_unread:")
    st.stop()

# the monthly series always spans at least the 12 months up to the period's end, to show a trend
series_scope = scope.at_least(12)
series = data.facility_monthly(code, series_scope)
unit_notes = data.unit_notes(series_scope.start, series_scope.end, (code,))  # markers on the monthly charts
reported = series["has_loans"].fillna(False) | series["has_visits"].fillna(False) | series["has_training"].fillna(False)
if not reported.any():
    st.warning(t("facility_none_in_period", name=fmt.md(unit["short_name"])), icon=":material/event_busy:")

st.caption(t("facility_gaps") + (" " + t("facility_series_span", span=fmt.month_range(series_scope.start,
                                                                                    series_scope.end))
                                  if series_scope != scope else ""))
latest = series.dropna(subset=["occupants"]).tail(1)
if latest.empty:
    st.caption(t("facility_no_occupancy"))
else:
    row = latest.iloc[0]
    st.caption(t("facility_occupancy", occupants=fmt.num(row["occupants"]), when=fmt.day(row["occupancy_date"])))
# figures of this unit still flagged 'perlu dicek' in the charts' months: named before anyone reads the bars
for text in flags_view.open_flags(series_scope.start, series_scope.end, (code,), lang())["message"]:
    st.warning(t("attention_flag", text=fmt.md(text)), icon=":material/flag:")
targets_view.show_lines(targets_view.in_view(scope.only(code)))  # a calendar year or year to date, its own targets
left, right = st.columns(2)
with left:
    st.markdown(f"**{measured(view, 'facility_series_loans')}**")
    st.plotly_chart(charts.with_rolling(series, [(view.column("loans"), t("col_loans"), charts.PALETTE[0])],
                                        view.column("loans_rolling12"), t("col_rolling"), "has_loans",
                                        t("no_report"), notes=note_text.chart_notes(unit_notes, "loans"),
                                        notes_label=t("notes_marker")), key="f-loans")
with right:
    st.markdown(f"**{measured(view, 'facility_series_visits')}**")
    st.plotly_chart(charts.with_rolling(series, [(view.column("visitors_library"), t("series_library"), charts.LIBRARY),
                                                 (view.column("visitors_pusling"), t("series_pusling"),
                                                  charts.PUSLING)],
                                        view.column("visitors_rolling12"), t("col_rolling"), "has_library_visits",
                                        t("no_report"), notes=note_text.chart_notes(unit_notes, "visits"),
                                        notes_label=t("notes_marker")), key="f-visits")
left, right = st.columns(2)
with left:
    st.markdown(f"**{measured(view, 'facility_series_training')}**")
    st.plotly_chart(charts.with_rolling(series, [(view.column("training_participants"), t("col_participants"),
                                                  charts.PALETTE[2])],
                                        view.column("training_participants_rolling12"), t("col_rolling"),
                                        "has_training", t("no_report"),
                                        notes=note_text.chart_notes(unit_notes, "training"),
                                        notes_label=t("notes_marker")), key="f-training")
with right:
    st.markdown(f"**{t('facility_categories')}**")
    categories = data.loan_categories(scope.only(code))
    if categories.empty:
        st.caption(t("loans_no_status"))
    else:
        st.plotly_chart(charts.stacked_categories(categories, "category", "loans", t("col_loans")), key="f-cats")
kind = "decimal" if view.per_capita else "number"
widgets.downloads(widgets.table(series, [
    Col("month", "col_month", "month"), Col(view.column("loans"), "col_loans", kind),
    Col(view.column("loans_rolling12"), "col_rolling", "decimal"),
    Col(view.column("visitors_library"), "col_visitors_library", kind),
    Col(view.column("visitors_pusling"), "col_visitors_pusling", kind), Col("training_sessions", "col_sessions"),
    Col(view.column("training_participants"), "col_participants", kind), Col("occupants", "col_occupants")]),
    f"{unit['short_name']} {t('col_month')}", "f-series")

st.subheader(t("facility_sessions"))
sessions = data.sessions(scope.only(code))
widgets.show_table(widgets.table(sessions, [
    Col("start_date", "col_start", "day"), Col("title", "col_title", "text"), Col("topic", "col_topic", "label:topic"),
    Col("audience", "col_audience", "label:audience"), Col("organiser", "col_organiser", "text"),
    Col("participants", "col_participants"), Col("participants_l", "col_participants_l"),
    Col("participants_p", "col_participants_p")]), f"{unit['short_name']} {t('facility_sessions')}", "f-sessions")

st.subheader(t("facility_last_reports"))
widgets.show_table(widgets.table(reports, [
    Col("dataset", "col_dataset", "label:dataset"), Col("service", "col_service", "label:service"),
    Col("last_month", "col_last_month", "month"),
    Col("received_at", "col_received", "day"), Col("loaded_by", "col_by", "text"),
    Col("file_name", "col_file", "text")]), f"{unit['short_name']} {t('facility_last_reports')}", "f-reports")
