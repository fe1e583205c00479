"""Sign-in for the dashboard, and the role check every restricted page and
action makes on the server.

A local sign-in opens a session in the warehouse and the server hands the
browser a signed HttpOnly cookie (ui/session_cookie.py), so a refresh keeps the
person signed in until the session expires or they sign out. When ``[auth]`` is
configured in Streamlit's secrets, "Sign in with SSO" uses ``st.login`` (OpenID
Connect) and the e-mail address it returns is matched to an account and its role.

Nothing about the account is trusted from the Streamlit session: every script
run reads it again from the warehouse (active, role, session not revoked;
cached at most :data:`CHECK_SECONDS`), so a disable, demotion or password change
reaches every open tab at its next interaction, and :func:`require`, which
every role-guarded page and action calls at the moment it acts, reads it
uncached.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from ui import session_cookie
from ui.fmt import md
from ui.i18n import lang, t
from warehouse import accounts, settings
from warehouse.accounts import User

COOKIE = session_cookie.COOKIE
CHECK_SECONDS = 2  # the longest an account change may take to reach an open tab's display


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _warehouse() -> str:
    return str(settings.get("PANTAU_DB"))


@st.cache_data(ttl=CHECK_SECONDS, show_spinner=False, max_entries=5000)
def _cached_session_user(key: str, warehouse: str, _cookie: str) -> User | None:
    """``accounts.session_user`` for a cookie, keyed on the hash of the cookie (never the cookie)."""
    return accounts.session_user(_cookie)


@st.cache_data(ttl=CHECK_SECONDS, show_spinner=False, max_entries=5000)
def _cached_user_by_email(email: str, warehouse: str) -> User | None:
    return accounts.user_by_email(email)


def _sso_user(fresh: bool) -> User | None:
    if not sso_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:
        return None
    user = accounts.user_by_email(email) if fresh else _cached_user_by_email(email or "", _warehouse())
    if user is None:
        st.session_state["sso_refused"] = email
        return None
    if not st.session_state.get("sso_recorded"):
        accounts.record(user.username, "login", f"sso {email}")
        st.session_state["sso_recorded"] = True
    return user


def _browser_cookie() -> str | None:
    cookies = st.context.cookies
    return cookies.get(COOKIE) if cookies else None


def current_user(fresh: bool = False) -> User | None:
    """Who is signed in: this session's sign-in, a valid session cookie, or an SSO identity, as the
    warehouse has the account now (read at most ``CHECK_SECONDS`` ago; ``fresh=True``: read now).
    A disabled account, a revoked session (sign-out elsewhere, password changed) or an expired one
    gives ``None``; a demoted account its new role."""
    user = None
    cookie = st.session_state.get("cookie") or _browser_cookie()
    if cookie:
        if fresh:
            user = accounts.session_user(cookie)
        else:
            user = _cached_session_user(hashlib.sha256(cookie.encode()).hexdigest(), _warehouse(), cookie)
        if user is None:
            st.session_state.pop("cookie", None)
        else:
            st.session_state["cookie"] = cookie
    if user is None:
        user = _sso_user(fresh)
    if user is None:
        st.session_state.pop("user", None)
    else:
        st.session_state["user"] = user
    return user


def emit_pending_cookie() -> None:
    """Have the server set the cookie of a sign-in (or clear it after a sign-out) decided on the last run."""
    pending = st.session_state.pop("cookie_script", None)
    if pending:
        st.html(pending, unsafe_allow_javascript=True)


def login_page() -> None:
    st.title(t("app_title"))
    st.caption(t("app_subtitle"))
    refused = st.session_state.pop("sso_refused", None)
    if refused:
        st.error(t("sso_unknown", email=md(refused)))
    with st.form("login", border=True, width=420):
        st.subheader(t("login_title"))
        username = st.text_input(t("login_username"), key="login_username", autocomplete="username")
        password = st.text_input(t("login_password"), type="password", key="login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("login_button"), type="primary", width="stretch")
    if submitted:
        try:
            user = accounts.sign_in(username, password, address=_client_address())
        except accounts.SignInRefused as exc:
            st.error(str(exc) if lang() == "id" else _english(exc))
        else:
            cookie, expires = accounts.open_session(user)
            seconds = max(1, round((expires - accounts._now()).total_seconds()))
            st.session_state["user"] = user
            st.session_state["cookie"] = cookie
            st.session_state["cookie_script"] = session_cookie.set_script(session_cookie.issue(cookie, seconds))
            st.rerun()
    if sso_configured():
        st.button(t("login_sso"), on_click=st.login, icon=":material/key:")
    st.caption(t("login_help"))


def _client_address() -> str | None:
    """The client's address for sign-in throttling. Behind a reverse proxy on this machine every
    connection comes from the loopback address (Streamlit says ``None``); then the address the proxy
    put last in ``X-Forwarded-For`` counts (only a proxy on this machine can be the peer then)."""
    address = st.context.ip_address
    if isinstance(address, str):
        return address
    forwarded = st.context.headers.get("X-Forwarded-For") if st.context.headers else None
    if isinstance(forwarded, str) and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64] or None
    return None


def _english(exc: accounts.SignInRefused) -> str:
    if exc.until is not None:
        return f"Too many failed sign-ins. Try again after {exc.until:%H:%M}."
    return {accounts.WRONG: "Wrong user name or password.",
            accounts.DISABLED: "This account is disabled; ask an admin."}.get(str(exc), str(exc))


def logout() -> None:
    user = st.session_state.get("user")
    accounts.close_session(st.session_state.get("cookie"), user.username if user else None)
    _cached_session_user.clear()  # the closed session must not live on for CHECK_SECONDS in the cache
    for key in ("user", "cookie", "sso_recorded"):
        st.session_state.pop(key, None)
    st.session_state["cookie_script"] = session_cookie.clear_script()
    if sso_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:
            pass


def sidebar_account(user: User) -> None:
    with st.sidebar:
        st.divider()
        st.caption(t("signed_in_as", name=md(user.label), role=t(f"role_{user.role}")))
        if st.button(t("logout"), icon=":material/logout:", key="logout"):
            logout()
            st.rerun()


def require(role: str) -> User:
    """Stop the page unless the signed-in user has ``role`` now: the account is read from the
    warehouse uncached, so an action refused a moment ago to a demoted or disabled account stays
    refused (checked on the server, by URL too)."""
    user = current_user(fresh=True)
    if user is None or not user.can(role):
        st.error(t("not_allowed", role=t(f"role_{role}")), icon=":material/block:")
        st.stop()
    return user
