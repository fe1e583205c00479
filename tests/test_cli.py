"""``python -m etl`` as staff and scripts use it: exit codes, one-line errors,
the summary contract, templates, and a load while another process reads."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, run_cli, warehouse_env
from tests.files import write_xlsx



def etl(env: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line in this process (tests/conftest.py run_cli); the tests below whose point is
    a separate process start ``python -m etl`` themselves."""
    return run_cli(warehouse_env(env), *args)


def recap(path: Path, rows):
    return write_xlsx(path, {"Peminjaman": [["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"], *rows]})


def test_load_reports_and_exit_codes(env):
    good = recap(env / "bagus.xlsx", [["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10]])
    run = etl(env, "load", str(good))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "== bagus.xlsx (xlsx)",
        "Peminjaman: Rutan Rantau Agu 2024 (1 bulan); 1 baris dimuat, 0 ditolak (batch #1).",
    ]
    again = etl(env, "load", str(good))
    assert again.returncode == 0
    assert again.stdout.splitlines()[1] == ("Peminjaman: berkas yang sama sudah dimuat sebagai batch #1; tidak ada "
                                            "yang berubah.")

    bad = recap(env / "buruk.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", "sepuluh"]])
    run = etl(env, "load", str(bad))
    assert run.returncode == 1
    assert "Berkas ditolak: 1 galat, tidak ada yang dimuat." in run.stdout
    assert "Traceback" not in run.stdout + run.stderr

    run = etl(env, "--lang", "en", "load", str(bad), "--dry-run")
    assert run.returncode == 1
    assert "Sheet 'Peminjaman', row 2, column 'Jumlah Peminjaman': 'sepuluh' is not a number." in run.stdout


def test_user_errors_are_one_line(env):
    for args, message in [
        (("load", str(env / "tidak-ada.xlsx")), f"galat: {env / 'tidak-ada.xlsx'}: berkas atau folder tidak ada"),
        (("undo", "99"), "galat: batch 99 tidak ada"),
        (("template", "buku"), "galat: dataset 'buku' tidak dikenal; pilih salah satu: loans, visits, training, "
                               "attendance, occupancy, packages, agreements"),
        (("load", str(env), "--facility", "Kanwil Kalsel"), None),
    ]:
        run = etl(env, *args)
        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1
        if message:
            assert lines == [message]


def test_summary_json_contract(env):
    recap(env / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10], ["Rutan Rantau", "September 2024",
                                                                           "Agama", 4]])
    recap(env / "b.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 12]])  # replaces August
    assert etl(env, "load", str(env / "a.xlsx")).returncode == 0
    assert etl(env, "load", str(env / "b.xlsx")).returncode == 0
    run = etl(env, "summary", "--json")
    assert json.loads(run.stdout) == [
        {"dataset": "loans", "facility": "rutan-rantau", "month": "2024-08", "value": 12},
        {"dataset": "loans", "facility": "rutan-rantau", "month": "2024-09", "value": 4},
    ]
    run = etl(env, "batches")
    assert [line.split()[:3] for line in run.stdout.splitlines()[1:]] == [["2", "loans", "active"],
                                                                          ["1", "loans", "partial"]]


def test_templates_have_headers_dropdowns_and_text_ids(env):
    from etl.specs import DATASETS

    for key, ds in DATASETS.items():
        target = env / f"t_{key}.xlsx"
        run = etl(env, "template", key, "-o", str(target))
        assert run.returncode == 0, run.stderr
        book = openpyxl.load_workbook(target)
        sheet = book.worksheets[0]
        headers = [c.value for c in next(sheet.iter_rows())] if key != "attendance" else None
        if key != "attendance":
            assert headers == [c.header_id for c in ds.columns if c.template]
            validated = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in sheet.data_validations.dataValidation}
            letters = {openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(c for c in ds.columns if c.template)
                       if c.choices or c.kind == "facility"}
            assert letters <= validated
        assert "Petunjuk" in book.sheetnames
        if key != "attendance":
            assert book["_daftar"].sheet_state == "hidden"
    # a filled-in template loads
    loans = openpyxl.load_workbook(env / "t_loans.xlsx")
    sheet = loans["Peminjaman"]
    sheet.append(["Rutan Kelas IIB Rantau", dt.datetime(2024, 8, 6), None, None, None, None, "B1", "Laskar Pelangi",
                  "Fiksi", "0012", "WBP", "L", dt.datetime(2024, 8, 13), None, "Dipinjam", "Perpustakaan"])
    loans.save(env / "terisi.xlsx")
    run = etl(env, "load", str(env / "terisi.xlsx"))
    assert run.returncode == 0, run.stdout
    assert "1 baris dimuat, 0 ditolak" in run.stdout
    assert "Galat" not in run.stdout
    assert "Petunjuk" not in run.stdout  # the template's own instructions sheet: skipped without a note
    id_column = [c.header_id for c in DATASETS["loans"].columns if c.template].index("ID Anggota") + 1
    letter = openpyxl.utils.get_column_letter(id_column)
    blank = openpyxl.load_workbook(env / "t_loans.xlsx")["Peminjaman"]
    assert blank.column_dimensions[letter].number_format == "@"  # Excel cannot round ids typed there


