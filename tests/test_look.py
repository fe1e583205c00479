"""How the screens look, without a browser: one rule for empty cells (tables, CSV, xlsx), stored codes in
the user's language (audit details, counts), the overview's story from the warehouse, and the first
start's password printed after the server's address."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_dashboard import PAGES, sign_in


def frame_with_gaps() -> pd.DataFrame:
    return pd.DataFrame({"Fasilitas": ["Rutan A", "Lapas B"], "Peminjaman": pd.array([12, None], dtype="Int64"),
                         "Per 100 WBP": [1.5, float("nan")], "Bulan": [pd.Timestamp("2026-10-01"), pd.NaT],
                         "Tren": [[1.0, None], [2.0, 3.0]], "Buka": ["./fasilitas?unit=a", "./fasilitas?unit=b"]})


# ---------------------------------------------------------------- one rule for empty cells
def test_placeholder_is_the_columns_words_when_they_agree_else_a_dash():
    from ui import widgets

    frame = frame_with_gaps()
    assert widgets.placeholder(frame) == "–"
    same = {"Peminjaman": "tanpa penyebut", "Per 100 WBP": "tanpa penyebut", "Bulan": "tanpa penyebut"}
    assert widgets.placeholder(frame, same) == "tanpa penyebut"
    assert widgets.placeholder(frame, {"Per 100 WBP": "tanpa penyebut"}) == "–"
    assert widgets.placeholder(frame[["Fasilitas"]], {"Per 100 WBP": "tanpa penyebut"}) == "–"


def test_csv_download_writes_the_words_never_none_or_nan():
    from ui import widgets

    text = widgets.to_csv(frame_with_gaps(), {"Per 100 WBP": "tanpa penyebut"}).decode("utf-8-sig")
    assert text.splitlines() == ["Fasilitas;Peminjaman;Per 100 WBP;Bulan",  # no sparkline, no relative link
                                 "Rutan A;12;1,5;2026-10-01 00:00:00",
                                 "Lapas B;–;tanpa penyebut;–"]


def test_xlsx_download_writes_the_words_and_keeps_numbers_numbers():
    from ui import widgets

    data = widgets.to_xlsx(frame_with_gaps(), "Peringkat: fasilitas?", {"Per 100 WBP": "tanpa penyebut"})
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "Peringkat  fasilitas"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Fasilitas", "Peminjaman", "Per 100 WBP", "Bulan"],
        ["Rutan A", 12, 1.5, "2026-10-01 00:00:00"],
        ["Lapas B", "–", "tanpa penyebut", "–"]]


def run_page(small_env, page: str, lang: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    sign_in(at, "kepala", "sandi-kepala-dinas")  # lands on the overview, with the query's view
    if page != "pages/ringkasan.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
@pytest.mark.parametrize("lang,measures", [("id", ("abs", "per100")), ("en", ("abs",))])
def test_every_table_on_every_page_says_what_an_empty_cell_is(small_env, monkeypatch, lang, measures):
    """Streamlit draws an empty cell as 'None' unless told otherwise: every table gets the rule's words, and
    no text cell holds the words None/nan/NaT/<NA>."""
    monkeypatch.setenv("PANTAU_LANG", lang)  # AppTest formats the widgets' options outside the script run
    bad = {}
    for page in PAGES:
        for measure in measures:
            at = run_page(small_env, page, lang, dari="2024-07", sampai="2024-08", ukuran=measure)
            for i, table in enumerate(at.dataframe):
                if not table.proto.placeholder:
                    bad[(page, measure, i)] = "no placeholder"
                frame = table.value
                texts = {str(v) for c in frame.columns if frame[c].dtype == object for v in frame[c]
                         if isinstance(v, str)}
                if texts & {"None", "nan", "NaN", "NaT", "<NA>"}:
                    bad[(page, measure, i)] = sorted(texts & {"None", "nan", "NaN", "NaT", "<NA>"})
    assert bad == {}


def test_the_ranking_says_which_empty_cells_mean_tanpa_penyebut(small_env):
    """In the fixture, 12 units sent nothing (their figures are a plain dash) and Rutan Rantau reported
    without an occupancy figure: the table's dash is explained in the Penghuni and per-100 headers."""
    import json

    at = run_page(small_env, "pages/ringkasan.py", "id", dari="2024-07", sampai="2024-08")
    ranking = at.dataframe[0]
    assert ranking.proto.placeholder == "–"
    assert list(ranking.value.columns)[:4] == ["Fasilitas", "Peminjaman", "Perubahan (%)", "Per 100 WBP"]
    config = json.loads(ranking.proto.columns)
    assert config["Penghuni"]["help"] == "– berarti tanpa penyebut"
    assert config["Per 100 WBP"]["help"] == "Peminjaman per 100 WBP per bulan. – berarti tanpa penyebut"
    attention = [m.value for m in at.markdown if m.value.startswith("- ")][0]
    assert [m.value for m in at.markdown][0] == (
        "Peminjaman dalam periode ini: 1.200 (sementara). 14 dari 15 UPT belum lengkap melapor untuk Agustus 2024: "
        "Lapas Amuntai (peminjaman, kunjungan, pelatihan), Lapas Banjarbaru (peminjaman, kunjungan, pelatihan), "
        "Lapas Banjarmasin (pelatihan), Lapas Batulicin (peminjaman, kunjungan, pelatihan), dan 10 UPT lainnya.")
    # an expected report not in, per dataset: Lapas Banjarmasin sent its loans and visits but no training
    # report, LPKA Martapura no visits of its own library (the mobile library's are Dispersip's)
    every = "peminjaman, kunjungan, pelatihan"
    assert attention.splitlines() == [
        f"- Lapas Amuntai: laporan {every} Agustus 2024 belum masuk",
        f"- Lapas Banjarbaru: laporan {every} Agustus 2024 belum masuk",
        "- Lapas Banjarmasin: laporan pelatihan Agustus 2024 belum masuk",
        f"- Lapas Batulicin: laporan {every} Agustus 2024 belum masuk",
        f"- Lapas Kotabaru: laporan {every} Agustus 2024 belum masuk",
        f"- Lapas Narkotika Karang Intan: laporan {every} Agustus 2024 belum masuk",
        f"- Lapas Perempuan Martapura: laporan {every} Agustus 2024 belum masuk",
        f"- Lapas Tanjung: laporan {every} Agustus 2024 belum masuk",
        "- ... dan 7 lagi."]


