"""What the upload page shows for one file: what was recognised, a preview,
the validation report, what it would replace, and the choice to load it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from etl import load_report
from etl.pipeline import FileResult
from etl.specs import DATASETS
from ui import data as cached
from ui import fmt, widgets, words
from ui.i18n import label, lang, t
from warehouse import load, precheck
from warehouse.db import DatabaseBusy
from warehouse.ingest import read_untrusted
from warehouse.settings import today

ACCEPTED = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "html", "htm"]
PREVIEW_ROWS = 15
HIDDEN = {"borrower_key", "visitor_key", "participant_key", "session_key", "source_sheet"}


def limit_caption() -> str:
    """The uploader's own caption: how to add files, the size limit (``PANTAU_MAX_FILE_MB``), the types."""
    from warehouse import settings

    return t("upload_limit", mb=fmt.num(settings.get("PANTAU_MAX_FILE_MB"), 0 if float(
        settings.get("PANTAU_MAX_FILE_MB")).is_integer() else 1), types=", ".join(ACCEPTED))


def read(name: str, data: bytes, facility: str | None) -> FileResult:
    """Read and check an upload once per (file, facility choice) in this session, in a separate
    worker process within the ``PANTAU_PARSE_*`` limits: a hostile file is refused with one
    sentence and cannot take the server down."""
    import hashlib

    key = (name, hashlib.sha256(data).hexdigest(), facility)
    cache = st.session_state.setdefault("upload_results", {})
    if key not in cache:
        cache[key] = read_untrusted(name, cached.etl_options(facility), data=data, name=name)
    return cache[key]


def preview(result: FileResult, dataset: str) -> pd.DataFrame:
    """The first rows as the warehouse will store them: names already dropped, ids already pseudonymised."""
    spec = DATASETS[dataset]
    records = result.records(dataset).head(PREVIEW_ROWS)
    headers = {}
    for column in records.columns:
        if column in HIDDEN:
            continue
        if column == "facility_code":
            headers[column] = t("col_facility")
        elif column == "source_row":
            headers[column] = t("col_row")
        elif column in spec.keys:
            c = spec.column(column)
            headers[column] = c.header_en if lang() == "en" else c.header_id
        else:
            headers[column] = column
    shown = records[list(headers)].rename(columns=headers)
    for name, dtype in shown.dtypes.items():
        if str(dtype).startswith("datetime"):
            shown[name] = shown[name].map(lambda v: fmt.DASH if pd.isna(v) else fmt.day(v.date()))
    return shown


def problems_frame(result: FileResult) -> pd.DataFrame:
    """The validation report as a table, headers in the page language (as in its xlsx download)."""
    return pd.DataFrame([p.as_row(lang()) for p in result.problems])


def replacement_lines(replaced: dict[str, list], register) -> list[str]:
    lines = []
    for dataset, cells in replaced.items():
        seen = set()
        for r in cells:
            key = (r.facility_code, r.month, r.batch_id)
            if key in seen:
                continue
            seen.add(key)
            lines.append(t("already_there", dataset=label("dataset", dataset),
                           facility=fmt.md(register.label(r.facility_code)), month=fmt.month(r.month),
                           when=fmt.day(r.loaded_at.date()), who=fmt.md(r.loaded_by), batch=r.batch_id))
    return lines


