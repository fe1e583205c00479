"""The report as a PDF on A4 (fpdf2): the letterhead, the headline figures with
their change and a few highlights, the dashboard's charts (drawn by kaleido from
the same plotly figures), the per-facility table, agreements, completeness and
training, with page numbers, the date it was made and the data's last load.

Text is set in DejaVu Sans (Debian ``fonts-dejavu-core``), which covers every
Indonesian and English character; without it the PDF falls back to Helvetica
and writes the few characters Helvetica lacks in plain ASCII. Call inside
``ui.i18n.use_lang(...)``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from etl.i18n import missing
from ui import charts as ui_charts
from ui import fmt, palette
from ui.i18n import label, lang, t
from ui.provisional import chart_note
from reports import browser
from reports import text
from reports.content import Content
from warehouse import settings

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/local/share/fonts", str(Path.home() / ".fonts"), str(Path.home() / ".local/share/fonts"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
              "BI": "DejaVuSans-BoldOblique.ttf"}
TEAL = (15, 110, 110)
INK = (33, 33, 33)
GREY = (110, 110, 110)
ZEBRA = (243, 248, 248)
UP, DOWN = (30, 110, 50), (170, 45, 30)
SESSIONS_SHOWN = 25
ASCII = str.maketrans({"–": "-", "—": "-", "…": "...", "’": "'", "‘": "'", "“": '"', "”": '"', "≥": ">=",
                       "≤": "<=", "×": "x", "−": "-"})


def find_fonts() -> dict[str, str] | None:
    """DejaVu Sans regular/bold/oblique, or None when it is not installed."""
    for folder in FONT_DIRS:
        found = {style: Path(folder) / name for style, name in FONT_FILES.items()}
        if found[""].is_file() and found["B"].is_file():
            return {style: str(path) for style, path in found.items() if path.is_file()}
    return None


class ReportPDF(FPDF):
    def __init__(self, content: Content):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        fonts = find_fonts()
        if fonts:
            for style, path in fonts.items():
                self.add_font("DejaVu", style, path)
            self.family = "DejaVu"
            self.italic = "I" if "I" in fonts else ""
        else:
            self.family = "Helvetica"
            self.italic = "I"
        self.unicode = fonts is not None
        self.set_title(self.clean(text.document_title(content)))
        self.set_subject(self.clean(text.subject()))
        self.set_author(self.clean(f"Pantau Literasi · {text.kop_lines()[1]}"))
        self.set_creator("Pantau Literasi")
        self.set_lang("id-ID" if lang() == "id" else "en-GB")
        self.footer_text = self.clean(f"Pantau Literasi · {t('report_generated')} {fmt.moment(content.generated_at)}"
                                      f" · {t('report_last_load')} {fmt.moment(content.last_load)}")

    # ------------------------------------------------------------ basics
    def clean(self, value) -> str:
        value = "" if missing(value) else str(value)
        if self.unicode:
            return value
        return value.translate(ASCII).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, style: str = "", colour=INK) -> None:
        style = style.replace("I", self.italic)
        self.set_font(self.family, style, size)
        self.set_text_color(*colour)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.font(7.5, "B", GREY)
        self.set_y(9)
        self.cell(0, 4, self.clean(text.kop_lines()[1]), align="L")
        self.set_x(self.l_margin)
        self.font(7.5, "", GREY)
        self.cell(0, 4, self.clean(text.document_title(self.content)), align="R")
        self.set_draw_color(*TEAL)
        self.set_line_width(0.3)
        self.line(self.l_margin, 13.6, self.w - self.r_margin, 13.6)
        self.set_y(self.t_margin + 1)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(200, 200, 200)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_y(-12)
        self.font(7, "", GREY)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, self.clean(t("report_page", page=self.page_no(), pages="{nb}")), align="R")

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def para(self, value: str, size: float = 9, style: str = "", colour=INK, align: str = "L", height: float = 4.4,
             space: float = 0) -> None:
        self.font(size, style, colour)
        self.multi_cell(0, height, self.clean(value), align=align, new_x="LMARGIN", new_y="NEXT")
        if space:
            self.ln(space)

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page(orientation=self.cur_orientation)

    def section(self, number: int, title: str, room: float = 40) -> None:
        self.keep(room)
        self.ln(3)
        self.font(12, "B", TEAL)
        self.cell(0, 7, self.clean(f"{number}. {title}"), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*TEAL)
        self.set_line_width(0.4)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.width, self.get_y())
        self.ln(2.5)

    def subheading(self, title: str, room: float = 25) -> None:
        self.keep(room)
        self.ln(1.5)
        self.font(10, "B", INK)
        self.cell(0, 6, self.clean(title), new_x="LMARGIN", new_y="NEXT")

    def table(self, headers: list, rows: list[list], widths: list[float], aligns: list[str], size: float = 8,
              heading_rows: int = 1, total: bool = False, heading_size: float | None = None) -> None:
        """A table; ``headers`` is a list of heading rows (cells: text or (text, colspan, rowspan)),
        a body cell is text, (text, FontFace) or (text, FontFace, colspan). The last row is bold when ``total``."""
        heading = FontFace(family=self.family, emphasis="B", size_pt=heading_size or size, color=(255, 255, 255),
                           fill_color=TEAL)
        self.font(size)
        self.set_draw_color(190, 190, 190)
        self.set_line_width(0.15)
        with self.table_context(widths, aligns, heading, heading_rows) as table:
            for heading_row in headers:
                row = table.row()
                for cell in heading_row:
                    value, colspan, rowspan = cell if isinstance(cell, tuple) else (cell, 1, 1)
                    row.cell(self.clean(value), align="C", colspan=colspan, rowspan=rowspan)
            for k, values in enumerate(rows):
                row = table.row()
                last = total and k == len(rows) - 1
                for value in values:
                    style, colspan = None, 1
                    if isinstance(value, tuple):
                        value, style, colspan = (*value, 1)[:3]
                    if last:
                        style = FontFace(emphasis="B", fill_color=(225, 236, 236))
                    row.cell(self.clean(value), style=style, colspan=colspan)

    def table_context(self, widths, aligns, heading, heading_rows):
        return super().table(col_widths=widths, width=sum(widths), align="L", text_align=aligns, line_height=4.1,
                             headings_style=heading, num_heading_rows=heading_rows, cell_fill_color=ZEBRA,
                             cell_fill_mode="ROWS", padding=(0.9, 1.1, 0.9, 1.1), repeat_headings=1,
                             v_align="M")


MISSING = FontFace(emphasis="I", color=GREY, size_pt=7)


def _num(value, digits: int = 0, why: str = "–"):
    """A number, or why it is missing ('–' no report, 'tanpa penyebut' no occupancy figure)."""
    if missing(value):
        return (why, MISSING)
    return fmt.num(value, digits)


def _change(value):
    if value is None:
        return ("–", MISSING)
    if round(value, 3) == 0:
        return fmt.pct(0)
    return (fmt.pct(value), FontFace(color=UP if value > 0 else DOWN))


# ================================================================ page 1
def letterhead(pdf: ReportPDF) -> None:
    """The kop surat: an optional logo, the government and agency, address and contact, a double rule."""
    gov, agency, address, contact = text.kop_lines()
    logo = text.logo()
    top = pdf.get_y()
    if logo:
        try:
            pdf.image(logo, x=pdf.l_margin, y=top, h=24)
        except Exception:  # noqa: BLE001 (an unreadable logo must not cost the report)
            logo = None
    for value, size, style in ((gov, 12.5, "B"), (agency, 15, "B"), (address, 9, ""), (contact, 9, "")):
        if value:
            pdf.font(size, style)
            pdf.cell(0, 6.2 if size > 10 else 4.6, pdf.clean(value), align="C", new_x="LMARGIN", new_y="NEXT")
    y = max(pdf.get_y() + 1.5, top + 26 if logo else 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.9)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.25)
    pdf.line(pdf.l_margin, y + 1.2, pdf.w - pdf.r_margin, y + 1.2)
    pdf.set_y(y + 5)


def title_block(pdf: ReportPDF) -> None:
    content = pdf.content
    pdf.font(13, "B")
    pdf.cell(0, 6.5, pdf.clean(text.heading(content)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.font(11, "B")
    pdf.cell(0, 5.5, pdf.clean(text.subject()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5.5, pdf.clean(t("report_doc_region")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.font(11, "")
    pdf.cell(0, 6, pdf.clean(f"{t('report_period')}: {content.period.label()}"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    if number := text.letter_number():
        pdf.font(10, "")
        pdf.cell(0, 5, pdf.clean(number), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for key, value in ((t("report_scope"), text.facilities_line(content)),
                       (t("report_generated"), fmt.moment(content.generated_at)),
                       (t("report_last_load"), fmt.moment(content.last_load))):
        pdf.font(8.5, "B")
        pdf.cell(40, 4.4, pdf.clean(key))
        pdf.font(8.5, "")
        pdf.multi_cell(0, 4.4, pdf.clean(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def summary(pdf: ReportPDF, number: int) -> None:
    content = pdf.content
    scope = content.scope
    compared = content.comparisons
    pdf.section(number, t("report_section_summary"), room=90)
    heading = [t("report_col_indicator"), text.span(scope.start, scope.end)]
    for which in compared:
        heading += [text.span(content.reference(which).start, content.reference(which).end), t("report_col_change")]
    rows: list[list] = []
    shown_per100 = False
    for item in content.kpi_rows():
        kpi = item["kpi"]
        if kpi.rate and not shown_per100:
            rows.append([(t("report_per100_heading", base=content.rate_base), FontFace(emphasis="B"), len(heading))])
            shown_per100 = True

        def shown(value, kpi=kpi):
            if kpi.percent:
                return ("–", MISSING) if missing(value) else fmt.pct(value, signed=False)
            return _num(value, kpi.digits)

        name = item["label"] + (f" ({t('prov_mark')}*)" if item["provisional"] else "")
        value = shown(item["current"])
        if item["expected"] is not None:  # units reporting a dataset: '3 dari 15 UPT'
            value = f"{value} {t('report_of_units', total=item['expected'])}"
        cells = [name, value]
        for which in compared:
            cells += [shown(item[which]), _change(item[f"change_{which}"])]
        rows.append(cells)
    widths = [62, 23, 23, 22, 23, 21] if len(compared) == 2 else [82, 32, 32, 28]
    pdf.table([heading], rows, widths, ["LEFT"] + ["RIGHT"] * (len(widths) - 1), size=8.5)
    # like for like: how many units each change compares (the columns hold the raw totals)
    like = [f"{item['label']}: {text.kpi_note(content, item, provisional=False)}" for item in content.kpi_rows()
            if not item["kpi"].rate and any(item.get(f"like_{w}") is not None for w in compared)]
    if like:
        pdf.para(t("report_note_like") + " " + "; ".join(like) + ".", size=7.5, colour=GREY, space=1)
    if note := text.provisional_note(content):
        pdf.para(note, size=7.5, colour=GREY, space=1)


def highlights(pdf: ReportPDF, number: int) -> None:
    """A few sentences the head can read out: the period against the last, reporting and agreements."""
    content = pdf.content
    lines = text.highlights(content)
    if not lines:
        return
    pdf.section(number, t("report_highlights"), room=35)
    for line in lines:
        pdf.font(9)
        x = pdf.get_x()
        pdf.cell(5, 4.8, "•" if pdf.unicode else "-")
        pdf.set_x(x + 5)
        pdf.multi_cell(pdf.width - 5, 4.8, pdf.clean(line), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)


# ================================================================ charts
def chart_figures(content: Content) -> list[tuple[str, object, int]]:
    """(title, plotly figure, height in px): the overview page's charts, from the same functions."""
    trend = content.trend
    figures = [
        (t("facility_series_loans"),
         ui_charts.trend(trend, [("loans", t("col_loans"), palette.MEASURE["loans"])], height=300,
                         provisional=content.trend_provisional.get("loans")), 300),
        (t("facility_series_visits"),
         ui_charts.trend(trend, [("visitors_library", t("series_library"), ui_charts.LIBRARY),
                                 ("visitors_pusling", t("series_pusling"), ui_charts.PUSLING)], height=300, bars=True,
                         provisional=content.trend_provisional.get("visits"), provisional_columns={"visitors_library"}),
         300),
        (t("facility_series_training"),
         ui_charts.trend(trend, [("training_participants", t("col_participants"),
                                 palette.MEASURE["training_participants"])], height=300,
                         provisional=content.trend_provisional.get("training")),
         300),
    ]
    bars = ui_charts.ranking_bars(content.ranking, "loans", t("col_loans"))
    bars.update_traces(texttemplate="%{customdata[1]}", textposition="outside", cliponaxis=False)
    figures.append((t("report_chart_ranking", period=content.period.label()), bars, int(bars.layout.height or 400)))
    for _, fig, _ in figures:
        # a static image gets no second layout pass: leave room for the tick labels explicitly
        fig.update_layout(margin=dict(l=215 if fig is bars else 64, r=40, t=40, b=44), font=dict(size=12))
        fig.update_xaxes(automargin=False)
        fig.update_yaxes(automargin=False)
    if len(content.map_points):
        province = ui_charts.province_map(
            content.map_points, content.regencies, "loans", t("col_loans"), t("map_rate", base=content.rate_base),
            t("map_no_rate"), width=900, height=820)
        figures.append((t("report_chart_map", base=content.rate_base, period=content.period.label()), province, 820))
    return figures


