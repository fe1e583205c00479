"""Ringkasan: the head of Dispersip's page before a meeting: agreement alerts,
headline figures with their change, the monthly trend, the facility ranking
and the map; in numbers or per 100 inmates."""

import streamlit as st

from ui import charts, data, flags_view, fmt, shell, story, targets_view, widgets
from ui import provisional as prov
from ui.i18n import lang, t
from ui.widgets import Col, measured
from warehouse import provisional

RANKING_BARS = 30   # bars in the ranking chart (the table lists every facility in view)

view = shell.view()
scope = view.scope

st.title(t("overview_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('in_view', n=len(view.codes))}")

widgets.agreement_alerts(view)

figures = data.kpis(scope)
current, previous, last_year = (figures.loc[p].to_dict() for p in ("current", "previous", "last_year"))
if not current.get("facilities_reported"):
    st.info(t("nothing_in_period"), icon=":material/event_busy:")
    st.stop()

# provisional months per dataset, and changes like for like (warehouse.provisional, metrics.like_for_like)
matrix = data.completeness(scope)
statuses = provisional.period(matrix)
like = data.like_for_like(scope)


def notes(column: str) -> prov.KpiNotes:
    return prov.kpi_notes(column, statuses, like, scope, previous, last_year)


goals = targets_view.in_view(scope)  # a calendar year or year to date: the targets of the figures that have one


def target(column: str) -> str | None:
    return targets_view.kpi_line(goals, column)


# ---- the story first: what changed, who has not reported, who lags, who improved; then who needs a call
ranking = data.story_ranking(scope)
facts = data.story_facts(ranking, matrix, scope.end)
for sentence in story.sentences(facts, current, notes("loans"), scope.end, len(view.codes), widgets.rate_base()):
    st.markdown(sentence)
with st.expander(t("attention_title"), icon=":material/priority_high:", expanded=True):
    flagged = list(flags_view.open_flags(scope.start, scope.end, tuple(scope.facilities), lang())["message"])
    st.markdown("\n".join(f"- {item}" for item in story.attention(facts, scope.end, widgets.rate_base(), flagged))
                or t("attention_none"))

digits = 1 if view.per_capita else 0
rate_help = t("per_capita_help", base=widgets.rate_base()) if view.per_capita else None
row = st.columns(4)
with row[0]:
    widgets.kpi(measured(view, "kpi_loans", short=True), current, previous, last_year, view.column("loans"),
                digits=digits, help=rate_help, notes=notes(view.column("loans")), target=target(view.column("loans")))
with row[1]:
    if view.per_capita:
        widgets.kpi(t("kpi_borrower_share"), current, previous, last_year, "borrower_share", percent=True,
                    help=t("kpi_borrower_share_help"), notes=notes("borrower_share"))
    else:
        widgets.kpi(t("kpi_borrowers"), current, previous, last_year, "borrowers",
                    help=t("kpi_borrowers_help", n=int(current.get("facilities_with_ids") or 0)), notes=notes("borrowers"))
with row[2]:
    widgets.kpi(measured(view, "kpi_visitors_library", short=True), current, previous, last_year,
                view.column("visitors_library"), digits=digits, help=rate_help,
                notes=notes(view.column("visitors_library")), target=target(view.column("visitors_library")))
with row[3]:
    widgets.kpi(measured(view, "kpi_visitors_pusling", short=True), current, previous, last_year,
                view.column("visitors_pusling"), digits=digits, help=rate_help,
                notes=notes(view.column("visitors_pusling")))
row = st.columns(4)
with row[0]:
    widgets.kpi(t("kpi_sessions"), current, previous, last_year, "training_sessions", notes=notes("training_sessions"),
                target=target("training_sessions"))
with row[1]:
    widgets.kpi(measured(view, "kpi_participants", short=True), current, previous, last_year,
                view.column("training_participants"), digits=digits, help=rate_help,
                notes=notes(view.column("training_participants")), target=target(view.column("training_participants")))
with row[2]:
    prov.reporting_card(statuses)
if note := targets_view.view_note(goals):
    st.caption(note)
if view.per_capita:
    st.caption(t("denominator_note", n=int(current.get("facilities_with_denominator") or 0),
                 m=int(current.get("facilities_reported") or 0)))

# ---- the monthly trend of all facilities in view
st.subheader(t("trend_title"))
monthly = data.monthly(scope)
tab_loans, tab_visits, tab_training = st.tabs([t("page_loans"), t("page_visits"), t("page_training")])
marks = provisional.marks(matrix)
with tab_loans:
    st.plotly_chart(charts.trend(monthly, [(view.column("loans"), measured(view, "col_loans"), charts.PALETTE[0])],
                                 provisional=marks["loans"]), key="trend-loans")
with tab_visits:
    st.plotly_chart(charts.trend(monthly, [(view.column("visitors_library"), t("series_library"), charts.LIBRARY),
                                           (view.column("visitors_pusling"), t("series_pusling"), charts.PUSLING)],
                                 bars=not view.per_capita, provisional=marks["visits"],
                                 provisional_columns={view.column("visitors_library")}), key="trend-visits")
with tab_training:
    st.plotly_chart(charts.trend(monthly, [(view.column("training_participants"), measured(view, "col_participants"),
                                            charts.PALETTE[2])], provisional=marks["training"]), key="trend-training")
for name, tab in (("loans", tab_loans), ("visits", tab_visits), ("training", tab_training)):
    if note := prov.chart_note(marks[name]):
        tab.caption(note)
kind = "decimal" if view.per_capita else "number"
widgets.downloads(widgets.table(monthly, [
    Col("month", "col_month", "month"), Col(view.column("loans"), "col_loans", kind),
    Col(view.column("visitors_library"), "col_visitors_library", kind),
    Col(view.column("visitors_pusling"), "col_visitors_pusling", kind), Col("training_sessions", "col_sessions"),
    Col(view.column("training_participants"), "col_participants", kind)]), t("trend_title"), "trend")

# ---- ranking: a row or a bar opens the facility's page for the same period
st.subheader(t("ranking_title") + (f" · {t('measure_per100')}" if view.per_capita else ""))
st.caption(t("ranking_help"))
# ordered by loans per 100 WBP (raw counts mostly measure a unit's size); every column sorts on a click
per100 = t("col_per100", base=widgets.rate_base())
shown = widgets.table(ranking, [
    Col("short_name", "col_facility", "text"), Col(view.column("loans"), "col_loans", kind),
    Col("loans_rate_change" if view.per_capita else "loans_change", "col_change", "percent"),
    Col("loans" if view.per_capita else "loans_rate", "col_loans" if view.per_capita else "col_per100",
        "number" if view.per_capita else "decimal"),
    Col(view.column("visitors"), "col_visitors", kind),
    Col(view.column("training_participants"), "col_participants", kind), Col("occupants", "col_occupants"),
    Col("months_reported", "col_reported"), Col("loans_rate_trend" if view.per_capita else "loans_trend", "col_trend",
                                                "trend")])
if not view.per_capita:
    shown = shown.rename(columns={t("col_per100"): per100})
shown[t("col_open")] = widgets.facility_links(ranking["code"], view)
no_denominator = {t("col_occupants"): t("no_denominator"),
                  **({} if view.per_capita else {per100: t("no_denominator")})}
event = widgets.show_table(
    shown, t("ranking_title"), "ranking", on_select="rerun", selection_mode="single-row",
    height=widgets.rows_height(len(shown)),  # every unit in view without scrolling inside the table
    missing={**no_denominator, **widgets.rate_missing(view, "col_loans", "col_visitors", "col_participants")},
    column_config={t("col_trend"): st.column_config.LineChartColumn(t("col_trend"), width="small"),
                   t("col_change"): st.column_config.NumberColumn(t("col_change"), help=t("col_change_help")),
                   per100: st.column_config.NumberColumn(per100, help=t("col_per100_help", base=widgets.rate_base()),
                                                         width=110),  # wide enough for 'tanpa penyebut'
                   t("col_occupants"): st.column_config.NumberColumn(t("col_occupants"), width=110),
                   t("col_open"): st.column_config.LinkColumn(t("col_open"), display_text="↗", width=40)})
if event.selection.rows:
    widgets.open_facility(ranking["code"].iloc[event.selection.rows[0]], view)

left, right = st.columns([1, 1])
with left:
    st.markdown(f"**{measured(view, 'col_loans')}**")
    chosen = st.plotly_chart(charts.ranking_bars(ranking, view.column("loans"), measured(view, "col_loans"),
                                                 top=RANKING_BARS), on_select="rerun", selection_mode="points",
                             key="ranking-bars")
    if len(ranking) > RANKING_BARS:
        st.caption(t("ranking_bars_top", n=RANKING_BARS, total=fmt.num(len(ranking))))
    if code := charts.selected_code(chosen):
        widgets.open_facility(code, view)
with right:
    st.markdown(f"**{t('map_title_per100') if view.per_capita else t('map_title')}**")
    chosen = st.plotly_chart(charts.province_map(
        data.map_points(scope), data.regency_rates(scope), view.column("loans"), measured(view, "col_loans"),
        t("map_rate", base=widgets.rate_base()), t("map_no_rate"), digits=digits), on_select="rerun",
        selection_mode="points", key="map", config={"displayModeBar": False})
    st.caption(t("map_help", base=widgets.rate_base()))
    if code := charts.selected_code(chosen):
        widgets.open_facility(code, view)
