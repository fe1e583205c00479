"""The period a report covers: a month, a quarter, a year or a custom range of
months, written ``2024-08``, ``2024-Q3``, ``2024`` or ``2024-01..2024-06``.

``bulan-lalu`` (``last-month``) is the calendar month before today and
``terakhir`` (``latest``) the latest month with any report, so a scheduled job
can ask for "last month's report" without computing dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warehouse.metrics import Scope, add_months

KINDS = ("month", "quarter", "year", "custom")
ROMAN = ("I", "II", "III", "IV")
LAST_MONTH = ("bulan-lalu", "last-month")
LATEST = ("terakhir", "latest")


class PeriodError(ValueError):
    """A period the user wrote that is not one (the message says how to write it)."""


@dataclass(frozen=True)
class Period:
    start: dt.date   # first month (day 1)
    end: dt.date     # last month (day 1), inclusive
    kind: str        # month | quarter | year | custom
    nominal_end: dt.date | None = None  # a quarter or year still running: its last month; ``end`` = latest data

    def clipped(self, latest: dt.date | None) -> "Period":
        """A period still running (its last months have no reports yet) ends at the latest month
        with data, so it is compared with a previous period of the same length, as the
        dashboard's 'this quarter' and 'this year' are."""
        if latest is None or self.end <= latest or latest < self.start:
            return self
        return Period(self.start, latest.replace(day=1), self.kind, self.nominal_end or self.end)

    @property
    def complete(self) -> bool:
        return self.nominal_end is None

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        day = dt.date(year, month, 1)
        return cls(day, day, "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        return cls(start, add_months(start, 2), "quarter")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 1), "year")

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> "Period":
        start, end = sorted((start.replace(day=1), end.replace(day=1)))
        return cls(start, end, "custom")

    @property
    def code(self) -> str:
        """How the command line writes it (also the file names' stem)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def n_months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def scope(self, facilities: tuple[str, ...]) -> Scope:
        return Scope(self.start, self.end, tuple(facilities))

    def label(self) -> str:
        """'Agustus 2024', 'Triwulan III 2024', 'Tahun 2024', 'Jan 2024 – Jun 2024' (page language)."""
        from ui import fmt
        from ui.i18n import t

        if self.kind == "month":
            return fmt.month(self.start)
        if self.kind == "quarter":
            text = t("report_quarter_label", q=ROMAN[self.quarter_number - 1], n=self.quarter_number,
                     year=self.start.year)
        elif self.kind == "year":
            text = t("report_year_label", year=self.start.year)
        else:
            return fmt.month_range(self.start, self.end)
        return text if self.complete else f"{text} ({t('report_through', month=fmt.month(self.end))})"


def span_label(start: dt.date, end: dt.date) -> str:
    """A comparison period as a short span: 'Jul 2024' or 'Jul 2024 – Sep 2024'."""
    from ui import fmt

    return fmt.month(start, long=False) if start == end else fmt.month_range(start, end)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[QqTt]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _month(text: str) -> dt.date:
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise PeriodError(text)
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def parse(text: str, today: dt.date | None = None, latest: dt.date | None = None) -> Period:
    """Read ``2024-08``, ``2024-Q3``, ``2024``, ``2024-01..2024-06``, ``bulan-lalu`` or
    ``terakhir`` (``latest`` = the latest month with data). Raises :class:`PeriodError`."""
    raw = (text or "").strip()
    key = raw.lower()
    if key in LAST_MONTH:
        if today is None:
            raise PeriodError(raw)
        day = add_months(today.replace(day=1), -1)
        return Period.month(day.year, day.month)
    if key in LATEST:
        if latest is None:
            raise PeriodError(raw)
        return Period.month(latest.year, latest.month)
    if ".." in raw:
        first, _, last = raw.partition("..")
        try:
            return Period.custom(_month(first), _month(last))
        except PeriodError:
            raise PeriodError(raw) from None
    if found := _MONTH.match(raw):
        month = int(found.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(raw)
        return Period.month(int(found.group(1)), month)
    if found := _QUARTER.match(raw):
        return Period.quarter(int(found.group(1)), int(found.group(2)))
    if found := _YEAR.match(raw):
        return Period.year(int(found.group(1)))
    raise PeriodError(raw)


def last_of_kind(kind: str, latest: dt.date) -> Period:
    """The month, quarter or year holding the latest month with data (the page's defaults)."""
    if kind == "quarter":
        return Period.quarter(latest.year, (latest.month - 1) // 3 + 1)
    if kind == "year":
        return Period.year(latest.year)
    return Period.month(latest.year, latest.month)
