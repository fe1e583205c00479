"""What `python -m etl notify` needs from the warehouse and what it leaves there: the report
subscriptions of the accounts, and the log of e-mails delivered (so a re-run sends nothing twice and the
Kelengkapan Data page shows them). Nothing here sends mail (``pantau.notify`` does)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from warehouse.accounts import AccountError, audit, require_role
from warehouse.db import connect, insert_rows, transaction

KINDS = ("monthly", "quarterly")


def subscriptions_of(username: str, path: Path | None = None) -> list[str]:
    with connect(path) as con:
        return [k for k, in con.execute("SELECT kind FROM report_subscription WHERE username = ? ORDER BY kind",
                                        [username]).fetchall()]


def subscribe(username: str, kinds: list[str], lang: str, *, path: Path | None = None) -> None:
    """Set ``username``'s subscriptions to exactly ``kinds`` (an account subscribes itself; any role).
    Audited."""
    if any(k not in KINDS for k in kinds):
        raise AccountError("Jenis langganan tidak dikenal; pilih laporan bulanan atau triwulan.")
    for attempt in transaction(path):
        with attempt as con:
            require_role(con, username, "viewer", AccountError(f"Akun '{username}' tidak ada atau tidak aktif."))
            con.execute("DELETE FROM report_subscription WHERE username = ?", [username])
            now = dt.datetime.now().replace(microsecond=0)
            insert_rows(con, "report_subscription", ("username", "kind", "lang", "created_at"),
                        [[username, kind, lang, now] for kind in sorted(set(kinds))])
            audit(con, username, "subscription_set", ", ".join(sorted(set(kinds))) or "-")


SUBSCRIBERS = """
SELECT s.username, coalesce(u.display_name, u.username) AS name, u.email, s.lang
FROM report_subscription s JOIN app_user u ON u.username = s.username
WHERE s.kind = ? AND u.active AND u.email IS NOT NULL AND u.email <> ''
ORDER BY s.username
"""


def subscribers(kind: str, path: Path | None = None) -> list[dict]:
    """The active accounts with an e-mail address subscribed to ``kind``."""
    with connect(path) as con:
        cur = con.execute(SUBSCRIBERS, [kind])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def last_sent(kind: str, topic: str, period: str, recipient: str | None = None,
              path: Path | None = None) -> dt.date | None:
    """The last day an e-mail of ``kind`` about ``topic`` and ``period`` went out (to ``recipient``, or to
    anyone), or None."""
    with connect(path) as con:
        return con.execute("SELECT max(sent_on) FROM notification_sent WHERE kind = ? AND topic = ? AND period = ? "
                           "AND (? IS NULL OR recipient = ?)", [kind, topic, period, recipient, recipient]
                           ).fetchone()[0]


def record_sent(kind: str, topic: str, period: str, recipient: str, recipients: list[str], subject: str,
                day: dt.date, path: Path | None = None) -> None:
    """Log one delivered e-mail (called once the SMTP server accepted it)."""
    for attempt in transaction(path):
        with attempt as con:
            # no INSERT OR IGNORE (DuckLake has no keys): the row is written unless it is there already
            con.execute("INSERT INTO notification_sent SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS ("
                        "SELECT 1 FROM notification_sent WHERE kind = ? AND topic = ? AND period = ? "
                        "AND recipient = ? AND sent_on = ?)",
                        [kind, topic, period, recipient, day, dt.datetime.now().replace(microsecond=0),
                         ", ".join(recipients), subject, kind, topic, period, recipient, day])


SENT = """
SELECT n.sent_at, n.kind, n.period, coalesce(f.short_name, n.topic) AS topic, n.recipients, n.subject
FROM notification_sent n LEFT JOIN facility f ON f.code = n.topic
ORDER BY n.sent_at DESC, n.topic LIMIT ?
"""


def sent_log(limit: int = 200, path: Path | None = None) -> pd.DataFrame:
    """The e-mails delivered, newest first."""
    with connect(path) as con:
        return con.execute(SENT, [limit]).df()
