"""The agreements page's register table and the admin's form for a new agreement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import fmt, widgets
from ui.i18n import label, t
from ui.widgets import Col
from warehouse import agreements, settings
from warehouse.load import load_records


def warn_days() -> int:
    return settings.get("PANTAU_AGREEMENT_WARN_DAYS")


def register_table(register: pd.DataFrame) -> None:
    shown = widgets.table(register.assign(scope_text=register["scope"].map(_scope_text)), [
        Col("short_name", "col_facility", "text"), Col("number_dispersip", "col_number", "text"),
        Col("number_facility", "col_number_facility", "text"), Col("signed_on", "col_signed_on", "day"),
        Col("valid_from", "col_valid_from", "day"), Col("valid_until", "col_valid_until", "day"),
        Col("scope_text", "col_scope", "text"), Col("document_name", "col_document", "text")])
    widgets.show_table(shown, t("agreements_register"), "agreement-register")
    with_documents = register.dropna(subset=["document_sha256"])
    if not with_documents.empty:
        choice = st.selectbox(t("agreements_document_pick"), list(with_documents.index), index=None,
                              format_func=lambda i: f"{with_documents.loc[i, 'short_name']} · "
                                                    f"{with_documents.loc[i, 'number_dispersip'] or ''} · "
                                                    f"{with_documents.loc[i, 'document_name']}",
                              key="agreement-document", placeholder=t("agreements_document_placeholder"))
        if choice is not None:
            row = with_documents.loc[choice]
            path = agreements.document_path(row["document_sha256"])
            if path is None:
                st.caption(t("agreements_document_missing"))
            else:
                st.download_button(t("agreements_document_download"), data=lambda: path.read_bytes(),
                                   file_name=widgets.safe_filename(row["document_name"]), on_click="ignore",
                                   icon=":material/download:")


def _scope_text(scope) -> str:
    if not isinstance(scope, str) or not scope:
        return ""
    return ", ".join(label("scope", s.strip()) for s in scope.split(",") if s.strip())


def admin_form(view) -> None:
    from ui.auth import current_user, require

    user = current_user()
    if user is None or not user.can("admin"):
        return
    st.subheader(t("agreements_add"))
    names = dict(zip(view.facilities["code"], view.facilities["short_name"]))
    with st.form("agreement-form", clear_on_submit=True, border=True):
        c1, c2 = st.columns(2)
        facility = c1.selectbox(t("col_facility"), list(names), format_func=lambda c: names[c], key="ag_facility")
        number = c2.text_input(t("col_number"), key="ag_number")
        number_facility = c1.text_input(t("col_number_facility"), key="ag_number_facility")
        signed = c2.date_input(t("col_signed_on"), value=None, format="DD/MM/YYYY", key="ag_signed")
        valid_from = c1.date_input(t("col_valid_from"), value=None, format="DD/MM/YYYY", key="ag_from")
        valid_until = c2.date_input(t("col_valid_until"), value=None, format="DD/MM/YYYY", key="ag_until")
        scope = st.multiselect(t("col_scope"), list(agreements.SCOPES), default=list(agreements.SCOPES),
                               format_func=lambda s: label("scope", s), key="ag_scope")
        document = st.file_uploader(t("col_document"), type=["pdf", "jpg", "jpeg", "png"], key="ag_document")
        notes = st.text_area(t("col_notes"), key="ag_notes")
        submitted = st.form_submit_button(t("agreements_save"), type="primary")
    if not submitted:
        return
    who = require("admin")  # checked again at the moment of the action
    if valid_from is None or valid_until is None:
        st.error(t("agreements_need_dates"))
        return
    if valid_until < valid_from:
        st.error(t("agreements_bad_dates", start=fmt.day(valid_from), end=fmt.day(valid_until)))
        return
    sha = name = None
    if document is not None:
        sha, name = agreements.keep_document(document.name, document.getvalue()), document.name
    record = pd.DataFrame([{
        "facility_code": facility, "month": valid_from.replace(day=1),
        "agreement_key": agreements.agreement_key(valid_from, number), "number_dispersip": number or None,
        "number_facility": number_facility or None, "signed_on": signed, "valid_from": valid_from,
        "valid_until": valid_until, "scope": ",".join(scope), "document_sha256": sha, "document_name": name,
        "notes": notes or None}])
    outcome = load_records("agreements", record, name=f"PKS {names[facility]} (aplikasi, {settings.today():%Y-%m-%d})",
                           loaded_by=who.username)
    st.success(t("agreements_saved", id=outcome.batches[0].batch_id or "–"))
