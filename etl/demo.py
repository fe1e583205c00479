"""Realistic demo workbooks for every inmate-holding facility of the register.

The demo mirrors how the programme's data really arrives:

* three big prisons run SLiMS: line-level loan-history and visitor-list
  exports, with names and member ids (which the ETL pseudonymises or drops);
* the other units send the agency's recap workbook (loans by category,
  daily visits by service, training sessions), some of them hand-made with a
  letterhead, two-row headers, a JUMLAH row and a signature block;
* Dispersip reports its own mobile-library (pusling) visits to each unit;
* a training for library managers comes as a daftar hadir with label rows.

Older history arrives as annual workbooks, the last twelve months month by
month, 36 months up to last month. Loans, visits and training cover
every unit and month; some units' own-library visit reports are deliberately
missing (last month for three units, and three months for one library closed
for renovation: only Dispersip's mobile-library visits are known there) and
some reports arrived after the deadline, so the completeness view has
something to chase; and one unit's loans of one month carry a typing error
(one category's figure ten times too large), which the anomaly check flags. ``manifest.json`` records when each file was received and
by whom it was uploaded. Everything is deterministic for a given seed and date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import math
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from etl.facilities import Facility, load_register
from etl.specs import DATASETS
from etl.templates import add_attendance_sheet, add_table_sheet, template_columns

SLIMS_UNITS = ("lapas-banjarmasin", "lapas-banjarbaru", "lapas-narkotika-karang-intan")
HANDMADE_UNITS = ("rutan-rantau", "rutan-marabahan", "rutan-pelaihari", "lapas-amuntai")
DEFAULT_OCCUPANTS = {"lapas-tanjung": 420, "rutan-barabai": 190, "rutan-marabahan": 240, "rutan-pelaihari": 230,
                     "rutan-tanjung": 150}
STAFF = ("sari", "budi", "rina", "yusuf")
TYPO_UNIT = "lapas-kotabaru"  # its loans two months before the latest carry one typed-in extra zero

FIRST = ("Ahmad", "Muhammad", "Rizky", "Dedi", "Agus", "Budi", "Hendra", "Rahmat", "Fajar", "Syahrul", "Ilham",
         "Yusuf", "Siti", "Nur", "Rina", "Dewi", "Aulia", "Fitri", "Lestari", "Maya", "Hasan", "Arif", "Bayu", "Gusti",
         "Akhmad", "Rusdi", "Zainal", "Irwan", "Wahyu", "Taufik")
LAST = ("Hidayat", "Saputra", "Rahman", "Syahputra", "Pratama", "Wijaya", "Hakim", "Nugroho", "Maulana", "Firdaus",
        "Santoso", "Kurniawan", "Setiawan", "Ramadhan", "Fauzi", "Noor", "Anshari", "Rizani", "Mahdi", "Saleh")

BOOKS = {
    "297": ["Tafsir Al-Misbah Jilid 1", "Fiqih Sehari-hari", "Kisah 25 Nabi dan Rasul", "Tuntunan Shalat Lengkap",
            "Juz Amma dan Terjemahannya", "Sirah Nabawiyah", "Riyadhus Shalihin"],
    "813": ["Laskar Pelangi", "Bumi Manusia", "Negeri 5 Menara", "Ayat-Ayat Cinta", "Ronggeng Dukuh Paruk",
            "Pulang", "Laut Bercerita", "Cantik Itu Luka", "Dilan 1990", "Filosofi Kopi"],
    "635": ["Budidaya Anggrek untuk Pemula", "Hidroponik Sederhana di Rumah", "Beternak Lele", "Bertanam Cabai"],
    "658": ["Panduan Memulai Usaha Kecil", "Kewirausahaan untuk Pemula", "Strategi Jualan Online"],
    "428": ["Kamus Inggris-Indonesia", "Belajar Bahasa Inggris 30 Hari", "Tata Bahasa Indonesia"],
    "959": ["Sejarah Kalimantan Selatan", "Pangeran Antasari", "Kerajaan Banjar"],
    "158": ["Berdamai dengan Diri Sendiri", "Filosofi Teras", "Mengelola Emosi"],
    "613": ["Hidup Sehat Tanpa Narkoba", "Pertolongan Pertama", "Gizi Seimbang"],
    "004": ["Komputer untuk Pemula", "Microsoft Office Praktis"],
    "741": ["Komik Si Juki", "Kumpulan Cerita Rakyat Banjar"],
}
CATEGORY_WEIGHTS = {"297": 30, "813": 26, "635": 8, "658": 7, "428": 5, "959": 5, "158": 7, "613": 5, "004": 3,
                    "741": 4}
CALL_LETTERS = "ABDHKMRSW"

TRAININGS = [
    ("Kelas Literasi Membaca", "Literasi", "wbp", None, None),
    ("Bedah Buku Bersama Warga Binaan", "Literasi", "wbp", "Dispersip Kalsel", None),
    ("Pelatihan Menulis Cerpen", "Menulis", "wbp", "Dispersip Kalsel", None),
    ("Pelatihan Budidaya Anggrek", "Anggrek", "wbp", "Dispersip Kalsel", "Perhimpunan Anggrek Indonesia Kalsel"),
    ("Pelatihan Hidroponik", "Hidroponik", "wbp", None, "Dinas Pertanian"),
    ("Pelatihan Teknologi Tepat Guna", "Teknologi Tepat Guna", "wbp", "Dispersip Kalsel", "Balai Latihan Kerja"),
    ("Lomba Resensi Buku", "Literasi", "wbp", None, None),
]


@dataclass
class Plan:
    start: dt.date      # first month
    latest: dt.date     # last month, the one being reported now

    def months(self) -> list[dt.date]:
        out, m = [], self.start
        while m <= self.latest:
            out.append(m)
            m = add_months(m, 1)
        return out


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def plan(today: dt.date, months: int = 36) -> Plan:
    latest = add_months(today.replace(day=1), -1)
    return Plan(add_months(latest, -(months - 1)), latest)


def occupants(f: Facility, register) -> int:
    figures = [o for o in register.occupancy if o.facility == f.code and o.occupants]
    if figures:
        return max(figures, key=lambda o: o.date).occupants
    return DEFAULT_OCCUPANTS.get(f.code, 200)


def seasonal(month: dt.date) -> float:
    """Fewer loans around Idul Fitri and the year end, more in the reading month (May) and August."""
    factor = {1: 0.92, 2: 0.98, 3: 1.0, 4: 0.9, 5: 1.12, 6: 1.0, 7: 1.02, 8: 1.1, 9: 1.05, 10: 1.04, 11: 1.0,
              12: 0.85}[month.month]
    return factor


class Units:
    """Per facility: a stable member list and reading rate."""

    def __init__(self, f: Facility, register, rng: random.Random):
        self.f = f
        self.occupants = occupants(f, register)
        self.rng = random.Random(rng.random())
        self.members = [(self._member_id(i), f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}")
                        for i in range(max(30, int(self.occupants * 0.35)))]
        # small units read more per head; the juvenile facility most of all
        per_head = 0.22 if self.occupants > 1000 else 0.3
        if f.type == "LPKA":
            per_head = 1.6
        self.loans_per_month = self.occupants * per_head * self.rng.uniform(0.8, 1.2)
        self.visits_per_day = max(6, self.occupants * 0.015 * self.rng.uniform(0.8, 1.3))

    def _member_id(self, i: int) -> str:
        if self.f.code == "lapas-banjarmasin":
            return f"{i + 1:04d}"      # SLiMS ids with leading zeros ...
        return str(1000 + i)

    def rate(self, month: dt.date, start: dt.date) -> float:
        years = (month - start).days / 365.0
        return seasonal(month) * (1 + 0.08 * years)


def fake_nip(rng: random.Random) -> str:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))
    return f"{born:%Y%m%d}{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"


@functools.cache  # asked for each unit, day and loan: a 36-month demo asks about 20,000 times
def working_days(month: dt.date) -> tuple[dt.date, ...]:
    days = calendar.monthrange(month.year, month.month)[1]
    return tuple(month.replace(day=d) for d in range(1, days + 1) if month.replace(day=d).weekday() < 5)


def pick_book(rng: random.Random) -> tuple[str, str]:
    cls = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    return cls, rng.choice(BOOKS[cls])


# ------------------------------------------------------------------ writers
def _book(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    # in_memory: the parts are assembled in memory, not in temporary files (the same bytes, written faster)
    return xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})


def write_slims_loans(path: Path, unit: Units, months: list[dt.date], p: Plan, today: dt.date):
    """SLiMS loan history: ID Anggota | Nama Anggota | Kode Eksemplar | Judul | Tanggal Pinjam |
    Tanggal Kembali (the due date) | Status peminjaman (0 on loan, 1 returned), plus a call number."""
    rng = unit.rng
    book = _book(path)
    sheet = book.add_worksheet("Sheet1")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["ID Anggota", "Nama Anggota", "Kode Eksemplar", "Judul", "Nomor Panggil", "Tanggal Pinjam",
                           "Tanggal Kembali", "Status peminjaman"])
    r = 1
    for month in months:
        n = int(unit.loans_per_month * unit.rate(month, p.start) * rng.uniform(0.9, 1.1))
        days = working_days(month)
        for _ in range(n):
            member_id, name = rng.choice(unit.members)
            cls, title = pick_book(rng)
            day = rng.choice(days)
            due = day + dt.timedelta(days=7)
            returned = 1 if (today - day).days > 21 or rng.random() < 0.6 else 0
            sheet.write_string(r, 0, member_id)
            sheet.write_string(r, 1, name)
            sheet.write_string(r, 2, f"B{rng.randint(1, 99999):05d}")
            sheet.write_string(r, 3, title)
            sheet.write_string(r, 4, f"{cls}.{rng.randint(1, 9)} {rng.choice(CALL_LETTERS)}{rng.choice('aeiu')}{rng.choice('bkmr')} {title[0].lower()}")
            sheet.write_datetime(r, 5, dt.datetime.combine(day, dt.time()), date_fmt)
            sheet.write_datetime(r, 6, dt.datetime.combine(due, dt.time()), date_fmt)
            sheet.write_number(r, 7, returned)
            r += 1
    book.close()


def write_slims_visitors(path: Path, unit: Units, months: list[dt.date], p: Plan):
    """SLiMS visitor list, export column order: ID Anggota | Nama Pengunjung | Tipe Keanggotaan |
    Institusi | Nama Ruangan | Tanggal Kunjungan."""
    rng = unit.rng
    book = _book(path)
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["ID Anggota", "Nama Pengunjung", "Tipe Keanggotaan", "Institusi", "Nama Ruangan",
                           "Tanggal Kunjungan"])
    r = 1
    for month in months:
        for day in working_days(month):
            for _ in range(int(unit.visits_per_day * unit.rate(month, p.start) * rng.uniform(0.7, 1.3))):
                staff = rng.random() < 0.06
                member_id, name = rng.choice(unit.members)
                sheet.write_string(r, 0, "NON-MEMBER" if staff else member_id)
                sheet.write_string(r, 1, f"{rng.choice(FIRST)} {rng.choice(LAST)}" if staff else name)
                sheet.write_string(r, 2, "Petugas" if staff else "Warga Binaan")
                sheet.write_string(r, 3, unit.f.short_name)
                sheet.write_string(r, 4, "Ruang Baca")
                sheet.write_string(r, 5, f"{day:%Y-%m-%d} {rng.randint(8, 15):02d}:{rng.randint(0, 59):02d}:00")
                r += 1
    book.close()


def loan_recap_rows(unit: Units, month: dt.date, p: Plan) -> list[list]:
    """Loans by DDC class for one month (Fasilitas | Bulan | Kategori | Jumlah | Peminjam L | P)."""
    rng = unit.rng
    total = int(unit.loans_per_month * unit.rate(month, p.start) * rng.uniform(0.85, 1.15))
    female = "perempuan" in unit.f.speciality
    by_class: dict[str, int] = {}
    for cls, weight in CATEGORY_WEIGHTS.items():
        main = cls[0] + "00"  # a recap counts by DDC main class
        by_class[main] = by_class.get(main, 0) + max(0, int(round(total * weight / 100 * rng.uniform(0.7, 1.3))))
    rows = []
    for main, n in sorted(by_class.items()):
        if n == 0:
            continue
        borrowers = max(1, int(n * rng.uniform(0.5, 0.8)))
        rows.append({"month": month, "category": main, "n_loans": n,
                     "borrowers_l": 0 if female else borrowers, "borrowers_p": borrowers if female else 0})
    if (unit.f.code, month) == (TYPO_UNIT, add_months(p.latest, -2)) and rows:
        biggest = max(rows, key=lambda r: r["n_loans"])
        biggest["n_loans"] *= 10  # a zero typed once too often: the anomaly check's "perlu dicek" example
    return rows


def visit_rows(unit: Units, month: dt.date, p: Plan) -> list[dict]:
    rng = unit.rng
    rows = []
    female = "perempuan" in unit.f.speciality
    for day in working_days(month):
        if rng.random() < 0.12:
            continue  # library closed (staff training, lockdown, holiday)
        n = int(unit.visits_per_day * unit.rate(month, p.start) * rng.uniform(0.6, 1.4))
        l, pp = (0, n) if female else (n - n // 20, n // 20)
        rows.append({"visit_date": day, "service": "Perpustakaan", "visitors_l": l, "visitors_p": pp, "n_visitors": n})
    return rows


def pusling_rows(units: list[Units], month: dt.date, rng: random.Random) -> list[dict]:
    """Dispersip's mobile library calls on most units once or twice a month."""
    rows = []
    for unit in units:
        visits = 2 if unit.occupants > 1000 else 1
        for day in rng.sample(working_days(month), visits):
            # each unit's own usual share of readers (fixed per unit), give or take a fifth from call to call:
            # a wider swing made ordinary months look like typing errors to the anomaly check
            share = random.Random(f"pusling|{unit.f.code}").uniform(0.1, 0.18)
            n = int(min(unit.occupants, 400) * share * rng.uniform(0.8, 1.2)) + 10
            female = "perempuan" in unit.f.speciality
            rows.append({"facility": unit.f.official_name, "visit_date": day, "service": "Pusling",
                         "visitors_l": 0 if female else n, "visitors_p": n if female else 0, "n_visitors": n})
    return sorted(rows, key=lambda r: (r["visit_date"], r["facility"]))


