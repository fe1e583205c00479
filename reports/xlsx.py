"""The report as an xlsx workbook (xlsxwriter): the letterhead, a summary sheet
with the headline figures and their change, a per-facility sheet (absolute and
per 100 inmates), one sheet per dataset with its monthly figures and a native
Excel chart over them, the agreements' status and the reports' completeness.

Numbers stay numbers (totals and changes are formulas, so they stay live when
someone edits a figure); their formats carry the locale (``[$-421]``: 1.234,
12,5 and 'Agustus 2024' in any Excel or LibreOffice). Every text cell goes
through :func:`etl.safety.safe_cell`. Sheets print on A4, one page wide, with
page numbers. Call inside ``ui.i18n.use_lang(...)``.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from etl import i18n
from etl.safety import safe_cell
from ui import palette
from ui import fmt
from ui.i18n import label, lang, t
from ui.provisional import chart_note
from reports import text
from reports.content import Content

TEAL, BLUE = palette.MEASURE["loans"], palette.MEASURE["training_participants"]
HEAD_FILL = "#DCEBEB"
A4 = 9
CHART_ROWS = 18  # rows a chart below a table takes


def _px(width: float) -> int:
    """Pixels of a column ``width`` characters wide (Calibri/Arial 10-11, as Excel counts)."""
    return int(width * 7 + 0.5) + 5


class Writer:
    """The workbook and its formats; every cell is written through here."""

    def __init__(self, buffer: io.BytesIO, content: Content):
        self.content = content
        self.loc = "[$-421]" if lang() == "id" else "[$-809]"
        self.book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "nan_inf_to_errors": True})
        self.book.set_properties({"title": safe_cell(text.document_title(content)), "subject": text.subject(),
                                  "author": "Pantau Literasi", "company": safe_cell(text.kop_lines()[1]),
                                  "comments": t("report_source")})
        self.widths: dict[str, list[float]] = {}
        self.tall: dict[tuple[str, int], int] = {}  # rows made taller for wrapped text
        loc = self.loc
        base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}

        def add(**kw):
            return self.book.add_format({**base, **kw})

        cell = {"border": 1, "border_color": "#9A9A9A"}
        self.f = {
            "kop1": add(bold=True, font_size=12, align="center"),
            "kop2": add(bold=True, font_size=14, align="center"),
            "kop3": add(font_size=9, align="center"),
            "rule": add(bottom=6),  # the double line under a letterhead
            "title": add(bold=True, font_size=13, align="center"),
            "subtitle": add(bold=True, font_size=11, align="center"),
            "label": add(bold=True),
            "meta": add(font_size=9, font_color="#444444"),
            "section": add(bold=True, font_size=11, font_color=TEAL),
            "caption": add(font_size=9, italic=True, font_color="#555555", text_wrap=True, valign="top"),
            "head": add(bold=True, bg_color=HEAD_FILL, text_wrap=True, align="center", **cell),
            "head_month": add(bold=True, bg_color=HEAD_FILL, align="center", num_format=f"{loc}mmm yyyy", **cell),
            "text": add(text_wrap=True, indent=1, **cell),
            "text_bold": add(bold=True, text_wrap=True, indent=1, **cell),
            "center": add(align="center", **cell),
            "int": add(num_format=f"{loc}#,##0", **cell),
            "dec": add(num_format=f"{loc}#,##0.0", **cell),
            "pct": add(num_format=f"{loc}0.0%", **cell),
            "change": add(num_format=f"{loc}+0.0%;-0.0%;0.0%", align="right", **cell),
            "month": add(num_format=f"{loc}mmmm yyyy", align="left", indent=1, **cell),
            "day": add(num_format=f"{loc}d mmm yyyy", align="left", indent=1, **cell),
            "missing": add(italic=True, font_color="#777777", align="right", **cell),
            "missing_text": add(italic=True, font_color="#777777", align="left", indent=1, **cell),
            "total_text": add(bold=True, indent=1, **{**cell, "top": 2}),
            "total_int": add(bold=True, num_format=f"{loc}#,##0", **{**cell, "top": 2}),
            "total_dec": add(bold=True, num_format=f"{loc}#,##0.0", **{**cell, "top": 2}),
            "total_pct": add(bold=True, num_format=f"{loc}0.0%", **{**cell, "top": 2}),
            "total_missing": add(bold=True, italic=True, font_color="#777777", align="right", **{**cell, "top": 2}),
            "bold_month": add(bold=True, num_format=f"{loc}mmmm yyyy", align="left", indent=1, bg_color="#F3F8F8",
                              **cell),
            "bold_int": add(bold=True, num_format=f"{loc}#,##0", bg_color="#F3F8F8", **cell),
            "bold_dec": add(bold=True, num_format=f"{loc}#,##0.0", bg_color="#F3F8F8", **cell),
            "sum_int": add(bold=True, num_format=f"{loc}#,##0", **cell),
            "note": add(font_size=9, text_wrap=True, valign="top"),
            "sign": add(align="center", text_wrap=True),
            "sign_name": add(align="center", bold=True, underline=1),
            "status_expired": add(bold=True, font_color="#9C2A1A", bg_color="#F8DDD8", indent=1, **cell),
            "status_expiring": add(bold=True, font_color="#7A5A00", bg_color="#FCEFC7", indent=1, **cell),
            "status_active": add(font_color="#0B5A5A", bg_color="#DCEFEA", indent=1, **cell),
            "status_none": add(italic=True, font_color="#555555", indent=1, **cell),
        }

    # ------------------------------------------------------------ cells
    def text(self, sheet, row: int, col: int, value, style: str = "text") -> None:
        """A text cell: neutralised against formula injection, '–' when empty; a row whose text
        wraps is made tall enough to show all of it (no spreadsheet sizes rows for us)."""
        if i18n.missing(value) or value == "":
            sheet.write_string(row, col, "–", self.f["missing_text"])
            return
        value = safe_cell(str(value))
        sheet.write_string(row, col, value, self.f[style])
        widths = self.widths.get(sheet.name, [])
        room = (widths[col] if col < len(widths) else 8.43) - 1.5  # characters, less the indent
        lines = _lines(value, room)
        if lines > 1 and lines > self.tall.get((sheet.name, row), 1):
            self.tall[(sheet.name, row)] = lines
            sheet.set_row(row, 13.2 * lines + 2)

    def number(self, sheet, row: int, col: int, value, style: str = "int", missing: str = "–") -> None:
        """A number, or the reason it is missing ('–' no report, 'tanpa penyebut' no occupancy figure)."""
        if i18n.missing(value):
            sheet.write_string(row, col, safe_cell(missing),
                               self.f["total_missing" if style.startswith("total") else "missing"])
        else:
            sheet.write_number(row, col, float(value), self.f[style])

    def date(self, sheet, row: int, col: int, value, style: str = "day") -> None:
        if i18n.missing(value):
            sheet.write_string(row, col, "–", self.f["missing_text"])
            return
        value = pd.Timestamp(value)
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), self.f[style])

    def headers(self, sheet, row: int, names: list[str], col: int = 0, height: float = 30) -> None:
        for k, name in enumerate(names):
            sheet.write_string(row, col + k, safe_cell(name), self.f["head"])
        sheet.set_row(row, height)

    def line(self, sheet, row: int, width: int, value: str, style: str = "caption", height: float | None = None):
        """A merged, wrapped line of text across the sheet's columns."""
        sheet.merge_range(row, 0, row, width - 1, safe_cell(value), self.f[style])
        chars = sum(self.widths[sheet.name][:width]) * 1.15
        sheet.set_row(row, height or 13 * max(1, -(-len(value) // max(int(chars), 1))) + 2)

    # ------------------------------------------------------------ sheets
    def sheet(self, key: str, columns: list[float], landscape: bool = False):
        """A sheet named in the page language, set up to print on A4 one page wide."""
        sheet = self.book.add_worksheet(t(key)[:31])
        self.widths[sheet.name] = list(columns)
        for k, width in enumerate(columns):
            sheet.set_column(k, k, width)
        sheet.set_paper(A4)
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        footer_left = _escape(f"Pantau Literasi · {text.document_title(self.content)}")
        page = _escape(t("report_page", page="\x00", pages="\x01")).replace("\x00", "&P").replace("\x01", "&N")
        sheet.set_footer(f"&L&8{footer_left}&R&8{page}")
        return sheet

    def heading(self, sheet, width: int, title: str) -> int:
        """The short heading of every sheet but the first: agency, title and period, a rule,
        the sheet's subject. Returns the next free row."""
        last = xl_col_to_name(width - 1)
        sheet.merge_range(f"A1:{last}1", safe_cell(text.kop_lines()[1].upper()), self.f["kop1"])
        sheet.merge_range(f"A2:{last}2", safe_cell(text.document_title(self.content)), self.f["subtitle"])
        for c in range(width):
            sheet.write_blank(2, c, None, self.f["rule"])
        sheet.set_row(2, 6)
        sheet.merge_range(f"A5:{last}5", safe_cell(title), self.f["title"])
        sheet.set_row(4, 20)
        return 6

    def letterhead(self, sheet, width: int) -> int:
        """The kop on the summary sheet: government, agency, address, contact, a double rule,
        then the title, period, facilities and dates. Returns the next free row."""
        last = xl_col_to_name(width - 1)
        row = 0
        if (emblem := text.logo()) is not None:
            try:
                from PIL import Image

                with Image.open(emblem) as image:
                    scale = 64 / image.size[1]
                sheet.insert_image(0, 0, emblem, {"x_scale": scale, "y_scale": scale, "x_offset": 4,
                                                  "y_offset": 2, "object_position": 3})
            except Exception:  # noqa: BLE001 (an unreadable emblem must not cost the report)
                pass
        for line, style, height in zip(text.kop_lines(), ("kop1", "kop2", "kop3", "kop3"), (17, 20, 14, 14)):
            if line:
                sheet.merge_range(f"A{row + 1}:{last}{row + 1}", safe_cell(line), self.f[style])
                sheet.set_row(row, height)
                row += 1
        for c in range(width):
            sheet.write_blank(row, c, None, self.f["rule"])
        sheet.set_row(row, 6)
        row += 2
        content = self.content
        for line, style in ((text.heading(content), "title"), (text.subject(), "subtitle"),
                            (t("report_doc_region"), "subtitle"),
                            (f"{t('report_period')}: {content.period.label()}", "subtitle"),
                            *(((number, "subtitle"),) if (number := text.letter_number()) else ())):
            sheet.merge_range(f"A{row + 1}:{last}{row + 1}", safe_cell(line), self.f[style])
            sheet.set_row(row, 18)
            row += 1
        row += 1
        for key, value in ((t("report_scope"), text.facilities_line(content)),
                           (t("report_generated"), fmt.moment(content.generated_at)),
                           (t("report_last_load"), fmt.moment(content.last_load))):
            sheet.write_string(row, 0, safe_cell(key), self.f["label"])
            sheet.merge_range(row, 1, row, width - 1, safe_cell(value), self.f["meta"])
            row += 1
        return row + 1

    def notes(self, sheet, row: int, width: int, lines: list[str]) -> int:
        sheet.write_string(row, 0, safe_cell(t("report_notes")), self.f["label"])
        row += 1
        for line in lines:
            self.line(sheet, row, width, line, "note")
            row += 1
        return row

    def chart_width(self, sheet, first_col: int = 0, last_col: int | None = None, limit: int = 980) -> int:
        widths = self.widths[sheet.name][first_col:None if last_col is None else last_col + 1]
        return min(limit, sum(_px(w) for w in widths) - 12)

    def number_format(self, pattern: str) -> str:
        return f"{self.loc}{pattern}"


def _lines(value: str, room: float) -> int:
    """How many lines ``value`` wraps to in a column ``room`` characters wide (by words; an Arial 10
    letter averages a little less than the digit width a column is measured in)."""
    lines, used = 1, 0.0
    for word in value.split():
        size = len(word) * 0.85
        if used and used + 1 + size > room:
            lines += 1 + int(size // max(room, 1))
            used = size % max(room, 1)
        else:
            used += (1 if used else 0) + size
    return lines


def _escape(value: str) -> str:
    """Header/footer text: '&' is a control character there."""
    return str(value).replace("&", "&&")


def _cell(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def _range(sheet_name: str, first_row: int, first_col: int, last_row: int, last_col: int) -> list:
    return [sheet_name, first_row, first_col, last_row, last_col]


def _per100(content: Content, key: str) -> str:
    return f"{t(key)} {t('report_per100', base=content.rate_base)}"


# ================================================================ summary
def summary_sheet(w: Writer) -> None:
    content = w.content
    sheet = w.sheet("report_sheet_summary", [40, 15, 15, 13, 15, 13, 36])
    row = w.letterhead(sheet, 6)
    scope = content.scope
    compared = content.comparisons
    width = 2 + 2 * len(compared)
    sheet.write_string(row, 0, safe_cell(t("report_section_summary")), w.f["section"])
    row += 1
    names = [t("report_col_indicator"), text.span(scope.start, scope.end)]
    for which in compared:
        names += [text.span(content.reference(which).start, content.reference(which).end), t("report_col_change")]
    names.append(t("report_col_note"))  # sementara, and the units each change compares (like for like)
    w.headers(sheet, row, names)
    sheet.set_column(width, width, 36)
    row += 1
    shown_per100 = False
    for item in content.kpi_rows():
        kpi = item["kpi"]
        if kpi.rate and not shown_per100:
            sheet.merge_range(row, 0, row, width - 1, safe_cell(t("report_per100_heading", base=content.rate_base)),
                              w.f["text_bold"])
            row += 1
            shown_per100 = True
        w.text(sheet, row, 0, item["label"])
        style = "pct" if kpi.percent else ("dec" if kpi.digits else "int")
        w.number(sheet, row, 1, item["current"], style)
        for k, which in enumerate(compared):
            col = 2 + 2 * k
            w.number(sheet, row, col, item[which], style)
            now, then = _cell(row, 1), _cell(row, col)
            cached = item[f"change_{which}"]
            if item.get(f"like_{which}") is not None:  # like for like: not the raw totals' ratio
                w.number(sheet, row, col + 1, cached, "change")
            else:
                sheet.write_formula(row, col + 1,
                                    f'=IF(AND(ISNUMBER({now}),ISNUMBER({then}),{then}<>0),{now}/{then}-1,"–")',
                                    w.f["change"], cached if cached is not None else "–")
        w.text(sheet, row, width, text.kpi_note(content, item))
        row += 1
    row += 1
    row = w.notes(sheet, row, 7, text.notes(content) + [t("report_source")])
    row = signature(w, sheet, row + 1)
    sheet.print_area(0, 0, row - 1, 6)   # down to the NIP


def signature(w: Writer, sheet, row: int) -> int:
    """The signature block under the summary, in the right columns (E:G): place and date, title, room
    to sign, name and NIP. Returns the row after it."""
    block = text.signature(w.content)
    for value, style, height in ((block["date"], "sign", 15), (block["title"], "sign", 28), ("", "sign", 15),
                                 ("", "sign", 15), ("", "sign", 15),
                                 (block["name"], "sign" if block["name"].startswith(".") else "sign_name", 15),
                                 (block["nip"], "sign", 15)):
        sheet.merge_range(row, 4, row, 6, safe_cell(value), w.f[style])
        sheet.set_row(row, height)
        row += 1
    return row


# ================================================================ facilities
RATES = (("loans_rate", "col_loans"), ("visitors_library_rate", "col_visitors_library"),
         ("visitors_pusling_rate", "col_visitors_pusling"), ("training_participants_rate", "col_participants"))


def facilities_sheet(w: Writer) -> None:
    content = w.content
    columns = [("report_col_no", 5), ("col_facility", 28), ("col_type", 8), ("col_regency", 23), ("col_loans", 12),
               ("col_visitors_library", 13), ("col_visitors_pusling", 13), ("col_sessions", 9),
               ("col_participants", 11), ("col_reported", 11), ("col_occupants", 14)]
    widths = [c[1] for c in columns] + [15.5] * len(RATES)
    sheet = w.sheet("report_sheet_facilities", widths, landscape=True)
    row = w.heading(sheet, len(widths), t("report_section_facilities"))
    w.headers(sheet, row, [t(c[0]) for c in columns] + [_per100(content, key) for _, key in RATES], height=58)
    sheet.repeat_rows(row)
    sheet.freeze_panes(row + 1, 2)
    row += 1
    ranking = content.ranking
    first = row
    for k, r in enumerate(ranking.itertuples(index=False), start=1):
        sheet.write_number(row, 0, k, w.f["center"])
        w.text(sheet, row, 1, r.short_name)
        w.text(sheet, row, 2, r.type)
        w.text(sheet, row, 3, r.regency)
        for col, value in ((4, r.loans), (5, r.visitors_library), (6, r.visitors_pusling), (7, r.training_sessions),
                           (8, r.training_participants)):
            w.number(sheet, row, col, value)
        sheet.write_string(row, 9, safe_cell(t("reported_months", n=int(r.months_reported), m=int(r.months_in_period))),
                           w.f["center"])
        why = t("no_denominator") if content.no_denominator(r.code) else "–"
        w.number(sheet, row, 10, r.occupants, missing=why)
        for k2, (column, _) in enumerate(RATES):
            w.number(sheet, row, 11 + k2, getattr(r, column), "dec", missing=why)
        row += 1
    last = row - 1
    # the total row: live sums; the rates are the period's overall rates (a ratio of sums, not a sum)
    for col in (0, 2, 3, 9):
        sheet.write_string(row, col, "", w.f["total_text"])
    sheet.write_string(row, 1, safe_cell(t("report_total_row")), w.f["total_text"])
    for col, column in ((4, "loans"), (5, "visitors_library"), (6, "visitors_pusling"), (7, "training_sessions"),
                        (8, "training_participants"), (10, "occupants")):
        total = pd.to_numeric(ranking[column], errors="coerce").sum(min_count=1)
        letter = xl_col_to_name(col)
        sheet.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{last + 1})", w.f["total_int"],
                            0 if i18n.missing(total) else float(total))
    for k2, (column, _) in enumerate(RATES):
        w.number(sheet, row, 11 + k2, content.value(column), "total_dec")
    row += 2
    row = w.notes(sheet, row, len(widths), [t("report_note_rates", base=content.rate_base)])
    # a native bar chart of the loans per facility, live on the cells above
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series({"name": t("col_loans"), "categories": _range(sheet.name, first, 1, last, 1),
                      "values": _range(sheet.name, first, 4, last, 4), "fill": {"color": TEAL}, "gap": 50,
                      "data_labels": {"value": True, "num_format": w.number_format("#,##0"),
                                      "font": {"size": 8}}})
    chart.set_title({"name": t("report_chart_ranking", period=content.period.label()),
                     "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
    chart.set_x_axis({"num_format": w.number_format("#,##0"), "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#E5E5E5"}}})
    chart.set_legend({"none": True})
    height = max(300, 20 * (last - first + 1) + 90)
    chart.set_size({"width": w.chart_width(sheet, 1, 10, limit=900), "height": height})
    sheet.insert_chart(row + 1, 1, chart)
    sheet.print_area(0, 0, row + 2 + height // 20, len(widths) - 1)


# ================================================================ datasets
def _monthly_table(w: Writer, sheet, row: int, width: int, columns: list[tuple[str, str, str]],
                   dataset: str | None = None) -> tuple[int, int]:
    """Month | figures over the charts' window (at least 12 months ending with the period);
    the report's own months are in bold, provisional months of ``dataset`` are named in a footnote
    under the chart's title. Returns the first and last data rows."""
    content = w.content
    frame = content.trend
    sheet.write_string(row, 0, safe_cell(t("report_monthly")), w.f["section"])
    row += 1
    w.line(sheet, row, width, t("report_trend_span", span=text.span(frame["month"].iloc[0], frame["month"].iloc[-1])))
    row += 1
    if note := chart_note(content.trend_provisional.get(dataset) or {}):
        w.line(sheet, row, width, f"* {note}")
        row += 1
    w.headers(sheet, row, [t("col_month")] + [header for _, header, _ in columns], height=44)
    row += 1
    first = row
    mark = content.period.n_months < len(frame)  # bold the report's own months when the table shows more
    for r in frame.itertuples(index=False):
        bold = mark and content.period.start <= pd.Timestamp(r.month).date() <= content.period.end
        w.date(sheet, row, 0, r.month, "bold_month" if bold else "month")
        for k, (column, _, style) in enumerate(columns, start=1):
            w.number(sheet, row, k, getattr(r, column), f"bold_{style}" if bold else style)
        row += 1
    return first, row - 1


def _column_chart(w: Writer, sheet, first: int, last: int, series: list[tuple[int, str, str]], title: str,
                  width: int, stacked: bool = False):
    chart = w.book.add_chart({"type": "column", **({"subtype": "stacked"} if stacked else {})})
    for col, name, colour in series:
        chart.add_series({"name": name, "categories": _range(sheet.name, first, 0, last, 0),
                          "values": _range(sheet.name, first, col, last, col), "fill": {"color": colour},
                          "gap": 60, **({"overlap": 100} if stacked else {})})
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"num_format": w.number_format("mmm yy"), "num_font": {"size": 8},
                      "date_axis": False, "text_axis": True})
    chart.set_y_axis({"num_format": w.number_format("#,##0"), "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#E5E5E5"}}})
    chart.set_legend({"position": "bottom"} if len(series) > 1 else {"none": True})
    chart.set_size({"width": width, "height": CHART_ROWS * 20 - 20})
    return chart


