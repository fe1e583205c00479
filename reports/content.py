"""What a report says, gathered once from the warehouse for a period and a
choice of facilities.

Every figure comes from the same functions the dashboard's pages call
(``warehouse.metrics``, ``warehouse.agreements``, ``warehouse.completeness``),
with the same arguments, so a report equals the dashboard for the same
filter. :class:`Queries` names the ones a report reads; the Laporan page
passes ``ui.data`` instead, whose cached queries have the same names and
arguments, so the page, its preview and the files share one set of numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd

from etl.i18n import missing
from reports.period import Period
from warehouse import agreements, completeness, flags, metrics, notes, provisional, settings, targets


class Queries:
    """The warehouse queries a report reads, called straight (``python -m etl report``).

    :func:`gather` takes any object with these names and arguments as ``queries``: the Laporan page
    passes the module ``ui.data``, where each is the same query cached on the data version
    (tests/test_reports.py checks that the names and arguments agree).
    """
    data_range = staticmethod(metrics.data_range)
    facilities = staticmethod(metrics.facilities)
    occupancy = staticmethod(metrics.occupancy)
    kpis = staticmethod(metrics.kpis)
    like_for_like = staticmethod(metrics.like_for_like)
    monthly = staticmethod(metrics.monthly)
    ranking = staticmethod(metrics.ranking)
    loan_heatmap = staticmethod(metrics.loan_heatmap)
    visits_by_service = staticmethod(metrics.visits_by_service)
    sessions = staticmethod(metrics.sessions)
    training_by = staticmethod(metrics.training_by)
    agreement_status_on = staticmethod(agreements.status)
    map_points = staticmethod(metrics.map_points)
    regency_rates = staticmethod(metrics.regency_rates)
    completeness_matrix = staticmethod(completeness.matrix)
    unit_notes = staticmethod(notes.listing)
    lkjip = staticmethod(targets.lkjip)


class NoReports(LookupError):
    """Nothing was reported for the period and facilities asked for."""


@dataclass(frozen=True)
class Kpi:
    """One headline figure of the overview page, as the report lists it."""
    column: str
    label: str          # key in ui.i18n.TEXT
    digits: int = 0
    percent: bool = False
    rate: bool = False  # per 100 inmates


# the overview page's cards, in its order: absolute figures, then per 100 inmates
KPIS = (
    Kpi("loans", "kpi_loans"),
    Kpi("borrowers", "kpi_borrowers"),
    Kpi("visitors_library", "kpi_visitors_library"),
    Kpi("visitors_pusling", "kpi_visitors_pusling"),
    Kpi("training_sessions", "kpi_sessions"),
    Kpi("training_participants", "kpi_participants"),
    Kpi("facilities_reported", "kpi_reported"),
    Kpi("loans_rate", "kpi_loans", 1, rate=True),
    Kpi("visitors_library_rate", "kpi_visitors_library", 1, rate=True),
    Kpi("visitors_pusling_rate", "kpi_visitors_pusling", 1, rate=True),
    Kpi("training_participants_rate", "kpi_participants", 1, rate=True),
    Kpi("borrower_share", "kpi_borrower_share", 1, percent=True, rate=True),
)


@dataclass
class Content:
    period: Period
    codes: tuple[str, ...]
    facilities: pd.DataFrame        # the facilities in the report (code, short_name, type, regency, ...)
    all_facilities: bool            # every inmate-holding unit of the register
    kpis: pd.DataFrame              # metrics.kpis: rows current / previous / last_year
    monthly: pd.DataFrame           # metrics.monthly over the period
    trend: pd.DataFrame             # metrics.monthly over at least 12 months ending with the period (charts)
    ranking: pd.DataFrame           # metrics.ranking: one row per facility, absolute and per 100 inmates
    loans_grid: pd.DataFrame        # metrics.loan_heatmap: facility x month
    visits_grid: pd.DataFrame       # metrics.visits_by_service: facility x month, by service
    sessions: pd.DataFrame          # metrics.sessions
    topics: pd.DataFrame            # metrics.training_by("topic")
    agreements: pd.DataFrame        # agreements.status on ``agreements_as_of``
    completeness: pd.DataFrame      # completeness.matrix
    completeness_by_facility: pd.DataFrame
    chase: pd.DataFrame             # completeness.chase_list
    with_denominator: frozenset     # facilities with an occupancy figure dated by the period's end
    today: dt.date
    generated_at: dt.datetime
    last_load: dt.datetime | None   # when the newest batch was loaded
    rate_base: int = 100
    extra: dict = field(default_factory=dict)
    unit_notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # notes.listing: the notes on the period
    like: pd.DataFrame | None = None  # metrics.like_for_like: rows previous / last_year
    statuses: dict = field(default_factory=dict)  # warehouse.provisional.period of the completeness matrix
    trend_provisional: dict = field(default_factory=dict)  # per dataset, the trend's provisional months and units
    open_flags: list[str] = field(default_factory=list)  # the period's figures that still need a check
    agreements_as_of: dt.date | None = None     # the period's last day (today, while the period runs)
    map_points: pd.DataFrame = field(default_factory=pd.DataFrame)     # metrics.map_points
    regencies: pd.DataFrame = field(default_factory=pd.DataFrame)      # metrics.regency_rates
    ranking_previous: pd.DataFrame | None = None   # metrics.ranking of the previous period (highlights)
    capaian: pd.DataFrame | None = None   # a year's report: targets.lkjip (the Capaian Kinerja page's table)
    capaian_lines: list[str] = field(default_factory=list)  # its revision and the months it counts

    @property
    def scope(self) -> metrics.Scope:
        return self.period.scope(self.codes)

    @property
    def reported(self) -> bool:
        value = self.kpis.loc["current", "facilities_reported"]
        return not missing(value) and int(value) > 0

    def value(self, column: str, period: str = "current"):
        value = self.kpis.loc[period, column]
        return None if missing(value) else value

    @property
    def comparisons(self) -> tuple[str, ...]:
        """The reference periods the figures are compared with: the previous period of the same
        length and the same period a year earlier (once, when they are the same twelve months)."""
        return metrics.comparisons(self.scope)

    def reference(self, which: str) -> metrics.Scope:
        return self.scope.previous() if which == "previous" else self.scope.last_year()

    def kpi_rows(self) -> list[dict]:
        """Each headline figure with the period's value, the previous period's and the same
        period a year earlier (raw totals), and both changes like for like where the figure has
        them (``like_previous``, ``like_last_year``: :class:`warehouse.metrics.Compared`), as the
        overview's cards show them; ``provisional``: the figure's dataset status while a report is
        outstanding. Units reporting is one row per dataset (``label``: its text)."""
        from ui.i18n import label, t

        rows = []
        for kpi in KPIS:
            if kpi.column == "facilities_reported" and self.statuses:
                for status in self.statuses.values():
                    rows.append({"kpi": kpi, "label": f"{t(kpi.label)}: {label('dataset', status.dataset)}",
                                 "current": status.reported, "previous": None, "last_year": None,
                                 "change_previous": None, "change_last_year": None, "like_previous": None,
                                 "like_last_year": None, "expected": status.expected,
                                 "provisional": status if status.provisional else None})
                continue
            current, previous, last_year = (self.value(kpi.column, p) for p in ("current", "previous", "last_year"))
            row = {"kpi": kpi, "label": t(kpi.label), "current": current, "previous": previous,
                   "last_year": last_year, "change_previous": metrics.change(current, previous),
                   "change_last_year": metrics.change(current, last_year), "like_previous": None,
                   "like_last_year": None, "expected": None,
                   "provisional": provisional.of_figure(kpi.column, self.statuses)}
            if self.like is not None:
                for which in ("previous", "last_year"):
                    compared = metrics.like_change(self.like, which, kpi.column)
                    if compared is not None:
                        row[f"like_{which}"] = compared
                        row[f"change_{which}"] = compared.change
            rows.append(row)
        return rows

    def no_denominator(self, code: str) -> bool:
        """Whether a facility's per-100 figures are missing for want of occupancy figures."""
        if code not in self.with_denominator:
            return True
        row = self.ranking[self.ranking["code"] == code]
        if not len(row) or not row["months_reported"].iloc[0]:
            return False  # a figure exists; what is missing is the report ('–')
        has = row["has_denominator"].iloc[0]
        return not missing(has) and not bool(has)


