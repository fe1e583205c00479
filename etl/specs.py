"""The written spec of every dataset: one place for columns, types, header
names in Indonesian and English, synonyms and what is required.

The validator (``etl.validate``), the blank templates (``etl.templates``) and
the README's column tables (``python -m etl docs``) are all generated from
these objects, so they cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Column:
    key: str                 # canonical field name
    header_id: str           # header in the blank template
    header_en: str
    kind: str                # text | id | name | date | month | count | gender | facility | category
    #                          | group | service | audience | status | visit_kind | gender_or_counts
    help_id: str
    help_en: str
    synonyms: tuple[str, ...] = ()
    required: bool = False   # a row without it is refused
    pii: bool = False        # never stored as written (ids are pseudonymised, names dropped)
    template: bool = True    # shown in the blank template
    choices: tuple[str, ...] = ()  # drop-down values in the template

    def names(self) -> tuple[str, ...]:
        return (self.header_id, self.header_en, *self.synonyms)


@dataclass(frozen=True)
class Dataset:
    key: str
    title_id: str
    title_en: str
    grain_id: str
    grain_en: str
    columns: tuple[Column, ...]
    # a row must carry every column of at least one of these groups
    row_shapes: tuple[tuple[str, ...], ...]
    row_shape_help_id: str
    row_shape_help_en: str
    sheet_names: tuple[str, ...] = ()   # sheet names that announce this dataset
    title_words: tuple[str, ...] = ()   # words in title rows that announce it
    measure_id: str = ""
    measure_en: str = ""
    load_order: int = 0
    extra: dict = field(default_factory=dict)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """How headers are compared: case, accents, punctuation and spacing ignored,
    ``tgl`` = ``tanggal``, ``no.`` = ``nomor``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    words = []
    for word in text.split():
        word = {"tgl": "tanggal", "tg": "tanggal", "no": "nomor", "nmr": "nomor", "jml": "jumlah",
                "jlh": "jumlah", "kel": "kelamin", "pusling": "perpustakaan keliling",
                "perpus": "perpustakaan", "klasifikasi": "klasifikasi", "thn": "tahun",
                "bln": "bulan", "ket": "keterangan", "reg": "registrasi"}.get(word, word)
        words.append(word)
    return " ".join(words)


FACILITY = Column(
    "facility", "Fasilitas", "Facility", "facility",
    "Nama atau kode UPT (Lapas/Rutan/LPKA), mis. 'Lapas Kelas IIA Banjarmasin'. Boleh dikosongkan "
    "bila judul berkas atau pilihan unggah sudah menyebut satu fasilitas.",
    "Name or code of the unit (Lapas/Rutan/LPKA), e.g. 'Lapas Kelas IIA Banjarmasin'. May be empty "
    "when the file's title or the upload choice names one facility.",
    synonyms=("UPT", "Nama UPT", "Satker", "Unit", "Lapas", "Rutan", "Lapas/Rutan", "Lapas / Rutan",
              "Lapas/Rutan/LPKA", "Nama Lapas", "Nama Fasilitas", "Kode Fasilitas", "Instansi UPT",
              "Unit Pelaksana Teknis", "Lokasi UPT", "Nama Satker", "Lokasi Perpustakaan", "Nama Perpustakaan",
              "Pilih UPT", "Asal UPT"),
)

YEAR = Column(
    "year", "Tahun", "Year", "year",
    "Tahun laporan bila bulan ditulis di kolom tersendiri ('Tahun' | 'Bulan': 2024 | Agustus, Agu atau 8).",
    "Reporting year when the month has its own column ('Tahun' | 'Bulan': 2024 | August, Aug or 8).",
    synonyms=("Tahun Laporan", "Year"), template=False,
)

MONTH = Column(
    "month", "Bulan", "Month", "month",
    "Bulan laporan untuk baris rekap, mis. 'Agustus 2024', 'Agu 2024' atau '2024-08'.",
    "Reporting month of a recap row, e.g. 'Agustus 2024', 'Aug 2024' or '2024-08'.",
    synonyms=("Periode", "Bulan Laporan", "Bulan/Tahun", "Bulan Tahun", "Period", "Reporting Month"),
)

