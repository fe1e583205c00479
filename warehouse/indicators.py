"""The indicators the dashboard shows: name, formula, standard code, the
settings each depends on and where it is computed (``module.NAME`` in
``warehouse/``: the function, or the SQL, that defines the figure; a test checks
that each resolves). The Definisi Indikator page lists them from here, and
every constant they use is a setting (``warehouse.settings``), not code. This
module computes nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    name_id: str
    name_en: str
    formula_id: str
    formula_en: str
    code: str            # ISO 11620 / PAKPI 2021 code, or '' where none applies
    settings: tuple[str, ...]
    where: str           # the function or SQL that computes it: module.NAME within warehouse/

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id

    def formula(self, lang: str) -> str:
        return self.formula_en if lang == "en" else self.formula_id


INDICATORS: tuple[Indicator, ...] = (
    Indicator("loans", "Peminjaman", "Loans",
              "Jumlah peminjaman dalam periode: satu per baris peminjaman, atau angka 'Jumlah Peminjaman' pada baris "
              "rekap; hanya dari batch yang berlaku.",
              "Number of loans in the period: one per loan row, or the 'Number of Loans' of a recap row; from the "
              "batches in force only.", "", (), "marts.ACTIVITY"),
    Indicator("loans_per_capita", "Peminjaman per 100 WBP per bulan", "Loans per 100 inmates per month",
              "PANTAU_RATE_BASE × Σ peminjaman ÷ Σ penghuni, atas bulan-bulan yang punya laporan dan data hunian "
              "(penghuni = angka hunian terakhir yang bertanggal pada atau sebelum akhir bulan).",
              "PANTAU_RATE_BASE × Σ loans ÷ Σ occupants, over the months with both a report and an occupancy figure "
              "(occupants = the latest figure dated on or before the month's end).",
              "ISO 11620 B.2.1.2 / PAKPI: peminjaman per kapita", ("PANTAU_RATE_BASE",), "metrics.ratio"),
    Indicator("turnover", "Perputaran koleksi paket", "Package collection turnover",
              "Peminjaman di bulan-bulan ada paket ÷ rata-rata buku paket yang dititipkan (kiriman dikurangi yang "
              "ditarik kembali, kumulatif).",
              "Loans in the months a package was on deposit ÷ mean books on deposit (deliveries minus books taken "
              "back, cumulative).", "ISO 11620 B.2.1.1 / PAKPI: perputaran koleksi", (), "packages.turnover"),
    Indicator("visits_per_capita", "Pengunjung per 100 WBP per bulan", "Visitors per 100 inmates per month",
              "PANTAU_RATE_BASE × Σ pengunjung ÷ Σ penghuni, dihitung terpisah untuk perpustakaan UPT dan pusling.",
              "PANTAU_RATE_BASE × Σ visitors ÷ Σ occupants, separately for the own library and the mobile library.",
              "ISO 11620 B.2.2.1 / PAKPI: kunjungan per kapita; dekat dengan IPLM UPLM4", ("PANTAU_RATE_BASE",),
              "metrics.ratio"),
    Indicator("visitors_per_day", "Pengunjung per hari layanan", "Visitors per service day",
              "Pengunjung perpustakaan ÷ jumlah hari buka (tanggal kunjungan yang berbeda, atau kolom 'Hari Layanan' "
              "pada rekap bulanan); pusling ÷ jumlah kunjungan mobil.",
              "Library visitors ÷ days open (distinct visit dates, or the 'Service Days' of a monthly total); mobile "
              "library ÷ number of calls.", "", (), "metrics.visits_per_day"),
    Indicator("active_borrowers", "Peminjam aktif (% WBP)", "Active borrowers (% of inmates)",
              "Peminjam berbeda dalam periode (menurut kode samaran) ÷ rata-rata penghuni, hanya di fasilitas yang "
              "mengirim data per peminjaman dengan ID anggota.",
              "Distinct borrowers in the period (by pseudonymous key) ÷ mean occupancy, only in facilities that send "
              "one row per loan with member ids.", "PAKPI: persentase pemustaka aktif", (), "metrics.kpis"),
    Indicator("training_per_capita", "Peserta pelatihan per 100 WBP per bulan",
              "Training participants per 100 inmates per month",
              "PANTAU_RATE_BASE × Σ peserta ÷ Σ penghuni. Satu sesi yang dilaporkan di rekap dan di daftar hadirnya "
              "dihitung sekali, dengan jumlah peserta daftar hadir.",
              "PANTAU_RATE_BASE × Σ participants ÷ Σ occupants. A session reported in a recap and by its attendance "
              "list counts once, with the list's head count.", "TPBIS: peserta kegiatan; dekat dengan IPLM UPLM6",
              ("PANTAU_RATE_BASE",), "marts.TRAINING_SESSIONS"),
    Indicator("over_capacity", "Hunian di atas kapasitas", "Occupancy over capacity",
              "Penghuni ÷ kapasitas − 1, dari angka hunian yang berlaku.", "Occupants ÷ capacity − 1, from the "
              "occupancy figure in force.", "", (), "metrics.occupancy"),
    Indicator("completeness", "Kelengkapan laporan", "Report completeness",
              "Laporan yang masuk ÷ laporan yang sudah jatuh tempo. Laporan yang diharapkan: setiap UPT yang "
              "menampung WBP mengirim tiga laporan per bulan (peminjaman, kunjungan perpustakaan UPT, pelatihan) "
              "untuk setiap bulan ia aktif menurut register fasilitas, paling lambat pada tanggal batas pelaporan di "
              "bulan berikutnya. Bulan yang ditandai staf sebagai tutup (untuk satu jenis laporan atau semua, mis. "
              "perpustakaan tutup renovasi) tidak diharapkan laporannya: aktivitasnya nol, bukan laporan yang belum "
              "masuk, dan bulan itu tidak dihitung dalam kelengkapan maupun daftar tagihan.",
              "Reports received ÷ reports due. The reports expected: every unit holding inmates sends three reports "
              "a month (loans, visits to its own library, training) for each month it is active in the facility "
              "register, by the reporting deadline in the following month. A month staff have marked closed (for one "
              "report or all of them, e.g. library closed for renovation) expects no report: its activity is zero, "
              "not a missing report, and the month counts neither in completeness nor in the reports to chase.",
              "", ("PANTAU_REPORT_DEADLINE_DAY",), "completeness.matrix"),
    Indicator("agreement_status", "Status PKS", "Agreement status",
              "Berlaku; segera berakhir (berakhir dalam PANTAU_AGREEMENT_WARN_DAYS hari, hari ini termasuk); sudah "
              "berakhir (PKS terakhir berakhir sebelum hari ini); tidak ada.",
              "Active; expiring (ends within PANTAU_AGREEMENT_WARN_DAYS days, today included); expired (the last one "
              "ended before today); none.", "", ("PANTAU_AGREEMENT_WARN_DAYS",), "agreements.status"),
    # ---- prov
    Indicator("reporting", "Fasilitas melapor (per laporan)", "Facilities reporting (per report)",
              "Per laporan (peminjaman, kunjungan perpustakaan UPT, pelatihan) dan bulan: UPT yang laporannya sudah "
              "masuk ÷ UPT yang diharapkan melapor (aktif di register dan tidak ditandai tutup bulan itu), mis. "
              "peminjaman 13/15. Untuk satu periode: UPT yang semua laporannya untuk bulan-bulan periode sudah masuk.",
              "Per report (loans, own-library visits, training) and month: units whose report has arrived ÷ units "
              "expected to report (active in the register and not marked closed that month), e.g. loans 13/15. For "
              "a period: units whose every report for the period's months arrived.", "",
              ("PANTAU_REPORT_DEADLINE_DAY",), "provisional.period"),
    Indicator("provisional", "Bulan sementara", "Provisional month",
              "Sebuah bulan bersifat sementara untuk satu laporan selama masih ada laporan wajib yang belum masuk "
              "(sudah lewat tenggat atau belum jatuh tempo); angka, grafik dan laporan menandainya 'sementara' dan "
              "menyebut UPT yang belum melapor.",
              "A month is provisional for a report while any report owed for it has not arrived (past its deadline "
              "or not yet due); figures, charts and reports mark it 'provisional' and name the units outstanding.",
              "", ("PANTAU_REPORT_DEADLINE_DAY",), "provisional.by_month"),
    Indicator("like_for_like", "Perubahan sebanding", "Like-for-like change",
              "Σ angka periode ÷ Σ angka periode pembanding − 1, hanya atas UPT dan bulan yang punya angka itu di "
              "kedua periode (tiap bulan dipasangkan dengan bulan yang sama panjang sebelumnya, atau 12 bulan "
              "sebelumnya); total mentah tetap ditampilkan. Untuk periode 12 bulan kedua pembanding sama.",
              "Σ figure of the period ÷ Σ figure of the reference period − 1, only over the units and months with "
              "the figure in both periods (each month paired with the month one period length, or 12 months, "
              "earlier); the raw totals stay shown. For a 12-month period both references are the same.", "", (),
              "metrics.LIKE_FOR_LIKE"),
    Indicator("anomaly", "Perlu dicek (angka tidak biasa)", "Needs a check (unusual figure)",
              "Angka peminjaman dan kunjungan sebuah UPT dalam sebulan dibandingkan dengan kebiasaan UPT itu sendiri: "
              "nilai tengah (median) 12 bulan lapor sebelumnya, disesuaikan musim bila bulan yang sama sudah "
              "dilaporkan dua tahun sebelumnya. Angka ditandai bila jauh di luar sebaran biasanya (lebih dari "
              "PANTAU_ANOMALY_LIMIT kali simpangan median) dan sekaligus turun ke separuh atau kurang, nol, atau naik "
              "hampir dua kali lipat atau lebih (PANTAU_ANOMALY_MIN_CHANGE). UPT dengan kurang dari "
              "PANTAU_ANOMALY_MIN_MONTHS bulan riwayat, atau yang biasanya melapor di bawah PANTAU_ANOMALY_MIN_LEVEL, "
              "tidak diperiksa. Tanda tetap terbuka sampai pengunggah atau admin mengonfirmasinya dengan catatan, atau "
              "datanya diganti.",
              "A unit's loans and visits in a month are compared with the unit's own usual level: the median of its "
              "previous 12 reported months, adjusted for the season when the same month was reported in two earlier "
              "years. A figure is flagged when it lies far outside its usual spread (more than PANTAU_ANOMALY_LIMIT "
              "median deviations) and at the same time falls to half or less, to zero, or rises to almost double or "
              "more (PANTAU_ANOMALY_MIN_CHANGE). Units with fewer than PANTAU_ANOMALY_MIN_MONTHS months of history, "
              "or that usually report less than PANTAU_ANOMALY_MIN_LEVEL, are not checked. A flag stays open until "
              "the uploader or an admin confirms it with a note, or the data is replaced.", "",
              ("PANTAU_ANOMALY_LIMIT", "PANTAU_ANOMALY_MIN_CHANGE", "PANTAU_ANOMALY_MIN_MONTHS",
               "PANTAU_ANOMALY_MIN_LEVEL"), "anomaly.is_anomaly"),
)
