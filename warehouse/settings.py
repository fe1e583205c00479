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
            "Detik menunggu kunci berkas DuckDB yang dipegang proses lain (di DuckLake: giliran menulis yang dipegang "
            "satu penulis lain) sebelum menyerah.",
            "Seconds to wait for a DuckDB file lock held by another process (on DuckLake: for the writers' turn held by "
            "one other writer) before giving up."),
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
    Setting("PANTAU_ANOMALY_LIMIT", "4", "float",
            "Nilai 'perlu dicek': berapa kali simpangan robust (1,4826 x MAD 12 bulan lapor sebelumnya) sebuah angka "
            "bulanan harus menjauh dari kebiasaan UPT itu sendiri.",
            "'Needs a check': how many robust deviations (1.4826 x the MAD of the previous 12 reported months) a "
            "monthly value must lie from the unit's own usual level."),
    Setting("PANTAU_ANOMALY_MIN_CHANGE", "0.45", "float",
            "Nilai 'perlu dicek' juga harus berubah sedikitnya sebesar ini terhadap kebiasaannya: 0,45 = turun ke 55% "
            "atau kurang (separuh, nol), atau naik ke 1/0,55 = 1,8 kali atau lebih (sepuluh kali lipat).",
            "A value that needs a check must also change at least this much against the usual level: 0.45 = down to "
            "55% or less (a halving, a zero), or up to 1/0.55 = 1.8 times or more (a tenfold jump)."),
    Setting("PANTAU_ANOMALY_MIN_MONTHS", "6", "int",
            "Bulan lapor sebelumnya yang dibutuhkan sebelum angka sebuah UPT diperiksa; musiman bila bulan yang sama "
            "sudah dilaporkan dua tahun sebelumnya.",
            "Earlier reported months a unit needs before its values are checked; seasonal once the same month was "
            "reported in two earlier years."),
    Setting("PANTAU_ANOMALY_MIN_LEVEL", "20", "int",
            "Angka bulanan biasa (median) terkecil yang diperiksa: di bawahnya naik-turun wajar (3 buku lalu 0).",
            "The smallest usual monthly value (median) that is checked: below it ups and downs are normal (3 books, "
            "then 0)."),
    # ---- e-mail: reminders of missing reports and subscribed reports (`python -m etl notify`, issue 16)
    Setting("PANTAU_SMTP_HOST", "", "str",
            "Server SMTP untuk `python -m etl notify`; kosong = tidak ada e-mail yang dikirim.",
            "SMTP server for `python -m etl notify`; empty = no e-mail is sent."),
    Setting("PANTAU_SMTP_PORT", "587", "int",
            "Port server SMTP (587 untuk STARTTLS, 25 tanpa enkripsi).",
            "Port of the SMTP server (587 for STARTTLS, 25 unencrypted)."),
    Setting("PANTAU_SMTP_STARTTLS", "1", "bool",
            "Enkripsi sambungan SMTP dengan STARTTLS (sertifikat server diperiksa).",
            "Encrypt the SMTP connection with STARTTLS (the server's certificate is verified)."),
    Setting("PANTAU_SMTP_CAFILE", "", "str",
            "Berkas sertifikat CA (PEM) untuk memeriksa server SMTP; kosong = sertifikat bawaan sistem.",
            "CA certificate file (PEM) to verify the SMTP server with; empty = the system's."),
    Setting("PANTAU_SMTP_USER", "", "str",
            "Nama pengguna SMTP; kosong = tanpa login.", "SMTP user name; empty = no login."),
    Setting("PANTAU_SMTP_PASSWORD", "", "str",
            "Kata sandi SMTP: hanya dari lingkungan (mis. berkas env layanan), jangan ditulis di repo.",
            "SMTP password: from the environment only (e.g. the service's env file), never in the repository."),
    Setting("PANTAU_SMTP_TIMEOUT", "20", "float",
            "Detik menunggu server SMTP sebelum pengiriman dianggap gagal.",
            "Seconds to wait for the SMTP server before sending counts as failed."),
    Setting("PANTAU_MAIL_FROM", "Pantau Literasi <pantau-literasi@localhost>", "str",
            "Pengirim e-mail (alamat yang diterima server SMTP).",
            "Sender of the e-mails (an address the SMTP server accepts)."),
    Setting("PANTAU_MAIL_OFFICE", "", "str",
            "Alamat kantor (dipisah koma) yang menerima tembusan setiap pengingat.",
            "Office addresses (comma-separated) copied on every reminder."),
    Setting("PANTAU_BASE_URL", "http://localhost:8501", "str",
            "Alamat dasbor yang ditulis di e-mail (tautan ke halaman unggah).",
            "The dashboard's address written in the e-mails (links to the upload page)."),
    Setting("PANTAU_REMINDER_EVERY_DAYS", "7", "int",
            "Pengingat laporan yang belum masuk diulang paling cepat setiap sekian hari (tidak pernah dua kali sehari).",
            "A reminder of a missing report is repeated at most every this many days (never twice a day)."),
    Setting("PANTAU_REPORT_GRACE_DAYS", "10", "int",
            "Periode dianggap ditutup (laporan langganan dikirim) saat semua laporan masuk, atau sekian hari "
            "setelah tenggat laporan bulan terakhirnya.",
            "A period closes (subscribed reports are sent) when all reports are in, or this many days after its "
            "last month's reporting deadline."),
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
    # ---- the warehouse on DuckLake (issue 17): empty = the embedded DuckDB file (PANTAU_DB)
    Setting("PANTAU_CATALOG", "", "str",
            "Katalog DuckLake di PostgreSQL, mis. postgresql://pantau@db.example:5432/pantau; kosong = berkas DuckDB "
            "(PANTAU_DB). Kata sandi hanya dari lingkungan (PGPASSWORD atau ~/.pgpass), jangan di repo.",
            "DuckLake catalog in PostgreSQL, e.g. postgresql://pantau@db.example:5432/pantau; empty = the DuckDB "
            "file (PANTAU_DB). The password only from the environment (PGPASSWORD or ~/.pgpass), never in the repo."),
    Setting("PANTAU_DATA_PATH", "data/lake", "str",
            "Folder (atau awalan s3://) tempat berkas Parquet DuckLake, yang terjangkau semua server; dipakai bila "
            "PANTAU_CATALOG diisi. Folder relatif dihitung dari folder proyek.",
            "Folder (or s3:// prefix) holding DuckLake's Parquet files, reachable from every server; used when "
            "PANTAU_CATALOG is set. A relative folder is taken from the project folder."),
    Setting("PANTAU_LAKE_RETRIES", "12", "int",
            "Berapa kali satu penulisan ke DuckLake diulang bila bentrok dengan penulisan lain sebelum dilaporkan.",
            "How many times one write to DuckLake is retried when it conflicts with another before it is reported."),
    Setting("PANTAU_DUCKDB_THREADS", "0", "int",
            "Berapa thread yang dipakai DuckDB untuk satu berkas gudang data; 0 = sebanyak inti CPU (bawaan DuckDB). "
            "1 menghemat CPU di mesin kecil yang menjalankan beberapa proses sekaligus (mis. tes).",
            "How many threads DuckDB uses for the warehouse file; 0 = one per CPU core (DuckDB's default). "
            "1 saves CPU on a small machine running several processes at once (e.g. the tests)."),
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