def _place_chart(w: Writer, sheet, first: int, last: int, table_width: int, series, title: str,
                 stacked: bool = False) -> tuple[int, bool]:
    """The monthly chart beside the table when the sheet is wide enough (a year's grid), else under
    it. Returns the row after both, and whether it went beside."""
    widths = w.widths[sheet.name]
    beside = len(widths) - table_width >= 5
    if beside:
        chart = _column_chart(w, sheet, first, last, series, title,
                              w.chart_width(sheet, table_width, len(widths) - 1, limit=820), stacked)
        sheet.insert_chart(first - 1, table_width, chart, {"x_offset": 14})
        return max(last + 2, first - 1 + CHART_ROWS), True
    chart = _column_chart(w, sheet, first, last, series, title,
                          w.chart_width(sheet, 0, table_width - 1, limit=800), stacked)
    sheet.insert_chart(last + 2, 0, chart)
    return last + 2 + CHART_ROWS, False


def _grid(w: Writer, sheet, row: int, frame: pd.DataFrame, value: str) -> int:
    """Facility x month of the report's period, with a live total per facility. Returns the next row."""
    content = w.content
    sheet.write_string(row, 0, safe_cell(t("report_grid")), w.f["section"])
    row += 1
    months = [dt.datetime(m.year, m.month, 1) for m in sorted(pd.to_datetime(frame["month"]).unique())]
    w.headers(sheet, row, [t("col_facility")], height=30)
    for k, month in enumerate(months, start=1):
        sheet.write_datetime(row, k, month, w.f["head_month"])
    sheet.write_string(row, len(months) + 1, safe_cell(t("report_col_total")), w.f["head"])
    sheet.repeat_rows(row)
    row += 1
    grid = frame.assign(month=pd.to_datetime(frame["month"])).pivot_table(
        index="short_name", columns="month", values=value, aggfunc="sum", dropna=False)
    first_letter, last_letter = xl_col_to_name(1), xl_col_to_name(len(months))
    for name in content.ranking["short_name"]:
        w.text(sheet, row, 0, name)
        for k, month in enumerate(months, start=1):
            stamp = pd.Timestamp(month)
            w.number(sheet, row, k, grid.loc[name, stamp] if name in grid.index and stamp in grid.columns else None)
        total = pd.to_numeric(frame.loc[frame["short_name"] == name, value], errors="coerce").sum(min_count=1)
        if i18n.missing(total):
            sheet.write_string(row, len(months) + 1, "–", w.f["missing"])
        else:
            sheet.write_formula(row, len(months) + 1, f"=SUM({first_letter}{row + 1}:{last_letter}{row + 1})",
                                w.f["sum_int"], float(total))
        row += 1
    return row


