"""Parsers for the values staff type into spreadsheets.

Each parser takes the text of one cell (readers hand every cell over as text,
numbers as ``"1234"``/``"1.5"`` and date cells as ``"2024-08-06 00:00:00"``) and
returns a Python value, or raises :class:`ParseError` with a message key from
``etl.messages``. Parsers are pure and are applied once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from ftfy import fix_text

from etl.i18n import numbers


class ParseError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --------------------------------------------------------------------- months
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar", "mrt"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "agus", "aug", "agst"),
        ("september", "sept", "sep", "spt"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

DAY_NAMES = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_DATE = dt.date(2000, 1, 1)
# the largest count one cell may hold: one facility-month of loans or visitors is far below it, and it keeps
# every count well inside the warehouse's INTEGER columns (the ETL options may lower it)
MAX_COUNT = 1_000_000
# the longest text one cell may hold (a title, a note); longer is pasted by mistake
MAX_TEXT = 1_000
# Excel's error values: a formula that failed (#N/A stays a blank cell, as VLOOKUP misses are common)
EXCEL_ERRORS = frozenset({"#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA"})
# control characters (C0 but whitespace, DEL, C1), bidirectional overrides and zero-width marks: never stored
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(raw) -> str:
    """Repair mojibake, normalise unicode and whitespace of one cell; control
    characters (NUL, C1, bidi overrides) are removed."""
    if raw is None:
        return ""
    text = str(raw)
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return text  # the common case, fast
    text = _CONTROLS.sub("", text)
    if "Ã" in text or "â€" in text or "Â" in text:
        text = fix_text(text, uncurl_quotes=False)  # repair, but keep the typographic quotes it restores
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def shown(raw, width: int = 60) -> str:
    """A cell as a message quotes it: cleaned, and cut short (a pasted page is not repeated back)."""
    if raw is None:
        return ""
    text = str(raw)
    if len(text) > width * 4:
        text = text[: width * 4]
    text = clean_text(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def excel_error(raw) -> str | None:
    """The Excel error value a cell holds (``#REF!``), or None."""
    if raw is None or len(str(raw)) > 32:
        return None
    text = str(raw).strip().upper()
    return text if text in EXCEL_ERRORS else None


def is_blank(raw) -> bool:
    return raw is None or clean_text(raw) in {"", "-", "NULL", "null", "None", "nan", "NaN", "#N/A"}


def month_number(token: str) -> int | None:
    token = token.strip(" .,").lower()
    return MONTHS.get(token)


def _valid_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ParseError("bad_date") from exc


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000
    return year


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_SERIAL = re.compile(r"^\d{4,6}(?:\.\d+)?$")
_WORDY = re.compile(r"^(\d{1,2})\s*[\-/ ]\s*([A-Za-z']+)\.?\s*[\-/ ,]\s*(\d{4}|\d{2})$")
_WORDY_EN = re.compile(r"^([A-Za-z']+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def excel_serial_to_date(serial: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(raw) -> dt.date | None:
    """A calendar day from any of the shapes Indonesian spreadsheets hold.

    ``2024-08-06``, ``06/08/2024`` (day first), ``6-8-24``, ``6 Agustus 2024``,
    ``Selasa, 6 Agu 2024``, ``Aug 6, 2024`` and Excel serials (``45510``).
    Returns ``None`` for a blank cell.
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if is_blank(raw):
        return None
    text = clean_text(raw)
    low = text.lower()
    # drop a leading day name: "Selasa, 6 Agustus 2024"
    first = re.split(r"[,\s]+", low, maxsplit=1)
    if first and first[0] in DAY_NAMES and len(first) > 1:
        text = re.split(r"[,\s]+", text, maxsplit=1)[1].strip()
        low = text.lower()
    if m := _ISO.match(text):
        value = _valid_date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _DMY.match(text):
        value = _valid_date(_year(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD_SLASH.match(text):
        value = _valid_date(int(m[1]), int(m[2]), int(m[3]))
    elif _SERIAL.match(text):
        serial = float(text)
        if not 20000 <= serial <= 80000:  # 1954 .. 2119
            raise ParseError("bad_date")
        value = excel_serial_to_date(serial)
    elif m := _WORDY.match(text):
        month = month_number(m[2])
        if month is None:
            raise ParseError("bad_date")
        value = _valid_date(_year(m[3]), month, int(m[1]))
    elif m := _WORDY_EN.match(text):
        month = month_number(m[1])
        if month is None:
            raise ParseError("bad_date")
        value = _valid_date(int(m[3]), month, int(m[2]))
    else:
        raise ParseError("bad_date")
    if value < MIN_DATE:
        raise ParseError("date_too_old")
    return value


_MONTH_YEAR = re.compile(r"^([A-Za-z']+)\.?\s*[\-/ ,'’]\s*(\d{4}|\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[\-/.](\d{1,2})$")
_MONTH_NUM_YEAR = re.compile(r"^(\d{1,2})[\-/.](\d{4})$")


def parse_month(raw, default_year: int | None = None) -> dt.date | None:
    """The first day of a month: ``Agustus 2024``, ``Agu-24``, ``2024-08``,
    ``08/2024``, any full date, or a bare month name when the title rows gave
    the year."""
    if isinstance(raw, (dt.date, dt.datetime)):
        d = raw if not isinstance(raw, dt.datetime) else raw.date()
        return d.replace(day=1)
    if is_blank(raw):
        return None
    text = clean_text(raw)
    if m := _MONTH_YEAR.match(text):
        month = month_number(m[1])
        if month is None:
            raise ParseError("bad_month")
        year = _year(m[2])
    elif m := _YEAR_MONTH.match(text):
        year, month = int(m[1]), int(m[2])
    elif m := _MONTH_NUM_YEAR.match(text):
        month, year = int(m[1]), int(m[2])
    elif (month := month_number(text)) is not None:
        if default_year is None:
            raise ParseError("month_without_year")
        year = default_year
    else:
        try:
            day = parse_date(text)
        except ParseError as exc:
            raise ParseError("bad_month") from exc
        return day.replace(day=1) if day else None
    if not 1 <= month <= 12:
        raise ParseError("bad_month")
    value = dt.date(year, month, 1)
    if value < MIN_DATE:
        raise ParseError("date_too_old")
    return value


def parse_month_header(raw, default_year: int | None = None) -> tuple[int, int | None] | None:
    """A column header naming a month, as statistic screens and hand-made
    recaps write them: ``Jan``, ``Mei``, ``Agu``, ``Nop``, ``Desember``,
    ``Jan 2024``, ``Jan-24``, ``2024-01`` or a date cell on the first of a
    month. Returns ``(month, year or default_year)``, or None when the header
    is not a month (bare numbers never are: they look like column numbers)."""
    if raw is None or len(str(raw)) > 64:
        return None
    text = clean_text(raw)
    if not text or len(text) > 24:
        return None
    month = month_number(text)
    if month is not None:
        return month, default_year
    if m := _MONTH_YEAR.match(text):
        month = month_number(m[1])
        return (month, _year(m[2])) if month else None
    if (m := _YEAR_MONTH.match(text)) or (m := _ISO.match(text)):
        if not 1 <= int(m[2]) <= 12 or (m.re is _ISO and int(m[3]) != 1):
            return None
        return int(m[2]), int(m[1])
    if m := _MONTH_NUM_YEAR.match(text):
        return (int(m[1]), int(m[2])) if 1 <= int(m[1]) <= 12 else None
    return None


_PERIOD_SEPARATOR = re.compile(r"\s+(?:s/d|s\.d\.?|sd|sampai(?: dengan)?|hingga|to|until|-|–|—)\s+|\s*[–—]\s*", re.I)


def parse_period(raw) -> dt.date | None:
    """The one month a period label names: ``Agustus 2024``, ``2024-08``, or a
    range inside one month (``01-08-2024 s/d 31-08-2024``). None when it names
    no single month (a longer range, or no month at all)."""
    if is_blank(raw):
        return None
    text = clean_text(raw)
    parts = _PERIOD_SEPARATOR.split(text)
    try:
        if len(parts) == 2:
            first, last = parse_date(parts[0]), parse_date(parts[1])
            if first and last and (first.year, first.month) == (last.year, last.month):
                return first.replace(day=1)
            return None
        return parse_month(text)
    except ParseError:
        return None


# -------------------------------------------------------------------- numbers
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")


def parse_number(raw) -> float | None:
    """Numbers in Indonesian and machine notation.

    ``1234``, ``1.234`` (dot thousands), ``1.234,5`` (decimal comma), ``1,5``,
    ``1,234.5``. A bare ``1,234`` is refused as ambiguous.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    if is_blank(raw):
        return None
    text = clean_text(raw).replace(" ", "")
    if _ID_THOUSANDS.match(text):
        # "1.234" is one thousand two hundred and thirty-four in Indonesian,
        # but a float cell 1.5 reaches us as "1.5": three digits after one dot
        # can only be thousands.
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN_NUMBER.match(text):
        return float(text)
    if _EN_THOUSANDS.match(text):
        if "." in text:
            return float(text.replace(",", ""))
        raise ParseError("ambiguous_number")
    if _DECIMAL_COMMA.match(text):
        return float(text.replace(",", "."))
    if _SCIENTIFIC.match(text):
        return float(text.replace(",", "."))
    raise ParseError("bad_number")


def parse_count(raw, ceiling: int = MAX_COUNT) -> int | None:
    """A whole, non-negative count, at most ``ceiling``."""
    value = parse_number(raw)
    if value is None:
        return None
    if math.isnan(value):
        raise ParseError("bad_number")
    if value < 0:
        raise ParseError("negative_count")
    if value == float("inf"):  # '1e400': before int() could overflow
        raise ParseError("count_too_large", **numbers(limit=ceiling))
    if value != int(value):
        raise ParseError("not_whole")
    if value > ceiling:
        raise ParseError("count_too_large", **numbers(limit=ceiling))
    return int(value)


# ------------------------------------------------------------------- categories
GENDERS = {
    "l": "L", "lk": "L", "laki": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L",
    "pria": "L", "m": "L", "male": "L", "man": "L",
    "p": "P", "pr": "P", "pi": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P",
    "woman": "P",
}


def _key(raw) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s\-/]", " ", clean_text(raw).lower())).strip()


def parse_gender(raw) -> str | None:
    if is_blank(raw):
        return None
    value = GENDERS.get(_key(raw))
    if value is None:
        raise ParseError("bad_gender")
    return value


_GENDER_COUNTS = re.compile(r"(\d+)\s*(laki[\s\-]*laki|laki|pria|perempuan|wanita|\bl\b|\bp\b)", re.I)


def parse_gender_counts(raw) -> tuple[int, int] | None:
    """INLISLite group rows: ``12 Laki-laki<br>8 Perempuan`` -> ``(12, 8)``."""
    if is_blank(raw):
        return None
    text = re.sub(r"<br\s*/?>", " ", clean_text(raw), flags=re.I)
    found = _GENDER_COUNTS.findall(text)
    if not found:
        return None
    male = female = 0
    for number, word in found:
        if GENDERS.get(_key(word)) == "L" or word.lower().startswith(("laki", "pria")):
            male += int(number)
        else:
            female += int(number)
    return male, female


def _lookup(table: dict[str, str], raw, code: str, fallback: str | None = None) -> str | None:
    if is_blank(raw):
        return None
    key = _key(raw)
    if key in table:
        return table[key]
    for needle, value in table.items():
        if len(needle) > 3 and needle in key:
            return value
    if fallback is not None:
        return fallback
    raise ParseError(code)


BORROWER_GROUPS = {
    "wbp": "wbp", "warga binaan": "wbp", "warga binaan pemasyarakatan": "wbp", "napi": "wbp",
    "narapidana": "wbp", "tahanan": "wbp", "binaan": "wbp", "inmate": "wbp", "prisoner": "wbp",
    "petugas": "petugas", "pegawai": "petugas", "staf": "petugas", "staff": "petugas",
    "pns": "petugas", "sipir": "petugas", "pustakawan": "petugas", "karyawan": "petugas",
    "anak": "anak", "anak binaan": "anak", "andikpas": "anak", "anak didik": "anak",
    "anak didik pemasyarakatan": "anak", "juvenile": "anak",
    "umum": "umum", "tamu": "umum", "pengunjung": "umum", "keluarga": "umum", "non-member": "umum",
    "non member": "umum", "masyarakat": "umum", "public": "umum", "guest": "umum",
}


def parse_borrower_group(raw) -> str | None:
    """WBP / petugas / anak / umum; anything else is kept as ``lainnya``."""
    return _lookup(BORROWER_GROUPS, raw, "bad_group", fallback="lainnya")


SERVICES = {
    "perpustakaan": "perpustakaan", "perpustakaan upt": "perpustakaan", "perpustakaan lapas": "perpustakaan",
    "perpustakaan rutan": "perpustakaan", "perpustakaan lpka": "perpustakaan", "layanan perpustakaan": "perpustakaan",
    "pojok baca": "perpustakaan", "library": "perpustakaan", "own library": "perpustakaan",
    "ruang baca": "perpustakaan", "perpus": "perpustakaan",
    "pusling": "pusling", "perpustakaan keliling": "pusling", "perpus keliling": "pusling",
    "mobil perpustakaan keliling": "pusling", "mobil pusling": "pusling", "mobile library": "pusling",
    "mpk": "pusling", "keliling": "pusling",
}


def parse_service(raw) -> str | None:
    # "keliling" must win over "perpustakaan": check pusling words first
    if is_blank(raw):
        return None
    key = _key(raw)
    if "keliling" in key or "pusling" in key or "mobile" in key:
        return "pusling"
    return _lookup(SERVICES, raw, "bad_service")


AUDIENCES = {
    "wbp": "wbp", "warga binaan": "wbp", "narapidana": "wbp", "napi": "wbp", "tahanan": "wbp",
    "anak binaan": "wbp", "andikpas": "wbp", "inmates": "wbp", "inmate": "wbp",
    "pengelola perpustakaan": "pengelola", "pengelola": "pengelola", "petugas": "pengelola",
    "pustakawan": "pengelola", "pegawai": "pengelola", "library managers": "pengelola",
    "library manager": "pengelola", "staff": "pengelola", "petugas perpustakaan": "pengelola",
}


def parse_audience(raw) -> str | None:
    return _lookup(AUDIENCES, raw, "bad_audience")


LOAN_STATUS = {
    "0": False, "1": True, "dikembalikan": True, "sudah dikembalikan": True, "kembali": True,
    "sudah kembali": True, "returned": True, "selesai": True, "ya": True,
    "dipinjam": False, "sedang dipinjam": False, "belum kembali": False, "belum dikembalikan": False,
    "on loan": False, "pinjam": False, "tidak": False,
}


def parse_loan_status(raw) -> bool | None:
    """SLiMS ``Status peminjaman``: 0 = still on loan, 1 = returned."""
    if is_blank(raw):
        return None
    key = _key(raw)
    if key in {"0.0", "1.0"}:
        key = key[0]
    if key in LOAN_STATUS:
        return LOAN_STATUS[key]
    raise ParseError("bad_status")


GROUP_VISIT = {"rombongan", "kelompok", "group", "grup"}
# INLISLite's "Kriteria Pengunjung": Anggota / Non Anggota are one person each, Rombongan a group
INDIVIDUAL_VISIT = {"perorangan", "individu", "individual", "pribadi", "personal", "anggota", "non anggota",
                    "non-anggota", "nonanggota", "member", "non member", "non-member"}


def parse_visit_kind(raw) -> bool | None:
    """True for a group visit (Rombongan), False for one person."""
    if is_blank(raw):
        return None
    key = _key(raw)
    if key in GROUP_VISIT:
        return True
    if key in INDIVIDUAL_VISIT:
        return False
    raise ParseError("bad_visit_kind")


# ---------------------------------------------------------------------- ids
DESTROYED_ID = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")


def parse_id(raw) -> str | None:
    """A member / registration id, normalised so ``0012``, ``12`` and ``12.0``
    are one member. Ids that Excel already turned into scientific notation
    (``1,97E+17``) are refused: the original digits are gone. Whether 16+
    digits ending in zeros were rounded by Excel depends on how the cell was
    stored (see :func:`looks_rounded`); the validator decides that per cell."""
    if is_blank(raw):
        return None
    text = clean_text(raw)
    if text.upper() in {"NON-MEMBER", "NON MEMBER", "NONMEMBER", "TAMU", "UMUM"}:
        return None
    compact = text.replace(" ", "")
    if DESTROYED_ID.match(compact):
        raise ParseError("id_destroyed")
    if re.fullmatch(r"\d+\.0+", compact):
        compact = compact.split(".")[0]
    if compact.isdigit():
        compact = compact.lstrip("0") or "0"
    return compact.upper()


def looks_rounded(normalised_id: str | None) -> int:
    """How many zeros follow the 15th digit of an id of 16+ digits (0 when
    none): the mark a 15-significant-digit float leaves. A genuine 16-digit id
    ends in 0 one time in ten, so this alone proves nothing for a text cell."""
    if not normalised_id or len(normalised_id) < 16 or not normalised_id.isdigit():
        return 0
    tail = normalised_id[15:]
    return len(tail) if set(tail) == {"0"} else 0


# ------------------------------------------------------------------ category
DDC_CLASSES = {
    0: "000 Karya Umum", 1: "100 Filsafat & Psikologi", 2: "200 Agama", 3: "300 Ilmu Sosial",
    4: "400 Bahasa", 5: "500 Ilmu Murni", 6: "600 Ilmu Terapan", 7: "700 Kesenian & Olahraga",
    8: "800 Kesusastraan", 9: "900 Sejarah & Geografi",
}
_DDC = re.compile(r"^(?:ddc\s*)?(\d)(?:\d{2}|xx|\d?x)?(?:\.\d+)?\b", re.I)


def parse_category(raw) -> str | None:
    """DDC numbers and call numbers (``297.4 ABD p``) become their main class;
    words are kept, tidied (``FIKSI`` -> ``Fiksi``)."""
    if is_blank(raw):
        return None
    text = clean_text(raw)
    if m := _DDC.match(text):
        return DDC_CLASSES[int(m[1])]
    return text[:1].upper() + text[1:].lower() if text.isupper() or text.islower() else text


def parse_text(raw, limit: int = MAX_TEXT) -> str | None:
    """Cleaned text of at most ``limit`` characters (a longer cell is refused,
    cheaply: a pasted 50 MB cell is not cleaned first)."""
    if raw is not None and len(str(raw)) > 2 * limit:
        raise ParseError("text_too_long", **numbers(limit=limit))
    if is_blank(raw):
        return None
    text = clean_text(raw)
    if len(text) > limit:
        raise ParseError("text_too_long", **numbers(limit=limit))
    return text


SCOPES = {
    "bahan bacaan": "bahan_bacaan", "bahan baca": "bahan_bacaan", "penyediaan bahan bacaan": "bahan_bacaan",
    "buku": "bahan_bacaan", "reading materials": "bahan_bacaan",
    "pusling": "pusling", "perpustakaan keliling": "pusling", "layanan perpustakaan keliling": "pusling",
    "mobile library": "pusling",
    "peminjaman": "peminjaman", "peminjaman buku": "peminjaman", "book lending": "peminjaman",
    "pelatihan wbp": "pelatihan_wbp", "pelatihan warga binaan": "pelatihan_wbp", "training for inmates": "pelatihan_wbp",
    "pelatihan pengelola": "pelatihan_pengelola", "pelatihan pengelola perpustakaan": "pelatihan_pengelola",
    "bimtek pengelola perpustakaan": "pelatihan_pengelola", "training for library managers": "pelatihan_pengelola",
}
SCOPE_ORDER = ("bahan_bacaan", "pusling", "peminjaman", "pelatihan_wbp", "pelatihan_pengelola")


def parse_scope(raw) -> str | None:
    """The agreement's scope, written as a comma- or semicolon-separated list, as
    canonical keys in a fixed order (``bahan_bacaan,pusling``)."""
    if is_blank(raw):
        return None
    found = set()
    for part in re.split(r"[,;/\n]+|\bdan\b", clean_text(raw).lower()):
        key = _key(part)
        if not key:
            continue
        if key not in SCOPES:
            raise ParseError("bad_scope", item=part.strip())
        found.add(SCOPES[key])
    return ",".join(s for s in SCOPE_ORDER if s in found) or None
