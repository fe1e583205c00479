"""The upload history: the batch table and what can be done with one batch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.templates import rejected_xlsx
from ui import fmt
from ui.i18n import label, lang, t
from ui import widgets
from ui.widgets import Col
from warehouse import accounts, load, queries, settings


def batches(loaded_by: str | None) -> pd.DataFrame:
    return pd.DataFrame(queries.batches(limit=2000, loaded_by=loaded_by))


def table(frame: pd.DataFrame) -> pd.DataFrame:
    return widgets.table(frame, [
        Col("batch_id", "col_batch"), Col("dataset", "col_dataset", "label:dataset"),
        Col("file_name", "col_file", "text"), Col("loaded_by", "col_by", "text"),
        Col("loaded_at", "col_loaded_at", "moment"), Col("received_at", "col_received", "day"),
        Col("first_month", "col_first_month", "month"), Col("last_month", "col_last_month", "month"),
        Col("cells", "col_cells"), Col("rows_loaded", "col_rows_loaded"), Col("rows_rejected", "col_rows_rejected"),
        Col("status", "col_status", "label:status")])


def choice_label(frame: pd.DataFrame):
    labels = {int(r.batch_id): f"#{r.batch_id} · {label('dataset', r.dataset)} · {r.file_name} · "
                                 f"{label('status', r.status)}" for r in frame.itertuples()}
    return lambda batch_id: labels.get(int(batch_id), str(batch_id))


def details(row, user) -> None:
    batch_id = int(row["batch_id"])
    st.subheader(t("batch_title", id=batch_id, file=fmt.md(row["file_name"])))
    st.caption(t("batch_caption", dataset=label("dataset", row["dataset"]), who=fmt.md(row["loaded_by"]),
                 when=fmt.moment(row["loaded_at"]), facilities=fmt.md(row["facilities"] or "–"),
                 span=fmt.month_range(row["first_month"], row["last_month"]) if row["first_month"] else "–",
                 status=label("status", row["status"])))
    c1, c2 = st.columns(2)
    original = load.original_path(row["sha256"])
    if original is not None:
        c1.download_button(t("download_original"), data=lambda: original.read_bytes(),
                           file_name=widgets.safe_filename(row["file_name"]),
                           on_click="ignore", icon=":material/download:", key=f"orig-{batch_id}")
    else:
        c1.caption(t("original_gone", days=settings.get("PANTAU_ORIGINALS_RETENTION_DAYS")))
    if row["rows_rejected"]:
        c2.download_button(t("download_rejected"),
                           data=lambda: rejected_xlsx(queries.rejected_rows(batch_id), lang=lang()),
                           file_name=f"ditolak_batch_{batch_id}.xlsx", on_click="ignore", icon=":material/download:",
                           key=f"rej-{batch_id}")
    allowed = accounts.can_change_batch(user, row["loaded_by"])
    if row["status"] == "undone":
        st.info(t("batch_undone", who=fmt.md(row["undone_by"] or "–"), when=fmt.moment(row["undone_at"])))
        return
    if not allowed:
        st.caption(t("batch_not_yours"))
        return
    if row["status"] in ("superseded", "partial"):
        with st.container(border=True):
            st.markdown(t("restore_help"))
            sure = st.checkbox(t("restore_confirm", id=batch_id), key=f"restore-sure-{batch_id}")
            if st.button(t("restore_button"), disabled=not sure, key=f"restore-{batch_id}", icon=":material/restore:"):
                _act(user, row, "restore")
    with st.container(border=True):
        st.markdown(t("undo_help"))
        sure = st.checkbox(t("undo_confirm", id=batch_id), key=f"undo-sure-{batch_id}")
        if st.button(t("undo_button"), disabled=not sure, type="primary", key=f"undo-{batch_id}",
                     icon=":material/undo:"):
            _act(user, row, "undo")


def _act(user, row, action: str) -> None:
    """Undo or restore, with the permission checked again at the moment of the action."""
    from ui.auth import current_user

    who = current_user(fresh=True)
    if who is None or not accounts.can_change_batch(who, row["loaded_by"]):
        st.error(t("batch_not_yours"))
        return
    batch_id = int(row["batch_id"])
    try:
        cells = (load.undo_batch if action == "undo" else load.restore_batch)(batch_id, by=who.username)
    except LookupError as exc:
        st.error(fmt.md(str(exc)))
        return
    st.session_state["history_message"] = t(f"{action}_done", id=batch_id, n=len(cells))
    st.rerun()


def message() -> None:
    text = st.session_state.pop("history_message", None)
    if text:
        st.success(text)