LOANS = Dataset(
    key="loans",
    title_id="Peminjaman",
    title_en="Loans",
    grain_id="Satu baris = satu peminjaman, atau satu rekap bulanan (fasilitas, bulan, jumlah pinjaman).",
    grain_en="One row = one loan, or one monthly recap (facility, month, number of loans).",
    measure_id="jumlah peminjaman",
    measure_en="number of loans",
    columns=(
        FACILITY,
        Column("loan_date", "Tanggal Pinjam", "Loan Date", "date",
               "Tanggal buku dipinjam (06/08/2024, 6 Agustus 2024, atau tanggal Excel).",
               "Date the item was lent (06/08/2024, 6 August 2024, or an Excel date).",
               synonyms=("Tanggal Peminjaman", "Tgl. Pinjam", "Waktu Pinjam", "Loan Date", "Tanggal Dipinjam",
                         "Tanggal")),
        MONTH,
        YEAR,
        Column("n_loans", "Jumlah Peminjaman", "Number of Loans", "count",
               "Jumlah pinjaman pada baris rekap (bilangan bulat). Pada baris per peminjaman boleh kosong (= 1).",
               "Number of loans on a recap row (whole number). Empty on a per-loan row (= 1).",
               synonyms=("Jumlah Pinjaman", "Jumlah Buku Dipinjam", "Total Peminjaman", "Jumlah Pinjam",
                         "Jumlah Eksemplar Dipinjam", "Loans", "Jumlah", "Jumlah Peminjaman Buku")),
        Column("borrowers_l", "Peminjam L", "Borrowers M", "count",
               "Jumlah peminjam laki-laki pada baris rekap.",
               "Number of male borrowers on a recap row.",
               synonyms=("Jumlah Peminjam L", "Peminjam Laki-laki", "Jumlah Peminjam Laki-laki", "L")),
        Column("borrowers_p", "Peminjam P", "Borrowers F", "count",
               "Jumlah peminjam perempuan pada baris rekap.",
               "Number of female borrowers on a recap row.",
               synonyms=("Jumlah Peminjam P", "Peminjam Perempuan", "Jumlah Peminjam Perempuan", "P")),
        Column("item_code", "Kode Eksemplar", "Item Code", "text",
               "Kode/barcode eksemplar yang dipinjam.",
               "Barcode or code of the copy lent.",
               synonyms=("Kode Buku", "Barcode", "Nomor Induk", "Nomor Induk Buku", "Kode Item", "Item Code",
                         "Nomor Barcode", "Kode Koleksi")),
        Column("title", "Judul", "Title", "text",
               "Judul buku.", "Title of the item.",
               synonyms=("Judul Buku", "Judul Koleksi", "Title", "Nama Buku")),
        Column("category", "Kategori", "Category", "category",
               "Kategori atau nomor klasifikasi DDC (mis. 297.4 atau 'Agama').",
               "Category or DDC class number (e.g. 297.4 or 'Religion').",
               synonyms=("Klasifikasi", "Nomor Klasifikasi", "Nomor Panggil", "Call Number", "Subjek",
                         "Jenis Buku", "Kelas", "DDC", "Classification", "Category", "Kategori Buku"),
               choices=("000 Karya Umum", "100 Filsafat & Psikologi", "200 Agama", "300 Ilmu Sosial",
                        "400 Bahasa", "500 Ilmu Murni", "600 Ilmu Terapan", "700 Kesenian & Olahraga",
                        "800 Kesusastraan", "900 Sejarah & Geografi", "Fiksi", "Majalah")),
        Column("borrower_id", "ID Anggota", "Member ID", "id",
               "Nomor anggota atau registrasi peminjam. Disimpan hanya sebagai kode samaran.",
               "Member or registration number of the borrower. Stored only as a pseudonymous key.",
               synonyms=("Nomor Anggota", "Kode Anggota", "Nomor Registrasi", "Member ID", "ID Peminjam",
                         "Nomor Register", "ID"), pii=True),
        Column("borrower_name", "Nama Anggota", "Member Name", "name",
               "Nama peminjam: dibaca lalu dibuang, tidak pernah disimpan.",
               "Borrower's name: read and discarded, never stored.",
               synonyms=("Nama Peminjam", "Nama", "Nama WBP", "Member Name", "Name"), pii=True, template=False),
        Column("borrower_group", "Kelompok Peminjam", "Borrower Group", "group",
               "WBP, Petugas, Anak atau Umum.", "WBP (inmate), Petugas (staff), Anak (juvenile) or Umum.",
               synonyms=("Tipe Keanggotaan", "Jenis Anggota", "Tipe Anggota", "Kelompok", "Member Type",
                         "Membership Type", "Status Peminjam", "Kategori Peminjam"),
               choices=("WBP", "Petugas", "Anak", "Umum")),
        Column("borrower_gender", "Jenis Kelamin", "Gender", "gender",
               "L atau P.", "L (male) or P (female).",
               synonyms=("L/P", "JK", "Gender", "Sex", "Kelamin"), choices=("L", "P")),
        Column("due_date", "Tanggal Kembali", "Due Date", "date",
               "Batas tanggal pengembalian (di ekspor SLiMS kolom 'Tanggal Kembali' adalah tanggal jatuh tempo).",
               "Date the item is due back (in SLiMS exports 'Tanggal Kembali' is the due date).",
               synonyms=("Jatuh Tempo", "Tanggal Jatuh Tempo", "Batas Kembali", "Tanggal Harus Kembali",
                         "Batas Pengembalian", "Due Date", "Tanggal Batas Kembali")),
        Column("return_date", "Tanggal Dikembalikan", "Return Date", "date",
               "Tanggal buku benar-benar dikembalikan; kosong bila masih dipinjam.",
               "Date the item actually came back; empty while still on loan.",
               synonyms=("Tanggal Pengembalian", "Tgl Pengembalian", "Dikembalikan Tanggal", "Return Date",
                         "Actual Return Date", "Tanggal Kembali Aktual")),
        Column("returned", "Status Peminjaman", "Loan Status", "status",
               "0/Dipinjam = masih dipinjam, 1/Dikembalikan = sudah kembali (seperti SLiMS).",
               "0/on loan or 1/returned (as in SLiMS).",
               synonyms=("Status", "Status Pinjam", "Loan Status", "Status Pengembalian", "Is Return"),
               choices=("Dipinjam", "Dikembalikan")),
        Column("service", "Layanan", "Service", "service",
               "Perpustakaan (milik UPT) atau Pusling (perpustakaan keliling Dispersip). Kosong = Perpustakaan.",
               "Perpustakaan (the unit's own library) or Pusling (Dispersip's mobile library). Empty = own library.",
               synonyms=("Jenis Layanan", "Sumber Layanan", "Service"), choices=("Perpustakaan", "Pusling")),
    ),
    row_shapes=(("facility", "loan_date"), ("facility", "month", "n_loans")),
    row_shape_help_id="Setiap baris butuh 'Tanggal Pinjam' (satu peminjaman) atau 'Bulan' dan 'Jumlah Peminjaman' (rekap).",
    row_shape_help_en="Every row needs 'Loan Date' (one loan) or 'Month' and 'Number of Loans' (a recap).",
    sheet_names=("peminjaman", "pinjaman", "sirkulasi", "loans", "loan", "pinjam", "riwayat peminjaman"),
    title_words=("peminjaman", "sirkulasi", "pinjaman", "loan"),
    load_order=1,
)

