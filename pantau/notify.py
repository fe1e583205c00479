"""`python -m etl notify` (for cron): e-mail reminders to the units whose report for last month is
missing after the reporting deadline, and each closed period's report (PDF and xlsx) to its subscribers.

The warehouse says what is missing (:func:`warehouse.completeness.matrix`: only the 'missing' status
counts), who subscribed and what was already sent (:mod:`warehouse.notifications`); this module writes
the messages and talks SMTP (settings ``PANTAU_SMTP_*``, ``PANTAU_MAIL_*``). A message is recorded as sent
only once the server accepted it: a failing server is reported once per run, with its reason, and what it
refused is tried again on the next run. The same day never sends the same reminder or report twice.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid

from etl.i18n import fmt_date as _fmt_date
from etl.i18n import fmt_month, normalise_lang, translate
from etl.specs import DATASETS
from warehouse import completeness, metrics, notifications, settings
from warehouse.metrics import add_months

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF = ("application", "pdf")

TEXT: dict[str, tuple[str, str]] = {
    "reminder_subject": ("Pengingat: laporan {month} {unit} belum masuk", "Reminder: the {month} report of {unit} "
                         "has not arrived"),
    "reminder_body": (
        "Yth. {officer},\n\n"
        "Sampai {today}, laporan bulan {month} dari {unit} berikut belum kami terima di Pantau Literasi:\n"
        "{datasets}\n\n"
        "Laporan bulanan jatuh tempo tanggal {deadline}. Mohon unggah laporannya di halaman unggah:\n"
        "{upload}\n\n"
        "Templat kosong untuk laporan di atas terlampir (juga tersedia di halaman unggah). Bila laporan sudah "
        "dikirim lewat jalur lain, abaikan e-mail ini.\n\n"
        "Terima kasih,\n{agency}\n",
        "Dear {officer},\n\n"
        "As of {today}, the following {month} reports of {unit} have not reached Pantau Literasi:\n"
        "{datasets}\n\n"
        "Monthly reports were due on {deadline}. Please upload them on the upload page:\n{upload}\n\n"
        "Blank templates for these reports are attached (they are on the upload page too). If you have sent the "
        "reports another way, please ignore this e-mail.\n\n"
        "Thank you,\n{agency}\n"),
    "officer_unknown": ("Petugas Perpustakaan", "Library officer"),
    "no_officer_note": ("\n(Catatan untuk kantor: {unit} belum punya e-mail petugas di register; e-mail ini dikirim "
                        "ke kantor saja.)\n", "\n(Note for the office: {unit} has no officer e-mail in the register; "
                        "this e-mail went to the office only.)\n"),
    "report_subject": ("Laporan Pantau Literasi {period}", "Pantau Literasi report {period}"),
    "kind_monthly": ("Laporan Bulanan", "Monthly Report"),
    "kind_quarterly": ("Laporan Triwulan", "Quarterly Report"),
    "report_body": (
        "Yth. {name},\n\n"
        "Terlampir {kind_lower} Pantau Literasi periode {period} ({files}).\n\n"
        "Sorotan:\n{highlights}\n\n"
        "Dasbor: {base}\n\n"
        "Anda menerima e-mail ini karena berlangganan {kind_lower}. Ubah langganan di {base}/langganan\n",
        "Dear {name},\n\n"
        "Attached is the Pantau Literasi {kind_lower} for {period} ({files}).\n\n"
        "Highlights:\n{highlights}\n\n"
        "Dashboard: {base}\n\n"
        "You receive this e-mail because you subscribed to the {kind_lower}. Change it at {base}/langganan\n"),
    "no_pdf": ("PDF tidak tersedia di server ini; hanya xlsx", "no PDF on this server; xlsx only"),
    "not_configured": ("Pengiriman e-mail belum diatur (PANTAU_SMTP_HOST kosong); tidak ada yang dikirim. Isi "
                       "PANTAU_SMTP_HOST, PANTAU_SMTP_PORT, PANTAU_SMTP_STARTTLS, PANTAU_SMTP_USER, "
                       "PANTAU_SMTP_PASSWORD dan PANTAU_MAIL_FROM (lihat README).",
                       "E-mail is not configured (PANTAU_SMTP_HOST is empty); nothing was sent. Set "
                       "PANTAU_SMTP_HOST, PANTAU_SMTP_PORT, PANTAU_SMTP_STARTTLS, PANTAU_SMTP_USER, "
                       "PANTAU_SMTP_PASSWORD and PANTAU_MAIL_FROM (see the README)."),
    "before_deadline": ("Belum lewat tenggat laporan {month} (tanggal {deadline}): tidak ada pengingat.",
                        "The {month} reporting deadline ({deadline}) has not passed: no reminders."),
    "no_address": ("{unit}: tidak ada e-mail petugas maupun kantor (PANTAU_MAIL_OFFICE); pengingat tidak dikirim.",
                   "{unit}: no officer e-mail and no office address (PANTAU_MAIL_OFFICE); no reminder sent."),
    "not_closed": ("{period} belum ditutup (laporan belum lengkap, tenggat + {grace} hari jatuh {closes}).",
                   "{period} has not closed (reports incomplete; deadline + {grace} days falls on {closes})."),
    "no_reports": ("{period}: tidak ada laporan dalam periode ini; laporan langganan tidak dikirim.",
                   "{period}: no reports in this period; no subscribed report sent."),
    "sent": ("{n} e-mail terkirim ({reminders} pengingat, {reports} laporan).",
             "{n} e-mails sent ({reminders} reminders, {reports} reports)."),
    "smtp_failed": ("Server SMTP {server} gagal: {reason}. {n} e-mail belum terkirim dan tidak dicatat; dicoba lagi "
                    "pada jalan berikutnya.", "SMTP server {server} failed: {reason}. {n} e-mails were not sent and "
                    "not recorded; they are tried again on the next run."),
    "dry_run": ("(uji coba: tidak ada yang dikirim atau dicatat)", "(dry run: nothing sent or recorded)"),
}


def fmt_date(day: dt.date, lang: str) -> str:
    return _fmt_date(day, lang, "d MMMM y")


def tr(key: str, lang: str, **kw) -> str:
    return translate(TEXT, key, lang, **kw)


@dataclass
class Mail:
    kind: str                # reminder | report
    topic: str               # the unit's code, or the report's kind (monthly, quarterly)
    period: str              # 2026-10, 2026-Q3
    to: list[str]
    cc: list[str]
    subject: str
    body: str
    attachments: list[tuple[str, tuple[str, str], bytes]] = field(default_factory=list)

    @property
    def recipient(self) -> str:
        return self.to[0]

    def message(self, sender: str) -> EmailMessage:
        msg = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
        msg["From"] = sender
        msg["To"] = ", ".join(self.to)
        if self.cc:
            msg["Cc"] = ", ".join(self.cc)
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain="pantau-literasi")
        msg.set_content(self.body)
        for name, (main, sub), data in self.attachments:
            msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
        return msg


def addresses(raw: str) -> list[str]:
    return [address for _, address in getaddresses([raw or ""]) if "@" in address]


def _deadline(month: dt.date) -> dt.date:
    return add_months(month, 1).replace(day=settings.get("PANTAU_REPORT_DEADLINE_DAY"))


# ------------------------------------------------------------------ reminders
def reminders(today: dt.date, lang: str, out: Callable[[str], None]) -> list[Mail]:
    """One e-mail per unit with a missing report for last month, once the deadline has passed; not again
    the same day, and not within ``PANTAU_REMINDER_EVERY_DAYS`` of the last one for that month."""
    from etl.templates import template_xlsx
    from warehouse import register
    from warehouse.ingest import make_options

    month = add_months(today.replace(day=1), -1)
    deadline = _deadline(month)
    if today <= deadline:
        out(tr("before_deadline", lang, month=fmt_month(month, lang), deadline=fmt_date(deadline, lang)))
        return []
    units = metrics.facilities()
    matrix = completeness.matrix(month, month, tuple(units["code"]), today)
    missing = matrix[matrix["status"] == "missing"]
    if missing.empty:
        return []
    officers = register.officers().set_index("code")
    office = addresses(settings.get("PANTAU_MAIL_OFFICE"))
    every = settings.get("PANTAU_REMINDER_EVERY_DAYS")
    period = f"{month:%Y-%m}"
    agency = " ".join(w.lower() if w.lower() in ("dan", "and", "of") else w.capitalize()
                      for w in str(settings.get("PANTAU_KOP_AGENCY")).split())
    base = settings.get("PANTAU_BASE_URL").rstrip("/")
    register_ = None
    mails = []
    for code, part in missing.groupby("code", sort=False):
        unit = part["short_name"].iloc[0]
        last = notifications.last_sent("reminder", code, period)
        if last is not None and (today - last).days < max(every, 1):
            continue
        officer = officers.loc[code] if code in officers.index else None
        email = addresses(officer["officer_email"]) if officer is not None and isinstance(
            officer["officer_email"], str) else []
        name = officer["officer_name"] if officer is not None and isinstance(officer["officer_name"], str) else None
        to, cc = (email, office) if email else (office, [])
        if not to:
            out(tr("no_address", lang, unit=unit))
            continue
        datasets = sorted(set(part["dataset"]), key=completeness.EXPECTED.index)
        lines = "\n".join(f"- {DATASETS[d].title_en if lang == 'en' else DATASETS[d].title_id}" for d in datasets)
        body = tr("reminder_body", lang, officer=name or tr("officer_unknown", lang), today=fmt_date(today, lang),
                  month=fmt_month(month, lang), unit=unit, datasets=lines, deadline=fmt_date(deadline, lang),
                  upload=f"{base}/unggah", agency=agency)
        if not email:
            body += tr("no_officer_note", lang, unit=unit)
        if register_ is None:
            register_ = make_options(seed=False).register
        from ui.i18n import use_lang
        from ui.words import template_name

        with use_lang(lang):  # the same names as the upload page's templates: templat_kunjungan.xlsx
            files = [(template_name(d), XLSX, template_xlsx(d, register_, lang=lang)) for d in datasets]
        mails.append(Mail("reminder", code, period, to, [c for c in cc if c not in to],
                          tr("reminder_subject", lang, month=fmt_month(month, lang), unit=unit), body, files))
    return mails


# -------------------------------------------------------------------- reports
def closed_periods(today: dt.date):
    """The latest month and quarter that have ended, with whether each has closed: every report of it in
    (a unit's 'closed' status owes none), or ``PANTAU_REPORT_GRACE_DAYS`` after its last month's deadline."""
    from reports.period import Period

    last = add_months(today.replace(day=1), -1)
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous = add_months(quarter_start, -3)
    grace = settings.get("PANTAU_REPORT_GRACE_DAYS")
    codes = tuple(metrics.facilities()["code"])
    for kind, period in (("monthly", Period.month(last.year, last.month)),
                         ("quarterly", Period.quarter(previous.year, (previous.month - 1) // 3 + 1))):
        closes = _deadline(period.end) + dt.timedelta(days=grace)
        matrix = completeness.matrix(period.start, period.end, codes, today)
        all_in = not matrix["status"].isin(["missing", "not_due"]).any()
        yield kind, period, all_in or today >= closes, closes


def subscribed_reports(today: dt.date, lang: str, out: Callable[[str], None]) -> list[Mail]:
    """Each closed period's report (PDF and xlsx) to every subscriber who has not had it."""
    import reports
    from reports import text
    from ui.i18n import use_lang

    base = settings.get("PANTAU_BASE_URL").rstrip("/")
    grace = settings.get("PANTAU_REPORT_GRACE_DAYS")
    mails = []
    for kind, period, closed, closes in closed_periods(today):
        waiting = [s for s in notifications.subscribers(kind)
                   if notifications.last_sent("report", kind, period.code, s["email"]) is None]
        if not waiting:
            continue
        if not closed:
            with use_lang(lang):
                out(tr("not_closed", lang, period=period.label(), grace=grace, closes=fmt_date(closes, lang)))
            continue
        documents: dict[str, tuple] = {}
        for subscriber in waiting:
            sub_lang = normalise_lang(subscriber["lang"] or lang)
            if sub_lang not in documents:
                with use_lang(sub_lang):
                    try:
                        content, xlsx = reports.build(period, None, "xlsx", sub_lang, today)
                    except reports.NoReports:
                        out(tr("no_reports", sub_lang, period=period.label()))
                        documents[sub_lang] = None
                        continue
                    files = [(reports.file_name(content, "xlsx", sub_lang), XLSX, xlsx)]
                    if reports.pdf_available():
                        files.insert(0, (reports.file_name(content, "pdf", sub_lang), PDF,
                                         reports.render(content, "pdf", sub_lang)))
                    documents[sub_lang] = (content, files, period.label(), text.highlights(content))
            if documents[sub_lang] is None:
                continue
            content, files, label, highlights = documents[sub_lang]
            kind_name = tr(f"kind_{kind}", sub_lang)
            names = ", ".join(name for name, _, _ in files)
            if len(files) == 1:
                names += "; " + tr("no_pdf", sub_lang)
            body = tr("report_body", sub_lang, name=subscriber["name"], kind_lower=kind_name.lower(), period=label,
                      files=names, highlights="\n".join(f"- {line}" for line in highlights), base=base)
            mails.append(Mail("report", kind, period.code, [subscriber["email"]], [],
                              tr("report_subject", sub_lang, kind=kind_name, period=label), body, list(files)))
    return mails


# ---------------------------------------------------------------------- SMTP
def configured() -> bool:
    return bool(str(settings.get("PANTAU_SMTP_HOST")).strip())


def deliver(mails: list[Mail], today: dt.date) -> tuple[int, str | None]:
    """Send ``mails`` over one SMTP connection, recording each once the server accepted it. Returns
    (sent, the failure's reason or None); the first failure ends the run."""
    host, port = settings.get("PANTAU_SMTP_HOST").strip(), settings.get("PANTAU_SMTP_PORT")
    sender = settings.get("PANTAU_MAIL_FROM")
    sent = 0
    try:
        with smtplib.SMTP(host, port, timeout=settings.get("PANTAU_SMTP_TIMEOUT")) as smtp:
            smtp.ehlo()
            if settings.get("PANTAU_SMTP_STARTTLS"):
                cafile = str(settings.get("PANTAU_SMTP_CAFILE")).strip() or None
                smtp.starttls(context=ssl.create_default_context(cafile=cafile))
                smtp.ehlo()
            user = str(settings.get("PANTAU_SMTP_USER")).strip()
            if user:
                smtp.login(user, settings.get("PANTAU_SMTP_PASSWORD"))
            from_address = addresses(sender)[0] if addresses(sender) else sender
            for mail in mails:
                smtp.send_message(mail.message(sender), from_addr=from_address, to_addrs=mail.to + mail.cc)
                notifications.record_sent(mail.kind, mail.topic, mail.period, mail.recipient, mail.to + mail.cc,
                                          mail.subject, today)
                sent += 1
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, smtplib.SMTPResponseException):
            error = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
            reason = f"{exc.smtp_code} {' '.join(str(error).split())}"
        return sent, f"{type(exc).__name__}: {reason}"
    return sent, None


