"""Every page of the dashboard, run by Streamlit's AppTest against a small
warehouse whose figures are added up by hand (and re-derived from the staging
tables with SQL of the test's own)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, warehouse_env
from warehouse import accounts
from warehouse.db import connect

PAGES = ["pages/ringkasan.py", "pages/fasilitas.py", "pages/peminjaman.py", "pages/kunjungan.py",
         "pages/pelatihan.py", "pages/kerjasama.py", "pages/paket.py", "pages/hunian.py", "pages/kelengkapan.py",
         "pages/indikator.py", "pages/register.py"]


@pytest.fixture
def app(small_env):
    def make(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        sign_in(at, "kepala", "sandi-kepala-dinas")
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    assert not any(i.key == "login_username" for i in at.text_input), [e.value for e in at.error]  # signed in
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def independent(sql: str, params=()) -> int:
    with connect() as con:
        return con.execute(sql, list(params)).fetchone()[0]


# the fast tier walks the pages in absolute figures; the full suite (and its browser tests) per 100 inmates too
@pytest.mark.parametrize("measure", ["abs", pytest.param("per100", marks=pytest.mark.slow)])
def test_every_page_runs_without_exception(app, measure):
    """Each page in turn in one signed-in session, as a reader clicks through the menu: the view chosen
    in the URL stays on every page."""
    at = app(dari="2024-07", sampai="2024-08", ukuran=measure)
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
        assert not at.error, (page, [e.value for e in at.error])
        assert (at.session_state["_url_dari"], at.session_state["_url_ukuran"]) == ("2024-07", measure), page


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_per_capita_switch(app):
    at = app(dari="2024-08", sampai="2024-08", ukuran="per100")
    shown = metrics(at)
    # by hand: 100 x (500 + 80) / (2.189 + 43): Banjarmasin and LPKA have the register's figures, Rantau none
    assert shown["Peminjaman /100 WBP"][0] == "26,0"
    assert any(c.value.startswith("Per 100 WBP dihitung dari 2 dari 3 fasilitas") for c in at.caption)
    assert at.session_state["_url_ukuran"] == "per100"


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_completeness_page_lists_what_to_chase(app):
    at = app("pages/kelengkapan.py", dari="2024-07", sampai="2024-08")
    chase = next(d.value for d in at.dataframe if "Belum masuk sejak" in d.value.columns)
    # nobody sent a training report for July 2024 except Banjarmasin; Rantau and LPKA sent no July loans/visits
    assert set(chase["Fasilitas"]) >= {"Rutan Rantau", "LPKA Martapura"}


def test_overview_kpis_for_august(app):
    at = app(dari="2024-08", sampai="2024-08")
    shown = metrics(at)
    # by hand: loans 120 + 500 + 80 = 700; July 100 + 400 = 500; August 2023: 60. Changes like for like: LPKA
    # Martapura sent no July loans, so 120 + 500 = 620 against 500 (+24 %); a year back Rantau only, 120 against 60
    assert shown["Peminjaman"] == ("700", "+24,0%")
    card = [c.value for c in at.caption]
    start = card.index("vs periode sama tahun lalu: +100,0%")
    assert card[start:start + 4] == [
        "vs periode sama tahun lalu: +100,0%",
        "Sebanding: 2 dari 15 UPT yang melapor di kedua periode; total mentah 700 vs 500.",
        "Tahun lalu sebanding: 1 dari 15 UPT; total mentah 700 vs 60.",
        ":orange[Sementara: laporan peminjaman Agu 2024 belum lengkap; belum masuk: Lapas Amuntai, Lapas Banjarbaru, "
        "Lapas Batulicin, Lapas Kotabaru, Lapas Narkotika Karang Intan dan 7 lainnya.]"]
    assert shown["Pengunjung perpustakaan"][0] == "90"
    assert shown["Pengunjung pusling"][0] == "45"
    assert shown["Sesi pelatihan"][0] == "2"
    assert shown["Peserta pelatihan"][0] == "27"
    # reporting per dataset, not 'any report': LPKA Martapura's August visits are the mobile library's only
    said = [m.value for m in at.markdown]
    # the story's first sentence: the same like-for-like change, marked provisional, and who has not reported
    assert said[0] == ("Peminjaman dalam periode ini: 700 (sementara), +24,0% dibanding periode sebelumnya (sebanding: "
                       "2 dari 15 UPT yang melapor di kedua periode). 14 dari 15 UPT belum lengkap melapor untuk Agustus "
                       "2024: Lapas Amuntai (peminjaman, kunjungan, pelatihan), Lapas Banjarbaru (peminjaman, "
                       "kunjungan, pelatihan), Lapas Banjarmasin (pelatihan), Lapas Batulicin (peminjaman, kunjungan, "
                       "pelatihan), dan 10 UPT lainnya.")
    start = said.index("**Fasilitas melapor**")
    assert said[start:start + 4] == [
        "**Fasilitas melapor**", "Peminjaman: 3 dari 15 UPT · :orange[sementara]",
        "Kunjungan: 2 dari 15 UPT · :orange[sementara]", "Pelatihan: 2 dari 15 UPT · :orange[sementara]"]
    assert shown["Peminjam aktif"][0] == "–"  # recaps carry no ids
    # the same figures, re-derived from the staging rows in force with the test's own SQL
    loans = independent("""SELECT sum(l.n_loans) FROM stg_loan l JOIN current_cell c
        ON c.batch_id = l.batch_id AND c.facility_code = l.facility_code AND c.month = l.month
        WHERE c.dataset = 'loans' AND l.month = DATE '2024-08-01'""")
    visitors = independent("""SELECT sum(n_visitors) FROM stg_visit
        WHERE service = 'perpustakaan' AND visit_date BETWEEN DATE '2024-08-01' AND DATE '2024-08-31'""")
    participants = independent("""SELECT sum(coalesce(participants, participants_l + participants_p))
        FROM stg_training_session WHERE month = DATE '2024-08-01'""")
    assert (loans, visitors, participants) == (700, 90, 27)


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_filters_live_in_the_url_and_narrow_the_view(app):
    at = app(dari="2024-07", sampai="2024-08", jenis=["Rutan"])
    assert metrics(at)["Peminjaman"][0] == "220"  # Rutan Rantau only: 100 + 120
    assert at.session_state["_url_dari"] == "2024-07"
    assert at.session_state["_url_jenis"] == ["Rutan"]
    at = app(dari="2024-07", sampai="2024-08", fas=["lpka-martapura", "rutan-rantau"])
    assert metrics(at)["Peminjaman"][0] == "300"


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_english_switch(app):
    at = app(dari="2024-08", sampai="2024-08", lang="en")
    assert at.title[0].value == "Reading activity at a glance"
    assert metrics(at)["Loans"] == ("700", "+24.0%")
    assert "Like for like: 2 of 15 units that reported in both periods; raw totals 700 vs 500." in \
        [c.value for c in at.caption]


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_facility_page_for_one_unit(app):
    at = app("pages/fasilitas.py", dari="2024-07", sampai="2024-08", unit="rutan-rantau")
    assert at.title[0].value == "Rutan Rantau"
    assert any("Bulan tanpa laporan" in c.value for c in at.caption)
    # a unit that never reported is said so, not drawn as zeros
    at = app("pages/fasilitas.py", dari="2024-07", sampai="2024-08", unit="rutan-barabai")
    assert at.title[0].value == "Rutan Barabai"
    assert at.info[0].value.startswith("Rutan Barabai belum pernah mengirim laporan.")


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_period_without_reports_says_so(app):
    at = app(dari="2024-01", sampai="2024-01")  # inside the data's range, but nobody reported that month
    assert at.session_state["_url_dari"] == "2024-01"
    assert at.info[0].value == ("Tidak ada laporan untuk periode dan fasilitas ini. Pilih periode lain di samping.")
    assert not at.metric
    at = app(dari="1999-01", sampai="2024-08")  # not a month of the data: the default applies
    assert at.session_state["_url_dari"] == "2023-09"


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_empty_warehouse_explains_how_to_load(tmp_path, monkeypatch):
    for k, v in warehouse_env(tmp_path).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    at = sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), "sari", "sandi-rahasia-sari")
    assert not at.exception
    assert "python -m etl load" in at.info[0].value


def test_cached_queries_are_keyed_on_the_data_version_and_kept_apart(monkeypatch):
    """ui.data's ``cached``: one entry per query and arguments (defaults bound, so the same call written
    two ways is one entry), a new data version computes again, and two queries never share a cache."""
    from ui import data

    calls = []

    def first(scope, per_facility: int = 5, path=None):
        calls.append(("first", scope, per_facility))
        return len(calls)

    def second(scope, per_facility: int = 5, path=None):
        calls.append(("second", scope, per_facility))
        return -len(calls)

    version = ["v1"]
    monkeypatch.setattr(data, "version", lambda: version[0])
    cached_first, cached_second = data.cached(first), data.cached(second)
    try:
        assert cached_first("scope") == cached_first("scope", per_facility=5) == cached_first("scope", 5) == 1
        assert cached_second("scope") == -2  # same arguments, its own cache
        assert cached_first("scope", 3) == 3
        version[0] = "v2"  # a load committed
        assert cached_first("scope") == 4 and cached_second("scope") == -5
        assert len(calls) == 5
    finally:
        cached_first.clear()
        cached_second.clear()


def test_a_new_data_version_is_warmed_ahead_with_the_calls_the_pages_made(monkeypatch):
    """``warm``: the calls the pages made lately run again for a new data version, the latest first, so
    the next page view finds them in memory; a call not made for ``WARM_WITHIN`` seconds is not warmed,
    and one that fails is left to the page."""
    from ui import data

    calls = []

    def counted(scope, per_facility: int = 5, path=None):
        calls.append((version[0], scope, per_facility))
        if scope == "broken":
            raise ValueError("the page runs it itself")
        return len(calls)

    version = ["v1"]
    monkeypatch.setattr(data, "version", lambda: version[0])
    monkeypatch.setattr(data, "_RECENT", type(data._RECENT)())
    query = data.cached(counted)
    try:
        query("old")
        clock = data.time.monotonic()
        monkeypatch.setattr(data.time, "monotonic", lambda: clock + data.WARM_WITHIN + 1)
        query("all", 3)
        query("one")
        with pytest.raises(ValueError):
            query("broken")
        assert calls == [("v1", "old", 5), ("v1", "all", 3), ("v1", "one", 5), ("v1", "broken", 5)]
        version[0] = "v2"  # a load committed through another server
        assert data.warm("v2") == 3  # "old" was last asked for more than WARM_WITHIN seconds ago
        assert calls[4:] == [("v2", "broken", 5), ("v2", "one", 5), ("v2", "all", 3)]
        assert query("one") == 6 and query("all", per_facility=3) == 7  # from memory: computed by the warming
        assert len(calls) == 7
    finally:
        query.clear()


def test_the_warming_thread_ends_when_the_settings_name_another_warehouse(monkeypatch):
    """A warming thread belongs to the lake it was started for: pointed at another lake (or the file), it
    ends instead of warming that warehouse's queries (a test process runs many warehouses one after another)."""
    import time

    from ui import data
    from warehouse import db

    lake = ["3f9a0c1e"]
    monkeypatch.setattr(data, "_WARMER", [])
    monkeypatch.setattr(db, "is_lake", lambda: True)
    monkeypatch.setattr(db, "lake_tag", lambda: lake[0])
    monkeypatch.setattr(data, "version", lambda: f"7@{lake[0]}")
    data.warm_ahead(every=0.01)
    thread = data._WARMER[0]
    time.sleep(0.1)
    assert thread.is_alive()
    lake[0] = "0b1c2d3e"
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_when_the_data_changed_is_read_from_its_version():
    """The file's data version starts with the commit's time in nanoseconds; "0" is a warehouse nothing was
    committed to yet (the lake's versions are checked in test_lake)."""
    from warehouse import db

    assert db.changed_at("1764500000123456789-ab12cd34") == 1764500000123456789
    assert db.changed_at("0") is None and db.changed_at("") is None


def test_warming_ahead_runs_only_on_the_lake(monkeypatch):
    """On the file backend (one server) the warming thread is not started."""
    from ui import data

    monkeypatch.setattr(data, "_WARMER", [])
    data.warm_ahead()
    assert data._WARMER == []


def test_cached_queries_follow_the_warehouse_functions():
    """Every cached query of ui.data is a warehouse function (go-to-definition reaches it through
    ``__wrapped__``) with that function's arguments, each with a cache of its own."""
    import inspect

    from ui import data

    wrapped = {name: value.__wrapped__ for name, value in vars(data).items()
               if inspect.isfunction(value) and hasattr(value, "__wrapped__")}  # not st.cache_resource's _options
    assert len(wrapped) >= 24, sorted(wrapped)
    for name, function in wrapped.items():
        assert function.__module__.startswith("warehouse."), name
        assert inspect.signature(getattr(data, name)) == inspect.signature(function), name
    identities = {(f.__module__, f.__qualname__) for f in wrapped.values()}
    assert len(identities) == len(wrapped)  # Streamlit keys a cache on the function's module and name