VISITS = Dataset(
    key="visits",
    title_id="Kunjungan Perpustakaan",
    title_en="Library visits",
    grain_id="Satu baris = satu pengunjung, satu rombongan, atau jumlah pengunjung per hari/bulan dan layanan.",
    grain_en="One row = one visitor, one group, or the visitors of a day/month and service.",
    measure_id="jumlah pengunjung",
    measure_en="number of visitors",
    columns=(
        FACILITY,
        Column("visit_date", "Tanggal Kunjungan", "Visit Date", "date",
               "Tanggal kunjungan.", "Date of the visit.",
               synonyms=("Tanggal", "Hari/Tanggal", "Hari Tanggal", "Waktu Kunjungan", "Visit Date",
                         "Tanggal Berkunjung", "Date", "Checkin Date")),
        MONTH,
        YEAR,
        Column("service", "Layanan", "Service", "service",
               "Perpustakaan (milik UPT) atau Pusling (perpustakaan keliling Dispersip). Kosong = Perpustakaan.",
               "Perpustakaan (the unit's own library) or Pusling (Dispersip's mobile library). Empty = own library.",
               synonyms=("Jenis Layanan", "Sumber Layanan", "Service"), choices=("Perpustakaan", "Pusling")),
        Column("n_visitors", "Jumlah Pengunjung", "Visitors", "count",
               "Jumlah orang pada baris rombongan atau baris jumlah harian/bulanan. Kosong = 1 orang.",
               "Head count of a group row or of a daily/monthly total. Empty = one person.",
               synonyms=("Jumlah", "Total Pengunjung", "Total", "Jumlah Orang", "Visitors", "Banyaknya Pengunjung",
                         "Jumlah Pengunjung Perpustakaan", "Jumlah Kunjungan", "Jumlah Kunjungan Perpustakaan")),
        Column("visitors_l", "Pengunjung L", "Visitors M", "count",
               "Jumlah pengunjung laki-laki.", "Number of male visitors.",
               synonyms=("Jumlah Pengunjung L", "Laki-laki", "L", "Pengunjung Laki-laki", "Pria")),
        Column("visitors_p", "Pengunjung P", "Visitors F", "count",
               "Jumlah pengunjung perempuan.", "Number of female visitors.",
               synonyms=("Jumlah Pengunjung P", "Perempuan", "P", "Pengunjung Perempuan", "Wanita")),
        Column("service_days", "Hari Layanan", "Service Days", "count",
               "Untuk baris jumlah bulanan: berapa hari layanan buka bulan itu.",
               "On a monthly total: on how many days the service was open that month.",
               synonyms=("Jumlah Hari Layanan", "Hari Buka", "Service Days")),
        Column("visitor_id", "ID Anggota", "Member ID", "id",
               "Nomor anggota pengunjung, atau NON-MEMBER. Disimpan hanya sebagai kode samaran.",
               "Visitor's member number, or NON-MEMBER. Stored only as a pseudonymous key.",
               synonyms=("Nomor Anggota", "Member ID", "Kode Anggota", "ID", "Visitor ID", "Nomor Pengunjung",
                         "Nomor Kunjungan"), pii=True, template=False),
        Column("visitor_name", "Nama Pengunjung", "Visitor Name", "name",
               "Nama pengunjung: dibaca lalu dibuang, tidak pernah disimpan.",
               "Visitor's name: read and discarded, never stored.",
               synonyms=("Nama", "Nama Anggota", "Visitor Name", "Name", "Nama Rombongan"), pii=True, template=False),
        Column("visitor_group", "Kelompok Pengunjung", "Visitor Group", "group",
               "WBP, Petugas, Anak atau Umum.", "WBP (inmate), Petugas (staff), Anak (juvenile) or Umum.",
               synonyms=("Tipe Keanggotaan", "Jenis Anggota", "Tipe Anggota", "Kategori Pengunjung",
                         "Jenis Pengunjung", "Member Type", "Membership Type", "Kelompok"),
               choices=("WBP", "Petugas", "Anak", "Umum")),
        Column("gender", "Jenis Kelamin", "Gender", "gender_or_counts",
               "L atau P untuk satu pengunjung; untuk rombongan boleh '12 Laki-laki<br>8 Perempuan' (INLISLite).",
               "L or P for one visitor; a group may read '12 Laki-laki<br>8 Perempuan' (INLISLite).",
               synonyms=("L/P", "JK", "Gender", "Sex", "Kelamin"), choices=("L", "P"), template=False),
        Column("is_group", "Jenis Kunjungan", "Visit Kind", "visit_kind",
               "Perorangan atau Rombongan (INLISLite 'Kriteria Pengunjung': Anggota dan Non Anggota = perorangan).",
               "Perorangan (one person) or Rombongan (group); INLISLite's Anggota/Non Anggota are one person.",
               synonyms=("Tipe Kunjungan", "Kunjungan", "Visit Type", "Perorangan/Rombongan",
                         "Kriteria Pengunjung"),
               choices=("Perorangan", "Rombongan"), template=False),
        Column("room", "Ruangan", "Room", "text",
               "Nama ruangan (SLiMS).", "Room name (SLiMS).",
               synonyms=("Nama Ruangan", "Lokasi", "Room", "Location", "Lokasi Ruang", "Ruang"),
               template=False),
        Column("institution", "Institusi", "Institution", "name",
               "Institusi pengunjung (SLiMS): dibaca lalu dibuang.",
               "Visitor's institution (SLiMS): read and discarded.",
               synonyms=("Instansi", "Institution", "Asal Instansi"), pii=True, template=False),
    ),
    row_shapes=(("facility", "visit_date"), ("facility", "month", "n_visitors")),
    row_shape_help_id="Setiap baris butuh 'Tanggal Kunjungan', atau 'Bulan' dan 'Jumlah Pengunjung' (rekap bulanan).",
    row_shape_help_en="Every row needs 'Visit Date', or 'Month' and 'Visitors' (a monthly total).",
    sheet_names=("kunjungan", "pengunjung", "kunjungan perpustakaan", "buku tamu", "visits", "visitors",
                 "daftar pengunjung"),
    title_words=("kunjungan", "pengunjung", "buku tamu", "visitor"),
    load_order=2,
)

