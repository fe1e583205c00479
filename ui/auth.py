"""Sign-in for the dashboard, and the role check every restricted page and
action makes on the server.

A local sign-in opens a session in the warehouse and hands the browser a
signed cookie, so a refresh keeps the person signed in until the session
expires or they sign out. When ``[auth]`` is configured in Streamlit's
secrets, "Sign in with SSO" uses ``st.login`` (OpenID Connect) and the
e-mail address it returns is matched to an account and its role.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.fmt import md
from ui.i18n import lang, t
from warehouse import accounts
from warehouse.accounts import User

COOKIE = "pantau_session"


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_user() -> User | None:
    if not sso_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:
        return None
    user = accounts.user_by_email(email)
    if user is None:
        st.session_state["sso_refused"] = email
        return None
    if not st.session_state.get("sso_recorded"):
        accounts.record(user.username, "login", f"sso {email}")
        st.session_state["sso_recorded"] = True
    return user


def current_user() -> User | None:
    """Who is signed in: this session's sign-in, an SSO identity, or a valid session cookie."""
    user = st.session_state.get("user")
    if user is not None:
        return user
    user = _sso_user()
    if user is None:
        cookie = st.context.cookies.get(COOKIE) if st.context.cookies else None
        user = accounts.session_user(cookie)
        if user is not None:
            st.session_state["cookie"] = cookie
    if user is not None:
        st.session_state["user"] = user
    return user


def _set_cookie_script(value: str, max_age: int) -> str:
    return ("<script>(function(){var secure = location.protocol === 'https:' ? '; Secure' : '';"
            f"document.cookie = {json.dumps(COOKIE)} + '=' + {json.dumps(value)} + '; Path=/; Max-Age={max_age}; "
            "SameSite=Strict' + secure;})();</script>")


def emit_pending_cookie() -> None:
    """Hand the browser the cookie of a sign-in (or the removal of a sign-out) decided on the last run."""
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
            user = accounts.sign_in(username, password)
        except accounts.SignInRefused as exc:
            st.error(str(exc) if lang() == "id" else _english(exc))
        else:
            cookie, expires = accounts.open_session(user)
            hours = max(1, int(round((expires - accounts._now()).total_seconds())))
            st.session_state["user"] = user
            st.session_state["cookie"] = cookie
            st.session_state["cookie_script"] = _set_cookie_script(cookie, hours)
            st.rerun()
    if sso_configured():
        st.button(t("login_sso"), on_click=st.login, icon=":material/key:")
    st.caption(t("login_help"))


def _english(exc: accounts.SignInRefused) -> str:
    if exc.until is not None:
        return f"Too many failed attempts. The account is locked until {exc.until:%H:%M}; try again after that."
    return {"Nama pengguna atau kata sandi salah.": "Wrong user name or password.",
            "Akun ini dinonaktifkan; hubungi admin.": "This account is disabled; ask an admin."}.get(str(exc), str(exc))


def logout() -> None:
    user = st.session_state.get("user")
    accounts.close_session(st.session_state.get("cookie"), user.username if user else None)
    for key in ("user", "cookie", "sso_recorded"):
        st.session_state.pop(key, None)
    st.session_state["cookie_script"] = _set_cookie_script("", 0)
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
    """Stop the page unless the signed-in user has ``role`` (checked on the server, by URL too)."""
    user = current_user()
    if user is None or not user.can(role):
        st.error(t("not_allowed", role=t(f"role_{role}")), icon=":material/block:")
        st.stop()
    return user
