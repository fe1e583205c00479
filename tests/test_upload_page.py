"""Signing in, roles on every page and action, and a staff member's month of
uploads in the browser's place (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from etl.i18n import fmt_date
from tests.conftest import ROOT
from tests.files import write_xlsx
from tests.test_dashboard import sign_in
from warehouse import accounts
from warehouse.queries import batches, summary

pytestmark = pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page

HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def people(env, monkeypatch):
    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    from warehouse.ingest import make_options

    make_options()  # seeds the register
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    accounts.add_user("budi", "staff", "sandi-rahasia-budi", by="cli:test")
    accounts.add_user("kepala", "viewer", "sandi-kepala-dinas", by="cli:test")
    accounts.add_user("adm", "admin", "sandi-admin-dinas", by="cli:test")
    return env


def app(user: str | None = None, password: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user:
        sign_in(at, user, password)
    else:
        at.run()
    return at


def page(at: AppTest, path: str) -> AppTest:
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def recap(path, rows) -> bytes:
    return write_xlsx(path, {"Peminjaman": [HEADER, *rows]}).read_bytes()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_signed_out_sees_only_the_sign_in(people):
    at = app()
    assert [t.value for t in at.title] == ["Pantau Literasi"]
    assert [i.label for i in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert not at.selectbox and not at.metric
    at.text_input(key="login_username").input("sari")
    at.text_input(key="login_password").input("salah-sandi")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]


@pytest.mark.parametrize("path", ["pages/unggah.py", "pages/riwayat.py", "pages/akun.py", "pages/audit.py"])
def test_viewer_is_refused_by_url(people, path):
    at = page(app("kepala", "sandi-kepala-dinas"), path)
    assert at.error[0].value.startswith("Halaman atau tindakan ini hanya untuk peran ")
    assert not at.get("file_uploader") and not at.button


def test_staff_is_refused_the_admin_pages(people):
    at = page(app("sari", "sandi-rahasia-sari"), "pages/akun.py")
    assert at.error[0].value.startswith("Halaman atau tindakan ini hanya untuk peran admin")


def test_staff_month_of_work(people, tmp_path):
    at = page(app("sari", "sandi-rahasia-sari"), "pages/unggah.py")
    # a good file: report, then load all
    good = recap(tmp_path / "rantau-agustus.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10],
                                                    ["Rutan Kelas IIB Rantau", "Agustus 2024", "Fiksi", 5]])
    at.get("file_uploader")[0].set_value([("rantau-agustus.xlsx", good, XLSX)]).run()
    assert any("Rutan Rantau Agu 2024" in m.value and "2 baris valid, 0 bermasalah" in m.value for m in at.markdown)
    assert not button(at, "Muat semua").disabled
    button(at, "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 1 batch (#1): 2 baris dimuat, 0 ditolak.")
    assert summary() == [{"dataset": "loans", "facility": "rutan-rantau", "month": "2024-08", "value": 15}]

    # a bad file: the report shows why, nothing can be loaded whole
    bad = recap(tmp_path / "barabai.xlsx", [["Rutan Barabai", "Agustus 2024", "Agama", "sepuluh"]])
    at.get("file_uploader")[0].set_value([("barabai.xlsx", bad, XLSX)]).run()
    assert at.error[0].value == "Laporan pemeriksaan: 1 galat, 0 peringatan, 0 catatan."
    assert button(at, "Muat semua").disabled and button(at, "Muat baris valid saja").disabled
    assert at.dataframe[-1].value.iloc[0]["Pesan"] == ("Sheet 'Peminjaman', baris 2, kolom 'Jumlah Peminjaman': "
                                                        "'sepuluh' bukan angka. Tulis angka saja, mis. 1234 atau "
                                                        "1.234.")
    assert len(batches()) == 1

    # a corrected file for a month that already has data: say so, replace only on confirmation
    corrected = recap(tmp_path / "rantau-agustus-v2.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 12]])
    at.get("file_uploader")[0].set_value([("rantau-agustus-v2.xlsx", corrected, XLSX)]).run()
    loaded = fmt_date(batches()[0]["loaded_at"].date())
    assert at.warning[0].value == (f"Data Peminjaman Rutan Rantau Agustus 2024 sudah ada: diunggah {loaded} oleh "
                                   "sari (batch #1). Ganti?")
    assert button(at, "Muat semua").disabled
    at.checkbox[0].check().run()
    button(at, "Muat semua").click().run()
    assert summary()[0]["value"] == 12

    # undo the correction from the history: the first batch is in force again
    at = page(at, "pages/riwayat.py")
    at.selectbox(key="history_batch").set_value(2).run()
    at.checkbox(key="undo-sure-2").check().run()
    button(at, "Batalkan batch").click().run()
    assert at.success[0].value == "Batch #2 dibatalkan (1 sel fasilitas-bulan)."
    assert summary()[0]["value"] == 15


def test_undo_is_for_the_uploader_or_an_admin(people, tmp_path, opts):
    from etl.pipeline import read_file
    from warehouse.load import load_file

    path = write_xlsx(tmp_path / "a.xlsx", {"Peminjaman": [HEADER, ["Rutan Rantau", "Agustus 2024", "Agama", 10]]})
    load_file(read_file(path, opts), loaded_by="budi")
    at = page(app("sari", "sandi-rahasia-sari"), "pages/riwayat.py")
    at.toggle(key="history_mine").set_value(False).run()
    at.selectbox(key="history_batch").set_value(1).run()
    assert any("Hanya pengunggahnya atau admin" in c.value for c in at.caption)
    assert not any(b.label == "Batalkan batch" for b in at.button)
    at = page(app("adm", "sandi-admin-dinas"), "pages/riwayat.py")
    at.selectbox(key="history_batch").set_value(1).run()
    at.checkbox(key="undo-sure-1").check().run()
    button(at, "Batalkan batch").click().run()
    assert summary() == []


def test_admin_adds_an_account_and_reads_the_audit_log(people):
    at = page(app("adm", "sandi-admin-dinas"), "pages/akun.py")
    at.text_input(key="new_username").input("rina")
    at.text_input(key="new_display").input("Rina")
    at.selectbox(key="new_role").set_value("staff")
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert at.success[0].value.startswith("Kata sandi untuk rina (tampil sekali ini saja")
    password = at.code[0].value
    assert accounts.sign_in("rina", password).role == "staff"
    at = page(at, "pages/audit.py")
    shown = at.dataframe[0].value
    assert list(shown["Tindakan"][:2]) == ["masuk", "akun ditambah"]


def test_single_sign_on_maps_the_email_to_a_role(people):
    accounts.add_user("kadis", "viewer", None, by="cli:test", email="kadis@dispersip.kalselprov.go.id")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "pantau", "client_secret": "s",
                          "server_metadata_url": "https://sso.example/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": "kadis@dispersip.kalselprov.go.id"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ringkasan aktivitas membaca" or "Belum ada data" in at.info[0].value
    assert any("Masuk sebagai kadis (pemirsa)" in c.value for c in at.sidebar.caption)
    unknown = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    unknown.secrets["auth"] = at.secrets["auth"]
    unknown.user = {"is_logged_in": True, "email": "orang@lain.id"}
    unknown.run()
    assert unknown.error[0].value == ("Alamat orang@lain.id belum terdaftar di Pantau Literasi; minta admin "
                                      "menambahkannya.")


def test_a_check_that_waited_too_long_for_the_warehouse_says_so_and_offers_no_load(people, tmp_path, monkeypatch):
    """What a file would replace is read before the load buttons; when that read waits past the lock
    timeout the page gives the shell's one warning (ui.widgets.busy) and no button."""
    from tests.test_shell import BUSY
    from warehouse import load
    from warehouse.db import DatabaseBusy

    def held(result):
        raise DatabaseBusy("database is locked")

    monkeypatch.setattr(load, "replacements", held)
    at = page(app("sari", "sandi-rahasia-sari"), "pages/unggah.py")
    good = recap(tmp_path / "rantau-agustus.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10]])
    at.get("file_uploader")[0].set_value([("rantau-agustus.xlsx", good, XLSX)]).run()
    assert not at.exception
    assert [(w.value, w.icon) for w in at.warning] == [(BUSY, ":material/hourglass_top:")]
    assert not any(b.label in ("Muat semua", "Muat baris valid saja", "Batal") for b in at.button)
    assert batches() == []
