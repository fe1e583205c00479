"""The DuckDB schema: reference -> batches -> staging -> marts.

Each table states its grain in one line, and :data:`KEYS` (``marts.MARTS`` for
the marts) names the columns that identify its rows. Migrations are numbered and
applied in order; ``meta.schema_version`` records the last one applied. They
create the marts but never fill them: :func:`warehouse.marts.rebuild` does.
"""

from __future__ import annotations

import re

import duckdb

from warehouse import marts

MIGRATIONS: list[str] = [
    # 1 -------------------------------------------------------------- the core
    """
    -- grain: one correctional unit of the register
    CREATE TABLE facility (
        code VARCHAR PRIMARY KEY, official_name VARCHAR NOT NULL, short_name VARCHAR NOT NULL,
        type VARCHAR NOT NULL, class VARCHAR, speciality VARCHAR, regency VARCHAR, address VARCHAR,
        holds_inmates BOOLEAN NOT NULL, lat DOUBLE, lon DOUBLE, verification VARCHAR, source_url VARCHAR,
        notes VARCHAR);
    -- grain: one spelling of one unit's name
    CREATE TABLE facility_alias (alias VARCHAR NOT NULL, facility_code VARCHAR NOT NULL, note VARCHAR);
    -- grain: one dated occupancy figure of one unit
    CREATE TABLE occupancy (
        facility_code VARCHAR NOT NULL, snapshot_date DATE NOT NULL, occupants INTEGER, capacity INTEGER,
        source VARCHAR, batch_id INTEGER);

    CREATE SEQUENCE batch_id_seq START 1;
    -- grain: one dataset loaded from one file
    CREATE TABLE batch (
        batch_id INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
        dataset VARCHAR NOT NULL, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, file_format VARCHAR,
        sheets VARCHAR, loaded_by VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL,
        rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
        accept_valid BOOLEAN NOT NULL, undone_at TIMESTAMP, undone_by VARCHAR);
    -- grain: one facility-month (one session, for attendance lists) that one batch reports
    CREATE TABLE batch_cell (
        batch_id INTEGER NOT NULL, dataset VARCHAR NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL,
        part VARCHAR NOT NULL, n_rows INTEGER NOT NULL);
    -- grain: the batch in force for one dataset-facility-month(-session); history stays in batch_cell
    CREATE TABLE current_cell (
        dataset VARCHAR NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, part VARCHAR NOT NULL,
        batch_id INTEGER NOT NULL, since TIMESTAMP NOT NULL);
    -- grain: one row refused in a batch loaded with --accept-valid (identities redacted)
    CREATE TABLE rejected_row (
        batch_id INTEGER NOT NULL, sheet VARCHAR, row_number INTEGER, messages_id VARCHAR, messages_en VARCHAR,
        cell_values VARCHAR);

    -- staging: one row per row of a loaded file, normalised; belongs to its batch
    -- grain: one loan, or one monthly recap of loans
    CREATE TABLE stg_loan (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, loan_date DATE,
        item_code VARCHAR, title VARCHAR, category VARCHAR, borrower_key VARCHAR, borrower_group VARCHAR,
        borrower_gender VARCHAR, due_date DATE, return_date DATE, returned BOOLEAN, service VARCHAR,
        n_loans INTEGER NOT NULL, borrowers_l INTEGER, borrowers_p INTEGER, is_recap BOOLEAN NOT NULL,
        source_sheet VARCHAR, source_row INTEGER);
    -- grain: one visitor, one group, or a daily/monthly head count of one service
    CREATE TABLE stg_visit (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, visit_date DATE,
        service VARCHAR NOT NULL, visitor_key VARCHAR, visitor_group VARCHAR, gender VARCHAR, is_group BOOLEAN,
        n_visitors INTEGER NOT NULL, visitors_l INTEGER, visitors_p INTEGER, service_days INTEGER, room VARCHAR,
        is_total BOOLEAN, source_sheet VARCHAR, source_row INTEGER);
    -- grain: one training session as a facility's training report states it (head counts)
    CREATE TABLE stg_training_session (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, session_key VARCHAR NOT NULL,
        title VARCHAR NOT NULL, topic VARCHAR, audience VARCHAR, organiser VARCHAR, partner VARCHAR,
        start_date DATE NOT NULL, end_date DATE, place VARCHAR, participants_l INTEGER, participants_p INTEGER,
        participants INTEGER, notes VARCHAR, source_sheet VARCHAR, source_row INTEGER);
    -- grain: one participant present at one session (from an attendance list)
    CREATE TABLE stg_training_participant (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, session_key VARCHAR NOT NULL,
        title VARCHAR NOT NULL, topic VARCHAR, audience VARCHAR, organiser VARCHAR, place VARCHAR,
        start_date DATE NOT NULL, participant_key VARCHAR, gender VARCHAR, role VARCHAR, source_sheet VARCHAR,
        source_row INTEGER);

    -- marts: what the pages read; rebuilt for the facility-months a load touches
    -- grain: one facility-month with any report in force
    CREATE TABLE mart_activity_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL,
        has_loans BOOLEAN NOT NULL, has_visits BOOLEAN NOT NULL, has_training BOOLEAN NOT NULL,
        loans BIGINT, loan_lines BIGINT, borrowers BIGINT, borrowers_l BIGINT, borrowers_p BIGINT,
        loans_returned BIGINT, loans_open BIGINT, loans_overdue BIGINT, loans_with_status BIGINT,
        visitors BIGINT, visitors_library BIGINT, visitors_pusling BIGINT, visitors_l BIGINT, visitors_p BIGINT,
        days_library BIGINT, days_pusling BIGINT,
        training_sessions BIGINT, training_participants BIGINT, participants_l BIGINT, participants_p BIGINT);
    -- grain: one facility-month-category of loans
    CREATE TABLE mart_loan_category_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, category VARCHAR NOT NULL, loans BIGINT NOT NULL);
    -- grain: one facility-month-title of loans (titles only, never borrowers)
    CREATE TABLE mart_loan_title_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, title VARCHAR NOT NULL, loans BIGINT NOT NULL);
    -- grain: one pseudonymous borrower active in one facility-month
    CREATE TABLE mart_borrower_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, borrower_key VARCHAR NOT NULL);
    -- grain: one facility-month-service-visitor group of visits
    CREATE TABLE mart_visit_group_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, service VARCHAR NOT NULL, visitor_group VARCHAR NOT NULL,
        visitors BIGINT NOT NULL);
    -- grain: one training session at (or with participants from) one facility
    CREATE TABLE mart_training_session (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, session_key VARCHAR NOT NULL, title VARCHAR NOT NULL,
        topic VARCHAR, audience VARCHAR, organiser VARCHAR, partner VARCHAR, start_date DATE NOT NULL,
        end_date DATE, place VARCHAR, participants BIGINT, participants_l BIGINT, participants_p BIGINT,
        from_attendance BOOLEAN NOT NULL);
    """,
    # 2 ------------------------------------------------------ accounts and audit
    """
    -- grain: one account (local password, or an e-mail address signing in through SSO)
    CREATE TABLE app_user (
        username VARCHAR PRIMARY KEY, display_name VARCHAR, email VARCHAR, role VARCHAR NOT NULL,
        password_hash VARCHAR, active BOOLEAN NOT NULL, failed_attempts INTEGER NOT NULL, locked_until TIMESTAMP,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, last_login TIMESTAMP);
    -- grain: one signed-in browser session (the cookie holds a token whose hash is stored here)
    CREATE TABLE app_session (
        token_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP);
    CREATE SEQUENCE audit_id_seq START 1;
    -- grain: one thing someone did (sign-in, upload, replace, undo, account change)
    CREATE TABLE audit_log (
        audit_id INTEGER PRIMARY KEY DEFAULT nextval('audit_id_seq'), logged_at TIMESTAMP NOT NULL, username VARCHAR,
        action VARCHAR NOT NULL, detail VARCHAR, batch_id INTEGER);
    """,
    # 3 ------------------------------------ agreements, book packages, occupancy batches
    """
    -- grain: one cooperation agreement (PKS) with one facility, as a batch reported it
    CREATE TABLE stg_agreement (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, agreement_key VARCHAR NOT NULL,
        number_dispersip VARCHAR, number_facility VARCHAR, signed_on DATE, valid_from DATE NOT NULL,
        valid_until DATE NOT NULL, scope VARCHAR, document_sha256 VARCHAR, document_name VARCHAR, notes VARCHAR,
        source_sheet VARCHAR, source_row INTEGER);
    -- grain: one delivery or swap of rotating book packages at one facility on one day
    CREATE TABLE stg_package (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, package_date DATE NOT NULL,
        books_delivered INTEGER, books_returned INTEGER, package_label VARCHAR, notes VARCHAR,
        source_sheet VARCHAR, source_row INTEGER);
    -- grain: one dated occupancy figure of one facility, as a batch reported it
    CREATE TABLE stg_occupancy (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, snapshot_date DATE NOT NULL,
        occupants INTEGER, capacity INTEGER, source VARCHAR, source_sheet VARCHAR, source_row INTEGER);
    -- grain: one dated occupancy figure in force (loaded figures win over the register's seed on the same day)
    CREATE VIEW occupancy_in_force AS
    SELECT facility_code, snapshot_date, occupants, capacity, source FROM (
        SELECT facility_code, snapshot_date, occupants, capacity, source, 0 AS priority FROM occupancy
        UNION ALL
        SELECT s.facility_code, s.snapshot_date, s.occupants, s.capacity, coalesce(s.source, b.file_name), 1
        FROM stg_occupancy s
        JOIN current_cell c ON c.dataset = 'occupancy' AND c.batch_id = s.batch_id
             AND c.facility_code = s.facility_code AND c.month = s.month AND c.part = strftime(s.snapshot_date, '%Y-%m-%d')
        JOIN batch b ON b.batch_id = s.batch_id)
    QUALIFY row_number() OVER (PARTITION BY facility_code, snapshot_date ORDER BY priority DESC) = 1;
    -- grain: one agreement in force in the register (from the batches in force)
    CREATE VIEW agreement_in_force AS
    SELECT a.* FROM stg_agreement a
    JOIN current_cell c ON c.dataset = 'agreements' AND c.batch_id = a.batch_id AND c.facility_code = a.facility_code
         AND c.month = a.month AND c.part = a.agreement_key;
    -- grain: one package delivery in force
    CREATE VIEW package_in_force AS
    SELECT p.* FROM stg_package p
    JOIN current_cell c ON c.dataset = 'packages' AND c.batch_id = p.batch_id AND c.facility_code = p.facility_code
         AND c.month = p.month;
    """,
    # 4 ------------------- the registers in force as marts (the views above read them)
    # At national scale the views' join of the staging rows with current_cell (a quarter of a
    # million cells) cost tens of milliseconds in every query that reads them (the per-inmate
    # rates of almost every page). The marts hold the same rows, refreshed with the others for
    # the facility-months a load, undo or restore touches; the views keep their names and rows.
    # This migration only creates the tables: marts.rebuild fills them (REBUILDS_MARTS).
    """
    -- grain: one dated occupancy figure of one facility from the batches in force (the register's own
    -- seed figures stay in occupancy; occupancy_in_force combines both)
    CREATE TABLE mart_occupancy_loaded (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, snapshot_date DATE NOT NULL, occupants INTEGER,
        capacity INTEGER, source VARCHAR);
    -- grain: one agreement in force (the rows of stg_agreement whose batch is in force)
    CREATE TABLE mart_agreement (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, agreement_key VARCHAR NOT NULL,
        number_dispersip VARCHAR, number_facility VARCHAR, signed_on DATE, valid_from DATE NOT NULL,
        valid_until DATE NOT NULL, scope VARCHAR, document_sha256 VARCHAR, document_name VARCHAR, notes VARCHAR,
        source_sheet VARCHAR, source_row INTEGER);
    -- grain: one package delivery in force (the rows of stg_package whose batch is in force)
    CREATE TABLE mart_package (
        batch_id INTEGER NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, package_date DATE NOT NULL,
        books_delivered INTEGER, books_returned INTEGER, package_label VARCHAR, notes VARCHAR,
        source_sheet VARCHAR, source_row INTEGER);
    CREATE OR REPLACE VIEW occupancy_in_force AS
    SELECT facility_code, snapshot_date, occupants, capacity, source FROM (
        SELECT facility_code, snapshot_date, occupants, capacity, source, 0 AS priority FROM occupancy
        UNION ALL
        SELECT facility_code, snapshot_date, occupants, capacity, source, 1 FROM mart_occupancy_loaded)
    QUALIFY row_number() OVER (PARTITION BY facility_code, snapshot_date ORDER BY priority DESC) = 1;
    CREATE OR REPLACE VIEW agreement_in_force AS SELECT * FROM mart_agreement;
    CREATE OR REPLACE VIEW package_in_force AS SELECT * FROM mart_package;

    -- Two marts at the grain the pages' figures need (see bench/RESULTS.md): what every per-100
    -- rate divides by, and the borrowers of any period without counting distinct keys over months.
    -- grain: one facility-month of mart_activity_month with the occupancy figure in force at the
    -- month's end (the latest dated figure on or before it; NULL when there is none)
    CREATE TABLE mart_occupancy_month (
        facility_code VARCHAR NOT NULL, month DATE NOT NULL, occupants INTEGER, occupancy_date DATE);
    -- grain: one pseudonymous borrower of one facility in one block of 64 months (block k: the months
    -- 64k..64k+63 after January 1900), with a bit per month they borrowed in: the borrowers of a period
    -- are those whose bits meet the period's (a period of up to 64 months meets at most two blocks)
    CREATE TABLE mart_borrower_span (
        facility_code VARCHAR NOT NULL, borrower_key VARCHAR NOT NULL, block INTEGER NOT NULL, months UBIGINT NOT NULL);
    -- grain: one of the ten most borrowed titles of one facility over the 12 months ending at the latest
    -- reporting month (end_month, the last month of mart_activity_month): the loans page's default view
    CREATE TABLE mart_loan_title_top12 (
        facility_code VARCHAR NOT NULL, end_month DATE NOT NULL, rank BIGINT NOT NULL, title VARCHAR NOT NULL,
        loans BIGINT NOT NULL);
    """,
    # 5 ------------------------------------------------ sign-in throttling (issue 12)
    # Failed sign-ins no longer lock an account: they are counted per (typed user name, client
    # address), per client address and per typed user name, whether or not the account exists, so
    # the counters tell an attacker nothing and an attacker elsewhere cannot lock a real admin out.
    """
    -- grain: one throttle counter: scope 'name_address' (name and address set), 'address' (name '')
    -- or 'name' (address ''); failures since the counter was last forgotten, and the wait they impose
    CREATE TABLE login_throttle (
        scope VARCHAR NOT NULL, name VARCHAR NOT NULL, address VARCHAR NOT NULL, failures INTEGER NOT NULL,
        last_failure TIMESTAMP NOT NULL, wait_until TIMESTAMP, PRIMARY KEY (scope, name, address));
    """,
    # 6 ---------------------------------- units' active months, notes on a unit's month (issue 14)
    # Which reports are expected (warehouse/completeness.py): a unit owes a month's reports while the
    # register has it active (no dates: always) and no note marks it closed for that month. Written to
    # run again on a warehouse taken back to an earlier version (tests/test_marts.py does).
    """
    ALTER TABLE facility ADD COLUMN IF NOT EXISTS active_from DATE;
    ALTER TABLE facility ADD COLUMN IF NOT EXISTS active_until DATE;
    CREATE SEQUENCE IF NOT EXISTS note_id_seq START 1;
    CREATE SEQUENCE IF NOT EXISTS note_change_id_seq START 1;
    -- grain: one change (add, edit, remove) of one note on a unit's month, for one dataset or 'all';
    -- the note in force is its latest change not undone (an undone change brings the one before back)
    CREATE TABLE note_change (
        change_id INTEGER PRIMARY KEY DEFAULT nextval('note_change_id_seq'), note_id INTEGER NOT NULL,
        action VARCHAR NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, dataset VARCHAR NOT NULL,
        closed BOOLEAN NOT NULL, text VARCHAR NOT NULL, changed_by VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL,
        undone_at TIMESTAMP, undone_by VARCHAR);
    -- grain: one note in force (its latest change not undone, unless that change removed it)
    CREATE OR REPLACE VIEW note_in_force AS
    SELECT note_id, facility_code, month, dataset, closed, text, changed_by, changed_at, change_id FROM (
        SELECT * FROM note_change WHERE undone_at IS NULL
        QUALIFY row_number() OVER (PARTITION BY note_id ORDER BY change_id DESC) = 1)
    WHERE action <> 'remove';
    """,
    # 7 ------------------------------------------- values that need a check (issue 14, warehouse.anomaly)
    """
    CREATE SEQUENCE IF NOT EXISTS anomaly_flag_id_seq START 1;
    -- grain: one facility-month(-part) value of one batch that warehouse.anomaly found far from the unit's
    -- own history when the batch was loaded: the value, what was usual, the uploader's note, and who
    -- confirmed it (with a note) if anyone did. Open: not confirmed and its batch still in force there.
    CREATE TABLE anomaly_flag (
        flag_id INTEGER PRIMARY KEY DEFAULT nextval('anomaly_flag_id_seq'), batch_id INTEGER NOT NULL,
        dataset VARCHAR NOT NULL, facility_code VARCHAR NOT NULL, month DATE NOT NULL, part VARCHAR NOT NULL,
        value BIGINT NOT NULL, expected_center DOUBLE NOT NULL, expected_low DOUBLE NOT NULL,
        expected_high DOUBLE NOT NULL, history_months INTEGER NOT NULL, seasonal BOOLEAN NOT NULL,
        flagged_at TIMESTAMP NOT NULL, load_note VARCHAR, confirmed_at TIMESTAMP, confirmed_by VARCHAR,
        confirm_note VARCHAR);
    """,
    # 8 ---------------------------------------- targets, officers' e-mails, notifications (issue 16)
    # A revised Perjanjian Kinerja is a new revision of the year's targets: a revision holds every
    # target of the year as it then stood (the rows a revision does not change are copied forward), so
    # any revision alone says what the targets were; the latest revision is the one in force.
    """
    -- grain: one revision of one year's targets (who entered it, from which document)
    CREATE TABLE target_revision (
        year INTEGER NOT NULL, revision INTEGER NOT NULL, label VARCHAR NOT NULL, entered_by VARCHAR NOT NULL,
        entered_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL, PRIMARY KEY (year, revision));
    -- grain: one indicator's target for one year, in one revision, for the province (facility_code '')
    -- or one unit
    CREATE TABLE target (
        year INTEGER NOT NULL, revision INTEGER NOT NULL, indicator VARCHAR NOT NULL, facility_code VARCHAR NOT NULL,
        value DOUBLE NOT NULL, PRIMARY KEY (year, revision, indicator, facility_code));
    -- grain: the library officer of one unit (name and work e-mail; not inmate data)
    CREATE TABLE facility_officer (
        facility_code VARCHAR PRIMARY KEY, officer_name VARCHAR, officer_email VARCHAR, updated_by VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL);
    -- grain: one account's subscription to one kind of periodic report (monthly or quarterly)
    CREATE TABLE report_subscription (
        username VARCHAR NOT NULL, kind VARCHAR NOT NULL, lang VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (username, kind));
    -- grain: one e-mail delivered by `etl notify`: a reminder to one unit for one month, or one period's
    -- report to one subscriber (what it was about is in topic: the unit's code, or the period's code)
    CREATE TABLE notification_sent (
        kind VARCHAR NOT NULL, topic VARCHAR NOT NULL, period VARCHAR NOT NULL, recipient VARCHAR NOT NULL,
        sent_on DATE NOT NULL, sent_at TIMESTAMP NOT NULL, recipients VARCHAR NOT NULL, subject VARCHAR NOT NULL,
        PRIMARY KEY (kind, topic, period, recipient, sent_on));
    """,
    # 9 ------------------------------------------ the lake's snapshot before each batch (issue 17)
    # On a DuckLake a load records the snapshot its transaction read: the last one before the snapshot
    # its commit made (every write changes pantau_lake.write_token, so no other write commits between
    # them), which is what the dashboard showed before the batch (warehouse/snapshots.py reads the marts
    # as of it). NULL on the DuckDB file, and for batches loaded before this migration.
    """
    ALTER TABLE batch ADD COLUMN IF NOT EXISTS lake_snapshot_before BIGINT;
    """,
]

