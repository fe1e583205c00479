"""The open "perlu dicek" flags of the period in view (Kelengkapan Data), and the
confirmation of a flagged value by its uploader or an admin (with a note,
audited; the permission is checked by the warehouse at the moment of the action)."""

from __future__ import annotations

import streamlit as st

from ui import auth, fmt
from ui.data import cached
from ui.i18n import lang, t
from warehouse import flags
from warehouse.metrics import Scope

open_flags = cached(flags.open_flags)
SHOWN = 30  # flags listed one by one; the rest are counted


def show(scope: Scope) -> None:
    """The section: one box per open flag, with the confirmation for those allowed to give it."""
    st.subheader(t("flags_title"))
    st.caption(t("flags_intro"))
    message = st.session_state.pop("flags_message", None)
    if message:
        st.success(fmt.md(message))
    error = st.session_state.pop("flags_error", None)
    if error:
        st.error(fmt.md(error))
    frame = open_flags(scope.start, scope.end, tuple(scope.facilities), lang())
    if frame.empty:
        st.success(t("flags_none"))
        return
    user = auth.current_user()
    for row in frame.head(SHOWN).to_dict("records"):
        with st.container(border=True):
            st.markdown(fmt.md(row["message"]))
            st.caption(t("flags_loaded", who=fmt.md(row["loaded_by"]), when=fmt.day(row["flagged_at"].date()),
                         batch=row["batch_id"], file=fmt.md(row["file_name"]))
                       + " " + (t("flags_load_note", note=fmt.md(row["load_note"])) if row["load_note"]
                                else t("flags_no_load_note")))
            allowed = user is not None and (user.can("admin") or (user.can("staff")
                                                                  and user.username == row["loaded_by"]))
            if not allowed:
                continue
            flag_id = int(row["flag_id"])
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            note = left.text_input(t("flags_confirm_note"), key=f"flag-note-{flag_id}", max_chars=300)
            right.button(t("flags_confirm_button"), key=f"flag-ok-{flag_id}", disabled=not note.strip(),
                         icon=":material/check:", width="stretch", on_click=_confirm, args=(flag_id, row["message"]))
    if len(frame) > SHOWN:
        st.caption(t("and_more", n=len(frame) - SHOWN))


def _confirm(flag_id: int, message: str) -> None:
    """The button's callback: runs first in the next run, with the account read at that moment."""
    who = auth.current_user(fresh=True)
    try:
        flags.confirm(flag_id, who.username if who else "", st.session_state.get(f"flag-note-{flag_id}", ""))
    except flags.FlagError as exc:
        st.session_state["flags_error"] = exc.text(lang())
        return
    st.session_state["flags_message"] = t("flags_confirmed", text=message)
