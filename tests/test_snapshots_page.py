"""The Riwayat Unggah page's figures before a batch (issue 17): read from the lake's snapshot on the lake,
one sentence on the DuckDB file; and the upload page when the warehouse was busy with other writers."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.files import write_xlsx
from tests.test_upload_page import HEADER, XLSX, app, button, page, recap
from warehouse import accounts, db, marts
from warehouse.queries import batches, summary

FILE_ONLY = ("Snapshot riwayat hanya ada pada gudang data DuckLake; gudang data ini satu berkas DuckDB, jadi angka "
             "sebelum batch tidak dapat ditampilkan.")


@pytest.fixture
def staff(env, monkeypatch):
    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    from warehouse.ingest import make_options

    make_options()  # seeds the register
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    return env


def load(folder, name: str, rows: list[list]) -> int:
    from etl.pipeline import read_file
    from warehouse.ingest import make_options
    from warehouse.load import load_file

    path = write_xlsx(folder / name, {"Peminjaman": [HEADER, *rows]})
    return load_file(read_file(path, make_options()), loaded_by="sari").batches[0].batch_id


def history_of(batch_id: int):
    at = page(app("sari", "sandi-rahasia-sari"), "pages/riwayat.py")
    at.selectbox(key="history_batch").set_value(batch_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["lake"], indirect=True)
def test_history_shows_the_figures_before_a_batch_on_the_lake(staff):
    load(staff, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 15], ["Rutan Rantau", "September 2024",
                                                                           "Agama", 4]])
    b = load(staff, "b.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 12], ["Rutan Rantau", "Oktober 2024",
                                                                               "Fiksi", 6]])
    with db.connect() as con:
        before = con.execute("SELECT lake_snapshot_before FROM batch WHERE batch_id = ?", [b]).fetchone()[0]
    at = history_of(b)
    assert [c.value for c in at.caption if "snapshot" in c.value.lower()] == []
    at.toggle(key=f"snap-{b}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [c.value for c in at.caption if "snapshot" in c.value] == [
        f"Angka unit dan bulan batch #{b} pada snapshot {before} gudang data (tepat sebelum batch ini dimuat) dan "
        "sekarang."]
    shown = at.dataframe[-1].value
    assert list(shown.columns) == ["Fasilitas", "Bulan", "Angka", "Sebelum batch", "Sekarang"]
    assert [[None if pd.isna(v) else v for v in r] for r in shown.astype(object).values.tolist()] == [
        ["Rutan Rantau", "Agustus 2024", "Peminjaman", 15, 12],
        ["Rutan Rantau", "Agustus 2024", "Peminjam", None, None],
        ["Rutan Rantau", "Oktober 2024", "Peminjaman", None, 6],
        ["Rutan Rantau", "Oktober 2024", "Peminjam", None, None]]
    assert at.dataframe[-1].proto.placeholder == "belum ada angka"  # the empty cells, never None or nan
    assert FILE_ONLY not in [c.value for c in at.caption]


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_history_on_the_file_says_snapshots_are_the_lakes(staff):
    batch = load(staff, "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 15]])
    at = history_of(batch)
    assert FILE_ONLY in [c.value for c in at.caption]
    assert not any(x.key == f"snap-{batch}" for x in at.toggle)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["lake"], indirect=True)
def test_an_upload_that_meets_other_writers_stores_nothing_and_says_so(staff, monkeypatch, tmp_path):
    """Another writer commits while this upload's transaction is open, and no retry is left: the page says
    so in one sentence, nothing of the file is stored, the file stays in the uploader, and loading again works."""
    monkeypatch.setenv("PANTAU_LAKE_RETRIES", "1")
    refresh, seen = marts.refresh, []

    def refresh_while_another_commits(con, touched, datasets=None):
        if not seen:  # the first load only: another writer commits while ours is open
            seen.append(accounts.add_user("budi", "staff", "sandi-rahasia-budi", by="cli:test"))
        return refresh(con, touched, datasets)

    monkeypatch.setattr(marts, "refresh", refresh_while_another_commits)
    at = page(app("sari", "sandi-rahasia-sari"), "pages/unggah.py")
    good = recap(tmp_path / "rantau-agustus.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10]])
    at.get("file_uploader")[0].set_value([("rantau-agustus.xlsx", good, XLSX)]).run()
    button(at, "Muat semua").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "Gudang data sedang sibuk dengan unggahan lain, jadi tidak ada bagian berkas ini yang tersimpan; tekan "
        "tombol muat lagi."]
    assert len(seen) == 1
    assert (batches(), summary()) == ([], [])
    with db.connect() as con:
        assert con.execute("SELECT username, action FROM audit_log ORDER BY audit_id").fetchall() == [
            ("cli:test", "account_add"), ("sari", "login"), ("cli:test", "account_add")]  # budi added; no upload
    assert [f.name for f in at.get("file_uploader")[0].value] == ["rantau-agustus.xlsx"]
    assert not button(at, "Muat semua").disabled
    button(at, "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 1 batch (#1): 1 baris dimuat, 0 ditolak.")
    assert summary() == [{"dataset": "loans", "facility": "rutan-rantau", "month": "2024-08", "value": 10}]


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_a_read_that_waits_too_long_for_a_writer_is_one_sentence(staff, monkeypatch, tmp_path):
    """Another process holds the DuckDB file past PANTAU_LOCK_TIMEOUT while the upload page compares the
    file with what is stored: the page says so in one sentence, no traceback, nothing stored."""
    from warehouse import load as load_module

    def held_elsewhere(result):
        raise db.DatabaseBusy("Berkas data sedang dipakai proses lain lebih dari 30 detik; coba lagi sebentar lagi.")

    at = page(app("sari", "sandi-rahasia-sari"), "pages/unggah.py")
    monkeypatch.setattr(load_module, "replacements", held_elsewhere)
    good = recap(tmp_path / "rantau-agustus.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10]])
    at.get("file_uploader")[0].set_value([("rantau-agustus.xlsx", good, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Gudang data sedang dipakai proses lain (misalnya memuat berkas besar) lebih lama dari biasanya; tunggu "
        "sebentar lalu muat ulang halaman ini."]
    assert (batches(), summary()) == ([], [])
