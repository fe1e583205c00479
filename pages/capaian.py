"""Capaian Kinerja: each indicator's yearly target (Perjanjian Kinerja, the revision in force) against its
realisation, the way the LKjIP table reads (Indikator, Target, Realisasi, Capaian %), year to date against
the pro-rata target, the trend of recent years, and the table as xlsx. Admins enter or load the targets."""

import streamlit as st

from reports import capaian
from ui import auth, data, shell, targets_view, widgets
from ui.i18n import t
from ui.widgets import Col
from warehouse.settings import today

view = shell.view()
st.title(t("capaian_title"))
st.caption(t("capaian_intro"))

units = data.facilities()
names = dict(zip(units["code"], units["short_name"]))
this_year = today().year
choices = sorted({this_year, *targets_view.years(), *(y for y in (view.last.year,) if y)}, reverse=True)
left, right = st.columns([1, 3])
year = left.selectbox(t("capaian_year"), choices, key="capaian_year")
facility = right.selectbox(t("capaian_unit"), ["", *names], key="capaian_unit",
                           format_func=lambda c: names.get(c) or t("capaian_province"))
codes = (facility,) if facility else tuple(units["code"])
unit_name = names.get(facility) or t("capaian_province")

revision = targets_view.revision_line(year)
st.info(revision or t("capaian_no_targets", year=year), icon=":material/flag:")
table = targets_view.lkjip(year, codes, facility)
period_line = capaian.period_line(table, year)
st.caption(period_line)

st.dataframe(targets_view.styled(capaian.display(table)), hide_index=True, width="stretch")
trend = targets_view.trend(year, codes, facility)
title = t("capaian_doc_title", year=year, unit=unit_name)
st.download_button(t("capaian_download"),
                   data=lambda: capaian.xlsx(table, trend, title, [line for line in (revision, period_line) if line]),
                   file_name=f"capaian_kinerja_{year}{'_' + facility if facility else ''}.xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/grid_on:", key="capaian-xlsx")

st.subheader(t("capaian_trend"))
st.dataframe(targets_view.styled(capaian.trend_display(trend), status=False), hide_index=True, width="stretch")

found = targets_view.revisions(year)
if not found.empty:
    with st.expander(t("capaian_revisions", year=year)):
        widgets.show_table(widgets.table(found, [
            Col("revision", "capaian_col_revision", "number"), Col("label", "capaian_col_label", "text"),
            Col("entered_by", "capaian_col_by", "text"), Col("entered_at", "capaian_col_at", "moment"),
            Col("source", "capaian_col_source", "text"), Col("targets", "capaian_col_targets", "number")]),
            t("capaian_revisions", year=year), "capaian-revisions")

user = auth.current_user()
if user is not None and user.can("admin"):
    st.subheader(t("capaian_edit"))
    targets_view.edit_form(year, facility, unit_name)
    targets_view.upload_form(year)
