"""Accounts, passwords, lock-out, sessions, roles and the audit log."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import ROOT, run_cli, warehouse_env
from warehouse import accounts
from warehouse.accounts import AccountError, SignInRefused, User
from warehouse.db import connect


@pytest.mark.real_argon2
def test_passwords_are_hashed_with_argon2(env):
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    with connect() as con:
        stored = con.execute("SELECT password_hash FROM app_user WHERE username = 'sari'").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and "sandi-rahasia-sari" not in stored
    assert accounts.sign_in("sari", "sandi-rahasia-sari") == User("sari", "staff", None, None)
    with pytest.raises(SignInRefused, match="^Nama pengguna atau kata sandi salah.$"):
        accounts.sign_in("sari", "salah-sandinya")
    with pytest.raises(AccountError, match="^Kata sandi minimal 10 karakter.$"):
        accounts.add_user("budi", "staff", "pendek", by="cli:test")
    with pytest.raises(AccountError, match="^Akun 'sari' sudah ada.$"):
        accounts.add_user("Sari", "viewer", "sandi-lain-sekali", by="cli:test")


THROTTLED = re.compile(r"^Terlalu banyak percobaan masuk yang gagal\. Coba lagi setelah pukul \d\d\.\d\d "
                       r"\(sekitar (\d+) menit lagi\)\.$")


@pytest.fixture
def pauses(monkeypatch):
    """The per-name slow-downs sign_in asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(accounts, "_pause", asked.append)
    return asked


def answer(username: str, password: str, address: str | None = None) -> tuple[str, float | None]:
    """What a sign-in answers: the message and, for a wait, its length in seconds."""
    started = accounts._now()
    try:
        accounts.sign_in(username, password, address=address)
    except SignInRefused as exc:
        return str(exc), None if exc.until is None else round((exc.until - started).total_seconds())
    return "ok", None


def expire_waits():
    with connect(write=True) as con:
        con.execute("UPDATE login_throttle SET wait_until = now()::TIMESTAMP - INTERVAL 1 SECOND "
                    "WHERE wait_until IS NOT NULL")


@pytest.mark.slow  # dozens of argon2 hashes and their waits, by design
def test_failed_sign_ins_wait_longer_each_time_up_to_the_cap(env, monkeypatch, pauses):
    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("PANTAU_LOCKOUT_MINUTES", "4")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    at = "198.51.100.7"
    assert [answer("sari", "tebakan", at)[0] for _ in range(2)] == ["Nama pengguna atau kata sandi salah."] * 2
    message, wait = answer("sari", "tebakan", at)  # the third failure: the first wait, one minute
    assert THROTTLED.match(message).group(1) == "1" and wait == 60
    # while it lasts, even the right password waits (a guess is not even checked)
    message, wait = answer("sari", "sandi-rahasia-sari", at)
    assert THROTTLED.match(message) and 0 < wait <= 60
    waits = []
    for _ in range(4):
        expire_waits()
        waits.append(answer("sari", "tebakan", at)[1])
    assert waits == [120, 240, 240, 240]  # doubling, never more than PANTAU_LOCKOUT_MINUTES
    # the name alone (from every address) only slows sign-ins down, a little: from its third failure
    # 0.25 s, doubling, capped at 2 s (the wait above was asked at three failures, then four to seven)
    assert pauses == [0.25, 0.25, 0.5, 1.0, 2.0]
    expire_waits()
    assert answer("sari", "sandi-rahasia-sari", at) == ("ok", None)
    # a success forgets this name's counters: the next typo is a typo again
    assert answer("sari", "tebakan", at) == ("Nama pengguna atau kata sandi salah.", None)
    with connect() as con:
        assert con.execute("SELECT scope, name, address, failures FROM login_throttle ORDER BY scope").fetchall() == [
            ("address", "", at, 8), ("name", "sari", "", 1), ("name_address", "sari", at, 1)]