def render_text(mail: Mail, sender: str) -> str:
    """The message as a person reads it: headers, the text, the attachments' names and sizes."""
    msg = mail.message(sender)
    lines = [f"{h}: {msg[h]}" for h in ("From", "To", "Cc", "Subject") if msg[h]]
    lines += ["", mail.body.rstrip()]
    lines += [f"[lampiran: {name}, {len(data):,} bytes]" for name, _, data in mail.attachments]
    return "\n".join(lines)


def run(today: dt.date | None = None, lang: str | None = None, dry_run: bool = False,
        out: Callable[[str], None] = print, err: Callable[[str], None] = print) -> int:
    """The command: 0 when everything due was sent (or nothing was due), 1 when e-mail is not configured or
    the SMTP server failed (reported once, with its reason)."""
    today = today or settings.today()
    lang = normalise_lang(lang or settings.get("PANTAU_LANG"))
    if not configured() and not dry_run:
        err(tr("not_configured", lang))
        return 1
    mails = reminders(today, lang, out) + subscribed_reports(today, lang, out)
    if dry_run:
        for mail in mails:
            out(render_text(mail, settings.get("PANTAU_MAIL_FROM")))
            out("-" * 72)
        out(tr("dry_run", lang))
        return 0
    sent, failure = deliver(mails, today) if mails else (0, None)
    reminders_sent = sum(1 for m in mails[:sent] if m.kind == "reminder")
    out(tr("sent", lang, n=sent, reminders=reminders_sent, reports=sent - reminders_sent))
    if failure:
        server = f"{settings.get('PANTAU_SMTP_HOST')}:{settings.get('PANTAU_SMTP_PORT')}"
        err(tr("smtp_failed", lang, server=server, reason=failure, n=len(mails) - sent))
        return 1
    return 0
