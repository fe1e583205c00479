"""Sign-in in a real browser: the session cookie is the server's (HttpOnly, SameSite=Strict, out of
page scripts' reach), and an admin revoked from the command line loses an open tab at its next click."""

from __future__ import annotations

import pytest

from tests.browser import add_account, browser, dashboard, exceptions, require_browser, settle, sign_in
from tests.conftest import QUIET, warehouse_env
from ui.session_cookie import COOKIE


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("auth")
    env = warehouse_env(folder)
    add_account(env, "adm", "admin", "sandi-admin-dinas")
    add_account(env, "cadangan", "admin", "sandi-cadangan-adm")
    with dashboard({**env, **QUIET, "PANTAU_TEST_LOG": str(folder / "streamlit.log")}) as base:
        yield base, env


def test_the_session_cookie_is_httponly_and_strict(served):
    base, _ = served
    with browser() as page:
        sign_in(page, base, "cadangan", "sandi-cadangan-adm")
        cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
        assert COOKIE not in page.evaluate("document.cookie")  # page scripts cannot read it
        page.reload()  # and it still signs the page in
        settle(page)
        assert page.get_by_text("Masuk sebagai cadangan").count() == 1


def test_a_revoked_admin_loses_the_open_tab_at_the_next_click(served):
    from warehouse import accounts
    from warehouse.db import using

    base, env = served
    with browser() as page:
        sign_in(page, base, "adm", "sandi-admin-dinas")
        page.goto(f"{base}/akun")
        settle(page)
        page.get_by_role("textbox", name="Nama pengguna").fill("penyusup")
        # meanwhile, from the command line: demoted to viewer and disabled
        with using(env):
            accounts.set_role("adm", "viewer", by="cadangan")
            accounts.set_active("adm", False, by="cadangan")
        page.get_by_role("button", name="Tambah").click()
        settle(page)
        assert page.get_by_text("Kata sandi untuk penyusup").count() == 0
        refused = page.get_by_text("hanya untuk peran admin").count() + page.get_by_label("Kata sandi").count()
        assert refused >= 1
        assert exceptions(page) == []
        page.reload()  # the session is over: a refresh shows the sign-in
        page.get_by_label("Nama pengguna").wait_for(timeout=30000)
    with using(env):
        assert "penyusup" not in [u["username"] for u in accounts.list_users()]
        assert not [e for e in accounts.audit_entries() if e["action"] == "account_add" and "penyusup" in e["detail"]]
