"""Notes on a unit's month on the pages: the Kelengkapan Data section (the notes of the period,
and for staff and admins a form to add a note or mark a unit closed, remove a note, undo a
change), the lines reports and hovers show, and the markers of a unit's monthly charts.
The notes themselves live in warehouse/notes.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui import auth, data, fmt, widgets
from ui.i18n import lang, t
from ui.note_text import dataset_label, line
from ui.widgets import Col
from warehouse import notes, settings

MESSAGE = "notes_message"


def _months(start: dt.date) -> list[dt.date]:
    today = settings.today()
    end = dt.date(today.year, today.month, 1)
    return [d.date() for d in pd.date_range(min(start, end), end, freq="MS")][::-1]


def _say(text: str) -> None:
    st.session_state[MESSAGE] = text
    st.rerun()


def _act(function, *args, **kwargs) -> None:
    """A change of a note, with the role checked again on the server at the moment of the action."""
    who = auth.require("staff")
    try:
        function(*args, by=who.username, **kwargs)
    except notes.NoteError as exc:
        st.error(fmt.md(exc.text(lang())))
        return
    _say(t("notes_saved"))


def section(view) -> None:
    """The notes of the period on the Kelengkapan Data page, with the staff's form."""
    scope = view.scope
    st.subheader(t("notes_title"))
    st.caption(t("notes_help"))
    said = st.session_state.pop(MESSAGE, None)
    if said:
        st.success(said)
    shown = data.unit_notes(scope.start, scope.end, scope.facilities)
    if shown.empty:
        st.caption(t("notes_none"))
    else:
        frame = shown.assign(dataset=shown["dataset"].map(dataset_label),
                             closed=shown["closed"].map(lambda c: t("notes_yes") if c else ""))
        widgets.show_table(widgets.table(frame, [
            Col("note_id", "notes_col_id"), Col("short_name", "col_facility", "text"),
            Col("month", "col_month", "month"), Col("dataset", "notes_col_dataset", "text"),
            Col("closed", "notes_col_closed", "text"), Col("text", "notes_col_text", "text"),
            Col("changed_by", "notes_col_by", "text"), Col("changed_at", "notes_col_when", "moment")]),
            t("notes_title"), "unit-notes")
    user = auth.current_user()
    if user is None or not user.can("staff"):
        return
    units = view.facilities
    names = dict(zip(units["code"], units["short_name"]))
    with st.expander(t("notes_add_title"), icon=":material/edit_note:"):
        with st.form("note-form"):
            left, middle, right = st.columns(3)
            code = left.selectbox(t("col_facility"), list(names), format_func=lambda c: names[c], key="note_unit")
            months = _months(scope.start)
            month = middle.selectbox(t("col_month"), months, format_func=fmt.month, key="note_month",
                                     index=months.index(scope.end) if scope.end in months else 0)
            dataset = right.selectbox(t("notes_col_dataset"), list(notes.DATASETS), format_func=dataset_label,
                                      key="note_dataset")
            text = st.text_input(t("notes_col_text"), max_chars=notes.MAX_LENGTH, key="note_text",
                                 placeholder=t("notes_placeholder"))
            closed = st.checkbox(t("notes_closed_box"), key="note_closed", help=t("notes_closed_help"))
            submitted = st.form_submit_button(t("notes_add_button"), type="primary")
        if submitted:
            _act(notes.add, code, month, dataset, text, closed=closed)
    if not shown.empty:
        with st.expander(t("notes_remove_title"), icon=":material/delete:"):
            choices = {int(r.note_id): f"#{r.note_id} · {line(r._asdict())}" for r in shown.itertuples()}
            note_id = st.selectbox(t("notes_pick"), list(choices), format_func=choices.get, key="note_remove_pick")
            chosen = shown.set_index("note_id").loc[note_id]
            text = st.text_input(t("notes_col_text"), value=chosen["text"], max_chars=notes.MAX_LENGTH,
                                 key=f"note_edit_text_{note_id}")
            closed = st.checkbox(t("notes_closed_box"), value=bool(chosen["closed"]), key=f"note_edit_closed_{note_id}")
            left, right = st.columns(2)
            if left.button(t("notes_edit_button"), key="note_edit"):
                _act(notes.edit, note_id, text=text, closed=closed)
            if right.button(t("notes_remove_button"), key="note_remove"):
                _act(notes.remove, note_id)
    history = notes.changes(scope.start, max(_months(scope.start)), scope.facilities)
    undoable = history[history["undoable"].fillna(False).astype(bool)] if len(history) else history
    if len(undoable):
        with st.expander(t("notes_undo_title"), icon=":material/undo:"):
            choices = {int(r.change_id): f"#{r.change_id} · {t('notes_action_' + r.action)} · {r.changed_by} · "
                                         f"{line(r._asdict())}" for r in undoable.itertuples()}
            change_id = st.selectbox(t("notes_pick_change"), list(choices), format_func=choices.get,
                                     key="note_undo_pick")
            if st.button(t("notes_undo_button"), key="note_undo"):
                _act(notes.undo, change_id)
