"""Cooperation agreements (PKS). The figures defined here: each facility's
status on a day (:func:`status`, the Definisi Indikator's "Status PKS"), the
register in force (:func:`register`, which the timeline draws) and activity
recorded without an agreement in force (:func:`activity_without_agreement`).
Also where the agreements' documents are kept.

Agreements arrive like every other dataset, as batches (from a spreadsheet
through the ETL, or typed in by an admin, which makes a small batch of its
own), so they can be replaced, undone and restored the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd

from warehouse import settings
from warehouse.db import connect
from warehouse.load import store_by_hash

SCOPES = ("bahan_bacaan", "pusling", "peminjaman", "pelatihan_wbp", "pelatihan_pengelola")

STATUS = """
WITH a AS (SELECT * FROM agreement_in_force),
covering AS (  -- the agreement in force today; of overlapping renewals, the one ending last
    SELECT facility_code, arg_max(agreement_key, valid_until) AS agreement_key, max(valid_until) AS valid_until
    FROM a WHERE valid_from <= ?::DATE AND valid_until >= ?::DATE GROUP BY facility_code),
latest AS (
    SELECT facility_code, max(valid_until) AS last_until, count(*) AS agreements FROM a GROUP BY facility_code)
SELECT f.code, f.short_name, f.type,
       CASE WHEN c.valid_until IS NOT NULL AND date_diff('day', ?::DATE, c.valid_until) <= ? THEN 'expiring'
            WHEN c.valid_until IS NOT NULL THEN 'active'
            WHEN l.last_until IS NOT NULL AND l.last_until < ?::DATE THEN 'expired'
            ELSE 'none' END AS status,
       c.valid_until, date_diff('day', ?::DATE, c.valid_until) AS days_left, l.last_until,
       coalesce(l.agreements, 0) AS agreements,
       (SELECT number_dispersip FROM a WHERE a.facility_code = f.code AND a.agreement_key = c.agreement_key) AS number
FROM facility f
LEFT JOIN covering c ON c.facility_code = f.code
LEFT JOIN latest l ON l.facility_code = f.code
WHERE f.holds_inmates AND f.code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY CASE status WHEN 'expired' THEN 0 WHEN 'expiring' THEN 1 WHEN 'none' THEN 2 ELSE 3 END, days_left, f.short_name
"""


def status(today: dt.date, facilities: tuple[str, ...], path: Path | None = None) -> pd.DataFrame:
    """Per facility: active, expiring (ends within ``PANTAU_AGREEMENT_WARN_DAYS``,
    today included), expired (the last one ended before today) or none."""
    warn = settings.get("PANTAU_AGREEMENT_WARN_DAYS")
    with connect(path) as con:
        return con.execute(STATUS, [today, today, today, warn, today, today, list(facilities)]).df()


REGISTER = """
SELECT a.facility_code AS code, f.short_name, a.agreement_key, a.number_dispersip, a.number_facility, a.signed_on,
       a.valid_from, a.valid_until, a.scope, a.document_sha256, a.document_name, a.notes, a.batch_id
FROM agreement_in_force a JOIN facility f ON f.code = a.facility_code
WHERE a.facility_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY f.short_name, a.valid_from
"""


def register(facilities: tuple[str, ...], path: Path | None = None) -> pd.DataFrame:
    """Every agreement in force in the register (also the data of the timeline)."""
    with connect(path) as con:
        return con.execute(REGISTER, [list(facilities)]).df()


WITHOUT = """
WITH activity AS (
    SELECT facility_code, month FROM mart_activity_month
    WHERE month BETWEEN ? AND ? AND facility_code IN (SELECT unnest(?::VARCHAR[])))
SELECT f.code, f.short_name, count(*) AS months, min(x.month) AS first_month, max(x.month) AS last_month
FROM activity x JOIN facility f ON f.code = x.facility_code
WHERE NOT EXISTS (SELECT 1 FROM agreement_in_force a WHERE a.facility_code = x.facility_code
                  AND a.valid_from <= last_day(x.month) AND a.valid_until >= x.month)
GROUP BY ALL ORDER BY months DESC, f.short_name
"""


def activity_without_agreement(start: dt.date, end: dt.date, facilities: tuple[str, ...],
                               path: Path | None = None) -> pd.DataFrame:
    """Facilities with reports in months no agreement covered."""
    with connect(path) as con:
        return con.execute(WITHOUT, [start, end, list(facilities)]).df()


def agreement_key(valid_from: dt.date, number: str | None) -> str:
    return f"{valid_from.isoformat()}|{(number or '').strip()}"


def documents_dir() -> Path:
    return settings.get("PANTAU_DOCUMENTS_DIR")


def keep_document(name: str, data: bytes) -> str:
    """Keep a signed agreement document by its sha256 (no names of inmates in it: kept for good)."""
    sha = hashlib.sha256(data).hexdigest()
    store_by_hash(documents_dir(), sha, name, data, ".pdf")
    return sha


def document_path(sha256: str) -> Path | None:
    folder = documents_dir()
    found = list(folder.glob(f"{sha256}.*")) if folder.exists() else []
    return found[0] if found else None
