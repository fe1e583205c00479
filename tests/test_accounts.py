"""Accounts, passwords, lock-out, sessions, roles and the audit log."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from tests.conftest import ROOT, warehouse_env
from warehouse import accounts
from warehouse.accounts import AccountError, SignInRefused, User
from warehouse.db import connect


def test_passwords_are_hashed_with_argon2(env):
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="admin")
    with connect() as con:
        stored = con.execute("SELECT password_hash FROM app_user WHERE username = 'sari'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "sandi-rahasia-sari" not in stored
    assert accounts.sign_in("sari", "sandi-rahasia-sari") == User("sari", "staff", None, None)
    with pytest.raises(SignInRefused, match="^Nama pengguna atau kata sandi salah.$"):
        accounts.sign_in("sari", "salah-sandinya")
    with pytest.raises(AccountError, match="^Kata sandi minimal 10 karakter.$"):
        accounts.add_user("budi", "staff", "pendek", by="admin")
    with pytest.raises(AccountError, match="^Akun 'sari' sudah ada.$"):
        accounts.add_user("Sari", "viewer", "sandi-lain-sekali", by="admin")


def test_lock_out_after_repeated_failures(env, monkeypatch):
    monkeypatch.setenv("PANTAU_LOGIN_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("PANTAU_LOCKOUT_MINUTES", "15")
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="admin")
    for _ in range(2):
        with pytest.raises(SignInRefused, match="salah"):
            accounts.sign_in("sari", "tebakan")
    with pytest.raises(SignInRefused) as locked:
        accounts.sign_in("sari", "tebakan")
    until = locked.value.until
    assert until is not None and 14 <= (until - dt.datetime.now()).total_seconds() / 60 <= 15
    assert str(locked.value) == (f"Terlalu banyak percobaan gagal. Akun dikunci sampai pukul {until:%H.%M} "
                                 "(sekitar 15 menit lagi); coba lagi setelah itu.")
    # even the right password waits until the lock ends
    with pytest.raises(SignInRefused, match="Terlalu banyak percobaan gagal"):
        accounts.sign_in("sari", "sandi-rahasia-sari")
    with connect(write=True) as con:
        con.execute("UPDATE app_user SET locked_until = now()::TIMESTAMP - INTERVAL 1 MINUTE")
    assert accounts.sign_in("sari", "sandi-rahasia-sari").username == "sari"


def test_sessions_survive_a_refresh_until_they_expire_or_close(env, monkeypatch):
    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="admin")
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
    accounts.set_active("sari", False, by="admin")
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
    accounts.add_user("kepala", "viewer", None, by="admin", email="Kepala@Dispersip.Kalselprov.go.id")
    assert accounts.user_by_email("kepala@dispersip.kalselprov.go.id").username == "kepala"
    assert accounts.user_by_email("orang@lain.id") is None
    with pytest.raises(SignInRefused):  # an SSO-only account has no password to guess
        accounts.sign_in("kepala", "")


def test_audit_records_who_did_what(env, opts):
    from etl.pipeline import read_file
    from tests.files import write_xlsx
    from warehouse.load import load_file, undo_batch

    accounts.add_user("sari", "staff", "sandi-rahasia-sari", by="admin")
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
        ("admin", "account_add", "sari (staff)", None),
        ("sari", "login", "password", None),
        ("sari", "login_failed", "attempt 1", None),
        ("sari", "upload", "a.xlsx: loans, 1 baris dimuat, 0 ditolak", 1),
        ("sari", "upload", "b.xlsx: loans, 1 baris dimuat, 0 ditolak", 2),
        ("sari", "replace", "batch 1 digantikan untuk 1 sel fasilitas-bulan", 2),
        ("sari", "undo", "1 sel fasilitas-bulan", 2),
    ]


def etl(env, *args, stdin: str | None = None):
    import os

    return subprocess.run([sys.executable, "-m", "etl", "users", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, env={**os.environ, **warehouse_env(env)})


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
