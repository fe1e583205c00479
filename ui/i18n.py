"""Every text the pages show, in Indonesian and English.

The language is the ``lang`` widget in the sidebar (bound to the URL), read
through :func:`lang`; :func:`t` looks a key up in :data:`TEXT`.
"""

from __future__ import annotations

import streamlit as st

from etl.i18n import normalise_lang, translate

TEXT: dict[str, tuple[str, str]] = {
    # ---- app and navigation
    "app_title": ("Pantau Literasi", "Pantau Literasi"),
    "app_subtitle": ("Layanan perpustakaan di Lapas, Rutan dan LPKA Kalimantan Selatan",
                     "Library services in the prisons, remand centres and juvenile facility of South Kalimantan"),
    "section_overview": ("Ikhtisar", "Overview"),
    "section_services": ("Layanan", "Services"),
    "section_data": ("Data", "Data"),
    "section_programme": ("Program", "Programme"),
    "section_admin": ("Admin", "Admin"),
    "page_overview": ("Ringkasan", "Summary"),
    "page_facility": ("Fasilitas", "Facility"),
    "page_loans": ("Peminjaman", "Loans"),
    "page_visits": ("Kunjungan", "Visits"),
    "page_training": ("Pelatihan", "Training"),
    "preparing": ("Menyiapkan gudang data (start pertama memuat data demo, sekitar satu menit)...",
                  "Preparing the warehouse (a first start loads the demo data, about a minute)..."),
    # ---- sidebar
    "language": ("Bahasa", "Language"),
    "period": ("Periode", "Period"),
    "preset": ("Pilihan cepat", "Quick pick"),
    "preset_month": ("Bulan ini", "This month"),
    "preset_quarter": ("Kuartal ini", "This quarter"),
    "preset_year": ("Tahun ini", "This year"),
    "preset_12": ("12 bulan terakhir", "Last 12 months"),
    "preset_all": ("Semua data", "All data"),
    "month_from": ("Dari bulan", "From month"),
    "month_to": ("Sampai bulan", "To month"),
    "period_note": ("'Bulan ini' adalah bulan laporan terakhir: {month}.",
                    "'This month' is the latest reporting month: {month}."),
    "facility_type": ("Jenis UPT", "Unit type"),
    "regency": ("Kabupaten/Kota", "Regency/City"),
    "facilities": ("Fasilitas", "Facilities"),
    "all": ("Semua", "All"),
    "in_view": ("{n} fasilitas dalam tampilan", "{n} facilities in view"),
    "data_loaded": ("Data terakhir berubah: {when}", "Data last changed: {when}"),
    "swapped": ("'Dari' sesudah 'Sampai': keduanya ditukar.", "'From' was after 'To': they were swapped."),
    # ---- empty states
    "no_data_title": ("Belum ada data", "No data yet"),
    "no_data_body": (
        "Gudang data masih kosong. Muat laporan bulanan dengan `python -m etl load FOLDER` "
        "(atau halaman **Unggah Data**), atau data demo dengan `python -m etl demo`.",
        "The warehouse is empty. Load the monthly reports with `python -m etl load FOLDER` "
        "(or the **Upload** page), or demo data with `python -m etl demo`."),
    "no_facilities": ("Tidak ada fasilitas yang cocok dengan filter. Kosongkan filter Jenis UPT, Kabupaten/Kota atau "
                      "Fasilitas di samping.",
                      "No facility matches the filters. Clear the unit type, regency or facility filter in the sidebar."),
    "nothing_in_period": ("Tidak ada laporan untuk periode dan fasilitas ini. Pilih periode lain di samping.",
                          "No reports for this period and these facilities. Pick another period in the sidebar."),
    "facility_no_reports": ("{name} belum pernah mengirim laporan. Laporan pertama bisa dimuat lewat halaman "
                            "**Unggah Data** atau `python -m etl load`.",
                            "{name} has never sent a report. Load its first report on the **Upload** page or with "
                            "`python -m etl load`."),
    "facility_none_in_period": ("{name} tidak mengirim laporan untuk periode ini; laporan terakhirnya di bawah.",
                                "{name} sent no report for this period; its latest reports are below."),
    # ---- KPIs
    "kpi_loans": ("Peminjaman", "Loans"),
    "kpi_borrowers": ("Peminjam aktif", "Active borrowers"),
    "kpi_borrowers_help": ("Peminjam berbeda (dihitung dari kode samaran) di {n} fasilitas yang mengirim data per "
                           "peminjaman; rekap bulanan tidak punya ID sehingga tidak ikut.",
                           "Distinct borrowers (counted by pseudonymous key) in the {n} facilities that send one row "
                           "per loan; monthly recaps carry no ids and are left out."),
    "kpi_visitors_library": ("Pengunjung perpustakaan", "Library visitors"),
    "kpi_visitors_pusling": ("Pengunjung pusling", "Mobile-library visitors"),
    "kpi_sessions": ("Sesi pelatihan", "Training sessions"),
    "kpi_participants": ("Peserta pelatihan", "Training participants"),
    "kpi_reported": ("Fasilitas melapor", "Facilities reporting"),
    "vs_previous": ("vs periode lalu", "vs previous period"),
    "vs_last_year": ("vs periode sama tahun lalu: {delta}", "vs same period last year: {delta}"),
    "no_comparison": ("tanpa pembanding", "no comparison"),
    # ---- overview
    "overview_title": ("Ringkasan aktivitas membaca", "Reading activity at a glance"),
    "trend_title": ("Tren bulanan semua fasilitas dalam tampilan", "Monthly trend of all facilities in view"),
    "ranking_title": ("Peringkat fasilitas", "Facility ranking"),
    "ranking_help": ("Pilih satu baris (atau klik batang/titik di grafik) untuk membuka halaman fasilitasnya dengan "
                     "periode yang sama.",
                     "Select a row (or click a bar or point in a chart) to open that facility's page for the same "
                     "period."),
    "map_title": ("Peta fasilitas menurut jumlah peminjaman", "Facilities by number of loans"),
    "map_offline": ("Ubin peta tidak terjangkau dari server ini, jadi titik ditampilkan pada koordinat tanpa peta "
                    "dasar.", "Map tiles are unreachable from this server, so points are drawn on plain coordinates."),
    "longitude": ("Bujur", "Longitude"),
    "latitude": ("Lintang", "Latitude"),
    "no_report": ("tanpa laporan", "no report"),
    "reported_months": ("{n} dari {m} bulan", "{n} of {m} months"),
    # ---- columns and series
    "col_facility": ("Fasilitas", "Facility"),
    "col_type": ("Jenis", "Type"),
    "col_regency": ("Kabupaten/Kota", "Regency/City"),
    "col_month": ("Bulan", "Month"),
    "col_loans": ("Peminjaman", "Loans"),
    "col_visitors": ("Pengunjung", "Visitors"),
    "col_visitors_library": ("Pengunjung perpustakaan", "Library visitors"),
    "col_visitors_pusling": ("Pengunjung pusling", "Mobile-library visitors"),
    "col_sessions": ("Sesi", "Sessions"),
    "col_participants": ("Peserta", "Participants"),
    "col_participants_l": ("Peserta L", "Participants M"),
    "col_participants_p": ("Peserta P", "Participants F"),
    "col_reported": ("Bulan melapor", "Months reported"),
    "col_trend": ("Tren peminjaman", "Loans trend"),
    "col_open": ("Buka", "Open"),
    "col_category": ("Kategori", "Category"),
    "col_title": ("Judul", "Title"),
    "col_rank": ("Peringkat", "Rank"),
    "col_returned": ("Dikembalikan", "Returned"),
    "col_on_loan": ("Masih dipinjam", "Still on loan"),
    "col_overdue": ("Terlambat", "Overdue"),
    "col_with_status": ("Pinjaman berstatus", "Loans with status"),
    "col_service": ("Layanan", "Service"),
    "col_group": ("Kelompok pengunjung", "Visitor group"),
    "col_days_library": ("Hari buka perpustakaan", "Library open days"),
    "col_per_day": ("Pengunjung per hari buka", "Visitors per open day"),
    "col_days_pusling": ("Kunjungan pusling", "Mobile-library calls"),
    "col_per_call": ("Pengunjung per kunjungan pusling", "Visitors per mobile-library call"),
    "col_topic": ("Topik", "Topic"),
    "col_audience": ("Sasaran", "Audience"),
    "col_organiser": ("Penyelenggara", "Organiser"),
    "col_partner": ("Mitra", "Partner"),
    "col_start": ("Mulai", "Start"),
    "col_end": ("Selesai", "End"),
    "col_place": ("Tempat", "Place"),
    "col_source": ("Sumber", "Source"),
    "col_dataset": ("Data", "Dataset"),
    "col_last_month": ("Bulan terakhir", "Latest month"),
    "col_received": ("Diterima", "Received"),
    "col_by": ("Diunggah oleh", "Uploaded by"),
    "col_file": ("Berkas", "File"),
    "col_rolling": ("Rata-rata 12 bulan", "12-month average"),
    "series_library": ("Perpustakaan UPT", "Own library"),
    "series_pusling": ("Pusling Dispersip", "Dispersip mobile library"),
    "audience_wbp": ("WBP", "Inmates"),
    "audience_pengelola": ("Pengelola perpustakaan", "Library managers"),
    "audience_tidak disebut": ("Tidak disebut", "Not stated"),
    "group_wbp": ("WBP", "Inmates"),
    "group_petugas": ("Petugas", "Staff"),
    "group_anak": ("Anak", "Juveniles"),
    "group_umum": ("Umum", "Public"),
    "group_lainnya": ("Lainnya", "Other"),
    "group_tidak disebut": ("Tidak disebut", "Not stated"),
    "gender_l": ("Laki-laki", "Male"),
    "gender_p": ("Perempuan", "Female"),
    "service_perpustakaan": ("Perpustakaan UPT", "Own library"),
    "service_pusling": ("Pusling Dispersip", "Dispersip mobile library"),
    "dataset_loans": ("Peminjaman", "Loans"),
    "dataset_visits": ("Kunjungan", "Visits"),
    "dataset_training": ("Pelatihan", "Training"),
    "dataset_attendance": ("Daftar hadir", "Attendance list"),
    # ---- facility page
    "facility_pick": ("Pilih fasilitas", "Choose a facility"),
    "facility_title": ("{name}", "{name}"),
    "facility_meta": ("{official} · {type} kelas {klass} · {regency}", "{official} · {type} class {klass} · {regency}"),
    "facility_series_loans": ("Peminjaman per bulan", "Loans per month"),
    "facility_series_visits": ("Pengunjung per bulan", "Visitors per month"),
    "facility_series_training": ("Peserta pelatihan per bulan", "Training participants per month"),
    "facility_gaps": ("Bulan tanpa laporan tampil sebagai celah, bukan nol.",
                      "Months without a report show as gaps, not zeros."),
    "facility_series_span": ("Grafik bulanan menampilkan {span} agar trennya terlihat.",
                             "The monthly charts show {span} so the trend is visible."),
    "facility_categories": ("Peminjaman menurut kategori", "Loans by category"),
    "facility_last_reports": ("Laporan terakhir yang diterima", "Latest reports received"),
    "facility_sessions": ("Sesi pelatihan", "Training sessions"),
    # ---- loans page
    "loans_title": ("Peminjaman", "Loans"),
    "loans_heatmap": ("Peminjaman per fasilitas dan bulan", "Loans per facility and month"),
    "loans_heatmap_help": ("Sel kosong = bulan tanpa laporan peminjaman.", "Empty cell = month without a loans report."),
    "loans_categories": ("Peminjaman menurut kategori dari waktu ke waktu", "Loans by category over time"),
    "loans_top_titles": ("Judul paling banyak dipinjam per fasilitas", "Most borrowed titles per facility"),
    "loans_top_titles_help": ("Hanya judul buku; identitas peminjam tidak pernah disimpan.",
                              "Titles only; borrowers' identities are never stored."),
    "loans_returns": ("Pengembalian dan keterlambatan", "Returns and overdue loans"),
    "loans_returns_help": ("Hanya untuk fasilitas yang datanya memuat status pinjam (mis. ekspor SLiMS). Terlambat = "
                           "dikembalikan sesudah jatuh tempo, atau belum kembali padahal jatuh tempo sudah lewat "
                           "saat laporan dimuat.",
                           "Only for facilities whose data carries a loan status (e.g. SLiMS exports). Overdue = "
                           "returned after the due date, or not back although the due date had passed when the report "
                           "was loaded."),
    "loans_no_status": ("Belum ada data dengan status pinjam pada periode ini.",
                        "No data with a loan status in this period."),
    # ---- visits page
    "visits_title": ("Kunjungan perpustakaan", "Library visits"),
    "visits_services": ("Perpustakaan UPT dan pusling Dispersip", "Own library and Dispersip's mobile library"),
    "visits_by_facility": ("Pengunjung per fasilitas dan layanan", "Visitors per facility and service"),
    "visits_per_day": ("Pengunjung per hari layanan", "Visitors per service day"),
    "visits_per_day_help": ("Pengunjung perpustakaan dibagi jumlah hari buka (dari tanggal kunjungan atau kolom 'Hari "
                            "Layanan'); pusling dibagi jumlah kunjungan mobil pusling.",
                            "Library visitors divided by the days it was open (from visit dates or the 'Service Days' "
                            "column); mobile library divided by the number of calls."),
    "visits_groups": ("Pengunjung menurut kelompok", "Visitors by group"),
    # ---- training page
    "training_title": ("Pelatihan dan kegiatan literasi", "Training and literacy activities"),
    "training_by_topic": ("Menurut topik", "By topic"),
    "training_by_audience": ("Menurut sasaran", "By audience"),
    "training_by_organiser": ("Menurut penyelenggara", "By organiser"),
    "training_by_facility": ("Menurut fasilitas", "By facility"),
    "training_gender": ("Peserta menurut jenis kelamin", "Participants by gender"),
    "training_timeline": ("Linimasa sesi", "Session timeline"),
    "training_list": ("Daftar sesi", "Session list"),
    "kpi_participants_l": ("Peserta laki-laki", "Male participants"),
    "kpi_participants_p": ("Peserta perempuan", "Female participants"),
    # ---- downloads
    "download": ("Unduh data", "Download data"),
    "download_csv": ("CSV", "CSV"),
    "download_xlsx": ("Excel (xlsx)", "Excel (xlsx)"),
}


def lang() -> str:
    return normalise_lang(st.session_state.get("lang", "id"))


def t(key: str, **kw) -> str:
    return translate(TEXT, key, lang(), **kw)


def label(prefix: str, value) -> str:
    """A translated label for a stored code (``group_wbp``), or the value itself."""
    if value is None or value != value:  # None or NaN
        return ""
    key = f"{prefix}_{value}"
    return t(key) if key in TEXT else str(value)