def training_rows(unit: Units, month: dt.date, rng: random.Random) -> list[dict]:
    rows = []
    chosen = [TRAININGS[0] if rng.random() < 0.5 else rng.choice(TRAININGS)]
    if rng.random() >= 0.7:
        chosen.append(rng.choice([t for t in TRAININGS if t is not chosen[0]]))
    for title, topic, audience, organiser, partner in chosen:
        day = rng.choice(working_days(month))
        n = int(rng.uniform(12, 40))
        female = "perempuan" in unit.f.speciality
        rows.append({"title": title, "topic": topic, "audience": "WBP", "organiser": organiser or unit.f.short_name,
                     "partner": partner, "start_date": day, "end_date": day + dt.timedelta(days=rng.choice((0, 0, 2))),
                     "place": f"Aula {unit.f.short_name}", "participants_l": 0 if female else n,
                     "participants_p": n if female else 0, "participants": n})
    return rows


def _ordered(ds_key: str, row: dict) -> list:
    return [row.get(c.key) for c in template_columns(DATASETS[ds_key])]


def write_recap_workbook(path: Path, unit: Units, months: list[dt.date], p: Plan, register,
                         visits: bool = True, training: bool = True, loans: bool = True,
                         no_visits: frozenset = frozenset()):
    """The agency's recap workbook in template shape: one sheet per dataset
    (``no_visits``: months whose own-library visits were not reported)."""
    book = _book(path)
    lists: dict = {}
    name = unit.f.official_name
    if loans:
        rows = [dict(r, facility=name) for m in months for r in loan_recap_rows(unit, m, p)]
        add_table_sheet(book, DATASETS["loans"], register, rows=[_ordered("loans", r) for r in rows],
                        list_cache=lists)
    visit_months = [m for m in months if m not in no_visits]
    if visits and visit_months:
        rows = [dict(r, facility=name) for m in visit_months for r in visit_rows(unit, m, p)]
        add_table_sheet(book, DATASETS["visits"], register, rows=[_ordered("visits", r) for r in rows],
                        list_cache=lists)
    if training:
        rows = [dict(r, facility=name) for m in months for r in training_rows(unit, m, unit.rng)]
        add_table_sheet(book, DATASETS["training"], register, rows=[_ordered("training", r) for r in rows],
                        list_cache=lists)
    book.close()


