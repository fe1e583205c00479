"""Every page as a new user sees it, in a real browser on the demo warehouse, signed in as an admin (so
every page is open): in Indonesian and in English, on a laptop (1440 px) and on a phone (390 px). A page
fails on an empty value written as None, nan, NaT or <NA>; a raw dataset, role, group or facility code;
Streamlit's "View N more"; Streamlit's own English uploader texts; English words on an Indonesian page or
Indonesian words on an English page. Tables are drawn on a canvas, so their cells are read from the grid's
accessible table (what a screen reader gets), less a link column's addresses (the canvas shows its "↗").
What the units wrote (titles of sessions and books, organisers, partners) is data, not the page's language:
those names are read from the warehouse and left out of the language check only. Screenshots go to
tests/screenshots/look-*.png."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.browser import add_account, browser, dashboard, exceptions, require_browser, screenshot, settle, sign_in

PAGES = ["", "fasilitas", "laporan", "capaian", "peminjaman", "kunjungan", "pelatihan", "kerjasama", "paket",
         "hunian", "kelengkapan", "unggah", "riwayat", "indikator", "register", "langganan", "akun", "audit"]

EMPTY = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>)(?![\w-])")
# stored codes that must reach the screen only through the translation tables (case-sensitive: the labels
# are capitalised or other words): on every page the codes no language uses (facility codes outside file
# names, the group code wbp, action codes), on Indonesian pages also the codes that are English words
CODES = re.compile(r"(?<![\w./-])(wbp|login_failed|originals_purged|(?:lapas|rutan|lpka)-[a-z]+(?:-[a-z]+)*)"
                   r"(?![\w./-])")
CODES_ID = re.compile(r"(?<![\w./-])(agreements|occupancy|packages|loans|visits|training|attendance|password|"
                      r"viewer|staff|info)(?![\w./-])")
STREAMLIT = re.compile(r"View \d+ more|Drag and drop|\d+MB per file|Browse files")
ENGLISH = ["Loans", "Visitors", "Training", "Summary", "Upload", "Download", "Language", "Facility"]
INDONESIAN = ["Peminjaman", "Pengunjung", "Pelatihan", "Ringkasan", "Unggah", "Unduh", "Bahasa", "Fasilitas",
              "Kunjungan", "belum"]
LINK = re.compile(r"\./[a-z]+\?\S*|https?://\S+")  # a link cell's address, drawn as its display text
# what the units and their partners wrote: shown as written in both languages
WRITTEN = """SELECT title FROM mart_training_session UNION SELECT organiser FROM mart_training_session
UNION SELECT partner FROM mart_training_session UNION SELECT title FROM mart_loan_title_month"""


@pytest.fixture(scope="module")
def warehouse(demo_dir, tmp_path_factory):
    """A copy of the session's demo warehouse and the names written in it that contain a word the language
    check looks for (read before the server holds the file)."""
    import duckdb

    folder = tmp_path_factory.mktemp("look")
    for name in ("pantau.duckdb", "secret.key"):
        shutil.copy2(demo_dir / name, folder / name)
    words = re.compile(rf"(?<!\w)({'|'.join(ENGLISH + INDONESIAN)})(?!\w)")
    with duckdb.connect(str(folder / "pantau.duckdb"), read_only=True) as con:
        written = [name for (name,) in con.execute(WRITTEN).fetchall()
                   if name and words.search(name) and not words.fullmatch(name)]  # never a bare word
    return folder, sorted(written, key=len, reverse=True)


@pytest.fixture(scope="module")
def served(warehouse):
    """The copy of the demo warehouse on its own server (so other browser tests are not disturbed), with an
    admin account."""
    from tests.conftest import QUIET, warehouse_env

    require_browser()
    folder = warehouse[0]
    env = warehouse_env(folder)
    add_account(env, "pengurus", "admin", "sandi-pengurus-dinas")
    with dashboard({**env, **QUIET, "PANTAU_TEST_LOG": str(folder / "streamlit.log")}) as base:
        yield base


def shown_text(page) -> str:
    """What the page says: the visible text, plus every table's headers and cells."""
    text = page.locator("body").inner_text()
    cells = []
    for grid in page.locator("[data-testid='stDataFrame']").all():
        cells += [LINK.sub("", cell) for cell in grid.locator("th, td").all_inner_texts()]
    return text + "\n" + "\n".join(cells)


