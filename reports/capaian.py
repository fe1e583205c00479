"""The LKjIP table (Indikator, Target, Realisasi, Capaian %) as the Capaian
Kinerja page shows it and as an xlsx workbook: both read :func:`display`, so
the download holds the page's numbers. Call inside ``ui.i18n.use_lang`` outside
a page."""

from __future__ import annotations

import io

import pandas as pd

from etl.safety import safe_cell
from etl.targets import BY_KEY
from reports import text
from ui import fmt
from ui.target_text import basis_text
from ui.i18n import lang, t


def _round(value, digits: int):
    return None if fmt.missing(value) else round(float(value), digits)


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The LKjIP rows: indicator name and unit, target, realisation, achievement % (realisation ÷
    target), the pro-rata target so far, achievement against it and the status, as numbers (None where
    there is none; the page and the workbook say why)."""
    rows = []
    for number, r in enumerate(table.itertuples(), start=1):
        ind = BY_KEY[r.indicator]
        digits = ind.digits
        rows.append({
            t("capaian_col_no"): number,
            t("capaian_col_indicator"): ind.name(lang()),
            t("capaian_col_unit"): ind.unit(lang()),
            t("capaian_col_target"): _round(r.target, digits),
            t("capaian_col_realisation"): _round(r.realisation, digits),
            t("capaian_col_achievement"): _round(None if fmt.missing(r.achievement) else r.achievement * 100, 1),
            t("capaian_col_prorata"): _round(r.prorata, digits),
            t("capaian_col_ytd"): _round(None if fmt.missing(r.ytd_achievement) else r.ytd_achievement * 100, 1),
            t("capaian_col_status"): t(f"capaian_status_{r.status}"),
        })
    frame = pd.DataFrame(rows)
    for column in frame.columns[3:8]:
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def period_line(table: pd.DataFrame, year: int) -> str:
    """Which months the realisation counts: the whole year, the months so far and how the pro-rata target
    was made, or none yet (the page's caption and the report's line)."""
    months, through = int(table["months"].iloc[0]), table["through"].iloc[0]
    if not months:
        return t("capaian_no_data_year", year=year)
    if months == 12:
        return t("capaian_full_year", year=year)
    basis = next((b for b in table["basis"] if b.startswith(("seasonal", "linear"))), "linear")
    return t("capaian_months_line", span=fmt.month_range(through.replace(month=1), through), n=months,
             basis=basis_text(basis))


def lines(table: pd.DataFrame, revisions: pd.DataFrame, year: int) -> list[str]:
    """The report's lines above the LKjIP table: the revision in force (plain text) and :func:`period_line`."""
    out = []
    if not revisions.empty:
        r = revisions.iloc[0]
        out.append(t("capaian_revision", revision=int(r["revision"]), label=r["label"], by=r["entered_by"],
                     when=fmt.moment(r["entered_at"])))
    return out + [period_line(table, year)]


def report_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`display` as the annual report prints it: without the pro-rata columns once the year is
    complete (they repeat the target and the achievement)."""
    shown = display(table)
    if int(table["months"].iloc[0]) == 12:
        shown = shown.drop(columns=[t("capaian_col_prorata"), t("capaian_col_ytd")])
    return shown


def trend_display(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend of recent years: one row per indicator, per year its realisation and achievement %."""
    if trend.empty:
        return pd.DataFrame()
    rows = []
    for key, part in trend.groupby("indicator", sort=False):
        row = {t("capaian_col_indicator"): BY_KEY[key].name(lang())}
        for r in part.itertuples():
            suffix = "" if r.months == 12 else f" ({t('capaian_months', n=r.months)})"
            row[f"{r.year}{suffix}"] = _round(r.realisation, 1)
            row[f"{t('capaian_col_achievement')} {r.year}"] = _round(
                None if fmt.missing(r.achievement) else r.achievement * 100, 1)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns[1:]:  # numbers, also a year without any target (never 'None' on screen)
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def xlsx(table: pd.DataFrame, trend: pd.DataFrame, title: str, lines: list[str]) -> bytes:
    """The workbook: the letterhead, ``title`` and ``lines`` (unit, revision, months), the LKjIP table,
    and a second sheet with the trend of recent years."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "nan_inf_to_errors": True})
    loc = "[$-421]" if lang() == "id" else "[$-809]"
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DCEBEB", "border": 1, "text_wrap": True})
    number = book.add_format({"num_format": f"{loc}#,##0.0", "border": 1})
    cell = book.add_format({"border": 1, "text_wrap": True})
    for name, frame in ((t("capaian_sheet"), display(table)), (t("capaian_trend_sheet"), trend_display(trend))):
        sheet = book.add_worksheet(name[:31])
        row = 0
        for line in text.kop_lines():
            if line:
                sheet.write_string(row, 0, safe_cell(line), bold)
                row += 1
        sheet.write_string(row + 1, 0, safe_cell(title), bold)
        row += 2
        for line in lines:
            sheet.write_string(row, 0, safe_cell(line))
            row += 1
        row += 1
        sheet.write_row(row, 0, [safe_cell(str(c)) for c in frame.columns], head)
        for values in frame.itertuples(index=False):
            row += 1
            for col, value in enumerate(values):
                if fmt.missing(value):
                    sheet.write_blank(row, col, None, cell)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, col, float(value), number)
                else:
                    sheet.write_string(row, col, safe_cell(str(value)), cell)
        sheet.set_column(0, 0, 6 if name == t("capaian_sheet") else 44)
        sheet.set_column(1, 1, 44 if name == t("capaian_sheet") else 12)
        sheet.set_column(2, max(len(frame.columns) - 1, 2), 14)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()