def test_undo_and_restore_from_cli(env):
    recap(env / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    recap(env / "b.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 11]])
    etl(env, "load", str(env / "a.xlsx"))
    etl(env, "load", str(env / "b.xlsx"))
    run = etl(env, "undo", "2")
    assert run.returncode == 0 and run.stdout.startswith("Batch #2 dibatalkan.")
    assert json.loads(etl(env, "summary", "--json").stdout)[0]["value"] == 10
    run = etl(env, "restore", "2")
    assert run.returncode == 1 and "sudah dibatalkan" in run.stderr


READER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from warehouse.db import connect, data_version
    first = data_version()
    seen, deadline = [], time.monotonic() + {seconds}
    while time.monotonic() < deadline:
        with connect() as con:          # the dashboard: short units of work, back to back
            seen.append(con.execute("SELECT count(*) FROM current_cell").fetchone()[0])
            time.sleep(0.05)
        time.sleep(0.01)
    print(first != data_version(), max(seen))
""")


@pytest.mark.slow  # another process is the point
def test_load_while_another_process_reads(env):
    recap(env / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    etl(env, "summary")  # create the database
    reader = subprocess.Popen([sys.executable, "-c", READER.format(root=str(ROOT), seconds=6)], cwd=ROOT,
                              env={**os.environ, **warehouse_env(env)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    time.sleep(1.0)
    run = subprocess.run([sys.executable, "-m", "etl", "load", str(env / "a.xlsx")], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, **warehouse_env(env)}, timeout=120)
    out, err = reader.communicate(timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert reader.returncode == 0, err
    assert out.split() == ["True", "1"]  # the reader saw the new version and the new data, without restarting


HOLDER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from warehouse.db import connect
    with connect() as con:
        print("holding", flush=True)
        time.sleep({seconds})
""")


@pytest.mark.slow  # another process is the point
def test_a_held_database_gives_a_clear_error(env, monkeypatch):
    recap(env / "a.xlsx", [["Rutan Rantau", "Agustus 2024", "Agama", 10]])
    etl(env, "summary")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(root=str(ROOT), seconds=8)], cwd=ROOT,
                              env={**os.environ, **warehouse_env(env)}, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    run = subprocess.run([sys.executable, "-m", "etl", "load", str(env / "a.xlsx")], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, **warehouse_env(env), "PANTAU_LOCK_TIMEOUT": "1"})
    holder.kill()  # it has served its purpose: no need to sit out its sleep
    holder.wait(timeout=30)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "sedang dipakai proses lain lebih dari 1 detik; coba lagi sebentar lagi." in run.stderr


def test_readme_generated_parts_are_current():
    from pantau.docs import check_readme

    assert check_readme() == []

