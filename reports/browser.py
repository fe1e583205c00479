"""The dashboard's plotly figures as PNG images for the PDF, drawn by kaleido.

Kaleido (1.x) draws with a Chromium or Chrome browser through choreographer,
which reads the browser's path from ``BROWSER_PATH``. :func:`find_browser`
decides which one: the ``PANTAU_CHROMIUM`` setting when set (a path that does
not exist means no browser: PDF unavailable), else ``chromium`` /
``google-chrome`` on PATH, ``/usr/bin/chromium``, or a Chrome that
``kaleido_get_chrome`` downloaded. ``python -m etl serve`` exports the answer as
``BROWSER_PATH`` for the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
from pathlib import Path

from warehouse import settings

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TYPICAL = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class BrowserMissing(RuntimeError):
    """No Chromium/Chrome to draw the charts with: the PDF cannot be made."""


class ChartExportFailed(RuntimeError):
    """The browser was there but the charts could not be drawn."""


def _executable(path: str | os.PathLike | None) -> bool:
    return bool(path) and Path(path).is_file() and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The Chromium/Chrome binary kaleido should use, or None when there is none."""
    configured = (settings.get("PANTAU_CHROMIUM") or "").strip()
    if configured:
        found = shutil.which(configured) if os.sep not in configured else configured
        return found if _executable(found) else None
    for name in NAMES:
        found = shutil.which(name)
        if _executable(found):
            return found
    for path in TYPICAL:
        if _executable(path):
            return path
    try:  # a Chrome fetched with `kaleido_get_chrome` (choreographer keeps it in its own folder)
        from choreographer.cli._cli_utils import get_chrome_download_path, get_old_chrome_download_path

        for candidate in (get_chrome_download_path(mkdir=False), get_old_chrome_download_path()):
            if candidate is not None and _executable(candidate):
                return str(candidate)
    except Exception:  # noqa: BLE001 (best effort: a private helper of choreographer, not an API)
        pass
    return None


def export_browser() -> str | None:
    """Find the browser and export it as ``BROWSER_PATH`` (what choreographer reads)."""
    path = find_browser()
    if path:
        os.environ["BROWSER_PATH"] = path
    return path


def _run(coro):
    """Run a coroutine to its end, also from a thread whose event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller's thread)
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def to_png(figures: list, width: int = 900, scale: float = 2.0, timeout: float = 90) -> list[bytes]:
    """Each ``(figure, height)`` as PNG bytes, all drawn by one browser session.
    Raises :class:`BrowserMissing` or :class:`ChartExportFailed`."""
    browser = find_browser()
    if browser is None:
        raise BrowserMissing(settings.get("PANTAU_CHROMIUM") or "chromium")
    import kaleido

    # the browser driver logs what it recovers from (a garbled message on its pipe) with a traceback;
    # a failure that matters raises, and the report says so in one line
    for name in ("choreographer", "kaleido", "logistro"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    async def draw():
        # mathjax=False: no formula typesetting, so nothing is fetched from the network
        async with kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=browser) as k:
            return [await k.calc_fig(fig, opts={"format": "png", "width": width, "height": height, "scale": scale})
                    for fig, height in figures]

    try:
        return _run(draw())
    except Exception as exc:  # noqa: BLE001 (the browser's failures come in many types)
        raise ChartExportFailed(f"{type(exc).__name__}: {exc}") from exc
