"""``python -m pantau`` (or ``python -m etl``): the thin command line over the ETL and the warehouse.

Each ``cmd_*`` parses nothing itself: it takes the parsed arguments, calls the library (mostly
``warehouse.ingest`` and the other ``warehouse`` modules) and prints. Exit status: 0 on success,
1 when a file was refused or an action could not be done, 2 for a usage error. User errors print
one line, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import json
import os
import sys
from pathlib import Path

from etl import sandbox
from etl.i18n import fmt_int, normalise_lang
from etl.specs import DATASETS
from etl.templates import rejected_xlsx, template_xlsx
from pantau.docs import check_readme, write_readme
from warehouse import accounts, settings
from warehouse.backup import BackupError, check_backup, make_backup, prune, restore_backup
from warehouse.db import PRIVATE_UMASK, DatabaseBusy
from warehouse.ingest import DEMO_DIR, UserError, load_demo, load_paths, make_options
from warehouse.load import purge, restore_batch, undo_batch
from warehouse.queries import batches, rejected_rows, summary
from warehouse.settings import SettingError


def cmd_load(args) -> int:
    sandbox.warm(fork=True)  # the reading worker, forked before any database or thread is opened
    return load_paths(args.paths, accept_valid=args.accept_valid, dry_run=args.dry_run, facility=args.facility,
                      user=args.user, received=args.received, lang=args.lang, note=args.note,
                      replace_anyway=args.replace_anyway)


def cmd_summary(args) -> int:
    rows = summary()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    totals: dict[str, int] = {}
    facilities: dict[str, set] = {}
    months: dict[str, set] = {}
    for r in rows:
        totals[r["dataset"]] = totals.get(r["dataset"], 0) + r["value"]
        facilities.setdefault(r["dataset"], set()).add(r["facility"])
        months.setdefault(r["dataset"], set()).add(r["month"])
    lang = normalise_lang(args.lang or settings.get("PANTAU_LANG"))
    for key in ("loans", "visits", "training"):
        ds = DATASETS[key]
        title = ds.title_en if lang == "en" else ds.title_id
        measure = ds.measure_en if lang == "en" else ds.measure_id
        span = f"{min(months[key])}..{max(months[key])}" if key in months else "-"
        print(f"{title}: {fmt_int(totals.get(key, 0), lang)} {measure}, {len(facilities.get(key, ()))} "
              f"{'facilities' if lang == 'en' else 'fasilitas'}, {span}")
    return 0


def cmd_batches(args) -> int:
    rows = batches(args.limit)
    if args.json:
        print(json.dumps(rows, default=str, ensure_ascii=False))
        return 0
    print(f"{'batch':>6}  {'dataset':10} {'status':10} {'rows':>7} {'refused':>7}  {'loaded':16}  {'by':10}  file")
    for r in rows:
        print(f"{r['batch_id']:>6}  {r['dataset']:10} {r['status']:10} {r['rows_loaded']:>7} {r['rows_rejected']:>7}  "
              f"{r['loaded_at']:%Y-%m-%d %H:%M}  {r['loaded_by'][:10]:10}  {r['file_name']}")
    return 0


def cmd_undo(args) -> int:
    try:
        cells = undo_batch(args.batch, by=args.user or getpass.getuser())
    except LookupError as exc:
        raise UserError(str(exc)) from exc
    back = sum(1 for c in cells if c[3] is not None)
    print(f"Batch #{args.batch} dibatalkan. {len(cells)} sel fasilitas-bulan terdampak; "
          f"{back} kembali ke batch sebelumnya, {len(cells) - back} kini tanpa laporan.")
    return 0


def cmd_restore(args) -> int:
    try:
        cells = restore_batch(args.batch, by=args.user or getpass.getuser())
    except LookupError as exc:
        raise UserError(str(exc)) from exc
    print(f"Batch #{args.batch} dipakai lagi untuk {len(cells)} sel fasilitas-bulan.")
    return 0


def cmd_template(args) -> int:
    if args.dataset not in DATASETS:
        raise UserError(f"dataset {args.dataset!r} tidak dikenal; pilih salah satu: {', '.join(DATASETS)}")
    opts = make_options(lang=args.lang)
    from ui.i18n import use_lang
    from ui.words import template_name

    with use_lang(opts.lang):  # the upload page's name for it: templat_peminjaman.xlsx
        target = Path(args.output or template_name(args.dataset))
    target.write_bytes(template_xlsx(args.dataset, opts.register, lang=opts.lang))
    print(f"Templat {args.dataset} ditulis ke {target}")
    return 0


def cmd_rejected(args) -> int:
    rows = rejected_rows(args.batch)
    target = Path(args.output or f"ditolak_batch_{args.batch}.xlsx")
    target.write_bytes(rejected_xlsx(rows, lang=normalise_lang(args.lang or settings.get("PANTAU_LANG"))))
    print(f"{len(rows)} baris yang ditolak dari batch #{args.batch} ditulis ke {target}")
    return 0


def cmd_demo(args) -> int:
    return load_demo(Path(args.folder), dt.date.fromisoformat(args.today) if args.today else settings.today(),
                     months=args.months, seed=args.seed, load=not args.no_load, verbose=args.verbose)


def cmd_docs(args) -> int:
    if args.check:
        problems = check_readme()
        for p in problems:
            print(p)
        return 1 if problems else 0
    write_readme()
    print("README.md diperbarui")
    return 0


def _read_password(args, prompt_user: str) -> tuple[str, bool]:
    """(password, generated): generated with --generate, from stdin with --password-stdin,
    else asked twice at the terminal."""
    if args.generate:
        return accounts.generate_password(), True
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n"), False
    first = getpass.getpass(f"Kata sandi untuk {prompt_user}: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise UserError("kedua kata sandi tidak sama")
    return first, False


def cmd_users(args) -> int:
    by = f"cli:{getpass.getuser()}"
    try:
        if args.action == "list":
            print(f"{'pengguna':16} {'peran':7} {'aktif':6} {'sandi':6} {'e-mail':28} terakhir masuk")
            for u in accounts.list_users():
                last = f"{u['last_login']:%Y-%m-%d %H:%M}" if u["last_login"] else "-"
                print(f"{u['username']:16} {u['role']:7} {'ya' if u['active'] else 'tidak':6} "
                      f"{'ya' if u['has_password'] else '-':6} {u['email'] or '-':28} {last}")
            return 0
        if args.action == "add":
            password, generated = (None, False) if args.sso_only else _read_password(args, args.username)
            accounts.add_user(args.username, args.role, password, by=by, display_name=args.name, email=args.email)
            print(f"Akun {args.username} ({args.role}) dibuat.")
        elif args.action == "set-password":
            password, generated = _read_password(args, args.username)
            accounts.set_password(args.username, password, by=by)
            print(f"Kata sandi {args.username} diganti; sesi lamanya ditutup.")
        elif args.action == "disable":
            accounts.set_active(args.username, False, by=by)
            print(f"Akun {args.username} dinonaktifkan.")
            return 0
        elif args.action == "enable":
            accounts.set_active(args.username, True, by=by)
            print(f"Akun {args.username} diaktifkan.")
            return 0
        elif args.action == "role":
            accounts.set_role(args.username, args.role, by=by)
            print(f"Peran {args.username} kini {args.role}.")
            return 0
    except accounts.AccountError as exc:
        raise UserError(str(exc)) from exc
    if generated:
        print(f"Kata sandi (tampil sekali ini saja): {password}")
    return 0


def cmd_report(args) -> int:
    """A period's report as xlsx or PDF (for a scheduled job); the work is in ``reports``."""
    import reports  # imported only here: plotly and the PDF writer are slow to import

    codes = [make_options(facility=f, seed=False).facility for f in args.facility or ()]
    try:
        line, warnings = reports.write_file(args.period, codes, args.format, args.output, lang=args.lang)
    except reports.ReportError as exc:
        raise UserError(str(exc)) from exc
    print(line)
    for warning in warnings:
        print(warning, file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from pantau.serve import serve  # imported only here: Streamlit is slow to import

    return serve(port=args.port, headless=args.headless, address=args.address)


def cmd_notify(args) -> int:
    """Reminders of missing reports and subscribed reports by e-mail (for cron); the work is in ``pantau.notify``."""
    from pantau.notify import run  # imported only here: the reports' writers are slow to import

    return run(lang=getattr(args, "lang", None), dry_run=args.dry_run,
               err=lambda line: print(f"galat: {line}", file=sys.stderr))


def cmd_targets(args) -> int:
    """The yearly targets: the blank template, or a filled one loaded as a new revision (admin work)."""
    from etl.targets import TargetFileError, read_targets
    from etl.targets import template_xlsx as targets_template
    from warehouse import targets

    opts = make_options(lang=args.lang, seed=False)
    if args.action == "template":
        args.year = args.year or settings.today().year
        target = Path(args.output or f"templat_target_{args.year}.xlsx")
        target.write_bytes(targets_template(opts.register, args.year, lang=opts.lang))
        print(f"Templat target {args.year} ditulis ke {target}")
        return 0
    path = Path(args.file)
    try:
        rows = read_targets(path.read_bytes(), opts.register, lang=opts.lang)
    except OSError as exc:
        raise UserError(f"berkas {path} tidak bisa dibaca: {exc.strerror}") from exc
    except TargetFileError as exc:
        for line in exc.messages:
            print(line, file=sys.stderr)
        return 1
    by_year: dict[int, list] = {}
    for year, indicator, code, value in rows:
        by_year.setdefault(year, []).append((indicator, code, value))
    for year, part in sorted(by_year.items()):
        try:
            revision = targets.save(year, part, label=args.label or f"Berkas {path.name}",
                                    by=f"cli:{getpass.getuser()}", source=path.name)
        except targets.TargetError as exc:
            raise UserError(str(exc)) from exc
        print(f"{len(part)} target {year} dimuat sebagai revisi {revision}.")
    return 0


# ---- operations: retention purge, backups (issue 12)
def cmd_purge(args) -> int:
    """Remove uploaded originals older than PANTAU_ORIGINALS_RETENTION_DAYS (for cron)."""
    days = settings.get("PANTAU_ORIGINALS_RETENTION_DAYS") if args.days is None else args.days
    removed = purge(f"cli:{getpass.getuser()}", days)
    kept = f"lebih lama dari {days} hari" if days > 0 else "semuanya, karena retensi 0 hari"
    print(f"{removed} berkas asli dihapus ({kept}).")
    return 0


def cmd_backup(args) -> int:
    """A consistent copy of the warehouse, its key and the agreement documents, while the dashboard runs."""
    try:
        folder = make_backup(Path(args.folder))
    except (BackupError, OSError) as exc:
        raise UserError(f"cadangan tidak bisa ditulis ke {args.folder}: {exc}") from exc
    print(f"Cadangan ditulis ke {folder}")
    if args.keep:
        gone = prune(Path(args.folder), args.keep)
        if gone:
            print(f"{len(gone)} cadangan lama dihapus (disimpan {args.keep} terbaru).")
    return 0


def cmd_restore_backup(args) -> int:
    """Check a backup folder and put it back (the current database kept aside)."""
    try:
        if args.check:
            manifest = check_backup(Path(args.folder))
            print(f"Cadangan {args.folder} utuh (dibuat {manifest['created_at']}, skema {manifest['schema_version']}).")
            return 0
        done = restore_backup(Path(args.folder))
    except BackupError as exc:
        raise UserError(str(exc)) from exc
    aside = f"; basis data sebelumnya disimpan sebagai {done['kept_aside']}" if done["kept_aside"] else ""
    print(f"Cadangan {args.folder} (dibuat {done['manifest']['created_at']}) dipulihkan{aside}.")
    return 0


# ---- moving to and from the lake, its upkeep (issue 17)
def cmd_migrate(args) -> int:
    """Copy the DuckDB file into an empty lake, or the lake into a new DuckDB file; the work is in ``warehouse.move``."""
    from warehouse import move

    try:
        if args.to_lake:
            moved = move.to_lake()
            print(f"Gudang data {settings.get('PANTAU_DB')} dipindahkan ke DuckLake: {move.described(moved)}.")
        else:
            moved = move.from_lake(Path(args.from_lake))
            print(f"DuckLake disalin ke berkas {args.from_lake}: {move.described(moved)}.")
    except move.MoveError as exc:
        raise UserError(str(exc)) from exc
    return 0


def cmd_lake_maintenance(args) -> int:
    """Merge the lake's small files, expire old snapshots, delete unneeded files (for cron)."""
    from warehouse import move

    try:
        done = move.maintain(args.older_than)
    except move.MoveError as exc:
        raise UserError(str(exc)) from exc
    print(f"Perawatan DuckLake selesai: {done['flushed']} baris dari katalog ditulis ke berkas Parquet, "
          f"{done['files_merged']} berkas kecil di {done['tables']} tabel digabung menjadi "
          f"{done['files_created']}, {done['expired']} snapshot "
          f"lebih lama dari {args.older_than} hari dihapus, {done['removed']} berkas lama dihapus; "
          f"{done['snapshots']} snapshot tersisa.")
    return 0


def add_lake_commands(sub) -> None:
    p = sub.add_parser("migrate", help="pindahkan gudang data: berkas DuckDB ke DuckLake kosong, atau DuckLake "
                                       "ke berkas DuckDB baru (cadangan)")
    way = p.add_mutually_exclusive_group(required=True)
    way.add_argument("--to-lake", action="store_true",
                     help="salin PANTAU_DB ke DuckLake (PANTAU_CATALOG, PANTAU_DATA_PATH) yang masih kosong")
    way.add_argument("--from-lake", metavar="BERKAS", help="salin DuckLake ke berkas DuckDB baru BERKAS")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("lake-maintenance", help="rawat DuckLake: gabungkan berkas kecil, hapus snapshot lama "
                                                "dan berkas yang tak terpakai (untuk cron)")
    p.add_argument("--older-than", type=int, metavar="HARI", default=30,
                   help="hapus snapshot yang lebih lama dari sekian hari (bawaan: 30)")
    p.set_defaults(func=cmd_lake_maintenance)


def add_ops_commands(sub) -> None:
    p = sub.add_parser("purge", help="hapus berkas asli yang melewati masa simpan (untuk cron)")
    p.add_argument("--days", type=int, help="masa simpan dalam hari (bawaan: PANTAU_ORIGINALS_RETENTION_DAYS)")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("backup", help="tulis cadangan gudang data ke subfolder baru di DIR (aman saat dasbor jalan)")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--keep", type=int, default=0, help="simpan sekian cadangan terbaru di DIR, hapus yang lebih lama")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore-backup", help="periksa lalu pulihkan cadangan dari folder DIR (bukan 'restore BATCH')")
    p.add_argument("folder", metavar="DIR", help="folder cadangan, mis. /var/backups/pantau/pantau-20261121-020000")
    p.add_argument("--check", action="store_true", help="periksa saja, jangan pulihkan")
    p.set_defaults(func=cmd_restore_backup)


