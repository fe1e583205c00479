"""The admin's editor for occupancy figures (each save becomes a batch)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.i18n import t
from warehouse import settings
from warehouse.load import load_records


def admin_editor(view) -> None:
    from ui.auth import current_user, require

    user = current_user()
    if user is None or not user.can("admin"):
        return
    st.subheader(t("occupancy_add"))
    st.caption(t("occupancy_add_help"))
    names = dict(zip(view.facilities["code"], view.facilities["short_name"]))
    blank = pd.DataFrame({"facility": pd.Series(dtype="str"), "date": pd.Series(dtype="datetime64[s]"),
                          "occupants": pd.Series(dtype="Int64"), "capacity": pd.Series(dtype="Int64"),
                          "source": pd.Series(dtype="str")})
    edited = st.data_editor(blank, num_rows="dynamic", key="occupancy-editor", width="stretch", hide_index=True,
                            column_config={
                                "facility": st.column_config.SelectboxColumn(t("col_facility"), options=list(names),
                                                                             format_func=lambda c: names.get(c, c),
                                                                             required=True),
                                "date": st.column_config.DateColumn(t("col_date"), format="DD/MM/YYYY",
                                                                    required=True, max_value=settings.today()),
                                "occupants": st.column_config.NumberColumn(t("col_occupants"), min_value=0, step=1,
                                                                           required=True),
                                "capacity": st.column_config.NumberColumn(t("col_capacity"), min_value=0, step=1),
                                "source": st.column_config.TextColumn(t("col_source"))})
    if st.button(t("occupancy_save"), type="primary", disabled=edited.empty, key="occupancy-save"):
        who = require("admin")  # checked again at the moment of the action
        rows = edited.dropna(subset=["facility", "date", "occupants"])
        if rows.empty:
            st.error(t("occupancy_nothing"))
            return
        dates = pd.to_datetime(rows["date"]).dt.date
        records = pd.DataFrame({
            "facility_code": rows["facility"].to_numpy(), "month": [d.replace(day=1) for d in dates],
            "snapshot_date": list(dates), "snapshot_key": [d.isoformat() for d in dates],
            "occupants": rows["occupants"].astype("Int64").to_numpy(),
            "capacity": rows["capacity"].astype("Int64").to_numpy(),
            "source": rows["source"].fillna(t("occupancy_typed")).to_numpy()})
        outcome = load_records("occupancy", records, name=f"hunian (aplikasi, {settings.today():%Y-%m-%d})",
                               loaded_by=who.username)
        st.success(t("occupancy_saved", n=len(records), id=outcome.batches[0].batch_id or "–"))


def with_fill(figures):
    """The occupancy figures with ``fill``: occupants as a share of capacity (1.0 = full, 0.2 = a fifth full,
    1.8 = 80 % over); a percentage 'over capacity' reads as nonsense (-79 %) for a unit below it."""
    import pandas as pd

    capacity = pd.to_numeric(figures["capacity"], errors="coerce")
    return figures.assign(fill=pd.to_numeric(figures["occupants"], errors="coerce") / capacity.where(capacity > 0))
