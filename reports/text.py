"""Phrases both documents share: the letterhead, the title, the facilities line
and the notes (in the language of ``ui.i18n.use_lang``)."""

from __future__ import annotations

import datetime as dt

from reports.period import ROMAN, span_label
from ui import fmt
from ui.i18n import label, t
from warehouse import metrics, settings

KOP = ("PANTAU_KOP_GOVERNMENT", "PANTAU_KOP_AGENCY", "PANTAU_KOP_ADDRESS", "PANTAU_KOP_CONTACT")


def kop_lines() -> list[str]:
    """The letterhead's four lines (settings); a line set to '-' is left out (empty)."""
    lines = [str(settings.get(name) or "").strip() for name in KOP]
    return ["" if line == "-" else line for line in lines]


def logo() -> str | None:
    """The emblem beside the letterhead (``PANTAU_KOP_LOGO``), when the file is there."""
    from pathlib import Path

    path = str(settings.get("PANTAU_KOP_LOGO") or "").strip()
    return path if path and Path(path).is_file() else None


def heading(content) -> str:
    """'LAPORAN BULANAN', 'LAPORAN TRIWULAN', ..."""
    return t(f"report_doc_{content.period.kind}")


def document_title(content) -> str:
    """'Laporan Bulanan Oktober 2026', 'Laporan Tahunan 2025' (headers, footers, file properties)."""
    period = content.period
    name = str(period.start.year) if period.kind == "year" and period.complete else period.label()
    kind = heading(content).title()
    first, _, rest = name.partition(" ")
    if rest and kind.split()[-1].lower().startswith(first.lower()):  # 'Triwulan III 2026': not 'Triwulan Triwulan'
        name = rest
    return f"{kind} {name}"


def subject() -> str:
    return t("report_doc_subject")


def span(start, end) -> str:
    """A compared period as a column heading: 'Okt 2026', 'Triwulan III 2026', '2025' or
    'Jan 2026 – Mei 2026' (dates or pandas timestamps)."""
    def day(value):
        return value.date() if isinstance(value, dt.datetime) else value

    start, end = day(start), day(end)
    if start.year == end.year and (start.month, end.month) == (1, 12):
        return str(start.year)
    if start.year == end.year and start.month % 3 == 1 and end.month == start.month + 2:
        return t("report_quarter_short", q=ROMAN[start.month // 3], n=start.month // 3 + 1, year=start.year)
    return span_label(start, end)


def facilities_line(content) -> str:
    names = list(content.facilities["short_name"])
    if content.all_facilities:
        return t("report_facilities_all", n=len(names))
    return t("report_facilities_some", n=len(names), names=", ".join(names))


def completeness_intro(content) -> str:
    return t("report_completeness_intro", day=settings.get("PANTAU_REPORT_DEADLINE_DAY"), date=fmt.day(content.today))


def notes(content) -> list[str]:
    return [t("report_note_rates", base=content.rate_base), t("report_note_borrowers"), t("report_note_missing")]


def highlights(content) -> list[str]:
    """A few sentences the head can read out: the period against the last, reporting, agreements."""
    names = {which: span(content.reference(which).start, content.reference(which).end)
             for which in content.comparisons}
    lines = []
    for column, key in (("loans", "report_hl_loans"), ("visitors", "report_hl_visitors"),
                        ("training_participants", "report_hl_participants")):
        value = content.value(column)
        if value is None:
            continue
        parts = []
        for period, name in names.items():
            moved = metrics.change(value, content.value(column, period))
            if moved is not None:
                parts.append(t("report_hl_vs", change=fmt.pct(moved), when=name))
        lines.append(t(key, value=fmt.num(value), changes="; ".join(parts) or t("no_comparison")))
    matrix = content.completeness
    due = matrix[matrix["status"] != "not_due"]
    if len(due):
        lines.append(t("report_hl_completeness", received=fmt.num((due["status"] != "missing").sum()),
                       due=fmt.num(len(due)), share=fmt.pct((due["status"] != "missing").mean(), signed=False),
                       late=fmt.num((due["status"] == "late").sum()), missing=fmt.num((due["status"] == "missing").sum())))
    status = content.agreements
    counts = status["status"].value_counts()
    attention = []
    for key in ("expired", "expiring", "none"):
        names = list(status.loc[status["status"] == key, "short_name"])
        if names:
            attention.append(f"{label('agreement', key)}: {', '.join(names)}")
    detail = "; ".join(attention)
    lines.append(t("report_hl_agreements", active=int(counts.get("active", 0) + counts.get("expiring", 0)),
                   n=len(status), date=fmt.day(content.agreements_as_of))
                 + (f" {detail[:1].upper()}{detail[1:]}." if detail else ""))
    return lines
