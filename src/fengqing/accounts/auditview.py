"""The audit log as the auditor sees it: Chinese column names, local times, and the values of sensitive records
masked (the auditor audits actions, not case content). Used by the auditor's page and ``fengqing audit export``."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.apps import apps
from django.utils import timezone

from .. import choices as C
from ..errors import FengqingError
from . import audit
from .models import AuditEntry

MASK = "＊＊＊"
#: fields of a record entry that stay visible when its values are masked (they name the record, not its content)
_KEPT = {"id", "unit_id"}

COLUMNS = ("编号", "时间", "账号", "角色", "客户端地址", "途径", "操作", "对象类型", "对象", "单位", "结果",
           "修改前", "修改后/详情", "本条哈希")


def sensitive_models() -> set[str]:
    return {str(m._meta.verbose_name) for m in apps.get_models() if getattr(m, "sensitive", False)}


def is_sensitive(entry: AuditEntry, names: set[str] | None = None) -> bool:
    """Whether the entry speaks of a sensitive record (DESIGN §2): a sensitive kind, or a sensitive talk."""
    names = sensitive_models() if names is None else names
    if entry.model in names:
        return True
    if entry.model == "谈话":
        kinds = {(d or {}).get("kind") for d in (entry.before, entry.after)}
        return bool(kinds & set(C.SENSITIVE_TALK_KINDS))
    return False


def masked(data: dict | None, sensitive: bool) -> dict | None:
    if data is None or not sensitive:
        return data
    return {k: (v if k in _KEPT else MASK) for k, v in data.items()}


def diff(entry: AuditEntry, sensitive: bool) -> list[tuple[str, object, object]]:
    """(field, before, after) for the fields that differ; every field for a creation, deletion or event."""
    before, after = masked(entry.before, sensitive) or {}, masked(entry.after, sensitive) or {}
    keys = [k for k in {**before, **after} if k != "id"]
    if entry.action == AuditEntry.UPDATE and not sensitive:
        keys = [k for k in keys if before.get(k) != after.get(k)]
    return [(k, _shown(before.get(k, "")), _shown(after.get(k, ""))) for k in keys]


def _shown(value):
    return "、".join(str(v) for v in value) if isinstance(value, list) else value


def between(qs, start: date | None, end: date | None):
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tz))
    return qs


def _cell(data) -> str:
    return "" if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def rows(qs):
    """The export's rows, oldest first, values of sensitive records masked."""
    names = sensitive_models()
    for e in qs.order_by("at", "id").iterator(chunk_size=2000):
        s = is_sensitive(e, names)
        yield (e.pk, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.role, e.address, e.via,
               e.action, e.model, e.object_id, e.unit_name, e.outcome, _cell(masked(e.before, s)),
               _cell(masked(e.after, s)), e.hash)


def export(path: Path, start: date | None = None, end: date | None = None) -> int:
    """Write the entries (within the dates) to an .xlsx or .csv file; returns how many. Written to a temporary
    file first, so a failure leaves no half-written archive."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FengqingError(f"导出文件须为 .xlsx 或 .csv：{path.name}")
    audit.drain()  # the log-in path's entries waiting join the chain first (accounts.audit)
    qs = between(AuditEntry.objects.all(), start, end)
    tmp = path.with_name(path.name + ".part")
    n = 0
    try:
        if suffix == ".csv":
            with open(tmp, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow(COLUMNS)
                for row in rows(qs):
                    w.writerow(row)
                    n += 1
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("审计日志")
            ws.append(COLUMNS)
            for row in rows(qs):
                ws.append(row)
                n += 1
            wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
