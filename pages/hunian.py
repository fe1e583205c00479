"""Hunian: the dated occupancy and capacity figures that per-100 rates divide
by; admins add or correct figures here (each save is a batch, like an upload)."""

import streamlit as st

from ui import data, fmt, occupancy_view, shell, widgets
from ui.i18n import t
from ui.widgets import Col

view = shell.view()
st.title(t("occupancy_title"))
st.caption(t("occupancy_intro"))
figures = occupancy_view.with_fill(data.occupancy(view.codes))
widgets.show_table(widgets.table(figures, [
    Col("short_name", "col_facility", "text"), Col("snapshot_date", "col_date", "day"),
    Col("occupants", "col_occupants"), Col("capacity", "col_capacity"),
    Col("fill", "col_fill", "percent"), Col("source", "col_source", "text")]),
    t("occupancy_title"), "occupancy", height=420, missing={t("col_fill"): t("fill_no_capacity")},
    column_config={t("col_fill"): st.column_config.NumberColumn(t("col_fill"), help=t("col_fill_help"))})
missing = sorted(set(view.facilities["short_name"]) - set(figures["short_name"]))
if missing:
    st.warning(t("occupancy_missing", names=", ".join(fmt.md(n) for n in missing)))
occupancy_view.admin_editor(view)
