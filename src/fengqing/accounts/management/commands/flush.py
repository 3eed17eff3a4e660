"""``flush`` refuses while the audit log holds entries: nothing empties the log (DESIGN §7)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, router

from ...models import AuditEntry


class Command(flush.Command):
    def handle(self, **options):
        db = options.get("database") or DEFAULT_DB_ALIAS
        # the log-in store (accounts.loginstore) holds no audit log of its own
        if router.allow_migrate_model(db, AuditEntry) and AuditEntry.objects.using(db).exists():
            raise CommandError("拒绝执行：flush 会清空审计日志，而审计日志只可追加、不可清空（等保三级 安全审计）。"
                               "如需一个空库，请新建数据库。")
        return super().handle(**options)
