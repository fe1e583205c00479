"""Targets beside the dashboard's figures and in the annual report (issue 16): the overview's KPI cards and
the unit page say the year's target, the share achieved and, year to date, the pro-rata target for the
period's months, coloured on track / behind; nothing where no target applies; and the LKjIP table of the
annual report (xlsx and PDF) holds the same numbers as the overview and the Capaian Kinerja page.

Run by Streamlit's AppTest against the hand-checked fixture warehouse (tests/fixtures.py): loans of 2024
are 100 + 120 (Rutan Rantau, July and August), 400 + 500 (Lapas Banjarmasin) and 80 (LPKA Martapura,
August) = 1.200, three training sessions; the data runs from August 2023 to August 2024, so 2024 has no
complete year of history before it and its pro-rata targets are linear (months ÷ 12)."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import QUIET, fixture_warehouse
from tests.test_dashboard import ROOT, sign_in
from tests.test_targets import warehouse  # noqa: F401  (the fixture with a complete year of history)

pytestmark = pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page

BEHIND = '{foreground="#B3261E"}'
ON_TRACK = '{foreground="#1B7F5A"}'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture warehouse with the province's 2024 targets (3.000 loans, 10 training sessions, 90%
    complete reports) and, in a second revision, Rutan Rantau's own (500 loans)."""
    from warehouse import accounts, targets
    from warehouse.db import using

    env = fixture_warehouse(tmp_path_factory.mktemp("target-lines"))
    with using(env):
        accounts.add_user("admin1", "admin", "sandi-admin-panjang", by="cli:test")
        accounts.add_user("kepala", "viewer", "sandi-kepala-panjang", by="cli:test")
        targets.save(2024, [("loans", "", 3000), ("training_sessions", "", 10), ("completeness", "", 90)],
                     label="Perjanjian Kinerja 2024", by="admin1", source="halaman")
        targets.save(2024, [("loans", "rutan-rantau", 500)], label="PK Rutan Rantau", by="admin1", source="halaman")
    return env


@pytest.fixture
def app(site, monkeypatch):
    for key, value in {**site, **QUIET, "PANTAU_TODAY": "2024-09-20"}.items():
        monkeypatch.setenv(key, value)
    return _app