def draw_charts(pdf: ReportPDF) -> list[tuple[str, bytes, int]]:
    """Every chart as PNG (one browser session); an empty list and a note in the PDF when they cannot be drawn."""
    figures = chart_figures(pdf.content)
    try:
        images = browser.to_png([(fig, height) for _, fig, height in figures], width=900)
    except (browser.BrowserMissing, browser.ChartExportFailed) as exc:
        pdf.extra_warning = str(exc)[:300]
        pdf.content.extra["chart_warning"] = pdf.extra_warning
        return []
    return [(title, png, height) for (title, _, height), png in zip(figures, images)]


def chart(pdf: ReportPDF, title: str, png: bytes, height: int) -> None:
    shown = pdf.width * height / 900
    pdf.keep(shown + 9)
    pdf.font(9.5, "B")
    pdf.cell(0, 6, pdf.clean(title), new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, y=y, w=pdf.width, h=shown)
    pdf.set_y(y + shown + 3)


def trends(pdf: ReportPDF, number: int, images: list) -> None:
    content = pdf.content
    pdf.add_page(orientation="P")
    pdf.section(number, t("report_section_trend"), room=90)
    pdf.para(t("report_trend_span", span=text.span(content.trend["month"].iloc[0], content.trend["month"].iloc[-1])),
             size=8.5, style="I", colour=GREY, space=1)
    if not images:
        pdf.para(t("report_charts_failed", error=str(pdf.extra_warning)[:200]), size=9, style="I", colour=DOWN,
                 space=2)
    for (title, png, height), dataset in zip(images[:3], ("loans", "visits", "training")):
        chart(pdf, title, png, height)
        if note := chart_note(content.trend_provisional.get(dataset) or {}):
            pdf.para(f"* {note}", size=7.5, colour=GREY, space=1)


