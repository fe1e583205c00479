"""The session cookie, set and cleared by the server (HttpOnly, SameSite=Strict), never by JavaScript.

A sign-in happens over Streamlit's websocket, which cannot set a cookie. So the
script, once the password is right, asks :func:`issue` for a one-time code for
the new session's cookie and has the page POST it to ``/_pantau/session``; the
route swaps the code for a ``Set-Cookie`` with ``HttpOnly; SameSite=Strict``
(and ``Secure`` on https), so page scripts never see the cookie. Codes live in
this process's memory (the route and the scripts run in the same server
process), are stored by their hash, work once and expire after
:data:`CODE_SECONDS`. ``DELETE /_pantau/session`` (sign-out) revokes the
session the cookie names and clears the cookie. Both routes refuse requests
from another origin.

:func:`routes` is what ``python -m etl serve`` hands ``st.App``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time

COOKIE = "pantau_session"
ROUTE = "/_pantau/session"
CODE_SECONDS = 60.0

_PENDING: dict[str, tuple[str, int, float]] = {}  # sha256(code) -> (cookie value, max age, expires (monotonic))
_LOCK = threading.Lock()


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue(cookie: str, max_age: int) -> str:
    """A one-time code the page exchanges for the cookie ``cookie`` (kept ``max_age`` seconds)."""
    code = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _LOCK:
        for key in [k for k, (_, _, expires) in _PENDING.items() if expires <= now]:
            del _PENDING[key]
        _PENDING[_hash(code)] = (cookie, max_age, now + CODE_SECONDS)
    return code


def redeem(code: str) -> tuple[str, int] | None:
    """The cookie and max age a code stands for, once; ``None`` for an unknown, used or expired code."""
    with _LOCK:
        entry = _PENDING.pop(_hash(code or ""), None)
    if entry is None or entry[2] <= time.monotonic():
        return None
    return entry[0], entry[1]


def set_script(code: str) -> str:
    """The page script that exchanges ``code`` for the HttpOnly cookie."""
    return ("<script>fetch(" + json.dumps(ROUTE) + ", {method: 'POST', credentials: 'same-origin', "
            "headers: {'Content-Type': 'text/plain'}, body: " + json.dumps(code) + "});</script>")


def clear_script() -> str:
    """The page script that has the server clear the cookie (sign-out)."""
    return "<script>fetch(" + json.dumps(ROUTE) + ", {method: 'DELETE', credentials: 'same-origin'});</script>"


def cookie_header(value: str, max_age: int, secure: bool) -> str:
    return (f"{COOKIE}={value}; Path=/; Max-Age={max(0, int(max_age))}; HttpOnly; SameSite=Strict"
            + ("; Secure" if secure else ""))


def _same_origin(request) -> bool:
    """The request comes from a page of this server (browsers send Origin with every POST/DELETE fetch)."""
    origin = request.headers.get("origin")
    host = request.headers.get("host")
    if not origin or not host:
        return False
    return origin.split("://", 1)[-1].rstrip("/") == host


def _secure(request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def _session(request):
    from starlette.responses import Response

    if not _same_origin(request):
        return Response("forbidden", status_code=403, media_type="text/plain")
    if request.method == "POST":
        body = (await request.body())[:200].decode("ascii", "replace").strip()
        found = redeem(body)
        if found is None:
            return Response("unknown code", status_code=400, media_type="text/plain")
        value, max_age = found
        response = Response(status_code=204)
        response.headers["set-cookie"] = cookie_header(value, max_age, _secure(request))
        response.headers["cache-control"] = "no-store"
        return response
    # DELETE: sign-out; the session the cookie names ends here too (the script already closed it)
    cookie = request.cookies.get(COOKIE)
    if cookie:
        from starlette.concurrency import run_in_threadpool

        from warehouse import accounts

        await run_in_threadpool(accounts.revoke_session, cookie)
    response = Response(status_code=204)
    response.headers["set-cookie"] = cookie_header("", 0, _secure(request))
    response.headers["cache-control"] = "no-store"
    return response


def routes() -> list:
    from starlette.routing import Route

    return [Route(ROUTE, _session, methods=["POST", "DELETE"])]