# The migrations that add marts: a database that lacks any of them gets every mart rebuilt from the
# staging tables (marts.rebuild, the marts' only SQL) once its pending migrations have run. Migration
# 4 filled its marts with INSERTs of its own until issue 13; they gave the rows the rebuild gives.
REBUILDS_MARTS = frozenset({4})

# The grain of every table and view that is not a mart (the marts declare theirs in marts.MARTS): the
# columns that identify one row, as the `-- grain:` comments above say in words; a test checks that no
# two rows of the demo warehouse share them. None: the rows have no key (a loan line without an item
# code, an anonymous visitor or participant, a recap row are rows like any other).
KEYS: dict[str, tuple[str, ...] | None] = {
    "meta": ("key",),
    "facility": ("code",),
    "facility_alias": ("alias", "facility_code"),
    "occupancy": ("facility_code", "snapshot_date"),
    "batch": ("batch_id",),
    "batch_cell": ("batch_id", "dataset", "facility_code", "month", "part"),
    "current_cell": ("dataset", "facility_code", "month", "part"),
    "rejected_row": ("batch_id", "sheet", "row_number"),
    "stg_loan": None,
    "stg_visit": None,
    "stg_training_session": ("batch_id", "facility_code", "session_key"),
    "stg_training_participant": None,
    "app_user": ("username",),
    "app_session": ("token_hash",),
    "audit_log": ("audit_id",),
    "stg_agreement": ("batch_id", "facility_code", "agreement_key"),
    "stg_package": ("batch_id", "facility_code", "package_date", "package_label"),
    "stg_occupancy": ("batch_id", "facility_code", "snapshot_date"),
    "occupancy_in_force": ("facility_code", "snapshot_date"),
    "agreement_in_force": marts.GRAIN["mart_agreement"],
    "package_in_force": marts.GRAIN["mart_package"],
    "login_throttle": ("scope", "name", "address"),
    "note_change": ("change_id",),
    "note_in_force": ("note_id",),
    "anomaly_flag": ("batch_id", "dataset", "facility_code", "month", "part"),
    "target_revision": ("year", "revision"),
    "target": ("year", "revision", "indicator", "facility_code"),
    "facility_officer": ("facility_code",),
    "report_subscription": ("username", "kind"),
    "notification_sent": ("kind", "topic", "period", "recipient", "sent_on"),
}


