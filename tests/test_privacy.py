"""Names and national ids never reach the warehouse; ids become keyed hashes."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from etl.pipeline import read_file
from etl.privacy import load_or_create_key, pseudonymise
from tests.files import write_xlsx
from warehouse.db import connect
from warehouse.load import load_file

NAMES = ["Rahmat Pijati Saputra", "Siti Nurhaliza Rahman", "Bambang Suryadi Noor", "Dewi Kartika Anshari"]
IDS = ["6371010101900011", "REG-BI-4471-2024", "198203152006041003", "WBP00987"]


def test_names_and_ids_are_not_in_the_database_file(env, opts):
    loans = write_xlsx(env / "pinjam.xlsx", {"Peminjaman": [
        ["Fasilitas", "Tanggal Pinjam", "Kode Eksemplar", "Judul", "ID Anggota", "Nama Anggota"],
        *[["Rutan Rantau", dt.date(2024, 8, 6 + i), f"B{i}", "Laskar Pelangi", IDS[i], NAMES[i]] for i in range(4)],
        ["Rutan Rantau", "31/02/2024", "B9", "Laskar Pelangi", IDS[0], NAMES[0]],  # refused, kept redacted
    ]})
    visits = write_xlsx(env / "tamu.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "ID Anggota", "Nama Pengunjung", "Institusi"],
        *[["Rutan Rantau", dt.date(2024, 8, 6), IDS[i], NAMES[i], "Blok A"] for i in range(4)],
    ]})
    attendance = write_xlsx(env / "hadir.xlsx", {"Daftar Hadir": [
        ["DAFTAR HADIR PELATIHAN"],
        ["Hari / Tanggal", ":", "Selasa, 6 Agustus 2024"],
        ["Kegiatan / Pelatihan", ":", "Menulis Cerpen"],
        ["UPT", ":", "Rutan Kelas IIB Rantau"],
        ["NO", "NAMA", "NIP / NO. REGISTRASI", "JENIS KELAMIN"],
        *[[i + 1, NAMES[i], IDS[i], "L"] for i in range(4)],
    ]})
    for path in (loans, visits, attendance):
        load_file(read_file(path, opts), loaded_by="sari", accept_valid=True)

    with connect() as con:  # every text column of every table
        columns = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
        found = []
        for table, column in columns:
            for needle in NAMES + IDS:
                hit = con.execute(f'SELECT count(*) FROM "{table}" WHERE contains("{column}", ?)',  # noqa: S608
                                  [needle]).fetchone()[0]
                if hit:
                    found.append((table, column, needle))
        assert found == []
        assert con.execute("SELECT count(DISTINCT borrower_key) FROM stg_loan").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM rejected_row").fetchone()[0] == 1
        con.execute("CHECKPOINT")

    raw = b"".join(p.read_bytes() for p in env.glob("pantau.duckdb*"))
    for needle in NAMES + IDS:
        assert needle.encode() not in raw


def test_pseudonyms_are_keyed_and_stable(env):
    key = load_or_create_key(env / "k1")
    other = load_or_create_key(env / "k2")
    assert load_or_create_key(env / "k1") == key
    assert stat.S_IMODE(os.stat(env / "k1").st_mode) == 0o600
    a = pseudonymise(key, "rutan-rantau", "12")
    assert a == pseudonymise(key, "rutan-rantau", "12")
    assert a != pseudonymise(other, "rutan-rantau", "12")          # no key, no guessing
    assert a != pseudonymise(key, "rutan-barabai", "12")           # member 12 of another library is someone else


def test_secret_key_is_kept_out_of_git():
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text().splitlines()
    assert "data/secret.key" in ignored
    assert "data/originals/" in ignored
