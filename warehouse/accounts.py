"""Accounts, roles, sign-in sessions and the audit log.

Roles, each including the one before: **viewer** (every dashboard page and
export), **staff** (also upload, upload history, undo of their own batches),
**admin** (also accounts, audit log, register and agreements, undo of any
batch). Passwords are hashed with argon2; there is no default password: the
first start creates an admin with a random one, printed once.

A sign-in creates a session: a random token goes to the browser in a signed
cookie, only its hash is stored here, with an expiry. Failed sign-ins count up
and lock the account for a while.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from warehouse import settings
from warehouse.db import connect

ROLES = ("viewer", "staff", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
_HASHER = PasswordHasher()
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class AccountError(ValueError):
    """A refused account action; the message is for the person who asked."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None = None
    email: str | None = None

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    @property
    def label(self) -> str:
        return self.display_name or self.username


def can_change_batch(user: User, loaded_by: str) -> bool:
    """Undo or restore: staff their own batches, admins any."""
    return user.can("admin") or (user.can("staff") and user.username == loaded_by)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def audit(con: duckdb.DuckDBPyConnection, username: str | None, action: str, detail: str = "",
          batch_id: int | None = None) -> None:
    con.execute("INSERT INTO audit_log (logged_at, username, action, detail, batch_id) VALUES (?, ?, ?, ?, ?)",
                [_now(), username, action, detail, batch_id])


def record(username: str | None, action: str, detail: str = "", batch_id: int | None = None,
           path: Path | None = None) -> None:
    """Write one audit entry in its own transaction."""
    with connect(path, write=True) as con:
        audit(con, username, action, detail, batch_id)


