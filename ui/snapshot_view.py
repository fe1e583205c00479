"""Riwayat Unggah: what the dashboard's figures were before a batch (issue 17, "snapshots are history").

On the DuckLake warehouse the figures of the batch's units and months as of the snapshot before it
(:mod:`warehouse.snapshots`) beside the figures now; on the DuckDB file one sentence saying that only
the lake keeps snapshots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data as cached
from ui import widgets
from ui.i18n import label, t
from ui.widgets import Col
from warehouse import snapshots

COLUMNS = [Col("facility", "col_facility", "text"), Col("month", "col_month", "month"),
           Col("figure", "snap_col_figure", "text"), Col("before", "snap_col_before", "number"),
           Col("now", "snap_col_now", "number")]


def frame(comparison: snapshots.Comparison) -> pd.DataFrame:
    """The comparison as the page shows it: unit names, figure names, headers in the page language."""
    names = dict(zip(*[cached.facilities()[c] for c in ("code", "short_name")]))
    rows = pd.DataFrame([{**r, "facility": names.get(r["facility_code"], r["facility_code"]),
                          "figure": label("snap_fig", r["figure"])} for r in comparison.rows],
                        columns=["facility", "month", "figure", "before", "now"])
    return widgets.table(rows, COLUMNS)


def section(row) -> None:
    batch_id = int(row["batch_id"])
    with st.container(border=True):
        st.markdown(f"**{t('snap_title')}**")
        if not snapshots.available():
            st.caption(t("snap_file_only"))
            return
        if not st.toggle(t("snap_show"), key=f"snap-{batch_id}"):
            return
        comparison = snapshots.before_and_now(batch_id)
        if comparison.reason:
            st.info(t("snap_file_only" if comparison.reason == "file" else f"snap_reason_{comparison.reason}"))
            return
        st.caption(t("snap_caption", id=batch_id, snapshot=comparison.snapshot))
        shown = frame(comparison)
        none = t("snap_none")
        widgets.show_table(shown, t("snap_title"), f"snap-table-{batch_id}", height=widgets.rows_height(len(shown)),
                           missing={t("snap_col_before"): none, t("snap_col_now"): none})
