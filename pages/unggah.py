"""Unggah Data: staff drop the month's files, see what each holds and what is
wrong with it, and choose to load it all, load the valid rows, or cancel."""

import streamlit as st

from etl.specs import DATASETS
from etl.templates import template_xlsx
from ui import auth, data, upload, words
from ui.i18n import lang, t

user = auth.require("staff")
st.title(t("upload_title"))
st.caption(t("upload_intro"))

with st.expander(t("upload_templates"), icon=":material/description:"):
    st.caption(t("upload_templates_help"))
    columns = st.columns(len(DATASETS))
    for column, (key, spec) in zip(columns, DATASETS.items()):
        column.download_button(spec.title_en if lang() == "en" else spec.title_id,
                               data=lambda key=key: template_xlsx(key, data.etl_options().register, lang=lang()),
                               file_name=words.template_name(key), on_click="ignore", key=f"template-{key}",
                               icon=":material/download:", width="stretch")

units = data.facilities()
names = dict(zip(units["code"], units["short_name"]))
left, right = st.columns([2, 1])
facility = left.selectbox(t("upload_facility"), [None, *units["code"]], key="upload_facility",
                          format_func=lambda c: t("upload_facility_none") if c is None else names[c])
received = right.date_input(t("upload_received"), value=upload.received_default(), key="upload_received",
                            format="DD/MM/YYYY", max_value=upload.received_default())

generation = st.session_state.setdefault("uploader_generation", 0)
st.caption(upload.limit_caption())
files = st.file_uploader(t("upload_files"), type=upload.ACCEPTED, accept_multiple_files=True,
                         key=f"uploader-{generation}")
for index, uploaded in enumerate(files or []):
    upload.show_file(uploaded, facility, received, user, index)
if files and st.button(t("upload_clear"), icon=":material/clear_all:"):
    st.session_state["uploader_generation"] = generation + 1
    st.session_state.pop("upload_results", None)
    st.rerun()
