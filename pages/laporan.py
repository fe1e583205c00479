"""Laporan: the report the head of Dispersip sends to the governor's office, the
regional corrections office and Perpusnas. Choose a month, quarter, year or
range and the facilities, check the summary, download the xlsx or the PDF
(each built when its button is clicked, from the figures shown here)."""

import streamlit as st

import reports
from reports import capaian
from reports.content import KPIS
from reports.period import Period, last_of_kind
from reports.text import facilities_line, highlights
from ui import data, fmt, shell, targets_view, widgets
from ui import provisional as prov
from ui.i18n import lang, t
from warehouse import settings
from warehouse.metrics import add_months

view = shell.view()
st.title(t("report_title"))
st.caption(t("report_intro"))


def _months(first, last) -> list:
    months, m = [], last
    while m >= first:
        months.append(m)
        m = add_months(m, -1)
    return months  # latest first


months = _months(view.first, view.last)
left, right = st.columns([3, 2])
with left:
    kind = st.segmented_control(t("report_kind"), ["month", "quarter", "year", "custom"], default="month",
                                required=True, key="report_kind", format_func=lambda k: t(f"report_kind_{k}"))
with right:
    if kind in ("quarter", "year"):
        # latest first; the default is the latest one that has ended (a running one says 's.d. <month>')
        options = [p.clipped(view.last) for p in dict.fromkeys(last_of_kind(kind, m) for m in months)]
        default = next((k for k, p in enumerate(options) if p.complete), 0)
        period = st.selectbox(t(f"report_{kind}"), options, index=default, key=f"report_{kind}",
                              format_func=lambda p: p.label())
    elif kind == "custom":
        c1, c2 = st.columns(2)
        start = c1.selectbox(t("month_from"), months, index=min(5, len(months) - 1), key="report_from",
                             format_func=lambda m: fmt.month(m, long=False))
        end = c2.selectbox(t("month_to"), months, key="report_to", format_func=lambda m: fmt.month(m, long=False))
        period = Period.custom(start, end)
    else:
        month = st.selectbox(t("report_month"), months, key="report_month", format_func=lambda m: fmt.month(m))
        period = Period.month(month.year, month.month)

units = data.facilities()
names = dict(zip(units["code"], units["short_name"]))
# empty = every facility in view (the sidebar's filter); or pick some
chosen = st.multiselect(t("report_facilities"), list(units["code"]), key="report_facilities",
                        format_func=lambda c: names.get(c, c), help=t("report_facilities_help"),
                        placeholder=t("report_facilities_all_in_view", n=len(view.codes)))
codes = tuple(chosen) or view.codes

with st.status(t("report_preparing", period=period.label()), expanded=False) as status:
    try:
        content = reports.gather(period, codes, settings.today(), queries=data)
    except reports.NoReports:
        content = None
    status.update(label=t("report_prepared", period=period.label()) if content else period.label(),
                  state="complete" if content else "error")
if content is None:
    st.info(t("report_nothing", period=period.label()), icon=":material/event_busy:")
    st.stop()

# ---- the summary, as the documents open with it (the overview page's cards, same figures)
st.subheader(f"{t('report_preview')}: {period.label()}")
st.caption(f"{t('report_scope')}: {facilities_line(content)}")
current, previous, last_year = (content.kpis.loc[p].to_dict() for p in ("current", "previous", "last_year"))
cards = [k for k in KPIS if not k.rate]
for row_start in range(0, len(cards), 4):
    columns = st.columns(4)
    for column, kpi in zip(columns, cards[row_start:row_start + 4]):
        with column:
            if kpi.column == "facilities_reported":  # per dataset, as on the overview
                prov.reporting_card(content.statuses)
                continue
            widgets.kpi(t(kpi.label), current, previous, last_year, kpi.column,
                        notes=prov.kpi_notes(kpi.column, content.statuses, content.like, content.scope, previous,
                                             last_year))
rates = [k for k in KPIS if k.rate]
st.caption(t("report_per100_heading", base=content.rate_base) + ": " + " · ".join(
    f"{t(k.label)} {fmt.pct(current.get(k.column), signed=False) if k.percent else fmt.num(current.get(k.column), 1)}"
    for k in rates))
with st.expander(t("report_highlights"), expanded=True, icon=":material/campaign:"):
    st.markdown("\n".join(f"- {line}" for line in highlights(content)))
if content.capaian is not None:  # a year's report: its LKjIP table, as the Capaian Kinerja page shows it
    with st.expander(t("report_section_capaian", year=period.start.year), icon=":material/flag:"):
        st.caption(" ".join(fmt.md(line) for line in content.capaian_lines))
        st.dataframe(targets_view.styled(capaian.report_display(content.capaian)), hide_index=True, width="stretch")

# ---- the documents, built when their button is clicked
shown_lang = lang()
browser = reports.pdf_available()
xlsx_name, pdf_name = reports.file_name(content, "xlsx", shown_lang), reports.file_name(content, "pdf", shown_lang)
c1, c2, _ = st.columns([1, 1, 2])
c1.download_button(t("report_download_xlsx"), data=lambda: reports.render(content, "xlsx", shown_lang),
                   file_name=xlsx_name, mime=reports.FORMATS["xlsx"], on_click="ignore", key="report-xlsx",
                   icon=":material/grid_on:", type="primary", width="stretch")
c2.download_button(t("report_download_pdf"), data=lambda: reports.render(content, "pdf", shown_lang),
                   file_name=pdf_name, mime=reports.FORMATS["pdf"], on_click="ignore", key="report-pdf",
                   icon=":material/picture_as_pdf:", type="primary", width="stretch", disabled=browser is None)
if browser is None:
    st.warning(t("report_pdf_unavailable", where=settings.get("PANTAU_CHROMIUM") or "PATH, /usr/bin/chromium"),
               icon=":material/picture_as_pdf:")
st.caption(t("report_build_note"))
facility_args = "" if content.all_facilities else "".join(f" --facility {c}" for c in content.codes)
st.caption(t("report_cli_hint", command=f"python -m etl report --period {period.code}{facility_args} --format pdf "
                                        f"-o {pdf_name}"))