TRAINING = Dataset(
    key="training",
    title_id="Pelatihan",
    title_en="Training",
    grain_id="Satu baris = satu sesi pelatihan/kegiatan, dengan jumlah peserta L/P.",
    grain_en="One row = one training session or activity, with its L/P head count.",
    measure_id="jumlah peserta",
    measure_en="number of participants",
    columns=(
        FACILITY,
        Column("title", "Judul Kegiatan", "Activity Title", "text",
               "Nama kegiatan, mis. 'Pelatihan Menulis Cerpen'.", "Name of the activity, e.g. 'Short-story writing'.",
               synonyms=("Nama Kegiatan", "Kegiatan", "Pelatihan", "Kegiatan/Pelatihan", "Kegiatan / Pelatihan",
                         "Nama Pelatihan", "Judul Pelatihan", "Title", "Activity"), required=True),
        Column("topic", "Topik", "Topic", "text",
               "Jenis keterampilan, mis. Menulis, Anggrek, Hidroponik, Teknologi Tepat Guna, Pengelolaan Perpustakaan.",
               "Kind of skill, e.g. writing, orchids, hydroponics, appropriate technology, library management.",
               synonyms=("Jenis Pelatihan", "Bidang", "Materi", "Jenis Keterampilan", "Topic", "Keterampilan"),
               choices=("Literasi", "Menulis", "Anggrek", "Hidroponik", "Teknologi Tepat Guna",
                        "Pengelolaan Perpustakaan", "Lainnya")),
        Column("audience", "Sasaran", "Audience", "audience",
               "WBP (warga binaan) atau Pengelola Perpustakaan.", "WBP (inmates) or library managers.",
               synonyms=("Peserta", "Kelompok Sasaran", "Sasaran Peserta", "Audience", "Jenis Peserta"),
               choices=("WBP", "Pengelola Perpustakaan")),
        Column("organiser", "Penyelenggara", "Organiser", "text",
               "Siapa yang menyelenggarakan, mis. Dispersip Kalsel atau UPT sendiri.",
               "Who ran it, e.g. Dispersip Kalsel or the unit itself.",
               synonyms=("Pelaksana", "Organiser", "Organizer", "Diselenggarakan Oleh")),
        Column("partner", "Mitra", "Partner", "text",
               "Mitra atau narasumber, mis. Perhimpunan Anggrek Indonesia.",
               "Partner or trainer, e.g. the provincial orchid society.",
               synonyms=("Narasumber", "Bekerja Sama Dengan", "Partner", "Mitra Kegiatan", "Instruktur")),
        Column("start_date", "Tanggal Mulai", "Start Date", "date",
               "Tanggal (mulai) kegiatan.", "(Start) date of the activity.",
               synonyms=("Tanggal", "Hari/Tanggal", "Hari / Tanggal", "Tanggal Kegiatan", "Tanggal Pelaksanaan",
                         "Start Date", "Date", "Waktu Pelaksanaan"), required=True),
        Column("end_date", "Tanggal Selesai", "End Date", "date",
               "Tanggal selesai; kosong = satu hari.", "End date; empty = one day.",
               synonyms=("Tanggal Berakhir", "Sampai Tanggal", "End Date")),
        Column("place", "Tempat", "Place", "text", "Tempat kegiatan.", "Where it took place.",
               synonyms=("Lokasi", "Lokasi Kegiatan", "Place", "Venue")),
        Column("participants_l", "Peserta L", "Participants M", "count",
               "Jumlah peserta laki-laki.", "Number of male participants.",
               synonyms=("Jumlah Peserta L", "Peserta Laki-laki", "L", "Laki-laki")),
        Column("participants_p", "Peserta P", "Participants F", "count",
               "Jumlah peserta perempuan.", "Number of female participants.",
               synonyms=("Jumlah Peserta P", "Peserta Perempuan", "P", "Perempuan")),
        Column("participants", "Jumlah Peserta", "Participants", "count",
               "Jumlah seluruh peserta (boleh kosong bila L dan P diisi).",
               "Total participants (may be empty when L and P are given).",
               synonyms=("Total Peserta", "Jumlah", "Participants", "Jumlah Peserta Total", "Peserta Jumlah")),
        Column("notes", "Keterangan", "Notes", "text", "Catatan.", "Notes.",
               synonyms=("Catatan", "Notes", "Ket")),
    ),
    row_shapes=(("facility", "title", "start_date"),),
    row_shape_help_id="Setiap baris butuh 'Judul Kegiatan' dan 'Tanggal Mulai'.",
    row_shape_help_en="Every row needs 'Activity Title' and 'Start Date'.",
    sheet_names=("pelatihan", "kegiatan", "training", "bimtek", "pelatihan wbp"),
    title_words=("pelatihan", "kegiatan", "bimtek", "bimbingan teknis"),
    load_order=3,
)

