"""Riwayat Unggah: every batch with who, when, what it covers and its status;
download its original file or refused rows; undo (staff: their own, admin:
any) or restore a superseded batch, each after a confirmation."""

import streamlit as st

from ui import auth, history, snapshot_view, widgets
from ui.i18n import t

user = auth.require("staff")
st.title(t("history_title"))
st.caption(t("history_intro"))
history.message()

mine = st.toggle(t("history_mine"), value=not user.can("admin"), key="history_mine")
batches = history.batches(user.username if mine else None)
if batches.empty:
    st.info(t("history_empty"))
    st.stop()
widgets.show_table(history.table(batches), t("history_title"), "history", height=380)
chosen = st.selectbox(t("history_pick"), list(batches["batch_id"]), index=None, key="history_batch",
                      format_func=history.choice_label(batches), placeholder=t("history_pick_placeholder"))
if chosen is not None:
    row = batches[batches["batch_id"] == chosen].iloc[0]
    history.details(row, user)
    snapshot_view.section(row)
