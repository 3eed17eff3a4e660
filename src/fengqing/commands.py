"""Base class of fengqing's management commands: a FengqingError becomes exit status 2 and one Chinese line
per problem on stderr, never a traceback; the database is brought up to date before a command uses it."""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from .errors import FengqingError
from .org.lookup import find_unit  # noqa: F401  (re-exported for the commands)


class FengqingCommand(BaseCommand):
    #: commands that never touch the database (e.g. ``template``) set this to False
    uses_database = True

    def execute(self, *args, **options):
        try:
            if self.uses_database:
                ensure_migrated()
            return super().execute(*args, **options)
        except FengqingError as exc:
            for line in exc.lines():
                self.stderr.write(f"错误：{line}")
        except OSError as exc:  # a file to read or write: missing, unwritable, a folder …
            self.stderr.write(f"错误：无法读写文件“{exc.filename or ''}”：{exc.strerror or exc}")
        except DatabaseError as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.stderr.write(f"错误：数据库出错：{first_line}")
        # exit outside the handler: the traceback is freed first, and with it the half-read cursors and
        # half-written workbooks it held, which would otherwise be finalised at exit and print tracebacks
        sys.exit(2)


def ensure_migrated() -> None:
    """Apply pending migrations, so a clerk's first command on a new data folder just works (the main database
    and the log-in store, accounts.loginstore)."""
    for alias in connections:
        executor = MigrationExecutor(connections[alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", database=alias, verbosity=0, interactive=False)