def _app(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    sign_in(at, "kepala", "sandi-kepala-panjang")
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _target_lines(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(("Target 2024", "Target 2026"))]


def test_overview_year_to_date_against_the_pro_rata_target(app):
    at = app("pages/ringkasan.py", dari="2024-01", sampai="2024-08")
    # loans: 1.200 of 3.000 = 40%; pro rata 8/12 × 3.000 = 2.000, of which 60%: behind
    # training sessions: 3 of 10 = 30%; pro rata 8/12 × 10 = 6,7 (shown 7, as the Capaian page rounds), of which 45%: behind
    assert _target_lines(at) == [
        f"Target 2024: 3.000 (capaian 40%) · pro-rata s.d. Agu 2024: 2.000 (60%) · **:color[Tertinggal]{BEHIND}**",
        f"Target 2024: 10 (capaian 30%) · pro-rata s.d. Agu 2024: 7 (45%) · **:color[Tertinggal]{BEHIND}**"]
    [note] = [c.value for c in at.caption if c.value.startswith("Target dari revisi")]
    assert note.startswith("Target dari revisi 2: PK Rutan Rantau (dimasukkan admin1, ")
    assert note.endswith("). Target pro-rata jumlah tahunan: linear (bulan ÷ 12; belum ada tahun lengkap sebagai "
                         "pola).")
    # a period ending in July counts January to July: loans 100 + 400 = 500 of 3.000 = 16,7%; pro rata
    # 7/12 × 3.000 = 1.750, of which 28,6%; training: the July session of Lapas Banjarmasin, 1 of 10 = 10%; pro rata
    # 7/12 × 10 = 5,8 (shown 6), of which 1/(70/12) = 17,1%
    at = app("pages/ringkasan.py", dari="2024-01", sampai="2024-07")
    assert _target_lines(at) == [
        f"Target 2024: 3.000 (capaian 16,7%) · pro-rata s.d. Jul 2024: 1.750 (28,6%) · **:color[Tertinggal]{BEHIND}**",
        f"Target 2024: 10 (capaian 10%) · pro-rata s.d. Jul 2024: 6 (17,1%) · **:color[Tertinggal]{BEHIND}**"]


def test_overview_of_one_unit_uses_its_own_target(app):
    # Rutan Rantau's loans 100 + 120 = 220 of its 500 = 44%; pro rata 8/12 × 500 = 333,3 (shown 333), of which 66%;
    # it has no target for training sessions, so that card has no line
    at = app("pages/ringkasan.py", dari="2024-01", sampai="2024-08", fas=["rutan-rantau"])
    assert _target_lines(at) == [
        f"Target 2024: 500 (capaian 44%) · pro-rata s.d. Agu 2024: 333 (66%) · **:color[Tertinggal]{BEHIND}**"]


@pytest.mark.parametrize("params", [
    {"dari": "2024-02", "sampai": "2024-08"},                                          # not from January
    {"dari": "2023-08", "sampai": "2024-08"},                                          # across two years
    {"dari": "2024-01", "sampai": "2024-08", "fas": ["lapas-banjarmasin", "rutan-rantau"]},  # part of the province
    {"dari": "2024-01", "sampai": "2024-08", "fas": ["lapas-banjarmasin"]},              # a unit without targets
])
def test_no_target_nothing_shown(app, params):
    at = app("pages/ringkasan.py", **params)
    assert _target_lines(at) == []
    assert not [c for c in at.caption if c.value.startswith("Target dari revisi")]
    assert at.metric  # the cards themselves are there


def test_unit_page_shows_its_own_targets_only(app):
    at = app("pages/fasilitas.py", dari="2024-01", sampai="2024-08", unit="rutan-rantau")
    shown = [m.value for m in at.markdown]
    start = shown.index("**Capaian target 2024 unit ini**")
    assert shown[start + 1] == ("Jumlah peminjaman buku: **220** peminjaman · Target 2024: 500 (capaian 44%) · pro-rata "
                                f"s.d. Agu 2024: 333 (66%) · **:color[Tertinggal]{BEHIND}**")
    assert shown[start + 2] == "**Peminjaman per bulan**"  # the box holds only the indicators with a target
    # the province's targets do not apply to a unit
    at = app("pages/fasilitas.py", dari="2024-01", sampai="2024-08", unit="lapas-banjarmasin")
    assert not [m for m in at.markdown if m.value.startswith("**Capaian target")]


def test_training_and_completeness_pages_show_their_targets(app):
    at = app("pages/pelatihan.py", dari="2024-01", sampai="2024-08")
    assert _target_lines(at) == [  # participants have no target: no line
        f"Target 2024: 10 (capaian 30%) · pro-rata s.d. Agu 2024: 7 (45%) · **:color[Tertinggal]{BEHIND}**"]
    at = app("pages/kelengkapan.py", dari="2024-01", sampai="2024-08")
    # reports due January-August 2024: 15 units × 3 registers × 8 months = 360; arrived: loans 2 in July and
    # 3 in August, visits 1 in July and 2 in August, training 1 in July and 2 in August = 11, 11/360 = 3,1%
    assert at.metric[0].value == "3,1%"
    # a level is compared with the target itself, whatever the months: (11/360) ÷ 90% = 3,4%
    assert _target_lines(at) == [f"Target 2024: 90% (capaian 3,4%) · **:color[Tertinggal]{BEHIND}**"]
    [note] = [c.value for c in at.caption if c.value.startswith("Target dari revisi")]
    assert note.endswith(")."), note  # the revision only: no pro-rata basis for a level
    at = app("pages/kelengkapan.py", dari="2024-02", sampai="2024-08")
    assert _target_lines(at) == []


def test_lkjip_table_equals_the_pages(app, site, tmp_path):
    """The overview's cards, the Capaian Kinerja page's rows and the annual report's LKjIP table (xlsx sheet
    and PDF section) hold the same realisation for 2024."""
    import reports
    from reports.period import Period
    from ui.i18n import use_lang
    from warehouse.db import using
    from warehouse.settings import today

    overview = app("pages/ringkasan.py", dari="2024-01", sampai="2024-08")
    cards = {m.label: m.value for m in overview.metric}
    assert (cards["Peminjaman"], cards["Sesi pelatihan"]) == ("1.200", "3")
    page = app("pages/capaian.py")
    page.selectbox(key="capaian_year").set_value(2024).run()
    shown = page.dataframe[0].value.set_index("Indikator")
    assert list(shown.loc["Jumlah peminjaman buku"])[2:] == ["3.000", "1.200", "40", "2.000", "60", "Tertinggal"]
    assert list(shown.loc["Kegiatan pelatihan literasi"])[2:] == ["10", "3", "30", "7", "45", "Tertinggal"]

    with using(site), use_lang("id"):
        _, data = reports.build(Period.year(2024), None, "xlsx", "id", today())
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Capaian Kinerja"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] is not None]
    assert [r[0] for r in rows[:3]] == ["DINAS PERPUSTAKAAN DAN KEARSIPAN", "Laporan Tahunan 2024 (s.d. Agustus 2024)",
                                        "Capaian kinerja 2024 (tabel LKjIP)"]
    assert rows[3][0].startswith("Target dari revisi 2: PK Rutan Rantau (dimasukkan admin1, ")
    assert rows[4:6] == [
        ("Realisasi Jan 2024 – Agu 2024 (8 bulan). Target pro-rata jumlah tahunan: linear (bulan ÷ 12; belum ada "
         "tahun lengkap sebagai pola).",) + (None,) * 8,
        ("No", "Indikator", "Satuan", "Target", "Realisasi", "Capaian %", "Target s.d. bulan ini",
         "Capaian s.d. bulan ini %", "Status")]
    by_name = {r[1]: r for r in rows[6:]}
    assert len(by_name) == 8  # every indicator, as on the page
    assert by_name["Jumlah peminjaman buku"] == (1, "Jumlah peminjaman buku", "peminjaman", 3000, 1200, 40, 2000, 60,
                                                 "Tertinggal")
    assert by_name["Kegiatan pelatihan literasi"] == (5, "Kegiatan pelatihan literasi", "kegiatan", 10, 3, 30, 7, 45,
                                                      "Tertinggal")
    assert by_name["Pengunjung perpustakaan UPT"] == (3, "Pengunjung perpustakaan UPT", "pengunjung", "–", 125, "–",
                                                      "–", "–", "Tanpa target")
    # a report of a quarter, or of a group of units, has no LKjIP table
    with using(site), use_lang("id"):
        _, data = reports.build(Period.quarter(2024, 3), None, "xlsx", "id", today())
        assert "Capaian Kinerja" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
        _, data = reports.build(Period.year(2024), ("lapas-banjarmasin", "rutan-rantau"), "xlsx", "id", today())
        assert "Capaian Kinerja" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames

    if reports.pdf_available() is None or shutil.which("pdftotext") is None:
        pytest.skip("no browser or pdftotext for the PDF")
    with using(site), use_lang("id"):
        _, data = reports.build(Period.year(2024), None, "pdf", "id", today())
    (tmp_path / "laporan.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "laporan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    section = text[text.index("8. Capaian kinerja 2024 (tabel LKjIP)"):]
    lines = [" ".join(line.split()) for line in section.splitlines() if line.strip()]
    assert "1 Jumlah peminjaman buku 3.000 1.200 40 2.000 60 Tertinggal" in lines
    assert "5 Kegiatan pelatihan literasi 10 3 30 7 45 Tertinggal" in lines


def test_overview_pro_rata_follows_last_years_months(warehouse, monkeypatch):  # noqa: F811
    """With a complete year of history (Rutan Rantau's loans of 2025: 10 × the month's number, 780 in all,
    210 in January-June) the pro-rata target follows its months: 6.000 × 210/780 = 1.615,4 (shown 1.615) for
    January-June 2026, against 6 × (100 + 200) = 1.800 loans: 111,4%, on track."""
    from warehouse import targets

    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    targets.save(2026, [("loans", "", 6000)], label="Perjanjian Kinerja 2026", by="admin1", source="halaman")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["dari"], at.query_params["sampai"] = "2026-01", "2026-06"
    sign_in(at, "admin1", "sandi-admin-panjang")
    assert not at.exception, [e.value for e in at.exception]
    assert _target_lines(at) == [
        f"Target 2026: 6.000 (capaian 30%) · pro-rata s.d. Jun 2026: 1.615 (111,4%) · **:color[Sesuai jalur]{ON_TRACK}**"]
    [note] = [c.value for c in at.caption if c.value.startswith("Target dari revisi")]
    assert note.endswith("Target pro-rata jumlah tahunan: menurut pola bulanan tahun 2025.")


def test_laporan_preview_of_a_year_shows_its_lkjip_table(app):
    at = app("pages/laporan.py")
    at.segmented_control(key="report_kind").set_value("year").run()
    assert not [e for e in at.expander if e.label.startswith("Capaian kinerja")]  # 2023 (the last complete year)
    at.selectbox(key="report_year").select_index(0).run()  # 2024 so far
    assert not at.exception, [e.value for e in at.exception]
    [expander] = [e for e in at.expander if e.label == "Capaian kinerja 2024 (tabel LKjIP)"]
    shown = expander.dataframe[0].value.set_index("Indikator")
    assert list(shown.loc["Jumlah peminjaman buku"])[2:] == ["3.000", "1.200", "40", "2.000", "60", "Tertinggal"]
    # the revision and the months, escaped for Markdown (an admin wrote the revision's name)
    note = expander.caption[0].value
    assert note.startswith("Target dari revisi 2\\: PK Rutan Rantau \\(dimasukkan admin1, ")
    assert note.endswith("\\). Realisasi Jan 2024 – Agu 2024 \\(8 bulan\\). Target pro-rata jumlah tahunan\\: linear "
                         "\\(bulan ÷ 12; belum ada tahun lengkap sebagai pola\\).")
    # a month's report has none
    at.segmented_control(key="report_kind").set_value("month").run()
    assert not [e for e in at.expander if e.label.startswith("Capaian kinerja")]