ATTENDANCE = Dataset(
    key="attendance",
    title_id="Daftar Hadir Pelatihan",
    title_en="Training attendance",
    grain_id="Satu baris = satu peserta hadir pada satu sesi; fakta sesi diambil dari baris label di atas tabel.",
    grain_en="One row = one participant present at one session; the session's facts come from the label rows above the table.",
    measure_id="jumlah peserta",
    measure_en="number of participants",
    columns=(
        FACILITY,
        Column("title", "Kegiatan / Pelatihan", "Activity", "text",
               "Nama kegiatan (atau di baris label 'Kegiatan / Pelatihan : ...').",
               "Name of the activity (or in the label row 'Kegiatan / Pelatihan : ...').",
               synonyms=("Judul Kegiatan", "Nama Kegiatan", "Kegiatan", "Pelatihan", "Kegiatan/Pelatihan",
                         "Judul Pelatihan", "Activity Title", "Activity")),
        Column("start_date", "Hari / Tanggal", "Date", "date",
               "Tanggal sesi (atau di baris label 'Hari / Tanggal : Selasa, 6 Agustus 2024').",
               "Session date (or in the label row 'Hari / Tanggal : ...').",
               synonyms=("Tanggal", "Hari/Tanggal", "Tanggal Kegiatan", "Date", "Tanggal Mulai")),
        Column("topic", "Topik", "Topic", "text", "Jenis keterampilan.", "Kind of skill.",
               synonyms=("Jenis Pelatihan", "Materi", "Topic"), template=False),
        Column("audience", "Sasaran", "Audience", "audience",
               "WBP atau Pengelola Perpustakaan; bila kosong ditebak dari kolom NIP/registrasi.",
               "WBP or library managers; when empty it is inferred from the NIP/registration column.",
               synonyms=("Kelompok Sasaran", "Audience"), template=False),
        Column("organiser", "Penyelenggara", "Organiser", "text", "Penyelenggara.", "Organiser.",
               synonyms=("Pelaksana", "Organiser", "Organizer"), template=False),
        Column("place", "Tempat", "Place", "text", "Tempat.", "Place.", synonyms=("Lokasi", "Place"),
               template=False),
        Column("participant_name", "Nama", "Name", "name",
               "Nama peserta: dibaca untuk dihitung lalu dibuang, tidak pernah disimpan.",
               "Participant's name: read to count, then discarded, never stored.",
               synonyms=("Nama Peserta", "Nama Lengkap", "Name", "Nama WBP"), pii=True, required=True),
        Column("participant_id", "NIP / No. Registrasi", "Staff or Registration No.", "id",
               "NIP petugas atau nomor registrasi WBP. Disimpan hanya sebagai kode samaran.",
               "Staff NIP or inmate registration number. Stored only as a pseudonymous key.",
               synonyms=("NIP", "No. Registrasi", "NIP atau No. Registrasi", "NIP/No. Registrasi",
                         "Nomor Registrasi", "No Reg", "NIP / NRP", "Registration No"), pii=True),
        Column("gender", "Jenis Kelamin", "Gender", "gender", "L atau P.", "L or P.",
               synonyms=("L/P", "JK", "Gender", "Kelamin"), choices=("L", "P")),
        Column("role", "Jabatan / Instansi / Blok", "Role / Institution / Block", "text",
               "Jabatan, instansi atau blok hunian.", "Position, institution or cell block.",
               synonyms=("Jabatan", "Instansi", "Blok", "Jabatan/Instansi", "Jabatan / Instansi",
                         "Jabatan/Instansi/Blok", "Asal", "Role", "Unit Kerja")),
        Column("signature", "Tanda Tangan", "Signature", "text", "Diabaikan.", "Ignored.",
               synonyms=("TTD", "Paraf", "Signature"), template=False),
    ),
    row_shapes=(("facility", "title", "start_date", "participant_name"),),
    row_shape_help_id="Setiap peserta butuh nama; kegiatan dan tanggal diambil dari kolom atau baris label di atas tabel.",
    row_shape_help_en="Every participant needs a name; activity and date come from columns or the label rows above the table.",
    sheet_names=("daftar hadir", "absensi", "presensi", "attendance", "hadir"),
    title_words=("daftar hadir", "absensi", "presensi"),
    load_order=4,
)

