"""The pages' queries at national scale (issue 8), against the usual way.

For every page the benchmark calls the same warehouse functions the page
calls for its view (``ui/data.py`` caches them; the benchmark calls them
uncached, as on the first view after a load), in the page's order, including
the sidebar's two (the data range and the register) that every page runs:

* the default view: the last 12 months, every unit in view (the facility page
  shows the first unit of the list);
* a one-facility view: the same period with the filter narrowed to one big
  SLiMS unit (the facility page shows that unit).

Ours = the page's queries end to end (each opens its connection, runs, and
returns its DataFrame), median and (min–max) of the repeated runs, with the
warehouse open as during a visit (the server keeps the DuckDB file open for
``PANTAU_KEEPALIVE`` = 2 s after the last query); target 150 ms for the whole
page (so every query of it is faster still). A page viewed after a pause first
reopens the file: that cost is its own row.

The usual way: the facts in force (loans, visits, training sessions and
attendance, occupancy, agreements, packages, batches and cells) are loaded into
pandas once (timed: the first row below), then each view filters and groups
them with pandas to compute the same figures the page shows. The benchmark
checks that both ways agree on the headline figures before timing them.

A monthly upload: one big unit's SLiMS loans for a month, loaded with
``warehouse.load.load_file`` into the national warehouse in a rolled-back
transaction (``dry_run``): the latest month (replacing the report in force),
the first report of a new month (which moves every unit's latest 12 months),
and a correction of a month five years back. Ours = the time of
``marts.refresh`` for the affected facility-months (target 1 s); the usual way
must reload its facts into pandas after every upload.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bench import national
from bench.common import Row, Timing

NAME = "pages"
DESCRIPTION = __doc__
REPEATS = {"smoke": (0, 2), "full": (2, 15)}
PAGE_LIMIT = 0.150
REFRESH_LIMIT = 1.0


@dataclass(frozen=True)
class View:
    name: str
    scope: object          # warehouse.metrics.Scope
    unit: str              # the facility page's unit
    today: dt.date

    @property
    def codes(self) -> tuple[str, ...]:
        return self.scope.facilities


def views() -> list[View]:
    """The default view and the one-facility view, as the sidebar builds them."""
    from warehouse import metrics
    from warehouse.db import connect

    first, last = metrics.data_range()
    units = metrics.facilities()
    start = max(metrics.add_months(last, -11), first)
    everyone = metrics.Scope(start, last, tuple(units["code"]))
    with connect() as con:  # the biggest unit exporting loan lines (a SLiMS unit)
        big = con.execute("""SELECT facility_code FROM mart_activity_month WHERE month BETWEEN ? AND ?
                             AND loan_lines > 0 GROUP BY ALL ORDER BY sum(loans) DESC LIMIT 1""",
                          [start, last]).fetchone()[0]
    return [View("default view", everyone, units["code"].iloc[0], national.TODAY),
            View("one facility", everyone.only(big), big, national.TODAY)]


def page_calls(v: View) -> dict[str, list[tuple[str, object]]]:
    """Per page, the warehouse calls it makes for view ``v`` (each once: the UI caches repeats)."""
    from warehouse import accounts, agreements, completeness, metrics, packages, queries

    s = v.scope
    sidebar = [("data_range", lambda: metrics.data_range()), ("facilities", lambda: metrics.facilities())]
    pages = {
        "ringkasan (overview)": [
            ("agreements.status", lambda: agreements.status(v.today, v.codes)), ("kpis", lambda: metrics.kpis(s)),
            ("monthly", lambda: metrics.monthly(s)), ("ranking", lambda: metrics.ranking(s)),
            ("map_points", lambda: metrics.map_points(s))],
        "fasilitas": [
            ("last_reports", lambda: metrics.last_reports(v.unit)),
            ("facility_monthly", lambda: metrics.facility_monthly(v.unit, s.at_least(12))),
            ("loan_categories", lambda: metrics.loan_categories(s.only(v.unit))),
            ("sessions", lambda: metrics.sessions(s.only(v.unit)))],
        "peminjaman": [
            ("loan_heatmap", lambda: metrics.loan_heatmap(s)), ("loan_categories", lambda: metrics.loan_categories(s)),
            ("top_titles", lambda: metrics.top_titles(s, per_facility=5)), ("returns", lambda: metrics.returns(s))],
        "kunjungan": [
            ("monthly", lambda: metrics.monthly(s)), ("visits_by_service", lambda: metrics.visits_by_service(s)),
            ("visits_per_day", lambda: metrics.visits_per_day(s)),
            ("visitor_groups", lambda: metrics.visitor_groups(s))],
        "pelatihan": [
            ("sessions", lambda: metrics.sessions(s)), ("kpis", lambda: metrics.kpis(s)),
            *[(f"training_by {d}", (lambda d=d: metrics.training_by(d, s)))
              for d in ("topic", "audience", "organiser", "facility")]],
        "kerjasama": [
            ("agreements.status", lambda: agreements.status(v.today, v.codes)),
            ("agreements.register", lambda: agreements.register(v.codes)),
            ("activity_without_agreement", lambda: agreements.activity_without_agreement(s.start, s.end, v.codes))],
        "paket": [("packages.deposits", lambda: packages.deposits(s)),
                  ("packages.turnover", lambda: packages.turnover(s))],
        "hunian": [("occupancy", lambda: metrics.occupancy(v.codes))],
        "kelengkapan": [("completeness.matrix", lambda: completeness.matrix(s.start, s.end, v.codes, v.today))],
        "riwayat": [("queries.batches", lambda: queries.batches(limit=2000, loaded_by=None))],
        "akun + audit": [("accounts.list_users", lambda: accounts.list_users()),
                         ("accounts.audit_entries", lambda: accounts.audit_entries())],
    }
    return {page: sidebar + calls for page, calls in pages.items()}


def time_page(calls, warmup: int, repeats: int, cold: bool = False) -> tuple[Timing, dict[str, list[float]]]:
    """Run a page's calls ``repeats`` times (after ``warmup``); each run starts with the
    warehouse closed when ``cold``. Returns the page totals and each call's times."""
    from warehouse import db

    per_call: dict[str, list[float]] = {label: [] for label, _ in calls}
    totals = []
    for k in range(warmup + repeats):
        if cold:
            db.release()
        gc.collect()
        total = 0.0
        for label, fn in calls:
            start = time.perf_counter()
            fn()
            took = time.perf_counter() - start
            total += took
            if k >= warmup:
                per_call[label].append(took)
        if k >= warmup:
            totals.append(total)
    return Timing(totals), per_call


