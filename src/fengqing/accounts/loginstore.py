"""The log-in store: where the log-in path writes, so that logging in never needs the main database's write
lock (issue 10: a long import holds it). It holds the sessions, the lock-out counters, the TOTP codes used and
the audit entries of the log-in path waiting to join the chain (accounts.audit chains them as soon as the chain
is free). On SQLite it is a database file of its own beside the main one (``fengqing-login.sqlite3``: SQLite
has one writer per file); on PostgreSQL it is the same database through a connection of its own (rows of other tables,
so no import's lock is in the way, and a log-in's writes commit on their own).

The router sends these models to the ``login`` alias and creates their tables there; on PostgreSQL, where both
aliases are one database, every table is created once, through ``default``."""

from __future__ import annotations

from django.conf import settings

LOGIN_DB = "login"
#: (app label, model name) of what the log-in store holds
MODELS = {("sessions", "session"), ("accounts", "loginthrottle"), ("accounts", "pendingentry"),
          ("accounts", "totpuse")}


def separate() -> bool:
    """Whether the log-in store is a database of its own (SQLite), not the main one through another connection."""
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")  # as settings make it


class LoginStoreRouter:
    def _of(self, model) -> str | None:
        return LOGIN_DB if (model._meta.app_label, model._meta.model_name) in MODELS else None

    def db_for_read(self, model, **hints):
        return self._of(model)

    def db_for_write(self, model, **hints):
        return self._of(model)

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if not separate():
            return db == "default"
        if model_name is None:  # RunPython and RunSQL: they work on the main database's tables
            return db == "default"
        return ((app_label, model_name) in MODELS) == (db == LOGIN_DB)