def for_lake(sql: str) -> str:
    """A migration as DuckLake takes it: no sequences, no primary keys (ids come from
    :func:`warehouse.db.next_id`; keys hold because the lake commits one writer at a time)."""
    sql = re.sub(r"CREATE SEQUENCE (IF NOT EXISTS )?\w+ START \d+;", "", sql)
    sql = re.sub(r" DEFAULT nextval\('\w+'\)", "", sql)
    sql = re.sub(r",\s*PRIMARY KEY \([^)]*\)", "", sql)
    return re.sub(r" PRIMARY KEY\b", "", sql)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations this database lacks, and rebuild the marts if one of them adds marts,
    all in one transaction; returns the schema version. The same migrations make a DuckLake
    (:func:`for_lake`), which also gets ``pantau_lake.write_token``, the row every write to it changes
    (:func:`warehouse.db.transaction`)."""
    from warehouse.db import con_is_lake

    lake = con_is_lake(con)
    adapt = for_lake if lake else (lambda sql: sql)
    con.execute(adapt("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"))
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    pending = range(version + 1, len(MIGRATIONS) + 1)
    if not pending:
        return version
    con.execute("BEGIN TRANSACTION")
    try:
        if lake and version == 0:
            con.execute("CREATE SCHEMA pantau_lake; CREATE TABLE pantau_lake.write_token (n BIGINT NOT NULL); "
                        "INSERT INTO pantau_lake.write_token VALUES (0)")
        for number in pending:
            con.execute(adapt(MIGRATIONS[number - 1]))
        if REBUILDS_MARTS.intersection(pending):
            marts.rebuild(con)
        con.execute("DELETE FROM meta WHERE key = 'schema_version'")
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(pending[-1])])
        con.execute("COMMIT")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed commit ended the transaction already
        raise
    return pending[-1]