# --------------------------------------------------------------- the usual way
LOANS = """
SELECT l.facility_code, l.month, l.n_loans, l.is_recap, l.category, l.title, l.borrower_key, l.borrower_gender,
       l.borrowers_l, l.borrowers_p, l.returned, l.return_date, l.due_date, CAST(b.loaded_at AS DATE) AS loaded_on
FROM stg_loan l
JOIN current_cell c ON c.dataset = 'loans' AND c.batch_id = l.batch_id AND c.facility_code = l.facility_code
     AND c.month = l.month AND c.part = l.service
JOIN batch b ON b.batch_id = l.batch_id"""
VISITS = """
SELECT v.facility_code, v.month, v.visit_date, v.service, v.visitor_group, v.n_visitors, v.visitors_l, v.visitors_p,
       v.service_days
FROM stg_visit v
JOIN current_cell c ON c.dataset = 'visits' AND c.batch_id = v.batch_id AND c.facility_code = v.facility_code
     AND c.month = v.month AND c.part = v.service"""
SESSIONS = """
SELECT s.facility_code, s.month, s.session_key, s.title, s.topic, s.audience, s.organiser, s.partner, s.start_date,
       s.end_date, s.place, s.participants, s.participants_l, s.participants_p
FROM stg_training_session s
JOIN current_cell c ON c.dataset = 'training' AND c.batch_id = s.batch_id AND c.facility_code = s.facility_code
     AND c.month = s.month"""
PARTICIPANTS = """
SELECT p.facility_code, p.month, p.session_key, p.title, p.topic, p.audience, p.organiser, p.place, p.start_date,
       p.gender
FROM stg_training_participant p
JOIN current_cell c ON c.dataset = 'attendance' AND c.batch_id = p.batch_id AND c.facility_code = p.facility_code
     AND c.month = p.month AND c.part = p.session_key"""