# ---------------------------------------------------------------- codes in the user's language
@pytest.mark.parametrize("lang,expected", [
    ("id", ["dengan kata sandi", "rekap.xlsx: Peminjaman, 8 baris dimuat, 0 ditolak",
            "akun tidak dikenal, menunggu sampai 10.15.00", "budi: pemirsa → staf", "admin (admin), mulai pertama",
            "3 berkas asli dihapus (masa simpan 90 hari)", "sesuatu yang lain"]),
    ("en", ["with password", "rekap.xlsx: Loans, 8 rows loaded, 0 refused",
            "unknown account, waiting until 10.15.00", "budi: viewer → staff", "admin (admin), first start",
            "3 original files removed (kept 90 days)", "sesuatu yang lain"])])
def test_audit_details_in_the_users_language(lang, expected):
    from ui import words
    from ui.i18n import use_lang

    stored = [("login", "password"), ("upload", "rekap.xlsx: loans, 8 baris dimuat, 0 ditolak"),
              ("login_failed", "unknown account, waiting until 10:15:00"), ("account_role", "budi: viewer -> staff"),
              ("account_add", "admin (admin), first start"),
              ("originals_purged", "3 berkas asli dihapus (retensi 90 hari)"), ("undo", "sesuatu yang lain")]
    with use_lang(lang):
        assert [words.audit_detail(a, d) for a, d in stored] == expected