def generate_password() -> str:
    """A password people can type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_password_rules(password: str) -> None:
    if len(password) < 10:
        raise AccountError("Kata sandi minimal 10 karakter.")


# ------------------------------------------------------------------ accounts
def add_user(username: str, role: str, password: str | None, *, by: str, display_name: str | None = None,
             email: str | None = None, path: Path | None = None) -> None:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(f"Nama pengguna '{username}' tidak valid: pakai 2-32 huruf kecil, angka, titik, "
                           "garis bawah atau tanda hubung.")
    if role not in ROLES:
        raise AccountError(f"Peran '{role}' tidak dikenal; pilih viewer, staff atau admin.")
    if password is None and not email:
        raise AccountError("Akun butuh kata sandi, atau alamat e-mail untuk masuk lewat SSO.")
    if password is not None:
        check_password_rules(password)
    with connect(path, write=True) as con:
        if con.execute("SELECT 1 FROM app_user WHERE username = ?", [username]).fetchone():
            raise AccountError(f"Akun '{username}' sudah ada.")
        now = _now()
        con.execute("INSERT INTO app_user VALUES (?, ?, ?, ?, ?, true, 0, NULL, ?, ?, NULL)",
                    [username, display_name, (email or "").strip().lower() or None, role,
                     _HASHER.hash(password) if password else None, now, now])
        audit(con, by, "account_add", f"{username} ({role})")


def list_users(path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        cur = con.execute("SELECT username, display_name, email, role, active, password_hash IS NOT NULL AS "
                          "has_password, locked_until, last_login, created_at FROM app_user ORDER BY username")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def count_users(path: Path | None = None) -> int:
    with connect(path) as con:
        return con.execute("SELECT count(*) FROM app_user").fetchone()[0]


def _require(con, username: str) -> tuple:
    row = con.execute("SELECT username, role, active FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None:
        raise AccountError(f"Akun '{username}' tidak ada.")
    return row


def set_password(username: str, password: str, *, by: str, path: Path | None = None) -> None:
    check_password_rules(password)
    with connect(path, write=True) as con:
        _require(con, username)
        con.execute("UPDATE app_user SET password_hash = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? "
                    "WHERE username = ?", [_HASHER.hash(password), _now(), username])
        con.execute("UPDATE app_session SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                    [_now(), username])
        audit(con, by, "account_password", username)


def set_role(username: str, role: str, *, by: str, path: Path | None = None) -> None:
    if role not in ROLES:
        raise AccountError(f"Peran '{role}' tidak dikenal; pilih viewer, staff atau admin.")
    with connect(path, write=True) as con:
        _, old, _ = _require(con, username)
        if old == "admin" and role != "admin" and _active_admins(con) <= 1:
            raise AccountError("Ini admin aktif terakhir; tambahkan admin lain dulu.")
        con.execute("UPDATE app_user SET role = ?, updated_at = ? WHERE username = ?", [role, _now(), username])
        audit(con, by, "account_role", f"{username}: {old} -> {role}")


def set_active(username: str, active: bool, *, by: str, path: Path | None = None) -> None:
    with connect(path, write=True) as con:
        _, role, _ = _require(con, username)
        if not active and role == "admin" and _active_admins(con) <= 1:
            raise AccountError("Ini admin aktif terakhir; tambahkan admin lain dulu.")
        con.execute("UPDATE app_user SET active = ?, updated_at = ? WHERE username = ?", [active, _now(), username])
        if not active:
            con.execute("UPDATE app_session SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                        [_now(), username])
        audit(con, by, "account_enable" if active else "account_disable", username)


def _active_admins(con) -> int:
    return con.execute("SELECT count(*) FROM app_user WHERE role = 'admin' AND active").fetchone()[0]


def ensure_first_admin(path: Path | None = None) -> str | None:
    """With no account at all, create ``admin`` with a random password and
    return the password (to be printed once); otherwise ``None``."""
    with connect(path, write=True) as con:
        if con.execute("SELECT count(*) FROM app_user").fetchone()[0]:
            return None
        password = generate_password()
        now = _now()
        con.execute("INSERT INTO app_user VALUES ('admin', 'Administrator', NULL, 'admin', ?, true, 0, NULL, ?, ?, "
                    "NULL)", [_HASHER.hash(password), now, now])
        audit(con, "system", "account_add", "admin (admin), first start")
        return password


# ------------------------------------------------------------------ sign-in
class SignInRefused(AccountError):
    def __init__(self, message: str, until: dt.datetime | None = None):
        super().__init__(message)
        self.until = until


def sign_in(username: str, password: str, path: Path | None = None) -> User:
    """Check a password; count failures and lock the account after too many."""
    username = (username or "").strip().lower()
    max_attempts = settings.get("PANTAU_LOGIN_MAX_ATTEMPTS")
    minutes = settings.get("PANTAU_LOCKOUT_MINUTES")
    with connect(path, write=True) as con:
        row = con.execute("SELECT username, role, display_name, email, password_hash, active, failed_attempts, "
                          "locked_until FROM app_user WHERE username = ?", [username]).fetchone()
        now = _now()
        if row is None:
            audit(con, username or None, "login_failed", "unknown account")
            raise SignInRefused("Nama pengguna atau kata sandi salah.")
        _, role, display_name, email, stored, active, failed, locked_until = row
        if locked_until and locked_until > now:
            raise SignInRefused(locked_message(locked_until, now), locked_until)
        if not active:
            audit(con, username, "login_failed", "account disabled")
            raise SignInRefused("Akun ini dinonaktifkan; hubungi admin.")
        ok = False
        if stored:
            try:
                ok = _HASHER.verify(stored, password or "")
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        if not ok:
            failed += 1
            lock = now + dt.timedelta(minutes=minutes) if failed >= max_attempts else None
            con.execute("UPDATE app_user SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                        [0 if lock else failed, lock, username])
            audit(con, username, "login_failed", "locked" if lock else f"attempt {failed}")
            if lock:
                raise SignInRefused(locked_message(lock, now), lock)
            raise SignInRefused("Nama pengguna atau kata sandi salah.")
        if _HASHER.check_needs_rehash(stored):
            con.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [_HASHER.hash(password), username])
        con.execute("UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login = ? WHERE username = ?",
                    [now, username])
        audit(con, username, "login", "password")
        return User(username, role, display_name, email)


def locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + (1 if (until - now).seconds % 60 else 0))
    return (f"Terlalu banyak percobaan gagal. Akun dikunci sampai pukul {until:%H.%M} "
            f"(sekitar {minutes} menit lagi); coba lagi setelah itu.")


def user_by_email(email: str, path: Path | None = None) -> User | None:
    """The active account an SSO e-mail address maps to."""
    with connect(path) as con:
        row = con.execute("SELECT username, role, display_name, email FROM app_user WHERE lower(email) = lower(?) "
                          "AND active", [email or ""]).fetchone()
    return User(*row) if row else None


# ----------------------------------------------------------------- sessions
def _sign(token: str) -> str:
    from etl.privacy import load_or_create_key

    key = load_or_create_key(settings.get("PANTAU_SECRET_FILE"))
    return hmac.new(key, f"session:{token}".encode(), hashlib.sha256).hexdigest()[:32]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, path: Path | None = None) -> tuple[str, dt.datetime]:
    """A new session; returns the cookie value (token.signature) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires = _now() + dt.timedelta(hours=float(settings.get("PANTAU_SESSION_HOURS")))
    with connect(path, write=True) as con:
        con.execute("INSERT INTO app_session VALUES (?, ?, ?, ?, NULL)", [_token_hash(token), user.username, _now(),
                                                                         expires])
    return f"{token}.{_sign(token)}", expires


def session_user(cookie: str | None, path: Path | None = None) -> User | None:
    """The user a cookie belongs to, if its signature, expiry and account are all valid."""
    if not cookie or "." not in cookie:
        return None
    token, signature = cookie.rsplit(".", 1)
    if not hmac.compare_digest(signature, _sign(token)):
        return None
    with connect(path) as con:
        row = con.execute(
            """SELECT u.username, u.role, u.display_name, u.email FROM app_session s
               JOIN app_user u ON u.username = s.username
               WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.active""",
            [_token_hash(token), _now()]).fetchone()
    return User(*row) if row else None


def close_session(cookie: str | None, username: str | None, path: Path | None = None) -> None:
    with connect(path, write=True) as con:
        if cookie and "." in cookie:
            con.execute("UPDATE app_session SET revoked_at = ? WHERE token_hash = ?",
                        [_now(), _token_hash(cookie.rsplit(".", 1)[0])])
        audit(con, username, "logout")


def audit_entries(limit: int = 2000, path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        cur = con.execute("SELECT audit_id, logged_at, username, action, detail, batch_id FROM audit_log "
                          "ORDER BY audit_id DESC LIMIT ?", [limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