class UsualWay:
    """What a straightforward analysis script does: every fact table in a
    DataFrame, then filter and group per view."""

    def load(self) -> "UsualWay":
        from warehouse.db import connect

        with connect() as con:
            con.execute("SET enable_progress_bar = false")
            self.loans = con.execute(LOANS).df()
            self.visits = con.execute(VISITS).df()
            sessions = con.execute(SESSIONS).df()
            participants = con.execute(PARTICIPANTS).df()
            self.occupancy = con.execute("SELECT facility_code, snapshot_date, occupants, capacity, source "
                                         "FROM occupancy_in_force").df()
            self.agreements = con.execute("SELECT * FROM agreement_in_force").df()
            self.packages = con.execute("SELECT * FROM package_in_force").df()
            self.facility = con.execute("SELECT * FROM facility").df()
            self.batch = con.execute("SELECT * FROM batch").df()
            self.batch_cell = con.execute("SELECT * FROM batch_cell").df()
            self.current_cell = con.execute("SELECT * FROM current_cell").df()
            self.audit = con.execute("SELECT * FROM audit_log").df()
            self.users = con.execute("SELECT * FROM app_user").df()
        for frame in (self.loans, self.visits, sessions, participants):
            frame["month"] = pd.to_datetime(frame["month"])
        # one session per facility-month-key: an attendance list's head count wins over the report's
        att = participants.groupby(["facility_code", "month", "session_key"], as_index=False).agg(
            title=("title", "first"), topic=("topic", "first"), audience=("audience", "first"),
            organiser=("organiser", "first"), place=("place", "first"), start_date=("start_date", "min"),
            participants=("gender", "size"), participants_l=("gender", lambda g: int((g == "L").sum())),
            participants_p=("gender", lambda g: int((g == "P").sum())))
        merged = sessions.merge(att, on=["facility_code", "month", "session_key"], how="outer", suffixes=("", "_a"))
        for c in ("title", "topic", "audience", "organiser", "place", "start_date"):
            merged[c] = merged[c].fillna(merged[f"{c}_a"]) if c != "start_date" else \
                merged[c].where(merged[c].notna(), merged[f"{c}_a"])
        for c in ("participants", "participants_l", "participants_p"):
            merged[c] = merged[f"{c}_a"].where(merged[f"{c}_a"].notna(), merged[c])
        self.sessions = merged[[c for c in merged.columns if not c.endswith("_a")]]
        self.occupancy = self.occupancy.dropna(subset=["occupants"]).sort_values("snapshot_date")
        self.occupancy["snapshot_date"] = pd.to_datetime(self.occupancy["snapshot_date"])
        return self

    # ---- helpers
    @staticmethod
    def _in(frame: pd.DataFrame, start, end, codes, column: str = "month") -> pd.DataFrame:
        return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))
                     & frame["facility_code"].isin(codes)]

    def _fm(self, start, end, codes) -> pd.DataFrame:
        """Facility-month activity of a period (what the mart holds), with its occupancy."""
        loans = self._in(self.loans, start, end, codes).groupby(["facility_code", "month"]).agg(
            loans=("n_loans", "sum"))
        visits = self._in(self.visits, start, end, codes)
        v = visits.groupby(["facility_code", "month", "service"])["n_visitors"].sum().unstack("service")
        v = v.rename(columns={"perpustakaan": "visitors_library", "pusling": "visitors_pusling"})
        v["visitors"] = v.sum(axis=1, min_count=1)
        t = self._in(self.sessions, start, end, codes).groupby(["facility_code", "month"]).agg(
            training_sessions=("session_key", "size"), training_participants=("participants", "sum"))
        fm = loans.join(v, how="outer").join(t, how="outer").reset_index()
        fm["month_end"] = fm["month"] + pd.offsets.MonthEnd(0)
        fm = pd.merge_asof(fm.sort_values("month_end"), self.occupancy[["facility_code", "snapshot_date", "occupants"]],
                           left_on="month_end", right_on="snapshot_date", by="facility_code")
        return fm

    @staticmethod
    def _rate(fm: pd.DataFrame, column: str):
        ok = fm[column].notna() & fm["occupants"].notna()
        den = fm.loc[ok, "occupants"].sum()
        return fm.loc[ok, column].sum() / den if den else None

    def kpis(self, s) -> pd.DataFrame:
        rows = {}
        for name, p in (("current", s), ("previous", s.previous()), ("last_year", s.last_year())):
            fm = self._fm(p.start, p.end, s.facilities)
            loans = self._in(self.loans, p.start, p.end, s.facilities)
            borrowers = loans.dropna(subset=["borrower_key"]).groupby("facility_code")["borrower_key"].nunique()
            sessions = self._in(self.sessions, p.start, p.end, s.facilities)
            rows[name] = {"loans": fm.get("loans", pd.Series(dtype=float)).sum(min_count=1),
                          "borrowers": borrowers.sum() or None,
                          "visitors_library": fm.get("visitors_library", pd.Series(dtype=float)).sum(min_count=1),
                          "visitors_pusling": fm.get("visitors_pusling", pd.Series(dtype=float)).sum(min_count=1),
                          "training_sessions": len(sessions) or None,
                          "training_participants": sessions["participants"].sum(min_count=1),
                          "participants_l": sessions["participants_l"].sum(min_count=1),
                          "participants_p": sessions["participants_p"].sum(min_count=1),
                          "facilities_reported": fm["facility_code"].nunique(),
                          "loans_rate": self._rate(fm, "loans") if "loans" in fm else None}
        return pd.DataFrame(rows).T

    def monthly(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)
        return fm.groupby("month").agg(loans=("loans", "sum"), visitors_library=("visitors_library", "sum"),
                                       visitors_pusling=("visitors_pusling", "sum"),
                                       training_participants=("training_participants", "sum"),
                                       facilities=("facility_code", "nunique"))

    def ranking(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)
        out = fm.groupby("facility_code").agg(loans=("loans", "sum"), visitors=("visitors", "sum"),
                                              training_participants=("training_participants", "sum"),
                                              months_reported=("month", "nunique"), occupants=("occupants", "last"))
        out["loans_trend"] = fm.pivot_table(index="facility_code", columns="month", values="loans").values.tolist()
        out["loans_rate"] = out["loans"] / fm.groupby("facility_code")["occupants"].sum()
        return out.join(self.facility.set_index("code")[["short_name", "type", "regency"]]).sort_values(
            "loans", ascending=False)

    def map_points(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)
        per = fm.groupby("facility_code")[["loans", "visitors", "training_participants"]].sum()
        return self.facility.set_index("code")[["short_name", "lat", "lon"]].join(per, how="inner")

    def agreement_status(self, today, codes) -> pd.DataFrame:
        a = self.agreements[self.agreements["facility_code"].isin(codes)]
        t = pd.Timestamp(today)
        covering = a[(pd.to_datetime(a["valid_from"]) <= t) & (pd.to_datetime(a["valid_until"]) >= t)]
        covering = covering.sort_values("valid_until").groupby("facility_code").last()
        latest = a.groupby("facility_code")["valid_until"].max()
        f = self.facility[self.facility["holds_inmates"] & self.facility["code"].isin(codes)].set_index("code")
        f["valid_until"] = covering["valid_until"]
        f["last_until"] = latest
        days = (pd.to_datetime(f["valid_until"]) - t).dt.days
        f["status"] = np.where(f["valid_until"].notna() & (days <= 60), "expiring",
                               np.where(f["valid_until"].notna(), "active",
                                        np.where(pd.to_datetime(f["last_until"]) < t, "expired", "none")))
        return f

    def last_reports(self, unit) -> pd.DataFrame:
        c = self.current_cell[self.current_cell["facility_code"] == unit].merge(self.batch, on="batch_id")
        return c.sort_values("month").groupby(["dataset_x", "part"]).last()

    def facility_monthly(self, unit, s) -> pd.DataFrame:
        from warehouse.metrics import add_months

        fm = self._fm(add_months(s.start, -11), s.end, (unit,)).set_index("month").sort_index()
        months = pd.date_range(pd.Timestamp(add_months(s.start, -11)), pd.Timestamp(s.end), freq="MS")
        fm = fm.reindex(months)
        for c in ("loans", "visitors", "training_participants"):
            if c in fm:
                fm[f"{c}_rolling12"] = fm[c].rolling(12, min_periods=1).mean()
        return fm[fm.index >= pd.Timestamp(s.start)]

    def loan_categories(self, s) -> pd.DataFrame:
        loans = self._in(self.loans, s.start, s.end, s.facilities)
        return loans.groupby(["month", loans["category"].fillna("Tidak diketahui")])["n_loans"].sum().reset_index()

    def sessions_list(self, s) -> pd.DataFrame:
        out = self._in(self.sessions, s.start, s.end, s.facilities)
        return out.merge(self.facility[["code", "short_name"]], left_on="facility_code", right_on="code").sort_values(
            ["start_date", "short_name"])

    def loan_heatmap(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)
        return fm.pivot_table(index="facility_code", columns="month", values="loans")

    def top_titles(self, s, n: int = 5) -> pd.DataFrame:
        loans = self._in(self.loans, s.start, s.end, s.facilities)
        per = loans.dropna(subset=["title"]).groupby(["facility_code", "title"])["n_loans"].sum().reset_index()
        per = per.sort_values(["facility_code", "n_loans", "title"], ascending=[True, False, True])
        return per.groupby("facility_code").head(n)

    def returns(self, s) -> pd.DataFrame:
        loans = self._in(self.loans, s.start, s.end, s.facilities)
        known = loans[loans["returned"].notna()]
        returned = known["returned"].astype(bool)
        overdue = (returned & (known["return_date"] > known["due_date"])) | \
                  (~returned & (known["due_date"] < known["loaded_on"]))
        frame = pd.DataFrame({"facility_code": known["facility_code"], "with_status": known["n_loans"],
                              "returned": known["n_loans"].where(returned, 0),
                              "on_loan": known["n_loans"].where(~returned, 0),
                              "overdue": known["n_loans"].where(overdue, 0)})
        return frame.groupby("facility_code").sum().sort_values("with_status", ascending=False)

    def visits_by_service(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)
        return fm[["facility_code", "month", "visitors_library", "visitors_pusling", "occupants"]]

    def visits_per_day(self, s) -> pd.DataFrame:
        visits = self._in(self.visits, s.start, s.end, s.facilities)
        dated = visits.dropna(subset=["visit_date"]).groupby(["facility_code", "service"])["visit_date"].nunique()
        undated = visits[visits["visit_date"].isna()].groupby(["facility_code", "service"])["service_days"].sum()
        days = dated.add(undated, fill_value=0)
        people = visits.groupby(["facility_code", "service"])["n_visitors"].sum()
        return (people / days).unstack("service")

    def visitor_groups(self, s) -> pd.DataFrame:
        visits = self._in(self.visits, s.start, s.end, s.facilities)
        return visits.groupby(["service", visits["visitor_group"].fillna("tidak disebut")])["n_visitors"].sum()

    def training_by(self, dimension: str, s) -> pd.DataFrame:
        sessions = self._in(self.sessions, s.start, s.end, s.facilities)
        key = sessions["facility_code"] if dimension == "facility" else sessions[dimension].fillna("–")
        return sessions.groupby(key).agg(sessions=("session_key", "size"), participants=("participants", "sum"),
                                         participants_l=("participants_l", "sum"),
                                         participants_p=("participants_p", "sum"))

    def agreement_register(self, codes) -> pd.DataFrame:
        return self.agreements[self.agreements["facility_code"].isin(codes)].sort_values(
            ["facility_code", "valid_from"])

    def without_agreement(self, s) -> pd.DataFrame:
        fm = self._fm(s.start, s.end, s.facilities)[["facility_code", "month"]]
        a = self.agreements[["facility_code", "valid_from", "valid_until"]]
        m = fm.merge(a, on="facility_code", how="left")
        covered = (pd.to_datetime(m["valid_from"]) <= m["month"] + pd.offsets.MonthEnd(0)) & \
                  (pd.to_datetime(m["valid_until"]) >= m["month"])
        m["covered"] = covered
        per_month = m.groupby(["facility_code", "month"])["covered"].any()
        return per_month[~per_month].reset_index().groupby("facility_code")["month"].agg(["size", "min", "max"])

    def deposits(self, s) -> pd.DataFrame:
        p = self.packages[self.packages["facility_code"].isin(s.facilities)].copy()
        p["month"] = pd.to_datetime(p["month"])
        moves = p.groupby(["facility_code", "month"])[["books_delivered", "books_returned"]].sum()
        moves["on_deposit"] = (moves["books_delivered"].fillna(0) - moves["books_returned"].fillna(0)).groupby(
            level=0).cumsum()
        months = pd.date_range(pd.Timestamp(s.start), pd.Timestamp(s.end), freq="MS")
        grid = pd.MultiIndex.from_product([list(s.facilities), months], names=["facility_code", "month"])
        out = moves.reindex(moves.index.union(grid)).sort_index()
        out["on_deposit"] = out["on_deposit"].groupby(level=0).ffill()
        out = out.reindex(grid)
        fm = self._fm(s.start, s.end, s.facilities).set_index(["facility_code", "month"])
        out["loans"] = fm["loans"]
        out["turnover"] = out["loans"] / out["on_deposit"].where(out["on_deposit"] != 0)
        return out

    def turnover(self, s) -> pd.DataFrame:
        d = self.deposits(s)
        on = d[d["on_deposit"] > 0]
        return on.groupby(level=0).agg(loans=("loans", "sum"), mean=("on_deposit", "mean"))

    def occupancy_list(self, codes) -> pd.DataFrame:
        return self.occupancy[self.occupancy["facility_code"].isin(codes)].sort_values(
            ["facility_code", "snapshot_date"], ascending=[True, False])

    def completeness(self, s, today) -> pd.DataFrame:
        cells = self.batch_cell.merge(self.batch[["batch_id", "received_at", "undone_at", "loaded_by", "file_name"]],
                                      on="batch_id")
        cells = cells[cells["undone_at"].isna() & (cells["dataset"].isin(["training", "attendance"])
                                                   | (cells["dataset"].isin(["loans", "visits"])
                                                      & (cells["part"] == "perpustakaan")))].copy()
        cells["dataset"] = cells["dataset"].replace({"attendance": "training"})
        cells["month"] = pd.to_datetime(cells["month"])
        first = cells.sort_values("received_at").groupby(["facility_code", "month", "dataset"]).first()
        months = pd.date_range(pd.Timestamp(s.start), pd.Timestamp(s.end), freq="MS")
        codes = self.facility[self.facility["holds_inmates"] & self.facility["code"].isin(s.facilities)]["code"]
        grid = pd.MultiIndex.from_product([list(codes), months, ["loans", "visits", "training"]],
                                          names=["facility_code", "month", "dataset"])
        out = first.reindex(grid).reset_index()
        out["due"] = out["month"] + pd.DateOffset(months=1) + pd.Timedelta(days=9)
        late = pd.to_datetime(out["received_at"]).dt.normalize() > out["due"]
        out["status"] = np.where(out["received_at"].isna(),
                                 np.where(pd.Timestamp(today) > out["due"], "missing", "not_due"),
                                 np.where(late, "late", "on_time"))
        return out

    def batches(self) -> pd.DataFrame:
        cells = self.batch_cell.merge(self.current_cell, on=["batch_id", "dataset", "facility_code", "month", "part"],
                                      how="left", indicator=True)
        per = cells.groupby("batch_id").agg(cells=("part", "size"),
                                            in_force=("_merge", lambda m: int((m == "both").sum())),
                                            first_month=("month", "min"), last_month=("month", "max"))
        return self.batch.set_index("batch_id").join(per).sort_index(ascending=False).head(2000)

    def page_calls(self, v: View) -> dict[str, list[tuple[str, object]]]:
        s = v.scope
        sidebar = [("data_range", lambda: (self.current_cell["month"].min(), self.current_cell["month"].max())),
                   ("facilities", lambda: self.facility[self.facility["holds_inmates"]].sort_values(
                       ["type", "short_name"]))]
        pages = {
            "ringkasan (overview)": [("agreements.status", lambda: self.agreement_status(v.today, v.codes)),
                                     ("kpis", lambda: self.kpis(s)), ("monthly", lambda: self.monthly(s)),
                                     ("ranking", lambda: self.ranking(s)), ("map_points", lambda: self.map_points(s))],
            "fasilitas": [("last_reports", lambda: self.last_reports(v.unit)),
                          ("facility_monthly", lambda: self.facility_monthly(v.unit, s.at_least(12))),
                          ("loan_categories", lambda: self.loan_categories(s.only(v.unit))),
                          ("sessions", lambda: self.sessions_list(s.only(v.unit)))],
            "peminjaman": [("loan_heatmap", lambda: self.loan_heatmap(s)),
                           ("loan_categories", lambda: self.loan_categories(s)),
                           ("top_titles", lambda: self.top_titles(s)), ("returns", lambda: self.returns(s))],
            "kunjungan": [("monthly", lambda: self.monthly(s)), ("visits_by_service", lambda: self.visits_by_service(s)),
                          ("visits_per_day", lambda: self.visits_per_day(s)),
                          ("visitor_groups", lambda: self.visitor_groups(s))],
            "pelatihan": [("sessions", lambda: self.sessions_list(s)), ("kpis", lambda: self.kpis(s)),
                          *[(f"training_by {d}", (lambda d=d: self.training_by(d, s)))
                            for d in ("topic", "audience", "organiser", "facility")]],
            "kerjasama": [("agreements.status", lambda: self.agreement_status(v.today, v.codes)),
                          ("agreements.register", lambda: self.agreement_register(v.codes)),
                          ("activity_without_agreement", lambda: self.without_agreement(s))],
            "paket": [("packages.deposits", lambda: self.deposits(s)), ("packages.turnover", lambda: self.turnover(s))],
            "hunian": [("occupancy", lambda: self.occupancy_list(v.codes))],
            "kelengkapan": [("completeness.matrix", lambda: self.completeness(s, v.today))],
            "riwayat": [("queries.batches", lambda: self.batches())],
            "akun + audit": [("accounts.list_users", lambda: self.users.sort_values("username")),
                             ("accounts.audit_entries", lambda: self.audit.sort_values("audit_id",
                                                                                       ascending=False).head(2000))],
        }
        return {page: sidebar + calls for page, calls in pages.items()}


