"""Targets (Perjanjian Kinerja) and their realisation: the percentage achieved, year to date against the
pro-rata target (seasonal from a complete year of history, else linear), a target revised mid-year, a unit
without a target, the target spreadsheet, and the LKjIP table's numbers equal to the dashboard's figures."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from tests.files import write_xlsx

D = dt.date
RANTAU, BJM = "rutan-rantau", "lapas-banjarmasin"
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


def _loans() -> list[list]:
    rows = [["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]]
    rows += [["Rutan Kelas IIB Rantau", f"{MONTHS_ID[m - 1]} 2025", "Agama", 10 * m] for m in range(1, 13)]
    rows += [["Rutan Kelas IIB Rantau", f"{MONTHS_ID[m - 1]} 2026", "Agama", 100] for m in range(1, 7)]
    rows += [["Lapas Kelas IIA Banjarmasin", f"{MONTHS_ID[m - 1]} 2026", "Agama", 200] for m in range(1, 7)]
    return rows


@pytest.fixture
def warehouse(env, monkeypatch, request):
    """Loans of Rutan Rantau over all of 2025 (10 × the month's number: 780, of which 210 in January-June)
    and of Rantau (100 a month) and Lapas Banjarmasin (200 a month) in January-June 2026; two training
    sessions at Rantau in 2026; an admin account. Today: 2026-07-20. Built once per run (conftest.built_once)."""
    from tests.conftest import built_once
    from warehouse import accounts
    from warehouse.ingest import load_paths

    def build() -> None:
        loans = write_xlsx(env / "pinjam.xlsx", {"Peminjaman": _loans()})
        training = write_xlsx(env / "pelatihan.xlsx", {"Pelatihan": [
            ["Fasilitas", "Judul Kegiatan", "Tanggal Mulai", "Peserta L", "Peserta P", "Sasaran", "Topik"],
            ["Rutan Kelas IIB Rantau", "Kelas Menulis", D(2026, 2, 10), 10, 2, "WBP", "Literasi"],
            ["Rutan Kelas IIB Rantau", "Kelas Membaca", D(2026, 3, 10), 8, 0, "WBP", "Literasi"]]})
        assert load_paths([str(loans), str(training)], user="sari", out=lambda line: None, isolate=False) == 0
        accounts.add_user("admin1", "admin", "sandi-admin-panjang", by="cli:test")
        accounts.add_user("staf1", "staff", "sandi-staf-panjang", by="cli:test")

    monkeypatch.setenv("PANTAU_TODAY", "2026-07-20")
    built_once(request, "targets", build)
    return env


def _row(table, key):
    return table[table["indicator"] == key].iloc[0].to_dict()


def _province():
    from warehouse import metrics

    return tuple(metrics.facilities()["code"])


def test_percentage_and_pro_rata_year_to_date(warehouse):
    from warehouse import targets

    targets.save(2026, [("loans", "", 6000), ("training_sessions", "", 12), ("completeness", "", 90)],
                 label="Perjanjian Kinerja 2026", by="admin1", source="halaman")
    table = targets.lkjip(2026, _province())
    loans = _row(table, "loans")
    # realisation January-June 2026: 6 × (100 + 200); seasonal share of January-June in 2025: 210 / 780
    assert {k: loans[k] for k in ("target", "realisation", "months", "through", "status", "basis")} == {
        "target": 6000.0, "realisation": 1800.0, "months": 6, "through": D(2026, 6, 1), "status": "on_track",
        "basis": "seasonal:2025"}
    assert loans["achievement"] == pytest.approx(1800 / 6000)
    assert loans["prorata"] == pytest.approx(6000 * 210 / 780)
    assert loans["ytd_achievement"] == pytest.approx(1800 / (6000 * 210 / 780))
    # no training in 2025: linear pro-rata (6/12 of 12 sessions), two sessions held: behind
    training = _row(table, "training_sessions")
    assert (training["realisation"], training["prorata"], training["status"]) == (2.0, 6.0, "behind")
    assert training["achievement"] == pytest.approx(2 / 12)
    # a level is compared with the target itself
    completeness = _row(table, "completeness")
    assert completeness["prorata"] == 90.0
    assert completeness["status"] == ("on_track" if completeness["realisation"] >= 90 else "behind")
    # an indicator without a target says so
    assert _row(table, "visitors_library")["status"] == "no_target"


def test_a_revision_mid_year_keeps_the_history(warehouse):
    from warehouse import targets

    first = targets.save(2026, [("loans", "", 6000), ("visitors_library", "", 1000)],
                         label="Perjanjian Kinerja 2026", by="admin1", source="halaman")
    second = targets.save(2026, [("loans", "", 5000)], label="PK Perubahan Juli 2026", by="admin1",
                          source="target.xlsx")
    assert (first, second) == (1, 2)
    assert targets.targets(2026, revision=1)[["indicator", "value"]].values.tolist() == [
        ["loans", 6000.0], ["visitors_library", 1000.0]]
    # the revision carries forward what it does not change
    assert targets.targets(2026)[["indicator", "value", "revision"]].values.tolist() == [
        ["loans", 5000.0, 2], ["visitors_library", 1000.0, 2]]
    found = targets.revisions(2026)
    assert found[["revision", "label", "entered_by", "source", "targets"]].values.tolist() == [
        [2, "PK Perubahan Juli 2026", "admin1", "target.xlsx", 2], [1, "Perjanjian Kinerja 2026", "admin1",
                                                                    "halaman", 2]]
    assert _row(targets.lkjip(2026, _province()), "loans")["target"] == 5000.0
    assert _row(targets.lkjip(2026, _province(), revision=1), "loans")["target"] == 6000.0
    from warehouse.accounts import audit_entries
    assert [(e["username"], e["action"], e["detail"]) for e in audit_entries()[:2]] == [
        ("admin1", "targets_save", "2026 revisi 2 (PK Perubahan Juli 2026, target.xlsx): 1 target diubah, 2 berlaku"),
        ("admin1", "targets_save", "2026 revisi 1 (Perjanjian Kinerja 2026, halaman): 2 target diubah, 2 berlaku")]


def test_unit_target_and_a_unit_without_one(warehouse):
    from warehouse import targets

    targets.save(2026, [("loans", "", 6000), ("loans", RANTAU, 1000)], label="PK 2026", by="admin1", source="x")
    rantau = _row(targets.lkjip(2026, (RANTAU,), RANTAU), "loans")
    assert (rantau["target"], rantau["realisation"], rantau["status"]) == (1000.0, 600.0, "on_track")
    assert rantau["prorata"] == pytest.approx(1000 * 210 / 780)
    bjm = targets.lkjip(2026, (BJM,), BJM)
    assert set(bjm["status"]) == {"no_target"}
    assert _row(bjm, "loans")["realisation"] == 1200.0
    assert bjm["achievement"].isna().all()


def test_only_an_admin_saves_targets_and_bad_values_are_refused(warehouse):
    from warehouse import targets

    with pytest.raises(targets.TargetError) as refused:
        targets.save(2026, [("loans", "", 10)], label="PK", by="staf1", source="halaman")
    assert str(refused.value) == "Hanya admin yang boleh mengubah target kinerja."
    with pytest.raises(targets.TargetError) as refused:
        targets.save(2026, [("completeness", "", 120)], label="PK", by="admin1", source="halaman")
    assert str(refused.value) == ("Target Kelengkapan laporan bulanan (120) bukan angka nol atau lebih dan paling "
                                  "banyak 100.")
    assert targets.revisions(2026).empty


def test_lkjip_numbers_equal_the_dashboards_figures_and_the_xlsx(warehouse):
    from reports import capaian
    from ui.i18n import use_lang
    from warehouse import agreements, completeness, metrics, targets
    from warehouse.metrics import Scope
    from warehouse.settings import today

    targets.save(2026, [("loans", "", 6000), ("loans_per_capita", "", 5), ("agreements_active", "", 3)],
                 label="PK 2026", by="admin1", source="x")
    codes = _province()
    table = targets.lkjip(2026, codes)
    kpis = metrics.kpis(Scope(D(2026, 1, 1), D(2026, 6, 1), codes)).loc["current"]
    assert _row(table, "loans")["realisation"] == kpis["loans"]
    assert _row(table, "loans_per_capita")["realisation"] == pytest.approx(kpis["loans_rate"])
    status = agreements.status(today(), codes)
    assert _row(table, "agreements_active")["realisation"] == status["status"].isin(["active", "expiring"]).sum()
    matrix = completeness.matrix(D(2026, 1, 1), D(2026, 6, 1), codes, today())
    due = matrix[matrix["status"] != "not_due"]
    assert _row(table, "completeness")["realisation"] == pytest.approx(100 * (due["status"] != "missing").mean())
    with use_lang("id"):
        shown = capaian.display(table)
        data = capaian.xlsx(table, targets.trend(2026, codes), "Capaian Kinerja 2026 – Provinsi", ["Revisi 1"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Capaian Kinerja", "Tren"]
    rows = [r for r in book["Capaian Kinerja"].iter_rows(values_only=True)]
    header = rows.index(tuple(shown.columns))
    body = rows[header + 1:]
    assert [r[1] for r in body] == list(shown["Indikator"])
    loans = body[0]
    assert loans[:6] == (1, "Jumlah peminjaman buku", "peminjaman", 6000, 1800, 30)
    # every number of the workbook is the page's (an empty cell where the page shows none)
    page = [[None if pd.isna(v) else float(v) for v in row[3:8]] for row in shown.itertuples(index=False)]
    assert [list(r[3:8]) for r in body] == page
    trend = [r for r in book["Tren"].iter_rows(values_only=True)]
    assert ("Indikator", "2025", "Capaian % 2025", "2026 (6 bln)", "Capaian % 2026") in trend


def test_target_spreadsheet_round_trip_and_refused_cells(warehouse):
    from etl.targets import TargetFileError, read_targets, template_xlsx
    from warehouse.ingest import make_options

    register = make_options(seed=False).register
    blank = openpyxl.load_workbook(io.BytesIO(template_xlsx(register, 2026)))
    assert blank.sheetnames == ["Target", "Daftar", "Petunjuk"]
    sheet = blank["Target"]
    assert [c.value for c in sheet[1]] == ["Tahun", "Indikator", "Fasilitas", "Target"]
    sheet["D2"] = 6000
    sheet["C3"], sheet["D3"] = "Rutan Rantau", 4.5
    buffer = io.BytesIO()
    blank.save(buffer)
    assert read_targets(buffer.getvalue(), register) == [(2026, "loans", "", 6000.0),
                                                        (2026, "loans_per_capita", RANTAU, 4.5)]
    sheet["A4"], sheet["D4"] = "20x6", 10
    sheet["C5"], sheet["D5"] = "Lapas Entah Dimana", 3
    sheet["D6"] = -1
    sheet["D9"] = 150
    buffer = io.BytesIO()
    blank.save(buffer)
    with pytest.raises(TargetFileError) as refused:
        read_targets(buffer.getvalue(), register)
    assert refused.value.messages == [
        "Sel A4: tahun '20x6' tidak valid; tulis tahun empat angka, mis. 2026.",
        "Sel C5: fasilitas 'Lapas Entah Dimana' tidak dikenali di register; kosongkan untuk target provinsi.",
        "Sel D6: target '-1' bukan angka nol atau lebih.",
        "Sel D9: target kelengkapan 150 lebih dari 100 persen."]
    with pytest.raises(TargetFileError) as refused:
        read_targets(b"PK\x03\x04 bukan xlsx", register)
    assert refused.value.messages == [
        "Berkas target tidak bisa dibaca sebagai xlsx; unduh templat target dan isi di sana."]


def test_targets_from_the_command_line(warehouse):
    from tests.conftest import run_cli
    from warehouse import targets

    settings = {}
    template = warehouse / "target.xlsx"
    done = run_cli(settings, "targets", "template", "--year", "2026", "-o", str(template))
    assert (done.returncode, done.stdout) == (0, f"Templat target 2026 ditulis ke {template}\n")
    book = openpyxl.load_workbook(template)
    book["Target"]["D2"] = 6000
    book["Target"]["A10"], book["Target"]["B10"], book["Target"]["D10"] = 2025, "completeness", 80
    book.save(template)
    done = run_cli(settings, "targets", "load", str(template), "--label", "PK 2026")
    assert (done.returncode, done.stdout) == (0, "1 target 2025 dimuat sebagai revisi 1.\n"
                                                 "1 target 2026 dimuat sebagai revisi 1.\n")
    assert targets.targets(2026)[["indicator", "facility_code", "value"]].values.tolist() == [["loans", "", 6000.0]]
    assert targets.revisions(2025)["label"].tolist() == ["PK 2026"]
    book["Target"]["D3"] = "banyak"
    book.save(template)
    done = run_cli(settings, "targets", "load", str(template))
    assert (done.returncode, done.stderr) == (1, "Sel D3: target 'banyak' bukan angka nol atau lebih.\n")
    assert targets.revisions(2026)["revision"].tolist() == [1]


def test_a_zip_bomb_is_refused_before_it_is_opened(warehouse):
    import zipfile

    from etl.targets import TargetFileError, read_targets
    from warehouse.ingest import make_options

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024))
    with pytest.raises(TargetFileError) as refused:
        read_targets(buffer.getvalue(), make_options(seed=False).register)
    assert refused.value.messages == [
        "Berkas target berisi lebih dari 50 MB setelah dibuka; templat target cukup beberapa puluh baris."]


def test_in_view_counts_the_dashboard_period_and_the_targets_of_its_units(warehouse):
    """What the overview and the unit page show beside their figures: a calendar year or its first months,
    counted to the period's last month, against the province's targets (every unit in view) or one unit's
    own; nothing for a period not from January, a group of units or a unit without targets."""
    from warehouse import targets

    targets.save(2026, [("loans", "", 6000), ("loans", RANTAU, 1000)], label="Perjanjian Kinerja 2026",
                 by="admin1", source="halaman")
    columns = ["year", "indicator", "kind", "target", "realisation", "achievement", "prorata", "ytd_achievement",
               "status", "months", "through", "basis"]
    shown = targets.in_view(D(2026, 1, 1), D(2026, 3, 1), _province())
    assert list(shown.columns) == columns
    # January-March 2026: 3 × (100 + 200) = 900; Rantau's January-March 2025 brought 10 + 20 + 30 = 60 of 780
    assert [{k: v for k, v in r.items() if k not in ("achievement", "prorata", "ytd_achievement")}
            for r in shown.to_dict("records")] == [
        {"year": 2026, "indicator": "loans", "kind": "sum", "target": 6000.0, "realisation": 900.0,
         "status": "on_track", "months": 3, "through": D(2026, 3, 1), "basis": "seasonal:2025"}]
    assert shown["prorata"].iloc[0] == pytest.approx(6000 * 60 / 780)
    assert shown["achievement"].iloc[0] == pytest.approx(900 / 6000)
    # Rantau alone, January-June: its own target, 6 × 100 = 600 against 1000 × 210/780
    shown = targets.in_view(D(2026, 1, 1), D(2026, 6, 1), (RANTAU,))
    assert (shown["target"].iloc[0], shown["realisation"].iloc[0], shown["status"].iloc[0]) == (1000.0, 600.0,
                                                                                               "on_track")
    assert shown["prorata"].iloc[0] == pytest.approx(1000 * 210 / 780)
    for start, end, codes in ((D(2026, 2, 1), D(2026, 6, 1), _province()),   # not from January
                              (D(2025, 7, 1), D(2026, 6, 1), _province()),   # across two years
                              (D(2026, 1, 1), D(2026, 6, 1), (RANTAU, BJM)),  # a group of units
                              (D(2026, 1, 1), D(2026, 6, 1), (BJM,))):        # a unit without targets
        found = targets.in_view(start, end, codes)
        assert (list(found.columns), len(found)) == (columns, 0), (start, end, codes)


def test_a_complete_year_beside_the_figures_is_achieved_or_not(warehouse):
    """January-December 2025 is a whole year: achieved or not against the target itself, no pro-rata part."""
    from ui import targets_view
    from ui.i18n import use_lang
    from warehouse import targets

    targets.save(2025, [("loans", "", 700), ("training_sessions", "", 4)], label="Perjanjian Kinerja 2025",
                 by="admin1", source="halaman")
    shown = targets.in_view(D(2025, 1, 1), D(2025, 12, 1), _province())
    # loans of 2025: Rantau's 10 + 20 + ... + 120 = 780 of 700; no training report at all in 2025: no figure
    # (never a zero)
    assert [(r["indicator"], r["realisation"], r["months"], r["status"], r["basis"]) for r in shown.to_dict("records")
            ] == [("loans", 780.0, 12, "achieved", "year"), ("training_sessions", None, 12, "no_data", "year")]
    with use_lang("id"):
        assert [targets_view.target_line(r) for r in shown.to_dict("records")] == [
            'Target 2025: 700 (capaian 111,4%) · **:color[Tercapai]{foreground="#1B7F5A"}**',
            "Target 2025: 4 · belum ada realisasi"]