@pytest.mark.slow  # dozens of argon2 hashes and their waits, by design
def test_unknown_names_get_the_same_answers_and_waits(env, monkeypatch, pauses):
    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "3")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    accounts.add_user("budi", "staff", "sandi-rahasia-budi", by="cli:test")
    accounts.set_active("budi", False, by="cli:test")

    def story(name: str, address: str) -> list:
        said = []
        for _ in range(5):
            message, wait = answer(name, "tebakan", address)
            said.append((THROTTLED.sub("(tunggu)", message), wait and 50 <= wait <= 60))
        return said

    before = len(pauses)
    real = story("sari", "192.0.2.1")
    real_pauses = pauses[before:]
    unknown = story("tidak-ada", "192.0.2.2")
    assert real == unknown == story("budi", "192.0.2.3")  # a disabled account says so only to its password
    assert real == [("Nama pengguna atau kata sandi salah.", None)] * 2 + [("(tunggu)", True)] * 3
    assert pauses[before + len(real_pauses):before + 2 * len(real_pauses)] == real_pauses
    assert answer("budi", "sandi-rahasia-budi", "192.0.2.9") == ("Akun ini dinonaktifkan; hubungi admin.", None)


@pytest.mark.slow  # dozens of argon2 hashes and their waits, by design
def test_an_attacker_elsewhere_cannot_lock_a_real_admin_out(env, monkeypatch, pauses):
    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("PANTAU_LOCKOUT_MINUTES", "15")
    accounts.add_user("kepala", "admin", "sandi-kepala-dinas", by="cli:test")
    # one attacker, six addresses, every guess wrong: each address soon waits ...
    for n in range(6):
        said = [answer("kepala", "tebakan", f"203.0.113.{n}")[1] for _ in range(3)]
        assert said[0] is None and said[1] == 60 and 50 <= said[2] <= 60
    # ... but the admin at the office signs in, slowed by at most two seconds
    assert answer("kepala", "sandi-kepala-dinas", "10.20.30.40") == ("ok", None)
    assert pauses[-1] == accounts.NAME_DELAY_CAP == 2.0
    # one address trying many names waits too (after four times PANTAU_LOGIN_MAX_ATTEMPTS), for any name
    said = [answer(f"tamu{n}", "tebakan", "203.0.113.99") for n in range(8)]
    assert said[:7] == [("Nama pengguna atau kata sandi salah.", None)] * 7 and said[7][1] == 60
    assert THROTTLED.match(answer("kepala", "sandi-kepala-dinas", "203.0.113.99")[0])
    assert answer("kepala", "sandi-kepala-dinas", "10.20.30.41") == ("ok", None)


@pytest.mark.slow  # dozens of argon2 hashes and their waits, by design
def test_a_burst_of_parallel_guesses_is_throttled_like_a_sequence(env, monkeypatch, pauses):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "3")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    with ThreadPoolExecutor(6) as pool:
        said = list(pool.map(lambda n: answer("sari", f"tebakan-{n}", "198.51.100.20")[0], range(6)))
    assert said.count("Nama pengguna atau kata sandi salah.") == 2  # two typos, then the third starts a wait
    assert sum(bool(THROTTLED.match(m)) for m in said) == 4
    with connect() as con:
        assert con.execute("SELECT failures FROM login_throttle WHERE scope = 'name_address'").fetchone() == (3,)


@pytest.mark.slow  # dozens of argon2 hashes and their waits, by design
@pytest.mark.real_argon2  # the work of one verification, measured
def test_the_same_time_for_a_wrong_password_an_unknown_user_and_a_wait(env, monkeypatch, pauses):
    """Every answer costs one argon2 verification (before this, an unknown name answered in about
    1 ms and a real one in about 110 ms): the work each answer does, measured as this process's CPU time
    (argon2's threads included), which other processes on a busy machine do not change."""
    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "3")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    accounts.add_user("kepala", "viewer", None, by="cli:test", email="kepala@dispersip.id")  # SSO only
    for _ in range(3):
        answer("sari", "tebakan", "192.0.2.50")  # sari now waits at that address
    answer("tidak-ada", "x", "192.0.2.1")  # warm up (the dummy hash is made once)
    cases = {"wrong password": ("sari", "tebakan", "192.0.2.1"), "unknown user": ("tidak-ada", "x", "192.0.2.2"),
             "no password (SSO)": ("kepala", "x", "192.0.2.3"), "waiting": ("sari", "tebakan", "192.0.2.50")}
    times = {}
    for label, (name, password, address) in cases.items():
        spent = []
        for _ in range(2):  # two tries each: below the threshold, so nothing else changes
            started = time.process_time()
            answer(name, password, address)
            spent.append(time.process_time() - started)
        times[label] = min(spent)
    slowest, fastest = max(times.values()), min(times.values())
    assert fastest >= 0.5 * slowest, times
    assert answer("sari", "tebakan", "192.0.2.7")[0] == answer("tidak-ada", "x", "192.0.2.7")[0] == \
        answer("kepala", "x", "192.0.2.7")[0] == "Nama pengguna atau kata sandi salah."