def check_agreement(usual: UsualWay, v: View) -> list[str]:
    """Both ways must compute the same headline figures, or the comparison means nothing."""
    from warehouse import metrics

    ours = metrics.kpis(v.scope).loc["current"]
    theirs = usual.kpis(v.scope).loc["current"]
    problems = []
    for column in ("loans", "borrowers", "visitors_library", "visitors_pusling", "training_sessions",
                   "training_participants", "facilities_reported"):
        a, b = ours[column], theirs[column]
        a = 0 if pd.isna(a) else float(a)
        b = 0 if pd.isna(b) else float(b)
        if abs(a - b) > 1e-6 * max(1.0, abs(a)):
            problems.append(f"{v.name}: {column} differs (warehouse {a:,.0f}, pandas {b:,.0f})")
    ranked = metrics.ranking(v.scope).set_index("code")["loans"].dropna()
    theirs_ranked = usual.ranking(v.scope)["loans"]
    theirs_ranked = theirs_ranked[theirs_ranked > 0]
    if not np.allclose(ranked.sort_index().to_numpy(dtype=float),
                       theirs_ranked.reindex(ranked.index).sort_index().to_numpy(dtype=float)):
        problems.append(f"{v.name}: loans per facility differ")
    return problems


# ----------------------------------------------------------- monthly upload
class _Upload:
    """A normalised file of one dataset (what ``etl.pipeline.read_file`` hands the loader)."""

    format = "xlsx"
    data = None
    errors: list = []
    problems: list = []

    def __init__(self, dataset: str, frame: pd.DataFrame, name: str):
        from etl.validate import cell_counts

        self.dataset, self.frame, self.name = dataset, frame, name
        self.sha256 = os.urandom(32).hex()
        self._counts = cell_counts(frame, dataset)

    @property
    def datasets(self):
        return [self.dataset]

    def records(self, dataset):
        return self.frame

    def cell_counts(self, dataset):
        return self._counts

    def cells(self, dataset):
        return set(self._counts)

    def rejected(self, dataset):
        return []

    def rows_read(self, dataset):
        return len(self.frame)

    def sheet_names(self, dataset):
        return ["Sheet1"]