def loans_sheet(w: Writer) -> None:
    content = w.content
    months = content.period.n_months
    widths = [28] + [12.5] * max(3, months) + [12]
    sheet = w.sheet("report_sheet_loans", widths, landscape=months > 6)
    width = len(widths)
    row = w.heading(sheet, width, t("report_section_loans"))
    first, last = _monthly_table(w, sheet, row, width, [
        ("loans", t("col_loans"), "int"), ("facilities_loans", t("report_col_facilities_reporting"), "int"),
        ("loans_rate", _per100(content, "col_loans"), "dec")], "loans")
    row, beside = _place_chart(w, sheet, first, last, 4, [(1, t("col_loans"), TEAL)], t("col_loans"))
    if not beside:
        sheet.set_h_pagebreaks([row])
    row = _grid(w, sheet, row, content.loans_grid, "loans")
    sheet.print_area(0, 0, row, width - 1)


def visits_sheet(w: Writer) -> None:
    content = w.content
    months = content.period.n_months
    widths = [28] + [13] * max(6, months) + [12]
    sheet = w.sheet("report_sheet_visits", widths, landscape=months > 6)
    width = len(widths)
    row = w.heading(sheet, width, t("report_section_visits"))
    first, last = _monthly_table(w, sheet, row, width, [
        ("visitors_library", t("series_library"), "int"), ("visitors_pusling", t("series_pusling"), "int"),
        ("visitors", t("col_visitors"), "int"), ("facilities_visits", t("report_col_facilities_reporting"), "int"),
        ("visitors_library_rate", _per100(content, "series_library"), "dec"),
        ("visitors_pusling_rate", _per100(content, "series_pusling"), "dec")], "visits")
    row, beside = _place_chart(w, sheet, first, last, 7, [(1, t("series_library"), palette.SERVICE["perpustakaan"]),
                                                          (2, t("series_pusling"), palette.SERVICE["pusling"])],
                               t("col_visitors"), stacked=True)
    if not beside:
        sheet.set_h_pagebreaks([row])
    grid = content.visits_grid.copy()
    grid["visitors"] = grid[["visitors_library", "visitors_pusling"]].sum(axis=1, min_count=1)
    row = _grid(w, sheet, row, grid, "visitors")
    sheet.print_area(0, 0, row, width - 1)