OCCUPANCY = Dataset(
    key="occupancy",
    title_id="Hunian",
    title_en="Occupancy",
    grain_id="Satu baris = angka penghuni (dan kapasitas) satu fasilitas pada satu tanggal.",
    grain_en="One row = the occupants (and capacity) of one facility on one date.",
    measure_id="jumlah penghuni",
    measure_en="occupants",
    columns=(
        FACILITY,
        Column("snapshot_date", "Tanggal Data", "Date", "date",
               "Tanggal angka hunian itu berlaku (mis. dari SDP per 30/09/2024).",
               "Date the figure refers to (e.g. from the corrections database as of 30/09/2024).",
               synonyms=("Tanggal", "Per Tanggal", "Tanggal Pendataan", "Posisi Tanggal", "Date", "Snapshot Date"),
               required=True),
        Column("occupants", "Jumlah Penghuni", "Occupants", "count",
               "Jumlah WBP (tahanan dan narapidana) pada tanggal itu.", "Number of inmates on that date.",
               synonyms=("Penghuni", "Isi", "Jumlah WBP", "Total Penghuni", "Jumlah Isi", "Occupants", "Isi Hunian"),
               required=True),
        Column("capacity", "Kapasitas", "Capacity", "count",
               "Kapasitas hunian resmi.", "Official capacity.", synonyms=("Daya Tampung", "Capacity", "Kapasitas Hunian")),
        Column("source", "Sumber", "Source", "text", "Dari mana angkanya (SDP, berita, surat UPT).",
               "Where the figure comes from (SDP, news, the unit's letter).", synonyms=("Keterangan", "Source")),
    ),
    row_shapes=(("facility", "snapshot_date", "occupants"),),
    row_shape_help_id="Setiap baris butuh 'Tanggal Data' dan 'Jumlah Penghuni'.",
    row_shape_help_en="Every row needs 'Date' and 'Occupants'.",
    sheet_names=("hunian", "penghuni", "occupancy", "kapasitas"),
    title_words=("hunian", "penghuni", "kapasitas"),
    load_order=5,
)