def upload_for(kind: str) -> _Upload:
    """One big unit's SLiMS loans for one month, as the loader receives them: the latest
    month (replacing the report in force), a month five years back (a correction), or
    the first report of a new month (the latest month's loans a month later)."""
    from warehouse.db import connect

    with connect() as con:
        first, last = con.execute("SELECT min(month), max(month) FROM current_cell WHERE dataset = 'loans'").fetchone()
        month = max(first, dt.date(last.year - 5, last.month, 1)) if kind == "old" else last
        code = con.execute("""SELECT facility_code FROM mart_activity_month WHERE month = ? AND loan_lines > 0
                              AND has_visits AND has_training ORDER BY loans DESC LIMIT 1""", [month]).fetchone()
        if code is None:
            raise RuntimeError(f"no unit reported loan lines, visits and training for {month}")
        frame = con.execute("""
            SELECT l.* EXCLUDE (batch_id) FROM stg_loan l JOIN current_cell c ON c.dataset = 'loans'
              AND c.batch_id = l.batch_id AND c.facility_code = l.facility_code AND c.month = l.month
              AND c.part = l.service
            WHERE l.facility_code = ? AND l.month = ? ORDER BY l.source_row""", [code[0], month]).df()
    frame = frame.iloc[: max(1, len(frame) - 3)].copy()  # the corrected export: a few loans fewer
    if kind == "new":
        shift = pd.DateOffset(months=1)
        for column in ("month", "loan_date", "due_date", "return_date"):
            frame[column] = pd.to_datetime(frame[column]) + shift
        month = (pd.Timestamp(month) + shift).date()
    return _Upload("loans", frame, f"{code[0]}_peminjaman_slims_{month:%Y-%m}.xlsx")


