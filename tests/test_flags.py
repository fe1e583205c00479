"""Values that need a check ("perlu dicek", issue 14): the rule on synthetic histories, the command
line that refuses them without a note, replacements that remove more than half of a month, the
confirmation by the uploader or an admin (audited), the upload page, the reports and the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, run_cli, warehouse_env
from tests.files import write_xlsx
from ui import fmt
from warehouse import accounts, anomaly, flags
from warehouse.db import connect
from warehouse.queries import summary

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
HISTORY = [600, 620, 650, 580, 610, 700, 640, 590, 630, 660, 600, 620]  # Rutan Rantau's loans in 2025
HEADER = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def months(first: dt.date, values: list[float]) -> dict[dt.date, float]:
    return {anomaly._add_months(first, i): v for i, v in enumerate(values)}


# ------------------------------------------------------------------ the rule
def judged(history: dict[dt.date, float], month: dt.date, value: float):
    usual = anomaly.expected(history, month)
    if usual is None:
        return (value, False, None)
    return (value, anomaly.is_anomaly(value, usual), round(usual.center), round(usual.low), round(usual.high),
            usual.seasonal, anomaly.kind_of(value, usual.center))


def test_a_year_of_history_flags_a_tenfold_jump_a_zero_and_a_halving(env):
    history = months(dt.date(2025, 1, 1), HISTORY)
    january = dt.date(2026, 1, 1)
    assert [judged(history, january, v) for v in (6270, 0, 300, 627, 700, 450, 1100, 1200)] == [
        (6270, True, 620, 580, 700, False, "jump"),   # a zero typed once too often
        (0, True, 620, 580, 700, False, "zero"),      # nothing where the unit lends hundreds
        (300, True, 620, 580, 700, False, "drop"),    # a sudden halving
        (627, False, 620, 580, 700, False, "jump"),
        (700, False, 620, 580, 700, False, "jump"),
        (450, False, 620, 580, 700, False, "drop"),   # a weak month, not half
        (1100, False, 620, 580, 700, False, "jump"),  # busy, not double
        (1200, True, 620, 580, 700, False, "jump"),   # almost double
    ]


def test_seasonal_history_keeps_a_usual_december_dip_unflagged(env):
    # two earlier years in which December was half of the other months (the library closes for two weeks)
    values = [(300 if m == 12 else 600) + (k % 3) * 10 for k, m in enumerate([*range(1, 13)] * 2, start=0)]
    history = months(dt.date(2024, 1, 1), values + [600, 610, 620, 600, 610, 620, 600, 610, 620, 600, 610])
    december = dt.date(2026, 12, 1)
    assert [judged(history, december, v) for v in (300, 310, 600, 90)] == [
        (300, False, 320, 320, 320, True, "drop"),
        (310, False, 320, 320, 320, True, "drop"),
        (600, True, 320, 320, 320, True, "jump"),  # a December like the other months: double the usual
        (90, True, 320, 320, 320, True, "drop"),
    ]
    # with only the last year known the same dip is a halving and flagged
    recent = {m: v for m, v in history.items() if m >= dt.date(2025, 12, 1)}
    assert judged(recent, december, 300) == (300, True, 610, 320, 620, False, "drop")


def test_too_little_history_or_too_small_a_unit_is_not_judged(env):
    assert judged(months(dt.date(2026, 1, 1), [600, 610, 620, 630, 640]), dt.date(2026, 6, 1), 0) == (0, False, None)
    small = months(dt.date(2025, 1, 1), [3, 5, 4, 6, 2, 4, 5, 3, 4, 5, 4, 3])
    assert judged(small, dt.date(2026, 1, 1), 0) == (0, False, 4, 2, 6, False, "zero")


# ------------------------------------------------------------- command line
def recap(folder: Path, name: str, rows) -> Path:
    return write_xlsx(folder / name, {"Peminjaman": [HEADER, *rows]})


def year_2025(folder: Path) -> Path:
    return recap(folder, "2025.xlsx", [["Rutan Kelas IIB Rantau", f"{m} 2025", "Agama", v]
                                       for m, v in zip(MONTHS, HISTORY)])


def flag_rows(path: Path | None = None) -> list[tuple]:
    with connect(path) as con:
        return con.execute("""SELECT batch_id, dataset, facility_code, month, part, value, expected_center,
                                     expected_low, expected_high, history_months, seasonal, load_note, confirmed_by,
                                     confirm_note
                              FROM anomaly_flag ORDER BY flag_id""").fetchall()


def test_the_command_line_refuses_a_flagged_value_without_a_note(env):
    settings = warehouse_env(env)
    assert run_cli(settings, "load", str(year_2025(env))).returncode == 0
    typo = recap(env, "januari.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 6270]])
    run = run_cli(settings, "load", str(typo))
    assert (run.returncode, run.stdout.splitlines()) == (1, [
        "== januari.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2026 (1 bulan); 1 baris valid, 0 bermasalah.",
        "Perlu dicek (1):",
        "  Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?",
        'Tidak dimuat: 1 nilai perlu dicek. Bila angkanya benar, muat lagi dengan --note "alasan singkat".'])
    run = run_cli(settings, "--lang", "en", "load", str(typo))
    assert run.returncode == 1
    assert run.stdout.splitlines()[2:] == [
        "Needs a check (1):",
        "  Loans Rutan Rantau January 2026: 6,270, usually 580-700. A typo?",
        'Not loaded: 1 value needs a check. If the figure is right, load again with --note "a short reason".']
    assert [r["month"] for r in summary()][-1] == "2025-12"  # nothing of it loaded
    assert flag_rows() == []

    run = run_cli(settings, "load", str(typo), "--note", "benar: pameran buku sebulan penuh", "--user", "sari")
    assert (run.returncode, run.stdout.splitlines()) == (0, [
        "== januari.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2026 (1 bulan); 1 baris dimuat, 0 ditolak (batch #2).",
        "Perlu dicek (1):",
        "  Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?"])
    assert flag_rows() == [(2, "loans", "rutan-rantau", dt.date(2026, 1, 1), "perpustakaan", 6270, 620.0, 580.0,
                            700.0, 12, False, "benar: pameran buku sebulan penuh", None, None)]
    with connect() as con:
        assert con.execute("SELECT username, action, detail, batch_id FROM audit_log WHERE action = 'flags_loaded'"
                           ).fetchall() == [("sari", "flags_loaded", "januari.xlsx: 1 nilai perlu dicek dimuat dengan "
                                             "catatan: benar: pameran buku sebulan penuh", 2)]
    assert list(flags.open_flags()["message"]) == [
        "Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?"]


def test_a_replacement_that_removes_more_than_half_needs_replace_anyway(env):
    settings = warehouse_env(env)
    assert run_cli(settings, "load", str(year_2025(env))).returncode == 0
    typo = recap(env, "januari.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 6270]])
    assert run_cli(settings, "load", str(typo), "--note", "dicek nanti").returncode == 0
    fixed = recap(env, "januari-benar.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 627]])
    run = run_cli(settings, "load", str(fixed))
    assert (run.returncode, run.stdout.splitlines()) == (1, [
        "== januari-benar.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2026 (1 bulan); 1 baris valid, 0 bermasalah.",
        "Yang diganti, total lama -> baru:",
        "  Peminjaman Januari 2026: 6.270 -> 627",
        "Tidak dimuat: penggantian ini menghapus lebih dari separuh angka Peminjaman Januari 2026 (6.270 -> 627). "
        "Bila memang benar, muat lagi dengan --replace-anyway."])
    assert summary()[-1]["value"] == 6270
    run = run_cli(settings, "load", str(fixed), "--replace-anyway")
    assert run.returncode == 0
    assert run.stdout.splitlines()[-2:] == ["Yang diganti, total lama -> baru:", "  Peminjaman Januari 2026: 6.270 -> 627"]
    assert summary()[-1]["value"] == 627
    assert flags.open_flags().empty  # the corrected file closed the flag without a confirmation
    # a replacement that keeps more than half loads without the option, its totals shown
    run = run_cli(settings, "load", str(recap(env, "januari-3.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 600]])))
    assert run.returncode == 0
    assert run.stdout.splitlines()[-1] == "  Peminjaman Januari 2026: 627 -> 600"


def test_a_load_without_checks_stores_its_flags_and_leaves_the_replacement_totals_out(env):
    """``checks=False`` (the demo's own files): flagged values and large drops load without a note or
    --replace-anyway, the flags are stored all the same, and the report has no replacement totals,
    which exist only for the person who decides whether to load."""
    from warehouse.ingest import load_paths

    lines: list[str] = []
    for name, value in (("2025.xlsx", None), ("januari.xlsx", 6270), ("januari-benar.xlsx", 627)):
        path = year_2025(env) if value is None else recap(env, name, [["Rutan Rantau", "Januari 2026", "Agama", value]])
        assert load_paths([str(path)], user="demo", isolate=False, checks=False, out=lines.append) == 0
    replacing = lines.pop()  # the batch it replaces, with its upload date (the real clock's)
    assert lines == [
        "== 2025.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2025–Des 2025 (12 bulan); 12 baris dimuat, 0 ditolak (batch #1).",
        "== januari.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2026 (1 bulan); 1 baris dimuat, 0 ditolak (batch #2).",
        "Perlu dicek (1):",
        "  Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?",
        "== januari-benar.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Jan 2026 (1 bulan); 1 baris dimuat, 0 ditolak (batch #3)."]
    assert replacing.startswith("  Mengganti data Rutan Rantau Januari 2026: batch #2, diunggah ")
    assert replacing.endswith(" oleh demo.")
    assert flag_rows() == [(2, "loans", "rutan-rantau", dt.date(2026, 1, 1), "perpustakaan", 6270, 620.0, 580.0,
                            700.0, 12, False, None, None, None)]
    assert summary()[-1]["value"] == 627


@pytest.mark.slow  # the typo is judged against PANTAU_ANOMALY_MIN_MONTHS (6) earlier months: a longer demo
@pytest.mark.demo_months(9)
def test_the_demo_loads_without_notes_and_shows_its_one_typo(demo_env):
    from etl.demo import TYPO_UNIT, add_months

    found = flags.open_flags()
    latest = max(dt.date.fromisoformat(r["month"] + "-01") for r in summary() if r["dataset"] == "loans")
    month = add_months(latest, -2)
    value = next(r["value"] for r in summary() if (r["dataset"], r["facility"], r["month"])
                 == ("loans", TYPO_UNIT, f"{month:%Y-%m}"))
    assert [(r.dataset, r.facility_code, r.month.date(), r.value, r.load_note) for r in found.itertuples()] == [
        ("loans", TYPO_UNIT, month, value, None)]
    assert found["message"][0].startswith(f"Peminjaman Lapas Kotabaru {anomaly.fmt_month(month)}: ")
    assert found["message"][0].endswith(". Salah ketik?")


# ---------------------------------------------------------------- confirming
@pytest.fixture
def flagged(env, monkeypatch, request):
    """Rutan Rantau's 2025 loaded by sari, then January 2026 at 6.270 with a note (flag #1, batch #2); built
    once per run on the file and copied for each test (conftest.built_once)."""
    from tests.conftest import built_once

    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")

    def build():
        settings = warehouse_env(env)
        assert run_cli(settings, "load", str(year_2025(env)), "--user", "sari").returncode == 0
        typo = recap(env, "januari.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 6270]])
        assert run_cli(settings, "load", str(typo), "--user", "sari", "--note", "akan dicek").returncode == 0
        for name, role in (("sari", "staff"), ("budi", "staff"), ("kepala", "viewer"), ("adm", "admin")):
            accounts.add_user(name, role, f"sandi-rahasia-{name}", by="cli:test")

    built_once(request, "flagged", build)
    return env


def test_only_the_uploader_or_an_admin_confirms_with_a_note_and_it_is_audited(flagged):
    refused = []
    for who, note in (("budi", "benar"), ("kepala", "benar"), ("orang", "benar"), ("sari", "  ")):
        with pytest.raises(flags.FlagError) as caught:
            flags.confirm(1, who, note)
        refused.append((who, caught.value.text("id")))
    assert refused == [
        ("budi", "Hanya pengunggah batch #2 atau admin yang dapat mengonfirmasi nilai ini."),
        ("kepala", "Hanya pengunggah batch #2 atau admin yang dapat mengonfirmasi nilai ini."),
        ("orang", "Hanya pengunggah batch #2 atau admin yang dapat mengonfirmasi nilai ini."),
        ("sari", "Tulis catatan singkat mengapa angka ini benar.")]
    accounts.set_role("sari", "viewer", by="cli:test")  # demoted: refused at the moment of the action
    with pytest.raises(flags.FlagError):
        flags.confirm(1, "sari", "benar")
    accounts.set_role("sari", "staff", by="cli:test")
    flags.confirm(1, "sari", "benar, pameran buku sebulan")
    assert flags.open_flags().empty
    assert flag_rows()[0][-3:] == ("akan dicek", "sari", "benar, pameran buku sebulan")
    with connect() as con:
        assert con.execute("SELECT username, action, detail, batch_id FROM audit_log ORDER BY audit_id DESC LIMIT 1"
                           ).fetchone() == ("sari", "flag_confirmed", "Peminjaman Rutan Rantau Januari 2026: 6.270, "
                                            "biasanya 580-700. Salah ketik? Dikonfirmasi benar: benar, pameran buku "
                                            "sebulan", 2)
    with pytest.raises(flags.FlagError) as caught:
        flags.confirm(1, "adm", "lagi")
    assert caught.value.text("en") == "This value no longer needs a check (already confirmed, replaced or undone)."


def test_undoing_the_batch_closes_its_flag(flagged):
    from warehouse.load import undo_batch

    assert len(flags.open_flags()) == 1
    undo_batch(2, by="sari")
    assert flags.open_flags().empty


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_the_report_lists_the_open_flag_of_its_period(flagged):
    from openpyxl import load_workbook

    settings = warehouse_env(flagged)
    out = flagged / "laporan.xlsx"
    run = run_cli(settings, "report", "--period", "2026-01", "--format", "xlsx", "--output", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    cells = [c.value for sheet in load_workbook(out).worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "Perlu dicek" in c.value]
    assert cells == ["Perlu dicek, belum dikonfirmasi: Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya "
                     "580-700. Salah ketik?"]
    run = run_cli(settings, "report", "--period", "2025-12", "--format", "xlsx", "--output", str(out))
    assert run.returncode == 0
    assert not [c.value for sheet in load_workbook(out).worksheets for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and "Perlu dicek" in c.value]


# ----------------------------------------------------------------- the pages
def sign_in_at(path: str, user: str) -> AppTest:
    from tests.test_dashboard import sign_in

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    sign_in(at, user, f"sandi-rahasia-{user}")
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_the_upload_page_shows_the_flag_and_the_replacement_totals(flagged, tmp_path):
    at = sign_in_at("pages/unggah.py", "sari")
    data = recap(tmp_path, "februari.xlsx", [["Rutan Rantau", "Februari 2026", "Agama", 0]]).read_bytes()
    at.get("file_uploader")[0].set_value([("februari.xlsx", data, XLSX)]).run()
    assert [w.value for w in at.warning] == [
        "Perlu dicek: 1 angka jauh dari kebiasaan unitnya. Periksa berkasnya; bila angkanya memang benar, tulis "
        "catatan singkat lalu muat.\n\n" + fmt.md("Peminjaman Rutan Rantau Februari 2026: 0, biasanya 580-700. Benar "
                                                 "tidak ada kegiatan?")]
    assert button(at, "Muat semua").disabled
    at.text_input(key="note-0").input("perpustakaan tutup renovasi").run()
    assert not button(at, "Muat semua").disabled
    button(at, "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 1 batch (#3)")
    assert flag_rows()[-1][:6] == (3, "loans", "rutan-rantau", dt.date(2026, 2, 1), "perpustakaan", 0)
    assert flag_rows()[-1][-3] == "perpustakaan tutup renovasi"

    # the January typo corrected: old and new totals before the confirmation, the numbers in its label
    fixed = recap(tmp_path, "januari-benar.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 627]]).read_bytes()
    at.get("file_uploader")[0].set_value([("januari-benar.xlsx", fixed, XLSX)]).run()
    assert [i.value for i in at.info] == ["Total yang diganti, lama -> baru:\n\nPeminjaman Januari 2026: 6.270 -> 627"]
    assert [c.label for c in at.checkbox] == [
        "Ya, ganti walaupun angkanya turun lebih dari separuh: Peminjaman Januari 2026 (6.270 -> 627)"]
    assert button(at, "Muat semua").disabled
    at.checkbox[0].check().run()
    button(at, "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 1 batch (#4)")
    assert [r["value"] for r in summary() if r["month"] == "2026-01"] == [627]


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_the_completeness_page_lists_open_flags_and_the_uploader_confirms(flagged):
    at = sign_in_at("pages/kelengkapan.py", "budi")
    message = "Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?"
    assert fmt.md(message) in [m.value for m in at.markdown]
    assert not any(b.label == "Konfirmasi benar" for b in at.button)  # not budi's upload
    at = sign_in_at("pages/kelengkapan.py", "sari")
    assert button(at, "Konfirmasi benar").disabled
    at.text_input(key="flag-note-1").input("benar, pameran buku").run()
    button(at, "Konfirmasi benar").click().run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert at.success[0].value == fmt.md(f"Dikonfirmasi: {message}")
    assert "Tidak ada angka yang perlu dicek pada periode ini." in [s.value for s in at.success]
    assert flag_rows()[0][-2:] == ("sari", "benar, pameran buku")


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_the_overview_and_the_unit_page_name_the_open_flag(flagged):
    """The flagged figure sits in the overview's numbers and the unit's bars: both say it needs a check."""
    from tests.test_dashboard import sign_in

    said = ("Perlu dicek: " + fmt.md("Peminjaman Rutan Rantau Januari 2026: 6.270, biasanya 580-700. Salah ketik?")
            + " (konfirmasi di Kelengkapan Data)")
    at = sign_in_at("pages/ringkasan.py", "kepala")
    assert f"- {said}" in [m.value for m in at.markdown if m.value.startswith("- ")][0].splitlines()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["unit"] = "rutan-rantau"
    sign_in(at, "kepala", "sandi-rahasia-kepala")
    at.switch_page("pages/fasilitas.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [said]
