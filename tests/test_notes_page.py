"""The notes on the pages: the Kelengkapan Data section (viewer reads, staff add and undo), the
markers on a unit's monthly charts, and the notes in the reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import QUIET, ROOT, fixture_warehouse
from tests.test_dashboard import sign_in
from warehouse import accounts, notes
from warehouse.db import connect

pytestmark = pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page

D = dt.date


@pytest.fixture
def noted(tmp_path, monkeypatch):
    """The fixture warehouse of tests/fixtures.py with a viewer, a staff member and one closed month."""
    env = fixture_warehouse(tmp_path)
    for key, value in {**env, **QUIET}.items():
        monkeypatch.setenv(key, value)
    accounts.add_user("kepala", "viewer", "sandi-kepala-dinas", by="cli:test")
    accounts.add_user("sari", "staff", "sandi-staf-sari", by="cli:test")
    notes.add("rutan-rantau", D(2024, 8, 1), "all", "perpustakaan tutup renovasi", closed=True, by="sari")
    # AppTest gives every run a fresh pages manager in the old pages-folder mode, so each page run
    # would rerun once to switch to st.navigation (ui/shell.ensure_entry_point) and lose the click
    # that started it; the real server switches once, at its start
    monkeypatch.setattr("ui.shell.use_navigation", lambda: False)
    return tmp_path


def page(username: str, password: str, path: str = "pages/kelengkapan.py", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    sign_in(at, username, password)
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def notes_table(at: AppTest):
    return next(d.value for d in at.dataframe if "No. catatan" in d.value.columns)


def test_viewer_reads_the_notes_but_gets_no_form(noted):
    at = page("kepala", "sandi-kepala-dinas", dari="2024-07", sampai="2024-08")
    shown = notes_table(at)
    assert shown[["No. catatan", "Fasilitas", "Bulan", "Laporan", "Tutup", "Catatan",
                  "Ditulis oleh"]].values.tolist() == [
        [1, "Rutan Rantau", "Agustus 2024", "Semua laporan", "ya", "perpustakaan tutup renovasi", "sari"]]
    assert not [b for b in at.button if b.key in ("note_remove", "note_undo")]
    assert "note_text" not in [i.key for i in at.text_input]
    # the closed month is neither due nor chased: Rantau owes July's three reports only
    by_facility = next(d.value for d in at.dataframe if "Laporan jatuh tempo" in d.value.columns)
    assert by_facility[by_facility["Fasilitas"] == "Rutan Rantau"].values.tolist() == [
        ["Rutan Rantau", 3, 1, 1, 2, 33.3]]
    chase = next(d.value for d in at.dataframe if "Belum masuk sejak" in d.value.columns)
    assert chase[chase["Fasilitas"] == "Rutan Rantau"].values.tolist() == [
        ["Rutan Rantau", "Pelatihan", "Juli 2024", 1, "Juli 2024"], ["Rutan Rantau", "Kunjungan", "Juli 2024", 1,
                                                                      "Juli 2024"]]
    # the matrix's hover says closed, with the note
    grid = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    row = grid["y"].index("Rutan Rantau")
    assert grid["customdata"][row][1] == [
        "Agu 2024", "Peminjaman: tutup (tidak wajib lapor) · perpustakaan tutup renovasi<br>Pelatihan: tutup (tidak "
        "wajib lapor) · perpustakaan tutup renovasi<br>Kunjungan: tutup (tidak wajib lapor) · perpustakaan tutup "
        "renovasi"]


def test_staff_adds_a_note_and_undoes_it(noted):
    at = page("sari", "sandi-staf-sari", dari="2024-07", sampai="2024-08")
    at.selectbox(key="note_unit").set_value("lpka-martapura")
    at.selectbox(key="note_month").set_value(D(2024, 7, 1))
    at.selectbox(key="note_dataset").set_value("visits")
    at.text_input(key="note_text").input("listrik padam 2 minggu")
    next(b for b in at.button if b.label == "Simpan catatan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Catatan disimpan dan dicatat di log audit.",
                                             "Tidak ada angka yang perlu dicek pada periode ini."]
    assert notes_table(at)[["Fasilitas", "Bulan", "Laporan", "Tutup", "Catatan"]].values.tolist() == [
        ["LPKA Martapura", "Juli 2024", "Kunjungan", "", "listrik padam 2 minggu"],
        ["Rutan Rantau", "Agustus 2024", "Semua laporan", "ya", "perpustakaan tutup renovasi"]]
    # edit it: closed after all
    at.selectbox(key="note_remove_pick").set_value(2)
    at.run()
    assert at.text_input(key="note_edit_text_2").value == "listrik padam 2 minggu"
    at.checkbox(key="note_edit_closed_2").check()
    at.button(key="note_edit").click().run()
    assert notes_table(at)[["Fasilitas", "Tutup", "Catatan"]].values.tolist() == [
        ["LPKA Martapura", "ya", "listrik padam 2 minggu"], ["Rutan Rantau", "ya", "perpustakaan tutup renovasi"]]
    at.selectbox(key="note_undo_pick").set_value(3)
    at.button(key="note_undo").click().run()
    assert notes_table(at)[["Fasilitas", "Tutup"]].values.tolist() == [["LPKA Martapura", ""], ["Rutan Rantau", "ya"]]
    # undo the addition just made
    assert at.selectbox(key="note_undo_pick").options[0].startswith("#2 · ditambah · sari · LPKA Martapura, Juli 2024")
    at.selectbox(key="note_undo_pick").set_value(2)
    at.button(key="note_undo").click().run()
    assert notes_table(at)["Fasilitas"].tolist() == ["Rutan Rantau"]
    with connect() as con:
        assert con.execute("SELECT username, action, detail FROM audit_log WHERE action LIKE 'note%' "
                           "ORDER BY audit_id").fetchall() == [
            ("sari", "note_add", "catatan #1 (perubahan #1) rutan-rantau 2024-08 all tutup: perpustakaan tutup "
                                 "renovasi"),
            ("sari", "note_add", "catatan #2 (perubahan #2) lpka-martapura 2024-07 visits: listrik padam 2 minggu"),
            ("sari", "note_edit", "catatan #2 (perubahan #3) lpka-martapura 2024-07 visits tutup: listrik padam 2 "
                                  "minggu"),
            ("sari", "note_undo", "catatan #2: perubahan #3 (edit) dibatalkan"),
            ("sari", "note_undo", "catatan #2: perubahan #2 (add) dibatalkan")]


def test_a_demoted_member_of_staff_is_refused_at_the_moment_of_the_action(noted, monkeypatch):
    from ui import auth

    at = page("sari", "sandi-staf-sari", dari="2024-07", sampai="2024-08")
    # the open tab still shows the form, as it does for up to auth.CHECK_SECONDS after a demotion (held
    # here, so a slow machine cannot let the cache expire first and hide the form): the action itself is refused
    staff = accounts.session_user(at.session_state["cookie"])
    monkeypatch.setattr(auth, "_cached_session_user", lambda key, warehouse, cookie: staff)
    accounts.set_role("sari", "viewer", by="cli:test")
    at.button(key="note_remove").click().run()
    assert [e.value for e in at.error] == [
        "Halaman atau tindakan ini hanya untuk peran staf ke atas. Minta admin bila Anda memerlukannya."]
    assert len(notes.listing(D(2024, 8, 1), D(2024, 8, 1), ("rutan-rantau",))) == 1


def test_the_note_marks_the_units_monthly_charts(noted):
    at = page("kepala", "sandi-kepala-dinas", "pages/fasilitas.py", dari="2024-07", sampai="2024-08",
              unit="rutan-rantau")
    charts = [c for c in at.get("plotly_chart")]
    marked = []
    for chart in charts:
        figure = json.loads(chart.proto.spec)
        for trace in figure["data"]:
            if trace.get("name") == "Catatan":
                marked.append(trace["customdata"])
    assert marked == [[["Agustus 2024", "tutup; perpustakaan tutup renovasi"]]] * 3


def test_the_reports_list_the_notes_of_their_period(noted, tmp_path):
    import io

    import openpyxl

    import reports
    from reports.period import parse

    notes.add("lpka-martapura", D(2024, 7, 1), "visits", "listrik padam 2 minggu", by="sari")  # another month
    _, data = reports.build(parse("2024-08"), fmt="xlsx", lang="id")
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    texts = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert [x for x in texts if x.startswith("Catatan UPT")] == [
        "Catatan UPT: Rutan Rantau, Agustus 2024, Semua laporan: tutup; perpustakaan tutup renovasi."]
    _, data = reports.build(parse("2024-07"), fmt="xlsx", lang="en")
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    texts = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert [x for x in texts if x.startswith("Unit note")] == [
        "Unit note: LPKA Martapura, July 2024, Visits: listrik padam 2 minggu."]


@pytest.mark.slow  # kaleido's Chromium draws the PDF's charts; the xlsx above carries the same notes
def test_the_pdf_lists_the_notes_of_its_period(noted):
    import io

    from pypdf import PdfReader

    import reports
    from reports import browser
    from reports.period import parse

    if browser.find_browser() is None:
        pytest.skip("no Chromium/Chrome for the PDF's charts (test_the_reports_list_the_notes_of_their_period "
                    "checks the xlsx)")
    _, data = reports.build(parse("2024-08"), fmt="pdf", lang="id")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Catatan UPT: Rutan Rantau, Agustus 2024, Semua laporan: tutup; perpustakaan tutup renovasi." in text


def test_the_indicator_page_says_which_reports_are_expected(noted):
    at = page("kepala", "sandi-kepala-dinas", "pages/indikator.py")
    said = " ".join(m.value for m in at.markdown).replace("\\", "")  # as read: without Markdown's escapes
    assert ("Bulan yang ditandai staf sebagai tutup (untuk satu jenis laporan atau semua, mis. perpustakaan tutup "
            "renovasi) tidak diharapkan laporannya") in said
    assert "UPT yang diharapkan melapor (aktif di register dan tidak ditandai tutup bulan itu)" in said
    # in English the same entries (the page shows indicator.formula(lang); AppTest cannot switch the
    # language of a signed-in session on another page: the sidebar's month picker keeps its Indonesian value)
    from warehouse.indicators import INDICATORS

    said = " ".join(i.formula("en") for i in INDICATORS)
    assert "A month staff have marked closed (for one report or all of them" in said
    assert "units expected to report (active in the register and not marked closed that month)" in said


def test_the_loans_table_hover_shows_the_note(noted):
    at = page("kepala", "sandi-kepala-dinas", "pages/peminjaman.py", dari="2024-07", sampai="2024-08")
    grid = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    cells = {(row[0][0], cell[1]): cell[3] for row in grid["customdata"] for cell in row}
    assert {k: v for k, v in cells.items() if v} == {("rutan-rantau", "Agu 2024"): "<br>Catatan: tutup; perpustakaan "
                                                                                   "tutup renovasi"}


def test_an_admin_sets_a_units_active_months_on_the_register_page(noted):
    from warehouse import completeness

    accounts.add_user("ani", "admin", "sandi-admin-ani", by="cli:test")
    at = page("ani", "sandi-admin-ani", "pages/register.py")
    at.selectbox(key="active_code").set_value("lpka-martapura").run()
    at.date_input(key="active_until_lpka-martapura").set_value(D(2024, 7, 31))
    at.button(key="active_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Bulan aktif LPKA Martapura disimpan."]
    with connect() as con:
        assert con.execute("SELECT username, action, detail FROM audit_log WHERE action = 'register_active'"
                           ).fetchall() == [("ani", "register_active", "lpka-martapura: -..- -> -..2024-07-31")]
    frame = completeness.matrix(D(2024, 7, 1), D(2024, 8, 1), ("lpka-martapura",), D(2024, 11, 21))
    assert sorted({(m.month, d) for m, d in zip(frame["month"], frame["dataset"])}) == [
        (7, "loans"), (7, "training"), (7, "visits")]
    # a member of staff sees the register without the form
    at = page("sari", "sandi-staf-sari", "pages/register.py")
    assert not [b for b in at.button if b.key == "active_save"]


def test_the_register_pages_admin_forms_say_the_warehouses_answer_and_check_the_role_at_the_click(noted, monkeypatch):
    """The spelling and the officer forms (ui/guarded.act): the success, the warehouse's refusal in one
    sentence, and an admin demoted while the page was open stopped before anything changes."""
    accounts.add_user("ani", "admin", "sandi-admin-ani", by="cli:test")
    accounts.add_user("adi", "admin", "sandi-admin-adi", by="cli:test")
    at = page("ani", "sandi-admin-ani", "pages/register.py")
    at.selectbox(key="alias_code").set_value("rutan-rantau")  # inside the form: sent with its button
    at.text_input(key="alias_text").set_value("Perpustakaan Cahaya Ilmu")
    next(b for b in at.button if b.label == "Tambah ejaan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert ([s.value for s in at.success], [e.value for e in at.error]) == (
        ["'Perpustakaan Cahaya Ilmu' kini dikenali sebagai Rutan Rantau."], [])
    at.selectbox(key="alias_code").set_value("rutan-rantau")
    at.text_input(key="alias_text").set_value("Lapas Teluk Dalam")
    next(b for b in at.button if b.label == "Tambah ejaan").click().run()
    assert ([s.value for s in at.success], [e.value for e in at.error]) == ([], [
        "'Lapas Teluk Dalam' sudah dikenali sebagai Lapas Banjarmasin; tidak bisa dipakai untuk Rutan Rantau."])
    at.selectbox(key="officer_code").set_value("rutan-rantau").run()
    next(i for i in at.text_input if i.label == "E-mail petugas").set_value("rina@rutan-rantau")
    next(b for b in at.button if b.label == "Simpan petugas").click().run()
    assert [e.value for e in at.error] == [
        "Alamat e-mail 'rina@rutan-rantau' tidak valid; tulis seperti nama@kemenkumham.go.id."]
    next(i for i in at.text_input if i.label == "Nama petugas").set_value("Rina")
    next(i for i in at.text_input if i.label == "E-mail petugas").set_value("rina@rutan-rantau.test")
    next(b for b in at.button if b.label == "Simpan petugas").click().run()
    assert ([s.value for s in at.success], [e.value for e in at.error]) == (["Petugas Rutan Rantau disimpan."], [])
    with connect() as con:
        before = con.execute("SELECT * FROM facility_officer ORDER BY ALL").fetchall()
        assert [r[:3] for r in before] == [("rutan-rantau", "Rina", "rina@rutan-rantau.test")]
        aliases = con.execute("SELECT * FROM facility_alias ORDER BY ALL").fetchall()
    # demoted while the page is open: the next click is refused at that moment and changes nothing (the
    # tab's view of the account held as it is for up to auth.CHECK_SECONDS, so a slow machine cannot let it
    # expire first and hide the forms)
    admin = accounts.session_user(at.session_state["cookie"])
    monkeypatch.setattr("ui.auth._cached_session_user", lambda key, warehouse, cookie: admin)
    accounts.set_role("ani", "staff", by="adi")
    next(i for i in at.text_input if i.label == "Nama petugas").set_value("Budi")
    next(b for b in at.button if b.label == "Simpan petugas").click().run()
    assert ([s.value for s in at.success], [e.value for e in at.error]) == ([], [
        "Halaman atau tindakan ini hanya untuk peran admin ke atas. Minta admin bila Anda memerlukannya."])
    with connect() as con:
        assert con.execute("SELECT * FROM facility_officer ORDER BY ALL").fetchall() == before
        assert con.execute("SELECT * FROM facility_alias ORDER BY ALL").fetchall() == aliases
    # once the tab's view is read again (after auth.CHECK_SECONDS) the admin forms are gone for good
    monkeypatch.setattr("ui.auth._cached_session_user", lambda key, warehouse, cookie: accounts.session_user(cookie))
    at.run()
    assert not at.exception and not at.error
    assert [b.label for b in at.button if b.label in ("Tambah ejaan", "Simpan petugas")] == []
    assert [s.value for s in at.subheader] == []
