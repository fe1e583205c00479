"""`python -m etl notify` against a real SMTP server on 127.0.0.1 (aiosmtpd): the reminders to the units
whose report for last month is missing, the subscribed monthly report with its PDF and xlsx, STARTTLS, a
failing server, and a re-run the same day that sends nothing. No test sends mail anywhere else."""

from __future__ import annotations

import email
import email.policy
import io
import socket
import ssl
import subprocess

import openpyxl
import pytest

from reports import browser as report_browser
from tests.conftest import run_cli
from tests.files import write_xlsx

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd (tests/requirements.txt) is not installed")
OFFICE = "kantor@dispersip.test"


class Inbox:
    """An aiosmtpd handler keeping every envelope it accepts (or refusing every message with ``refuse``)."""

    def __init__(self, refuse: str | None = None):
        self.envelopes = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [(sorted(e.rcpt_tos), email.message_from_bytes(e.content, policy=email.policy.default))
                for e in self.envelopes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """A plain SMTP server on 127.0.0.1 and the settings that point at it."""
    inbox, port = Inbox(), _free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in {"PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": str(port), "PANTAU_SMTP_STARTTLS": "0",
                       "PANTAU_SMTP_TIMEOUT": "5", "PANTAU_MAIL_OFFICE": OFFICE,
                       "PANTAU_MAIL_FROM": "Pantau Literasi <pantau@dispersip.test>",
                       "PANTAU_BASE_URL": "https://pantau.dispersip.test"}.items():
        monkeypatch.setenv(key, value)
    yield inbox
    controller.stop()


@pytest.fixture
def warehouse(env):
    """Loans of October 2026 from Rutan Rantau only (today 2026-11-21: the deadline, the 10th, has
    passed); Rantau's and Lapas Banjarmasin's officers on record; the head of Dispersip subscribed to
    the monthly and the quarterly report."""
    from warehouse import accounts, notifications, register
    from warehouse.ingest import load_paths

    loans = write_xlsx(env / "pinjam.xlsx", {"Peminjaman": [
        ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
        ["Rutan Kelas IIB Rantau", "Oktober 2026", "Agama", 120],
        ["Rutan Kelas IIB Rantau", "September 2026", "Agama", 100]]})
    assert load_paths([str(loans)], user="sari", out=lambda line: None, isolate=False) == 0
    accounts.add_user("admin1", "admin", "sandi-admin-panjang", by="cli:test")
    accounts.add_user("kepala", "viewer", "sandi-kepala-panjang", by="cli:test", display_name="Kepala Dinas",
                      email="kepala@dispersip.test")
    register.set_officer("rutan-rantau", "Rina", "rina@rutan-rantau.test", by="admin1")
    register.set_officer("lapas-banjarmasin", "Budi", "budi@lapas-bjm.test", by="admin1")
    notifications.subscribe("kepala", ["monthly", "quarterly"], "id")
    return env


def _units() -> dict[str, str]:
    from warehouse import metrics

    units = metrics.facilities()
    return dict(zip(units["code"], units["short_name"]))


@pytest.mark.slow  # the command line in another Python process
def test_reminders_and_the_monthly_report_arrive_once(warehouse, smtp, monkeypatch):
    """Everything but the PDF, which test_the_monthly_report_carries_its_pdf draws (slow: Chromium)."""
    from warehouse import notifications

    monkeypatch.setenv("PANTAU_CHROMIUM", "/nonexistent/chromium")
    done = run_cli({}, "notify")
    assert (done.returncode, done.stderr) == (0, "")
    units = _units()
    messages = smtp.messages()
    reminders = [(to, m) for to, m in messages if m["Subject"].startswith("Pengingat")]
    reports = [(to, m) for to, m in messages if not m["Subject"].startswith("Pengingat")]
    # one reminder per unit (every unit misses something for October), the monthly and the quarterly report
    assert (len(reminders), len(reports)) == (len(units), 2)
    assert done.stdout.splitlines() == [f"{len(units) + 2} e-mail terkirim ({len(units)} pengingat, 2 laporan)."]
    by_subject = {m["Subject"]: (to, m) for to, m in reminders}
    to, rantau = by_subject["Pengingat: laporan Oktober 2026 Rutan Rantau belum masuk"]
    assert to == sorted(["rina@rutan-rantau.test", OFFICE])
    assert (rantau["To"], rantau["Cc"], rantau["From"]) == ("rina@rutan-rantau.test", OFFICE,
                                                           "Pantau Literasi <pantau@dispersip.test>")
    body = rantau.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.split("\n") == [
        "Yth. Rina,", "",
        "Sampai 21 November 2026, laporan bulan Oktober 2026 dari Rutan Rantau berikut belum kami terima di "
        "Pantau Literasi:", "- Kunjungan Perpustakaan", "- Pelatihan", "",
        "Laporan bulanan jatuh tempo tanggal 10 November 2026. Mohon unggah laporannya di halaman unggah:",
        "https://pantau.dispersip.test/unggah", "",
        "Templat kosong untuk laporan di atas terlampir (juga tersedia di halaman unggah). Bila laporan sudah "
        "dikirim lewat jalur lain, abaikan e-mail ini.", "",
        "Terima kasih,", "Dinas Perpustakaan dan Kearsipan", ""]
    assert [a.get_filename() for a in rantau.iter_attachments()] == ["templat_kunjungan.xlsx", "templat_pelatihan.xlsx"]
    for attachment in rantau.iter_attachments():
        assert openpyxl.load_workbook(io.BytesIO(attachment.get_content())).sheetnames
    # a unit without an officer on record: the office alone, told so
    to, martapura = by_subject["Pengingat: laporan Oktober 2026 LPKA Martapura belum masuk"]
    assert (to, martapura["Cc"]) == ([OFFICE], None)
    assert "LPKA Martapura belum punya e-mail petugas di register" in martapura.get_body(("plain",)).get_content().replace("\r\n", "\n")

    assert [(to, m["Subject"]) for to, m in reports] == [
        (["kepala@dispersip.test"], "Laporan Pantau Literasi Oktober 2026"),
        (["kepala@dispersip.test"], "Laporan Pantau Literasi Triwulan III 2026")]
    to, report = reports[0]
    text = report.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Yth. Kepala Dinas,\n\nTerlampir laporan bulanan Pantau Literasi periode Oktober 2026 "
                           "(laporan_pantau-literasi_2026-10.xlsx; PDF tidak tersedia di server ini; hanya xlsx).")
    assert "Sorotan:\n- Peminjaman: 120 (" in text
    files = {a.get_filename(): a.get_content() for a in report.iter_attachments()}
    assert sorted(files) == ["laporan_pantau-literasi_2026-10.xlsx"]
    book = openpyxl.load_workbook(io.BytesIO(files["laporan_pantau-literasi_2026-10.xlsx"]))
    assert book.sheetnames[0] == "Ringkasan"

    log = notifications.sent_log()
    assert len(log) == len(units) + 2
    assert sorted(log[log["kind"] == "report"][["period", "topic", "recipients", "subject"]].values.tolist()) == [
        ["2026-10", "monthly", "kepala@dispersip.test", "Laporan Pantau Literasi Oktober 2026"],
        ["2026-Q3", "quarterly", "kepala@dispersip.test", "Laporan Pantau Literasi Triwulan III 2026"]]

    # the same day again: nothing twice
    again = run_cli({}, "notify")
    assert (again.returncode, again.stdout.splitlines()[-1]) == (0, "0 e-mail terkirim (0 pengingat, 0 laporan).")
    assert len(smtp.envelopes) == len(units) + 2
    assert len(notifications.sent_log()) == len(units) + 2