def test_sessions_survive_a_refresh_until_they_expire_or_close(env, monkeypatch):
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    user = accounts.sign_in("sari", "sandi-rahasia-sari")
    cookie, expires = accounts.open_session(user)
    assert accounts.session_user(cookie) == user
    token, signature = cookie.rsplit(".", 1)
    assert accounts.session_user(f"{token}.{'0' * len(signature)}") is None  # forged signature
    assert accounts.session_user("x" * 40) is None
    with connect() as con:  # only the token's hash is stored
        assert con.execute("SELECT count(*) FROM app_session WHERE token_hash = ?", [token]).fetchone()[0] == 0
    accounts.close_session(cookie, "sari")
    assert accounts.session_user(cookie) is None
    cookie, _ = accounts.open_session(user)
    with connect(write=True) as con:
        con.execute("UPDATE app_session SET expires_at = now()::TIMESTAMP - INTERVAL 1 SECOND")
    assert accounts.session_user(cookie) is None
    cookie, _ = accounts.open_session(user)
    accounts.set_active("sari", False, by="cli:test")
    assert accounts.session_user(cookie) is None  # a disabled account's sessions end


def test_roles_and_batch_permissions():
    viewer, staff, admin = User("k", "viewer"), User("sari", "staff"), User("adm", "admin")
    assert [viewer.can("staff"), staff.can("staff"), staff.can("admin"), admin.can("staff")] == [False, True, False,
                                                                                                 True]
    assert accounts.can_change_batch(staff, "sari") and not accounts.can_change_batch(staff, "budi")
    assert accounts.can_change_batch(admin, "budi") and not accounts.can_change_batch(viewer, "k")


def test_first_admin_and_last_admin(env):
    password = accounts.ensure_first_admin()
    assert password and len(password) == 19
    assert accounts.ensure_first_admin() is None  # only on a first start, and only once
    assert accounts.sign_in("admin", password).role == "admin"
    with pytest.raises(AccountError, match="admin aktif terakhir"):
        accounts.set_active("admin", False, by="admin")
    with pytest.raises(AccountError, match="admin aktif terakhir"):
        accounts.set_role("admin", "staff", by="admin")


def test_sso_email_maps_to_an_account(env):
    accounts.add_user("kepala", "viewer", None, by="cli:test", email="Kepala@Dispersip.Kalselprov.go.id")
    assert accounts.user_by_email("kepala@dispersip.kalselprov.go.id").username == "kepala"
    assert accounts.user_by_email("orang@lain.id") is None
    with pytest.raises(SignInRefused):  # an SSO-only account has no password to guess
        accounts.sign_in("kepala", "")