# ================================================================ tables
RATES = (("loans_rate", "col_loans"), ("visitors_library_rate", "series_library"),
         ("visitors_pusling_rate", "series_pusling"), ("training_participants_rate", "col_participants"))


def facilities(pdf: ReportPDF, number: int, images: list) -> None:
    """The per-facility table on a landscape page (absolute figures and per 100 inmates), then
    the ranking chart on the next (portrait) page."""
    content = pdf.content
    pdf.add_page(orientation="L")
    pdf.section(number, t("report_section_facilities"))
    headers = [
        [(t("report_col_no"), 1, 2), (t("col_facility"), 1, 2), (t("report_in_period"), 5, 1),
         (t("col_occupants"), 1, 2), (t("report_per100_heading", base=content.rate_base), 4, 1)],
        [t("col_loans"), t("series_library"), t("series_pusling"), t("col_sessions"), t("col_participants"),
         *[t(key) for _, key in RATES]],
    ]
    rows = []
    ranking = content.ranking
    for k, r in enumerate(ranking.itertuples(index=False), start=1):
        why = t("no_denominator") if content.no_denominator(r.code) else "–"
        rows.append([str(k), r.short_name, _num(r.loans), _num(r.visitors_library), _num(r.visitors_pusling),
                     _num(r.training_sessions), _num(r.training_participants), _num(r.occupants, why=why),
                     *[_num(getattr(r, column), 1, why=why) for column, _ in RATES]])

    def total(column):
        return pd.to_numeric(ranking[column], errors="coerce").sum(min_count=1)

    rows.append(["", t("report_total_row"), _num(total("loans")), _num(total("visitors_library")),
                 _num(total("visitors_pusling")), _num(total("training_sessions")),
                 _num(total("training_participants")), _num(total("occupants")),
                 *[_num(content.value(column), 1) for column, _ in RATES]])
    widths = [8, 45, 21, 23.5, 16.5, 15, 20.5, 22, 22, 23.5, 22, 22]
    pdf.table(headers, rows, widths, ["CENTER", "LEFT"] + ["RIGHT"] * 10, size=8, heading_rows=2, total=True,
              heading_size=7.5)
    pdf.ln(2)
    pdf.para(t("report_note_rates", base=content.rate_base), size=7.5, style="I", colour=GREY)
    pdf.add_page(orientation="P")
    for title, png, height in images[3:]:
        chart(pdf, title, png, height)


