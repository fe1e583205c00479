"""Two-language text: Indonesian first, English available.

A catalog maps a key to ``(indonesian, english)`` format strings. Numbers and
dates inside messages are formatted by the caller (see ``fmt_int``/``fmt_date``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

LANGS = ("id", "en")
_LOCALE = {"id": "id_ID", "en": "en"}  # en: "Sep 2026" (en_GB abbreviates September "Sept")


def normalise_lang(lang: str | None) -> str:
    lang = (lang or "id").strip().lower()[:2]
    return lang if lang in LANGS else "id"


def translate(catalog: dict[str, tuple[str, str]], key: str, lang: str, **kw) -> str:
    pair = catalog[key]
    text = pair[1] if normalise_lang(lang) == "en" else pair[0]
    return text.format(**kw) if kw else text


def missing(value) -> bool:
    """None, NaN, NA and NaT (not a list or other container): shown as "–"."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@functools.cache
def _symbols(lang: str) -> tuple[str, str, str]:
    """Babel's grouping, decimal and minus symbols of the language's locale."""
    locale = _LOCALE[normalise_lang(lang)]
    return get_group_symbol(locale), get_decimal_symbol(locale), get_minus_sign_symbol(locale)


def _format(value, digits: int, lang: str) -> str:
    """Babel's ``#,##0`` / ``#,##0.0…`` patterns (half-even rounding of the decimal value, the
    locale's symbols), without Babel's per-call pattern parsing: pages format thousands of numbers."""
    group, point, minus = _symbols(lang)
    number = Decimal(str(value)) if not isinstance(value, (int, Decimal)) else Decimal(value)
    if not number.is_finite():
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0",
                              locale=_LOCALE[normalise_lang(lang)])
    with localcontext() as context:  # enough precision for any integer part (the default 28 digits is not)
        context.prec = max(28, number.adjusted() + digits + 2)
        number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(number):,.{digits}f}".translate({ord(","): group, ord("."): point})
    return minus + text if number < 0 else text


def fmt_int(value, lang: str = "id") -> str:
    """``1234`` -> ``1.234`` (id) / ``1,234`` (en)."""
    if value is None:
        return "–"
    return _format(value, 0, lang)


def numbers(**values: int) -> dict[str, str]:
    """Message parameters for figures, one per language: ``cells=17179869184`` ->
    ``{'cells_id': '17.179.869.184', 'cells_en': '17,179,869,184'}``."""
    out = {}
    for key, value in values.items():
        out[f"{key}_id"], out[f"{key}_en"] = fmt_int(value, "id"), fmt_int(value, "en")
    return out


def fmt_num(value, lang: str = "id", digits: int = 1) -> str:
    if value is None:
        return "–"
    return _format(value, digits, lang)


def fmt_date(value: dt.date | None, lang: str = "id", fmt: str = "d MMM y") -> str:
    """``2024-08-06`` -> ``6 Agu 2024`` (id) / ``6 Aug 2024`` (en)."""
    if value is None:
        return "–"
    return format_date(value, format=fmt, locale=_LOCALE[normalise_lang(lang)])


def fmt_month(value: dt.date | None, lang: str = "id", long: bool = True) -> str:
    """``2024-01-01`` -> ``Januari 2024`` (long) or ``Jan 2024``."""
    if value is None:
        return "–"
    return format_date(value, format="LLLL y" if long else "LLL y", locale=_LOCALE[normalise_lang(lang)])


def dates(**values: dt.date) -> dict[str, str]:
    """Message parameters for dates, one per language, written as people write them:
    ``today=2026-11-30`` -> ``{'today_id': '30 Nov 2026', 'today_en': '30 Nov 2026'}``."""
    out = {}
    for key, value in values.items():
        out[f"{key}_id"], out[f"{key}_en"] = fmt_date(value, "id"), fmt_date(value, "en")
    return out


_ISO_CELL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def cell_dates(value) -> dict[str, str]:
    """A cell that is a date (a date cell reads '2026-12-05 00:00:00') as a message quotes it:
    ``{'value_id': '5 Des 2026', 'value_en': '5 Dec 2026'}``; empty for any other value."""
    m = _ISO_CELL.match(str(value).strip()) if value is not None else None
    if not m:
        return {}
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return {}
    return {"value_id": fmt_date(day, "id"), "value_en": fmt_date(day, "en")}