def show_file(upload, facility: str | None, received: dt.date, user, index: int) -> None:
    """The whole report and the load choice for one uploaded file."""
    state = st.session_state.setdefault("upload_done", {})
    data = upload.getvalue()
    with st.container(border=True):
        st.markdown(f"#### {fmt.md(upload.name)}")  # a file name is the uploader's text
        progress = st.progress(5, text=t("reading", name=fmt.md(upload.name)))
        result = read(upload.name, data, facility)
        progress.progress(60, text=t("checked"))
        opts_register = cached.etl_options().register
        if not result.sheets and result.errors:
            progress.empty()
            for p in result.errors:
                st.error(fmt.md(p.text(lang())))  # messages quote sheet names and cells
            return
        for dataset in result.datasets:
            cells = result.cells(dataset)
            st.markdown(t("recognised", dataset=label("dataset", dataset),
                          coverage=fmt.md(load_report.coverage_text(cells, opts_register, lang())),
                          valid=fmt.num(len(result.records(dataset))), refused=fmt.num(len(result.rejected(dataset)))))
            with st.expander(t("preview", n=min(PREVIEW_ROWS, len(result.records(dataset)))), expanded=False):
                shown = preview(result, dataset)
                st.dataframe(widgets.styled(shown), hide_index=True, width="stretch",
                             placeholder=widgets.placeholder(shown))
        frame = problems_frame(result)
        if not frame.empty:
            n_err = len(result.errors)
            (st.error if n_err else st.info)(t("report_summary_counted", errors=words.counted(n_err, "count_errors"),
                                                 warnings=words.counted(len(result.warnings), "count_warnings"),
                                                 notes=words.counted(len(frame) - n_err - len(result.warnings),
                                                                     "count_notes")))
            st.dataframe(frame, hide_index=True, width="stretch", height=min(38 * (len(frame) + 1) + 4, 320),
                         placeholder=widgets.placeholder(frame))
            st.download_button(t("report_download"), data=lambda: load_report.problems_xlsx(result.problems, lang()),
                               file_name=widgets.safe_filename(f"laporan_validasi_{upload.name}") + ".xlsx",
                               on_click="ignore", key=f"report-{index}", icon=":material/download:")
        progress.progress(100, text=t("checked"))
        progress.empty()

        done = state.get(result.sha256)
        if done:
            st.success(done)
            return
        if done is False:
            st.info(t("cancelled"))
            return
        try:  # what the file would replace, read now: another process's writer may hold the file
            replaced = load.replacements(result)
            check = precheck.precheck(result) if replaced else None
        except DatabaseBusy:
            widgets.busy()
            return
        if not replaced:
            st.info(t("same_file"))
            return
        lines = replacement_lines(replaced, opts_register)
        note = ""
        if check.flags:
            st.warning("\n\n".join([words.counted(len(check.flags), "upload_flags")]
                                     + [fmt.md(f.text(lang())) for f in check.flags[:12]])
                       + (f"\n\n{t('and_more', n=len(check.flags) - 12)}" if len(check.flags) > 12 else ""),
                       icon=":material/troubleshoot:")
            note = st.text_input(t("upload_flags_note"), key=f"note-{index}", max_chars=300)
        confirmed = True
        if lines:
            st.warning("\n\n".join(lines[:12]) + (f"\n\n{t('and_more', n=len(lines) - 12)}" if len(lines) > 12 else ""))
            if check.totals:
                st.info("\n\n".join([t("upload_totals")] + [x.text(lang()) for x in check.totals]))  # no user text
            drops = "; ".join(x.short(lang()) for x in check.drops)
            confirmed = st.checkbox(t("confirm_replace_drop", drops=drops) if drops else t("confirm_replace"),
                                    key=f"confirm-{index}")
        ready = confirmed and (not check.flags or bool(note.strip()))
        has_valid = any(not result.records(d).empty for d in replaced)
        c1, c2, c3 = st.columns(3)
        load_all = c1.button(t("load_all"), type="primary", disabled=bool(result.errors) or not ready
                             or not has_valid, key=f"all-{index}", width="stretch")
        load_valid = c2.button(t("load_valid"), disabled=not result.errors or not has_valid or not ready,
                               key=f"valid-{index}", width="stretch")
        cancel = c3.button(t("cancel"), key=f"cancel-{index}", width="stretch")
        if cancel:
            state[result.sha256] = False
            st.rerun()
        if load_all or load_valid:
            from ui.auth import require

            who = require("staff")  # checked again at the moment of the action
            bar = st.progress(70, text=t("loading"))
            try:
                outcome = load.load_file(result, loaded_by=who.username, accept_valid=bool(load_valid),
                                         received_at=dt.datetime.combine(received, dt.time(9)), checks=True,
                                         note=note, replace_anyway=confirmed)
            except load.LoadRefused as exc:  # a value the warehouse cannot hold: one sentence, nothing loaded
                bar.empty()
                st.error(fmt.md(exc.text(lang())))
                return
            except load.LoadHeld as exc:  # the warehouse changed since the check: what is missing now
                bar.empty()
                st.error(t("upload_held_note") if exc.reason == "note" else
                         t("upload_held_replace", drops="; ".join(x.short(lang()) for x in exc.check.drops)))
                return
            except DatabaseBusy:  # other writers kept the warehouse (WriteConflict on the lake): nothing stored
                bar.empty()
                st.error(t("upload_busy"))
                return
            bar.progress(100, text=t("loaded"))
            batches = [b for b in outcome.batches if b.batch_id]
            state[result.sha256] = t("loaded_summary", n=len(batches),
                                     ids=", ".join(f"#{b.batch_id}" for b in batches),
                                     rows=fmt.num(sum(b.rows_loaded for b in batches)),
                                     refused=fmt.num(sum(b.rows_rejected for b in batches)))
            st.rerun()


def received_default() -> dt.date:
    return today()
