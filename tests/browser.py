"""Run the real dashboard and drive it with Playwright in Debian's Chromium.

Tests using these helpers skip (with the reason) when Chromium or Playwright
is missing; CI installs Chromium, so there they run. Screenshots go to
``tests/screenshots/`` (ignored by git). The benchmarks' memory and browser
workloads drive the dashboard with these same helpers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = os.environ.get("PANTAU_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def browser_missing() -> str | None:
    """Why the real dashboard cannot be driven here, or None."""
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium); .ci/run installs it"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r tests/requirements.txt)"
    return None


def require_browser() -> None:
    import pytest

    reason = browser_missing()
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(env: dict[str, str], log: Path | None = None, startup: float = 120):
    """Start the dashboard as the README does (``python -m etl serve``) on 127.0.0.1 with
    ``env``; yield its base URL and process (the benchmarks read its memory)."""
    port = free_port()
    out = open(log or os.devnull, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "serve", "--port", str(port), "--address", "127.0.0.1", "--headless"],
        cwd=ROOT, env={**os.environ, **env, "PYTHONUNBUFFERED": "1"}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the dashboard exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the dashboard did not start")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()


@contextmanager
def dashboard(env: dict[str, str]):
    """The dashboard for a test (its log in ``PANTAU_TEST_LOG`` when set); yield its base URL."""
    log = env.get("PANTAU_TEST_LOG")
    with serve(env, Path(log) if log else None) as (base, _):
        yield base


@contextmanager
def browser(width: int = 1440, height: int = 1000):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            chromium.close()


def settle(page, timeout: float = 120, quiet: float = 1.0) -> None:
    """Wait until the app has rendered, stopped running and drawn every lazily loaded element (Streamlit shows a
    skeleton while a metric's or a chart's code loads) for ``quiet`` seconds."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator("[data-testid='stStatusWidget']").count() > 0 or \
            page.locator("[data-testid='stSpinner']").count() > 0 or \
            page.locator("[data-testid='stMain'] [data-testid='stSkeleton']").count() > 0
        has_content = page.locator("[data-testid='stMain'] h1").count() > 0 or \
            page.locator("[data-testid='stMain'] [data-testid='stAlert']").count() > 0
        if not running and has_content:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > quiet:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    raise AssertionError("the page did not finish rendering")


def sign_in(page, base: str, username: str, password: str) -> None:
    """Sign in through the form, as a person would."""
    from ui.session_cookie import COOKIE

    page.goto(base + "/")
    page.get_by_label("Nama pengguna").wait_for(timeout=120000)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    settle(page)
    # the server sets the session cookie when the page posts its one-time code after the run: a new
    # page opened before it lands would start signed out
    deadline = time.monotonic() + 30
    while not any(c["name"] == COOKIE and c["value"] for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("signed in, but the browser never received the session cookie")
        time.sleep(0.1)


def add_account(env: dict[str, str], username: str, role: str, password: str) -> None:
    """Create an account in the warehouse ``env`` names (the server reads the same file)."""
    from warehouse import accounts
    from warehouse.db import using

    with using(env):
        try:
            accounts.add_user(username, role, password, by="cli:test")
        except accounts.AccountError:
            pass


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.locator("[data-testid='stException']").all()]


def kpi(page, label: str) -> str:
    """The value a KPI card shows."""
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text()


def screenshot(page, name: str) -> Path:
    """A full screenshot of the page (Streamlit scrolls its main area, so grow the viewport first)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0, "
                           "document.body.scrollHeight)")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height) + 80, 900), 6000)})
    time.sleep(0.8)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
