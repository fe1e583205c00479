"""Every text the pages show, in Indonesian and English.

The language is the ``lang`` widget in the sidebar (bound to the URL), read
through :func:`lang`; :func:`t` looks a key up in :data:`TEXT`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from etl.i18n import normalise_lang, translate
from warehouse import settings

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
    # ---- sign-in and roles
    "login_title": ("Masuk", "Sign in"),
    "login_username": ("Nama pengguna", "User name"),
    "login_password": ("Kata sandi", "Password"),
    "login_button": ("Masuk", "Sign in"),
    "login_sso": ("Masuk dengan SSO", "Sign in with SSO"),
    "login_help": ("Belum punya akun? Minta admin membuatkannya (halaman Akun atau `python -m etl users add`).",
                   "No account yet? Ask an admin to create one (Accounts page or `python -m etl users add`)."),
    "sso_unknown": ("Alamat {email} belum terdaftar di Pantau Literasi; minta admin menambahkannya.",
                    "The address {email} is not registered in Pantau Literasi; ask an admin to add it."),
    "signed_in_as": ("Masuk sebagai {name} ({role})", "Signed in as {name} ({role})"),
    "logout": ("Keluar", "Sign out"),
    "role_viewer": ("pemirsa", "viewer"),
    "role_staff": ("staf", "staff"),
    "role_admin": ("admin", "admin"),
    "not_allowed": ("Halaman atau tindakan ini hanya untuk peran {role} ke atas. Minta admin bila Anda memerlukannya.",
                    "This page or action is for the {role} role and above. Ask an admin if you need it."),
    "page_login": ("Masuk", "Sign in"),
    "page_upload": ("Unggah Data", "Upload"),
    "page_history": ("Riwayat Unggah", "Upload history"),
    "page_accounts": ("Akun", "Accounts"),
    "page_audit": ("Log Audit", "Audit log"),
    # ---- upload
    "upload_title": ("Unggah laporan bulanan", "Upload the monthly reports"),
    "upload_intro": ("Seret berkas xlsx, xls, ods atau csv ke bawah (boleh beberapa sekaligus). Setiap berkas diperiksa "
                     "dulu; tidak ada yang disimpan sebelum Anda memilih memuatnya.",
                     "Drop xlsx, xls, ods or csv files below (several at once). Each file is checked first; nothing "
                     "is saved until you choose to load it."),
    "upload_files": ("Berkas laporan", "Report files"),
    "upload_facility": ("Fasilitas untuk berkas tanpa kolom fasilitas (mis. ekspor SLiMS)",
                        "Facility for files without a facility column (e.g. SLiMS exports)"),
    "upload_facility_none": ("— dari isi berkas —", "— from the file itself —"),
    "upload_received": ("Tanggal laporan diterima", "Date the report was received"),
    "upload_templates": ("Templat kosong", "Blank templates"),
    "upload_templates_help": ("Templat berisi judul kolom, daftar pilihan (fasilitas, kategori, L/P) dan petunjuk.",
                              "Templates carry the headers, drop-down lists (facility, category, L/P) and instructions."),
    "upload_clear": ("Kosongkan daftar berkas", "Clear the file list"),
    "reading": ("Membaca {name}...", "Reading {name}..."),
    "checked": ("Selesai diperiksa", "Checked"),
    "loading": ("Memuat ke gudang data...", "Loading into the warehouse..."),
    "loaded": ("Dimuat", "Loaded"),
    "recognised": ("**{dataset}** · {coverage} · {valid} baris valid, {refused} bermasalah",
                   "**{dataset}** · {coverage} · {valid} valid rows, {refused} with problems"),
    "preview": ("Pratinjau {n} baris pertama, kolom sesudah dipetakan (nama sudah dibuang, ID sudah disamarkan)",
                "Preview of the first {n} rows, columns as mapped (names dropped, ids pseudonymised)"),
    "col_row": ("Baris", "Row"),
    "report_summary": ("Laporan pemeriksaan: {errors} galat, {warnings} peringatan, {notes} catatan.",
                       "Validation report: {errors} errors, {warnings} warnings, {notes} notes."),
    "report_download": ("Unduh laporan pemeriksaan (xlsx)", "Download the validation report (xlsx)"),
    "already_there": ("Data {dataset} {facility} {month} sudah ada: diunggah {when} oleh {who} (batch #{batch}). Ganti?",
                      "{dataset} data for {facility} {month} already exists: uploaded {when} by {who} (batch #{batch}). "
                      "Replace?"),
    "and_more": ("... dan {n} lagi.", "... and {n} more."),
    "confirm_replace": ("Ya, ganti data yang sudah ada (yang lama tetap tersimpan dan bisa dipakai lagi)",
                        "Yes, replace the existing data (the old batch is kept and can be restored)"),
    "same_file": ("Berkas yang sama sudah pernah dimuat; tidak ada yang perlu dilakukan.",
                  "The same file was loaded before; there is nothing to do."),
    "load_all": ("Muat semua", "Load all"),
    "load_valid": ("Muat baris valid saja", "Load the valid rows only"),
    "cancel": ("Batal", "Cancel"),
    "cancelled": ("Dibatalkan; berkas ini tidak dimuat.", "Cancelled; this file was not loaded."),
    "loaded_summary": ("Dimuat sebagai {n} batch ({ids}): {rows} baris dimuat, {refused} ditolak. Semua halaman sudah "
                       "menampilkan angka baru.",
                       "Loaded as {n} batch(es) ({ids}): {rows} rows loaded, {refused} refused. Every page shows the "
                       "new figures now."),
    # ---- history
    "history_title": ("Riwayat unggah", "Upload history"),
    "history_intro": ("Setiap berkas yang dimuat adalah satu batch per jenis data. Pilih batch di bawah tabel untuk "
                      "mengunduh berkas aslinya atau baris yang ditolak, membatalkannya, atau memakai lagi batch yang "
                      "digantikan.",
                      "Every loaded file is one batch per dataset. Choose a batch under the table to download its "
                      "original file or refused rows, undo it, or restore a superseded batch."),
    "history_mine": ("Hanya unggahan saya", "Only my uploads"),
    "history_empty": ("Belum ada batch.", "No batches yet."),
    "history_pick": ("Batch yang akan dilihat atau diubah", "Batch to look at or change"),
    "history_pick_placeholder": ("Pilih batch...", "Choose a batch..."),
    "col_batch": ("Batch", "Batch"),
    "col_loaded_at": ("Diunggah", "Uploaded"),
    "col_first_month": ("Bulan awal", "First month"),
    "col_cells": ("Fasilitas-bulan", "Facility-months"),
    "col_rows_loaded": ("Baris dimuat", "Rows loaded"),
    "col_rows_rejected": ("Baris ditolak", "Rows refused"),
    "col_status": ("Status", "Status"),
    "status_active": ("berlaku", "active"),
    "status_partial": ("sebagian digantikan", "partly superseded"),
    "status_superseded": ("digantikan", "superseded"),
    "status_undone": ("dibatalkan", "undone"),
    "batch_title": ("Batch #{id} · {file}", "Batch #{id} · {file}"),
    "batch_caption": ("{dataset} · diunggah oleh {who}, {when} · {facilities} · {span} · status: {status}",
                      "{dataset} · uploaded by {who}, {when} · {facilities} · {span} · status: {status}"),
    "download_original": ("Unduh berkas asli", "Download the original file"),
    "original_gone": ("Berkas asli tidak disimpan lagi (dihapus setelah {days} hari karena memuat nama).",
                      "The original file is no longer kept (purged after {days} days because it holds names)."),
    "download_rejected": ("Unduh baris yang ditolak (xlsx)", "Download the refused rows (xlsx)"),
    "batch_undone": ("Batch ini dibatalkan oleh {who} pada {when}.", "This batch was undone by {who} on {when}."),
    "batch_not_yours": ("Hanya pengunggahnya atau admin yang boleh membatalkan atau memakai lagi batch ini.",
                        "Only its uploader or an admin may undo or restore this batch."),
    "undo_help": ("**Batalkan batch.** Angkanya hilang dari dasbor; di bulan yang tadinya dilaporkan batch lain, batch "
                  "itu berlaku lagi.",
                  "**Undo the batch.** Its figures leave the dashboard; where it replaced another batch, that one "
                  "comes back."),
    "undo_confirm": ("Saya yakin membatalkan batch #{id}", "I am sure I want to undo batch #{id}"),
    "undo_button": ("Batalkan batch", "Undo batch"),
    "undo_done": ("Batch #{id} dibatalkan ({n} sel fasilitas-bulan).", "Batch #{id} undone ({n} facility-months)."),
    "restore_help": ("**Pakai lagi batch ini.** Batch ini berlaku lagi untuk semua fasilitas-bulan yang dilaporkannya.",
                     "**Restore this batch.** It is in force again for every facility-month it reported."),
    "restore_confirm": ("Saya yakin memakai lagi batch #{id}", "I am sure I want to restore batch #{id}"),
    "restore_button": ("Pakai lagi", "Restore"),
    "restore_done": ("Batch #{id} berlaku lagi ({n} sel fasilitas-bulan).", "Batch #{id} restored ({n} facility-months)."),
    # ---- accounts and audit
    "accounts_title": ("Akun", "Accounts"),
    "accounts_intro": ("Peran: pemirsa (semua halaman dasbor dan unduhan), staf (juga unggah dan riwayat), admin (juga "
                       "akun, log audit dan data rujukan).",
                       "Roles: viewer (every dashboard page and download), staff (also upload and history), admin "
                       "(also accounts, audit log and reference data)."),
    "col_username": ("Nama pengguna", "User name"),
    "col_name": ("Nama", "Name"),
    "col_email": ("E-mail (SSO)", "E-mail (SSO)"),
    "email_help": ("Untuk masuk lewat SSO; e-mail ini dipetakan ke akun dan perannya.",
                   "For SSO sign-in; this address maps to the account and its role."),
    "col_role": ("Peran", "Role"),
    "col_active": ("Aktif", "Active"),
    "active_True": ("ya", "yes"),
    "active_False": ("nonaktif", "disabled"),
    "col_last_login": ("Terakhir masuk", "Last sign-in"),
    "account_add": ("Tambah akun", "Add an account"),
    "account_add_button": ("Tambah", "Add"),
    "account_edit": ("Ubah akun", "Change an account"),
    "account_role_button": ("Simpan peran", "Save role"),
    "account_reset_button": ("Buat kata sandi baru", "New password"),
    "account_disable_button": ("Nonaktifkan", "Disable"),
    "account_enable_button": ("Aktifkan", "Enable"),
    "account_saved": ("Tersimpan.", "Saved."),
    "password_once": ("Kata sandi untuk {user} (tampil sekali ini saja; sampaikan lewat jalur aman):",
                      "Password for {user} (shown only this once; pass it on through a safe channel):"),
    "audit_title": ("Log audit", "Audit log"),
    "audit_intro": ("Siapa melakukan apa: masuk, unggah, penggantian, pembatalan, perubahan akun.",
                    "Who did what: sign-ins, uploads, replacements, undos, account changes."),
    "audit_empty": ("Belum ada catatan.", "Nothing recorded yet."),
    "col_when": ("Waktu", "When"),
    "col_action": ("Tindakan", "Action"),
    "col_detail": ("Rincian", "Detail"),
    "action_login": ("masuk", "sign-in"),
    "action_login_failed": ("gagal masuk", "failed sign-in"),
    "action_logout": ("keluar", "sign-out"),
    "action_upload": ("unggah", "upload"),
    "action_replace": ("ganti", "replace"),
    "action_undo": ("batal", "undo"),
    "action_restore": ("pakai lagi", "restore"),
    "action_account_add": ("akun ditambah", "account added"),
    "action_account_role": ("peran diubah", "role changed"),
    "action_account_password": ("kata sandi diganti", "password reset"),
    "action_account_disable": ("akun dinonaktifkan", "account disabled"),
    "action_account_enable": ("akun diaktifkan", "account enabled"),
    # ---- programme pages
    "page_agreements": ("Kerja Sama", "Agreements"),
    "page_packages": ("Paket Buku", "Book packages"),
    "page_occupancy": ("Hunian", "Occupancy"),
    "page_completeness": ("Kelengkapan Data", "Data completeness"),
    "page_indicators": ("Definisi Indikator", "Indicator definitions"),
    "agreements_title": ("Kerja sama (PKS) dengan UPT", "Cooperation agreements (PKS) with the units"),
    "agreements_intro": ("Status hari ini: berlaku, segera berakhir (dalam {days} hari), sudah berakhir, atau belum "
                         "ada PKS.", "Status today: active, expiring (within {days} days), expired, or none."),
    "agreements_status": ("Status PKS per fasilitas", "Agreement status per facility"),
    "agreements_timeline": ("Linimasa PKS", "Agreement timeline"),
    "agreements_register": ("Daftar PKS", "Agreement register"),
    "agreements_none": ("Belum ada PKS yang tercatat.", "No agreement recorded yet."),
    "agreements_without": ("Aktivitas tanpa PKS yang berlaku", "Activity without an agreement in force"),
    "agreements_without_help": ("Fasilitas yang punya laporan pada bulan yang tidak dicakup PKS mana pun.",
                                "Facilities with reports in months no agreement covered."),
    "agreements_without_none": ("Semua aktivitas dalam periode ini dicakup PKS.",
                                "All activity in this period is covered by an agreement."),
    "agreements_add": ("Tambah PKS", "Add an agreement"),
    "agreements_save": ("Simpan PKS", "Save the agreement"),
    "agreements_saved": ("PKS tersimpan (batch #{id}); bisa dibatalkan di Riwayat Unggah.",
                         "Agreement saved (batch #{id}); it can be undone on the Upload history page."),
    "agreements_need_dates": ("Isi tanggal berlaku mulai dan sampai.", "Fill in the valid-from and valid-until dates."),
    "agreements_bad_dates": ("Tanggal berakhir {end} lebih awal dari tanggal mulai {start}.",
                             "The end date {end} is before the start date {start}."),
    "agreements_document_pick": ("Dokumen PKS", "Agreement document"),
    "agreements_document_placeholder": ("Pilih PKS untuk mengunduh dokumennya...",
                                        "Choose an agreement to download its document..."),
    "agreements_document_download": ("Unduh dokumen", "Download the document"),
    "agreements_document_missing": ("Berkas dokumen tidak ditemukan di server.", "The document file is not on the server."),
    "agreement_active": ("berlaku", "active"),
    "agreement_expiring": ("segera berakhir", "expiring"),
    "agreement_expired": ("sudah berakhir", "expired"),
    "agreement_none": ("belum ada", "none"),
    "scope_bahan_bacaan": ("bahan bacaan", "reading materials"),
    "scope_pusling": ("perpustakaan keliling", "mobile library"),
    "scope_peminjaman": ("peminjaman buku", "book lending"),
    "scope_pelatihan_wbp": ("pelatihan WBP", "training for inmates"),
    "scope_pelatihan_pengelola": ("pelatihan pengelola perpustakaan", "training for library managers"),
    "col_number": ("Nomor PKS (Dispersip)", "Agreement no. (Dispersip)"),
    "col_number_facility": ("Nomor PKS (UPT)", "Agreement no. (unit)"),
    "col_signed_on": ("Ditandatangani", "Signed"),
    "col_valid_from": ("Berlaku mulai", "Valid from"),
    "col_valid_until": ("Berlaku sampai", "Valid until"),
    "col_days_left": ("Sisa hari", "Days left"),
    "col_last_until": ("PKS terakhir berakhir", "Last agreement ended"),
    "col_agreements": ("Jumlah PKS", "Agreements"),
    "col_scope": ("Ruang lingkup", "Scope"),
    "col_document": ("Dokumen", "Document"),
    "col_notes": ("Keterangan", "Notes"),
    "col_months": ("Bulan", "Months"),
    "today": ("hari ini", "today"),
    "packages_title": ("Paket buku bergilir", "Rotating book packages"),
    "packages_intro": ("buku yang dititipkan dan perputarannya", "books on deposit and their turnover"),
    "packages_none": ("Belum ada data paket buku untuk fasilitas dan periode ini. Muat dataset 'Paket Buku' (templat "
                      "di halaman Unggah Data).",
                      "No book-package data for these facilities and this period. Load the 'Book packages' dataset "
                      "(template on the Upload page)."),
    "packages_on_deposit": ("Buku paket yang dititipkan per fasilitas", "Package books on deposit per facility"),
    "packages_turnover": ("Perputaran koleksi paket (ISO 11620 B.2.1.1)", "Package collection turnover (ISO 11620 B.2.1.1)"),
    "packages_turnover_help": ("Peminjaman di bulan-bulan ada paket dibagi rata-rata buku paket yang dititipkan.",
                               "Loans in the months a package was on deposit, divided by the mean books on deposit."),
    "col_delivered": ("Buku dikirim", "Books delivered"),
    "col_taken_back": ("Buku ditarik", "Books taken back"),
    "col_on_deposit": ("Buku dititipkan", "Books on deposit"),
    "col_mean_on_deposit": ("Rata-rata dititipkan", "Mean on deposit"),
    "col_turnover": ("Perputaran", "Turnover"),
    "occupancy_title": ("Hunian dan kapasitas", "Occupancy and capacity"),
    "occupancy_intro": ("Angka hunian bertanggal yang menjadi penyebut angka per 100 WBP: tiap bulan memakai angka "
                        "terakhir yang bertanggal pada atau sebelum akhir bulan itu.",
                        "The dated occupancy figures the per-100 rates divide by: each month uses the latest figure "
                        "dated on or before its end."),
    "occupancy_missing": ("Belum ada data hunian (tanpa penyebut): {names}.", "No occupancy figures (no denominator): {names}."),
    "occupancy_add": ("Tambah atau koreksi angka hunian", "Add or correct occupancy figures"),
    "occupancy_add_help": ("Angka dengan fasilitas dan tanggal yang sama menggantikan yang lama; yang lama tetap "
                           "tersimpan di Riwayat Unggah.",
                           "A figure for the same facility and date replaces the earlier one, which stays in the upload "
                           "history."),
    "occupancy_save": ("Simpan angka hunian", "Save the occupancy figures"),
    "occupancy_nothing": ("Tidak ada baris lengkap (fasilitas, tanggal, penghuni) untuk disimpan.",
                          "No complete row (facility, date, occupants) to save."),
    "occupancy_saved": ("{n} angka hunian tersimpan (batch #{id}).", "{n} occupancy figures saved (batch #{id})."),
    "occupancy_typed": ("diisi di aplikasi", "typed in the app"),
    "col_date": ("Tanggal", "Date"),
    "col_over_capacity": ("Di atas kapasitas (%)", "Over capacity (%)"),
    "completeness_title": ("Kelengkapan data", "Data completeness"),
    "completeness_intro": ("Setiap UPT mengirim tiga laporan per bulan (peminjaman, kunjungan perpustakaan UPT, "
                           "pelatihan), paling lambat tanggal {day} bulan berikutnya.",
                           "Every unit sends three reports a month (loans, own-library visits, training), due on day "
                           "{day} of the next month."),
    "completeness_all": ("Semua laporan", "All reports"),
    "completeness_late": ("{late} terlambat · {missing} belum masuk", "{late} late · {missing} missing"),
    "completeness_matrix": ("Laporan per fasilitas dan bulan", "Reports per facility and month"),
    "completeness_matrix_help": ("Hijau = semua laporan masuk tepat waktu, kuning = ada yang terlambat, merah = ada "
                                 "yang belum masuk, abu-abu = UPT tutup bulan itu; arahkan kursor untuk rinciannya "
                                 "dan catatannya.",
                                 "Green = every report on time, yellow = some late, red = some missing, grey = unit "
                                 "closed that month; hover for the details and notes."),
    "completeness_chase": ("Laporan yang perlu ditagih", "Reports to chase"),
    "completeness_chase_help": ("Per fasilitas dan jenis laporan: sejak bulan apa belum masuk.",
                                "Per facility and report: missing since which month."),
    "completeness_nothing_missing": ("Tidak ada laporan yang tertunggak.", "No report is outstanding."),
    "completeness_by_facility": ("Kelengkapan per fasilitas", "Completeness per facility"),
    "report_on_time": ("tepat waktu", "on time"),
    "report_late": ("terlambat", "late"),
    "report_missing": ("belum masuk", "missing"),
    "report_not_due": ("belum jatuh tempo", "not yet due"),
    "col_due": ("Jatuh tempo", "Due"),
    "col_missing_report": ("Laporan", "Report"),
    "col_since": ("Belum masuk sejak", "Missing since"),
    "col_months_missing": ("Bulan tertunggak", "Months missing"),
    "col_latest_missing": ("Bulan terakhir tertunggak", "Latest missing month"),
    "col_reports_due": ("Laporan jatuh tempo", "Reports due"),
    "col_reports_received": ("Masuk", "Received"),
    "col_reports_late": ("Terlambat", "Late"),
    "col_reports_missing": ("Belum masuk", "Missing"),
    "col_completeness": ("Kelengkapan (%)", "Completeness (%)"),
    "indicators_title": ("Definisi indikator", "Indicator definitions"),
    "indicators_intro": ("Setiap angka di dasbor, rumusnya, kodenya di ISO 11620 / PAKPI 2021 bila ada, dan pengaturan "
                         "yang dipakainya (konstanta adalah pengaturan, bukan kode).",
                         "Every figure on the dashboard, its formula, its ISO 11620 / PAKPI 2021 code where it has "
                         "one, and the settings it uses (constants are settings, not code)."),
    "indicators_settings": ("Pengaturan: {used}", "Settings: {used}"),
    "indicators_where": ("Dihitung di: `{where}`", "Computed in: `{where}`"),
    "section_reference": ("Rujukan", "Reference"),
    "page_register": ("Register Fasilitas", "Facility register"),
    "register_title": ("Register fasilitas", "Facility register"),
    "register_intro": ("UPT pemasyarakatan Kalimantan Selatan, kodenya, dan ejaan nama lain yang dikenali saat memuat "
                       "berkas (nama lama, sebutan di berita).",
                       "The correctional units of South Kalimantan, their codes, and the other spellings the loader "
                       "recognises (old names, how the press writes them)."),
    "register_alias_add": ("Tambah ejaan yang dikenali", "Teach a new spelling"),
    "register_alias_help": ("Bila sebuah berkas ditolak karena nama fasilitasnya tidak dikenali padahal jelas "
                            "maksudnya, tambahkan ejaan itu di sini lalu unggah ulang berkasnya.",
                            "When a file is refused because a facility's name is not recognised although it is clear "
                            "which unit it means, add that spelling here and upload the file again."),
    "register_alias": ("Ejaan seperti di berkas", "Spelling as in the file"),
    "register_alias_button": ("Tambah ejaan", "Add the spelling"),
    "register_alias_saved": ("'{alias}' kini dikenali sebagai {name}.", "'{alias}' is now recognised as {name}."),
    "col_code": ("Kode", "Code"),
    "col_official_name": ("Nama resmi", "Official name"),
    "col_class": ("Kelas", "Class"),
    "col_aliases": ("Ejaan lain", "Other spellings"),
    "action_alias_add": ("ejaan ditambah", "spelling added"),
    "action_originals_purged": ("berkas asli dihapus", "originals purged"),
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
    "measure": ("Tampilkan", "Show"),
    "measure_abs": ("Angka", "Numbers"),
    "measure_per100": ("Per 100 WBP", "Per 100 inmates"),
    "measure_help": ("Per 100 WBP: jumlah dibagi penghuni yang berlaku tiap bulan, dikali 100 (rata-rata per bulan). "
                     "Fasilitas tanpa data hunian tidak dihitung (tanpa penyebut).",
                     "Per 100 inmates: the figure divided by each month's occupancy, times 100 (monthly average). "
                     "Facilities without occupancy figures are left out (no denominator)."),
    "per_capita_suffix": ("per {base} WBP per bulan", "per {base} inmates per month"),
    "per_capita_short": ("/{base} WBP", "/{base} inmates"),
    "per_capita_help": ("Rata-rata per bulan: jumlah dibagi penghuni yang berlaku tiap bulan, dikali {base}.",
                        "Monthly average: the figure divided by each month's occupancy, times {base}."),
    "no_denominator": ("tanpa penyebut", "no denominator"),
    "denominator_note": ("Per 100 WBP dihitung dari {n} dari {m} fasilitas yang punya data hunian; fasilitas lain "
                         "tanpa penyebut dan tidak dihitung.",
                         "Per 100 inmates covers the {n} of {m} facilities with occupancy figures; the others have no "
                         "denominator and are left out."),
    "kpi_borrower_share": ("Peminjam aktif (% WBP)", "Active borrowers (% of inmates)"),
    "kpi_borrower_share_help": ("Peminjam berbeda dalam periode dibagi rata-rata penghuni, di fasilitas yang mengirim "
                                "data per peminjaman dan punya data hunian.",
                                "Distinct borrowers in the period over the mean occupancy, in facilities that send one "
                                "row per loan and have occupancy figures."),
    "col_occupants": ("Penghuni", "Occupants"),
    "col_capacity": ("Kapasitas", "Capacity"),
    "alert_expiring": ("PKS segera berakhir: {items}.", "Agreements ending soon: {items}."),
    "alert_expiring_item": ("{name} (sampai {until}, {days} hari lagi)", "{name} (until {until}, {days} days left)"),
    "alert_expired": ("PKS sudah berakhir dan belum diperpanjang: {items}.",
                      "Agreements ended and not renewed: {items}."),
    "alert_expired_item": ("{name} (berakhir {until})", "{name} (ended {until})"),
    "alert_link": ("Lihat halaman Kerja Sama", "Open the Agreements page"),
    "col_participants_rate": ("Peserta per 100 WBP per bulan", "Participants per 100 inmates per month"),
    "facility_occupancy": ("Penghuni {occupants} (data {when}); angka per 100 WBP memakai data hunian yang berlaku tiap "
                           "bulan.",
                           "Occupants {occupants} (figure of {when}); per-100 figures use each month's occupancy in "
                           "force."),
    "facility_no_occupancy": ("Belum ada data hunian untuk fasilitas ini, jadi angka per 100 WBP tidak tersedia "
                              "(tanpa penyebut).",
                              "No occupancy figures for this facility yet, so per-100 figures are not available (no "
                              "denominator)."),
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
    "ranking_bars_top": ("{n} fasilitas teratas dari {total}; tabel di atas memuat semuanya.",
                         "The top {n} of {total} facilities; the table above lists them all."),
    "ranking_help": ("Pilih satu baris (atau klik batang/titik di grafik) untuk membuka halaman fasilitasnya dengan "
                     "periode yang sama.",
                     "Select a row (or click a bar or point in a chart) to open that facility's page for the same "
                     "period."),
    "map_title": ("Peta fasilitas menurut jumlah peminjaman", "Facilities by number of loans"),
    "map_title_per100": ("Peta fasilitas menurut peminjaman per 100 WBP", "Facilities by loans per 100 inmates"),
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
    # ---- reports: the Laporan page, the xlsx and PDF documents, `python -m etl report` (issue 7)
    "page_report": ("Laporan", "Reports"),
    "report_title": ("Laporan untuk dikirim", "Reports to send"),
    "report_intro": ("Laporan bulanan, triwulan atau tahunan sebagai xlsx (angka dan grafik Excel) dan PDF berkop "
                     "surat, untuk kantor gubernur, Kanwil Pemasyarakatan dan Perpusnas. Angkanya sama dengan dasbor "
                     "untuk periode dan fasilitas yang sama.",
                     "A monthly, quarterly or annual report as xlsx (figures and Excel charts) and as a PDF on the "
                     "letterhead, for the governor's office, the regional corrections office and Perpusnas. Its "
                     "figures equal the dashboard's for the same period and facilities."),
    "report_kind": ("Jenis laporan", "Report type"),
    "report_kind_month": ("Bulanan", "Monthly"),
    "report_kind_quarter": ("Triwulan", "Quarterly"),
    "report_kind_year": ("Tahunan", "Annual"),
    "report_kind_custom": ("Rentang bulan", "Range of months"),
    "report_month": ("Bulan", "Month"),
    "report_quarter": ("Triwulan", "Quarter"),
    "report_year": ("Tahun", "Year"),
    "report_facilities": ("Fasilitas dalam laporan", "Facilities in the report"),
    "report_facilities_help": ("Kosong = semua fasilitas dalam tampilan (filter di samping); atau pilih beberapa.",
                               "Empty = every facility in view (the sidebar filter); or choose some."),
    "report_facilities_all_in_view": ("Semua fasilitas dalam tampilan ({n})", "Every facility in view ({n})"),
    "report_preparing": ("Menyiapkan angka laporan {period}...", "Gathering the figures for {period}..."),
    "report_prepared": ("Angka laporan {period} siap", "The figures for {period} are ready"),
    "report_preview": ("Pratinjau ringkasan", "Summary preview"),
    "report_download_xlsx": ("Unduh xlsx", "Download xlsx"),
    "report_download_pdf": ("Unduh PDF", "Download PDF"),
    "report_build_note": ("Berkas disusun saat tombolnya diklik; tombol menampilkan tanda memuat selama laporan "
                          "disusun (PDF beberapa detik karena grafiknya digambar).",
                          "Each file is built when its button is clicked; the button shows a loading mark while "
                          "the report is built (the PDF takes a few seconds to draw its charts)."),
    "report_pdf_unavailable": ("PDF tidak tersedia: tidak ada peramban Chromium/Chrome di server ini untuk "
                               "menggambar grafiknya ({where}). Pasang chromium (`apt-get install chromium`) atau "
                               "atur PANTAU_CHROMIUM. Laporan xlsx tetap bisa diunduh.",
                               "PDF unavailable: there is no Chromium/Chrome browser on this server to draw its "
                               "charts ({where}). Install chromium (`apt-get install chromium`) or set "
                               "PANTAU_CHROMIUM. The xlsx report can still be downloaded."),
    "report_nothing": ("Tidak ada laporan untuk {period} dan fasilitas ini. Pilih periode lain.",
                       "No reports for {period} and these facilities. Choose another period."),
    "report_cli_hint": ("Dari baris perintah atau cron: `{command}`", "From the command line or cron: `{command}`"),
    "report_quarter_label": ("Triwulan {q} {year}", "Q{n} {year}"),
    "report_through": ("s.d. {month}", "to {month}"),
    "report_quarter_short": ("Tw {q} {year}", "Q{n} {year}"),
    "report_year_label": ("Tahun {year}", "Year {year}"),
    "report_doc_month": ("LAPORAN BULANAN", "MONTHLY REPORT"),
    "report_doc_quarter": ("LAPORAN TRIWULAN", "QUARTERLY REPORT"),
    "report_doc_year": ("LAPORAN TAHUNAN", "ANNUAL REPORT"),
    "report_doc_custom": ("LAPORAN", "REPORT"),
    "report_doc_subject": ("LAYANAN PERPUSTAKAAN DI LAPAS, RUTAN DAN LPKA", "LIBRARY SERVICES IN PRISONS AND "
                           "REMAND CENTRES"),
    "report_doc_region": ("PROVINSI KALIMANTAN SELATAN", "SOUTH KALIMANTAN PROVINCE"),
    "report_period": ("Periode", "Period"),
    "report_scope": ("Fasilitas", "Facilities"),
    "report_facilities_all": ("semua Lapas, Rutan dan LPKA ({n} UPT)", "every prison, remand centre and juvenile "
                              "facility ({n} units)"),
    "report_facilities_some": ("{n} UPT: {names}", "{n} units: {names}"),
    "report_generated": ("Dibuat", "Generated"),
    "report_last_load": ("Data terakhir dimuat", "Data last loaded"),
    "report_source": ("Sumber: Pantau Literasi, dari laporan bulanan UPT dan Dispersip yang berlaku; angkanya sama "
                      "dengan dasbor untuk periode dan fasilitas yang sama.",
                      "Source: Pantau Literasi, from the units' and Dispersip's monthly reports in force; the figures "
                      "equal the dashboard's for the same period and facilities."),
    "report_section_summary": ("Ringkasan", "Summary"),
    "report_col_indicator": ("Indikator", "Indicator"),
    "report_col_change_previous": ("Perubahan vs periode lalu", "Change vs previous period"),
    "report_col_change_last_year": ("Perubahan vs tahun lalu", "Change vs a year earlier"),
    "report_col_change": ("Perubahan", "Change"),
    "report_per100": ("per {base} WBP per bulan", "per {base} inmates per month"),
    "report_per100_heading": ("Per {base} WBP per bulan", "Per {base} inmates per month"),
    "report_section_trend": ("Tren bulanan", "Monthly trend"),
    "report_trend_span": ("Grafik menampilkan {span} agar trennya terlihat; bulan tanpa laporan tampil sebagai celah, "
                          "bukan nol.",
                          "The charts show {span} so the trend is visible; months without a report show as gaps, "
                          "not zeros."),
    "report_chart_ranking": ("Peminjaman per fasilitas, {period}", "Loans per facility, {period}"),
    "report_section_facilities": ("Rincian per fasilitas", "Per facility"),
    "report_col_no": ("No", "No"),
    "report_col_total": ("Jumlah", "Total"),
    "report_total_row": ("JUMLAH", "TOTAL"),
    "report_col_facilities_reporting": ("Fasilitas melapor", "Facilities reporting"),
    "report_section_loans": ("Peminjaman", "Loans"),
    "report_section_visits": ("Kunjungan perpustakaan", "Library visits"),
    "report_section_training": ("Pelatihan dan kegiatan literasi", "Training and literacy activities"),
    "report_monthly": ("Angka bulanan", "Monthly figures"),
    "report_grid": ("Per fasilitas dan bulan", "Per facility and month"),
    "report_sessions": ("Daftar sesi", "Sessions"),
    "report_sessions_more": ("... dan {n} sesi lainnya (lengkapnya di laporan xlsx).",
                             "... and {n} more sessions (all of them in the xlsx report)."),
    "report_sessions_none": ("Tidak ada sesi pelatihan dalam periode ini.", "No training session in this period."),
    "report_by_topic": ("Menurut topik", "By topic"),
    "report_section_agreements": ("Status kerja sama (PKS) per {date}", "Agreement status on {date}"),
    "report_section_completeness": ("Kelengkapan laporan UPT", "Completeness of the units' reports"),
    "report_completeness_intro": ("Tiga laporan per UPT per bulan (peminjaman, kunjungan perpustakaan UPT, pelatihan), "
                                  "jatuh tempo tanggal {day} bulan berikutnya; status per {date}.",
                                  "Three reports per unit and month (loans, own-library visits, training), due on "
                                  "day {day} of the next month; status on {date}."),
    "report_notes": ("Catatan", "Notes"),
    "report_note_rates": ("Angka per {base} WBP per bulan = jumlah dibagi penghuni yang berlaku tiap bulan (angka "
                          "hunian bertanggal terakhir pada atau sebelum akhir bulan), dikali {base}. Fasilitas tanpa "
                          "data hunian ditulis 'tanpa penyebut' dan tidak ikut dihitung.",
                          "Per {base} inmates per month = the figure divided by each month's occupancy in force (the "
                          "latest dated figure on or before the month's end), times {base}. Facilities without "
                          "occupancy figures read 'no denominator' and are left out."),
    "report_note_borrowers": ("Peminjam aktif dihitung dari kode samaran di fasilitas yang mengirim data per "
                              "peminjaman; rekap bulanan tidak memuat ID. Nama dan NIK WBP tidak pernah disimpan.",
                              "Active borrowers are counted by pseudonymous key in the facilities that send one row "
                              "per loan; monthly recaps carry no ids. Inmates' names and ID numbers are never kept."),
    "report_note_missing": ("– = tidak ada laporan; bulan tanpa laporan tidak dihitung sebagai nol. Perubahan "
                            "dibandingkan dengan periode sebelumnya yang sama panjang dan dengan periode yang sama "
                            "tahun lalu.",
                            "– = no report; months without a report do not count as zero. Changes compare with the "
                            "previous period of the same length and with the same period a year earlier."),
    "report_page": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
    "report_charts_failed": ("Grafik tidak dapat digambar ({error}); angka di tabel tetap lengkap.",
                             "The charts could not be drawn ({error}); the tables hold every figure."),
    "report_sheet_summary": ("Ringkasan", "Summary"),
    "report_sheet_facilities": ("Fasilitas", "Facilities"),
    "report_sheet_loans": ("Peminjaman", "Loans"),
    "report_sheet_visits": ("Kunjungan", "Visits"),
    "report_sheet_training": ("Pelatihan", "Training"),
    "report_sheet_agreements": ("Kerja Sama", "Agreements"),
    "report_sheet_completeness": ("Kelengkapan", "Completeness"),
    "report_written": ("Laporan {period} ({n} fasilitas) ditulis ke {path}",
                       "Report {period} ({n} facilities) written to {path}"),
    "report_bad_period": ("periode {value!r} tidak dikenal; tulis 2024-08 (bulan), 2024-Q3 (triwulan), 2024 (tahun), "
                          "2024-01..2024-06 (rentang), bulan-lalu atau terakhir",
                          "period {value!r} not understood; write 2024-08 (month), 2024-Q3 (quarter), 2024 (year), "
                          "2024-01..2024-06 (range), last-month or latest"),
    "report_no_inmates": ("{name} tidak menampung WBP; laporan hanya untuk Lapas, Rutan dan LPKA",
                          "{name} holds no inmates; reports cover prisons, remand centres and the juvenile facility"),
    "report_no_data": ("gudang data belum berisi laporan; muat data dulu (python -m etl load atau python -m etl demo)",
                       "the warehouse holds no reports yet; load some first (python -m etl load or python -m etl "
                       "demo)"),
    "report_nothing_cli": ("tidak ada laporan untuk {period} dan fasilitas yang dipilih; tidak ada berkas yang ditulis",
                           "no reports for {period} and the chosen facilities; no file was written"),
    "report_no_browser_cli": ("PDF tidak bisa dibuat: tidak ada Chromium/Chrome untuk menggambar grafiknya ({where}); "
                              "pasang chromium (apt-get install chromium) atau atur PANTAU_CHROMIUM. --format xlsx "
                              "tetap bisa.",
                              "the PDF cannot be made: there is no Chromium/Chrome to draw its charts ({where}); "
                              "install chromium (apt-get install chromium) or set PANTAU_CHROMIUM. --format xlsx "
                              "still works."),
    "report_need_format": ("sebutkan --format xlsx atau --format pdf (akhiran {output!r} tidak menunjukkannya)",
                           "give --format xlsx or --format pdf ({output!r} does not end in either)"),
    "report_no_folder": ("folder {path} tidak ada", "folder {path} does not exist"),
    "report_charts_warning": ("peringatan: {message}", "warning: {message}"),
    "report_browser_found": ("Grafik PDF laporan digambar dengan {path}.", "Report PDF charts are drawn with {path}."),
    "report_highlights": ("Sorotan", "Highlights"),
    "report_hl_loans": ("Peminjaman: {value} ({changes}).", "Loans: {value} ({changes})."),
    "report_hl_visitors": ("Pengunjung perpustakaan UPT dan pusling: {value} ({changes}).",
                           "Visitors of the units' libraries and the mobile library: {value} ({changes})."),
    "report_hl_participants": ("Peserta pelatihan: {value} ({changes}).", "Training participants: {value} ({changes})."),
    "report_hl_vs": ("{change} dibanding {when}", "{change} against {when}"),
    "report_hl_completeness": ("Laporan UPT: {received} dari {due} laporan yang jatuh tempo sudah masuk ({share}); "
                               "{late} terlambat, {missing} belum masuk.",
                               "Unit reports: {received} of the {due} reports due have arrived ({share}); {late} late, "
                               "{missing} missing."),
    "report_hl_agreements": ("PKS per {date}: {active} dari {n} UPT punya PKS yang berlaku.",
                             "Agreements on {date}: {active} of {n} units have one in force."),
    "report_in_period": ("Jumlah dalam periode", "Totals in the period"),
    "report_browser_missing": ("Chromium/Chrome tidak ditemukan: unduhan PDF laporan dinonaktifkan (xlsx tetap bisa). "
                               "Pasang chromium atau atur PANTAU_CHROMIUM.",
                               "No Chromium/Chrome found: report PDF downloads are disabled (xlsx still works). "
                               "Install chromium or set PANTAU_CHROMIUM."),
    # ---- notes
    "report_closed": ("tutup (tidak wajib lapor)", "closed (no report expected)"),
    "notes_title": ("Catatan UPT per bulan", "Notes on a unit's month"),
    "notes_help": ("Catatan staf tentang bulan sebuah UPT (mis. perpustakaan tutup renovasi, listrik padam), untuk "
                   "satu jenis laporan atau semua. UPT yang ditandai tutup tidak wajib melapor bulan itu: aktivitas "
                   "nol, bukan laporan yang belum masuk.",
                   "Staff notes on a unit's month (e.g. library closed for renovation, power cut), for one report or "
                   "all. A unit marked closed owes no report that month: zero activity, not a missing report."),
    "notes_none": ("Tidak ada catatan untuk periode ini.", "No notes for this period."),
    "notes_all_reports": ("Semua laporan", "All reports"),
    "notes_closed_word": ("tutup", "closed"),
    "notes_yes": ("ya", "yes"),
    "notes_col_id": ("No. catatan", "Note no."),
    "notes_col_closed": ("Tutup", "Closed"),
    "notes_col_text": ("Catatan", "Note"),
    "notes_col_when": ("Waktu", "When"),
    "notes_col_by": ("Ditulis oleh", "Written by"),
    "notes_col_dataset": ("Laporan", "Report"),
    "notes_add_title": ("Tambah catatan atau tandai tutup", "Add a note or mark closed"),
    "notes_placeholder": ("mis. perpustakaan tutup renovasi", "e.g. library closed for renovation"),
    "notes_closed_box": ("UPT tutup bulan ini (tidak wajib lapor)", "Unit closed this month (no report expected)"),
    "notes_closed_help": ("Laporan bulan itu tidak dihitung belum masuk; aktivitasnya dianggap nol.",
                          "That month's report does not count as missing; its activity is taken as zero."),
    "notes_add_button": ("Simpan catatan", "Save note"),
    "notes_saved": ("Catatan disimpan dan dicatat di log audit.", "Note saved and recorded in the audit log."),
    "notes_remove_title": ("Ubah atau hapus catatan", "Edit or remove a note"),
    "notes_edit_button": ("Simpan perubahan", "Save changes"),
    "notes_pick": ("Catatan", "Note"),
    "notes_remove_button": ("Hapus catatan ini", "Remove this note"),
    "notes_undo_title": ("Batalkan perubahan catatan", "Undo a change of a note"),
    "notes_pick_change": ("Perubahan", "Change"),
    "notes_undo_button": ("Batalkan perubahan ini", "Undo this change"),
    "notes_action_add": ("ditambah", "added"),
    "notes_action_edit": ("diubah", "edited"),
    "notes_action_remove": ("dihapus", "removed"),
    "notes_marker": ("Catatan", "Note"),
    "action_note_add": ("catatan ditambah", "note added"),
    "action_note_edit": ("catatan diubah", "note edited"),
    "action_note_remove": ("catatan dihapus", "note removed"),
    "action_note_undo": ("perubahan catatan dibatalkan", "note change undone"),
    "action_register_active": ("bulan aktif UPT diubah", "unit's active months changed"),
    "report_unit_notes": ("Catatan UPT: {note}.", "Unit note: {note}."),
    "register_active_title": ("Bulan aktif UPT", "A unit's active months"),
    "register_active_help": ("Laporan bulanan hanya diharapkan dari UPT pada bulan-bulan ia aktif. Kosongkan "
                             "tanggal bila tidak ada batas.",
                             "Monthly reports are expected of a unit only in the months it is active. Leave a date "
                             "empty for no limit."),
    "register_active_from": ("Aktif sejak", "Active from"),
    "register_active_until": ("Aktif sampai", "Active until"),
    "register_active_button": ("Simpan bulan aktif", "Save active months"),
    "register_active_saved": ("Bulan aktif {name} disimpan.", "Active months of {name} saved."),
    # ---- prov
    "prov_mark": ("sementara", "provisional"),
    "prov_kpi": ("Sementara: laporan {dataset} {months} belum lengkap; belum masuk: {units}.",
                 "Provisional: the {dataset} reports for {months} are not all in; still outstanding: {units}."),
    "prov_more": ("{names} dan {n} lainnya", "{names} and {n} more"),
    "prov_chart": ("Bulan berwarna pucat atau bergaris titik-titik masih sementara: {items}.",
                   "Pale or dotted months are still provisional: {items}."),
    "prov_chart_item": ("{month} (belum masuk: {units})", "{month} (outstanding: {units})"),
    "prov_series": ("sementara", "provisional"),
    "prov_reported": ("{dataset}: {n} dari {total} UPT", "{dataset}: {n} of {total} units"),
    "prov_reported_help": ("Per laporan: UPT yang semua laporannya untuk periode ini sudah masuk, dari UPT yang wajib "
                           "melapor (UPT yang ditandai tutup pada suatu bulan tidak wajib melapor bulan itu). "
                           "Kunjungan pusling dilaporkan Dispersip sendiri dan tidak dihitung di sini.",
                           "Per report: units whose every report for the period arrived, of the units that owe one "
                           "(a unit marked closed for a month owes nothing that month). The mobile library's visits "
                           "are Dispersip's own report and are not counted here."),
    "like_note": ("Sebanding: {n} dari {total} UPT yang melapor di kedua periode; total mentah {current} vs "
                  "{reference}.",
                  "Like for like: {n} of {total} units that reported in both periods; raw totals {current} vs "
                  "{reference}."),
    "like_note_last_year": ("Tahun lalu sebanding: {n} dari {total} UPT; total mentah {current} vs {reference}.",
                            "Last year like for like: {n} of {total} units; raw totals {current} vs {reference}."),
    "like_none": ("Tanpa pembanding sebanding (tidak ada UPT yang melapor di kedua periode); total mentah {current} "
                  "vs {reference}.",
                  "No like-for-like comparison (no unit reported in both periods); raw totals {current} vs "
                  "{reference}."),
    "prov_months_many": ("{n} bulan ({first} s.d. {last})", "{n} months ({first} to {last})"),
    "like_raw": ("Perubahan dari total mentah semua UPT (peminjam tidak dapat dipasangkan per bulan).",
                 "Change of the raw totals of all units (borrowers cannot be paired month by month)."),
    "same_periods": ("Periode lalu = periode sama tahun lalu (12 bulan sebelumnya): satu pembanding.",
                     "The previous period is the same period last year (the 12 months before): one comparison."),
    "report_col_note": ("Catatan", "Note"),
    "report_note_provisional": ("* Sementara: {items}.", "* Provisional: {items}."),
    "report_note_provisional_item": ("{dataset} {months} (belum masuk: {units})",
                                     "{dataset} {months} (outstanding: {units})"),
    "report_note_like": ("Perubahan dihitung sebanding: hanya UPT dan bulan yang melapor di kedua periode; kolom "
                         "periode memuat total mentah semua UPT. Kolom Catatan menyebut berapa UPT dibandingkan.",
                         "Changes are like for like: only the units and months that reported in both periods; the "
                         "period columns hold the raw totals of all units. The Note column says how many units were "
                         "compared."),
    "report_like_units": ("sebanding: {n} dari {total} UPT", "like for like: {n} of {total} units"),
    "report_of_units": ("dari {total} UPT", "of {total} units"),
    "report_cli_provisional": ("Angka sementara: {items}.", "Provisional figures: {items}."),
    # ---- flags
    "flags_title": ("Perlu dicek", "Needs a check"),
    "flags_intro": ("Angka bulanan yang jauh dari kebiasaan UPT itu sendiri (lihat Definisi Indikator) dan belum "
                    "dikonfirmasi. Pengunggahnya atau admin dapat mengonfirmasi angka yang memang benar dengan "
                    "catatan; data yang diganti dengan berkas yang benar tidak perlu dikonfirmasi.",
                    "Monthly figures far from the unit's own usual level (see Indicator Definitions) not yet "
                    "confirmed. Their uploader or an admin can confirm a figure that is right, with a note; data "
                    "replaced by a corrected file needs no confirmation."),
    "flags_none": ("Tidak ada angka yang perlu dicek pada periode ini.", "No figures need a check in this period."),
    "flags_loaded": ("Diunggah oleh {who} pada {when} (batch #{batch}, {file}).",
                     "Uploaded by {who} on {when} (batch #{batch}, {file})."),
    "flags_load_note": ("Catatan saat dimuat: {note}", "Note when loaded: {note}"),
    "flags_no_load_note": ("Dimuat tanpa catatan.", "Loaded without a note."),
    "flags_confirm_note": ("Catatan: mengapa angka ini benar", "Note: why this figure is right"),
    "flags_confirm_button": ("Konfirmasi benar", "Confirm as right"),
    "flags_confirmed": ("Dikonfirmasi: {text}", "Confirmed: {text}"),
    "upload_flags_one": ("Perlu dicek: {n} angka jauh dari kebiasaan unitnya. Periksa berkasnya; bila angkanya memang "
                         "benar, tulis catatan singkat lalu muat.",
                         "Needs a check: {n} figure far from the unit's usual level. Check the file; if the figure "
                         "is right, write a short note and load."),
    "upload_flags_many": ("Perlu dicek: {n} angka jauh dari kebiasaan unitnya. Periksa berkasnya; bila angkanya "
                          "memang benar, tulis catatan singkat lalu muat.",
                          "Needs a check: {n} figures far from the unit's usual level. Check the file; if the "
                          "figures are right, write a short note and load."),
    "upload_flags_note": ("Catatan (wajib karena ada angka yang perlu dicek)",
                          "Note (required: some figures need a check)"),
    "upload_totals": ("Total yang diganti, lama -> baru:", "Totals being replaced, old -> new:"),
    "confirm_replace_drop": ("Ya, ganti walaupun angkanya turun lebih dari separuh: {drops}",
                             "Yes, replace even though the figure falls by more than half: {drops}"),
    "upload_held_note": ("Belum dimuat: ada angka yang perlu dicek; tulis catatan singkat dulu.",
                         "Not loaded: some figures need a check; write a short note first."),
    "upload_held_replace": ("Belum dimuat: penggantian ini menghapus lebih dari separuh angka {drops}; centang "
                            "konfirmasinya dulu.",
                            "Not loaded: this replacement removes more than half of {drops}; tick the confirmation "
                            "first."),
    "action_flags_loaded": ("angka perlu dicek dimuat", "flagged figures loaded"),
    "action_flag_confirmed": ("angka dikonfirmasi", "figure confirmed"),
    "report_note_flag": ("Perlu dicek, belum dikonfirmasi: {text}", "Needs a check, not yet confirmed: {text}"),
    # ---- targets
    "page_capaian": ("Capaian Kinerja", "Performance"),
    "capaian_title": ("Capaian Kinerja", "Performance against targets"),
    "capaian_intro": ("Target tahunan (Perjanjian Kinerja) dibanding realisasi, seperti tabel LKjIP. Capaian = "
                      "realisasi ÷ target; selama tahun berjalan, realisasi sampai bulan terakhir yang berdata "
                      "dibanding target pro-rata.",
                      "Yearly targets (performance agreement) against realisation, as the LKjIP table reads. "
                      "Achievement = realisation ÷ target; while the year runs, realisation up to the latest month "
                      "with data is compared with the pro-rata target."),
    "capaian_year": ("Tahun", "Year"),
    "capaian_unit": ("Tingkat", "Level"),
    "capaian_province": ("Provinsi (semua UPT)", "Province (all units)"),
    "capaian_revision": ("Target dari revisi {revision}: {label} (dimasukkan {by}, {when}).",
                         "Targets from revision {revision}: {label} (entered by {by}, {when})."),
    "capaian_no_targets": ("Belum ada target untuk {year}. Admin dapat memasukkannya di bawah atau memuat templat "
                           "target.", "No targets for {year} yet. An admin can enter them below or load the target "
                           "template."),
    "capaian_months_line": ("Realisasi {span} ({n} bulan). Target pro-rata jumlah tahunan: {basis}.",
                            "Realisation {span} ({n} months). Pro-rata target of yearly totals: {basis}."),
    "capaian_full_year": ("Realisasi setahun penuh {year}.", "Realisation over the whole year {year}."),
    "capaian_no_data_year": ("Belum ada laporan untuk {year}.", "No reports for {year} yet."),
    "capaian_basis_seasonal": ("menurut pola bulanan tahun {years}", "following the monthly pattern of {years}"),
    "capaian_basis_linear": ("linear (bulan ÷ 12; belum ada tahun lengkap sebagai pola)",
                             "linear (months ÷ 12; no complete year to follow yet)"),
    "capaian_months": ("{n} bln", "{n} mo"),
    "capaian_col_no": ("No", "No"),
    "capaian_col_indicator": ("Indikator", "Indicator"),
    "capaian_col_unit": ("Satuan", "Unit"),
    "capaian_col_target": ("Target", "Target"),
    "capaian_col_realisation": ("Realisasi", "Realisation"),
    "capaian_col_achievement": ("Capaian %", "Achievement %"),
    "capaian_col_prorata": ("Target s.d. bulan ini", "Target to date"),
    "capaian_col_ytd": ("Capaian s.d. bulan ini %", "Achievement to date %"),
    "capaian_col_status": ("Status", "Status"),
    "capaian_status_achieved": ("Tercapai", "Achieved"),
    "capaian_status_not_achieved": ("Tidak tercapai", "Not achieved"),
    "capaian_status_on_track": ("Sesuai jalur", "On track"),
    "capaian_status_behind": ("Tertinggal", "Behind"),
    "capaian_status_no_target": ("Tanpa target", "No target"),
    "capaian_status_no_data": ("Belum ada data", "No data yet"),
    "capaian_trend": ("Tren beberapa tahun terakhir", "Trend of recent years"),
    "capaian_sheet": ("Capaian Kinerja", "Performance"),
    "capaian_trend_sheet": ("Tren", "Trend"),
    "capaian_doc_title": ("Capaian Kinerja {year} – {unit}", "Performance {year} – {unit}"),
    "capaian_download": ("Unduh tabel LKjIP (xlsx)", "Download the LKjIP table (xlsx)"),
    "capaian_revisions": ("Riwayat revisi target {year}", "Revision history of the {year} targets"),
    "capaian_col_revision": ("Revisi", "Revision"),
    "capaian_col_label": ("Dokumen", "Document"),
    "capaian_col_source": ("Sumber", "Source"),
    "capaian_col_by": ("Dimasukkan oleh", "Entered by"),
    "capaian_col_at": ("Waktu", "When"),
    "capaian_col_targets": ("Jumlah target", "Targets"),
    "capaian_edit": ("Ubah target (admin)", "Edit targets (admin)"),
    "capaian_edit_help": ("Menyimpan membuat revisi baru; revisi lama tetap tersimpan. Kosongkan sel untuk "
                          "menghapus target.", "Saving makes a new revision; older revisions stay. Empty a cell to "
                          "remove a target."),
    "capaian_label": ("Nama dokumen revisi", "Revision document"),
    "capaian_label_default": ("Perjanjian Kinerja {year}", "Performance agreement {year}"),
    "capaian_save": ("Simpan sebagai revisi baru", "Save as a new revision"),
    "capaian_saved": ("Target {year} disimpan sebagai revisi {revision}.", "The {year} targets were saved as "
                      "revision {revision}."),
    "capaian_upload": ("Muat target dari lembar kerja", "Load targets from a spreadsheet"),
    "capaian_template": ("Unduh templat target", "Download the target template"),
    "capaian_upload_button": ("Muat berkas target", "Load the target file"),
    "capaian_loaded": ("{n} target dari {file} dimuat sebagai revisi baru.", "{n} targets from {file} loaded as a "
                       "new revision."),
    "capaian_upload_label": ("Berkas {file}", "File {file}"),
    # ---- officers and notifications
    "officer_title": ("Petugas perpustakaan UPT", "Units' library officers"),
    "officer_help": ("Nama dan e-mail dinas petugas perpustakaan tiap UPT: penerima pengingat laporan yang belum "
                     "masuk.", "Name and work e-mail of each unit's library officer: who receives the reminders "
                     "of missing reports."),
    "officer_name": ("Nama petugas", "Officer's name"),
    "officer_email": ("E-mail petugas", "Officer's e-mail"),
    "officer_save": ("Simpan petugas", "Save the officer"),
    "officer_saved": ("Petugas {name} disimpan.", "The officer of {name} was saved."),
    "notify_sent_title": ("E-mail pengingat dan laporan yang terkirim", "Reminders and reports sent by e-mail"),
    "notify_sent_none": ("Belum ada e-mail yang terkirim.", "No e-mail has been sent yet."),
    "notify_not_configured": ("Pengiriman e-mail belum diatur: isi PANTAU_SMTP_HOST (dan PANTAU_SMTP_PORT, "
                              "PANTAU_SMTP_STARTTLS, PANTAU_SMTP_USER, PANTAU_SMTP_PASSWORD, PANTAU_MAIL_FROM), lalu "
                              "jadwalkan `python -m etl notify` dengan cron (lihat README).",
                              "E-mail is not configured: set PANTAU_SMTP_HOST (and PANTAU_SMTP_PORT, "
                              "PANTAU_SMTP_STARTTLS, PANTAU_SMTP_USER, PANTAU_SMTP_PASSWORD, PANTAU_MAIL_FROM), then "
                              "schedule `python -m etl notify` with cron (see the README)."),
    "col_sent_at": ("Dikirim", "Sent"),
    "col_kind": ("Jenis", "Kind"),
    "col_recipients": ("Penerima", "Recipients"),
    "col_about": ("Fasilitas / laporan", "Unit / report"),
    "col_subject": ("Subjek", "Subject"),
    "col_period": ("Periode", "Period"),
    "notify_kind_reminder": ("Pengingat laporan", "Report reminder"),
    "notify_kind_report": ("Laporan berkala", "Periodic report"),
    "page_subscribe": ("Langganan", "Subscriptions"),
    "subscribe_title": ("Langganan laporan lewat e-mail", "Reports by e-mail"),
    "subscribe_help": ("Laporan (PDF dan xlsx) dikirim ke {email} setelah periodenya ditutup.",
                       "The report (PDF and xlsx) is sent to {email} once its period has closed."),
    "subscribe_no_email": ("Akun Anda belum punya alamat e-mail; minta admin mengisinya untuk berlangganan.",
                           "Your account has no e-mail address; ask an admin to add one to subscribe."),
    "subscribe_monthly": ("Laporan bulanan", "Monthly report"),
    "subscribe_quarterly": ("Laporan triwulan", "Quarterly report"),
    "subscribe_save": ("Simpan langganan", "Save subscriptions"),
    "subscribe_saved": ("Langganan disimpan.", "Subscriptions saved."),
    # ---- map
    "agreement_renewed": ("sudah diperpanjang", "renewed"),
    "map_attribution": ("Batas wilayah: wilayah_boundaries © 2024 Cahya DSN (MIT)",
                        "Boundaries: wilayah_boundaries © 2024 Cahya DSN (MIT)"),
    "map_rate": ("Peminjaman per {base} WBP", "Loans per {base} inmates"),
    "map_no_rate": ("Tanpa angka per WBP", "No per-inmate figure"),
    "map_help": ("Warna wilayah: peminjaman per {base} WBP semua UPT di kabupaten/kota itu dalam periode ini "
                 "(abu-abu: tanpa UPT atau tanpa angka hunian). Ukuran titik: ukuran yang dipilih. Klik titik untuk "
                 "membuka halaman fasilitasnya.",
                 "Region colour: loans per {base} inmates of all units in that regency or city in the period (grey: no "
                 "unit or no occupancy figure). Point size: the chosen measure. Click a point to open its facility "
                 "page."),
    "report_chart_map": ("Peta: peminjaman per {base} WBP menurut kabupaten/kota, {period}",
                         "Map: loans per {base} inmates by regency and city, {period}"),
    "report_letter_number": ("Nomor: {number}", "Number: {number}"),
    "report_sign_nip": ("NIP. {nip}", "NIP {nip}"),
    "report_hl_silent": ("Belum ada laporan sama sekali dalam periode ini dari: {names}.",
                         "No report at all in this period from: {names}."),
    "report_hl_lowest": ("Peminjaman per {base} WBP terendah: {names}.", "Lowest loans per {base} inmates: {names}."),
    "report_hl_moved": ("Peminjaman dibanding {when}: naik terbanyak {up}; turun terbanyak {down}.",
                        "Loans against {when}: rose most at {up}; fell most at {down}."),
    # ---- look
    "empty_means": ("{dash} berarti {words}", "{dash} means {words}"),
    "upload_choose": ("Pilih berkas", "Choose files"),
    "template_file": ("templat", "template"),
    "story_loans": ("Peminjaman dalam periode ini: {value}{provisional}{change}.",
                    "Loans in this period: {value}{provisional}{change}."),
    "story_change": (", {change} dibanding periode sebelumnya (sebanding: {n} dari {total} UPT yang melapor di kedua "
                     "periode)", ", {change} against the previous period (like for like: {n} of {total} units that "
                     "reported in both)"),
    "story_not_reported": ("{n} dari {m} UPT belum lengkap melapor untuk {month}: {names}.",
                           "{n} of {m} units have not sent every report for {month}: {names}."),
    "story_and_others": ("dan {n} UPT lainnya", "and {n} more units"),
    "story_all_reported": ("Semua laporan {month} yang diharapkan dari {m} UPT sudah masuk.",
                           "Every report expected for {month} from the {m} units has arrived."),
    "story_lowest": ("Terendah per {base} WBP: {name} ({rate} peminjaman per {base} WBP per bulan).",
                     "Lowest per {base} inmates: {name} ({rate} loans per {base} inmates a month)."),
    "story_improved": ("Naik paling banyak: {name} ({change} peminjaman per {base} WBP dibanding periode sebelumnya).",
                       "Improved most: {name} ({change} loans per {base} inmates against the previous period)."),
    "attention_title": ("Perlu perhatian", "Needs attention"),
    "attention_none": ("Tidak ada UPT yang perlu perhatian khusus dalam periode ini.",
                       "No unit needs particular attention in this period."),
    "attention_flag": ("Perlu dicek: {text} (konfirmasi di Kelengkapan Data)",
                       "Needs a check: {text} (confirm on Data completeness)"),
    "attention_not_reported": ("{name}: laporan {reports} {month} belum masuk",
                               "{name}: {reports} report for {month} not in yet"),
    "attention_declined": ("{name}: peminjaman per {base} WBP turun {change}", "{name}: loans per {base} inmates fell {change}"),
    "attention_no_denominator": ("{name}: belum ada data hunian (tanpa penyebut)",
                                 "{name}: no occupancy figure (no denominator)"),
    "col_change": ("Perubahan (%)", "Change (%)"),
    "audit_method_password": ("dengan kata sandi", "with password"),
    "audit_unknown_account": ("akun tidak dikenal", "unknown account"),
    "audit_account_disabled": ("akun dinonaktifkan", "account disabled"),
    "audit_attempt": ("percobaan ke-{n}", "attempt {n}"),
    "audit_waiting": ("menunggu sampai {until}", "waiting until {until}"),
    "audit_upload": ("{file}: {dataset}, {rows} baris dimuat, {refused} ditolak",
                     "{file}: {dataset}, {rows} rows loaded, {refused} refused"),
    "audit_replace": ("batch {batches} digantikan untuk {n} sel fasilitas-bulan",
                      "batch {batches} replaced for {n} facility-month cells"),
    "audit_cells": ("{n} sel fasilitas-bulan", "{n} facility-month cells"),
    "audit_purged": ("{n} berkas asli dihapus (masa simpan {days} hari)",
                     "{n} original files removed (kept {days} days)"),
    "audit_first_start": ("mulai pertama", "first start"),
    "indicators_intro_words": ("Setiap angka di dasbor: rumusnya, kodenya di ISO 11620 / PAKPI 2021 bila ada, dan nilai "
                               "pengaturan yang dipakainya (admin server dapat mengubahnya).",
                               "Every figure on the dashboard: its formula, its ISO 11620 / PAKPI 2021 code where it "
                               "has one, and the values of the settings it uses (the server's admin can change them)."),
    "indicators_settings_words": ("Nilai yang dipakai: {used}.", "Values used: {used}."),
    "indicators_setting_value": ("{value} ({meaning})", "{value} ({meaning})"),
    "report_summary_counted": ("Laporan pemeriksaan: {errors}, {warnings}, {notes}.",
                               "Validation report: {errors}, {warnings}, {notes}."),
    "col_fill": ("Terisi (% kapasitas)", "Filled (% of capacity)"),
    "col_fill_help": ("Penghuni dibanding kapasitas: 100 = penuh, di atas 100 = melebihi kapasitas, di bawah 100 = "
                      "masih di bawah kapasitas.", "Occupants against capacity: 100 = full, above 100 = over "
                      "capacity, below 100 = below capacity."),
    "fill_no_capacity": ("kapasitas tidak diketahui", "capacity unknown"),
    "count_errors_one": ("{n} galat", "{n} error"),
    "count_errors_many": ("{n} galat", "{n} errors"),
    "count_warnings_one": ("{n} peringatan", "{n} warning"),
    "count_warnings_many": ("{n} peringatan", "{n} warnings"),
    "count_notes_one": ("{n} catatan", "{n} note"),
    "count_notes_many": ("{n} catatan", "{n} notes"),
    "col_change_help": ("Dibanding periode sepanjang ini tepat sebelumnya.",
                        "Against the period of the same length just before."),
    "col_per100": ("Per {base} WBP", "Per {base} inmates"),
    "col_per100_help": ("Peminjaman per {base} WBP per bulan.", "Loans per {base} inmates a month."),
    "dataset_occupancy": ("Hunian", "Occupancy"),
    "dataset_packages": ("Paket buku", "Book packages"),
    "dataset_agreements": ("Kerja sama (PKS)", "Agreements"),
    "upload_limit": ("Seret berkas ke kotak di bawah atau klik Pilih berkas; paling besar {mb} MB per berkas ({types}).",
                     "Drop files on the box below or click Choose files; at most {mb} MB per file ({types})."),
    # loan categories the app itself writes (DDC main classes from etl.parse.DDC_CLASSES, the template's
    # other choices, and the chart's bucket for the rest); a sheet's own words stay as written
    "category_000 Karya Umum": ("000 Karya Umum", "000 General works"),
    "category_100 Filsafat & Psikologi": ("100 Filsafat & Psikologi", "100 Philosophy & psychology"),
    "category_200 Agama": ("200 Agama", "200 Religion"),
    "category_300 Ilmu Sosial": ("300 Ilmu Sosial", "300 Social sciences"),
    "category_400 Bahasa": ("400 Bahasa", "400 Language"),
    "category_500 Ilmu Murni": ("500 Ilmu Murni", "500 Science"),
    "category_600 Ilmu Terapan": ("600 Ilmu Terapan", "600 Technology"),
    "category_700 Kesenian & Olahraga": ("700 Kesenian & Olahraga", "700 Arts & recreation"),
    "category_800 Kesusastraan": ("800 Kesusastraan", "800 Literature"),
    "category_900 Sejarah & Geografi": ("900 Sejarah & Geografi", "900 History & geography"),
    "category_Fiksi": ("Fiksi", "Fiction"),
    "category_Majalah": ("Majalah", "Magazines"),
    "category_Lainnya": ("Lainnya", "Other"),
    # training topics the template offers (etl.specs TRAINING topic choices); a sheet's own words stay
    "topic_Literasi": ("Literasi", "Literacy"),
    "topic_Menulis": ("Menulis", "Writing"),
    "topic_Anggrek": ("Anggrek", "Orchids"),
    "topic_Hidroponik": ("Hidroponik", "Hydroponics"),
    "topic_Teknologi Tepat Guna": ("Teknologi Tepat Guna", "Appropriate technology"),
    "topic_Pengelolaan Perpustakaan": ("Pengelolaan Perpustakaan", "Library management"),
    "topic_Lainnya": ("Lainnya", "Other"),
    # ---- tgt2 (realisation against target beside the dashboard's figures and in the annual report)
    "target_line": ("Target {year}: {target} (capaian {pct})", "Target {year}: {target} ({pct} achieved)"),
    "target_line_plain": ("Target {year}: {target}", "Target {year}: {target}"),
    "target_line_prorata": ("pro-rata s.d. {month}: {prorata} ({pct})", "pro rata to {month}: {prorata} ({pct})"),
    "target_line_no_data": ("belum ada realisasi", "no realisation yet"),
    "target_unit_title": ("Capaian target {year} unit ini", "This unit's targets for {year}"),
    "target_unit_line": ("{indicator}: {amount} · {line}", "{indicator}: {amount} · {line}"),
    "report_section_capaian": ("Capaian kinerja {year} (tabel LKjIP)", "Performance against targets {year} (LKjIP table)"),
    "target_line_basis": ("Target pro-rata jumlah tahunan: {basis}.", "Pro-rata target of yearly totals: {basis}."),
    # ---- s21-snap (Riwayat Unggah: the figures before a batch from the lake's snapshots; a busy warehouse on upload)
    "snap_title": ("Angka sebelum batch ini", "Figures before this batch"),
    "snap_show": ("Tampilkan angka dasbor sebelum batch ini dimuat", "Show the dashboard's figures before this batch"),
    "snap_file_only": ("Snapshot riwayat hanya ada pada gudang data DuckLake; gudang data ini satu berkas DuckDB, jadi "
                       "angka sebelum batch tidak dapat ditampilkan.",
                       "History snapshots exist only on the DuckLake warehouse; this warehouse is one DuckDB file, so "
                       "the figures before a batch cannot be shown."),
    "snap_caption": ("Angka unit dan bulan batch #{id} pada snapshot {snapshot} gudang data (tepat sebelum batch ini "
                     "dimuat) dan sekarang.",
                     "The figures of batch #{id}'s units and months at warehouse snapshot {snapshot} (just before "
                     "this batch was loaded) and now."),
    "snap_col_figure": ("Angka", "Figure"),
    "snap_col_before": ("Sebelum batch", "Before the batch"),
    "snap_col_now": ("Sekarang", "Now"),
    "snap_none": ("belum ada angka", "no figure"),
    "snap_fig_loans": ("Peminjaman", "Loans"),
    "snap_fig_borrowers": ("Peminjam", "Borrowers"),
    "snap_fig_visitors": ("Pengunjung", "Visitors"),
    "snap_fig_training_sessions": ("Sesi pelatihan", "Training sessions"),
    "snap_fig_training_participants": ("Peserta pelatihan", "Training participants"),
    "snap_fig_occupants": ("Penghuni", "Occupants"),
    "snap_fig_agreements": ("Jumlah PKS", "Agreements"),
    "snap_fig_books_delivered": ("Buku dikirim", "Books delivered"),
    "snap_reason_not_recorded": ("Batch ini dimuat sebelum gudang data mencatat snapshot tiap batch, jadi angka "
                                 "sebelumnya tidak tersedia.",
                                 "This batch was loaded before the warehouse recorded each batch's snapshot, so the "
                                 "figures before it are not available."),
    "snap_reason_expired": ("Snapshot sebelum batch ini sudah dihapus oleh pemeliharaan gudang data, jadi angka "
                            "sebelumnya tidak tersedia lagi.",
                            "The snapshot before this batch was removed by warehouse maintenance, so the figures "
                            "before it are no longer available."),
    "snap_reason_mismatch": ("Batch ini disalin dari gudang data lain, jadi snapshot sebelum batch ini tidak ada di "
                             "gudang data ini.",
                             "This batch was copied from another warehouse, so the snapshot before it is not in this "
                             "warehouse."),
    "snap_reason_unreadable": ("Angka pada snapshot sebelum batch ini tidak dapat dibaca karena susunan tabel gudang "
                               "data waktu itu berbeda.",
                               "The figures at the snapshot before this batch cannot be read because the warehouse's "
                               "tables were laid out differently then."),
    "snap_reason_no_batch": ("Batch ini tidak ada lagi di gudang data.", "This batch is no longer in the warehouse."),
    "upload_busy": ("Gudang data sedang sibuk dengan unggahan lain, jadi tidak ada bagian berkas ini yang tersimpan; "
                    "tekan tombol muat lagi.",
                    "The warehouse was busy with other uploads, so nothing of this file was stored; press the load "
                    "button again."),
    # ---- s21 main: a page read that waited for a writer past PANTAU_LOCK_TIMEOUT
    "warehouse_busy": ("Gudang data sedang dipakai proses lain (misalnya memuat berkas besar) lebih lama dari biasanya; "
                       "tunggu sebentar lalu muat ulang halaman ini.",
                       "The warehouse is being used by another process (loading a large file, for example) for longer "
                       "than usual; wait a moment and reload this page."),
}


_OVERRIDE: ContextVar[str | None] = ContextVar("pantau_lang", default=None)


@contextmanager
def use_lang(value: str):
    """Outside a Streamlit page (reports from the command line), say which language to use."""
    token = _OVERRIDE.set(normalise_lang(value))
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def lang() -> str:
    """The page language (kept by the sidebar switch, see ``ui.filters.state``), or the one
    set with :func:`use_lang` outside a page."""
    override = _OVERRIDE.get()
    if override:
        return override
    if get_script_run_ctx(suppress_warning=True) is None:
        return normalise_lang(settings.get("PANTAU_LANG"))
    return normalise_lang(st.session_state.get("_url_lang") or st.session_state.get("lang") or "id")


def t(key: str, **kw) -> str:
    return translate(TEXT, key, lang(), **kw)


def label(prefix: str, value) -> str:
    """A translated label for a stored code (``group_wbp``), or the value itself."""
    if value is None or value != value:  # None or NaN
        return ""
    key = f"{prefix}_{value}"
    return t(key) if key in TEXT else str(value)