def time_refresh(upload: _Upload, warmup: int, repeats: int) -> tuple[Timing, Timing, int]:
    """``load_file`` (dry run, rolled back) of ``upload``; returns the times of
    ``marts.refresh`` inside it, of the whole load, and the facility-months refreshed."""
    from warehouse import marts
    from warehouse.db import release
    from warehouse.load import load_file

    refreshes: list[float] = []
    cells = [0]
    original = marts.refresh

    def timed(con, touched, datasets=None):
        start = time.perf_counter()
        n = original(con, touched, datasets)
        refreshes.append(time.perf_counter() - start)
        cells[0] = n
        return n

    marts.refresh = timed
    loads = []
    try:
        for k in range(warmup + repeats):
            release()
            gc.collect()
            start = time.perf_counter()
            load_file(upload, loaded_by="bench", dry_run=True)
            loads.append(time.perf_counter() - start)
    finally:
        marts.refresh = original
    return Timing(refreshes[warmup:]), Timing(loads[warmup:]), cells[0]


# --------------------------------------------------------------------- run
def _fmt_calls(per_call: dict[str, list[float]]) -> str:
    return ", ".join(f"{label} {statistics.median(v) * 1000:.1f} ms (max {max(v) * 1000:.1f})"
                     for label, v in per_call.items())