def gather(period: Period, codes: tuple[str, ...] | None = None, today: dt.date | None = None,
           queries: type[Queries] | ModuleType = Queries) -> Content:
    """Everything a report shows, for ``period`` and the facilities ``codes`` (None = all).
    Raises :class:`NoReports` when no facility reported anything in the period."""
    from ui.i18n import lang
    from warehouse.settings import today as configured_today
    from warehouse.queries import batches

    today = today or configured_today()
    period = period.clipped(queries.data_range()[1])
    units = queries.facilities()
    known = list(units["code"])
    if codes is None or not len(codes):
        codes = tuple(known)
    else:
        wanted = set(codes)
        codes = tuple(c for c in known if c in wanted)  # register order, units that hold inmates only
    scope = period.scope(codes)
    kpis = queries.kpis(scope)
    monthly = queries.monthly(scope)
    trend = queries.monthly(scope.at_least(12))
    ranking = queries.ranking(scope)
    matrix = queries.completeness_matrix(scope.start, scope.end, scope.facilities, today)
    wide = scope.at_least(12)
    trend_matrix = matrix if wide == scope else queries.completeness_matrix(wide.start, wide.end, wide.facilities,
                                                                             today)
    occupancy = queries.occupancy(codes)
    period_end = (pd.Timestamp(period.end) + pd.offsets.MonthEnd(0)).date()
    dated = occupancy[pd.to_datetime(occupancy["snapshot_date"]).dt.date <= period_end] if len(occupancy) else occupancy
    newest = batches(1)
    as_of = min(period_end, today)   # the agreements as they stood when the period closed
    content = Content(
        period=period, codes=codes, facilities=units[units["code"].isin(codes)].reset_index(drop=True),
        all_facilities=len(codes) == len(known), kpis=kpis, monthly=monthly, trend=trend, ranking=ranking,
        loans_grid=queries.loan_heatmap(scope), visits_grid=queries.visits_by_service(scope),
        sessions=queries.sessions(scope), topics=queries.training_by("topic", scope),
        agreements=queries.agreement_status_on(as_of, codes), completeness=matrix,
        completeness_by_facility=completeness.per_facility(matrix), chase=completeness.chase_list(matrix),
        with_denominator=frozenset(dated["code"]) if len(dated) else frozenset(), today=today,
        generated_at=dt.datetime.now().replace(microsecond=0),
        last_load=newest[0]["loaded_at"] if newest else None, rate_base=settings.get("PANTAU_RATE_BASE"),
        unit_notes=queries.unit_notes(scope.start, scope.end, scope.facilities),
        like=queries.like_for_like(scope), statuses=provisional.period(matrix),
        trend_provisional=provisional.marks(trend_matrix),
        open_flags=list(flags.open_flags(scope.start, scope.end, codes, lang())["message"]),
        agreements_as_of=as_of, map_points=queries.map_points(scope), regencies=queries.regency_rates(scope),
        ranking_previous=queries.ranking(scope.previous()))
    if not content.reported:
        raise NoReports(period.code)
    if period.kind == "year":  # the annual report holds the LKjIP table when the year has targets for these units
        _capaian(content, queries)
    return content


def _capaian(content: Content, queries) -> None:
    """The Capaian Kinerja page's table for the report's year and units, with the revision it used and
    the months it counts; nothing when no target applies (a group of units, or no target set)."""
    from reports import capaian

    facility = targets.applies_to(content.codes)
    year = content.period.start.year
    if facility is None or not (targets.targets(year)["facility_code"] == facility).any():
        return
    table = queries.lkjip(year, content.codes, facility, content.today)
    if (table["status"] == "no_target").all():
        return
    content.capaian = table
    content.capaian_lines = capaian.lines(table, targets.revisions(year), year)