def training_sheet(w: Writer) -> None:
    content = w.content
    widths = [15, 27, 34, 17, 15, 25, 31, 9, 9, 10]
    sheet = w.sheet("report_sheet_training", widths, landscape=True)
    width = len(widths)
    row = w.heading(sheet, width, t("report_section_training"))
    first, last = _monthly_table(w, sheet, row, 5, [
        ("training_sessions", t("col_sessions"), "int"), ("training_participants", t("col_participants"), "int"),
        ("facilities_training", t("report_col_facilities_reporting"), "int"),
        ("training_participants_rate", _per100(content, "col_participants"), "dec")], "training")
    chart = _column_chart(w, sheet, first, last, [(2, t("col_participants"), BLUE)], t("col_participants"),
                          w.chart_width(sheet, 5, 9, limit=700))
    sheet.insert_chart(first - 1, 5, chart, {"x_offset": 12})
    row = max(last + 2, first - 1 + CHART_ROWS)
    # by topic
    sheet.write_string(row, 0, safe_cell(t("report_by_topic")), w.f["section"])
    row += 1
    w.headers(sheet, row, [t("col_topic"), t("col_sessions"), t("col_participants"), t("col_participants_l"),
                           t("col_participants_p")])
    row += 1
    for r in content.topics.itertuples(index=False):
        w.text(sheet, row, 0, label("topic", r.label))
        for col, value in ((1, r.sessions), (2, r.participants), (3, r.participants_l), (4, r.participants_p)):
            w.number(sheet, row, col, value)
        row += 1
    row += 1
    sheet.set_h_pagebreaks([row])
    # every session of the period
    sheet.write_string(row, 0, safe_cell(t("report_sessions")), w.f["section"])
    row += 1
    w.headers(sheet, row, [t("col_start"), t("col_facility"), t("col_title"), t("col_topic"), t("col_audience"),
                           t("col_organiser"), t("col_place"), t("col_participants_l"), t("col_participants_p"),
                           t("col_participants")])
    sheet.repeat_rows(row)
    head = row
    row += 1
    if content.sessions.empty:
        w.line(sheet, row, width, t("report_sessions_none"), "text")
        row += 1
    for r in content.sessions.itertuples(index=False):
        w.date(sheet, row, 0, r.start_date)
        w.text(sheet, row, 1, r.short_name)
        w.text(sheet, row, 2, r.title)
        w.text(sheet, row, 3, label("topic", r.topic))
        w.text(sheet, row, 4, label("audience", r.audience))
        w.text(sheet, row, 5, label("audience", r.organiser) if r.organiser == "tidak disebut" else r.organiser)
        w.text(sheet, row, 6, r.place)
        for col, value in ((7, r.participants_l), (8, r.participants_p), (9, r.participants)):
            w.number(sheet, row, col, value)
        row += 1
    if not content.sessions.empty:
        sheet.autofilter(head, 0, row - 1, width - 1)
    sheet.print_area(0, 0, row, width - 1)