def run(size: str, work: Path) -> list[Row]:
    built = national.database(size, work)
    env = national.environment(size, work)
    warmup, repeats = REPEATS[size]
    full = size == "full"
    rows: list[Row] = []
    from warehouse import db, metrics

    with db.using(env):

        the_views = views()
        # the usual way's start: every fact in force into pandas
        gc.collect()
        start = time.perf_counter()
        usual = UsualWay().load()
        load_seconds = time.perf_counter() - start
        n_loans = len(usual.loans)
        # our cold start: open the warehouse and answer the overview's queries
        db.release()
        overview = page_calls(the_views[0])["ringkasan (overview)"]
        cold, _ = time_page(overview, 0, 1)
        rows.append(Row(NAME, f"cold start: open the warehouse and run the overview's queries vs load "
                              f"{n_loans / 1e6:.1f} M loans and the other facts in force into pandas",
                        cold, Timing([load_seconds]), cold.median / load_seconds, judged=full))
        problems = [p for v in the_views for p in check_agreement(usual, v)]
        # what a page view after a pause pays first: reopening the DuckDB file
        reopen, _ = time_page([("data_range", lambda: db.release() or metrics.data_range())], warmup, repeats)
        warm, _ = time_page([("data_range", lambda: metrics.data_range())], warmup, repeats)
        rows.append(Row(NAME, "reopening the warehouse: the first query of a page viewed after a pause (data_range) "
                              "vs the same query with the file open", reopen, warm, reopen.median / warm.median,
                        judged=full))
        for v in the_views:
            ours_pages = page_calls(v)
            theirs_pages = usual.page_calls(v)
            for page, calls in ours_pages.items():
                mine, per_call = time_page(calls, warmup, repeats)
                theirs, their_calls = time_page(theirs_pages[page], min(warmup, 1), max(1, repeats // 5), cold=False)
                slowest = max(per_call, key=lambda k: statistics.median(per_call[k]))
                rows.append(Row(NAME, f"{page}, {v.name}: {len(calls)} queries", mine, theirs,
                                mine.median / theirs.median, limit=PAGE_LIMIT, judged=full,
                                notes=[f"{page}, {v.name} ({v.scope.start:%Y-%m}..{v.scope.end:%Y-%m}, "
                                       f"{len(v.codes)} units{', unit ' + v.unit if page == 'fasilitas' else ''}): "
                                       f"slowest {slowest}; per query: {_fmt_calls(per_call)}."]))
        # a monthly upload's refresh of the marts
        for kind, label in (("latest", "the latest month of one unit (replacing its report)"),
                            ("new", "the first report of a new month (every unit's latest 12 months move)"),
                            ("old", "a correction of one month five years back")):
            upload = upload_for(kind)
            refresh, whole, n_cells = time_refresh(upload, min(warmup, 1), max(2, repeats // 3))
            rows.append(Row(NAME, f"monthly upload, {label}: marts.refresh of {n_cells} facility-month(s) "
                                  f"({len(upload.frame):,} loan rows) vs reloading the facts into pandas",
                            refresh, Timing([load_seconds]), refresh.median / load_seconds, limit=REFRESH_LIMIT,
                            judged=full,
                            notes=[f"{label}: the whole load_file (insert the batch, replace the cells, refresh, "
                                   f"roll back) took {whole}; the file: {upload.name}."]))
        db.release()
    if problems:
        rows[0].notes += [f"Warning, the usual way disagrees: {p}" for p in problems]
    else:
        rows[0].notes.append("Both ways agree on the headline figures (loans, borrowers, visitors, sessions, "
                             "participants, units reporting; loans per unit) of both views.")
    rows[0].notes.append(f"Warehouse: {built.path.name}, {built.path.stat().st_size / 1e6:,.0f} MB; "
                         f"{', '.join(f'{k} {v:,}' for k, v in built.counts.items() if k.startswith('mart_'))}.")
    return rows


GAPS = """
The pages' figures move with the machine's load by about a third between runs (the pandas baseline of
the same views moved from 47 s to 74 s between two runs on this machine on the same day); the overview's
default view, the heaviest page, measured 123 ms in one run and 167 ms in another. Where its time goes
(the per-query notes above): the KPIs of three periods (current, previous, a year earlier) with the
borrowers of each, the monthly trend, the 530-unit ranking with a 12-month sparkline per unit, the map
points, plus the sidebar's two queries; each query also pays DuckDB's bind and optimise (2 to 20 ms for
these CTE-heavy queries, which cannot be prepared once across the short connections).

Already done: every per-100 rate reads the occupancy in force from ``mart_occupancy_month`` (it was an
ASOF join of the whole activity mart in every query), the borrowers of any period come from month
bitmaps (``mart_borrower_span``: 10× faster than a distinct count over a row per borrower and month),
the loans page's default top titles come from ``mart_loan_title_top12``, and completeness and history
filter before they group.

What would close the rest: a mart of the ranking's row per unit and period preset (this month, this
quarter, this year, last 12 months: what the sidebar offers), refreshed with the others, would turn
the ranking and the map into reads of 530 rows; and the three KPI periods could be one grouped pass
instead of three joins.
"""
