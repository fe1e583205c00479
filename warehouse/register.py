"""The facility register inside the warehouse.

``data/facilities.csv`` and friends seed it on first use; from then on the
database is the register (admins edit it in the app), and the ETL resolves
names against what is stored here.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from etl.facilities import (Alias, Facility, OccupancySnapshot, Register, read_aliases, read_facilities,
                            read_occupancy_seed)
from warehouse import settings
from warehouse.db import insert_rows


def seed_register(con: duckdb.DuckDBPyConnection) -> bool:
    """Fill an empty register from ``data/``; returns whether it did."""
    if con.execute("SELECT count(*) FROM facility").fetchone()[0]:
        return False
    facilities = read_facilities()
    insert_rows(con, "facility", ("code", "official_name", "short_name", "type", "class", "speciality", "regency",
                                  "address", "holds_inmates", "lat", "lon", "verification", "source_url", "notes"),
                [[f.code, f.official_name, f.short_name, f.type, f.klass, f.speciality, f.regency, f.address,
                  f.holds_inmates, f.lat, f.lon, f.verification, f.source_url, f.notes] for f in facilities])
    aliases = [[a.alias, a.facility, a.note] for a in read_aliases()]
    # places and historical names live in the alias table too, so the database alone rebuilds the register
    for f in facilities:
        aliases += [[p, f.code, "place"] for p in f.places]
        aliases += [[k, f.code, "historical_class"] for k in f.historical_classes]
        aliases += [[t, f.code, "historical_type"] for t in f.historical_types]
    insert_rows(con, "facility_alias", ("alias", "facility_code", "note"), aliases)
    insert_rows(con, "occupancy", ("facility_code", "snapshot_date", "occupants", "capacity", "source"),
                [[o.facility, o.date, o.occupants, o.capacity, o.source] for o in read_occupancy_seed()])
    return True


def load_register(con: duckdb.DuckDBPyConnection) -> Register:
    rows = con.execute(
        "SELECT code, official_name, short_name, type, class, speciality, regency, address, holds_inmates, lat, lon,"
        " verification, source_url, notes FROM facility ORDER BY code").fetchall()
    extra = con.execute("SELECT facility_code, note, alias FROM facility_alias").fetchall()
    by_kind: dict[tuple[str, str], list[str]] = {}
    aliases = []
    for code, note, alias in extra:
        if note in ("place", "historical_class", "historical_type"):
            by_kind.setdefault((code, note), []).append(alias)
        else:
            aliases.append(Alias(code, alias, note))
    facilities = [
        Facility(code=r[0], official_name=r[1], short_name=r[2], type=r[3], klass=r[4] or "", speciality=r[5] or "",
                 regency=r[6] or "", address=r[7] or "", places=tuple(by_kind.get((r[0], "place"), ())),
                 historical_classes=tuple(by_kind.get((r[0], "historical_class"), ())),
                 historical_types=tuple(by_kind.get((r[0], "historical_type"), ())), holds_inmates=bool(r[8]),
                 lat=r[9], lon=r[10], verification=r[11] or "", source_url=r[12] or "", notes=r[13] or "")
        for r in rows
    ]
    occupancy = [OccupancySnapshot(code, str(d), occ, cap, src) for code, d, occ, cap, src in con.execute(
        "SELECT facility_code, snapshot_date, occupants, capacity, source FROM occupancy").fetchall()]
    return Register(facilities, aliases, occupancy, fuzzy_min_score=settings.get("PANTAU_FUZZY_MIN_SCORE"))


REGISTER = """
SELECT f.code, f.short_name, f.official_name, f.type, f.class, f.speciality, f.regency, f.lat, f.lon,
       f.holds_inmates, f.active_from, f.active_until, string_agg(a.alias, '; ' ORDER BY a.alias) FILTER (WHERE a.note NOT IN
       ('place', 'historical_class', 'historical_type')) AS aliases
