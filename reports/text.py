"""Phrases both documents share: the letterhead, the title, the facilities line
and the notes (in the language of ``ui.i18n.use_lang``)."""

from __future__ import annotations

import datetime as dt

from reports.period import ROMAN, span_label
from ui import fmt, note_text
from ui.i18n import label, t
from warehouse import completeness, metrics, settings

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


def letter_number() -> str | None:
    """'Nomor: 400.14/123/Dispersip' (``PANTAU_LETTER_NUMBER``), or None when not set."""
    number = str(settings.get("PANTAU_LETTER_NUMBER") or "").strip()
    return t("report_letter_number", number=number) if number else None


def long_day(value: dt.date) -> str:
    """'30 November 2026' (the month spelled out in the page language)."""
    return f"{value.day} {fmt.month(value)}"


def signature(content) -> dict[str, str]:
    """The signature block: place and date, the official's title, name and NIP (dots where not set)."""
    place = str(settings.get("PANTAU_SIGN_PLACE") or "").strip()
    when = long_day(content.today)
    name = str(settings.get("PANTAU_SIGN_NAME") or "").strip()
    nip = str(settings.get("PANTAU_SIGN_NIP") or "").strip()
    return {"date": f"{place}, {when}" if place else when,
            "title": str(settings.get("PANTAU_SIGN_TITLE") or "").strip(),
            "name": name or "." * 40,
            "nip": t("report_sign_nip", nip=nip or "." * 30)}


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


def provisional_note(content) -> str | None:
    """'* Sementara: Kunjungan Okt 2026 (belum masuk: Lapas A, Rutan B).' (None when every report is in)."""
    from ui.provisional import report_items

    items = report_items(content.statuses)
    return t("report_note_provisional", items="; ".join(items)) if items else None


def notes(content) -> list[str]:
    lines = [t("report_note_rates", base=content.rate_base), t("report_note_borrowers"), t("report_note_missing"),
             t("report_note_like")]
    if len(content.unit_notes):  # staff's notes on the units' months of the period
        lines += [t("report_unit_notes", note=line) for line in note_text.lines(content.unit_notes)]
    lines += [t("report_note_flag", text=text) for text in content.open_flags]
    provisional = provisional_note(content)
    return lines + ([provisional] if provisional else [])


def kpi_note(content, item: dict, provisional: bool = True) -> str:
    """The summary's note on one figure: 'sementara*' (unless ``provisional`` is False) and how many
    units each change compares."""
    parts = [f"{t('prov_mark')}*"] if provisional and item.get("provisional") else []
    if item.get("expected") is not None:
        parts.append(t("report_of_units", total=item["expected"]))
    for which in content.comparisons:
        compared = item.get(f"like_{which}")
        if compared is not None:
            units = t("report_like_units", n=compared.units, total=len(content.codes))
            parts.append(units if len(content.comparisons) == 1 else
                         f"{span(content.reference(which).start, content.reference(which).end)} {units}")
    return "; ".join(parts)


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
            if content.like is not None:  # like for like, as the summary and the dashboard
                compared = metrics.like_change(content.like, period, column)
                moved = compared.change if compared is not None else moved
            if moved is not None:
                parts.append(t("report_hl_vs", change=fmt.pct(moved), when=name))
        lines.append(t(key, value=fmt.num(value), changes="; ".join(parts) or t("no_comparison")))
    lines += units_highlights(content)
    if provisional := provisional_note(content):
        lines.append(provisional.lstrip("* "))
    matrix = content.completeness
    due = matrix[~matrix["status"].isin(completeness.NOT_EXPECTED_YET)]
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


NAMED = 2   # units named per highlight


def _names(frame, column: str, digits: int, percent: bool = False) -> str:
    return ", ".join(f"{r.short_name} ({fmt.pct(getattr(r, column)) if percent else fmt.num(getattr(r, column), digits)})"
                     for r in frame.itertuples(index=False))


def units_highlights(content) -> list[str]:
    """The units by name: those without any report in the period, the lowest in loans per 100 inmates,
    and those whose loans rose and fell most against the previous period."""
    ranking = content.ranking
    lines = []
    silent = ranking[ranking["months_reported"].fillna(0) == 0]
    if len(silent):
        lines.append(t("report_hl_silent", names=", ".join(silent["short_name"])))
    rated = ranking.dropna(subset=["loans_rate"]).sort_values(["loans_rate", "short_name"])
    if len(rated) > 1:   # the lowest, never every unit that has a rate
        lowest = rated.head(min(NAMED, len(rated) - 1))
        lines.append(t("report_hl_lowest", base=content.rate_base, names=_names(lowest, "loans_rate", 1)))
    before = content.ranking_previous
    if before is not None and len(before):
        both = ranking[["code", "short_name", "loans"]].merge(
            before[["code", "loans"]].rename(columns={"loans": "before"}), on="code")
        both = both[both["loans"].notna() & both["before"].notna() & (both["before"] > 0)].copy()
        both["moved"] = both["loans"] / both["before"] - 1
        up = both[both["moved"] > 0].sort_values(["moved", "short_name"], ascending=[False, True]).head(NAMED)
        down = both[both["moved"] < 0].sort_values(["moved", "short_name"]).head(NAMED)
        when = span(content.reference("previous").start, content.reference("previous").end)
        if len(up) or len(down):
            lines.append(t("report_hl_moved", when=when, up=_names(up, "moved", 1, True) or "–",
                           down=_names(down, "moved", 1, True) or "–"))
    return lines
