"""Peminjaman: loans per facility and month, by category over time, the most
borrowed titles of each facility (titles only), returns and overdue loans."""

import streamlit as st

from ui import charts, data, fmt, note_text, shell, widgets
from ui.i18n import t
from ui.widgets import Col, measured

view = shell.view()
scope = view.scope

st.title(t("loans_title"))
st.caption(f"{fmt.month_range(scope.start, scope.end)} · {t('in_view', n=len(view.codes))}")

st.subheader(t("loans_heatmap") + (f" · {t('measure_per100')}" if view.per_capita else ""))
st.caption(t("loans_heatmap_help") + " " + t("ranking_help"))
heat = data.loan_heatmap(scope)
chosen = st.plotly_chart(charts.heatmap(heat, view.column("loans"), measured(view, "col_loans"),
                                        digits=1 if view.per_capita else 0,
                                        notes=note_text.unit_month_notes(
                                            data.unit_notes(scope.start, scope.end, scope.facilities), "loans")),
                         on_select="rerun",
                         selection_mode="points", key="heatmap")
if code := charts.selected_code(chosen):
    widgets.open_facility(code, view)
widgets.downloads(widgets.table(heat, [Col("short_name", "col_facility", "text"), Col("month", "col_month", "month"),
                                       Col(view.column("loans"), "col_loans",
                                           "decimal" if view.per_capita else "number")]),
                  t("loans_heatmap"), "heatmap")

st.subheader(t("loans_categories"))
categories = data.loan_categories(scope)
if categories.empty:
    st.info(t("nothing_in_period"))
else:
    st.plotly_chart(charts.stacked_categories(categories, "category", "loans", t("col_loans")), key="categories")
    widgets.downloads(widgets.table(categories, [Col("month", "col_month", "month"),
                                                 Col("category", "col_category", "label:category"), Col("loans", "col_loans")]),
                      t("loans_categories"), "categories")

st.subheader(t("loans_top_titles"))
st.caption(t("loans_top_titles_help"))
titles = data.top_titles(scope)
widgets.show_table(widgets.table(titles, [Col("short_name", "col_facility", "text"), Col("rank", "col_rank"),
                                          Col("title", "col_title", "text"), Col("loans", "col_loans")]),
                   t("loans_top_titles"), "titles", height=420)

st.subheader(t("loans_returns"))
st.caption(t("loans_returns_help"))
returned = data.returns(scope)
if returned.empty:
    st.info(t("loans_no_status"))
else:
    widgets.show_table(widgets.table(returned, [
        Col("short_name", "col_facility", "text"), Col("loans_with_status", "col_with_status"),
        Col("returned", "col_returned"), Col("on_loan", "col_on_loan"), Col("overdue", "col_overdue")]),
        t("loans_returns"), "returns")