FROM facility f LEFT JOIN facility_alias a ON a.facility_code = f.code
GROUP BY ALL ORDER BY f.type, f.short_name
"""


def listing(path=None):
    """The register as a table: every unit with its other known spellings."""
    from warehouse.db import connect

    with connect(path) as con:
        return con.execute(REGISTER).df()


REFUSED = "Akun '{by}' tidak boleh mengubah register; hanya admin."  # an admin's action, asked by another


def add_alias(code: str, alias: str, note: str, *, by: str, path=None) -> str:
    """Teach the register a new spelling of a unit's name (so a file using it loads).
    Refuses a spelling that already names another unit. Returns the code it resolves to."""
    from etl.facilities import FacilityNotFound, normalise
    from warehouse.accounts import AccountError, audit, require_role
    from warehouse.db import transaction

    alias = (alias or "").strip()
    if len(alias) < 4:
        raise AccountError("Ejaan terlalu pendek; tulis nama seperti yang muncul di berkas.")
    for attempt in transaction(path):
        with attempt as con:
            require_role(con, by, "admin", AccountError(REFUSED.format(by=by)))
            register = load_register(con)
            if code not in register.by_code:
                raise AccountError(f"Fasilitas '{code}' tidak ada di register.")
            try:
                current = register.resolve(alias)
            except FacilityNotFound:
                current = None
            if current is not None and current != code:
                raise AccountError(f"'{alias}' sudah dikenali sebagai {register.label(current)}; tidak bisa dipakai untuk "
                                   f"{register.label(code)}.")
            known = {normalise(a.alias) for a in register.aliases if a.facility == code}
            if normalise(alias) not in known:
                con.execute("INSERT INTO facility_alias VALUES (?, ?, ?)", [alias, code, note or "ditambah admin"])
                audit(con, by, "alias_add", f"{alias} -> {code}")
    return code


def set_active(code: str, active_from, active_until, *, by: str, path=None) -> None:
    """The months a unit is active (reports are expected of it: warehouse/completeness.py): from the
    month of ``active_from`` to the month of ``active_until``; None on either side: no limit there.
    Admins only (the role is read from the warehouse at the moment of the change); audited."""
    import datetime as dt

    from warehouse.accounts import AccountError, audit, require_role
    from warehouse.db import transaction

    def day(value):
        return None if value is None else dt.date(value.year, value.month, value.day)

    active_from, active_until = day(active_from), day(active_until)
    if active_from and active_until and active_until < active_from:
        raise AccountError(f"Tanggal akhir aktif ({active_until:%d-%m-%Y}) sebelum tanggal mulai aktif "
                           f"({active_from:%d-%m-%Y}).")
    for attempt in transaction(path):
        with attempt as con:
            require_role(con, by, "admin", AccountError(REFUSED.format(by=by)))
            old = con.execute("SELECT active_from, active_until FROM facility WHERE code = ?", [code]).fetchone()
            if old is None:
                raise AccountError(f"Fasilitas '{code}' tidak ada di register.")
            if tuple(old) == (active_from, active_until):
                return
            con.execute("UPDATE facility SET active_from = ?, active_until = ? WHERE code = ?",
                        [active_from, active_until, code])
            audit(con, by, "register_active", f"{code}: {old[0] or '-'}..{old[1] or '-'} -> "
                  f"{active_from or '-'}..{active_until or '-'}")


# ---- the units' library officers (issue 16): who receives the reminders of missing reports
EMAIL = r"^[^@\s;,<>]+@[^@\s;,<>]+\.[A-Za-z]{2,}$"
OFFICERS = """
SELECT f.code, f.short_name, o.officer_name, o.officer_email, o.updated_by, o.updated_at
FROM facility f LEFT JOIN facility_officer o ON o.facility_code = f.code
WHERE f.holds_inmates ORDER BY f.type, f.short_name
"""


def officers(path=None):
    """Every inmate-holding unit with its library officer's name and e-mail (empty where none is known)."""
    from warehouse.db import connect

    with connect(path) as con:
        return con.execute(OFFICERS).df()


def set_officer(code: str, name: str, email: str, *, by: str, path=None) -> None:
    """Record a unit's library officer (admins only, checked here at the moment of saving; audited).
    An empty name and e-mail forget the officer."""
    import re

    from warehouse.accounts import AccountError, audit, require_role
    from warehouse.db import transaction

    name, email = (name or "").strip(), (email or "").strip()
    if email and not re.match(EMAIL, email):
        raise AccountError(f"Alamat e-mail '{email}' tidak valid; tulis seperti nama@kemenkumham.go.id.")
    if len(name) > 120:
        raise AccountError("Nama petugas terlalu panjang (paling banyak 120 huruf).")
    for attempt in transaction(path):
        with attempt as con:
            require_role(con, by, "admin", AccountError(REFUSED.format(by=by)))
            if not con.execute("SELECT count(*) FROM facility WHERE code = ? AND holds_inmates", [code]).fetchone()[0]:
                raise AccountError(f"Fasilitas '{code}' tidak ada di register.")
            before = con.execute("SELECT officer_name, officer_email FROM facility_officer WHERE facility_code = ?",
                                 [code]).fetchone()
            con.execute("DELETE FROM facility_officer WHERE facility_code = ?", [code])
            if name or email:
                con.execute("INSERT INTO facility_officer VALUES (?, ?, ?, ?, ?)",
                            [code, name or None, email or None, by, dt.datetime.now().replace(microsecond=0)])
            old = " / ".join(v or "-" for v in before) if before else "-"
            audit(con, by, "officer_set", f"{code}: {old} -> {name or '-'} / {email or '-'}")
