"""Accounts, roles, sign-in sessions and the audit log.

Roles, each including the one before: **viewer** (every dashboard page and
export), **staff** (also upload, upload history, undo of their own batches),
**admin** (also accounts, audit log, register and agreements, undo of any
batch). Passwords are hashed with argon2; there is no default password: the
first start creates an admin with a random one, printed once.

A sign-in creates a session: a random token goes to the browser in a signed
cookie, only its hash is stored here, with an expiry. ``session_user`` reads the
account's current state (active, role, the session not revoked) each time, so a
disable, demotion or password change reaches sessions already open. Failed
sign-ins are throttled per typed user name and client address (see
``sign_in``), never by locking an account.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from warehouse import settings
from warehouse.db import connect, insert_rows, next_id, transaction

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


def require_role(con: duckdb.DuckDBPyConnection | None, username: str, role: str,
                 refusal: Exception | None = None, *, path: Path | None = None) -> str:
    """The permission check at the moment of an action, the one every guarded warehouse action calls
    inside its own transaction (``con``; None: read it on a connection of its own): ``username``'s
    account must exist, be active and hold ``role`` or a higher one, as the warehouse says now (a
    disable or demotion reaches a page already open). Returns the account's role; otherwise raises
    ``refusal`` (the action's own sentence), by default an :class:`AccountError` naming the account.
    The command line (``cli:<user of the machine>``, never an account name) holds every role."""
    if username.startswith("cli:"):
        return "admin"
    if con is None:
        with connect(path) as own:
            return require_role(own, username, role, refusal)
    row = con.execute("SELECT role, active FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None or not row[1] or RANK.get(row[0], -1) < RANK[role]:
        raise refusal if refusal is not None else AccountError(
            f"Akun '{username}' tidak boleh melakukan ini; hanya {'staf atau admin' if role == 'staff' else role}.")
    return row[0]


def can_change_batch(user: User, loaded_by: str) -> bool:
    """Undo or restore: staff their own batches, admins any."""
    return user.can("admin") or (user.can("staff") and user.username == loaded_by)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def audit(con: duckdb.DuckDBPyConnection, username: str | None, action: str, detail: str = "",
          batch_id: int | None = None) -> None:
    audit_id = next_id(con, "audit_log", "audit_id", "audit_id_seq")
    con.execute("INSERT INTO audit_log (audit_id, logged_at, username, action, detail, batch_id) "
                "VALUES (?, ?, ?, ?, ?, ?)", [audit_id, _now(), username, action, detail, batch_id])


def record(username: str | None, action: str, detail: str = "", batch_id: int | None = None,
           path: Path | None = None) -> None:
    """Write one audit entry in its own transaction."""
    for attempt in transaction(path):
        with attempt as con:
            audit(con, username, action, detail, batch_id)


def generate_password() -> str:
    """A password people can type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_password_rules(password: str) -> None:
    if len(password) < 10:
        raise AccountError("Kata sandi minimal 10 karakter.")


# ------------------------------------------------------------------ accounts
REFUSED = "Akun '{by}' tidak boleh mengubah akun; hanya admin."  # an admin's action, asked by another


def _require_admin(con: duckdb.DuckDBPyConnection, by: str) -> None:
    """Every change of an account (add, role, password, enable, disable) is an admin's: ``by`` is read
    from the warehouse in the change's own transaction (:func:`require_role`; the command line holds
    every role). The first admin of an empty warehouse is :func:`ensure_first_admin`'s, or the command
    line's."""
    require_role(con, by, "admin", AccountError(REFUSED.format(by=by)))


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
    for attempt in transaction(path):
        with attempt as con:
            _require_admin(con, by)
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
    for attempt in transaction(path):
        with attempt as con:
            _require_admin(con, by)
            _require(con, username)
            con.execute("UPDATE app_user SET password_hash = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? "
                        "WHERE username = ?", [_HASHER.hash(password), _now(), username])
            con.execute("UPDATE app_session SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                        [_now(), username])
            con.execute("DELETE FROM login_throttle WHERE scope IN ('name_address', 'name') AND name = ?", [username])
            audit(con, by, "account_password", username)


def set_role(username: str, role: str, *, by: str, path: Path | None = None) -> None:
    if role not in ROLES:
        raise AccountError(f"Peran '{role}' tidak dikenal; pilih viewer, staff atau admin.")
    for attempt in transaction(path):
        with attempt as con:
            _require_admin(con, by)
            _, old, _ = _require(con, username)
            if old == "admin" and role != "admin" and _active_admins(con) <= 1:
                raise AccountError("Ini admin aktif terakhir; tambahkan admin lain dulu.")
            con.execute("UPDATE app_user SET role = ?, updated_at = ? WHERE username = ?", [role, _now(), username])
            audit(con, by, "account_role", f"{username}: {old} -> {role}")


def set_active(username: str, active: bool, *, by: str, path: Path | None = None) -> None:
    for attempt in transaction(path):
        with attempt as con:
            _require_admin(con, by)
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
    for attempt in transaction(path):
        with attempt as con:
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


WRONG = "Nama pengguna atau kata sandi salah."
DISABLED = "Akun ini dinonaktifkan; hubungi admin."
ADDRESS_FACTOR = 4        # an address (an office behind one router) may fail this many times more
FIRST_WAIT_SECONDS = 60   # the first wait; each further failure doubles it, up to PANTAU_LOCKOUT_MINUTES
NAME_DELAY_CAP = 2.0      # seconds: the most a user name's failures from everywhere slow its next sign-in
FORGET_AFTER = dt.timedelta(hours=24)  # a counter with no failure for this long starts again from zero


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, verified for unknown and password-less accounts so that every
    sign-in costs one argon2 verification (the answer's timing says nothing about the account)."""
    return _HASHER.hash(secrets.token_urlsafe(24))


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy_hash(), password or "") and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _counters(name: str, address: str) -> list[tuple[str, str, str, int]]:
    """The three counters a sign-in touches: (scope, name, address, failures before waits begin)."""
    allowed = max(1, settings.get("PANTAU_LOGIN_MAX_ATTEMPTS"))
    return [("name_address", name, address, allowed), ("address", "", address, allowed * ADDRESS_FACTOR),
            ("name", name, "", allowed)]


def wait_for(failures: int, allowed: int) -> dt.timedelta:
    """The wait after ``failures`` failures on a counter allowing ``allowed``: none before, then
    FIRST_WAIT_SECONDS doubling with each further failure, never more than PANTAU_LOCKOUT_MINUTES."""
    if failures < allowed:
        return dt.timedelta(0)
    cap = max(0.0, float(settings.get("PANTAU_LOCKOUT_MINUTES")) * 60)
    return dt.timedelta(seconds=min(cap, FIRST_WAIT_SECONDS * 2.0 ** min(failures - allowed, 30)))


def name_delay(failures: int, allowed: int) -> float:
    """Seconds a sign-in for a user name waits when that name failed ``failures`` times from any
    address: a small, capped slow-down (never a refusal, so nobody can lock a real account out)."""
    if failures < allowed:
        return 0.0
    return min(NAME_DELAY_CAP, 0.25 * 2.0 ** min(failures - allowed, 30))


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _throttle_state(con, username: str, address: str) -> dict:
    return {(scope, name, addr): (count, last, until) for scope, name, addr, count, last, until in
            con.execute("SELECT scope, name, address, failures, last_failure, wait_until FROM login_throttle "
                        "WHERE (scope = 'name_address' AND name = ? AND address = ?) "
                        "OR (scope = 'address' AND address = ?) OR (scope = 'name' AND name = ?)",
                        [username, address, address, username]).fetchall()}


def _failures(state: dict, key: tuple, now: dt.datetime) -> int:
    count, last, _ = state.get(key, (0, None, None))
    return 0 if last is None or now - last > FORGET_AFTER else count


# sign-ins from one address run one at a time (a burst of parallel guesses would otherwise all read
# the counters before any failure is written); addresses share 64 locks
_ADDRESS_LOCKS = [threading.Lock() for _ in range(64)]


def sign_in(username: str, password: str, address: str | None = None, path: Path | None = None) -> User:
    """Check a password, with the same answer and about the same time whether the account exists or
    not. ``address`` is the client's address (``None``: this machine).

    Failures are counted per (typed user name, address), per address and per typed user name, for
    unknown names exactly as for real ones. Past PANTAU_LOGIN_MAX_ATTEMPTS failures (four times as many
    for an address) the name/address and the address must wait, a wait that doubles with each failure
    up to PANTAU_LOCKOUT_MINUTES; the user name alone only slows its sign-ins down by a second or two,
    so failures from elsewhere never lock the real owner out. Every call verifies one argon2 hash."""
    username = (username or "").strip().lower()[:64]
    address = (address or "local")[:64]
    lock = _ADDRESS_LOCKS[int(hashlib.sha256(address.encode()).hexdigest()[:8], 16) % len(_ADDRESS_LOCKS)]
    with lock:
        return _sign_in(username, password, address, path)


def _sign_in(username: str, password: str, address: str, path: Path | None) -> User:
    counters = _counters(username, address)
    now = _now()
    with connect(path) as con:
        row = con.execute("SELECT username, role, display_name, email, password_hash, active FROM app_user "
                          "WHERE username = ?", [username]).fetchone()
        state = _throttle_state(con, username, address)
    waits = [until for (scope, name, addr, _) in counters[:2]
             for until in [state.get((scope, name, addr), (0, None, None))[2]] if until and until > now]
    delay = name_delay(_failures(state, counters[2][:3], now), counters[2][3])
    if delay:
        _pause(delay)
    ok = _verify(row[4] if row else None, password)  # always one verification, real account or not
    with connect(path, write=True) as con:
        if waits:
            until = max(waits)
            audit(con, username or None, "login_failed", f"waiting until {until:%H:%M:%S} ({address})")
            raise SignInRefused(throttled_message(until, now), until)
        if ok:
            _, role, display_name, email, stored, active = row
            if not active:  # said only to someone who knows the password
                audit(con, username, "login_failed", "account disabled")
                raise SignInRefused(DISABLED)
            if _HASHER.check_needs_rehash(stored):
                con.execute("UPDATE app_user SET password_hash = ? WHERE username = ?",
                            [_HASHER.hash(password), username])
            con.execute("UPDATE app_user SET last_login = ? WHERE username = ?", [now, username])
            con.execute("DELETE FROM login_throttle WHERE (scope = 'name_address' AND name = ? AND address = ?) "
                        "OR (scope = 'name' AND name = ?)", [username, address, username])
            audit(con, username, "login", "password")
            return User(username, role, display_name, email)
        state = _throttle_state(con, username, address)  # again, under the write lock: no failure is lost
        until = None
        counts = {}
        rows = []
        for scope, name, addr, allowed in counters:
            count = counts[scope] = _failures(state, (scope, name, addr), now) + 1
            wait = wait_for(count, allowed) if scope != "name" else dt.timedelta(0)
            rows.append([scope, name, addr, count, now, now + wait if wait else None])
            if wait and (until is None or now + wait > until):
                until = now + wait
        # delete and insert, not an upsert: the same SQL on the DuckDB file and on DuckLake (no keys there);
        # one statement each, so a failure costs the database work a wait does, give or take
        con.execute("DELETE FROM login_throttle WHERE " + " OR ".join(["(scope = ? AND name = ? AND address = ?)"]
                                                                      * len(rows)), [v for r in rows for v in r[:3]])
        insert_rows(con, "login_throttle", ("scope", "name", "address", "failures", "last_failure", "wait_until"),
                    rows)
        detail = "unknown account" if row is None else f"attempt {counts['name_address']}"
        audit(con, username or None, "login_failed", detail + (f", waiting until {until:%H:%M:%S}" if until else ""))
        if until:
            raise SignInRefused(throttled_message(until, now), until)
        raise SignInRefused(WRONG)


def throttled_message(until: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((until - now).total_seconds()))
    minutes = max(1, -(-seconds // 60))
    return (f"Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah pukul {until:%H.%M} "
            f"(sekitar {minutes} menit lagi).")


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
    for attempt in transaction(path):
        with attempt as con:
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
    for attempt in transaction(path):
        with attempt as con:
            if cookie and "." in cookie:
                con.execute("UPDATE app_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                            [_now(), _token_hash(cookie.rsplit(".", 1)[0])])
            audit(con, username, "logout")


def revoke_session(cookie: str | None, path: Path | None = None) -> None:
    """End the session a cookie names, if it is still open (the server's sign-out route)."""
    if not cookie or "." not in cookie:
        return
    token_hash = _token_hash(cookie.rsplit(".", 1)[0])
    with connect(path) as con:  # usually closed already: no write then
        if not con.execute("SELECT 1 FROM app_session WHERE token_hash = ? AND revoked_at IS NULL",
                           [token_hash]).fetchone():
            return
    for attempt in transaction(path):
        with attempt as con:
            con.execute("UPDATE app_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                        [_now(), token_hash])


def audit_entries(limit: int = 2000, path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        cur = con.execute("SELECT audit_id, logged_at, username, action, detail, batch_id FROM audit_log "
                          "ORDER BY audit_id DESC LIMIT ?", [limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