@functools.cache  # built once per process: about 20 ms of argparse, and parse_args leaves it unchanged
def build_parser(prog: str = "python -m etl") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Pantau Literasi: muat dan kelola data.")
    parser.add_argument("--lang", choices=("id", "en"), help="bahasa pesan (bawaan: PANTAU_LANG)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("load", help="muat berkas atau folder lembar kerja")
    p.add_argument("paths", nargs="+")
    p.add_argument("--accept-valid", action="store_true", help="muat baris valid, simpan yang ditolak")
    p.add_argument("--dry-run", action="store_true", help="periksa dan laporkan tanpa menyimpan")
    p.add_argument("--note", help="catatan singkat bila angka yang perlu dicek memang benar (wajib bila ada)")
    p.add_argument("--replace-anyway", action="store_true",
                   help="ganti walaupun penggantian menghapus lebih dari separuh angka sebulan")
    p.add_argument("--facility", help="fasilitas untuk berkas tanpa kolom fasilitas (kode atau nama)")
    p.add_argument("--user", help="nama pengunggah (bawaan: pengguna sistem)")
    p.add_argument("--received", help="tanggal laporan diterima, YYYY-MM-DD (bawaan: hari ini)")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("demo", help="tulis dan muat data demo")
    p.add_argument("--folder", default=str(DEMO_DIR))
    p.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
    p.add_argument("--months", type=int, default=36)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--no-load", action="store_true", help="tulis berkasnya saja")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("template", help="tulis templat xlsx kosong")
    p.add_argument("dataset", help=", ".join(DATASETS))
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("batches", help="daftar batch yang dimuat")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_batches)

    for name, func, text in (("undo", cmd_undo, "batalkan batch"), ("restore", cmd_restore, "pakai lagi batch lama")):
        p = sub.add_parser(name, help=text)
        p.add_argument("batch", type=int)
        p.add_argument("--user")
        p.set_defaults(func=func)

    p = sub.add_parser("rejected", help="ekspor baris yang ditolak dari batch ke xlsx")
    p.add_argument("batch", type=int)
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_rejected)

    p = sub.add_parser("summary", help="ringkasan data yang berlaku")
    p.add_argument("--json", action="store_true", help="daftar JSON {dataset, facility, month, value}")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("docs", help="perbarui tabel kolom dan konfigurasi di README")
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("users", help="kelola akun: add, list, set-password, disable, enable, role")
    users = p.add_subparsers(dest="action", required=True)
    q = users.add_parser("add", help="tambah akun")
    q.add_argument("username")
    q.add_argument("--role", choices=("viewer", "staff", "admin"), default="staff")
    q.add_argument("--name", help="nama tampilan")
    q.add_argument("--email", help="alamat e-mail untuk masuk lewat SSO")
    q.add_argument("--sso-only", action="store_true", help="tanpa kata sandi: hanya masuk lewat SSO")
    for parser_ in (q, users.add_parser("set-password", help="ganti kata sandi")):
        if parser_ is not q:
            parser_.add_argument("username")
        group = parser_.add_mutually_exclusive_group()
        group.add_argument("--generate", action="store_true", help="buat kata sandi acak dan tampilkan sekali")
        group.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
    users.add_parser("list", help="daftar akun")
    for name in ("disable", "enable"):
        users.add_parser(name, help=f"{name} akun").add_argument("username")
    q = users.add_parser("role", help="ubah peran")
    q.add_argument("username")
    q.add_argument("role", choices=("viewer", "staff", "admin"))
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("report", help="tulis laporan bulanan, triwulan atau tahunan (xlsx atau pdf)")
    p.add_argument("--period", required=True,
                   help="2024-08 (bulan), 2024-Q3 (triwulan), 2024 (tahun), 2024-01..2024-06, bulan-lalu, terakhir")
    p.add_argument("--facility", action="append", metavar="KODE",
                   help="kode atau nama fasilitas (boleh berulang; bawaan: semua Lapas, Rutan dan LPKA)")
    p.add_argument("--format", choices=("xlsx", "pdf"), help="bawaan: menurut akhiran -o")
    p.add_argument("-o", "--output", required=True, help="berkas tujuan, atau folder (nama berkas dibuat otomatis)")
    p.add_argument("--lang", choices=("id", "en"), default=argparse.SUPPRESS, help="bahasa laporan")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("serve", help="siapkan data lalu jalankan dasbor")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--headless", action="store_true", help="jangan buka peramban")
    p.add_argument("--address", help="alamat yang didengar, mis. 127.0.0.1 (bawaan: semua)")
    p.set_defaults(func=cmd_serve)
    add_ops_commands(sub)
    add_lake_commands(sub)

    p = sub.add_parser("notify", help="kirim pengingat laporan yang belum masuk dan laporan langganan (untuk cron)")
    p.add_argument("--dry-run", action="store_true", help="tampilkan e-mail yang akan dikirim, tanpa mengirim")
    p.set_defaults(func=cmd_notify)

    p = sub.add_parser("targets", help="target kinerja tahunan: templat kosong, atau muat berkas target (revisi baru)")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("template", help="tulis templat target kosong")
    q.add_argument("--year", type=int, help="tahun (bawaan: tahun ini)")
    q.add_argument("-o", "--output")
    q = actions.add_parser("load", help="muat berkas target sebagai revisi baru tiap tahun yang disebut")
    q.add_argument("file")
    q.add_argument("--label", help="nama dokumen revisi, mis. 'PK Perubahan Juli 2026'")
    p.set_defaults(func=cmd_targets)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m etl") -> int:
    os.umask(PRIVATE_UMASK)  # what the app creates (database, originals, backups) is its user's alone
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, DatabaseBusy, SettingError) as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