def test_audit_records_who_did_what(env, opts):
    from etl.pipeline import read_file
    from tests.files import write_xlsx
    from warehouse.load import load_file, undo_batch

    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    accounts.sign_in("sari", "sandi-rahasia-sari")
    with pytest.raises(SignInRefused):
        accounts.sign_in("sari", "keliru-sekali")
    header = ["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"]
    first = write_xlsx(env / "a.xlsx", {"Peminjaman": [header, ["Rutan Rantau", "Agustus 2024", "Agama", 10]]})
    second = write_xlsx(env / "b.xlsx", {"Peminjaman": [header, ["Rutan Rantau", "Agustus 2024", "Agama", 12]]})
    load_file(read_file(first, opts), loaded_by="sari")
    load_file(read_file(second, opts), loaded_by="sari")
    undo_batch(2, by="sari")
    entries = [(e["username"], e["action"], e["detail"], e["batch_id"]) for e in reversed(accounts.audit_entries())]
    assert entries == [
        ("cli:test", "account_add", "sari (staff)", None),
        ("sari", "login", "password", None),
        ("sari", "login_failed", "attempt 1", None),
        ("sari", "upload", "a.xlsx: loans, 1 baris dimuat, 0 ditolak", 1),
        ("sari", "upload", "b.xlsx: loans, 1 baris dimuat, 0 ditolak", 2),
        ("sari", "replace", "batch 1 digantikan untuk 1 sel fasilitas-bulan", 2),
        ("sari", "undo", "1 sel fasilitas-bulan", 2),
    ]


def etl(env, *args, stdin: str | None = None):
    """``python -m etl users ...`` in this process (tests/conftest.py run_cli)."""
    return run_cli(warehouse_env(env), "users", *args, stdin=stdin)


def test_users_cli(env):
    run = etl(env, "add", "sari", "--role", "staff", "--name", "Sari", "--generate")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Akun sari (staff) dibuat."
    password = lines[1].split(": ", 1)[1]
    assert accounts.sign_in("sari", password).role == "staff"
    assert etl(env, "add", "budi", "--role", "viewer", "--password-stdin", stdin="sandi-budi-panjang\n").returncode == 0
    assert accounts.sign_in("budi", "sandi-budi-panjang").role == "viewer"
    run = etl(env, "set-password", "budi", "--password-stdin", stdin="sandi-budi-baru-lagi\n")
    assert run.stdout.strip() == "Kata sandi budi diganti; sesi lamanya ditutup."
    assert etl(env, "disable", "budi").stdout.strip() == "Akun budi dinonaktifkan."
    with pytest.raises(SignInRefused, match="dinonaktifkan"):
        accounts.sign_in("budi", "sandi-budi-baru-lagi")
    listing = etl(env, "list").stdout.splitlines()
    assert [line.split()[:3] for line in listing[1:]] == [["budi", "viewer", "tidak"], ["sari", "staff", "ya"]]
    run = etl(env, "add", "sari", "--generate")
    assert (run.returncode, run.stderr.strip()) == (1, "galat: Akun 'sari' sudah ada.")
    run = etl(env, "add", "Nama Spasi", "--generate")
    assert run.returncode == 1 and "tidak valid" in run.stderr and "Traceback" not in run.stderr