@pytest.mark.slow  # kaleido's Chromium draws the PDF; the fast tier checks the same mail with the xlsx alone
@pytest.mark.skipif(report_browser.find_browser() is None,
                    reason="needs Chromium for the PDF's charts (apt-get install -y chromium); .ci/run installs it")
def test_the_monthly_report_carries_its_pdf(warehouse, smtp):
    from pypdf import PdfReader

    done = run_cli({}, "notify")
    assert (done.returncode, done.stderr) == (0, "")
    report = next(m for _, m in smtp.messages() if m["Subject"] == "Laporan Pantau Literasi Oktober 2026")
    text = report.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Yth. Kepala Dinas,\n\nTerlampir laporan bulanan Pantau Literasi periode Oktober 2026 "
                           "(laporan_pantau-literasi_2026-10.pdf, laporan_pantau-literasi_2026-10.xlsx).")
    files = {a.get_filename(): a.get_content() for a in report.iter_attachments()}
    assert list(files) == ["laporan_pantau-literasi_2026-10.pdf", "laporan_pantau-literasi_2026-10.xlsx"]
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        files["laporan_pantau-literasi_2026-10.pdf"])).pages)
    assert "LAPORAN BULANAN" in pdf_text and "Oktober 2026" in pdf_text
    assert openpyxl.load_workbook(io.BytesIO(files["laporan_pantau-literasi_2026-10.xlsx"])).sheetnames[0] == \
        "Ringkasan"


