"""Every setting of Pantau Literasi, declared once.

A setting is read from the environment variable of the same name; when it is
unset the default below applies. The README's configuration table is generated
from this list (``python -m etl docs``), and a test fails when they differ.
Values are read at call time, never cached at import, so a test or a long-running
server sees a changed environment.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    kind: str  # path | int | str | bool | float
    help_id: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PANTAU_DB", "data/pantau.duckdb", "path",
            "Berkas DuckDB gudang data (relatif terhadap folder proyek).",
            "The DuckDB warehouse file (relative to the project folder)."),
    Setting("PANTAU_SECRET_FILE", "data/secret.key", "path",
            "Kunci instalasi untuk pseudonimisasi ID dan tanda tangan sesi; dibuat sekali, jangan dimasukkan ke git.",
            "Installation key for id pseudonymisation and session signing; generated once, never committed."),
    Setting("PANTAU_ORIGINALS_DIR", "data/originals", "path",
            "Folder salinan berkas asli yang diunggah (disimpan menurut sha256).",
            "Folder where uploaded original files are kept (by sha256)."),
    Setting("PANTAU_ORIGINALS_RETENTION_DAYS", "90", "int",
            "Berapa hari berkas asli (yang memuat nama) disimpan sebelum dihapus; 0 = tidak disimpan.",
            "Days an original file (which holds names) is kept before it is purged; 0 = never kept."),
    Setting("PANTAU_LOCK_TIMEOUT", "30", "float",
            "Detik menunggu kunci berkas DuckDB yang dipegang proses lain sebelum menyerah.",
            "Seconds to wait for a DuckDB file lock held by another process before giving up."),
    Setting("PANTAU_KEEPALIVE", "2", "float",
            "Detik berkas DuckDB tetap terbuka setelah kueri terakhir (mempercepat kueri beruntun); 0 = langsung ditutup.",
            "Seconds the DuckDB file stays open after the last query (speeds up back-to-back queries); 0 = close at once."),
    Setting("PANTAU_LANG", "id", "str",
            "Bahasa bawaan pesan dan tampilan: id atau en.",
            "Default language of messages and pages: id or en."),
    Setting("PANTAU_FUZZY_MIN_SCORE", "88", "int",
            "Skor kemiripan minimum (0-100) agar nama fasilitas yang salah ketik tetap dikenali.",
            "Minimum similarity (0-100) for a misspelt facility name to be recognised."),
    Setting("PANTAU_PARSE_MEMORY_MB", "1024", "int",
            "Batas memori (MB) proses terpisah yang membaca satu berkas unggahan, di luar yang sudah dimuatnya; "
            "berkas yang melewatinya ditolak ('berkas terlalu besar atau rusak'). Ekspor SLiMS 200.000 baris "
            "memakai sekitar 160 MB.",
            "Memory limit (MB) of the separate process that reads one uploaded file, beyond what it has loaded "
            "already; a file that goes past it is refused ('too large or damaged'). A 200,000-row SLiMS export "
            "uses about 160 MB."),
    Setting("PANTAU_PARSE_SECONDS", "30", "float",
            "Batas waktu (detik, jam dinding dan CPU) membaca dan memeriksa satu berkas unggahan.",
            "Time limit (seconds, wall-clock and CPU) for reading and checking one uploaded file."),
    Setting("PANTAU_PARSE_RESULT_MB", "512", "int",
            "Batas ukuran (MB) hasil bacaan satu berkas yang dikirim kembali dari proses pembaca "
            "(200.000 baris sekitar 35 MB).",
            "Size limit (MB) of what the reading process sends back for one file (200,000 rows: about 35 MB)."),
    Setting("PANTAU_DEMO_ON_EMPTY", "1", "bool",
            "Muat data demo saat dasbor pertama kali dijalankan dengan gudang data kosong.",
            "Load the demo data when the dashboard first starts on an empty warehouse."),
    Setting("PANTAU_SESSION_HOURS", "12", "float",
            "Berapa jam sesi masuk berlaku (tetap berlaku setelah halaman dimuat ulang).",
            "Hours a sign-in lasts (it survives a page refresh)."),
    Setting("PANTAU_LOGIN_MAX_ATTEMPTS", "5", "int",
            "Percobaan masuk gagal untuk satu nama pengguna dari satu alamat (4 kali lipat untuk satu alamat) "
            "sebelum harus menunggu; akun tidak pernah dikunci.",
            "Failed sign-ins for one user name from one address (four times as many for one address) before "
            "a wait; accounts are never locked."),
    Setting("PANTAU_LOCKOUT_MINUTES", "15", "int",
            "Waktu tunggu terlama (menit) setelah percobaan gagal; tunggu mulai 1 menit dan berlipat dua.",
            "Longest wait (minutes) after failed sign-ins; waits start at one minute and double."),
    Setting("PANTAU_DOCUMENTS_DIR", "data/documents", "path",
            "Folder dokumen PKS yang ditandatangani (disimpan menurut sha256, tidak dihapus).",
            "Folder of signed agreement documents (kept by sha256, never purged)."),
    Setting("PANTAU_AGREEMENT_WARN_DAYS", "60", "int",
            "PKS dianggap 'segera berakhir' bila berakhir dalam sekian hari.",
            "An agreement counts as 'expiring' when it ends within this many days."),
    Setting("PANTAU_REPORT_DEADLINE_DAY", "10", "int",
            "Laporan bulanan jatuh tempo pada tanggal ini di bulan berikutnya; sesudahnya terlambat.",
            "Monthly reports are due on this day of the next month; after it they are late."),
    Setting("PANTAU_RATE_BASE", "100", "int",
            "Penyebut angka per kapita: per sekian WBP (mis. 100 = per 100 WBP).",
            "Base of the per-capita rates: per this many inmates (e.g. 100 = per 100 inmates)."),
    Setting("PANTAU_TODAY", "", "str",
            "Tanggal 'hari ini' (YYYY-MM-DD) untuk demo dan uji; kosong = tanggal sistem.",
            "The date used as 'today' (YYYY-MM-DD) by the demo and tests; empty = the system date."),
    # ---- reports (xlsx and PDF): the letterhead (kop surat) and the browser that draws the charts
    Setting("PANTAU_KOP_GOVERNMENT", "PEMERINTAH PROVINSI KALIMANTAN SELATAN", "str",
            "Baris pertama kop surat laporan (pemerintah daerah).",
            "First line of the reports' letterhead (the regional government)."),
    Setting("PANTAU_KOP_AGENCY", "DINAS PERPUSTAKAAN DAN KEARSIPAN", "str",
            "Baris kedua kop surat laporan (nama dinas).",
            "Second line of the reports' letterhead (the agency)."),
    Setting("PANTAU_KOP_ADDRESS", "Jalan Ahmad Yani Km 6, Pemurus Luar, Banjarmasin, Kalimantan Selatan", "str",
            "Alamat dinas di kop surat laporan; sesuaikan dengan kop resmi.",
            "The agency's address in the reports' letterhead; match it to the official letterhead."),
    Setting("PANTAU_KOP_CONTACT", "Laman: dispersip.kalselprov.go.id", "str",
            "Baris kontak di kop surat laporan (telepon, e-mail, laman); '-' = tanpa baris ini.",
            "Contact line of the reports' letterhead (phone, e-mail, website); '-' = no such line."),
    Setting("PANTAU_KOP_LOGO", "", "str",
            "Gambar lambang (PNG/JPG) di kiri kop surat laporan; kosong = tanpa lambang.",
            "Emblem image (PNG/JPG) at the left of the reports' letterhead; empty = none."),
    Setting("PANTAU_MAX_FILE_MB", "100", "float",
            "Ukuran terbesar berkas yang dibaca (MB); berkas yang lebih besar ditolak sebelum dibuka.",
            "Largest file read (MB); a bigger file is refused before it is opened."),
    Setting("PANTAU_MAX_CELLS", "10000000", "int",
            "Sel terbanyak (baris x kolom) satu sheet; sheet yang lebih besar, mis. karena satu sel jauh di luar tabel, "
            "ditolak sebelum dibaca.",
            "Most cells (rows x columns) of one sheet; a bigger sheet, e.g. one with a cell far outside its table, "
            "is refused before it is read."),
    Setting("PANTAU_CHROMIUM", "", "str",
            "Peramban Chromium/Chrome untuk menggambar grafik PDF laporan (kaleido); kosong = cari chromium atau "
            "google-chrome di PATH dan /usr/bin/chromium. Tanpa peramban, PDF tidak tersedia (xlsx tetap bisa).",
            "Chromium/Chrome browser that draws the report PDF's charts (kaleido); empty = look for chromium or "
            "google-chrome on PATH and /usr/bin/chromium. Without one the PDF is unavailable (xlsx still works)."),
    # ---- reports ready to sign: the letter number and the signing official (the emblem is PANTAU_KOP_LOGO)
    Setting("PANTAU_LETTER_NUMBER", "", "str",
            "Nomor surat laporan, dicetak di bawah judul PDF dan xlsx; kosong = tanpa nomor.",
            "The report's letter number, printed under the PDF's and the xlsx's title; empty = none."),
    Setting("PANTAU_SIGN_PLACE", "Banjarmasin", "str",
            "Tempat penandatanganan laporan (blok tanda tangan: 'Banjarmasin, 30 November 2026').",
            "Where the report is signed (signature block: 'Banjarmasin, 30 November 2026')."),
    Setting("PANTAU_SIGN_TITLE", "Kepala Dinas Perpustakaan dan Kearsipan Provinsi Kalimantan Selatan", "str",
            "Jabatan pejabat yang menandatangani laporan.",
            "Title of the official who signs the report."),
    Setting("PANTAU_SIGN_NAME", "", "str",
            "Nama pejabat penanda tangan; kosong = garis titik-titik untuk diisi tangan.",
            "Name of the signing official; empty = a dotted line to fill in by hand."),
    Setting("PANTAU_SIGN_NIP", "", "str",
            "NIP pejabat penanda tangan; kosong = titik-titik.",
            "The signing official's civil-servant number (NIP); empty = dots."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _convert(setting: Setting, raw: str):
    if setting.kind == "path":
        path = Path(raw)
        return path if path.is_absolute() else ROOT / path
    if setting.kind == "int":
        return int(raw)
    if setting.kind == "float":
        return float(raw)
    if setting.kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "ya", "on"}
    return raw


def get(name: str):
    """The current value of setting ``name``, converted to its kind."""
    setting = _BY_NAME[name]
    raw = os.environ.get(name)
    if raw is None or raw == "":
        raw = setting.default
    try:
        return _convert(setting, raw)
    except ValueError as exc:  # a user error: name the setting and the value
        raise SettingError(
            f"{name}={raw!r} tidak valid ({setting.kind}): {setting.help_id}"
        ) from exc


class SettingError(ValueError):
    pass


def today() -> dt.date:
    """The one clock of the application: ``PANTAU_TODAY`` when set (demo, tests), else the system date."""
    raw = get("PANTAU_TODAY")
    return dt.date.fromisoformat(raw) if raw else dt.date.today()