def test_open_sessions_see_account_changes_at_once(env):
    """What every request re-reads: a demotion shows the new role, a password change or a disable ends
    the session (no user cached anywhere decides)."""
    accounts.add_user("sari", "admin", "sandi-rahasia-sari", by="cli:test")
    accounts.add_user("cadangan", "admin", "sandi-cadangan-adm", by="cli:test")
    cookie, _ = accounts.open_session(accounts.sign_in("sari", "sandi-rahasia-sari"))
    other, _ = accounts.open_session(accounts.sign_in("sari", "sandi-rahasia-sari"))  # a second browser
    assert accounts.session_user(cookie) == User("sari", "admin")
    accounts.set_role("sari", "viewer", by="cadangan")
    assert accounts.session_user(cookie) == accounts.session_user(other) == User("sari", "viewer")
    accounts.set_password("sari", "sandi-baru-sari-1", by="cadangan")
    assert accounts.session_user(cookie) is None and accounts.session_user(other) is None
    cookie, _ = accounts.open_session(accounts.sign_in("sari", "sandi-baru-sari-1"))
    assert accounts.session_user(cookie) == User("sari", "viewer")
    accounts.set_active("sari", False, by="cadangan")
    assert accounts.session_user(cookie) is None
    accounts.set_active("sari", True, by="cadangan")
    assert accounts.session_user(cookie) is None  # enabling again does not revive the old session


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_an_open_tab_is_refused_once_its_admin_is_demoted_and_disabled(env, monkeypatch):
    """The dashboard itself: an admin's tab is on the accounts page; the account is demoted and
    disabled elsewhere; the tab's next click (adding an account) is refused and nothing is added."""
    from streamlit.testing.v1 import AppTest

    from tests.test_dashboard import sign_in as sign_in_tab
    from ui import auth

    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    accounts.add_user("adm", "admin", "sandi-admin-dinas", by="cli:test")
    accounts.add_user("cadangan", "admin", "sandi-cadangan-adm", by="cli:test")
    at = sign_in_tab(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), "adm", "sandi-admin-dinas")
    at.switch_page("pages/akun.py")
    at.run()
    assert not at.error and at.text_input(key="new_username")
    at.text_input(key="new_username").input("penyusup")
    accounts.set_role("adm", "viewer", by="cadangan")
    accounts.set_active("adm", False, by="cadangan")
    next(b for b in at.button if b.label == "Tambah").click().run()  # within the 2 s the page's cache may hold
    assert not at.exception and not at.success and not at.code
    assert "penyusup" not in [u["username"] for u in accounts.list_users()]
    assert at.error[0].value.startswith("Halaman atau tindakan ini hanya untuk peran admin") or \
        at.text_input(key="login_username")
    time.sleep(auth.CHECK_SECONDS + 0.1)  # any cached answer has expired: the tab is signed out
    at.run()
    assert "user" not in at.session_state and "cookie" not in at.session_state
    assert not any(i.key == "new_username" for i in at.text_input)
    assert not any("Masuk sebagai" in c.value for c in at.sidebar.caption)