PACKAGES = Dataset(
    key="packages",
    title_id="Paket Buku",
    title_en="Book packages",
    grain_id="Satu baris = satu pengiriman atau penukaran paket buku bergilir di satu fasilitas pada satu tanggal.",
    grain_en="One row = one delivery or swap of a rotating book package at one facility on one date.",
    measure_id="buku dikirim",
    measure_en="books delivered",
    columns=(
        FACILITY,
        Column("package_date", "Tanggal", "Date", "date", "Tanggal paket dikirim atau ditukar.",
               "Date the package was delivered or swapped.",
               synonyms=("Tanggal Kirim", "Tanggal Pengiriman", "Tanggal Penukaran", "Tanggal Paket", "Date"),
               required=True),
        Column("books_delivered", "Buku Dikirim", "Books Delivered", "count", "Jumlah buku yang diantar.",
               "Number of books brought in.",
               synonyms=("Jumlah Buku Dikirim", "Buku Masuk", "Jumlah Dikirim", "Dikirim", "Books Delivered")),
        Column("books_returned", "Buku Ditarik", "Books Taken Back", "count", "Jumlah buku paket lama yang dibawa kembali.",
               "Number of books of the previous package taken back.",
               synonyms=("Buku Ditarik Kembali", "Buku Dikembalikan", "Jumlah Ditarik", "Ditarik", "Books Taken Back",
                         "Books Returned")),
        Column("package_label", "Paket", "Package", "text", "Nama atau kode paket (mis. 'Paket 3/2024').",
               "Name or code of the package (e.g. 'Package 3/2024').", synonyms=("Nama Paket", "Kode Paket", "Package")),
        Column("notes", "Keterangan", "Notes", "text", "Catatan.", "Notes.", synonyms=("Catatan", "Notes")),
    ),
    row_shapes=(("facility", "package_date"),),
    row_shape_help_id="Setiap baris butuh 'Tanggal' dan 'Buku Dikirim' atau 'Buku Ditarik'.",
    row_shape_help_en="Every row needs 'Date' and 'Books Delivered' or 'Books Taken Back'.",
    sheet_names=("paket buku", "paket", "packages", "deposit buku"),
    title_words=("paket buku", "buku bergilir", "deposit"),
    load_order=6,
)

