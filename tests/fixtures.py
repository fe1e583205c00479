"""A small warehouse with figures a person can add up by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.files import write_xlsx

D = dt.date

# loans per facility and month (recap rows), visits and training as below
LOANS = {
    ("Rutan Kelas IIB Rantau", "Juli 2024"): 100, ("Rutan Kelas IIB Rantau", "Agustus 2024"): 120,
    ("Lapas Kelas IIA Banjarmasin", "Juli 2024"): 400, ("Lapas Kelas IIA Banjarmasin", "Agustus 2024"): 500,
    ("LPKA Kelas I Martapura", "Agustus 2024"): 80,
    ("Rutan Kelas IIB Rantau", "Agustus 2023"): 60,
}
VISITS = [  # facility, date, service, visitors
    ("Rutan Kelas IIB Rantau", D(2024, 8, 5), "Perpustakaan", 30),
    ("Rutan Kelas IIB Rantau", D(2024, 8, 6), "Perpustakaan", 20),
    ("Rutan Kelas IIB Rantau", D(2024, 8, 7), "Pusling", 45),
    ("Lapas Kelas IIA Banjarmasin", D(2024, 7, 10), "Perpustakaan", 35),
    ("Lapas Kelas IIA Banjarmasin", D(2024, 8, 12), "Perpustakaan", 40),
]
TRAINING = [  # facility, title, date, L, P
    ("Rutan Kelas IIB Rantau", "Pelatihan Hidroponik", D(2024, 8, 20), 10, 2),
    ("LPKA Kelas I Martapura", "Kelas Literasi", D(2024, 8, 21), 15, 0),
    ("Lapas Kelas IIA Banjarmasin", "Pelatihan Menulis Cerpen", D(2024, 7, 9), 30, 4),
]


def write_fixture_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    loans = write_xlsx(folder / "pinjam.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        *[[f, m, "Agama", n] for (f, m), n in LOANS.items()],
    ]})
    visits = write_xlsx(folder / "kunjungan.xlsx", {"Kunjungan": [
        ["Fasilitas", "Tanggal Kunjungan", "Layanan", "Jumlah Pengunjung"],
        *[list(v) for v in VISITS],
    ]})
    training = write_xlsx(folder / "pelatihan.xlsx", {"Pelatihan": [
        ["Fasilitas", "Judul Kegiatan", "Tanggal Mulai", "Peserta L", "Peserta P", "Sasaran", "Topik"],
        *[[f, title, d, l, p, "WBP", "Literasi"] for f, title, d, l, p in TRAINING],
    ]})
    return [loans, visits, training]


def build(folder: Path) -> None:
    """Write and load the fixture files into the warehouse the environment names."""
    from warehouse.ingest import load_paths

    files = write_fixture_files(folder / "files")
    # files this test suite wrote: read in this process (the sandboxed reading has tests of its own)
    assert load_paths([str(f) for f in files], user="sari", out=lambda line: None, isolate=False) == 0
