"""Every message the ETL gives staff, in Indonesian and English.

A message names the place (file, sheet, row, column, value) through
:class:`Problem`, says what is wrong in one sentence and what to do in the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.i18n import normalise_lang, translate

DATE_HINT = ("Tulis tanggal seperti 06/08/2024 atau 6 Agustus 2024.",
             "Write the date like 06/08/2024 or 6 August 2024.")

CATALOG: dict[str, tuple[str, str]] = {
    # ---- values
    "bad_date": ("'{value}' bukan tanggal yang valid. " + DATE_HINT[0],
                 "'{value}' is not a valid date. " + DATE_HINT[1]),
    "date_too_old": ("'{value}' terlalu lama (sebelum tahun 2000); periksa tahunnya.",
                     "'{value}' is too old (before 2000); check the year."),
    "future_date": ("'{value}' ada di masa depan (hari ini {today}); periksa tanggalnya.",
                    "'{value}' lies in the future (today is {today}); check the date."),
    "bad_month": ("'{value}' bukan bulan yang valid. Tulis seperti 'Agustus 2024', 'Agu 2024' atau '2024-08'.",
                  "'{value}' is not a valid month. Write it like 'August 2024', 'Aug 2024' or '2024-08'."),
    "month_without_year": ("'{value}' tidak menyebut tahun dan judul sheet juga tidak. Tulis seperti 'Agustus 2024'.",
                           "'{value}' has no year and neither has the sheet title. Write it like 'August 2024'."),
    "bad_year": ("'{value}' bukan tahun. Tulis tahunnya dengan empat angka, mis. 2024.",
                 "'{value}' is not a year. Write the year in four digits, e.g. 2024."),
    "bad_number": ("'{value}' bukan angka. Tulis angka saja, mis. 1234 atau 1.234.",
                   "'{value}' is not a number. Write digits only, e.g. 1234."),
    "ambiguous_number": ("'{value}' bisa dibaca dua cara (koma desimal atau pemisah ribuan). Tulis tanpa pemisah, mis. 1234.",
                         "'{value}' can be read two ways (decimal comma or thousands separator). Write it without separators, e.g. 1234."),
    "negative_count": ("'{value}' negatif; jumlah tidak boleh kurang dari 0.",
                       "'{value}' is negative; a count cannot be below 0."),
    "not_whole": ("'{value}' bukan bilangan bulat; jumlah orang atau buku harus bulat.",
                  "'{value}' is not a whole number; people and books are counted in whole numbers."),
    "bad_gender": ("'{value}' bukan jenis kelamin yang dikenal. Tulis L atau P.",
                   "'{value}' is not a known gender. Write L or P."),
    "bad_service": ("'{value}' bukan layanan yang dikenal. Tulis 'Perpustakaan' atau 'Pusling'.",
                    "'{value}' is not a known service. Write 'Perpustakaan' or 'Pusling'."),
    "bad_audience": ("'{value}' bukan sasaran yang dikenal. Tulis 'WBP' atau 'Pengelola Perpustakaan'.",
                     "'{value}' is not a known audience. Write 'WBP' or 'Pengelola Perpustakaan'."),
    "bad_status": ("'{value}' bukan status peminjaman yang dikenal. Tulis 0/Dipinjam atau 1/Dikembalikan.",
                   "'{value}' is not a known loan status. Write 0/on loan or 1/returned."),
    "bad_visit_kind": ("'{value}' bukan jenis kunjungan yang dikenal. Tulis 'Perorangan' atau 'Rombongan'.",
                       "'{value}' is not a known visit kind. Write 'Perorangan' or 'Rombongan'."),
    "bad_group": ("'{value}' bukan kelompok yang dikenal. Tulis WBP, Petugas, Anak atau Umum.",
                  "'{value}' is not a known group. Write WBP, Petugas, Anak or Umum."),
    "id_destroyed": ("ID ini ({value}) sudah dirusak Excel menjadi angka bulat/ilmiah sehingga digit aslinya hilang. "
                     "Format kolom ini sebagai Teks (Format Cells > Text), ketik ulang ID-nya, lalu unggah lagi.",
                     "this id ({value}) was turned by Excel into a rounded or scientific number, so its original "
                     "digits are lost. Format this column as Text (Format Cells > Text), retype the ids and upload "
                     "again."),
    "facility_unknown": ("tidak ada UPT bernama '{value}'. Yang paling mirip: {candidates}. "
                         "Tulis nama resmi atau kodenya.",
                         "there is no unit named '{value}'. Closest: {candidates}. "
                         "Write the official name or its code."),
    "facility_class_outdated": ("'{value}' dibaca sebagai {facility}: tempat dan jenisnya hanya cocok dengan UPT itu, "
                                "yang kelasnya sekarang {klass} (tertulis {written}).",
                                "'{value}' was read as {facility}: its place and kind fit that unit only, whose class "
                                "is now {klass} (written {written})."),
    "facility_ambiguous": ("'{value}' bisa berarti lebih dari satu fasilitas: {candidates}. Tulis nama lengkapnya.",
                           "'{value}' could mean more than one facility: {candidates}. Write the full name."),
    "facility_not_inmate": ("'{value}' ({facility}) tidak menampung WBP; data layanan perpustakaan hanya untuk Lapas, Rutan dan LPKA.",
                            "'{value}' ({facility}) holds no inmates; library data is only for Lapas, Rutan and LPKA."),
    "facility_missing": ("fasilitas kosong, dan judul atau nama berkas tidak menyebut satu fasilitas. "
                         "Isi kolom Fasilitas, atau pilih fasilitasnya saat mengunggah (--facility KODE).",
                         "the facility is empty, and neither the title nor the file name names one facility. "
                         "Fill the Facility column, or choose the facility when uploading (--facility CODE)."),
    "facility_title_name_conflict": ("judul menyebut {value}, tetapi nama berkas menyebut {other}. Perbaiki judul atau "
                                     "nama berkasnya, atau pilih fasilitasnya saat mengunggah (--facility KODE).",
                                     "the title names {value}, but the file name names {other}. Fix the title or the "
                                     "file name, or choose the facility when uploading (--facility CODE)."),
    "facility_conflict": ("'{value}' berbeda dengan fasilitas yang dipilih saat mengunggah ({facility}). "
                          "Perbaiki baris ini atau pilih fasilitas yang benar.",
                          "'{value}' differs from the facility chosen for the upload ({facility}). "
                          "Fix the row or choose the right facility."),
    "required": ("wajib diisi. {help}", "is required. {help}"),
    "row_shape": ("baris ini tidak lengkap. {help}", "this row is incomplete. {help}"),
    "due_before_loan": ("tanggal kembali {value} lebih awal dari tanggal pinjam {other}; periksa kedua tanggal.",
                        "due date {value} is before the loan date {other}; check both dates."),
    "return_before_loan": ("tanggal dikembalikan {value} lebih awal dari tanggal pinjam {other}; periksa kedua tanggal.",
                           "return date {value} is before the loan date {other}; check both dates."),
    "end_before_start": ("tanggal selesai {value} lebih awal dari tanggal mulai {other}.",
                         "end date {value} is before the start date {other}."),
    "lp_mismatch": ("L ({l}) + P ({p}) = {sum}, tidak sama dengan jumlah {value}. Perbaiki salah satunya.",
                    "M ({l}) + F ({p}) = {sum}, not the total {value}. Fix one of them."),
    "package_empty": ("baris paket tanpa jumlah buku. Isi 'Buku Dikirim' atau 'Buku Ditarik'.",
                      "a package row without a number of books. Fill 'Books Delivered' or 'Books Taken Back'."),
    "bad_scope": ("'{item}' bukan ruang lingkup PKS yang dikenal. Tulis misalnya 'bahan bacaan, perpustakaan keliling, "
                  "peminjaman buku, pelatihan WBP, pelatihan pengelola perpustakaan'.",
                  "'{item}' is not a known agreement scope. Write for example 'bahan bacaan, perpustakaan keliling, "
                  "peminjaman buku, pelatihan WBP, pelatihan pengelola perpustakaan'."),
    "no_participants": ("jumlah peserta kosong. Isi 'Jumlah Peserta' atau 'Peserta L' dan 'Peserta P'.",
                        "the participant count is empty. Fill 'Participants' or 'Participants M' and 'F'."),
    "duplicate_row": ("sama dengan baris {other} ({what}); satu kejadian hanya boleh ditulis sekali agar tidak terhitung dua kali.",
                      "repeats row {other} ({what}); each event may be written once so it is not counted twice."),
    "total_mismatch": ("baris jumlah menulis {value}, tetapi jumlah baris-baris di atasnya {expected}. "
                       "Perbaiki angka jumlahnya atau baris datanya.",
                       "the total row says {value}, but the rows above add up to {expected}. "
                       "Fix the total or the data rows."),
    "matrix_no_year": ("judul kolom bulan ('{value}') tidak menyebut tahun, begitu pula judul di atas tabel, nama sheet "
                       "dan nama berkas. Tulis tahunnya di judul, mis. 'TAHUN 2024', atau di judul kolom, mis. 'Jan 2024'.",
                       "the month headers ('{value}') name no year, and neither do the title above the table, the sheet "
                       "name or the file name. Write the year in the title, e.g. 'TAHUN 2024', or in the headers, e.g. "
                       "'Jan 2024'."),
    "matrix_row_total_mismatch": ("kolom jumlah menulis {value}, tetapi bulan-bulan di baris ini berjumlah {expected}. "
                                  "Perbaiki angka jumlahnya atau angka bulanannya.",
                                  "the total column says {value}, but the months of this row add up to {expected}. "
                                  "Fix the total or the monthly figures."),
    "matrix_subtotal_mismatch": ("baris ini adalah subjumlah baris {first}–{last} di bawahnya dan menulis {value}, "
                                 "tetapi baris-baris itu berjumlah {expected}. Perbaiki salah satunya.",
                                 "this row is the subtotal of rows {first}–{last} below it and says {value}, but those "
                                 "rows add up to {expected}. Fix one of them."),
    "matrix_future_month": ("bulan {month} belum tiba (hari ini {today}), tetapi berisi {value}. Periksa tahun di judul, "
                            "atau kosongkan bulan yang belum tiba.",
                            "{month} has not come yet (today is {today}), but holds {value}. Check the year in the title, "
                            "or leave the months still to come empty."),
    "matrix_label_missing": ("baris ini berisi angka tetapi '{label}'-nya kosong. Isi '{label}', atau tulis 'JUMLAH' "
                             "bila ini baris jumlah.",
                             "this row holds figures but its '{label}' is empty. Fill in '{label}', or write 'JUMLAH' "
                             "if it is a total row."),
    "group_without_count": ("baris rombongan tanpa jumlah orang. Isi 'Jumlah Pengunjung', atau tulis jenis kelaminnya "
                            "seperti '12 Laki-laki<br>8 Perempuan'.",
                            "a group row without a head count. Fill in 'Visitors', or write the gender cell like "
                            "'12 Laki-laki<br>8 Perempuan'."),
    "outside_period": ("tanggal {value} di luar periode di judul ({period}).",
                       "date {value} is outside the period in the title ({period})."),
    # ---- issue 12: values out of range, headers, formulas, control characters (one block)
    "count_too_large": ("'{value}' terlalu besar untuk satu sel (paling banyak {limit_id}); periksa angkanya.",
                        "'{value}' is too large for one cell (at most {limit_en}); check the figure."),
    "future_month": ("bulan '{value}' belum tiba (hari ini {today}); periksa bulan dan tahunnya.",
                     "the month '{value}' has not come yet (today is {today}); check the month and year."),
    "future_month_label": ("bulan '{value}' di atas tabel belum tiba (hari ini {today}); periksa bulan dan tahunnya. "
                           "Tidak ada baris sheet ini yang dimuat.",
                           "the month '{value}' above the table has not come yet (today is {today}); check the month "
                           "and year. No row of this sheet was loaded."),
    "form_answered_twice": ("formulir untuk {unit} {month} dijawab dua kali: baris ini (dikirim {skipped_at}) dan "
                            "baris {used} (dikirim {used_at}). Yang dipakai jawaban terakhir, baris {used}; baris ini "
                            "tidak dimuat agar tidak terhitung dua kali.",
                            "the form for {unit} {month} was answered twice: this row (sent {skipped_at}) and row "
                            "{used} (sent {used_at}). The last answer, row {used}, is used; this row was not loaded, "
                            "so nothing is counted twice."),
    "form_figure_empty": ("jawaban ini tidak mengisi kolom ini, jadi tidak ada laporan {dataset} darinya.",
                          "this answer leaves this column empty, so it reports no {dataset}."),
    "future_month_title": ("judul menyebut bulan {value}, yang belum tiba (hari ini {today}); periksa bulan dan "
                           "tahunnya. Tidak ada baris sheet ini yang dimuat.",
                           "the title names {value}, which has not come yet (today is {today}); check the month and "
                           "year. No row of this sheet was loaded."),
    "duplicate_header": ("judul kolom '{value}' muncul dua kali (kolom ke-{first} dan ke-{second} dari kiri), "
                         "sehingga tidak jelas mana yang dibaca. Hapus atau ganti nama salah satunya.",
                         "the column header '{value}' appears twice (columns {first} and {second} from the left), "
                         "so it is not clear which one to read. Delete or rename one of them."),
    "synonym_header": ("kolom '{value}' (ke-{second} dari kiri) dan '{other}' (ke-{first}) sama-sama berarti "
                       "'{field}'; yang dibaca '{other}', '{value}' tidak dibaca.",
                       "columns '{value}' ({second} from the left) and '{other}' ({first}) both mean '{field}'; "
                       "'{other}' was read, '{value}' was not."),
    "borrowers_exceed_loans": ("peminjam L ({l}) + P ({p}) = {sum}, lebih banyak dari jumlah peminjaman {value}; "
                               "satu peminjam meminjam paling sedikit satu buku. Perbaiki salah satunya.",
                               "borrowers M ({l}) + F ({p}) = {sum}, more than the {value} loans; each borrower "
                               "borrows at least one book. Fix one of them."),
    "lp_exceeds_total": ("{part} ({n}) lebih besar dari jumlah {value}. Perbaiki salah satunya.",
                         "{part} ({n}) is larger than the total {value}. Fix one of them."),
    "formula_without_value": ("sel ini berisi rumus tanpa nilai tersimpan; buka berkas di Excel/LibreOffice, simpan "
                              "ulang, lalu unggah lagi.",
                              "this cell holds a formula without a stored value; open the file in Excel/LibreOffice, "
                              "save it again and upload again."),
    "excel_error": ("sel berisi galat Excel '{value}' (rumus yang gagal), bukan data. Perbaiki rumusnya atau ketik "
                    "nilainya, lalu unggah lagi.",
                    "the cell holds the Excel error '{value}' (a formula that failed), not data. Fix the formula or "
                    "type the value, then upload again."),
    "text_too_long": ("isi sel terlalu panjang (lebih dari {limit_id} karakter): '{value}'. Persingkat isinya.",
                      "the cell's text is too long (more than {limit_en} characters): '{value}'. Shorten it."),
    "header_only": ("berisi judul kolom tetapi tidak ada satu pun baris data; tidak ada yang dimuat. Isi datanya di "
                    "bawah judul kolom lalu unggah lagi.",
                    "holds column headers but not a single data row; nothing was loaded. Fill in the data under the "
                    "headers and upload again."),
    "load_value_out_of_range": ("nilai '{value}' tidak muat di gudang data (terlalu besar); tidak ada yang dimuat. "
                                "Periksa angkanya lalu unggah lagi.",
                                "the value '{value}' does not fit in the warehouse (too large); nothing was loaded. "
                                "Check the figure and upload again."),
    "load_failed": ("berkas tidak bisa disimpan ke gudang data: ada nilai yang tidak sesuai dengan kolomnya; tidak ada "
                    "yang dimuat. Periksa angka dan tanggalnya lalu unggah lagi, atau hubungi admin.",
                    "the file could not be stored in the warehouse: a value does not fit its column; nothing was "
                    "loaded. Check its figures and dates and upload again, or contact an admin."),
    # ---- sheets and files
    "unknown_sheet": ("tidak dikenali sebagai data peminjaman, kunjungan, pelatihan, daftar hadir, hunian, paket buku "
                      "atau kerja sama, sehingga tidak dibaca. Pastikan baris judul kolom memakai nama seperti di templat "
                      "(mis. 'Tanggal Pinjam').",
                      "was not recognised as loans, visits, training, attendance, occupancy, book packages or "
                      "agreements, so it was not read. Make sure the header row uses names as in the template (e.g. "
                      "'Tanggal Pinjam')."),
    "ambiguous_sheet": ("cocok dengan lebih dari satu jenis data ({candidates}). Ganti nama sheet menjadi salah satunya.",
                        "matches more than one dataset ({candidates}). Rename the sheet to one of them."),
    "empty_sheet": ("kosong, dilewati.", "is empty and was skipped."),
    "instructions_sheet": ("berisi petunjuk, dilewati.", "holds instructions and was skipped."),
    "hidden_sheet": ("tersembunyi, dilewati.", "is hidden and was skipped."),
    "no_data_rows": ("punya judul kolom tetapi tidak ada baris data.", "has a header but no data rows."),
    "unknown_column": ("kolom '{value}' tidak dikenal dan tidak dibaca.", "column '{value}' is not known and was not read."),
    "column_numbers_row": ("baris nomor kolom (1, 2, 3, ...) dilewati.", "row of column numbers (1, 2, 3, ...) skipped."),
    "section_row": ("baris subjudul di dalam tabel dilewati.", "heading row inside the table skipped."),
    "footer_skipped": ("catatan/tanda tangan di bawah tabel tidak dibaca.", "notes/signatures under the table were not read."),
    "matrix_read": ("tabel bulanan dibaca: {rows_n} baris × {months_n} bulan ({first}–{last}) menjadi {value} angka "
                    "rekap; kolom dan baris jumlah diperiksa dan tidak dihitung sebagai data.",
                    "month table read: {rows_n} rows × {months_n} months ({first}–{last}) became {value} recap "
                    "figures; total columns and rows were checked and not counted as data."),
    "matrix_months_skipped": ("kolom {value} kosong atau 0 semua di awal/akhir tahun, sehingga bulan itu dianggap belum "
                              "dilaporkan dan tidak dimuat.",
                              "columns {value} are empty or all 0 at the start/end of the year, so those months count "
                              "as not reported and were not loaded."),
    "matrix_subtotals": ("baris kelas utama (subjumlah baris-baris sub-kelas di bawahnya) diperiksa dan tidak dihitung "
                         "sebagai data.",
                         "main-class rows (subtotals of the sub-class rows under them) were checked and not counted as "
                         "data."),
    "summary_row": ("baris rata-rata/persentase tidak dihitung sebagai data.",
                    "average/percentage row not counted as data."),
    "total_checked": ("baris jumlah diperiksa dan cocok; tidak dihitung sebagai data.",
                      "total row checked and correct; not counted as data."),
    "total_skipped": ("baris jumlah tidak dihitung sebagai data.", "total row not counted as data."),
    "title_facility_conflict": ("judul menyebut beberapa fasilitas ({candidates}); fasilitas diambil dari kolom atau pilihan unggah.",
                                "the title names several facilities ({candidates}); the facility is taken from the column or the upload choice."),
    "option_overrides_title": ("judul menyebut {value}, tetapi fasilitas yang dipilih saat mengunggah {facility} yang dipakai.",
                               "the title names {value}, but the facility chosen for the upload, {facility}, is used."),
    "empty_file": ("berkas kosong.", "the file is empty."),
    "bad_zip": ("berkas rusak (arsip zip tidak utuh). Simpan ulang dari program lembar kerja lalu unggah lagi.",
                "the file is damaged (broken zip archive). Save it again from the spreadsheet program and upload again."),
    "not_spreadsheet": ("bukan lembar kerja (xlsx, xls, ods, csv). Simpan sebagai .xlsx lalu unggah lagi.",
                        "is not a spreadsheet (xlsx, xls, ods, csv). Save it as .xlsx and upload again."),
    "corrupt": ("tidak bisa dibuka: {detail}. Simpan ulang sebagai .xlsx lalu unggah lagi.",
                "cannot be opened: {detail}. Save it again as .xlsx and upload again."),
    "no_table": ("tidak berisi tabel.", "holds no table."),
    "no_dataset": ("tidak berisi sheet yang dikenali. Gunakan templat dari 'python -m etl template' atau halaman Unggah.",
                   "holds no recognised sheet. Use a template from 'python -m etl template' or the Upload page."),
    # ---- files past a limit, or unsafe/unreadable (etl.limits, etl.readers): checked before anything big is read
    "file_too_large": ("berkas terlalu besar atau rusak: ukurannya {size_id} MB; batasnya {limit_id} MB. Bagi datanya "
                       "menjadi beberapa berkas (mis. per bulan) lalu unggah lagi.",
                       "the file is too large or damaged: it is {size_en} MB; the limit is {limit_en} MB. Split the "
                       "data into several files (e.g. one per month) and upload again."),
    "grid_too_large": ("berkas terlalu besar atau rusak: sheet '{sheet}' berisi sel di {cell}, sehingga tabelnya "
                       "{cells_id} sel; batasnya {limit_id} sel. Hapus isi atau format sel yang jauh di luar tabel, "
                       "simpan, lalu unggah lagi.",
                       "the file is too large or damaged: sheet '{sheet}' holds a cell at {cell}, which makes its "
                       "table {cells_en} cells; the limit is {limit_en} cells. Delete the contents or formatting of "
                       "cells far outside the table, save, and upload again."),
    "too_many_rows": ("berkas terlalu besar atau rusak: sheet '{sheet}' punya {rows_id} baris; batasnya {limit_id} "
                      "baris. Bagi datanya menjadi beberapa berkas lalu unggah lagi.",
                      "the file is too large or damaged: sheet '{sheet}' has {rows_en} rows; the limit is {limit_en} "
                      "rows. Split the data into several files and upload again."),
    "too_many_columns": ("berkas terlalu besar atau rusak: sheet '{sheet}' punya {columns_id} kolom; batasnya "
                         "{limit_id} kolom. Hapus kolom yang jauh di luar tabel lalu unggah lagi.",
                         "the file is too large or damaged: sheet '{sheet}' has {columns_en} columns; the limit is "
                         "{limit_en} columns. Delete the columns far outside the table and upload again."),
    "too_many_sheets": ("berkas terlalu besar atau rusak: berisi {sheets_id} sheet; batasnya {limit_id} sheet. "
                        "Bagi sheet-nya ke beberapa berkas lalu unggah lagi.",
                        "the file is too large or damaged: it holds {sheets_en} sheets; the limit is {limit_en}. "
                        "Split the sheets into several files and upload again."),
    "too_many_merged": ("berkas terlalu besar atau rusak: sheet '{sheet}' punya {merged_id} rentang sel gabungan; "
                        "batasnya {limit_id}. Pisahkan sel gabungan (Unmerge) di luar judul tabel lalu unggah lagi.",
                        "the file is too large or damaged: sheet '{sheet}' has {merged_en} merged ranges; the limit "
                        "is {limit_en}. Unmerge the cells outside the table's headers and upload again."),
    "cell_too_long": ("berkas terlalu besar atau rusak: {place_id} berisi {chars_id} karakter dalam satu sel; batasnya "
                      "{limit_id} karakter (batas Excel sendiri). Persingkat isinya lalu unggah lagi.",
                      "the file is too large or damaged: {place_en} holds {chars_en} characters in one cell; the "
                      "limit is {limit_en} characters (Excel's own). Shorten it and upload again."),
    "span_too_large": ("berkas terlalu besar atau rusak: tabel '{sheet}', sel {cell} menggabungkan {span_id} sel "
                       "({attr}); batasnya {limit_id}. Simpan ulang sebagai .xlsx dari program lembar kerja lalu "
                       "unggah lagi.",
                       "the file is too large or damaged: table '{sheet}', cell {cell} spans {span_en} cells "
                       "({attr}); the limit is {limit_en}. Save it again as .xlsx from a spreadsheet program and "
                       "upload again."),
    "zip_member_too_large": ("berkas terlalu besar atau rusak: bagian '{member}' di dalamnya terbuka menjadi {size_id} "
                             "MB; batasnya {limit_id} MB. Simpan ulang dari program lembar kerja lalu unggah lagi.",
                             "the file is too large or damaged: its part '{member}' unpacks to {size_en} MB; the "
                             "limit is {limit_en} MB. Save it again from the spreadsheet program and upload again."),
    "zip_too_many_members": ("berkas terlalu besar atau rusak: arsipnya berisi {members_id} bagian; batasnya "
                             "{limit_id}. Simpan ulang dari program lembar kerja lalu unggah lagi.",
                             "the file is too large or damaged: its archive holds {members_en} parts; the limit is "
                             "{limit_en}. Save it again from the spreadsheet program and upload again."),
    "xml_entities": ("berkas rusak atau tidak aman: bagian '{member}' memakai deklarasi DOCTYPE/ENTITY, yang tidak "
                     "pernah ditulis program lembar kerja. Simpan ulang dari Excel atau LibreOffice lalu unggah lagi.",
                     "the file is damaged or unsafe: its part '{member}' uses a DOCTYPE/ENTITY declaration, which "
                     "spreadsheet programs never write. Save it again from Excel or LibreOffice and upload again."),
    "encrypted": ("berkas dilindungi kata sandi (terenkripsi), sehingga tidak bisa dibaca. Buka di Excel, hapus kata "
                  "sandinya (File > Info > Protect Workbook > Encrypt with Password), simpan, lalu unggah lagi.",
                  "the file is password-protected (encrypted), so it cannot be read. Open it in Excel, remove the "
                  "password (File > Info > Protect Workbook > Encrypt with Password), save, and upload again."),
    "xlsb": ("berkas Excel Binary (.xlsb) tidak didukung. Buka di Excel, simpan sebagai Excel Workbook (.xlsx), "
             "lalu unggah lagi.",
             "Excel Binary files (.xlsb) are not supported. Open it in Excel, save it as Excel Workbook (.xlsx), "
             "and upload again."),
    "unreadable": ("berkas rusak atau formatnya tidak dikenali, sehingga tidak bisa dibuka. Simpan ulang sebagai "
                   ".xlsx dari program lembar kerja lalu unggah lagi.",
                   "the file is damaged or its format is not recognised, so it cannot be opened. Save it again as "
                   ".xlsx from the spreadsheet program and upload again."),
    # ---- the worker reading an upload hit a limit or failed (etl/sandbox.py)
    "file_limit_memory": ("berkas terlalu besar atau rusak: pembacaannya melewati batas memori {limit_id} MB. "
                          "Simpan ulang hanya tabel laporannya sebagai .xlsx, lalu unggah lagi.",
                          "the file is too large or damaged: reading it went past the memory limit of {limit_en} MB. "
                          "Save only the report's table as .xlsx and upload again."),
    "file_limit_time": ("berkas terlalu besar atau rusak: pembacaannya melewati batas waktu {limit_id} detik. "
                        "Simpan ulang hanya tabel laporannya sebagai .xlsx, lalu unggah lagi.",
                        "the file is too large or damaged: reading it went past the time limit of {limit_en} seconds. "
                        "Save only the report's table as .xlsx and upload again."),
    "file_limit_result": ("berkas terlalu besar atau rusak: hasil bacaannya melewati batas {limit_id} MB. "
                          "Simpan ulang hanya tabel laporannya sebagai .xlsx, atau bagi menjadi beberapa berkas.",
                          "the file is too large or damaged: what was read from it went past the limit of {limit_en} MB. "
                          "Save only the report's table as .xlsx, or split it into several files."),
    "file_failed": ("berkas terlalu besar atau rusak: pembacaannya gagal. "
                    "Simpan ulang hanya tabel laporannya sebagai .xlsx, lalu unggah lagi.",
                    "the file is too large or damaged: reading it failed. "
                    "Save only the report's table as .xlsx and upload again."),
}


@dataclass
class Problem:
    """One thing wrong with (or done to) a file, located as staff see it."""
    severity: str                 # error | warning | info
    code: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    row_to: int | None = None
    params: dict = field(default_factory=dict)
    is_csv: bool = False

    def location(self, lang: str = "id") -> str:
        en = normalise_lang(lang) == "en"
        parts = []
        if self.sheet is not None and not self.is_csv:
            parts.append(f"Sheet '{self.sheet}'")
        if self.row is not None:
            word = "row" if en else "baris"
            rows = f"{self.row}–{self.row_to}" if self.row_to and self.row_to != self.row else f"{self.row}"
            parts.append(f"{word} {rows}" if parts else f"{word.capitalize()} {rows}")
        if self.column:
            word = "column" if en else "kolom"
            parts.append(f"{word} '{self.column}'" if parts else f"{word.capitalize()} '{self.column}'")
        if not parts:
            parts.append(f"{'File' if en else 'Berkas'} '{self.file}'")
        return ", ".join(parts)

    def shown_value(self, lang: str = "id") -> str:
        """The value as the message quotes it: ``value_id``/``value_en`` when the value is written
        differently per language (a date cell: '5 Des 2026' / '5 Dec 2026')."""
        own = self.params.get("value_en" if normalise_lang(lang) == "en" else "value_id")
        return own if own is not None else (self.value if self.value is not None else "")

    def reason(self, lang: str = "id") -> str:
        # a parameter given per language (``today_id``/``today_en``) is also available as ``{today}``
        suffix = "_en" if normalise_lang(lang) == "en" else "_id"
        own = {k[:-3]: v for k, v in self.params.items() if k.endswith(suffix)}
        params = {**self.params, **own, "value": self.shown_value(lang)}
        return translate(CATALOG, self.code, lang, **params)

    def text(self, lang: str = "id") -> str:
        """``Sheet 'Peminjaman', baris 14, kolom 'Tanggal Pinjam': '31/02/2024' bukan tanggal yang valid. ...``"""
        sep = " " if self.code in SHEET_SENTENCES else ": "
        return f"{self.location(lang)}{sep}{self.reason(lang)}"

    def as_row(self, lang: str = "id") -> dict:
        """One row of the validation report (the upload page's table and its xlsx), headed in ``lang``."""
        en = normalise_lang(lang) == "en"
        return {
            ("File" if en else "Berkas"): self.file,
            "Sheet": self.sheet or "",
            ("Row" if en else "Baris"): self.row,
            ("Column" if en else "Kolom"): self.column or "",
            ("Value" if en else "Nilai"): self.shown_value(lang),
            ("Severity" if en else "Tingkat"): _SEVERITY[self.severity][1 if en else 0],
            ("Message" if en else "Pesan"): self.text(lang),
        }


SHEET_SENTENCES = {"instructions_sheet", "unknown_sheet", "ambiguous_sheet", "empty_sheet", "hidden_sheet", "no_data_rows"}
# an 'info' is a note, as the report's summary line counts it ('0 galat, 0 peringatan, 2 catatan')
_SEVERITY = {"error": ("galat", "error"), "warning": ("peringatan", "warning"), "info": ("catatan", "note")}