AGREEMENTS = Dataset(
    key="agreements",
    title_id="Kerja Sama (PKS)",
    title_en="Agreements",
    grain_id="Satu baris = satu perjanjian kerja sama (PKS) dengan satu fasilitas.",
    grain_en="One row = one cooperation agreement (PKS) with one facility.",
    measure_id="PKS",
    measure_en="agreements",
    columns=(
        FACILITY,
        Column("number_dispersip", "Nomor PKS Dispersip", "Agreement No. (Dispersip)", "text",
               "Nomor perjanjian di pihak Dispersip.", "Dispersip's agreement number.",
               synonyms=("Nomor PKS", "No. PKS", "Nomor Perjanjian", "Nomor Dispersip", "Agreement Number")),
        Column("number_facility", "Nomor PKS UPT", "Agreement No. (unit)", "text",
               "Nomor perjanjian di pihak UPT.", "The unit's agreement number.",
               synonyms=("Nomor UPT", "Nomor Pihak Kedua", "No. PKS UPT")),
        Column("signed_on", "Tanggal Tanda Tangan", "Signed On", "date", "Tanggal ditandatangani.", "Date signed.",
               synonyms=("Tanggal Penandatanganan", "Ditandatangani", "Tanggal PKS", "Signed On")),
        Column("valid_from", "Berlaku Mulai", "Valid From", "date", "Tanggal mulai berlaku.", "First day in force.",
               synonyms=("Tanggal Mulai", "Mulai Berlaku", "Berlaku Dari", "Valid From"), required=True),
        Column("valid_until", "Berlaku Sampai", "Valid Until", "date", "Tanggal terakhir berlaku.", "Last day in force.",
               synonyms=("Tanggal Berakhir", "Berakhir", "Masa Berlaku Sampai", "Berlaku Hingga", "Valid Until"),
               required=True),
        Column("scope", "Ruang Lingkup", "Scope", "scope",
               "Dipisah koma: bahan bacaan, perpustakaan keliling, peminjaman buku, pelatihan WBP, pelatihan "
               "pengelola perpustakaan.",
               "Comma-separated: reading materials, mobile library, book lending, training for inmates, training for "
               "library managers.", synonyms=("Lingkup", "Cakupan", "Ruang Lingkup Kerja Sama", "Scope")),
        Column("notes", "Keterangan", "Notes", "text", "Catatan.", "Notes.", synonyms=("Catatan", "Notes")),
    ),
    row_shapes=(("facility", "valid_from", "valid_until"),),
    row_shape_help_id="Setiap baris butuh 'Berlaku Mulai' dan 'Berlaku Sampai'.",
    row_shape_help_en="Every row needs 'Valid From' and 'Valid Until'.",
    sheet_names=("kerja sama", "pks", "perjanjian", "agreements", "mou"),
    title_words=("perjanjian kerja sama", "pks", "kerja sama"),
    load_order=7,
)

DATASETS: dict[str, Dataset] = {d.key: d for d in (LOANS, VISITS, TRAINING, ATTENDANCE, OCCUPANCY, PACKAGES,
                                                   AGREEMENTS)}
# datasets whose figures the dashboard and `summary --json` report
REPORTED = ("loans", "visits", "training")
# the report each dataset's rows count towards (attendance lists are training reports)
REPORT_OF = {"loans": "loans", "visits": "visits", "training": "training", "attendance": "training"}
# a report is one dataset for one facility-month; these datasets split it further by a column:
# the facility's own library and Dispersip's mobile library report separately, and an
# attendance list reports one session
PART_OF = {"loans": "service", "visits": "service", "attendance": "session_key", "agreements": "agreement_key",
           "occupancy": "snapshot_key"}

# headers that are never data: row numbers and signature columns
IGNORED_HEADERS = {header_key(h) for h in ("No", "No.", "Nomor", "Nomor Urut", "No Urut", "#", "Tanda Tangan",
                                           "TTD", "Paraf", "Aksi", "Action")}
