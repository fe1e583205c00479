"""User-supplied text shown through Streamlit's Markdown is escaped (issue 12, finding 7):
a file uploaded as ``[klik](http://…) ![px](http://…/pixel.png).csv`` must show as those
characters on every page that names it, never as a live link or a remote image."""

from __future__ import annotations

import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_dashboard import sign_in
from ui.fmt import md
from warehouse import accounts

HOSTILE = "[klik](http://contoh.invalid) ![px](http://contoh.invalid/pixel.png)"
HOSTILE_FILE = HOSTILE + ".csv"
ESCAPED = r"\[klik\]\(http\://contoh.invalid\) \!\[px\]\(http\://contoh.invalid/pixel.png\)"
CSV = "text/csv"
GOOD_CSV = b"Fasilitas,Bulan,Kategori,Jumlah Peminjaman\nRutan Rantau,Agustus 2024,Agama,10\n"
MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption"}


# ------------------------------------------------------------------ the helper
def unescaped(text: str, pattern: str) -> bool:
    """Whether ``pattern`` occurs in ``text`` with its first character not backslash-escaped."""
    for m in re.finditer(re.escape(pattern), text):
        backslashes = len(text[:m.start()]) - len(text[:m.start()].rstrip("\\"))
        if backslashes % 2 == 0:
            return True
    return False


@pytest.mark.parametrize("raw, shown", [
    (HOSTILE_FILE, ESCAPED + ".csv"),
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
    (":red[merah] :material/home: $x^2$", r"\:red\[merah\] \:material/home\: \$x^2\$"),
    ("**tebal** _miring_ ~~coret~~ `kode` # judul | a", r"\*\*tebal\*\* \_miring\_ \~\~coret\~\~ \`kode\` \# judul \| a"),
    ("- butir", r"\- butir"), ("+ butir", r"\+ butir"), ("12. butir", r"12\. butir"), ("3) butir", r"3\) butir"),
    ("baris satu\nbaris dua\r\n\r\ntiga", "baris satu baris dua tiga"),
    ("lihat www.contoh.invalid", r"lihat www\.contoh.invalid"),
    ("a\\](b)", r"a\\\]\(b\)"), ("Tom & Jerry", r"Tom \& Jerry"),
    ("Rutan Kelas IIB Rantau", "Rutan Kelas IIB Rantau"), ("sari", "sari"), (None, "–"),
])
def test_md_escapes_markdown_and_streamlit_syntax(raw, shown):
    assert md(raw) == shown
    for marker in ("](", "![", "<img", ":red[", ":material/", "$x", "\n"):
        assert not unescaped(md(raw), marker), marker


def test_md_of_a_number_or_nan():
    assert md(12) == "12"
    assert md(float("nan")) == "–"


# ------------------------------------------------------------------ the pages
def markdown_strings(at: AppTest) -> list[str]:
    """Every Markdown-rendered string of the app's elements (bodies, labels, help, captions)."""
    found: list[str] = []

    def collect(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif isinstance(value, str) and key in MARKDOWN_FIELDS:
            found.append(value)

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            collect(MessageToDict(proto, preserving_proto_field_name=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def assert_no_live_markup(at: AppTest, *, expect: int = 1) -> None:
    assert not at.exception, [e.value for e in at.exception]
    strings = markdown_strings(at)
    bad = [s for s in strings if any(unescaped(s, m) for m in ("](", "![", "<img", "<a "))]
    assert bad == []
    shown = [s for s in strings if r"\[klik\]" in s]
    assert len(shown) >= expect, strings  # the hostile text is there, escaped: the check above was not vacuous


@pytest.fixture
def people(env, monkeypatch):
    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    from warehouse.ingest import make_options

    make_options()
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test", display_name=HOSTILE)
    accounts.add_user("adm", "admin", "sandi-admin-dinas", by="cli:test", display_name="Admin " + HOSTILE)
    return env


def page(at: AppTest, path: str) -> AppTest:
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_a_hostile_file_name_is_plain_text_on_upload_and_history(people):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    sign_in(at, "sari", "sandi-rahasia-sari")
    assert_no_live_markup(at, expect=1)  # the sidebar's "signed in as" with the display name
    assert any(r"\[klik\]" in c.value for c in at.sidebar.caption)
    at = page(at, "pages/unggah.py")
    at.get("file_uploader")[0].set_value([(HOSTILE_FILE, GOOD_CSV, CSV),
                                          ("rusak " + HOSTILE + ".xlsx", b"\x00bukan lembar kerja" * 20, CSV)]).run()
    assert_no_live_markup(at, expect=2)  # the two headings
    heading = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert heading == "#### " + ESCAPED + ".csv"
    next(b for b in at.button if b.label == "Muat semua").click().run()
    assert at.success[0].value.startswith("Dimuat sebagai 1 batch (#1)")

    at = page(at, "pages/riwayat.py")
    at.selectbox(key="history_batch").set_value(1).run()
    assert_no_live_markup(at, expect=1)
    assert ESCAPED in at.subheader[0].value


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_hostile_names_in_admin_pages_are_plain_text(people):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    sign_in(at, "adm", "sandi-admin-dinas")
    at = page(at, "pages/akun.py")
    at.text_input(key="new_username").input(HOSTILE)
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert_no_live_markup(at, expect=1)  # the refusal quotes the user name
    assert any(r"\[klik\]" in e.value for e in at.error)

    at = page(at, "pages/register.py")
    at.text_input(key="alias_text").input("Rutan " + HOSTILE)
    next(b for b in at.button if b.label == at.get("form_submit_button")[0].label).click().run()
    assert_no_live_markup(at, expect=1)
    assert at.success and r"\[klik\]" in at.success[0].value