# ================================================================ programme
def agreements_sheet(w: Writer) -> None:
    content = w.content
    widths = [28, 17, 26, 15, 10, 19, 10]
    sheet = w.sheet("report_sheet_agreements", widths)
    row = w.heading(sheet, len(widths), t("report_section_agreements", date=fmt.day(content.agreements_as_of)))
    w.headers(sheet, row, [t("col_facility"), t("col_status"), t("col_number"), t("col_valid_until"),
                           t("col_days_left"), t("col_last_until"), t("col_agreements")])
    sheet.repeat_rows(row)
    row += 1
    for r in content.agreements.itertuples(index=False):
        w.text(sheet, row, 0, r.short_name)
        sheet.write_string(row, 1, safe_cell(label("agreement", r.status)), w.f[f"status_{r.status}"])
        w.text(sheet, row, 2, r.number)
        w.date(sheet, row, 3, r.valid_until)
        w.number(sheet, row, 4, r.days_left)
        w.date(sheet, row, 5, r.last_until)
        w.number(sheet, row, 6, r.agreements)
        row += 1
    sheet.print_area(0, 0, row, len(widths) - 1)


def completeness_sheet(w: Writer) -> None:
    content = w.content
    widths = [28, 15, 12, 13, 14, 17]
    sheet = w.sheet("report_sheet_completeness", widths)
    width = len(widths)
    row = w.heading(sheet, width, t("report_section_completeness"))
    w.line(sheet, row, width, text.completeness_intro(content))
    row += 2
    w.headers(sheet, row, [t("col_facility"), t("col_reports_due"), t("col_reports_received"), t("col_reports_late"),
                           t("col_reports_missing"), t("col_completeness")])
    sheet.repeat_rows(row)
    row += 1
    frame = content.completeness_by_facility
    first = row
    for r in frame.itertuples(index=False):
        w.text(sheet, row, 0, r.short_name)
        for col, value in ((1, r.due), (2, r.received), (3, r.late), (4, r.missing)):
            w.number(sheet, row, col, value)
        w.number(sheet, row, 5, r.completeness, "pct")
        row += 1
    last = row - 1
    if last >= first:
        sheet.write_string(row, 0, safe_cell(t("report_total_row")), w.f["total_text"])
        for col, column in ((1, "due"), (2, "received"), (3, "late"), (4, "missing")):
            letter = xl_col_to_name(col)
            sheet.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{last + 1})", w.f["total_int"],
                                float(frame[column].sum()))
        due, received = float(frame["due"].sum()), float(frame["received"].sum())
        sheet.write_formula(row, 5, f'=IF(B{row + 1}>0,C{row + 1}/B{row + 1},"–")', w.f["total_pct"],
                            received / due if due else "–")
        row += 1
    row += 1
    sheet.write_string(row, 0, safe_cell(t("completeness_chase")), w.f["section"])
    row += 1
    if content.chase.empty:
        w.line(sheet, row, width, t("completeness_nothing_missing"), "text")
        row += 1
    else:
        w.headers(sheet, row, [t("col_facility"), t("col_missing_report"), t("col_since"), t("col_months_missing"),
                               t("col_latest_missing")])
        row += 1
        for r in content.chase.itertuples(index=False):
            w.text(sheet, row, 0, r.short_name)
            w.text(sheet, row, 1, label("dataset", r.dataset))
            w.date(sheet, row, 2, r.since, "month")
            w.number(sheet, row, 3, r.months_missing)
            w.date(sheet, row, 4, r.latest_missing, "month")
            row += 1
    sheet.print_area(0, 0, row, width - 1)


