"""Reports the head of Dispersip sends: a period's figures as an xlsx workbook
and as a PDF on the letterhead, equal to the dashboard's for the same filter.

No Streamlit here: the Laporan page and ``python -m etl report`` both call
:func:`build`. Texts and numbers follow ``ui.i18n``'s language, set with
``use_lang`` by the caller or here from ``lang``.
"""

from __future__ import annotations

import datetime as dt
from types import ModuleType

from etl.safety import safe_filename
from reports.content import Content, NoReports, Queries, gather
from reports.period import Period, PeriodError, parse

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}

__all__ = ["FORMATS", "Content", "NoReports", "Period", "PeriodError", "Queries", "ReportError", "build", "file_name",
           "gather", "parse", "pdf_available", "render", "write_file"]


class ReportError(Exception):
    """A report that cannot be made as asked; the message is one line for the user."""


def render(content: Content, fmt: str, lang: str | None = None) -> bytes:
    """The document's bytes for gathered ``content``: ``xlsx`` or ``pdf``.
    A PDF without a browser raises :class:`reports.browser.BrowserMissing`."""
    from ui.i18n import use_lang

    with use_lang(lang or _current_lang()):
        if fmt == "xlsx":
            from reports import xlsx

            return xlsx.build(content)
        if fmt == "pdf":
            from reports import pdf

            return pdf.build(content)
    raise ValueError(f"unknown report format {fmt!r}")


def build(period: Period, facilities: tuple[str, ...] | None = None, fmt: str = "xlsx", lang: str | None = None,
          today: dt.date | None = None, queries: type[Queries] | ModuleType = Queries) -> tuple[Content, bytes]:
    """Gather the figures for ``period`` and ``facilities`` (None = every unit) and write them."""
    from ui.i18n import use_lang

    with use_lang(lang or _current_lang()):
        content = gather(period, facilities, today, queries)
        return content, render(content, fmt, lang)


def file_name(content: Content, fmt: str, lang: str | None = None) -> str:
    """A safe download name: ``laporan_pantau-literasi_2024-08.pdf`` (``report_...`` in English)."""
    stem = "report" if (lang or _current_lang()) == "en" else "laporan"
    code = content.period.code.replace("..", "_sd_")
    extra = "" if content.all_facilities else (f"_{content.codes[0]}" if len(content.codes) == 1
                                               else f"_{len(content.codes)}-upt")
    return safe_filename(f"{stem}_pantau-literasi_{code}{extra}") + f".{fmt}"


def pdf_available() -> str | None:
    """The browser the PDF's charts are drawn with, or None (then the PDF is unavailable)."""
    from reports.browser import find_browser

    return find_browser()


def _current_lang() -> str:
    from ui.i18n import lang

    return lang()


def write_file(period_text: str, facilities: list[str] | None, fmt: str | None, output: str,
               lang: str | None = None) -> tuple[str, list[str]]:
    """``python -m etl report``: read the period, gather, write ``output`` (a file, or a folder
    to get the default name). Returns the line to print and any warnings (charts that could not
    be drawn). Raises :class:`ReportError`."""
    from pathlib import Path

    from reports.browser import BrowserMissing
    from warehouse.settings import today
    from ui.i18n import t, use_lang
    from warehouse import metrics, settings

    lang = lang or settings.get("PANTAU_LANG")
    with use_lang(lang):
        target = Path(output)
        folder = target if target.is_dir() or output.endswith(("/", "\\")) else target.parent
        if not folder.is_dir():
            raise ReportError(t("report_no_folder", path=folder))
        fmt = fmt or target.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise ReportError(t("report_need_format", output=output))
        first, last = metrics.data_range()
        if last is None:
            raise ReportError(t("report_no_data"))
        try:
            period = parse(period_text, today=today(), latest=last)
        except PeriodError:
            raise ReportError(t("report_bad_period", value=period_text)) from None
        codes = None
        if facilities:
            units = metrics.facilities()
            holding = set(units["code"])
            for code in facilities:
                if code not in holding:
                    raise ReportError(t("report_no_inmates", name=code))
            codes = tuple(facilities)
        if fmt == "pdf" and pdf_available() is None:
            raise ReportError(t("report_no_browser_cli", where=settings.get("PANTAU_CHROMIUM") or "PATH, /usr/bin/chromium"))
        try:
            content, data = build(period, codes, fmt, lang)
        except NoReports:
            raise ReportError(t("report_nothing_cli", period=period.label())) from None
        except BrowserMissing:
            raise ReportError(t("report_no_browser_cli", where=settings.get("PANTAU_CHROMIUM") or "PATH")) from None
        if target.is_dir() or output.endswith(("/", "\\")):
            target = folder / file_name(content, fmt, lang)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        warnings = [t("report_charts_failed", error=content.extra["chart_warning"])] \
            if content.extra.get("chart_warning") else []
        line = t("report_written", period=content.period.label(), n=len(content.codes), path=target)
        from ui.provisional import report_items

        if items := report_items(content.statuses):  # the figures still waiting for reports, named
            line += "\n" + t("report_cli_provisional", items="; ".join(items))
        return line, warnings