@pytest.mark.parametrize("lang,button", [("id", "Pilih berkas"), ("en", "Choose files")])
def test_a_link_in_english_writes_the_uploaders_button_in_english_from_the_first_run(small_env, lang, button):
    """The uploader's button text is CSS written on every run before the page: a link's ?lang=en must set
    the language before it, or a session's first run (a signed-in reader opening a link) wrote 'Pilih
    berkas' beside an English page until something made it run again."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()  # the session's first run: the sign-in page, whose CSS is every page's
    assert not at.exception, [e.value for e in at.exception]
    styles = [h.proto.body for h in at.html if "stFileUploaderDropzone" in h.proto.body]
    assert len(styles) == 1 and f'content: "{button}"' in styles[0]


def test_counts_are_singular_for_one_in_english():
    from ui import words
    from ui.i18n import use_lang

    with use_lang("en"):
        assert [words.counted(n, "count_notes") for n in (0, 1, 2)] == ["0 notes", "1 note", "2 notes"]
    with use_lang("id"):
        assert [words.counted(n, "count_notes") for n in (0, 1, 1234)] == ["0 catatan", "1 catatan", "1.234 catatan"]


def test_one_month_one_error_and_one_figure_are_singular_in_english():
    import types

    from etl import load_report
    from ui import words
    from ui.i18n import use_lang

    register = types.SimpleNamespace(by_code={})
    one, two = [("rutan-x", dt.date(2026, 11, 1))], [("rutan-x", dt.date(2026, 10, 1)), ("rutan-x", dt.date(2026, 11, 1))]
    assert [load_report.coverage_text(c, register, "en") for c in (one, two)] == [
        "rutan-x Nov 2026 (1 month)", "rutan-x Oct 2026–Nov 2026 (2 months)"]
    assert load_report.coverage_text(one, register, "id") == "rutan-x Nov 2026 (1 bulan)"
    assert load_report.t("refused_one", "en", n="1").startswith("File refused: 1 error, nothing loaded. Fix it ")
    with use_lang("en"):
        assert [words.counted(n, "upload_flags").split(".")[0] for n in (1, 2)] == [
            "Needs a check: 1 figure far from the unit's usual level", "Needs a check: 2 figures far from the "
            "unit's usual level"]
    with use_lang("id"):
        assert words.counted(1, "upload_flags").startswith("Perlu dicek: 1 angka jauh dari kebiasaan unitnya.")


def test_template_names_in_the_users_language():
    from ui import words
    from ui.i18n import use_lang

    with use_lang("id"):
        assert [words.template_name(k) for k in ("loans", "visits", "agreements")] == [
            "templat_peminjaman.xlsx", "templat_kunjungan.xlsx", "templat_kerja_sama_pks.xlsx"]
    with use_lang("en"):
        assert words.template_name("packages") == "template_book_packages.xlsx"


def test_loan_categories_the_app_writes_are_in_the_users_language():
    from etl.parse import DDC_CLASSES
    from etl.specs import LOANS
    from ui import charts, widgets
    from ui.i18n import use_lang

    written = sorted(set(DDC_CLASSES.values()) | set(LOANS.column("category").choices))
    frame = pd.DataFrame({"month": [dt.date(2026, 9, 1)] * 10, "category": written[:9] + ["Komik"],
                          "loans": range(10, 0, -1)})
    with use_lang("en"):
        names = [widgets.label("category", c) for c in written]
        traces = [trace.name for trace in charts.stacked_categories(frame, "category", "loans", "Loans").data]
        shown = widgets.table(frame, [widgets.Col("category", "col_category", "label:category")])
    assert names == ["000 General works", "100 Philosophy & psychology", "200 Religion", "300 Social sciences",
                     "400 Language", "500 Science", "600 Technology", "700 Arts & recreation", "800 Literature",
                     "900 History & geography", "Fiction", "Magazines"]
    assert traces == names[:8] + ["Other"]  # the ninth category and the sheet's own "Komik" are summed
    assert shown["Category"].tolist() == names[:9] + ["Komik"]  # a sheet's own word stays as written
    with use_lang("id"):
        assert [widgets.label("category", c) for c in written] == written


def test_training_topics_the_template_offers_are_in_the_users_language():
    from etl.specs import TRAINING
    from ui import charts, widgets
    from ui.i18n import use_lang

    offered = list(TRAINING.column("topic").choices)
    sessions = pd.DataFrame({"topic": offered + ["Membatik"], "short_name": ["Rutan A"] * 8, "code": ["rutan-a"] * 8,
                             "title": ["x"] * 8, "start_date": [dt.date(2026, 9, 1)] * 8,
                             "end_date": [dt.date(2026, 9, 2)] * 8, "participants": [10] * 8})
    with use_lang("en"):
        shown = widgets.table(sessions, [widgets.Col("topic", "col_topic", "label:topic")])["Topic"].tolist()
        traces = [trace.name for trace in charts.timeline(sessions, "topic", {}).data]
    assert shown == ["Literacy", "Writing", "Orchids", "Hydroponics", "Appropriate technology", "Library management",
                     "Other", "Membatik"]
    assert traces == shown
    with use_lang("id"):
        assert [trace.name for trace in charts.timeline(sessions, "topic", {}).data] == offered + ["Membatik"]


def test_english_months_as_babel_gives_them():
    from etl.i18n import fmt_month

    assert fmt_month(dt.date(2026, 9, 1), "en", long=False) == "Sep 2026"


# ---------------------------------------------------------------- the overview's story
def test_story_ranking_and_facts_on_the_fixture_warehouse(small_env):
    from warehouse import metrics, story

    scope = metrics.Scope(dt.date(2024, 8, 1), dt.date(2024, 8, 1), tuple(metrics.facilities()["code"]))
    frame = story.ranking(scope)
    facts = story.facts(frame, {})
    rated = frame[frame["loans_rate"].notna()]
    assert list(frame["loans_rate"].head(len(rated))) == sorted(rated["loans_rate"], reverse=True)
    assert facts.no_denominator == sorted(frame.loc[(frame["months_reported"] > 0) & frame["occupants"].isna(),
                                                    "short_name"])
    previous = story.ranking(metrics.Scope(dt.date(2024, 7, 1), dt.date(2024, 7, 1), scope.facilities))
    expected = previous.set_index("code")["loans"]
    got = frame.set_index("code")["loans_previous"]
    assert got.dropna().to_dict() == expected.dropna().to_dict()


def test_facts_name_the_lowest_the_most_improved_and_those_that_fell():
    from warehouse.story import Facts, facts

    frame = pd.DataFrame({
        "short_name": ["A", "B", "C", "D"], "loans_rate": [30.0, 10.0, 20.0, float("nan")],
        "loans_rate_change": [0.5, -0.25, 0.1, float("nan")], "reported_latest": [True, True, False, True],
        "has_denominator": [True, True, True, False], "months_reported": [1, 1, 1, 1]})
    assert facts(frame, {"C": ["loans", "visits"]}) == Facts(
        not_reported={"C": ["loans", "visits"]}, lowest=("B", 10.0), improved=("A", 0.5), declined=[("B", -0.25)],
        no_denominator=["D"])


def test_not_reported_means_an_expected_report_of_the_month_is_not_in():
    """A unit that sent its loans but not its visits has not reported; a unit closed for a dataset owes it."""
    from ui.story import attention
    from warehouse.provisional import outstanding_units
    from warehouse.story import Facts

    sep, oct_ = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
    rows = [("Lapas A", "loans", oct_, "on_time"), ("Lapas A", "visits", oct_, "missing"),
            ("Lapas A", "training", oct_, "not_due"), ("Rutan B", "loans", oct_, "late"),
            ("Rutan B", "visits", oct_, "on_time"), ("Rutan B", "training", oct_, "closed"),
            ("Rutan B", "loans", sep, "missing")]
    matrix = pd.DataFrame(rows, columns=["short_name", "dataset", "month", "status"])
    assert outstanding_units(matrix, oct_) == {"Lapas A": ["visits", "training"]}
    assert outstanding_units(matrix, sep) == {"Rutan B": ["loans"]}
    facts = Facts(not_reported=outstanding_units(matrix, oct_), lowest=None, improved=None, declined=[],
                  no_denominator=[])
    assert attention(facts, oct_, 100) == ["Lapas A: laporan kunjungan, pelatihan Oktober 2026 belum masuk"]
    # a figure still flagged 'perlu dicek' comes first (the story's numbers may rest on it), escaped for Markdown
    flag = "Peminjaman Lapas A Agustus 2026: 903, biasanya 199-262. Salah ketik?"
    assert attention(facts, oct_, 100, [flag]) == [
        "Perlu dicek: Peminjaman Lapas A Agustus 2026\\: 903, biasanya 199-262. Salah ketik? (konfirmasi di "
        "Kelengkapan Data)", "Lapas A: laporan kunjungan, pelatihan Oktober 2026 belum masuk"]


# ---------------------------------------------------------------- first start
def test_first_admin_password_is_printed_again_after_the_server_answers():
    from pantau.serve import remind_after_start
    from tests.browser import free_port

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    lines = []
    port = free_port()
    waiting = remind_after_start("PASSWORD BLOCK", port, None, out=lambda text, **kw: lines.append(text))
    waiting.join(0.5)  # the waiter asks every 0.3 s
    assert lines == []  # nothing before the server answers
    server = http.server.HTTPServer(("127.0.0.1", port), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        waiting.join(10)
    finally:
        server.shutdown()
    assert lines == ["\nPASSWORD BLOCK"]


def test_admin_notice_is_framed_and_says_how_to_change_it():
    from warehouse.ingest import admin_notice

    assert admin_notice("abcd-efgh").splitlines() == [
        "=" * 72, "Akun admin pertama dibuat / first admin account created:",
        "  nama pengguna / user name : admin", "  kata sandi / password    : abcd-efgh",
        "Kata sandi ini hanya ditampilkan saat mulai pertama. Gantilah dengan / change it with:",
        "  python -m etl users set-password admin", "=" * 72]