def capaian_sheet(w: Writer) -> None:
    """A year's report: the LKjIP table (reports.capaian.report_display, the Capaian Kinerja page's rows),
    the revision of the targets and the months counted above it, the status in the palette's colours."""
    content = w.content
    if content.capaian is None:
        return
    from reports import capaian

    frame = capaian.report_display(content.capaian)
    widths = [5, 36, 16] + [12] * (len(frame.columns) - 4) + [14]
    sheet = w.sheet("capaian_sheet", widths)
    width = len(widths)
    row = w.heading(sheet, width, t("report_section_capaian", year=content.period.start.year))
    for line in content.capaian_lines:
        w.line(sheet, row, width, line)
        row += 1
    row += 1
    w.headers(sheet, row, [str(c) for c in frame.columns])
    sheet.repeat_rows(row)
    row += 1
    status = {t(f"capaian_status_{k}"): w.book.add_format({"font_name": "Arial", "font_size": 10, "bold": True,
                                                           "font_color": colour, "indent": 1, "border": 1,
                                                           "border_color": "#9A9A9A", "valign": "vcenter"})
              for k, colour in palette.TARGET.items()}
    for values in frame.itertuples(index=False):
        w.number(sheet, row, 0, values[0])
        w.text(sheet, row, 1, values[1])
        w.text(sheet, row, 2, values[2])
        for col, value in enumerate(values[3:-1], start=3):
            w.number(sheet, row, col, value, "int" if not i18n.missing(value) and float(value).is_integer() else "dec")
        if values[-1] in status:
            sheet.write_string(row, width - 1, safe_cell(values[-1]), status[values[-1]])
        else:
            w.text(sheet, row, width - 1, values[-1])
        row += 1
    sheet.print_area(0, 0, row, width - 1)


def build(content: Content) -> bytes:
    """The workbook's bytes (call inside ``ui.i18n.use_lang``)."""
    buffer = io.BytesIO()
    writer = Writer(buffer, content)
    for make in (summary_sheet, facilities_sheet, loans_sheet, visits_sheet, training_sheet, agreements_sheet,
                 completeness_sheet, capaian_sheet):
        make(writer)
    writer.book.worksheets()[0].activate()
    writer.book.close()
    return buffer.getvalue()
