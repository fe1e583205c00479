"""Yearly performance targets (Perjanjian Kinerja): the indicators that take a
target, the blank template an admin fills in, and the reader of a filled one.

Pure core like the rest of ``etl``: what the warehouse stores and how a
realisation is computed live in :mod:`warehouse.targets`. A target sheet has
one row per year, indicator and unit (an empty unit = the province); every
refused cell is reported in one Indonesian (or English) sentence naming it, and
a file with any refused cell loads nothing.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from etl.facilities import FacilityNotFound, Register
from etl.safety import safe_cell
from etl.specs import header_key


@dataclass(frozen=True)
class TargetIndicator:
    key: str
    name_id: str
    name_en: str
    unit_id: str
    unit_en: str
    kind: str          # sum: a yearly total that accrues month by month; level: a rate, share or count at a moment
    definition: str    # the key of the Definisi Indikator entry (warehouse.indicators) that defines the figure
    percent: bool = False

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_id

    @property
    def digits(self) -> int:
        """Decimals shown: none for a total or a count of units, one for a rate or a share."""
        return 1 if self.kind == "level" and self.key != "agreements_active" else 0


TARGET_INDICATORS: tuple[TargetIndicator, ...] = (
    TargetIndicator("loans", "Jumlah peminjaman buku", "Number of loans", "peminjaman", "loans", "sum", "loans"),
    TargetIndicator("loans_per_capita", "Peminjaman per 100 WBP per bulan", "Loans per 100 inmates per month",
                    "per 100 WBP per bulan", "per 100 inmates per month", "level", "loans_per_capita"),
    TargetIndicator("visitors_library", "Pengunjung perpustakaan UPT", "Visitors of the units' libraries",
                    "pengunjung", "visitors", "sum", "visits_per_capita"),
    TargetIndicator("visits_per_capita", "Pengunjung perpustakaan per 100 WBP per bulan",
                    "Library visitors per 100 inmates per month", "per 100 WBP per bulan",
                    "per 100 inmates per month", "level", "visits_per_capita"),
    TargetIndicator("training_sessions", "Kegiatan pelatihan literasi", "Literacy training sessions", "kegiatan",
                    "sessions", "sum", "training_per_capita"),
    TargetIndicator("training_participants", "Peserta pelatihan literasi", "Literacy training participants",
                    "orang", "people", "sum", "training_per_capita"),
    TargetIndicator("agreements_active", "UPT dengan PKS berlaku", "Units with an agreement in force", "UPT",
                    "units", "level", "agreement_status"),
    TargetIndicator("completeness", "Kelengkapan laporan bulanan", "Monthly report completeness", "%", "%",
                    "level", "completeness", percent=True),
)
BY_KEY = {i.key: i for i in TARGET_INDICATORS}

PROVINCE_WORDS = {"", "provinsi", "province", "kalsel", "semua", "all", "-"}
HEADERS = (("year", "Tahun", "Year"), ("indicator", "Indikator", "Indicator"),
           ("facility", "Fasilitas", "Unit"), ("value", "Target", "Target"))
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024

MESSAGES = {
    "too_big": ("Berkas target terlalu besar (lebih dari 5 MB); templat target cukup beberapa puluh baris.",
                "The target file is too large (over 5 MB); a target template needs a few dozen rows."),
    "unpacked": ("Berkas target berisi lebih dari 50 MB setelah dibuka; templat target cukup beberapa puluh baris.",
                 "The target file holds over 50 MB once unpacked; a target template needs a few dozen rows."),
    "unreadable": ("Berkas target tidak bisa dibaca sebagai xlsx; unduh templat target dan isi di sana.",
                   "The target file cannot be read as xlsx; download the target template and fill it in."),
    "no_header": ("Sheet '{sheet}' tidak punya baris judul Tahun, Indikator, Fasilitas, Target.",
                  "Sheet '{sheet}' has no header row Year, Indicator, Unit, Target."),
    "too_many": ("Sheet '{sheet}' punya lebih dari {n} baris; templat target cukup beberapa puluh baris.",
                 "Sheet '{sheet}' has more than {n} rows; a target template needs a few dozen rows."),
    "year": ("Sel {cell}: tahun '{value}' tidak valid; tulis tahun empat angka, mis. 2026.",
             "Cell {cell}: year '{value}' is not valid; write a four-digit year, e.g. 2026."),
    "indicator": ("Sel {cell}: indikator '{value}' tidak dikenal; pakai kode atau nama dari sheet Petunjuk.",
                  "Cell {cell}: indicator '{value}' is unknown; use a code or name from the Instructions sheet."),
    "facility": ("Sel {cell}: fasilitas '{value}' tidak dikenali di register; kosongkan untuk target provinsi.",
                 "Cell {cell}: unit '{value}' is not in the register; leave it empty for a province target."),
    "value": ("Sel {cell}: target '{value}' bukan angka nol atau lebih.",
              "Cell {cell}: target '{value}' is not a number of zero or more."),
    "percent": ("Sel {cell}: target kelengkapan {value} lebih dari 100 persen.",
                "Cell {cell}: completeness target {value} is over 100 per cent."),
    "twice": ("Sel {cell}: {indicator} {year} untuk {unit} sudah ada di baris {first}.",
              "Cell {cell}: {indicator} {year} for {unit} is already in row {first}."),
    "empty": ("Berkas target tidak berisi satu baris target pun.", "The target file holds no target row."),
}


class TargetFileError(ValueError):
    """A target file that loads nothing; ``messages`` holds one sentence per refused cell."""

    def __init__(self, messages: list[str]):
        super().__init__(messages[0] if messages else "")
        self.messages = messages


def message(key: str, lang: str = "id", **kw) -> str:
    text = MESSAGES[key][1 if lang == "en" else 0]
    return text.format(**kw)


def _indicator_names() -> dict[str, str]:
    names = {}
    for ind in TARGET_INDICATORS:
        for text in (ind.key, ind.name_id, ind.name_en):
            names[header_key(text)] = ind.key
    return names


def check_value(indicator: str, value) -> float | None:
    """The target as a number, or None when it is not one a target can be (negative, not finite,
    a completeness above 100 per cent)."""
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0:
        return None
    if BY_KEY[indicator].percent and number > 100:
        return None
    return number


def _cell(col: int, row: int) -> str:
    return f"{chr(ord('A') + col)}{row}"


def read_targets(data: bytes, register: Register, lang: str = "id") -> list[tuple[int, str, str, float]]:
    """The rows of a filled target template: (year, indicator key, facility code or '' for the
    province, value). Raises :class:`TargetFileError` with every refused cell; nothing is half-read."""
    import openpyxl

    if len(data) > MAX_BYTES:
        raise TargetFileError([message("too_big", lang)])
    try:  # a zip that unpacks to far more than a target sheet holds is refused before openpyxl opens it
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED or len(archive.infolist()) > 200:
                raise TargetFileError([message("unpacked", lang)])
    except TargetFileError:
        raise
    except Exception:
        raise TargetFileError([message("unreadable", lang)]) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any damaged or foreign file: one sentence, never a traceback
        raise TargetFileError([message("unreadable", lang)]) from None
    names = _indicator_names()
    wanted = {header_key(h): key for key, *words in HEADERS for h in words}
    rows: list[tuple[int, str, str, float]] = []
    errors: list[str] = []
    seen: dict[tuple[int, str, str], int] = {}
    try:
        for sheet in book.worksheets:
            if header_key(sheet.title) in ("petunjuk", "instructions", "daftar"):
                continue
            columns: dict[str, int] | None = None
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise TargetFileError([message("too_many", lang, sheet=sheet.title, n=MAX_ROWS)])
                values = list(values or ())
                if columns is None:
                    found = {wanted[header_key(v)]: i for i, v in enumerate(values)
                             if v is not None and header_key(v) in wanted}
                    if {"year", "indicator", "value"} <= set(found):
                        columns = found
                    continue
                get = {k: (values[i] if i < len(values) else None) for k, i in columns.items()}
                if get.get("value") is None or str(get.get("value")).strip() == "":
                    continue  # an empty target: the template's row left unfilled
                row_errors = len(errors)
                year_raw = get.get("year")
                try:
                    year = int(float(str(year_raw).strip()))
                    if not 2000 <= year <= 2100 or float(str(year_raw).strip()) != year:
                        raise ValueError
                except (TypeError, ValueError):
                    errors.append(message("year", lang, cell=_cell(columns["year"], number), value=year_raw))
                    year = 0
                indicator = names.get(header_key(get.get("indicator") or ""))
                if indicator is None:
                    errors.append(message("indicator", lang, cell=_cell(columns["indicator"], number),
                                          value=get.get("indicator") or ""))
                code = ""
                unit_raw = str(get.get("facility") or "").strip()
                if header_key(unit_raw) not in PROVINCE_WORDS:
                    try:
                        code = register.resolve(unit_raw)
                    except FacilityNotFound:
                        errors.append(message("facility", lang, cell=_cell(columns["facility"], number),
                                              value=unit_raw))
                value = check_value(indicator, get.get("value")) if indicator else 0.0
                if value is None:
                    raw = get.get("value")
                    key = "percent" if check_value("loans", raw) is not None else "value"
                    errors.append(message(key, lang, cell=_cell(columns["value"], number),
                                          value="" if raw is None else raw))
                if len(errors) > row_errors:
                    continue
                first = seen.setdefault((year, indicator, code), number)
                if first != number:
                    unit = register.label(code) if code else ("provinsi" if lang != "en" else "the province")
                    errors.append(message("twice", lang, cell=_cell(columns["indicator"], number),
                                          indicator=BY_KEY[indicator].name(lang), year=year, unit=unit, first=first))
                    continue
                rows.append((year, indicator, code, value))
            if columns is None and sheet.max_row and sheet.max_row > 1:
                errors.append(message("no_header", lang, sheet=sheet.title))
    except TargetFileError:
        raise
    except Exception:
        raise TargetFileError([message("unreadable", lang)]) from None
    finally:
        book.close()
    if errors:
        raise TargetFileError(errors)
    if not rows:
        raise TargetFileError([message("empty", lang)])
    return rows


def template_xlsx(register: Register, year: int, lang: str = "id") -> bytes:
    """The blank target template: a table (Tahun, Indikator, Fasilitas, Target) with one province row
    per indicator for ``year``, drop-downs for indicator and unit, and an instructions sheet."""
    import xlsxwriter

    en = lang == "en"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DCEBEB", "border": 1})
    sheet = book.add_worksheet("Target")
    for col, (_, id_, en_) in enumerate(HEADERS):
        sheet.write(0, col, en_ if en else id_, head)
    for row, ind in enumerate(TARGET_INDICATORS, start=1):
        sheet.write_number(row, 0, year)
        sheet.write_string(row, 1, safe_cell(ind.name(lang)))
        sheet.write_string(row, 2, "")
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 14)
    lists = book.add_worksheet("Daftar")
    for row, ind in enumerate(TARGET_INDICATORS):
        lists.write_string(row, 0, safe_cell(ind.name(lang)))
    units = sorted(f.short_name for f in register.by_code.values() if f.holds_inmates)
    for row, name in enumerate(units):
        lists.write_string(row, 1, safe_cell(name))
    lists.hide()
    sheet.data_validation(1, 1, 500, 1, {"validate": "list",
                                         "source": f"=Daftar!$A$1:$A${len(TARGET_INDICATORS)}"})
    if units:
        sheet.data_validation(1, 2, 500, 2, {"validate": "list", "source": f"=Daftar!$B$1:$B${len(units)}",
                                             "ignore_blank": True})
    help_ = book.add_worksheet("Instructions" if en else "Petunjuk")
    lines = ([
        "One row per year, indicator and unit. Leave Unit empty for the province's target.",
        "Targets are in the indicator's own unit (completeness in per cent, 0-100); a row without a target is skipped.",
        "Loading this file makes a new revision of the year's targets; targets it does not mention stay as they were.",
        "", "Indicator code | Indicator | Unit | Kind"]
        if en else [
        "Satu baris per tahun, indikator dan fasilitas. Kosongkan Fasilitas untuk target provinsi.",
        "Target ditulis dalam satuan indikatornya (kelengkapan dalam persen, 0-100); baris tanpa target dilewati.",
        "Memuat berkas ini membuat revisi baru target tahun itu; target yang tidak disebut tetap seperti sebelumnya.",
        "", "Kode indikator | Indikator | Satuan | Jenis"])
    for row, line in enumerate(lines):
        help_.write_string(row, 0, line)
    for row, ind in enumerate(TARGET_INDICATORS, start=len(lines)):
        kind = ("yearly total" if en else "jumlah setahun") if ind.kind == "sum" else ("level" if en else "tingkat")
        help_.write_string(row, 0, f"{ind.key} | {ind.name(lang)} | {ind.unit(lang)} | {kind}")
    help_.set_column(0, 0, 110)
    book.close()
    return buffer.getvalue()
