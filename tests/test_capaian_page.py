"""The Capaian Kinerja page, the officers' section of the register and the Langganan page, run by
Streamlit's AppTest against the hand-checked fixture warehouse (loans of July-August 2024)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import QUIET, fixture_warehouse
from tests.test_dashboard import ROOT, sign_in

pytestmark = pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from warehouse import accounts, targets
    from warehouse.db import using

    env = fixture_warehouse(tmp_path_factory.mktemp("capaian"))
    with using(env):
        accounts.add_user("admin1", "admin", "sandi-admin-panjang", by="cli:test")
        accounts.add_user("kepala", "viewer", "sandi-kepala-panjang", by="cli:test", email="kepala@dispersip.test")
        targets.save(2024, [("loans", "", 3000), ("training_sessions", "", 10)], label="Perjanjian Kinerja 2024",
                     by="admin1", source="halaman")
    return env


@pytest.fixture
def app(site, monkeypatch):
    for key, value in {**site, **QUIET, "PANTAU_TODAY": "2024-09-20"}.items():
        monkeypatch.setenv(key, value)

    def make(page: str, user: str, password: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        sign_in(at, user, password)
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def _row(table, key):
    return table[table["indicator"] == key].iloc[0].to_dict()


def test_capaian_table_equals_the_warehouse_and_names_the_revision(app):
    from warehouse import metrics, targets

    at = app("pages/capaian.py", "kepala", "sandi-kepala-panjang")
    at.selectbox(key="capaian_year").set_value(2024).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info][0].startswith("Target dari revisi 1: Perjanjian Kinerja 2024 (dimasukkan admin1, ")
    assert [c.value for c in at.caption][1] == ("Realisasi Jan 2024 – Agu 2024 (8 bulan). Target pro-rata jumlah "
                                                "tahunan: linear (bulan ÷ 12; belum ada tahun lengkap sebagai pola).")
    shown = at.dataframe[0].value
    table = targets.lkjip(2024, tuple(metrics.facilities()["code"]))
    loans = shown[shown["Indikator"] == "Jumlah peminjaman buku"].iloc[0]
    # the fixture's loans of 2024: 100 + 120 + 400 + 500 + 80
    # linear pro-rata (no complete year before 2024): 8/12 of 3000 = 2000, so 1200 is behind
    assert list(loans)[3:] == ["3.000", "1.200", "40", "2.000", "60", "Tertinggal"]
    assert loans["Realisasi"] == "1.200" and _row(table, "loans")["realisation"] == 1200
    # library visitors of 2024 (30 + 20 at Rantau, 35 + 40 at Banjarmasin) without a target: dashes, never 'None'
    visitors = shown[shown["Indikator"] == "Pengunjung perpustakaan UPT"].iloc[0]
    assert list(visitors)[3:] == ["–", "125", "–", "–", "–", "Tanpa target"]
    assert not [s for s in at.subheader if s.value == "Ubah target (admin)"]  # a viewer sees no edit form
    # the trend of recent years: a year without targets shows dashes in its achievement column, never 'None'
    trend = at.dataframe[1].value
    visits = trend[trend["Indikator"] == "Pengunjung perpustakaan UPT"].iloc[0]
    achievement = [v for k, v in visits.items() if k.startswith("Capaian")]
    assert achievement and achievement == ["–"] * ((len(trend.columns) - 1) // 2)


def test_admin_sees_the_forms_and_the_officer_is_saved(app):
    from warehouse import register
    from warehouse.accounts import audit_entries

    at = app("pages/capaian.py", "admin1", "sandi-admin-panjang")
    assert [s.value for s in at.subheader][-1] == "Ubah target (admin)"
    at = app("pages/register.py", "admin1", "sandi-admin-panjang")
    at.selectbox(key="officer_code").set_value("rutan-rantau").run()
    at.text_input[-2].input("Rina")
    at.text_input[-1].input("bukan-email")
    at.button[-1].click().run()
    assert register.officers().set_index("code").loc["rutan-rantau", "officer_email"] is None
    assert [e.value for e in at.error] == ["Alamat e-mail 'bukan-email' tidak valid; tulis seperti "
                                           "nama@kemenkumham.go.id."]
    at.text_input[-1].input("rina@rutan-rantau.test")
    at.button[-1].click().run()
    assert [s.value for s in at.success] == ["Petugas Rutan Rantau disimpan."]
    found = register.officers().set_index("code").loc["rutan-rantau"]
    assert (found["officer_name"], found["officer_email"], found["updated_by"]) == ("Rina", "rina@rutan-rantau.test",
                                                                                  "admin1")
    assert (audit_entries()[0]["action"], audit_entries()[0]["detail"]) == (
        "officer_set", "rutan-rantau: - -> Rina / rina@rutan-rantau.test")


def test_a_viewer_subscribes_and_kelengkapan_says_how_to_configure_mail(app):
    from warehouse import notifications

    at = app("pages/langganan.py", "kepala", "sandi-kepala-panjang")
    assert ([h.value for h in at.title], [h.value for h in at.subheader]) == (["Langganan laporan lewat e-mail"], [])
    at.checkbox[0].check()
    at.button[-1].click().run()
    assert [s.value for s in at.success] == ["Langganan disimpan."]
    assert notifications.subscriptions_of("kepala") == ["monthly"]
    import datetime as dt

    notifications.record_sent("report", "monthly", "2024-08", "kepala@dispersip.test", ["kepala@dispersip.test"],
                              "Laporan Pantau Literasi Agustus 2024", dt.date(2024, 9, 20))
    at = app("pages/kelengkapan.py", "kepala", "sandi-kepala-panjang")
    assert "Pengiriman e-mail belum diatur" in " ".join(i.value for i in at.info)
    assert "E-mail pengingat dan laporan yang terkirim" in [s.value for s in at.subheader]
    [log] = [d.value for d in at.dataframe if "Penerima" in d.value.columns]
    assert log[["Jenis", "Periode", "Fasilitas / laporan", "Penerima", "Subjek"]].values.tolist() == [
        ["Laporan berkala", "2024-08", "Laporan bulanan", "kepala@dispersip.test",
         "Laporan Pantau Literasi Agustus 2024"]]
