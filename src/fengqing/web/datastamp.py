"""The data stamp: a value in the database that changes with every committed change of the records an assessment,
a report or the reader (报告审读) reads (the tables of ``DATA_APPS`` and ``DATA_MODELS``), whichever process made
it — a web worker, ``fengqing import``, the admin, a script writing SQL of its own. The web keeps assessments
and readings between two changes of the data (``web.shared``) and asks this value whether there has been one.

Triggers in the database write it, so nothing that writes those tables can forget to:
- SQLite: after every inserted, updated or deleted row, ``version`` gets a new ``random()`` value (a write
  transaction holds the whole database anyway, so the one-row upsert adds no contention);
- PostgreSQL: a deferred constraint trigger gives ``version`` the next value of a sequence once per
  transaction, at commit. At commit, because the writers also lock the audit chain's head: taking the stamp's
  row lock last of all keeps two writers from waiting on each other in opposite order.

The value never repeats (a sequence does not go back on rollback; 2⁶⁴ random values do not collide in
practice), so a rolled-back change followed by another change can never look like an earlier state. TRUNCATE
is not covered: nothing in fengqing truncates those tables (only the test harness's flush does).

The triggers are (re)created after every ``migrate`` for every table of those apps, so a table added later gets
them too (``install``, idempotent).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import connection as default_connection

#: the apps whose rows an assessment, a report or the reader reads (narratives, uploaded reports and their
#: return are the reader's texts)
DATA_APPS = ("org", "ledger", "rectify", "report", "submission")
#: single models of other apps they read: a measure's evidence files (the reader's 纸面销号 compares them)
DATA_MODELS = ("web.evidence",)
TABLE = "web_datastamp"
SEQUENCE = "web_datastamp_version"
_FUNCTION = "fengqing_data_changed"
_SQLITE_EVENTS = ("insert", "update", "delete")


def is_data(model) -> bool:
    return model._meta.app_label in DATA_APPS or model._meta.label_lower in DATA_MODELS


def data_tables(apps=global_apps) -> list[str]:
    """The tables of ``DATA_APPS`` (many-to-many link tables included) and of ``DATA_MODELS``."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if is_data(m)})


def _trigger(table: str, event: str = "") -> str:
    return f"fq_stamp_{table}" + (f"_{event}" if event else "")


def create_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "sqlite":
        upsert = (f"INSERT INTO {TABLE} (id, version) VALUES (1, random()) "
                  "ON CONFLICT (id) DO UPDATE SET version = excluded.version;")
        return [f"CREATE TRIGGER IF NOT EXISTS {_trigger(t, e)} AFTER {e.upper()} ON {t} FOR EACH ROW "
                f"BEGIN {upsert} END" for t in tables for e in _SQLITE_EVENTS]
    if vendor == "postgresql":
        # once per transaction: the first row's event sets a transaction-local flag, the others only read it
        function = (
            f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger AS $$ BEGIN "
            f"IF current_setting('fengqing.data_changed', true) IS DISTINCT FROM '1' THEN "
            f"PERFORM set_config('fengqing.data_changed', '1', true); "
            f"INSERT INTO {TABLE} (id, version) VALUES (1, nextval('{SEQUENCE}')) "
            f"ON CONFLICT (id) DO UPDATE SET version = excluded.version; "
            f"END IF; RETURN NULL; END $$ LANGUAGE plpgsql")
        return [f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}", function] + [sql for t in tables for sql in (
            f"DROP TRIGGER IF EXISTS {_trigger(t)} ON {t}",
            f"CREATE CONSTRAINT TRIGGER {_trigger(t)} AFTER INSERT OR UPDATE OR DELETE ON {t} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()")]
    return []


def installed(connection=default_connection) -> set[str]:
    """The data tables that have their triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            names = {(t, n) for t, n in cursor.fetchall()}
            return {t for t in data_tables() if all((t, _trigger(t, e)) in names for e in _SQLITE_EVENTS)}
        cursor.execute("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE NOT t.tgisinternal")
        names = set(cursor.fetchall())
        return {t for t in data_tables() if (t, _trigger(t)) in names}


def install(connection=default_connection) -> None:
    """Create the triggers of every data table that exists (idempotent)."""
    present = set(connection.introspection.table_names())
    if TABLE not in present:
        return
    with connection.cursor() as cursor:
        for sql in create_sql(connection.vendor, [t for t in data_tables() if t in present]):
            cursor.execute(sql)


def after_migrate(sender, using="default", **kwargs) -> None:
    """The web app's ``post_migrate`` handler."""
    from django.db import connections

    install(connections[using])


def version(connection=default_connection) -> int | None:
    """The current stamp (None before the first change of a new database)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