@pytest.mark.slow  # whole pages in Streamlit's AppTest: the fast tier keeps test_dashboard's walk of every page
def test_a_demoted_tab_loses_the_admin_pages(env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_dashboard import sign_in as sign_in_tab
    from ui import auth

    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    accounts.add_user("adm", "admin", "sandi-admin-dinas", by="cli:test")
    accounts.add_user("cadangan", "admin", "sandi-cadangan-adm", by="cli:test")
    at = sign_in_tab(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), "adm", "sandi-admin-dinas")
    assert any("Masuk sebagai adm (admin)" in c.value for c in at.sidebar.caption)
    accounts.set_role("adm", "staff", by="cadangan")
    time.sleep(auth.CHECK_SECONDS + 0.1)
    at.run()
    assert any("Masuk sebagai adm (staf)" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/audit.py")
    at.run()
    assert at.error[0].value.startswith("Halaman atau tindakan ini hanya untuk peran admin")


def call_route(method: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, dict]:
    """One request to the session route, as the server runs it (status, headers)."""
    import asyncio

    from starlette.applications import Starlette

    from ui import session_cookie

    app = Starlette(routes=session_cookie.routes())
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": "pantau.local:8501", **(headers or {})}.items()]
    scope = {"type": "http", "method": method, "path": session_cookie.ROUTE, "raw_path": session_cookie.ROUTE.encode(),
             "query_string": b"", "headers": raw, "scheme": "http", "server": ("pantau.local", 8501),
             "client": ("192.0.2.1", 5000), "root_path": "", "http_version": "1.1"}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def test_the_server_sets_an_httponly_cookie_for_a_one_time_code(env):
    from ui import session_cookie

    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="cli:test")
    cookie, _ = accounts.open_session(accounts.sign_in("sari", "sandi-rahasia-sari"))
    code = session_cookie.issue(cookie, 3600)
    same_origin = {"origin": "http://pantau.local:8501"}
    assert call_route("POST", code.encode(), {"origin": "https://elsewhere.example"})[0] == 403
    status, headers = call_route("POST", code.encode(), same_origin)
    assert status == 204
    assert headers["set-cookie"] == f"pantau_session={cookie}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
    assert call_route("POST", code.encode(), same_origin)[0] == 400  # once only
    code = session_cookie.issue(cookie, 3600)
    status, headers = call_route("POST", code.encode(), {**same_origin, "x-forwarded-proto": "https"})
    assert headers["set-cookie"].endswith("; HttpOnly; SameSite=Strict; Secure")
    # sign-out: the server ends the session the cookie names and clears the cookie
    status, headers = call_route("DELETE", b"", {**same_origin, "cookie": f"pantau_session={cookie}"})
    assert (status, headers["set-cookie"]) == (204, "pantau_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    assert accounts.session_user(cookie) is None
    # an expired code is refused
    code = session_cookie.issue(cookie, 3600)
    key = next(iter(k for k in session_cookie._PENDING if session_cookie._PENDING[k][0] == cookie))
    value, age, _ = session_cookie._PENDING[key]
    session_cookie._PENDING[key] = (value, age, time.monotonic() - 1)
    assert call_route("POST", code.encode(), same_origin)[0] == 400


# ------------------------------------------------- the role at the moment of every guarded action
REGISTER_REFUSED = "Akun '{who}' tidak boleh mengubah register; hanya admin."
NOTE_REFUSED = "Akun '{who}' tidak boleh mengubah catatan; hanya staf atau admin."
ACCOUNT_REFUSED = "Akun '{who}' tidak boleh mengubah akun; hanya admin."


def _guarded_actions():
    """(name, role it needs, the action done by ``who``, the sentence that refuses ``who``)."""
    import datetime as dt

    from warehouse import flags, notes, notifications, register, targets

    return [
        ("register.add_alias", "admin", lambda who: register.add_alias("rutan-rantau", "Perpustakaan Cahaya Ilmu",
                                                                        "nama perpustakaan", by=who), REGISTER_REFUSED),
        ("register.set_active", "admin", lambda who: register.set_active("rutan-rantau", dt.date(2024, 1, 1), None,
                                                                          by=who), REGISTER_REFUSED),
        ("register.set_officer", "admin", lambda who: register.set_officer("rutan-rantau", "Rina", "rina@rantau.test",
                                                                            by=who), REGISTER_REFUSED),
        ("targets.save", "admin", lambda who: targets.save(2026, [("loans", "", 1000)], label="PK 2026", by=who,
                                                           source="halaman"),
         "Hanya admin yang boleh mengubah target kinerja."),
        ("notes.add", "staff", lambda who: notes.add("rutan-rantau", dt.date(2025, 3, 1), "all", "listrik padam",
                                                     by=who), NOTE_REFUSED),
        ("notes.edit", "staff", lambda who: notes.edit(1, text="perpustakaan tutup", by=who), NOTE_REFUSED),
        ("notes.remove", "staff", lambda who: notes.remove(1, by=who), NOTE_REFUSED),
        ("notes.undo", "staff", lambda who: notes.undo(1, by=who), NOTE_REFUSED),
        ("flags.confirm", "staff", lambda who: flags.confirm(1, who, "benar, pameran buku"),
         "Hanya pengunggah batch #2 atau admin yang dapat mengonfirmasi nilai ini."),
        ("notifications.subscribe", "viewer", lambda who: notifications.subscribe(who, ["monthly"], "id"),
         "Akun '{who}' tidak ada atau tidak aktif."),
        ("accounts.add_user", "admin", lambda who: accounts.add_user("baru", "staff", "sandi-rahasia-baru", by=who),
         ACCOUNT_REFUSED),
        ("accounts.set_role", "admin", lambda who: accounts.set_role("kepala", "staff", by=who), ACCOUNT_REFUSED),
        ("accounts.set_password", "admin", lambda who: accounts.set_password("kepala", "sandi-baru-kepala", by=who),
         ACCOUNT_REFUSED),
        ("accounts.disable", "admin", lambda who: accounts.set_active("kepala", False, by=who), ACCOUNT_REFUSED),
        ("accounts.enable", "admin", lambda who: accounts.set_active("pensiun", True, by=who), ACCOUNT_REFUSED),
    ]


def _everything() -> dict[str, list[str]]:
    """Every row of every table of the warehouse, as text, sorted."""
    with connect() as con:
        tables = con.execute("SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE NOT internal "
                             "AND database_name NOT IN ('system', 'temp') ORDER BY ALL").fetchall()
        return {".".join(t): sorted(map(repr, con.execute('SELECT * FROM "{}"."{}"."{}"'.format(*t)).fetchall()))
                for t in tables}


@pytest.fixture
def guarded(env, monkeypatch, request):
    """Rutan Rantau's loans of 2025 and a January 2026 typo uploaded by sari (staff) with a note (flag #1 of
    batch #2), a note by sari (#1), and the accounts: adm (admin), sari (staff), kepala (viewer), lama (an
    admin, deactivated) and pensiun (a viewer, deactivated). Built once per run (conftest.built_once)."""
    import datetime as dt

    from etl.pipeline import read_file
    from tests.conftest import built_once
    from tests.test_flags import recap, year_2025
    from warehouse import notes
    from warehouse.ingest import make_options
    from warehouse.load import load_file

    def build() -> None:
        for name, role in (("adm", "admin"), ("sari", "staff"), ("kepala", "viewer"), ("lama", "admin"),
                           ("pensiun", "viewer")):
            accounts.add_user(name, role, f"sandi-rahasia-{name}", by="cli:test")
        accounts.set_active("lama", False, by="adm")
        accounts.set_active("pensiun", False, by="adm")
        load_file(read_file(year_2025(env), make_options()), loaded_by="sari")
        typo = recap(env, "januari.xlsx", [["Rutan Rantau", "Januari 2026", "Agama", 6270]])
        load_file(read_file(typo, make_options()), loaded_by="sari", note="akan dicek")
        notes.add("rutan-rantau", dt.date(2025, 2, 1), "all", "pustakawan cuti", by="sari")

    monkeypatch.setenv("PANTAU_DEMO_ON_EMPTY", "0")
    built_once(request, "guarded", build)
    return env


REFUSED_BY = {"admin": ("sari", "kepala", "lama"), "staff": ("kepala", "lama"), "viewer": ("lama", "orang")}


@pytest.mark.parametrize("name", [a[0] for a in _guarded_actions()])
def test_every_guarded_action_reads_the_role_at_that_moment_and_refuses_changing_nothing(guarded, name):
    _, role, action, sentence = next(a for a in _guarded_actions() if a[0] == name)
    before = _everything()
    assert [len(rows) for table, rows in before.items() if table.endswith((".anomaly_flag", ".note_change"))] == [
        1, 1]  # the flag and the note the actions are about
    from warehouse.flags import FlagError

    refused = []
    for who in REFUSED_BY[role]:
        with pytest.raises(FlagError if name == "flags.confirm" else AccountError) as caught:
            action(who)
        refused.append((who, str(caught.value)))
    assert refused == [(who, sentence.format(who=who)) for who in REFUSED_BY[role]]
    assert _everything() == before
    accounts.set_active("lama", True, by="adm")  # enabled again: the same account may act at once
    action("lama" if name != "notifications.subscribe" else "kepala")
    assert _everything() != before


def test_an_account_change_by_a_non_admin_leaves_the_accounts_as_they_were(guarded):
    """The accounts page's own case, row by row: sari (staff) and lama (an admin, deactivated) may not
    promote kepala; adm may, and the audit log names adm. A refusal writes no audit entry (as no other
    refused action does)."""
    def rows():
        with connect() as con:
            return con.execute("SELECT username, role, active FROM app_user ORDER BY username").fetchall()

    def log():
        return [(e["username"], e["action"], e["detail"]) for e in accounts.audit_entries(3)]

    before, logged = rows(), log()
    assert before == [("adm", "admin", True), ("kepala", "viewer", True), ("lama", "admin", False),
                      ("pensiun", "viewer", False), ("sari", "staff", True)]
    for who in ("sari", "lama"):
        with pytest.raises(AccountError, match=f"^Akun '{who}' tidak boleh mengubah akun; hanya admin.$"):
            accounts.set_role("kepala", "admin", by=who)
    assert (rows(), log()) == (before, logged)
    accounts.set_role("kepala", "admin", by="adm")
    assert rows() == [("adm", "admin", True), ("kepala", "admin", True), ("lama", "admin", False),
                      ("pensiun", "viewer", False), ("sari", "staff", True)]
    assert log()[0] == ("adm", "account_role", "kepala: viewer -> admin")
