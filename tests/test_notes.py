"""Notes on a unit's month, closed months and the units' active months: which reports are
expected (completeness.matrix), the notes' changes with their audit rows and undo, and who may
make them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl.pipeline import read_file
from tests.files import write_xlsx
from warehouse import accounts, completeness, notes, provisional, register
from warehouse.db import connect
from warehouse.load import load_file

D = dt.date
T = pd.Timestamp
LOANS = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]


def load(path, opts, received):
    result = read_file(path, opts)
    assert [p.text() for p in result.errors] == []
    return load_file(result, loaded_by="sari", received_at=received)


@pytest.fixture
def people(env, opts):  # opts: the register seeded
    accounts.add_user("sari", "staff", "sandi-staf-sari", by="cli:test")
    accounts.add_user("budi", "staff", "sandi-staf-budi", by="cli:test")
    accounts.add_user("ani", "admin", "sandi-admin-ani", by="cli:test")
    accounts.add_user("kepala", "viewer", "sandi-kepala-dinas", by="cli:test")
    return env


def audit_rows(since: int = 0) -> list[tuple]:
    with connect() as con:
        return con.execute("SELECT username, action, detail FROM audit_log WHERE audit_id > ? AND action NOT LIKE "
                           "'account%' ORDER BY audit_id", [since]).fetchall()


def test_matrix_with_a_closed_month_and_an_inactive_unit(people, opts, monkeypatch):
    monkeypatch.setenv("PANTAU_REPORT_DEADLINE_DAY", "10")
    load(write_xlsx(people / "loans.xlsx", {"Peminjaman": [
        LOANS, ["Rutan Rantau", "Agustus 2024", "Agama", 5], ["Rutan Rantau", "September 2024", "Agama", 2],
        ["Rutan Pelaihari", "Agustus 2024", "Agama", 7]]}), opts, received=dt.datetime(2024, 9, 9, 9))
    # Rantau's library closed in September (all reports); its August loans carry a note
    notes.add("rutan-rantau", D(2024, 9, 15), "all", "perpustakaan tutup renovasi", closed=True, by="sari")
    notes.add("rutan-rantau", D(2024, 8, 1), "loans", "listrik padam 2 minggu", by="sari")
    # Pelaihari left the register's active units at the end of August
    register.set_active("rutan-pelaihari", None, D(2024, 8, 31), by="ani")
    frame = completeness.matrix(D(2024, 8, 1), D(2024, 9, 1), ("rutan-rantau", "rutan-pelaihari"), today=D(2024, 10, 11))
    assert list(frame.columns) == ["code", "short_name", "month", "dataset", "due", "received_at", "loaded_by",
                                   "file_name", "status", "closed", "notes"]
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]
    got = T(2024, 9, 9, 9)
    assert rows == [
        ("rutan-pelaihari", "Rutan Pelaihari", T(2024, 8, 1), "loans", T(2024, 9, 10), got, "sari", "loans.xlsx",
         "on_time", False, None),
        ("rutan-pelaihari", "Rutan Pelaihari", T(2024, 8, 1), "training", T(2024, 9, 10), None, None, None,
         "missing", False, None),
        ("rutan-pelaihari", "Rutan Pelaihari", T(2024, 8, 1), "visits", T(2024, 9, 10), None, None, None,
         "missing", False, None),
        ("rutan-rantau", "Rutan Rantau", T(2024, 8, 1), "loans", T(2024, 9, 10), got, "sari", "loans.xlsx",
         "on_time", False, "listrik padam 2 minggu"),
        ("rutan-rantau", "Rutan Rantau", T(2024, 8, 1), "training", T(2024, 9, 10), None, None, None,
         "missing", False, None),
        ("rutan-rantau", "Rutan Rantau", T(2024, 8, 1), "visits", T(2024, 9, 10), None, None, None,
         "missing", False, None),
        # closed: nothing expected; the loans report that came anyway keeps its arrival
        ("rutan-rantau", "Rutan Rantau", T(2024, 9, 1), "loans", T(2024, 10, 10), got, "sari", "loans.xlsx",
         "closed", True, "perpustakaan tutup renovasi"),
        ("rutan-rantau", "Rutan Rantau", T(2024, 9, 1), "training", T(2024, 10, 10), None, None, None,
         "closed", True, "perpustakaan tutup renovasi"),
        ("rutan-rantau", "Rutan Rantau", T(2024, 9, 1), "visits", T(2024, 10, 10), None, None, None,
         "closed", True, "perpustakaan tutup renovasi"),
    ]
    # reporting per dataset and month, defined once (warehouse.provisional): a closed unit owes nothing
    assert provisional.by_month(frame).to_dict("records") == [
        {"dataset": "loans", "month": D(2024, 8, 1), "expected": 2, "received": 2, "outstanding": 0,
         "missing_units": [], "provisional": False},
        {"dataset": "loans", "month": D(2024, 9, 1), "expected": 0, "received": 0, "outstanding": 0,
         "missing_units": [], "provisional": False},
        {"dataset": "visits", "month": D(2024, 8, 1), "expected": 2, "received": 0, "outstanding": 2,
         "missing_units": ["Rutan Pelaihari", "Rutan Rantau"], "provisional": True},
        {"dataset": "visits", "month": D(2024, 9, 1), "expected": 0, "received": 0, "outstanding": 0,
         "missing_units": [], "provisional": False},
        {"dataset": "training", "month": D(2024, 8, 1), "expected": 2, "received": 0, "outstanding": 2,
         "missing_units": ["Rutan Pelaihari", "Rutan Rantau"], "provisional": True},
        {"dataset": "training", "month": D(2024, 9, 1), "expected": 0, "received": 0, "outstanding": 0,
         "missing_units": [], "provisional": False},
    ]
    # the trend charts' marks: each dataset's provisional months with the units outstanding
    assert provisional.marks(frame) == {
        "loans": {}, "visits": {D(2024, 8, 1): ("Rutan Pelaihari", "Rutan Rantau")},
        "training": {D(2024, 8, 1): ("Rutan Pelaihari", "Rutan Rantau")}}
    assert provisional.months_of(frame, ("loans", "visits")) == {D(2024, 8, 1): ("Rutan Pelaihari", "Rutan Rantau")}
    # a closed month is neither due nor missing, and breaks no run of months to chase
    assert completeness.per_facility(frame)[["code", "due", "received", "late", "missing"]].values.tolist() == [
        ["rutan-pelaihari", 3, 1, 0, 2], ["rutan-rantau", 3, 1, 0, 2]]
    assert completeness.per_dataset(frame)[["dataset", "due", "received", "missing"]].values.tolist() == [
        ["loans", 2, 2, 0], ["training", 2, 0, 2], ["visits", 2, 0, 2]]


def test_reporting_counts_a_unit_closed_for_one_dataset_only(people, opts, monkeypatch):
    monkeypatch.setenv("PANTAU_REPORT_DEADLINE_DAY", "10")
    load(write_xlsx(people / "loans.xlsx", {"Peminjaman": [LOANS, ["Rutan Rantau", "Agustus 2024", "Agama", 5]]}),
         opts, received=dt.datetime(2024, 9, 12, 9))
    notes.add("lpka-martapura", D(2024, 8, 1), "loans", "pustakawan cuti", closed=True, by="sari")
    frame = completeness.matrix(D(2024, 8, 1), D(2024, 8, 1), ("rutan-rantau", "lpka-martapura"), today=D(2024, 9, 5))
    assert [(r.code, r.dataset, r.status) for r in frame.itertuples()] == [
        ("lpka-martapura", "loans", "closed"), ("lpka-martapura", "training", "not_due"),
        ("lpka-martapura", "visits", "not_due"), ("rutan-rantau", "loans", "late"),
        ("rutan-rantau", "training", "not_due"), ("rutan-rantau", "visits", "not_due")]
    assert [(r.dataset, r.received, r.expected, r.missing_units) for r in provisional.by_month(frame).itertuples()] == [
        ("loans", 1, 1, []), ("visits", 0, 2, ["LPKA Martapura", "Rutan Rantau"]),
        ("training", 0, 2, ["LPKA Martapura", "Rutan Rantau"])]


def test_active_months_from_the_register(people):
    register.set_active("lpka-martapura", D(2024, 9, 20), None, by="ani")
    frame = completeness.matrix(D(2024, 8, 1), D(2024, 10, 1), ("lpka-martapura",), today=D(2024, 9, 1))
    # active for part of September: September's reports are expected
    assert sorted({m.month for m in frame["month"]}) == [9, 10]
    listed = register.listing().set_index("code").loc["lpka-martapura"]
    assert (listed["active_from"], pd.isna(listed["active_until"])) == (T(2024, 9, 20), True)
    assert audit_rows()[-1] == ("ani", "register_active", "lpka-martapura: -..- -> 2024-09-20..-")
    with pytest.raises(accounts.AccountError) as refused:
        register.set_active("lpka-martapura", D(2024, 9, 1), D(2024, 8, 1), by="ani")
    assert str(refused.value) == "Tanggal akhir aktif (01-08-2024) sebelum tanggal mulai aktif (01-09-2024)."
    with pytest.raises(accounts.AccountError) as refused:
        register.set_active("lpka-martapura", None, None, by="sari")
    assert str(refused.value) == "Akun 'sari' tidak boleh mengubah register; hanya admin."


def note_rows() -> list[tuple]:
    with connect() as con:
        return con.execute("SELECT change_id, note_id, action, facility_code, month, dataset, closed, text, changed_by,"
                           " undone_by FROM note_change ORDER BY change_id").fetchall()


def test_note_add_edit_remove_undo_each_audited(people):
    start = len(audit_rows())
    note = notes.add("rutan-rantau", D(2024, 9, 1), "all", "  listrik   padam 2 minggu ", by="sari")
    edit = notes.edit(note, text="perpustakaan tutup renovasi", closed=True, by="sari")
    gone = notes.remove(note, by="ani")
    assert notes.listing(D(2024, 9, 1), D(2024, 9, 1), ("rutan-rantau",)).empty
    assert notes.undo(gone, by="ani") == note  # the removal undone: the closed note is back
    shown = notes.listing(D(2024, 9, 1), D(2024, 9, 1), ("rutan-rantau",))
    assert shown[["note_id", "code", "short_name", "month", "dataset", "closed", "text", "changed_by",
                  "change_id"]].values.tolist() == [
        [note, "rutan-rantau", "Rutan Rantau", T(2024, 9, 1), "all", True, "perpustakaan tutup renovasi", "sari", edit]]
    notes.undo(edit, by="sari")  # and the edit undone: the first text again, not closed
    shown = notes.listing(D(2024, 9, 1), D(2024, 9, 1), ("rutan-rantau",))
    assert shown[["closed", "text", "change_id"]].values.tolist() == [[False, "listrik padam 2 minggu", 1]]
    D9 = D(2024, 9, 1)
    assert note_rows() == [
        (1, note, "add", "rutan-rantau", D9, "all", False, "listrik padam 2 minggu", "sari", None),
        (2, note, "edit", "rutan-rantau", D9, "all", True, "perpustakaan tutup renovasi", "sari", "sari"),
        (3, note, "remove", "rutan-rantau", D9, "all", True, "perpustakaan tutup renovasi", "ani", "ani")]
    assert audit_rows()[start:] == [
        ("sari", "note_add", f"catatan #{note} (perubahan #1) rutan-rantau 2024-09 all: listrik padam 2 minggu"),
        ("sari", "note_edit", f"catatan #{note} (perubahan #2) rutan-rantau 2024-09 all tutup: perpustakaan tutup "
                              "renovasi"),
        ("ani", "note_remove", f"catatan #{note} (perubahan #3) rutan-rantau 2024-09 all tutup: perpustakaan tutup "
                               "renovasi"),
        ("ani", "note_undo", f"catatan #{note}: perubahan #3 (remove) dibatalkan"),
        ("sari", "note_undo", f"catatan #{note}: perubahan #2 (edit) dibatalkan"),
    ]
    # undoing the addition leaves no note at all
    notes.undo(1, by="sari")
    assert notes.listing(D9, D9, ("rutan-rantau",)).empty
    history = notes.changes(D9, D9, ("rutan-rantau",))
    assert history[["change_id", "action", "undone_by", "undoable"]].values.tolist() == [
        [3, "remove", "ani", False], [2, "edit", "sari", False], [1, "add", "sari", False]]


def test_who_may_change_notes(people):
    start = len(audit_rows())
    with pytest.raises(notes.NoteError) as refused:
        notes.add("rutan-rantau", D(2024, 9, 1), "all", "tutup", closed=True, by="kepala")
    assert str(refused.value) == "Akun 'kepala' tidak boleh mengubah catatan; hanya staf atau admin."
    assert refused.value.text("en") == "Account 'kepala' may not change notes; staff or admins only."
    note = notes.add("rutan-rantau", D(2024, 9, 1), "visits", "listrik padam", by="sari")
    # another staff member may not change sari's note, nor undo her change; an admin may
    with pytest.raises(notes.NoteError) as refused:
        notes.remove(note, by="budi")
    assert str(refused.value) == (f"Catatan #{note} ditulis sari; hanya penulisnya atau admin yang boleh "
                                  "mengubahnya.")
    with pytest.raises(notes.NoteError) as refused:
        notes.undo(1, by="budi")
    assert str(refused.value) == "Perubahan catatan #1 dibuat sari; hanya dia atau admin yang boleh membatalkannya."
    with pytest.raises(notes.NoteError):
        notes.edit(note, text="x", by="kepala")
    # a demoted account is refused at the moment of the change
    accounts.set_role("sari", "viewer", by="ani")
    with pytest.raises(notes.NoteError) as refused:
        notes.edit(note, text="listrik padam 2 minggu", by="sari")
    assert str(refused.value) == "Akun 'sari' tidak boleh mengubah catatan; hanya staf atau admin."
    notes.edit(note, text="listrik padam 2 minggu", by="ani")
    # only a note's latest change can be undone
    with pytest.raises(notes.NoteError) as refused:
        notes.undo(1, by="ani")
    assert str(refused.value) == f"Catatan #{note} sudah diubah lagi sesudah perubahan #1; batalkan perubahan #2 dulu."
    assert [a for _, a, _ in audit_rows()[start:]] == ["note_add", "note_edit"]


def test_note_text_rules(people):
    with pytest.raises(notes.NoteError) as refused:
        notes.add("rutan-rantau", D(2024, 9, 1), "all", "   ", by="sari")
    assert str(refused.value) == "Catatan kosong; tulis isinya, mis. 'perpustakaan tutup renovasi'."
    with pytest.raises(notes.NoteError) as refused:
        notes.add("rutan-rantau", D(2024, 9, 1), "all", "x" * 301, by="sari")
    assert str(refused.value) == "Catatan terlalu panjang (301 karakter); paling banyak 300."
    with pytest.raises(notes.NoteError) as refused:
        notes.add("rutan-entah", D(2024, 9, 1), "all", "tutup", by="sari")
    assert str(refused.value) == "UPT 'rutan-entah' tidak ada di register."
    # a closed mark needs no words
    note = notes.add("rutan-rantau", D(2024, 9, 1), "all", "", closed=True, by="sari")
    assert notes.listing(D(2024, 9, 1), D(2024, 9, 1), ("rutan-rantau",))[["note_id", "text"]].values.tolist() == [
        [note, ""]]


def test_notes_keep_their_grain(people):
    from warehouse import schema

    a = notes.add("rutan-rantau", D(2024, 9, 1), "all", "satu", by="sari")
    notes.add("rutan-rantau", D(2024, 9, 1), "all", "dua", by="sari")
    notes.edit(a, text="satu lagi", by="sari")
    with connect() as con:
        for table in ("note_change", "note_in_force"):
            key = ", ".join(schema.KEYS[table])
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 2
            assert con.execute(f"SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1").fetchall() == []


def test_note_texts_in_hovers_are_escaped_and_in_reports_plain(people):
    from ui import note_text
    from ui.i18n import use_lang

    notes.add("rutan-rantau", D(2024, 9, 1), "loans", "<a href='http://x'>klik</a>", by="sari")
    notes.add("rutan-rantau", D(2024, 9, 1), "all", "", closed=True, by="sari")
    frame = notes.listing(D(2024, 9, 1), D(2024, 9, 1), ("rutan-rantau",))
    with use_lang("id"):
        assert note_text.chart_notes(frame, "loans") == {
            T(2024, 9, 1): "&lt;a href=&#x27;http://x&#x27;&gt;klik&lt;/a&gt;<br>tutup"}
        assert note_text.chart_notes(frame, "visits") == {T(2024, 9, 1): "tutup"}
        assert note_text.unit_month_notes(frame, "visits") == {("rutan-rantau", T(2024, 9, 1)): "Catatan: tutup"}
        assert note_text.lines(frame) == [
            "Rutan Rantau, September 2024, Peminjaman: <a href='http://x'>klik</a>",
            "Rutan Rantau, September 2024, Semua laporan: tutup"]
    with use_lang("en"):
        assert note_text.lines(frame)[1] == "Rutan Rantau, September 2024, All reports: closed"