def write_handmade_workbook(path: Path, unit: Units, months: list[dt.date], p: Plan, visits=True, training=True,
                            loans=True, no_visits: frozenset = frozenset()):
    """What a Rutan librarian types: letterhead and title rows, a No column, a two-row header
    ('Jumlah Pengunjung' over L | P), a JUMLAH row, notes and a signature under the table."""
    book = _book(path)
    bold = book.add_format({"bold": True})
    center = book.add_format({"bold": True, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    cell = book.add_format({"border": 1})
    date_fmt = book.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
    period = _period_label(months)
    letterhead = ["KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN RI", "KANTOR WILAYAH KALIMANTAN SELATAN",
                  unit.f.official_name.upper()]

    def top(sheet, title, width):
        for r, line in enumerate(letterhead):
            sheet.merge_range(r, 0, r, width - 1, line, center)
        sheet.merge_range(4, 0, 4, width - 1, title, center)
        sheet.merge_range(5, 0, 5, width - 1, f"PERIODE {period.upper()}", center)

    def footer(sheet, r, width):
        sheet.write(r + 1, 0, "Keterangan: data dari buku kunjungan / buku peminjaman perpustakaan.")
        sheet.write(r + 3, width - 2, f"{unit.f.regency.replace('Kab. ', '').replace('Kota ', '')}, "
                                      f"{_id_date(add_months(months[-1], 1).replace(day=3))}")
        sheet.write(r + 4, width - 2, "Petugas Perpustakaan,")
        sheet.write(r + 8, width - 2, f"{unit.rng.choice(FIRST)} {unit.rng.choice(LAST)}", bold)
        sheet.write(r + 9, width - 2, f"NIP. {fake_nip(unit.rng)}")

    visit_months = [m for m in months if m not in no_visits]
    if visits and visit_months:
        sheet = book.add_worksheet("Kunjungan")
        top(sheet, "LAPORAN KUNJUNGAN PERPUSTAKAAN", 5)
        sheet.merge_range(7, 0, 8, 0, "No", head)
        sheet.merge_range(7, 1, 8, 1, "Hari/Tanggal", head)
        sheet.merge_range(7, 2, 7, 3, "Jumlah Pengunjung", head)
        sheet.write(8, 2, "L", head)
        sheet.write(8, 3, "P", head)
        sheet.merge_range(7, 4, 8, 4, "Jumlah", head)
        r = 9
        total = [0, 0, 0]
        for m in visit_months:
            for k, row in enumerate(visit_rows(unit, m, p)):
                sheet.write(r, 0, k + 1, cell)
                sheet.write_datetime(r, 1, dt.datetime.combine(row["visit_date"], dt.time()), date_fmt)
                sheet.write(r, 2, row["visitors_l"], cell)
                sheet.write(r, 3, row["visitors_p"], cell)
                sheet.write(r, 4, row["n_visitors"], cell)
                total = [total[0] + row["visitors_l"], total[1] + row["visitors_p"], total[2] + row["n_visitors"]]
                r += 1
            r += 1  # a blank spacer row between months
        sheet.merge_range(r, 0, r, 1, "JUMLAH", head)
        for c, v in enumerate(total, start=2):
            sheet.write(r, c, v, head)
        footer(sheet, r, 5)
        sheet.set_column(1, 1, 14)
    if loans:
        sheet = book.add_worksheet("Peminjaman")
        top(sheet, "REKAPITULASI PEMINJAMAN BUKU", 6)
        sheet.merge_range(7, 0, 8, 0, "No", head)
        sheet.merge_range(7, 1, 8, 1, "Bulan", head)
        sheet.merge_range(7, 2, 8, 2, "Klasifikasi", head)
        sheet.merge_range(7, 3, 8, 3, "Jumlah Peminjaman", head)
        sheet.merge_range(7, 4, 7, 5, "Jumlah Peminjam", head)
        sheet.write(8, 4, "L", head)
        sheet.write(8, 5, "P", head)
        r, k, total = 9, 1, [0, 0, 0]
        for m in months:
            for row in loan_recap_rows(unit, m, p):
                sheet.write(r, 0, k, cell)
                sheet.write(r, 1, _id_month(m), cell)
                sheet.write(r, 2, row["category"], cell)
                sheet.write(r, 3, row["n_loans"], cell)
                sheet.write(r, 4, row["borrowers_l"], cell)
                sheet.write(r, 5, row["borrowers_p"], cell)
                total = [total[0] + row["n_loans"], total[1] + row["borrowers_l"], total[2] + row["borrowers_p"]]
                r, k = r + 1, k + 1
        sheet.merge_range(r, 0, r, 2, "JUMLAH", head)
        for c, v in enumerate(total, start=3):
            sheet.write(r, c, v, head)
        footer(sheet, r, 6)
    if training:
        sheet = book.add_worksheet("Pelatihan")
        top(sheet, "LAPORAN KEGIATAN PEMBINAAN LITERASI", 8)
        headers = ["No", "Hari/Tanggal", "Nama Kegiatan", "Jenis Pelatihan", "Penyelenggara", "Mitra"]
        for c, h in enumerate(headers):
            sheet.merge_range(7, c, 8, c, h, head)
        sheet.merge_range(7, 6, 7, 7, "Jumlah Peserta", head)
        sheet.write(8, 6, "L", head)
        sheet.write(8, 7, "P", head)
        r, k = 9, 1
        for m in months:
            for row in training_rows(unit, m, unit.rng):
                sheet.write(r, 0, k, cell)
                sheet.write(r, 1, _id_date(row["start_date"], weekday=True), cell)
                sheet.write(r, 2, row["title"], cell)
                sheet.write(r, 3, row["topic"], cell)
                sheet.write(r, 4, row["organiser"], cell)
                sheet.write(r, 5, row["partner"] or "-", cell)
                sheet.write(r, 6, row["participants_l"], cell)
                sheet.write(r, 7, row["participants_p"], cell)
                r, k = r + 1, k + 1
        footer(sheet, r, 8)
    book.close()


ID_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
ID_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _id_month(m: dt.date) -> str:
    return f"{ID_MONTHS[m.month - 1]} {m.year}"


def _id_date(d: dt.date, weekday: bool = False) -> str:
    text = f"{d.day} {ID_MONTHS[d.month - 1]} {d.year}"
    return f"{ID_DAYS[d.weekday()]}, {text}" if weekday else text


def _period_label(months: list[dt.date]) -> str:
    if len(months) == 1:
        return _id_month(months[0])
    return f"{_id_month(months[0])} - {_id_month(months[-1])}"


def write_bimtek(path: Path, units: list[Units], day: dt.date, rng: random.Random):
    """Attendance list of Dispersip's training for prison library managers (two per unit)."""
    book = _book(path)
    participants = []
    for unit in units:
        for _ in range(2):
            gender = rng.choice("LP")
            participants.append([f"{rng.choice(FIRST)} {rng.choice(LAST)}", fake_nip(rng), gender,
                                 f"Pengelola Perpustakaan {unit.f.official_name}"])
    add_attendance_sheet(book, load_register(), facts={
        "heading": "DAFTAR HADIR PELATIHAN PENGELOLA PERPUSTAKAAN LAPAS DAN RUTAN SE-KALIMANTAN SELATAN",
        "start_date": _id_date(day, weekday=True), "place": "Aula Dinas Perpustakaan dan Kearsipan Provinsi Kalsel",
        "title": "Pelatihan Pengelola Perpustakaan Lapas dan Rutan", "organiser": "Dispersip Kalsel"},
        participants=participants)
    book.close()


def write_demo(folder: Path, today: dt.date, months: int = 36, seed: int = 2024) -> list[Path]:
    """Write the demo workbooks and ``manifest.csv`` into ``folder``; returns the files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.rglob("*"):
        if old.is_file() and old.suffix in (".xlsx", ".json"):
            old.unlink()
    register = load_register()
    rng = random.Random(seed)
    p = plan(today, months)
    units = [Units(f, register, rng) for f in register.inmate_facilities]
    all_months = p.months()
    current_year = p.latest.year
    monthly_from = add_months(p.latest, -11)  # the last twelve months arrive month by month, older ones as yearly files
    manifest: list[tuple[str, str, str]] = []
    written: list[Path] = []

    # own-library visit reports deliberately missing, and late reports last month
    late_rng = random.Random(seed + 1)
    codes = [u.f.code for u in units]
    recap_units = [c for c in codes if c not in SLIMS_UNITS]
    missing_visits = {(c, p.latest) for c in late_rng.sample(recap_units, 3)}
    renovated = late_rng.choice([c for c in recap_units if (c, p.latest) not in missing_visits])
    missing_visits |= {(renovated, add_months(p.latest, -k)) for k in (4, 5, 6)}
    late = set(late_rng.sample(codes, 3))

    def received_for(unit_code: str, month: dt.date, annual: bool) -> dt.date:
        if annual:
            return min(dt.date(month.year + 1, 1, 10), today)
        deadline = add_months(month, 1).replace(day=10)
        r = random.Random(f"{seed}|{unit_code}|{month}")
        if month == p.latest and unit_code in late:
            day = deadline + dt.timedelta(days=r.randint(2, 9))
        elif r.random() < 0.12:
            day = deadline + dt.timedelta(days=r.randint(1, 12))  # a late report now and then
        else:
            day = deadline - dt.timedelta(days=r.randint(0, 8))
        return min(day, today)

    def add(path: Path, unit_code: str, month: dt.date, annual: bool):
        written.append(path)
        who = STAFF[zlib.crc32(unit_code.encode()) % len(STAFF)] if unit_code else "sari"
        manifest.append((str(path.relative_to(folder)), received_for(unit_code, month, annual).isoformat(), who))

    for unit in units:
        code = unit.f.code
        groups: list[tuple[list[dt.date], bool, str]] = []
        for year in sorted({m.year for m in all_months if m < monthly_from}):
            groups.append(([m for m in all_months if m.year == year and m < monthly_from], True, f"{year}"))
        groups += [([m], False, f"{m:%Y-%m}") for m in all_months if m >= monthly_from]
        for ms, annual, label in groups:
            no_visits = frozenset(m for m in ms if (code, m) in missing_visits)
            sub = folder / (label[:4])
            if code in SLIMS_UNITS:
                path = sub / f"{code}_peminjaman_slims_{label}.xlsx"
                write_slims_loans(path, unit, ms, p, today)
                add(path, code, ms[-1], annual)
                path = sub / f"{code}_pengunjung_slims_{label}.xlsx"
                write_slims_visitors(path, unit, ms, p)
                add(path, code, ms[-1], annual)
                path = sub / f"{code}_pelatihan_{label}.xlsx"
                write_recap_workbook(path, unit, ms, p, register, visits=False, loans=False)
                add(path, code, ms[-1], annual)
            elif code in HANDMADE_UNITS:
                path = sub / f"{code}_laporan_perpustakaan_{label}.xlsx"
                write_handmade_workbook(path, unit, ms, p, no_visits=no_visits)
                add(path, code, ms[-1], annual)
            else:
                path = sub / f"{code}_rekap_literasi_{label}.xlsx"
                write_recap_workbook(path, unit, ms, p, register, no_visits=no_visits)
                add(path, code, ms[-1], annual)

    # Dispersip's own mobile-library visits: one workbook per month for all units it served
    pusling_rng = random.Random(seed + 2)
    for month in all_months:
        rows = pusling_rows(units, month, pusling_rng)
        path = folder / f"{month:%Y}" / f"dispersip_pusling_{month:%Y-%m}.xlsx"
        book = _book(path)
        add_table_sheet(book, DATASETS["visits"], register, rows=[_ordered("visits", r) for r in rows],
                        title=["DINAS PERPUSTAKAAN DAN KEARSIPAN PROVINSI KALIMANTAN SELATAN",
                               f"LAYANAN PERPUSTAKAAN KELILING KE LAPAS/RUTAN/LPKA - {_id_month(month).upper()}"])
        book.close()
        add(path, "", month, False)

    # a training for library managers, as an attendance list, in the first August of the window
    august = next((m for m in all_months if m.month == 8), None)
    if august:
        day = next(d for d in working_days(august) if d.weekday() == 1)  # a Tuesday
        path = folder / f"{august:%Y}" / f"dispersip_daftar_hadir_bimtek_{day:%Y-%m-%d}.xlsx"
        write_bimtek(path, units, day, random.Random(seed + 3))
        add(path, "", august, False)

    # the programme's own records: occupancy from the regional office, book packages, agreements
    for year in sorted({m.year for m in all_months}):
        months_of_year = [m for m in all_months if m.year == year]
        path = folder / f"{year}" / f"dispersip_hunian_{year}.xlsx"
        write_occupancy(path, units, months_of_year, random.Random(seed + 10 + year))
        add(path, "", months_of_year[-1], year < current_year)
        path = folder / f"{year}" / f"dispersip_paket_buku_{year}.xlsx"
        if write_packages(path, units, months_of_year, random.Random(seed + 20 + year)):
            add(path, "", months_of_year[-1], year < current_year)
    path = folder / "dispersip_perjanjian_kerja_sama.xlsx"
    write_agreements(path, units, p, today)
    written.append(path)
    manifest.append((str(path.relative_to(folder)), today.isoformat(), "sari"))

    (folder / MANIFEST).write_text(json.dumps(
        {f: {"received": r, "uploaded_by": u} for f, r, u in sorted(manifest)}, indent=1, ensure_ascii=False))
    return written


NO_OCCUPANCY = ("rutan-tanjung", "rutan-pelaihari")  # no figures: their rates show 'tanpa penyebut'
PACKAGE_UNITS = {"lapas-perempuan-martapura": 400, "lpka-martapura": 300, "lapas-banjarmasin": 200,
                 "lapas-narkotika-karang-intan": 250, "rutan-rantau": 150}
NO_AGREEMENT = "rutan-tanjung"      # never had one
LAPSED = "rutan-marabahan"          # ended 50 days ago, not renewed
EXPIRING = "lapas-perempuan-martapura"  # ends within the 60-day warning


def write_occupancy(path: Path, units: list[Units], months: list[dt.date], rng: random.Random) -> None:
    """Month-end occupancy from the regional office's database, for every unit but two."""
    register = load_register()
    rows = []
    for unit in units:
        if unit.f.code in NO_OCCUPANCY:
            continue
        capacity = next((o.capacity for o in register.occupancy if o.facility == unit.f.code and o.capacity), None)
        for month in months:
            end = add_months(month, 1) - dt.timedelta(days=1)
            drift = 1 + 0.04 * math.sin((month.year * 12 + month.month) / 3) + rng.uniform(-0.02, 0.02)
            rows.append({"facility": unit.f.official_name, "snapshot_date": end,
                         "occupants": max(10, int(unit.occupants * drift)), "capacity": capacity,
                         "source": "SDP Kanwil Kalsel"})
    book = _book(path)
    add_table_sheet(book, DATASETS["occupancy"], load_register(), rows=[_ordered("occupancy", r) for r in rows],
                    title=["DATA HUNIAN UPT PEMASYARAKATAN SE-KALIMANTAN SELATAN", f"TAHUN {months[0].year}"])
    book.close()


def write_packages(path: Path, units: list[Units], months: list[dt.date], rng: random.Random) -> bool:
    """Rotating packages: a first delivery, then a swap every three months (the old
    package taken back, a new one brought); Lapas Perempuan's weekly swaps in May."""
    rows = []
    for unit in units:
        size = PACKAGE_UNITS.get(unit.f.code)
        if not size:
            continue
        for month in months:
            if (month.month - 1) % 3:
                continue
            day = working_days(month)[1]
            first = month == months[0] and month.year == min(m.year for m in months) and month.month <= 3
            rows.append({"facility": unit.f.official_name, "package_date": day, "books_delivered": size,
                         "books_returned": None if first else size, "package_label": f"Paket {month:%m/%Y}"})
        if unit.f.code == "lapas-perempuan-martapura":
            may = next((m for m in months if m.month == 5), None)
            if may:
                for week, day in enumerate([d for d in working_days(may) if d.weekday() == 0][:4], start=1):
                    rows.append({"facility": unit.f.official_name, "package_date": day, "books_delivered": 400,
                                 "books_returned": 400, "package_label": f"Paket mingguan {week}"})
    if not rows:
        return False
    rows.sort(key=lambda r: (r["package_date"], r["facility"]))
    book = _book(path)
    add_table_sheet(book, DATASETS["packages"], load_register(), rows=[_ordered("packages", r) for r in rows],
                    title=["DINAS PERPUSTAKAAN DAN KEARSIPAN PROVINSI KALIMANTAN SELATAN",
                           "PAKET BUKU BERGILIR KE LAPAS/RUTAN/LPKA"])
    book.close()
    return True


def write_agreements(path: Path, units: list[Units], p: Plan, today: dt.date) -> None:
    """One PKS a year per unit since the year before the window; one unit never had
    one, one let its agreement lapse, one is about to end."""
    rows = []
    for unit in units:
        code = unit.f.code
        if code == NO_AGREEMENT:
            continue
        start_month = 2 if code == "lapas-narkotika-karang-intan" else 1 + zlib.crc32(code.encode()) % 12
        valid_from = dt.date(p.start.year - 1, start_month, 5)
        k = 1
        lapse = today - dt.timedelta(days=50)
        while valid_from <= (lapse if code == LAPSED else today):
            valid_until = dt.date(valid_from.year + 1, valid_from.month, valid_from.day) - dt.timedelta(days=1)
            if code == LAPSED and valid_until >= lapse:
                valid_until = lapse
            if code == EXPIRING and valid_until >= today:
                valid_until = today + dt.timedelta(days=40)
            rows.append({"facility": unit.f.official_name,
                         "number_dispersip": f"{100 + k:03d}/PKS/DISPERSIP/{valid_from.year}",
                         "number_facility": f"W15.PAS.{k}-HM.05/{valid_from.year}",
                         "signed_on": valid_from - dt.timedelta(days=3), "valid_from": valid_from,
                         "valid_until": valid_until,
                         "scope": "bahan bacaan, perpustakaan keliling, peminjaman buku, pelatihan WBP"
                                  + (", pelatihan pengelola perpustakaan" if k % 2 else "")})
            valid_from = valid_until + dt.timedelta(days=1)
            k += 1
    book = _book(path)
    add_table_sheet(book, DATASETS["agreements"], load_register(), rows=[_ordered("agreements", r) for r in rows],
                    title=["DAFTAR PERJANJIAN KERJA SAMA LAYANAN PERPUSTAKAAN", "DISPERSIP KALSEL DENGAN UPT PEMASYARAKATAN"])
    book.close()


MANIFEST = "manifest.json"  # not a spreadsheet, so loading the folder skips it


def read_manifest(folder: Path) -> dict[str, tuple[dt.date, str]]:
    path = Path(folder) / MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f: (dt.date.fromisoformat(v["received"]), v["uploaded_by"]) for f, v in data.items()}

