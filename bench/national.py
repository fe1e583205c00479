"""The national warehouse (issue 8): 530 units x 10 years, generated straight
into a DuckDB file, cached under ``bench/work/`` between runs.

If other provinces adopt the tool, Perpusnas or the directorate of corrections
would run it for about 530 units. The generator writes what ten years of loads
would have left behind, in the warehouse's own tables: the facility register
(the 15 real Kalsel units among 515 synthetic ones, with types, classes,
regencies of 38 provinces and coordinates), ``batch``, ``batch_cell``,
``current_cell``, every ``stg_*`` table, dated occupancy figures, agreements,
book packages and the audit log; then it builds the marts with
``warehouse.marts.rebuild``, as a fresh installation would.

What the data looks like (full size):

* about 20 million transaction-level loans: most units export SLiMS loan
  histories (one row per loan, pseudonymous borrower keys, titles from a
  catalogue, each unit with its own popular titles); the others send monthly
  recaps per DDC class;
* about 3 million visit rows: daily head counts, per-visitor SLiMS rows for
  about one unit in ten, group (rombongan) rows, a monthly total from some
  recap units, and the province library's mobile-library (pusling) calls;
* about 0.5 million training rows: sessions from the training reports and
  attendance lists (one batch per list) for about one session in seven;
* realistic skew: unit sizes are log-normal (40 to 4,000 inmates; small units
  read more per head, LPKA most of all), seasonality (Idul Fitri, the reading
  month, the year end), slow growth, units that adopt the tool late, missing
  months (a unit does not report about one month in thirty, and 45% of the
  units have not yet reported the latest month), late reports, corrections
  that supersede an earlier batch (2% of the monthly loan reports);
* history before the last 24 months arrives as annual files, then month by
  month; batch ids follow the order in which files were loaded, and staging
  rows are stored in batch order, as real loads leave them.

The database is regenerated only when it is missing, when its generator
version changed, or with ``python -m bench --regenerate``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import Row, Timing

NAME = "national"
DESCRIPTION = __doc__
GENERATOR_VERSION = "8.4"
TODAY = dt.date(2026, 11, 21)           # PANTAU_TODAY of every national workload
LAST_MONTH = dt.date(2026, 10, 1)       # the latest reporting month
MONTHLY_MONTHS = 24                      # the last 24 months arrive month by month
BENCH_USER, BENCH_PASSWORD = "bench", "Bench-national-2026!"


@dataclass(frozen=True)
class Size:
    facilities: int      # inmate-holding units, the 15 real ones included
    months: int
    loans: int           # transaction-level loan rows (approximately)


SIZES = {"smoke": Size(facilities=20, months=12, loans=20_000), "full": Size(facilities=530, months=120,
                                                                          loans=20_000_000)}

PROVINCES = [  # name, centre latitude, centre longitude
    ("Aceh", 4.7, 96.7), ("Sumatera Utara", 2.1, 99.5), ("Sumatera Barat", -0.7, 100.6), ("Riau", 0.3, 101.7),
    ("Kepulauan Riau", 3.9, 108.1), ("Jambi", -1.6, 103.6), ("Sumatera Selatan", -3.3, 104.0),
    ("Kepulauan Bangka Belitung", -2.7, 106.4), ("Bengkulu", -3.8, 102.3), ("Lampung", -4.6, 105.4),
    ("DKI Jakarta", -6.2, 106.8), ("Jawa Barat", -6.9, 107.6), ("Banten", -6.4, 106.1),
    ("Jawa Tengah", -7.2, 110.1), ("DI Yogyakarta", -7.8, 110.4), ("Jawa Timur", -7.5, 112.2), ("Bali", -8.4, 115.2),
    ("Nusa Tenggara Barat", -8.6, 117.4), ("Nusa Tenggara Timur", -8.7, 121.1),
    ("Kalimantan Barat", -0.3, 111.5), ("Kalimantan Tengah", -1.7, 113.4), ("Kalimantan Selatan", -3.1, 115.3),
    ("Kalimantan Timur", 0.5, 116.4), ("Kalimantan Utara", 3.1, 116.0), ("Sulawesi Utara", 0.6, 123.9),
    ("Gorontalo", 0.7, 122.4), ("Sulawesi Tengah", -1.4, 121.4), ("Sulawesi Barat", -2.8, 119.2),
    ("Sulawesi Selatan", -3.7, 120.0), ("Sulawesi Tenggara", -4.1, 122.2), ("Maluku", -3.2, 130.1),
    ("Maluku Utara", 1.6, 127.8), ("Papua", -4.3, 138.1), ("Papua Barat", -1.3, 133.2),
    ("Papua Barat Daya", -1.0, 131.5), ("Papua Tengah", -3.9, 136.4), ("Papua Pegunungan", -4.1, 139.0),
    ("Papua Selatan", -7.5, 139.5)]
KALSEL = 21
PREFIXES = ("Suka", "Tanjung", "Sungai", "Bukit", "Batu", "Kota", "Muara", "Teluk", "Pangkalan", "Rantau", "Padang",
            "Labuhan", "Tebing", "Air", "Simpang", "Bandar", "Tanah", "Lubuk", "Karang", "Pulau")
SUFFIXES = ("Jaya", "Makmur", "Baru", "Raya", "Indah", "Sari", "Tinggi", "Tengah", "Hilir", "Hulu", "Putih", "Merah",
            "Rejo", "Mulya", "Agung", "Dalam", "Panjang", "Lama", "Kencana", "Harapan")
CATEGORIES = [("000 Karya Umum", 3), ("100 Filsafat & Psikologi", 7), ("200 Agama", 30), ("300 Ilmu Sosial", 6),
              ("400 Bahasa", 5), ("500 Ilmu Murni", 3), ("600 Ilmu Terapan", 13), ("700 Kesenian & Olahraga", 4),
              ("800 Kesusastraan", 24), ("900 Sejarah & Geografi", 5)]
WORDS = ("Cahaya", "Jalan", "Hati", "Negeri", "Rumah", "Langit", "Senja", "Pelangi", "Sahabat", "Harapan", "Doa",
         "Kisah", "Panduan", "Rahasia", "Belajar", "Bertani", "Usaha", "Sejarah", "Kitab", "Mimpi", "Laut", "Bumi",
         "Pulang", "Iman", "Ilmu", "Anak", "Ibu", "Sabar", "Tangguh", "Merdeka")
TRAININGS = [("Kelas Literasi Membaca", "Literasi", "Dispersip"), ("Bedah Buku Bersama Warga Binaan", "Literasi", ""),
             ("Pelatihan Menulis Cerpen", "Menulis", "Dispersip"), ("Pelatihan Budidaya Anggrek", "Anggrek", ""),
             ("Pelatihan Hidroponik", "Hidroponik", "Dinas Pertanian"),
             ("Pelatihan Teknologi Tepat Guna", "Teknologi Tepat Guna", "Dispersip"),
             ("Lomba Resensi Buku", "Literasi", "")]
SEASON = [0.92, 0.98, 1.0, 0.9, 1.12, 1.0, 1.02, 1.1, 1.05, 1.04, 1.0, 0.85]
STAFF = ("sari", "budi", "rina", "yusuf", "dewi", "agus", "maya", "hendra")


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


# ------------------------------------------------------------------ where
def database_path(size: str, work: Path) -> Path:
    return work / f"national-{size}.duckdb"


def environment(size: str, work: Path) -> dict[str, str]:
    """The settings every national workload runs with (the server's too)."""
    folder = work / f"national-{size}"
    return {"PANTAU_DB": str(database_path(size, work)), "PANTAU_SECRET_FILE": str(folder / "secret.key"),
            "PANTAU_ORIGINALS_DIR": str(folder / "originals"), "PANTAU_DOCUMENTS_DIR": str(folder / "documents"),
            "PANTAU_TODAY": TODAY.isoformat(), "PANTAU_LANG": "id", "PANTAU_DEMO_ON_EMPTY": "0"}


@dataclass
class Built:
    path: Path
    generated: bool              # generated by this run (else reused from an earlier run)
    seconds: dict                # phase -> seconds (from the run that generated it)
    counts: dict                 # table -> rows


def _stored(path: Path) -> tuple[str | None, dict, dict]:
    import duckdb
    import json

    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception:
        return None, {}, {}
    try:
        rows = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'bench_%'").fetchall())
    except Exception:
        rows = {}
    finally:
        con.close()
    return (rows.get("bench_generator"), json.loads(rows.get("bench_seconds", "{}")),
            json.loads(rows.get("bench_counts", "{}")))


def database(size: str, work: Path, regenerate: bool | None = None) -> Built:
    """The national warehouse for ``size``: the cached file, or a new one."""
    if regenerate is None:
        regenerate = os.environ.get("BENCH_REGENERATE") == "1"
    path = database_path(size, work)
    if path.exists() and not regenerate:
        version, seconds, counts = _stored(path)
        if version == GENERATOR_VERSION:
            return Built(path, False, seconds, counts)
    seconds, counts = generate(path, size)
    return Built(path, True, seconds, counts)


# ---------------------------------------------------------------- generate
def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _facilities(real: pd.DataFrame, seeds: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """The register: the real inmate-holding units and synthetic ones up to ``n``."""
    real = real[real["holds_inmates"]].copy()
    latest = seeds.dropna(subset=["occupants"]).sort_values("snapshot_date").groupby("facility_code").last()
    real["occupants"] = [int(latest["occupants"].get(c, 200)) for c in real["code"]]
    real["province"] = KALSEL
    real["synthetic"] = False
    k = n - len(real)
    places = [f"{p} {s}" for p in PREFIXES for s in SUFFIXES]
    places += [f"{p} {s} {d}" for p in PREFIXES for s in SUFFIXES for d in ("Timur", "Barat", "Utara", "Selatan")]
    rng.shuffle(places)
    places = places[:k]
    kinds = rng.choice(["Lapas", "Rutan", "LPKA"], size=k, p=[0.56, 0.38, 0.06])
    province = rng.integers(0, len(PROVINCES), size=k)
    rows = []
    for i in range(k):
        kind, place, prov = kinds[i], places[i], int(province[i])
        klass = {"Lapas": rng.choice(["I", "IIA", "IIB", "III"], p=[0.1, 0.35, 0.45, 0.1]),
                 "Rutan": rng.choice(["I", "IIA", "IIB"], p=[0.1, 0.3, 0.6]), "LPKA": rng.choice(["I", "II"])}[kind]
        u = rng.random()
        speciality = "anak" if kind == "LPKA" else ("narkotika" if u < 0.06 else "perempuan" if u < 0.12 else "umum")
        label = {"narkotika": "Narkotika ", "perempuan": "Perempuan "}.get(speciality, "") if kind == "Lapas" else ""
        long = {"Lapas": "Lembaga Pemasyarakatan", "Rutan": "Rumah Tahanan Negara",
                "LPKA": "Lembaga Pembinaan Khusus Anak"}[kind]
        occupants = int(np.clip(rng.lognormal(6.0, 0.85), 40, 4000)) if kind != "LPKA" else int(rng.integers(40, 260))
        name, lat, lon = PROVINCES[prov]
        rows.append({
            "code": f"{kind.lower()}-{_slug(label + place)}-{i + 1:03d}",
            "official_name": f"{long} {label}Kelas {klass} {place}", "short_name": f"{kind} {label}{place}",
            "type": kind, "class": klass, "speciality": speciality,
            "regency": f"Kab. {PREFIXES[int(rng.integers(len(PREFIXES)))]} {SUFFIXES[prov % len(SUFFIXES)]} ({name})",
            "address": f"Jl. {place}", "holds_inmates": True,
            "lat": round(lat + rng.normal(0, 0.8), 4), "lon": round(lon + rng.normal(0, 1.0), 4),
            "verification": "sintetis (bench)", "source_url": None, "notes": None, "occupants": occupants,
            "province": prov, "synthetic": True})
    out = pd.concat([real, pd.DataFrame(rows)], ignore_index=True)
    m = len(out)
    out["idx"] = np.arange(m)
    known_slims = {"lapas-banjarmasin", "lapas-banjarbaru", "lapas-narkotika-karang-intan"}
    out["slims"] = [c in known_slims if not s else bool(u < 0.72) for c, s, u in
                    zip(out["code"], out["synthetic"], rng.random(m))]
    out["detail_visits"] = out["slims"] & (rng.random(m) < 0.14)
    out["monthly_visit_total"] = ~out["slims"] & (rng.random(m) < 0.15)
    late = rng.random(m) < 0.3
    out["start"] = np.where(late, rng.integers(1, 80, size=m), 0)
    per_head = np.where(out["occupants"] > 1000, 0.55, 0.8) * rng.uniform(0.7, 1.3, size=m)
    per_head = np.where(out["type"] == "LPKA", per_head * 3, per_head)
    out["loan_rate"] = out["occupants"] * per_head
    out["visits_per_day"] = np.maximum(4, out["occupants"] * 0.03 * rng.uniform(0.6, 1.4, size=m))
    out["members"] = np.maximum(30, (out["occupants"] * rng.uniform(0.25, 0.45, size=m)).astype(int))
    out["female"] = out["speciality"] == "perempuan"
    out["title_offset"] = rng.integers(0, 6000, size=m)
    out["agreements"] = rng.random(m) < 0.85
    out["packages"] = rng.random(m) < 0.6
    return out


def _facility_months(fac: pd.DataFrame, size: Size, rng: np.random.Generator) -> pd.DataFrame:
    first = add_months(LAST_MONTH, -(size.months - 1))
    months = [add_months(first, k) for k in range(size.months)]
    n_f, n_m = len(fac), len(months)
    fm = pd.DataFrame({"fac": np.repeat(fac["idx"].to_numpy(), n_m), "k": np.tile(np.arange(n_m), n_f)})
    fm["month"] = pd.to_datetime(np.tile(np.array(months, dtype="datetime64[D]"), n_f))
    fm = fm[fm["k"] >= fac["start"].to_numpy()[fm["fac"]]].reset_index(drop=True)
    n = len(fm)
    latest = fm["k"] == n_m - 1
    pending = rng.random(n_f) < 0.45                        # have not reported the latest month yet
    unreported = (rng.random(n) < 0.03) | (latest & pending[fm["fac"]])
    fm["has_loans"] = ~unreported
    fm["has_visits"] = ~unreported & (rng.random(n) > 0.015)
    fm["has_training"] = ~unreported & (rng.random(n) < 0.85)
    fm["has_pusling"] = (rng.random(n) < 0.6) & ~(latest & pending[fm["fac"]])
    f = fac.set_index("idx")
    season = np.array(SEASON)[fm["month"].dt.month.to_numpy() - 1]
    growth = 1 + 0.05 * fm["k"].to_numpy() / 12
    noise = rng.uniform(0.85, 1.15, size=n)
    weight = f["loan_rate"].to_numpy()[fm["fac"]] * season * growth * noise
    slims = f["slims"].to_numpy()[fm["fac"]]
    scale = size.loans / weight[slims & fm["has_loans"].to_numpy()].sum()
    fm["n_loans"] = np.where(fm["has_loans"], np.maximum(1, np.round(weight * scale)), 0).astype(int)
    fm["slims"] = slims
    fm["detail_visits"] = f["detail_visits"].to_numpy()[fm["fac"]]
    fm["monthly_visit_total"] = f["monthly_visit_total"].to_numpy()[fm["fac"]]
    fm["visits_per_day"] = f["visits_per_day"].to_numpy()[fm["fac"]] * season * growth
    fm["n_groups"] = np.where(rng.random(n) < 0.35, rng.integers(1, 4, size=n), 0)
    fm["n_pusling"] = np.where(fm["has_pusling"], rng.integers(1, 3, size=n), 0)
    fm["n_sessions"] = np.where(fm["has_training"], rng.choice([1, 1, 2, 2, 2, 3], size=n), 0)
    fm["code"] = f["code"].to_numpy()[fm["fac"]]
    fm["province"] = f["province"].to_numpy()[fm["fac"]]
    fm["members"] = f["members"].to_numpy()[fm["fac"]]
    fm["female"] = f["female"].to_numpy()[fm["fac"]]
    fm["title_offset"] = f["title_offset"].to_numpy()[fm["fac"]]
    fm["monthly"] = fm["k"] >= n_m - MONTHLY_MONTHS
    fm["corrected"] = fm["monthly"] & fm["has_loans"] & (rng.random(n) < 0.02)
    fm["fm_id"] = np.arange(n)
    return fm


class _Batches:
    """Batch metadata; ids are assigned in the order the files were loaded."""

    def __init__(self, rng: np.random.Generator):
        self.rows: list[tuple] = []
        self.rng = rng

    def add(self, dataset: str, file_name: str, received: dt.datetime, who: str, sha: str | None = None) -> int:
        key = len(self.rows)
        loaded = received + dt.timedelta(hours=float(self.rng.uniform(0.2, 30)))
        self.rows.append((key, dataset, file_name, sha or os.urandom(32).hex(), received, loaded, who))
        return key

    def frame(self) -> tuple[pd.DataFrame, np.ndarray]:
        """The batches sorted by load time with ids 1..n; and key -> id."""
        frame = pd.DataFrame(self.rows, columns=["key", "dataset", "file_name", "sha256", "received_at", "loaded_at",
                                                 "loaded_by"])
        frame = frame.sort_values(["loaded_at", "key"], kind="stable").reset_index(drop=True)
        frame["batch_id"] = np.arange(1, len(frame) + 1)
        ids = np.empty(len(frame), dtype=np.int64)
        ids[frame["key"].to_numpy()] = frame["batch_id"].to_numpy()
        return frame, ids


def _received(month: dt.date, rng: np.random.Generator) -> dt.datetime:
    deadline = add_months(month, 1).replace(day=10)
    late = rng.random() < 0.12
    day = deadline + dt.timedelta(days=int(rng.integers(1, 13))) if late else \
        deadline - dt.timedelta(days=int(rng.integers(0, 9)))
    return dt.datetime.combine(min(day, TODAY), dt.time(9))


def _plan_batches(fac: pd.DataFrame, fm: pd.DataFrame, sessions: pd.DataFrame, rng: np.random.Generator):
    """Assign every staging row's batch: annual files for the history, monthly
    files for the last 24 months, one pusling file per province-month, one file
    per attendance list; corrections get a later batch than the one they replace."""
    b = _Batches(rng)
    codes = fac["code"].to_numpy()
    fm["year"] = fm["month"].dt.year
    fm_key = {"loans": np.full(len(fm), -1), "visits": np.full(len(fm), -1), "training": np.full(len(fm), -1),
              "loans_old": np.full(len(fm), -1), "pusling": np.full(len(fm), -1)}
    # history: one workbook per unit and year (recap units: one file with three sheets)
    hist = fm[~fm["monthly"]]
    for (fac_idx, year), part in hist.groupby(["fac", "year"], sort=False):
        code = codes[fac_idx]
        received = dt.datetime(year + 1, 1, 10, 9) - dt.timedelta(days=int(rng.integers(0, 20)))
        who = STAFF[fac_idx % len(STAFF)]
        slims = bool(fac.at[fac_idx, "slims"])
        sha = None if slims else os.urandom(32).hex()
        idx = part.index.to_numpy()
        for dataset, flag in (("loans", "has_loans"), ("visits", "has_visits"), ("training", "has_training")):
            rows = idx[part[flag].to_numpy()]
            if len(rows):
                name = (f"{code}_{'peminjaman_slims' if dataset == 'loans' else 'pengunjung' if dataset == 'visits' else 'pelatihan'}_{year}.xlsx"
                        if slims else f"{code}_rekap_literasi_{year}.xlsx")
                fm_key[dataset][rows] = b.add(dataset, name, received, who, sha)
    # the last months: one report per unit and month
    recent = fm[fm["monthly"]]
    for i, row in zip(recent.index.to_numpy(), recent[["fac", "month", "slims", "has_loans", "has_visits",
                                                         "has_training", "corrected"]].itertuples(index=False)):
        code = codes[row.fac]
        month = row.month.date()
        received = _received(month, rng)
        who = STAFF[row.fac % len(STAFF)]
        sha = None if row.slims else os.urandom(32).hex()
        for dataset, flag in (("loans", row.has_loans), ("visits", row.has_visits), ("training", row.has_training)):
            if flag:
                name = f"{code}_{dataset}_{month:%Y-%m}.xlsx" if row.slims else f"{code}_rekap_literasi_{month:%Y-%m}.xlsx"
                if dataset == "loans" and row.corrected:
                    fm_key["loans_old"][i] = b.add(dataset, name, received, who, sha)
                    received_fix = received + dt.timedelta(days=int(rng.integers(3, 20)))
                    fm_key[dataset][i] = b.add(dataset, name.replace(".xlsx", "_perbaikan.xlsx"), received_fix, who)
                else:
                    fm_key[dataset][i] = b.add(dataset, name, received, who, sha)
    # the province library's mobile-library calls: one file per province and month
    pus = fm[fm["has_pusling"]]
    for (prov, month), part in pus.groupby(["province", "month"], sort=False):
        month = month.date()
        key = b.add("visits", f"pusling_{_slug(PROVINCES[prov][0])}_{month:%Y-%m}.xlsx", _received(month, rng),
                    "dispersip")
        fm_key["pusling"][part.index.to_numpy()] = key
    # attendance lists: one file per session
    att = sessions[sessions["attendance"]]
    att_key = np.full(len(sessions), -1)
    for i, (code, day) in zip(att.index.to_numpy(), att[["code", "start_date"]].itertuples(index=False)):
        att_key[i] = b.add("attendance", f"daftar_hadir_{code}_{day:%Y-%m-%d}.xlsx",
                           _received(day.date().replace(day=1), rng), "dispersip")
    # occupancy (one file per unit and year), agreements (one per unit), packages (per unit and year)
    extra = []
    for fac_idx, code in enumerate(codes):
        years = sorted(fm.loc[fm["fac"] == fac_idx, "year"].unique())
        for year in years:
            # a year's figures arrive in the January after it (this year's: last month)
            received = dt.datetime(year + 1, 1, 5, 9) if year < TODAY.year else dt.datetime(TODAY.year, TODAY.month, 2, 9)
            extra.append(("occupancy", fac_idx, year, b.add("occupancy", f"hunian_{code}_{year}.xlsx", received,
                                                            "admin")))
            if fac.at[fac_idx, "packages"]:
                extra.append(("packages", fac_idx, year, b.add("packages", f"paket_buku_{code}_{year}.xlsx",
                                                               received + dt.timedelta(days=1), "dispersip")))
        if fac.at[fac_idx, "agreements"]:
            extra.append(("agreements", fac_idx, 0, b.add("agreements", f"pks_{code}.xlsx",
                                                          dt.datetime(2019, 3, 1, 9), "admin")))
    frame, ids = b.frame()
    for k, keys in fm_key.items():
        fm[f"b_{k}"] = np.where(keys >= 0, ids[np.maximum(keys, 0)], 0)
    sessions["b_attendance"] = np.where(att_key >= 0, ids[np.maximum(att_key, 0)], 0)
    extra = pd.DataFrame(extra, columns=["dataset", "fac", "year", "key"])
    extra["batch_id"] = ids[extra["key"].to_numpy()]
    return frame, extra


def _sessions(fm: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = fm[fm["n_sessions"] > 0]
    rep = np.repeat(rows.index.to_numpy(), rows["n_sessions"].to_numpy())
    s = pd.DataFrame({"fm": rep})
    s["s"] = s.groupby("fm").cumcount()
    n = len(s)
    base = rng.integers(0, len(TRAININGS), size=len(fm))
    s["t"] = (base[s["fm"]] + s["s"]) % len(TRAININGS)
    days = fm["month"].dt.days_in_month.to_numpy()[s["fm"]]
    s["start_date"] = fm["month"].to_numpy()[s["fm"]] + pd.to_timedelta(rng.integers(0, 28, size=n) % days, "D")
    s["code"] = fm["code"].to_numpy()[s["fm"]]
    s["participants"] = rng.integers(10, 41, size=n)
    s["attendance"] = rng.random(n) < 0.2
    s["attendance_only"] = s["attendance"] & (rng.random(n) < 0.3)   # a list without a line in the training report
    return s


def generate(path: Path, size_name: str, seed: int = 8) -> tuple[dict, dict]:
    """Write the national warehouse to ``path``; returns (seconds per phase, rows per table)."""
    import json

    import duckdb

    from warehouse import marts
    from warehouse.register import seed_register
    from warehouse.schema import migrate

    size = SIZES[size_name]
    rng = np.random.default_rng(seed)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute("SET enable_progress_bar = false")
    migrate(con)
    seed_register(con)
    real = con.execute("SELECT * FROM facility ORDER BY code").df()
    seeds = con.execute("SELECT * FROM occupancy").df()
    fac = _facilities(real, seeds, size.facilities, rng)
    synthetic = fac[fac["synthetic"]]
    con.register("synthetic", synthetic[["code", "official_name", "short_name", "type", "class", "speciality",
                                         "regency", "address", "holds_inmates", "lat", "lon", "verification",
                                         "source_url", "notes"]])
    con.execute("INSERT INTO facility BY NAME SELECT * FROM synthetic")  # columns added later stay empty
    con.unregister("synthetic")
    fm = _facility_months(fac, size, rng)
    sessions = _sessions(fm, rng)
    batches, extra = _plan_batches(fac, fm, sessions, rng)
    seconds["plan (numpy)"] = time.perf_counter() - started

    t = time.perf_counter()
    _write_staging(con, fac, fm, sessions, batches, extra, rng)
    seconds["staging (DuckDB SQL)"] = time.perf_counter() - t
    t = time.perf_counter()
    _write_batches(con, batches)
    seconds["batches, cells"] = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    marts.rebuild(con)
    con.execute("COMMIT")
    seconds["marts.rebuild"] = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("CHECKPOINT")
    seconds["checkpoint"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - started
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (
        "facility", "batch", "batch_cell", "current_cell", "stg_loan", "stg_visit", "stg_training_session",
        "stg_training_participant", "stg_occupancy", "stg_agreement", "stg_package", "audit_log",
        *marts.MART_TABLES)}
    counts["facilities_holding_inmates"] = con.execute("SELECT count(*) FROM facility WHERE holds_inmates").fetchone()[0]
    con.execute("INSERT OR REPLACE INTO meta VALUES ('bench_generator', ?), ('bench_seconds', ?), ('bench_counts', ?)",
                [GENERATOR_VERSION, json.dumps(seconds), json.dumps(counts)])
    con.close()
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    tmp.replace(path)
    _prepare_installation(size_name, path.parent)
    return seconds, counts


def _prepare_installation(size_name: str, work: Path) -> None:
    """The secret key, a signed-in account for the browser workloads, a fresh data version."""
    env = environment(size_name, work)
    folder = Path(env["PANTAU_SECRET_FILE"]).parent
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    from warehouse import accounts, db

    with db.using(env):
        accounts.add_user(BENCH_USER, "admin", BENCH_PASSWORD, by="cli:bench")
        db.release()
        db.bump_version(Path(env["PANTAU_DB"]))


RND = "CREATE OR REPLACE TEMP MACRO rnd(a, b, c) AS (hash(a, b, c) % 1000003) / 1000003.0"
KEY = ("lower(lpad(to_hex(hash({a}, {b}, 11)), 16, '0') || lpad(to_hex(hash({b}, {a}, 13) % 4294967296), 8, '0'))")


def _write_staging(con, fac, fm, sessions, batches, extra, rng) -> None:
    con.execute(RND)
    # the title catalogue: each unit borrows mostly from its own popular titles
    weights = np.array([w for _, w in CATEGORIES], dtype=float)
    n_titles = 6000
    cats = rng.choice(len(CATEGORIES), size=n_titles, p=weights / weights.sum())
    words = np.array(WORDS)
    titles = [f"{words[a]} {words[b]} {k + 1}" for k, (a, b) in enumerate(zip(rng.integers(0, len(WORDS), n_titles),
                                                                             rng.integers(0, len(WORDS), n_titles)))]
    con.execute("SET VARIABLE titles = ?", [titles])
    con.execute("SET VARIABLE title_cats = ?", [[CATEGORIES[c][0] for c in cats]])
    con.execute("SET VARIABLE categories = ?", [[c for c, _ in CATEGORIES]])
    con.execute("SET VARIABLE category_weights = ?", [[float(w) / weights.sum() for w in weights]])
    cols = ["fm_id", "fac", "code", "month", "n_loans", "slims", "members", "female", "title_offset", "b_loans",
            "b_loans_old", "b_visits", "b_pusling", "has_visits", "detail_visits", "monthly_visit_total",
            "visits_per_day", "n_groups", "n_pusling", "has_loans"]
    con.register("fm_frame", fm[cols])
    con.execute("CREATE TEMP TABLE fm AS SELECT * REPLACE (CAST(month AS DATE) AS month) FROM fm_frame")
    con.unregister("fm_frame")
    today = TODAY.isoformat()

    # loans: transaction lines (SLiMS units), stored in batch order
    con.execute("""
        CREATE TEMP TABLE loan_src AS
        SELECT b_loans AS batch_id, fm_id, code, month, n_loans AS n, members, female, title_offset FROM fm
        WHERE slims AND has_loans
        UNION ALL
        SELECT b_loans_old, fm_id, code, month, CAST(n_loans * 0.9 AS INTEGER), members, female, title_offset FROM fm
        WHERE slims AND b_loans_old > 0
        ORDER BY batch_id, month""")
    con.execute(f"""
        INSERT INTO stg_loan
        WITH lines AS (SELECT s.*, unnest(range(n)) AS i FROM loan_src s),
        drawn AS (
            SELECT *, CAST(month + CAST(floor(rnd(fm_id, i, 1) * 28) AS INTEGER) AS DATE) AS loan_date,
                   CAST(floor(members * pow(rnd(fm_id, i, 2), 2.2)) AS INTEGER) AS member,
                   CAST((title_offset + floor(1500 * pow(rnd(fm_id, i, 3), 1.8))) % 6000 AS INTEGER) + 1 AS title_idx,
                   rnd(fm_id, i, 4) AS u4, rnd(fm_id, i, 5) AS u5
            FROM lines)
        SELECT batch_id, code, month, loan_date, 'B' || lpad(CAST(hash(fm_id, i, 6) % 1000000 AS VARCHAR), 6, '0'),
               getvariable('titles')[title_idx], getvariable('title_cats')[title_idx],
               {KEY.format(a='code', b='member')},
               CASE WHEN u4 < 0.3 THEN 'wbp' WHEN u4 < 0.32 THEN 'petugas' END,
               CASE WHEN u4 < 0.3 THEN (CASE WHEN female THEN 'P' ELSE 'L' END) END,
               loan_date + 7,
               CASE WHEN u5 < 0.5 AND (DATE '{today}' - loan_date > 30 OR u5 < 0.3)
                    THEN loan_date + CAST(1 + floor(rnd(fm_id, i, 7) * 12) AS INTEGER) END,
               DATE '{today}' - loan_date > 30 AND u5 < 0.985 OR u5 < 0.6,
               'perpustakaan', 1, NULL, NULL, false, 'Sheet1', CAST(i + 2 AS INTEGER)
        FROM drawn""")
    # loans: monthly recaps by DDC class (the other units)
    con.execute("""
        INSERT INTO stg_loan
        WITH r AS (SELECT fm.*, unnest(range(10)) AS c FROM fm WHERE NOT slims AND has_loans),
        n AS (SELECT *, CAST(round(n_loans * getvariable('category_weights')[c + 1] * (0.7 + 0.6 * rnd(fm_id, c, 8)))
                              AS INTEGER) AS k FROM r)
        SELECT b_loans, code, month, NULL, NULL, NULL, getvariable('categories')[c + 1], NULL, NULL, NULL, NULL, NULL,
               NULL, 'perpustakaan', k, CASE WHEN female THEN 0 ELSE CAST(k * 0.6 AS INTEGER) END,
               CASE WHEN female THEN CAST(k * 0.6 AS INTEGER) ELSE 0 END, true, 'Peminjaman', CAST(c + 10 AS INTEGER)
        FROM n WHERE k > 0 ORDER BY b_loans, month, c""")
    # visits: per-visitor rows, daily head counts, group rows, monthly totals, pusling calls
    con.execute("""
        CREATE TEMP TABLE visit_days AS
        WITH d AS (SELECT fm.*, CAST(unnest(range(28)) AS INTEGER) AS day FROM fm WHERE has_visits AND NOT monthly_visit_total)
        SELECT *, CAST(month + day AS DATE) AS visit_date,
               greatest(0, CAST(round(visits_per_day * (0.6 + 0.8 * rnd(fm_id, day, 20))) AS INTEGER)) AS n
        FROM d WHERE dayofweek(CAST(month + day AS DATE)) NOT IN (0, 6) AND rnd(fm_id, day, 21) > 0.12""")
    con.execute(f"""
        INSERT INTO stg_visit
        SELECT * FROM (
            SELECT b_visits, code, month, visit_date, 'perpustakaan',
                   CASE WHEN rnd(fm_id, day * 1000 + i, 22) < 0.94
                        THEN {KEY.format(a='code', b='CAST(floor(members * rnd(fm_id, day * 1000 + i, 23)) AS INTEGER)')}
                        END,
                   CASE WHEN rnd(fm_id, day * 1000 + i, 22) < 0.94 THEN 'wbp' ELSE 'petugas' END,
                   CASE WHEN female THEN 'P' ELSE 'L' END, false, 1,
                   CASE WHEN female THEN 0 ELSE 1 END, CASE WHEN female THEN 1 ELSE 0 END, NULL, 'Ruang Baca', false,
                   'Sheet1', CAST(day * 100 + i AS INTEGER)
            FROM (SELECT *, unnest(range(n)) AS i FROM visit_days WHERE detail_visits)
            UNION ALL
            SELECT b_visits, code, month, visit_date, 'perpustakaan', NULL, NULL, NULL, false, n,
                   CASE WHEN female THEN 0 ELSE n - n // 20 END, CASE WHEN female THEN n ELSE n // 20 END, NULL, NULL,
                   true, 'Kunjungan', CAST(day + 10 AS INTEGER)
            FROM visit_days WHERE NOT detail_visits
            UNION ALL
            SELECT b_visits, code, month, CAST(month + CAST(floor(rnd(fm_id, g, 24) * 28) AS INTEGER) AS DATE),
                   'perpustakaan', NULL, CASE WHEN rnd(fm_id, g, 25) < 0.5 THEN 'umum' ELSE 'wbp' END, NULL, true,
                   CAST(10 + floor(rnd(fm_id, g, 26) * 30) AS INTEGER), NULL, NULL, NULL, NULL, false, 'Kunjungan',
                   CAST(100 + g AS INTEGER)
            FROM (SELECT *, unnest(range(n_groups)) AS g FROM fm WHERE has_visits)
            UNION ALL
            SELECT b_visits, code, month, NULL, 'perpustakaan', NULL, NULL, NULL, false,
                   CAST(round(visits_per_day * 19 * (0.8 + 0.4 * rnd(fm_id, 0, 27))) AS INTEGER), NULL, NULL,
                   CAST(17 + floor(rnd(fm_id, 0, 28) * 5) AS INTEGER), NULL, true, 'Kunjungan', 10
            FROM fm WHERE has_visits AND monthly_visit_total
            UNION ALL
            SELECT b_pusling, code, month, CAST(month + CAST(3 + 12 * p + floor(rnd(fm_id, p, 29) * 10) AS INTEGER) AS DATE),
                   'pusling', NULL, NULL, NULL, false, CAST(10 + floor(rnd(fm_id, p, 30) * 50) AS INTEGER),
                   NULL, NULL, NULL, NULL, true, 'Kunjungan Perpustakaan', CAST(5 + p AS INTEGER)
            FROM (SELECT *, unnest(range(n_pusling)) AS p FROM fm WHERE b_pusling > 0))
        ORDER BY 1, 3, 4""")
    # training sessions (from the training reports) and attendance lists
    s = sessions.copy()
    s["month"] = fm["month"].to_numpy()[s["fm"]]
    s["b_training"] = fm["b_training"].to_numpy()[s["fm"]]
    s["title"] = [TRAININGS[k][0] for k in s["t"]]
    s["topic"] = [TRAININGS[k][1] for k in s["t"]]
    s["partner"] = [TRAININGS[k][2] or None for k in s["t"]]
    s["female"] = fm["female"].to_numpy()[s["fm"]]
    s["fm_id"] = fm["fm_id"].to_numpy()[s["fm"]]
    s["short"] = fac.set_index("code").loc[s["code"], "short_name"].to_numpy()
    con.register("sessions_frame", s[["fm_id", "s", "code", "month", "start_date", "title", "topic", "partner",
                                      "participants", "female", "attendance", "attendance_only", "b_training",
                                      "b_attendance", "short"]])
    con.execute("""CREATE TEMP TABLE sess AS SELECT * REPLACE (CAST(month AS DATE) AS month,
                   CAST(start_date AS DATE) AS start_date) FROM sessions_frame""")
    con.unregister("sessions_frame")
    con.execute("""
        INSERT INTO stg_training_session
        SELECT b_training, code, month, strftime(start_date, '%Y-%m-%d') || '|' || lower(title), title, topic, 'wbp',
               CASE WHEN rnd(fm_id, s, 40) < 0.5 THEN 'Dispersip' ELSE short END, partner, start_date,
               CASE WHEN rnd(fm_id, s, 41) < 0.2 THEN start_date + 2 END, 'Aula ' || short,
               CASE WHEN female THEN 0 ELSE participants END, CASE WHEN female THEN participants ELSE 0 END,
               participants, NULL, 'Pelatihan', CAST(10 + s AS INTEGER)
        FROM sess WHERE NOT attendance_only ORDER BY b_training, month, s""")
    con.execute(f"""
        INSERT INTO stg_training_participant
        SELECT b_attendance, code, month, strftime(start_date, '%Y-%m-%d') || '|' || lower(title), title, topic, 'wbp',
               'Dispersip', 'Aula ' || short, start_date,
               {KEY.format(a='code', b='fm_id * 100 + s * 10 + j')},
               CASE WHEN female THEN 'P' WHEN rnd(fm_id, j, 42) < 0.9 THEN 'L' ELSE 'P' END, 'Blok ' || (1 + j % 6),
               'Daftar Hadir', CAST(12 + j AS INTEGER)
        FROM (SELECT *, unnest(range(participants - 2 + CAST(floor(rnd(fm_id, s, 43) * 5) AS INTEGER))) AS j
              FROM sess WHERE attendance)
        ORDER BY b_attendance, j""")
    _write_programme(con, fac, fm, extra, rng)


def _write_programme(con, fac, fm, extra, rng) -> None:
    """Dated occupancy figures (quarterly), agreements, book packages."""
    occ, agr, pkg = [], [], []
    f = fac.set_index("idx")
    for row in extra.itertuples(index=False):
        code = f.at[row.fac, "code"]
        base = f.at[row.fac, "occupants"]
        if row.dataset == "occupancy":
            for q in range(4):
                day = dt.date(row.year, 3 * q + 1, 15)
                if day > TODAY:
                    continue
                growth = 1 + 0.04 * (row.year - 2021)
                occ.append((row.batch_id, code, day.replace(day=1), day, int(base * growth * rng.uniform(0.9, 1.1)),
                            int(base * 0.6), "laporan hunian", "Hunian", 10 + q))
        elif row.dataset == "packages":
            for k in range(2):
                day = dt.date(row.year, 1 + 6 * k + int(rng.integers(0, 5)), 1 + int(rng.integers(0, 27)))
                if day > TODAY:
                    continue
                delivered = int(rng.integers(100, 300))
                pkg.append((row.batch_id, code, day.replace(day=1), day, delivered,
                            int(delivered * rng.uniform(0.7, 1.0)) if k or row.year > 2018 else None,
                            f"Paket {row.year}-{k + 1}", None, "Paket", 10 + k))
        elif row.dataset == "agreements":
            start = dt.date(2016 + int(rng.integers(0, 4)), 1 + int(rng.integers(0, 12)), 1)
            k = 0
            while start <= TODAY:
                years = int(rng.integers(2, 4))
                until = start.replace(year=start.year + years) - dt.timedelta(days=1)
                number = f"{k + 1:03d}/PKS/DISPERSIP/{start.year}"
                agr.append((row.batch_id, code, start.replace(day=1), f"{start.isoformat()}|{number}", number,
                            f"W.{k + 1}/PK/{start.year}", start - dt.timedelta(days=7), start, until,
                            "bahan_bacaan,pusling,peminjaman,pelatihan_wbp", None, None, None, "PKS", 10 + k))
                gap = int(rng.integers(0, 200)) if rng.random() < 0.3 else 1
                start = until + dt.timedelta(days=gap)
                k += 1
    con.register("occ_frame", pd.DataFrame(occ, columns=["batch_id", "facility_code", "month", "snapshot_date",
                                                         "occupants", "capacity", "source", "source_sheet",
                                                         "source_row"]))
    con.execute("INSERT INTO stg_occupancy SELECT * FROM occ_frame")
    con.register("agr_frame", pd.DataFrame(agr, columns=[
        "batch_id", "facility_code", "month", "agreement_key", "number_dispersip", "number_facility", "signed_on",
        "valid_from", "valid_until", "scope", "document_sha256", "document_name", "notes", "source_sheet",
        "source_row"]))
    con.execute("INSERT INTO stg_agreement SELECT * FROM agr_frame")
    con.register("pkg_frame", pd.DataFrame(pkg, columns=[
        "batch_id", "facility_code", "month", "package_date", "books_delivered", "books_returned", "package_label",
        "notes", "source_sheet", "source_row"]))
    con.execute("INSERT INTO stg_package SELECT * FROM pkg_frame")
    for name in ("occ_frame", "agr_frame", "pkg_frame"):
        con.unregister(name)
    # the register's own (seed) figure for each synthetic unit
    synthetic = fac[fac["synthetic"]]
    con.register("seed_frame", pd.DataFrame({"facility_code": synthetic["code"], "snapshot_date": dt.date(2021, 6, 1),
                                             "occupants": synthetic["occupants"],
                                             "capacity": (synthetic["occupants"] * 0.6).astype(int),
                                             "source": "register (bench)", "batch_id": None}))
    con.execute("INSERT INTO occupancy SELECT facility_code, snapshot_date, occupants, capacity, source, "
                "CAST(batch_id AS INTEGER) FROM seed_frame")
    con.unregister("seed_frame")


CELLS = """
INSERT INTO batch_cell
SELECT batch_id, 'loans', facility_code, month, service, count(*) FROM stg_loan GROUP BY ALL
UNION ALL SELECT batch_id, 'visits', facility_code, month, service, count(*) FROM stg_visit GROUP BY ALL
UNION ALL SELECT batch_id, 'training', facility_code, month, '', count(*) FROM stg_training_session GROUP BY ALL
UNION ALL SELECT batch_id, 'attendance', facility_code, month, session_key, count(*) FROM stg_training_participant
          GROUP BY ALL
UNION ALL SELECT batch_id, 'agreements', facility_code, month, agreement_key, count(*) FROM stg_agreement GROUP BY ALL
UNION ALL SELECT batch_id, 'packages', facility_code, month, '', count(*) FROM stg_package GROUP BY ALL
UNION ALL SELECT batch_id, 'occupancy', facility_code, month, strftime(snapshot_date, '%Y-%m-%d'), count(*)
          FROM stg_occupancy GROUP BY ALL
ORDER BY 1, 3, 4, 5
"""


def _write_batches(con, batches: pd.DataFrame) -> None:
    con.execute(CELLS)
    con.register("batch_frame", batches)
    con.execute("""
        INSERT INTO batch (batch_id, dataset, file_name, sha256, file_format, sheets, loaded_by, loaded_at,
                           received_at, rows_read, rows_loaded, rows_rejected, accept_valid)
        SELECT b.batch_id, b.dataset, b.file_name, b.sha256, 'xlsx', 'Sheet1', b.loaded_by, b.loaded_at, b.received_at,
               coalesce(c.n, 0), coalesce(c.n, 0), 0, false
        FROM batch_frame b LEFT JOIN (SELECT batch_id, sum(n_rows) AS n FROM batch_cell GROUP BY ALL) c USING (batch_id)
        ORDER BY b.batch_id""")
    con.unregister("batch_frame")
    # the newest batch of each cell is in force; the corrections' first versions stay as superseded
    con.execute("""
        INSERT INTO current_cell
        SELECT c.dataset, c.facility_code, c.month, c.part, max(c.batch_id) AS batch_id,
               arg_max(b.loaded_at, c.batch_id)
        FROM batch_cell c JOIN batch b USING (batch_id) GROUP BY ALL ORDER BY 1, 2, 3, 4""")
    con.execute("""
        INSERT INTO audit_log (audit_id, logged_at, username, action, detail, batch_id)
        SELECT batch_id, loaded_at, loaded_by, 'upload', file_name || ': ' || dataset || ', ' || rows_loaded
               || ' baris dimuat, 0 ditolak', batch_id FROM batch ORDER BY batch_id""")
    n = con.execute("SELECT max(batch_id) FROM batch").fetchone()[0] or 0
    for seq in ("batch_id_seq", "audit_id_seq"):
        con.execute(f"SELECT max(nextval('{seq}')) FROM range(?)", [n])


# --------------------------------------------------------------------- run
def run(size: str, work: Path) -> list[Row]:
    built = database(size, work)
    how = "generated by this run" if built.generated else "reused from an earlier run (python -m bench --regenerate)"
    counts = built.counts
    mb = built.path.stat().st_size / 1e6
    described = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in built.seconds.items())
    gen = Row(NAME, f"generate {counts.get('facilities_holding_inmates', 0):,} units x {SIZES[size].months} months "
                    f"({counts.get('stg_loan', 0) / 1e6:.1f} M loan rows, {counts.get('stg_visit', 0) / 1e6:.2f} M "
                    f"visit rows; {mb:,.0f} MB)",
              Timing([built.seconds.get("total", 0.0)]), None, None, judged=size == "full",
              notes=[f"Database {how}: `{built.path.relative_to(work.parent.parent) if built.path.is_relative_to(work.parent.parent) else built.path}`.",
                     f"Phases: {phases}.", f"Rows: {described}."])
    rebuild = Row(NAME, "marts.rebuild of every mart from the staging tables (part of the generation)",
                  Timing([built.seconds.get("marts.rebuild", 0.0)]), None, None, judged=size == "full")
    return [gen, rebuild]
