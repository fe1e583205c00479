"""Per-inmate rates, agreement statuses, book packages and completeness,
against figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl.pipeline import read_file
from tests.files import write_xlsx
from warehouse import agreements, completeness, metrics, packages
from warehouse.load import load_file, load_records
from warehouse.metrics import Scope

D = dt.date


def load(path, opts, received=None, **kw):
    result = read_file(path, opts)
    assert [p.text() for p in result.errors] == []
    return load_file(result, loaded_by="sari", received_at=received, **kw)


@pytest.fixture
def rates(env, opts):
    load(write_xlsx(env / "pinjam.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        ["Rutan Rantau", "Juli 2024", "Agama", 100], ["Rutan Rantau", "Agustus 2024", "Agama", 120],
        ["Lapas Banjarmasin", "Juli 2024", "Agama", 400], ["Lapas Banjarmasin", "Agustus 2024", "Agama", 500],
        ["Rutan Pelaihari", "Agustus 2024", "Agama", 30],  # no occupancy figure at all
    ]}), opts)
    # Rantau's figure changes within the period; Banjarmasin keeps the register's 2.189 of 2023-09-01
    load(write_xlsx(env / "hunian.xlsx", {"Hunian": [
        ["UPT", "Tanggal Data", "Jumlah Penghuni", "Kapasitas"],
        ["Rutan Kelas IIB Rantau", D(2024, 7, 15), 250, 112], ["Rutan Kelas IIB Rantau", D(2024, 8, 10), 300, 112],
    ]}), opts)
    return Scope(D(2024, 7, 1), D(2024, 8, 1), ("rutan-rantau", "lapas-banjarmasin", "rutan-pelaihari"))


def test_rates_use_the_figure_in_force_each_month(rates):
    august = Scope(D(2024, 8, 1), D(2024, 8, 1), rates.facilities)
    k = metrics.kpis(august).loc["current"]
    # by hand: 100 x (120 + 500) / (300 + 2.189); Pelaihari has no denominator and is left out
    assert k["loans_rate"] == pytest.approx(100 * 620 / 2489)
    assert (k["loans"], k["facilities_reported"], k["facilities_with_denominator"]) == (650, 3, 2)
    ranking = metrics.ranking(rates).set_index("code")
    assert ranking.loc["rutan-rantau", "loans_rate"] == pytest.approx(100 * 220 / (250 + 300))  # July 250, Aug 300
    assert ranking.loc["lapas-banjarmasin", "loans_rate"] == pytest.approx(100 * 900 / (2 * 2189))
    assert pd.isna(ranking.loc["rutan-pelaihari", "loans_rate"])
    assert not ranking.loc["rutan-pelaihari", "has_denominator"]
    series = metrics.facility_monthly("rutan-rantau", rates).set_index("month")
    assert series.loc[pd.Timestamp("2024-07-01"), "loans_rate"] == pytest.approx(40.0)
    assert series.loc[pd.Timestamp("2024-08-01"), "loans_rate"] == pytest.approx(40.0)
    assert list(series["occupants"]) == [250, 300]
    heat = metrics.loan_heatmap(rates)
    pelaihari = heat[(heat["code"] == "rutan-pelaihari") & (heat["month"] == pd.Timestamp("2024-08-01"))]
    assert pelaihari["loans"].iloc[0] == 30 and pd.isna(pelaihari["loans_rate"].iloc[0])


def test_rate_base_is_a_setting(rates, monkeypatch):
    monkeypatch.setenv("PANTAU_RATE_BASE", "1000")
    ranking = metrics.ranking(rates).set_index("code")
    assert ranking.loc["rutan-rantau", "loans_rate"] == pytest.approx(1000 * 220 / 550)


def agreement(code: str, start: D, end: D, number: str) -> dict:
    return {"facility_code": code, "month": start.replace(day=1), "agreement_key": agreements.agreement_key(start, number),
            "number_dispersip": number, "number_facility": None, "signed_on": start, "valid_from": start,
            "valid_until": end, "scope": "bahan_bacaan", "document_sha256": None, "document_name": None, "notes": None}


def test_agreement_status_at_the_boundaries(env, opts):
    today = D(2026, 11, 21)
    rows = [
        agreement("rutan-rantau", D(2025, 11, 22), today, "ends-today"),                      # expiring today
        agreement("rutan-barabai", D(2025, 11, 21), today - dt.timedelta(days=1), "ended"),   # expired yesterday
        agreement("lapas-banjarmasin", D(2026, 1, 1), today + dt.timedelta(days=60), "60"),   # last expiring day
        agreement("lapas-amuntai", D(2026, 1, 1), today + dt.timedelta(days=61), "61"),       # still active
        agreement("lapas-tanjung", D(2025, 1, 1), D(2025, 12, 31), "old"),                    # renewed:
        agreement("lapas-tanjung", D(2026, 1, 1), D(2026, 12, 31), "new"),                    # overlapping ok
        agreement("rutan-kandangan", today + dt.timedelta(days=5), D(2027, 12, 31), "future"),  # not yet in force
    ]
    load_records("agreements", pd.DataFrame(rows), name="uji", loaded_by="adm")
    status = agreements.status(today, tuple(opts.register.by_code)).set_index("code")
    assert status.loc["rutan-rantau", ["status", "days_left"]].tolist() == ["expiring", 0]
    assert status.loc["rutan-barabai", "status"] == "expired"
    assert status.loc["lapas-banjarmasin", ["status", "days_left"]].tolist() == ["expiring", 60]
    assert status.loc["lapas-amuntai", ["status", "days_left"]].tolist() == ["active", 61]
    assert status.loc["lapas-tanjung", "status"] == "expiring" and status.loc["lapas-tanjung", "number"] == "new"
    assert status.loc["rutan-kandangan", "status"] == "none"
    assert status.loc["lpka-martapura", "status"] == "none"


def test_activity_without_an_agreement(env, opts):
    load(write_xlsx(env / "a.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        ["Rutan Rantau", "Juli 2024", "Agama", 1], ["Rutan Rantau", "Agustus 2024", "Agama", 1],
        ["Rutan Barabai", "Agustus 2024", "Agama", 1]]}), opts)
    load_records("agreements", pd.DataFrame([agreement("rutan-rantau", D(2024, 8, 15), D(2025, 8, 14), "x")]),
                 name="uji", loaded_by="adm")
    without = agreements.activity_without_agreement(D(2024, 7, 1), D(2024, 8, 1), ("rutan-rantau", "rutan-barabai"))
    assert [tuple(r) for r in without[["code", "months"]].itertuples(index=False)] == [
        ("rutan-barabai", 1), ("rutan-rantau", 1)]  # Rantau's July is before its agreement began


def test_agreements_load_from_a_spreadsheet(env, opts):
    path = write_xlsx(env / "pks.xlsx", {"PKS": [
        ["Fasilitas", "Nomor PKS Dispersip", "Berlaku Mulai", "Berlaku Sampai", "Ruang Lingkup"],
        ["Lapas Narkotika Kelas IIA Karang Intan", "045/PKS/2024", D(2024, 2, 5), D(2025, 2, 4),
         "bahan bacaan; perpustakaan keliling, peminjaman buku"],
        ["Rutan Rantau", "050/PKS/2025", D(2025, 3, 1), D(2025, 2, 28), "pelatihan WBP"]]})
    errors = [p.text() for p in read_file(path, opts).errors]
    assert errors == ["Sheet 'PKS', baris 3, kolom 'Berlaku Sampai': tanggal selesai 28 Feb 2025 lebih awal dari "
                      "tanggal mulai 1 Mar 2025."]
    load_file(read_file(path, opts), loaded_by="sari", accept_valid=True)
    register = agreements.register(tuple(opts.register.by_code))
    assert register[["code", "number_dispersip", "scope"]].values.tolist() == [
        ["lapas-narkotika-karang-intan", "045/PKS/2024", "bahan_bacaan,pusling,peminjaman"]]


def test_book_packages_on_deposit_and_turnover(env, opts):
    load(write_xlsx(env / "paket.xlsx", {"Paket Buku": [
        ["Fasilitas", "Tanggal", "Buku Dikirim", "Buku Ditarik", "Paket"],
        ["LPKA Martapura", D(2024, 7, 2), 300, None, "Paket 1"],
        ["LPKA Martapura", D(2024, 8, 5), 300, 300, "Paket 2"],
        ["LPKA Martapura", D(2024, 8, 19), 100, None, "Tambahan"]]}), opts)
    load(write_xlsx(env / "pinjam.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        ["LPKA Martapura", "Juli 2024", "Agama", 150], ["LPKA Martapura", "Agustus 2024", "Agama", 200]]}), opts)
    scope = Scope(D(2024, 6, 1), D(2024, 8, 1), ("lpka-martapura",))
    deposits = packages.deposits(scope)
    assert deposits[["on_deposit", "loans"]].astype("Float64").values.tolist() == [[pd.NA, pd.NA], [300, 150],
                                                                                    [400, 200]]
    turnover = packages.turnover(scope).iloc[0]
    # by hand: (150 + 200) loans over a mean of (300 + 400) / 2 books on deposit
    assert turnover["turnover"] == pytest.approx(350 / 350)
    assert (turnover["delivered"], turnover["returned"]) == (700, 300)


def test_completeness_late_and_missing(env, opts, monkeypatch):
    monkeypatch.setenv("PANTAU_REPORT_DEADLINE_DAY", "10")
    header = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
    on_time = dt.datetime(2024, 9, 9, 9)
    late = dt.datetime(2024, 9, 11, 9)
    load(write_xlsx(env / "loans.xlsx", {"Peminjaman": [header, ["Rutan Rantau", "Agustus 2024", "Agama", 5]]}), opts,
         received=on_time)
    load(write_xlsx(env / "visits.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "Jumlah Pengunjung"], ["Rutan Rantau", D(2024, 8, 6), 10]]}), opts,
         received=late)
    # a corrected loans file later does not make the August report late
    load(write_xlsx(env / "loans2.xlsx", {"Peminjaman": [header, ["Rutan Rantau", "Agustus 2024", "Agama", 6]]}),
         opts, received=dt.datetime(2024, 10, 1, 9))
    frame = completeness.matrix(D(2024, 8, 1), D(2024, 9, 1), ("rutan-rantau",), today=D(2024, 10, 5))
    statuses = {(r.month.month, r.dataset): r.status for r in frame.itertuples()}
    assert statuses == {(8, "loans"): "on_time", (8, "visits"): "late", (8, "training"): "missing",
                        (9, "loans"): "not_due", (9, "visits"): "not_due", (9, "training"): "not_due"}
    by_facility = completeness.per_facility(frame).iloc[0]
    assert (by_facility["due"], by_facility["received"], by_facility["late"], by_facility["missing"]) == (3, 2, 1, 1)
    chase = completeness.chase_list(frame)
    assert chase[["code", "dataset", "months_missing"]].values.tolist() == [["rutan-rantau", "training", 1]]
    assert chase["since"].iloc[0] == pd.Timestamp("2024-08-01")
    # once its deadline has passed, September is missing too
    later = completeness.matrix(D(2024, 8, 1), D(2024, 9, 1), ("rutan-rantau",), today=D(2024, 10, 11))
    assert (later["status"] == "missing").sum() == 4


def test_admin_teaches_the_register_a_new_spelling(env, opts):
    from warehouse.ingest import make_options
    from warehouse import accounts, register

    path = write_xlsx(env / "x.xlsx", {"Peminjaman": [["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
                                                      ["Perpustakaan Cahaya Ilmu", "Agustus 2024", "Agama", 3]]})
    assert read_file(path, opts).errors[0].code == "facility_unknown"
    accounts.add_user("adm", "admin", "sandi-rahasia-adm", by="cli:test")
    register.add_alias("rutan-rantau", "Perpustakaan Cahaya Ilmu", "nama perpustakaan", by="adm")
    assert read_file(path, make_options()).errors == []
    with pytest.raises(accounts.AccountError, match="sudah dikenali sebagai Lapas Banjarmasin"):
        register.add_alias("rutan-rantau", "Lapas Teluk Dalam", "", by="adm")
    assert [e["action"] for e in accounts.audit_entries()][0] == "alias_add"
