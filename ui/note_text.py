"""Notes on a unit's month as text, in the page language: the lines reports list and the hover
texts of a unit's charts (no Streamlit widgets here: ``python -m etl report`` uses it too)."""

from __future__ import annotations

import html

import pandas as pd

from ui import fmt
from ui.i18n import label, t


def dataset_label(dataset: str) -> str:
    return t("notes_all_reports") if dataset == "all" else label("dataset", dataset)


def line(row) -> str:
    """'Rutan Rantau, Oktober 2026, Semua laporan: tutup; perpustakaan tutup renovasi'."""
    parts = ([t("notes_closed_word")] if bool(row["closed"]) else []) + ([str(row["text"])] if row["text"] else [])
    return f"{row['short_name']}, {fmt.month(row['month'])}, {dataset_label(row['dataset'])}: {'; '.join(parts)}"


def lines(frame: pd.DataFrame) -> list[str]:
    return [line(row) for _, row in frame.iterrows()]


def chart_notes(frame: pd.DataFrame, dataset: str) -> dict[pd.Timestamp, str]:
    """Per month, the notes (of ``dataset`` or of all reports) as one hover text for a unit's chart
    (the texts HTML-escaped: Plotly reads tags in hover texts)."""
    out: dict[pd.Timestamp, list[str]] = {}
    for _, row in frame[frame["dataset"].isin(("all", dataset))].iterrows():
        text = ([t("notes_closed_word")] if bool(row["closed"]) else []) + ([html.escape(row["text"])] if row["text"] else [])
        out.setdefault(pd.Timestamp(row["month"]), []).append("; ".join(text))
    return {month: "<br>".join(texts) for month, texts in out.items()}


def unit_month_notes(frame: pd.DataFrame, dataset: str) -> dict[tuple[str, pd.Timestamp], str]:
    """Per (unit code, month), the notes (of ``dataset`` or of all reports) as one line for a table's hover:
    'Catatan: tutup; perpustakaan tutup renovasi'."""
    out: dict[tuple[str, pd.Timestamp], list[str]] = {}
    for _, row in frame[frame["dataset"].isin(("all", dataset))].iterrows():
        text = ([t("notes_closed_word")] if bool(row["closed"]) else []) + ([html.escape(row["text"])] if row["text"] else [])
        out.setdefault((row["code"], pd.Timestamp(row["month"])), []).append("; ".join(text))
    return {key: f"{t('notes_marker')}: {' · '.join(texts)}" for key, texts in out.items()}
