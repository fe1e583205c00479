"""What staff must see before a file loads: the values that need a check
(:mod:`warehouse.anomaly`) and, when the file replaces reports already loaded,
the old and new totals per dataset and month ("Peminjaman Oktober 2026: 627 -> 3").

A replacement that removes more than half of a month's figure, or a flagged
value, loads only when the person loading says so: a note for the flags, an
explicit confirmation for the drop (:func:`warehouse.load.load_file` with
``checks=True`` enforces both inside its transaction). The command line and the
upload page show the same lines, built here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.i18n import fmt_int, fmt_month, normalise_lang, translate
from warehouse import anomaly
from warehouse.db import connect

TEXT: dict[str, tuple[str, str]] = {
    "flags": ("Perlu dicek ({n}):", "Needs a check ({n}):"),
    "totals": ("Yang diganti, total lama -> baru:", "Being replaced, old -> new total:"),
    "total": ("{report} {month}: {old} -> {new}", "{report} {month}: {old} -> {new}"),
    "needs_note": ("Tidak dimuat: {n} nilai perlu dicek. Bila angkanya benar, muat lagi dengan "
                   "--note \"alasan singkat\".",
                   "Not loaded: {n} values need a check. If the figures are right, load again with "
                   "--note \"a short reason\"."),
    "needs_note_one": ("Tidak dimuat: {n} nilai perlu dicek. Bila angkanya benar, muat lagi dengan "
                       "--note \"alasan singkat\".",
                       "Not loaded: {n} value needs a check. If the figure is right, load again with "
                       "--note \"a short reason\"."),
    "needs_replace": ("Tidak dimuat: penggantian ini menghapus lebih dari separuh angka {drops}. Bila memang "
                      "benar, muat lagi dengan --replace-anyway.",
                      "Not loaded: this replacement removes more than half of {drops}. If that is right, load "
                      "again with --replace-anyway."),
}


def say(key: str, lang: str = "id", **kw) -> str:
    return translate(TEXT, key, lang, **kw)


@dataclass(frozen=True)
class Total:
    """One dataset-month of a replacement: the figure of the cells the file replaces, now and after."""
    dataset: str
    month: dt.date
    old: int
    new: int

    @property
    def halves(self) -> bool:
        """Removes more than half of the figure."""
        return self.old > 0 and self.new * 2 < self.old

    def text(self, lang: str = "id") -> str:
        return say("total", lang, report=anomaly.report_label(self.dataset, "", lang), month=fmt_month(self.month, lang),
                   old=fmt_int(self.old, lang), new=fmt_int(self.new, lang))

    def short(self, lang: str = "id") -> str:
        """"Peminjaman Oktober 2026 (627 -> 3)"."""
        return (f"{anomaly.report_label(self.dataset, '', lang)} {fmt_month(self.month, lang)} "
                f"({fmt_int(self.old, lang)} -> {fmt_int(self.new, lang)})")


@dataclass
class PreCheck:
    flags: list[anomaly.Flag] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)

    @property
    def drops(self) -> list[Total]:
        return [t for t in self.totals if t.halves]

    def lines(self, lang: str = "id") -> list[str]:
        """The report's lines (command line): the flags, then the replacement totals."""
        lang = normalise_lang(lang)
        out = []
        if self.flags:
            out.append(say("flags", lang, n=fmt_int(len(self.flags), lang)))
            out += ["  " + f.text(lang) for f in self.flags]
        if self.totals:
            out.append(say("totals", lang))
            out += ["  " + t.text(lang) for t in self.totals]
        return out

    def refusal(self, lang: str = "id", note: str | None = None, replace_anyway: bool = False) -> str | None:
        """Why the command line will not load this without an option; None when it may."""
        if self.flags and not (note or "").strip():
            return say("needs_note_one" if len(self.flags) == 1 else "needs_note", lang,
                       n=fmt_int(len(self.flags), lang))
        if self.drops and not replace_anyway:
            return say("needs_replace", lang, drops="; ".join(t.short(lang) for t in self.drops))
        return None


def replacement_totals(con: duckdb.DuckDBPyConnection, result, memo: dict | None = None) -> list[Total]:
    """Per dataset and month of ``result``, the totals of the cells it would replace, before and
    after (the same file again replaces nothing)."""
    totals = []
    for dataset in result.datasets:
        if dataset not in anomaly.MEASURES:
            continue
        same = con.execute("SELECT 1 FROM batch WHERE sha256 = ? AND dataset = ? AND undone_at IS NULL",
                           [result.sha256, dataset]).fetchone()
        if same:
            continue
        incoming, now = anomaly.cell_values(con, result, dataset, memo)
        if not incoming:
            continue
        sums: dict[dt.date, list[int]] = {}
        for cell, new in incoming.items():
            if cell in now:
                pair = sums.setdefault(cell[1], [0, 0])
                pair[0] += now[cell]
                pair[1] += new
        totals += [Total(dataset, m, old, new) for m, (old, new) in sorted(sums.items())]
    return totals


def run(con: duckdb.DuckDBPyConnection, result, totals: bool = True) -> PreCheck:
    """The flags (stored with the batch) and, with ``totals``, the replacement totals (shown only)."""
    memo: dict = {}  # each dataset's values read once for both
    return PreCheck(anomaly.check(con, result, memo), replacement_totals(con, result, memo) if totals else [])


def precheck(result, path: Path | None = None) -> PreCheck:
    """The flags and replacement totals of loading ``result`` now (read only)."""
    with connect(path) as con:
        return run(con, result)
