"""``fengqing audit verify`` checks the audit log's hash chain (exit 0 intact, 2 otherwise);
``fengqing audit export FILE.xlsx|FILE.csv [--from DATE] [--to DATE]`` writes it for the auditor's archive."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ....commands import FengqingCommand
from ....errors import FengqingError
from ... import audit, auditview
from ...models import AuditEntry


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FengqingError(f"日期“{text}”无效，应为 YYYY-MM-DD") from None


class Command(FengqingCommand):
    help = "审计日志：verify 校验哈希链是否完整；export 导出为 .xlsx 或 .csv（敏感记录的内容已遮蔽）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验整条哈希链，报告第一处被修改、删除或插入的条目")
        p = sub.add_parser("export", help="导出审计日志")
        p.add_argument("file", help="FILE.xlsx 或 FILE.csv")
        p.add_argument("--from", dest="start", help="起始日期 YYYY-MM-DD")
        p.add_argument("--to", dest="end", help="截止日期 YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "verify":
            verdict = audit.verify()
            audit.event(audit.cli_actor(), "命令行", "校验审计日志", "审计日志",
                        outcome=AuditEntry.SUCCESS if verdict.intact else AuditEntry.FAILURE,
                        detail={"条数": verdict.entries, **({} if verdict.intact else {"问题": str(verdict.finding)})})
            if verdict.intact:
                self.stdout.write(f"审计日志完整：{verdict.entries} 条，哈希链无断裂。")
                return
            self.stderr.write(f"审计日志被篡改：{verdict.finding}（此前 {verdict.entries} 条完整）")
            sys.exit(2)
        start = _date(options["start"]) if options["start"] else None
        end = _date(options["end"]) if options["end"] else None
        path = Path(options["file"]).resolve()
        n = auditview.export(path, start, end)
        audit.event(audit.cli_actor(), "命令行", AuditEntry.EXPORT, "审计日志", path.name,
                    detail={"条数": n, "起": options["start"] or "", "止": options["end"] or ""})
        self.stdout.write(f"已导出 {n} 条审计日志：{path}")