@pytest.mark.slow  # the command line in another Python process
def test_before_the_deadline_no_reminder_and_without_smtp_nothing_is_sent(warehouse, monkeypatch):
    from warehouse import notifications

    monkeypatch.setenv("PANTAU_CHROMIUM", "/nonexistent/chromium")  # the dry run's attachments: xlsx only
    done = run_cli({"PANTAU_TODAY": "2026-11-09"}, "notify")
    assert (done.returncode, done.stderr) == (1, "galat: Pengiriman e-mail belum diatur (PANTAU_SMTP_HOST kosong); "
                                                 "tidak ada yang dikirim. Isi PANTAU_SMTP_HOST, PANTAU_SMTP_PORT, "
                                                 "PANTAU_SMTP_STARTTLS, PANTAU_SMTP_USER, PANTAU_SMTP_PASSWORD dan "
                                                 "PANTAU_MAIL_FROM (lihat README).\n")
    dry = run_cli({"PANTAU_TODAY": "2026-11-09"}, "notify", "--dry-run")
    assert dry.stdout.splitlines()[0] == ("Belum lewat tenggat laporan Oktober 2026 (tanggal 10 November 2026): "
                                          "tidak ada pengingat.")
    assert dry.stdout.splitlines()[-1] == "(uji coba: tidak ada yang dikirim atau dicatat)"
    assert notifications.sent_log().empty


@pytest.mark.slow  # the command line in another Python process
def test_a_failing_server_is_reported_once_and_nothing_is_recorded(warehouse, smtp, monkeypatch):
    from warehouse import notifications

    monkeypatch.setenv("PANTAU_CHROMIUM", "/nonexistent/chromium")  # xlsx only (the PDF: a slow test above)

    smtp.refuse = "451 4.3.0 Kotak surat sedang sibuk"
    done = run_cli({}, "notify")
    n = len(_units()) + 2
    assert done.returncode == 1
    assert done.stderr == (f"galat: Server SMTP 127.0.0.1:{smtp_port()} gagal: SMTPDataError: 451 4.3.0 Kotak surat "
                           f"sedang sibuk. {n} e-mail belum terkirim dan tidak dicatat; dicoba lagi pada jalan "
                           "berikutnya.\n")
    assert notifications.sent_log().empty
    refused = run_cli({"PANTAU_SMTP_PORT": str(_free_port())}, "notify")
    assert refused.returncode == 1 and refused.stderr.count("galat:") == 1
    assert "ConnectionRefusedError" in refused.stderr
    # the server recovers: everything goes out on the next run
    smtp.refuse = None
    assert run_cli({}, "notify").returncode == 0
    assert len(smtp.envelopes) == n == len(notifications.sent_log())


def smtp_port() -> str:
    import os

    return os.environ["PANTAU_SMTP_PORT"]


@pytest.mark.slow  # the command line in another Python process
def test_starttls_with_a_verified_certificate(warehouse, smtp, tmp_path, monkeypatch):
    """STARTTLS against aiosmtpd with a self-signed certificate made here (openssl): verified through
    PANTAU_SMTP_CAFILE; without it the same server is refused (certificate not trusted)."""
    from warehouse import notifications

    monkeypatch.setenv("PANTAU_CHROMIUM", "/nonexistent/chromium")  # xlsx only (the PDF: a slow test above)
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), _free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                                     require_starttls=True)
    controller.start()
    try:
        untrusted = run_cli({"PANTAU_SMTP_PORT": str(port), "PANTAU_SMTP_STARTTLS": "1"}, "notify")
        assert untrusted.returncode == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        assert notifications.sent_log().empty
        plain = run_cli({"PANTAU_SMTP_PORT": str(port), "PANTAU_SMTP_STARTTLS": "0"}, "notify")
        assert plain.returncode == 1 and "530" in plain.stderr  # the server demands STARTTLS first
        done = run_cli({"PANTAU_SMTP_PORT": str(port), "PANTAU_SMTP_STARTTLS": "1",
                        "PANTAU_SMTP_CAFILE": str(cert)}, "notify")
        assert (done.returncode, done.stderr) == (0, "")
        assert len(inbox.envelopes) == len(_units()) + 2
        assert all(e.smtp_utf8 is False for e in inbox.envelopes)
    finally:
        controller.stop()
    assert smtp.envelopes == []