def problems(text: str, lang: str, written: list[str] = ()) -> list[str]:
    found = [f"empty value {m}" for m in sorted(set(EMPTY.findall(text)))]
    found += [f"raw code {m}" for m in sorted(set(CODES.findall(text)))]
    if lang == "id":
        found += [f"raw code {m}" for m in sorted(set(CODES_ID.findall(text)))]
    found += [f"Streamlit's {m}" for m in sorted(set(STREAMLIT.findall(text)))]
    other = ENGLISH if lang == "id" else INDONESIAN
    for name in written:  # longest first, so a name inside another goes with it
        text = text.replace(name, " ")
    found += [f"other language {w}" for w in other if re.search(rf"(?<!\w){w}(?!\w)", text)]
    return found


def wait_for_tables(page) -> None:
    """Tables below the fold are drawn when scrolled to: bring each into view once."""
    for grid in page.locator("[data-testid='stDataFrame']").all():
        if grid.is_visible():  # a table in a closed expander or another tab is not drawn
            grid.scroll_into_view_if_needed(timeout=10000)
            grid.locator("th").first.wait_for(state="attached", timeout=10000)
    page.mouse.wheel(0, -100000)


@pytest.mark.parametrize("width,lang", [(1440, "id"), (1440, "en"), (390, "id"), (390, "en")])
def test_every_page_in_the_users_language_without_empty_words(served, warehouse, width, lang):
    report = {}
    with browser(width=width, height=900) as page:
        sign_in(page, served, "pengurus", "sandi-pengurus-dinas")
        for path in PAGES:
            page.goto(f"{served}/{path}?lang={lang}")
            settle(page)
            wait_for_tables(page)
            settle(page, quiet=0.5)
            found = problems(shown_text(page), lang, warehouse[1]) + [f"exception {e[:80]}" for e in exceptions(page)]
            if path == "register":  # the register lists each unit's code on purpose (its Kode column)
                found = [f for f in found if not re.match(r"raw code (lapas|rutan|lpka)-", f)]
            if found:
                report[path or "ringkasan"] = found
            screenshot(page, f"look-{width}-{lang}-{path or 'ringkasan'}")
    assert report == {}


def test_a_phone_opens_with_the_sidebar_closed_and_two_cards_a_row(served):
    with browser(width=390, height=844) as page:
        sign_in(page, served, "pengurus", "sandi-pengurus-dinas")
        page.goto(f"{served}/?lang=id")
        settle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_attribute("data-collapsed") == "true"
        box = sidebar.bounding_box()
        assert box["x"] + box["width"] <= 0  # off screen, not over the content
        cards = page.locator("[data-testid='stMetric']")
        boxes = [cards.nth(i).bounding_box() for i in range(3)]
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[2]["y"] > boxes[0]["y"]  # two per row
        assert boxes[0]["width"] < 390 / 2
        # the page itself never scrolls sideways; tables scroll inside their frame
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.locator(".modebar-container").first.is_hidden()
        screenshot(page, "look-phone-first-screen")


def test_the_overview_tells_the_story(served):
    with browser() as page:
        sign_in(page, served, "pengurus", "sandi-pengurus-dinas")
        page.goto(f"{served}/?dari=2026-10&sampai=2026-10")
        settle(page)
        text = page.locator("[data-testid='stMain']").inner_text()
        # who has not sent every expected report of the month, per report (warehouse.provisional)
        assert re.search(r"Semua laporan Oktober 2026 yang diharapkan dari 15 UPT sudah masuk\.|\d+ dari 15 UPT belum "
                         r"lengkap melapor untuk Oktober 2026: \S.+ \((peminjaman|kunjungan|pelatihan)[^)]*\)", text)
        assert re.search(r"Terendah per 100 WBP: \S.+ \(\d+,\d peminjaman per 100 WBP per bulan\)\.", text)
        assert re.search(r"Naik paling banyak: \S.+ \(\+\d+,\d% peminjaman per 100 WBP", text)
        assert "Perlu perhatian" in text
        ranking = page.locator("[data-testid='stDataFrame']").first
        ranking.scroll_into_view_if_needed(timeout=60000)
        ranking.locator("th").first.wait_for(state="attached", timeout=60000)
        headers = ranking.locator("th").all_inner_texts()
        assert "Perubahan (%)" in headers and "Per 100 WBP" in headers
        # every unit shows without scrolling inside the table: the frame is as tall as its rows
        frame = page.locator("[data-testid='stDataFrame']").first.bounding_box()
        assert frame["height"] >= 35 * 16
        assert exceptions(page) == []
