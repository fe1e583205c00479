"""The per-file report staff read after a load, as lines of text (CLI) or rows
(upload page, xlsx export)."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from etl.i18n import fmt_date, fmt_int, fmt_month, normalise_lang, translate
from etl.messages import Problem
from etl.safety import safe_cell
from etl.specs import DATASETS

TEXT = {
    "header": ("== {name} ({fmt})", "== {name} ({fmt})"),
    "dataset_line": ("{dataset}: {coverage}; {loaded} baris dimuat, {rejected} ditolak{batch}.",
                     "{dataset}: {coverage}; {loaded} rows loaded, {rejected} refused{batch}."),
    "dataset_check": ("{dataset}: {coverage}; {valid} baris valid, {rejected} bermasalah.",
                      "{dataset}: {coverage}; {valid} valid rows, {rejected} with problems."),
    "batch": (" (batch #{id})", " (batch #{id})"),
    "same_file": ("{dataset}: berkas yang sama sudah dimuat sebagai batch #{id}; tidak ada yang berubah.",
                  "{dataset}: the same file was already loaded as batch #{id}; nothing changed."),
    "replaces": ("  Mengganti data {facility} {month}: batch #{id}, diunggah {when} oleh {who}.",
                 "  Replaces {facility} {month}: batch #{id}, uploaded {when} by {who}."),
    "refused": ("Berkas ditolak: {n} galat, tidak ada yang dimuat. Perbaiki lalu muat lagi, atau pakai --accept-valid "
                "untuk memuat baris yang valid saja.",
                "File refused: {n} errors, nothing loaded. Fix them and load again, or use --accept-valid to load "
                "the valid rows only."),
    "refused_one": ("Berkas ditolak: {n} galat, tidak ada yang dimuat. Perbaiki lalu muat lagi, atau pakai "
                    "--accept-valid untuk memuat baris yang valid saja.",
                    "File refused: {n} error, nothing loaded. Fix it and load again, or use --accept-valid to load "
                    "the valid rows only."),
    "dry_run": ("(uji coba: tidak ada yang disimpan)", "(dry run: nothing was saved)"),
    "errors": ("Galat ({n}):", "Errors ({n}):"),
    "warnings": ("Peringatan ({n}):", "Warnings ({n}):"),
    "info": ("Catatan ({n}):", "Notes ({n}):"),
    "more": ("  ... dan {n} lagi (lihat ekspor xlsx).", "  ... and {n} more (see the xlsx export)."),
    "months": ("{n} bulan", "{n} months"),
    "months_one": ("{n} bulan", "{n} month"),
    "facilities": ("{n} fasilitas", "{n} facilities"),
    "no_rows": ("tidak ada baris", "no rows"),
}


def t(key: str, lang: str, **kw) -> str:
    return translate(TEXT, key, lang, **kw)


def coverage_text(cells, register, lang: str = "id") -> str:
    """``Lapas Banjarmasin Jan 2024–Des 2024 (12 bulan)``; several facilities joined by '; '."""
    if not cells:
        return t("no_rows", lang)
    by_facility: dict[str, set[dt.date]] = defaultdict(set)
    for facility, month, *_ in cells:
        by_facility[facility].add(month)
    by_span: dict[str, list[str]] = defaultdict(list)
    for facility in sorted(by_facility):
        months = sorted(by_facility[facility])
        span = fmt_month(months[0], lang, long=False)
        if months[-1] != months[0]:
            span += "–" + fmt_month(months[-1], lang, long=False)
        label = register.label(facility) if facility in register.by_code else facility
        by_span[f"{span} ({t('months_one' if len(months) == 1 else 'months', lang, n=len(months))})"].append(label)
    parts = []
    for span, labels in by_span.items():
        who = ", ".join(labels) if len(labels) <= 3 else t("facilities", lang, n=len(labels))
        parts.append(f"{who} {span}")
    return "; ".join(parts)


def file_lines(result, outcome, register, lang: str = "id", limit: int = 30) -> list[str]:
    """The text report of one file: what was recognised, what loaded, what was refused and why."""
    lang = normalise_lang(lang)
    lines = [t("header", lang, name=result.name, fmt=result.format or "?")]
    by_dataset = {b.dataset: b for b in outcome.batches} if outcome else {}
    for dataset in result.datasets:
        title = DATASETS[dataset].title_en if lang == "en" else DATASETS[dataset].title_id
        cells = result.cells(dataset)
        rejected = len(result.rejected(dataset))
        b = by_dataset.get(dataset)
        if b is None:
            lines.append(t("dataset_check", lang, dataset=title, coverage=coverage_text(cells, register, lang),
                           valid=fmt_int(len(result.records(dataset)), lang), rejected=fmt_int(rejected, lang)))
            continue
        if b.duplicate_of is not None:
            lines.append(t("same_file", lang, dataset=title, id=b.duplicate_of))
            continue
        batch = t("batch", lang, id=b.batch_id) if b.batch_id else ""
        lines.append(t("dataset_line", lang, dataset=title, coverage=coverage_text(cells, register, lang),
                       loaded=fmt_int(b.rows_loaded, lang), rejected=fmt_int(b.rows_rejected, lang), batch=batch))
        for r in b.replaced:
            label = register.label(r.facility_code) if r.facility_code in register.by_code else r.facility_code
            lines.append(t("replaces", lang, facility=label, month=fmt_month(r.month, lang), id=r.batch_id,
                           when=fmt_date(r.loaded_at, lang), who=r.loaded_by))
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        found = [p for p in result.problems if p.severity == severity]
        if not found:
            continue
        lines.append(t(key, lang, n=fmt_int(len(found), lang)))
        lines += ["  " + p.text(lang) for p in found[:limit]]
        if len(found) > limit:
            lines.append(t("more", lang, n=fmt_int(len(found) - limit, lang)))
    if outcome is None and result.errors:
        lines.append(t("refused_one" if len(result.errors) == 1 else "refused", lang,
                       n=fmt_int(len(result.errors), lang)))
    if outcome is not None and outcome.dry_run:
        lines.append(t("dry_run", lang))
    return lines


def problems_xlsx(problems: list[Problem], lang: str = "id") -> bytes:
    """The validation report as an xlsx workbook (text cells neutralised against formula injection)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Laporan" if normalise_lang(lang) == "id" else "Report")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    rows = [p.as_row(lang) for p in problems]
    headers = list(rows[0]) if rows else list(Problem("error", "bad_date", "").as_row(lang))
    sheet.write_row(0, 0, headers, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row.values()):
            sheet.write(r, c, safe_cell(value))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 5, 14)
    sheet.set_column(6, 6, 100)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