def agreements(pdf: ReportPDF, number: int) -> None:
    content = pdf.content
    pdf.section(number, t("report_section_agreements", date=fmt.day(content.agreements_as_of)), room=60)
    colours = {"expired": FontFace(emphasis="B", color=DOWN), "expiring": FontFace(emphasis="B", color=(150, 100, 0)),
               "active": FontFace(color=TEAL), "none": FontFace(emphasis="I", color=GREY)}
    rows = [[r.short_name, (label("agreement", r.status), colours.get(r.status)),
             r.number if not missing(r.number) else ("–", MISSING),
             fmt.day(r.valid_until) if not missing(r.valid_until) else ("–", MISSING),
             _num(r.days_left), fmt.day(r.last_until) if not missing(r.last_until) else ("–", MISSING)]
            for r in content.agreements.itertuples(index=False)]
    pdf.table([[t("col_facility"), t("col_status"), t("col_number"), t("col_valid_until"), t("col_days_left"),
                t("col_last_until")]], rows, [45, 28, 38, 23, 14, 26],
              ["LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"])


def completeness(pdf: ReportPDF, number: int) -> None:
    content = pdf.content
    pdf.section(number, t("report_section_completeness"), room=70)
    pdf.para(text.completeness_intro(content), size=8.5, colour=GREY, space=1.5)
    frame = content.completeness_by_facility
    rows = [[r.short_name, _num(r.due), _num(r.received), _num(r.late), _num(r.missing),
             fmt.pct(r.completeness, signed=False) if not missing(r.completeness) else ("–", MISSING)]
            for r in frame.itertuples(index=False)]
    if rows:
        due, received = frame["due"].sum(), frame["received"].sum()
        rows.append([t("report_total_row"), _num(due), _num(received), _num(frame["late"].sum()),
                     _num(frame["missing"].sum()), fmt.pct(received / due, signed=False) if due else "–"])
    pdf.table([[t("col_facility"), t("col_reports_due"), t("col_reports_received"), t("col_reports_late"),
                t("col_reports_missing"), t("col_completeness")]], rows, [56, 25, 20, 22, 25, 26],
              ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"], total=bool(rows))
    pdf.subheading(t("completeness_chase"))
    if content.chase.empty:
        pdf.para(t("completeness_nothing_missing"), size=9)
        return
    rows = [[r.short_name, label("dataset", r.dataset), fmt.month(r.since), _num(r.months_missing),
             fmt.month(r.latest_missing)] for r in content.chase.itertuples(index=False)]
    pdf.table([[t("col_facility"), t("col_missing_report"), t("col_since"), t("col_months_missing"),
                t("col_latest_missing")]], rows, [56, 28, 32, 24, 34], ["LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"])


def training(pdf: ReportPDF, number: int) -> None:
    content = pdf.content
    pdf.section(number, t("report_section_training"), room=60)
    if content.sessions.empty:
        pdf.para(t("report_sessions_none"), size=9)
        return
    pdf.subheading(t("report_by_topic"))
    rows = [[label("topic", r.label), _num(r.sessions), _num(r.participants), _num(r.participants_l), _num(r.participants_p)]
            for r in content.topics.itertuples(index=False)]
    pdf.table([[t("col_topic"), t("col_sessions"), t("col_participants"), t("col_participants_l"),
                t("col_participants_p")]], rows, [72, 24, 26, 26, 26], ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"])
    pdf.subheading(t("report_sessions"))
    sessions = content.sessions
    rows = []
    for r in sessions.head(SESSIONS_SHOWN).itertuples(index=False):
        organiser = label("audience", r.organiser) if r.organiser == "tidak disebut" else r.organiser
        rows.append([fmt.day(r.start_date), r.short_name, r.title, organiser, _num(r.participants_l),
                     _num(r.participants_p), _num(r.participants)])
    pdf.table([[t("col_start"), t("col_facility"), t("col_title"), t("col_organiser"), "L", "P",
                t("report_col_total")]], rows, [19.5, 42, 48, 34, 8, 8, 14.5],
              ["LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"], size=7.5)
    if len(sessions) > SESSIONS_SHOWN:
        pdf.para(t("report_sessions_more", n=fmt.num(len(sessions) - SESSIONS_SHOWN)), size=8, style="I",
                 colour=GREY)


def capaian(pdf: ReportPDF, number: int) -> None:
    """A year's report: the LKjIP table (reports.capaian.report_display, the Capaian Kinerja page's rows),
    under the revision of the targets and the months counted; the status in the palette's colours."""
    from reports import capaian as lkjip

    content = pdf.content
    if content.capaian is None:
        return
    pdf.section(number, t("report_section_capaian", year=content.period.start.year), room=80)
    for line in content.capaian_lines:
        pdf.para(line, size=8.5, colour=GREY, space=1)
    frame = lkjip.report_display(content.capaian)
    colours = {t(f"capaian_status_{k}"): FontFace(emphasis="B", color=palette.rgb(c)) for k, c in palette.TARGET.items()}
    rows = []
    for values in frame.itertuples(index=False):
        numbers = [("–", MISSING) if missing(v) else fmt.num(v, 0 if float(v).is_integer() else 1) for v in values[3:-1]]
        name = values[1] if str(values[2]).lower() in str(values[1]).lower() else f"{values[1]} ({values[2]})"
        rows.append([str(values[0]), name, *numbers, (values[-1], colours.get(values[-1]))])
    running = t("capaian_col_prorata") in frame.columns  # the pro-rata columns while the year runs
    widths = [7, 52, 18, 18, 16, 19, 19, 24] if running else [8, 70, 22, 22, 20, 30]
    pdf.table([[c for k, c in enumerate(frame.columns) if k != 2]], rows, widths,
              ["RIGHT", "LEFT"] + ["RIGHT"] * (len(widths) - 3) + ["LEFT"], size=8)


def notes(pdf: ReportPDF) -> None:
    content = pdf.content
    pdf.keep(40)
    pdf.ln(4)
    pdf.font(10, "B")
    pdf.cell(0, 6, pdf.clean(t("report_notes")), new_x="LMARGIN", new_y="NEXT")
    for line in text.notes(content) + [t("report_source")]:
        pdf.para(line, size=8, colour=GREY, height=4, space=1)


def signature(pdf: ReportPDF) -> None:
    """The signature block at the end, in the right half: place and date, title, room to sign, name, NIP."""
    block = text.signature(pdf.content)
    pdf.keep(58)
    pdf.ln(8)
    left, width = pdf.l_margin + pdf.width * 0.52, pdf.width * 0.48

    def line(value, style="", height=5.0):
        pdf.set_x(left)
        pdf.font(9.5, style)
        pdf.multi_cell(width, height, pdf.clean(value), align="C", new_x="LMARGIN", new_y="NEXT")

    line(block["date"])
    line(block["title"])
    pdf.ln(22)
    line(block["name"], "BU" if not block["name"].startswith(".") else "")
    line(block["nip"])


def build(content: Content) -> bytes:
    """The PDF's bytes (call inside ``ui.i18n.use_lang``). Charts need a browser: without one
    :class:`reports.browser.BrowserMissing` is raised before anything is drawn."""
    if browser.find_browser() is None:
        raise browser.BrowserMissing(settings.get("PANTAU_CHROMIUM") or "chromium")
    pdf = ReportPDF(content)
    pdf.extra_warning = None
    pdf.add_page()
    letterhead(pdf)
    title_block(pdf)
    summary(pdf, 1)
    highlights(pdf, 2)
    images = draw_charts(pdf)
    trends(pdf, 3, images)
    facilities(pdf, 4, images)
    agreements(pdf, 5)
    completeness(pdf, 6)
    training(pdf, 7)
    capaian(pdf, 8)
    notes(pdf)
    signature(pdf)
    return bytes(pdf.output())
