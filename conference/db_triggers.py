"""Database triggers for the rule that spans two tables: a session lies within its
conference's dates, and a conference's dates cannot leave one of its sessions outside.

A CheckConstraint cannot look at another table, hence triggers, one set per vendor.
Conference.starts_at/ends_at are the UTC instants of its first and last local days, so
no time-zone arithmetic is needed here.

They are installed after every `migrate` and dropped before it (see apps.py): SQLite
rebuilds a table to alter it, which drops its triggers and trips over the triggers of
other tables that name it. Dropping and re-creating around migrations keeps them right
whatever later migrations do.
"""

from django.db import NotSupportedError

# True when session `s` lies within conference `c`; both aliases are filled in below.
WITHIN = """
    {s}.date >= {c}.start_date
    AND ({c}.end_date IS NULL OR {s}.date <= {c}.end_date)
    AND ({s}.starts_at IS NULL OR (
        {s}.starts_at >= {c}.starts_at AND ({c}.ends_at IS NULL OR {s}.ends_at <= {c}.ends_at)
    ))
"""
SESSION_VIOLATES = (
    "EXISTS (SELECT 1 FROM conference_conference c WHERE c.id = NEW.conference_id AND NOT ("
    + WITHIN.format(s="NEW", c="c")
    + "))"
)
CONFERENCE_VIOLATES = (
    "EXISTS (SELECT 1 FROM conference_session s WHERE s.conference_id = NEW.id AND NOT ("
    + WITHIN.format(s="s", c="NEW")
    + "))"
)
SESSION_MESSAGE = "session_within_conference: a session must lie within the dates of its conference"
CONFERENCE_MESSAGE = "session_within_conference: the dates of a conference must keep all of its sessions"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER session_within_conference_insert BEFORE INSERT ON conference_session
        FOR EACH ROW WHEN {SESSION_VIOLATES}
        BEGIN SELECT RAISE(ABORT, '{SESSION_MESSAGE}'); END""",
    f"""CREATE TRIGGER session_within_conference_update BEFORE UPDATE ON conference_session
        FOR EACH ROW WHEN {SESSION_VIOLATES}
        BEGIN SELECT RAISE(ABORT, '{SESSION_MESSAGE}'); END""",
    f"""CREATE TRIGGER conference_keeps_sessions_update BEFORE UPDATE ON conference_conference
        FOR EACH ROW WHEN {CONFERENCE_VIOLATES}
        BEGIN SELECT RAISE(ABORT, '{CONFERENCE_MESSAGE}'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS session_within_conference_insert",
    "DROP TRIGGER IF EXISTS session_within_conference_update",
    "DROP TRIGGER IF EXISTS conference_keeps_sessions_update",
]

POSTGRESQL_FORWARD = [
    f"""CREATE FUNCTION session_within_conference() RETURNS trigger AS $$
        BEGIN
            IF {SESSION_VIOLATES} THEN
                RAISE EXCEPTION '{SESSION_MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER session_within_conference BEFORE INSERT OR UPDATE ON conference_session
        FOR EACH ROW EXECUTE FUNCTION session_within_conference()""",
    f"""CREATE FUNCTION conference_keeps_sessions() RETURNS trigger AS $$
        BEGIN
            IF {CONFERENCE_VIOLATES} THEN
                RAISE EXCEPTION '{CONFERENCE_MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER conference_keeps_sessions BEFORE UPDATE ON conference_conference
        FOR EACH ROW EXECUTE FUNCTION conference_keeps_sessions()""",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS session_within_conference ON conference_session",
    "DROP FUNCTION IF EXISTS session_within_conference()",
    "DROP TRIGGER IF EXISTS conference_keeps_sessions ON conference_conference",
    "DROP FUNCTION IF EXISTS conference_keeps_sessions()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
}


TABLES = {"conference_conference", "conference_session"}


def _statements(connection, direction):
    if connection.vendor not in STATEMENTS:
        raise NotSupportedError(f"No session date triggers for {connection.vendor}; add them to {__name__}.")
    return STATEMENTS[connection.vendor][direction]


def uninstall(connection):
    if not set(connection.introspection.table_names()) & TABLES:
        return
    with connection.cursor() as cursor:
        for statement in _statements(connection, 1):
            cursor.execute(statement)


def install(connection):
    """(Re)create the triggers when both tables exist."""
    if not set(connection.introspection.table_names()) >= TABLES:
        return
    uninstall(connection)
    with connection.cursor() as cursor:
        for statement in _statements(connection, 0):
            cursor.execute(statement)
