"""导入导出: upload a workbook, preview what it would change (or every problem in it), confirm; download the
blank template and the unit's export."""

from __future__ import annotations

import io
import logging
import uuid
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...accounts import audit
from ...accounts.models import AuditEntry
from ...accounts.scope import Scope, sensitive_q
from ...org.models import Unit
from ...errors import WorkbookError
from ...memory import release_memory
from ...workbook.exporter import export_unit
from ...workbook.importer import ImportResult, import_workbook
from ...workbook.problems import Problem
from ...workbook.reader import open_workbook
from ...workbook.schema import REFERENCE_KINDS, SHEETS, SHEETS_BY_NAME
from ...workbook.template import write_template
from ..busy import is_busy
from ..forms import WorkbookUploadForm
from .base import VIA_WEB, activity, allow, scope_of, unit_for, xlsx_download

logger = logging.getLogger(__name__)
PENDING_MAX_AGE = timedelta(days=1)


def _pending_name(token: str) -> str:
    """Where a previewed workbook waits for confirmation, sealed like every upload (crypto/storage.py)."""
    return f"imports/{token}.xlsx"


def _discard_pending(request) -> None:
    """The previewed workbook of this session goes as soon as the preview is left, cancelled (放弃 returns
    here) or replaced by another upload: an unconfirmed upload with its 四种形态 and 信访 rows is not kept."""
    pending = request.session.pop("pending_import", None)
    if pending:
        default_storage.delete(_pending_name(pending["token"]))


def _sweep_pending() -> None:
    """Uploads older than PENDING_MAX_AGE whose session never came back (closed browser, expired session)."""
    try:
        _, names = default_storage.listdir("imports")
    except FileNotFoundError:
        return
    cutoff = timezone.now() - PENDING_MAX_AGE
    for name in names:
        try:
            if default_storage.get_modified_time(f"imports/{name}") < cutoff:
                default_storage.delete(f"imports/{name}")
        except FileNotFoundError:  # swept by a concurrent request
            pass


def _pending_workbook(name: str) -> io.BytesIO:
    try:
        with default_storage.open(name) as f:
            return io.BytesIO(f.read())
    except FileNotFoundError:
        raise WorkbookError([Problem("", "待确认的工作簿已不在服务器上（超过一天未确认会被清除），请重新上传")]) from None


class ImportRefused(Exception):
    """The workbook asks for something this user may not do; the message says what, in Chinese."""


BUSY_REFUSAL = "系统正忙（另一项导入正在写入数据库），未导入任何记录，请稍后重新上传"
DATABASE_REFUSAL = ("数据库拒绝写入（如文字超过长度限制、单位代码与其他单位重复），未导入任何记录，"
                    "请检查工作簿后重新上传")


#: how the refusal names a sheet of which only some rows are sensitive
_SOME_ROWS = {"谈话": "谈话（提醒谈话、诫勉谈话等）"}


def _hidden_sheets(scope, book) -> list[str]:
    """Sheets of the workbook with rows this user may not see (DESIGN §2), whether or not they would change
    anything; the scope decides on each row as the record it would become (rows streamed, none kept)."""
    if scope.sees_sensitive:
        return []  # nothing is hidden: no need to look at every row
    found = []
    for sheet in SHEETS:
        if sheet.name not in book or sensitive_q(sheet.model) is None:  # no row of this sheet can be sensitive
            continue
        plain = [c for c in sheet.columns if c.kind not in REFERENCE_KINDS]
        if any(not scope.may_see(sheet.model(**{c.field: r.values.get(c.header) for c in plain}))
               for r in book.rows(sheet.name)):
            found.append(_SOME_ROWS.get(sheet.name, sheet.name))
    return found


def _refusal_before(scope, unit, name: str) -> str | None:
    """Why the workbook may not even be checked against the database for this user and unit.

    The check compares the workbook's references with the unit it names, so a workbook of another unit would
    tell whether a person exists there; and for sensitive rows, "unchanged" would tell that a record exists.
    Problems of the workbook itself are left to the import, which lists them all."""
    with open_workbook(_pending_workbook(name)) as book:
        first = next(book.rows("单位"), None)
        named = first.values.get("单位名称") if first else None
        if named is not None and named != unit.name:
            return f"工作簿的“单位”表写的是“{named}”，不是本单位“{unit.name}”，不能导入到本单位"
        sensitive = _hidden_sheets(scope, book)
    if sensitive:
        return f"工作簿含有敏感记录（{'、'.join(sensitive)}），您的角色不能导入，请交纪检监察组导入"
    return None


def _refusal_after(scope, unit, result) -> str | None:
    """The sheets whose rows the import would add, change or delete although this user may not write them."""
    denied = [s for s in result.sheets if (s.new or s.updated or s.deleted)
              and not scope.may_write(SHEETS_BY_NAME[s.sheet].model, unit.id)]
    if not denied:
        return None
    parts = "；".join(f"{s.sheet}（{_counts(s)}）" for s in denied)
    return f"您的角色不能修改工作簿中的：{parts}。请删去这些行（或改回系统中的内容），或交有权限的角色处理"


def _counts(stats) -> str:
    counts = (("新增", stats.new), ("修改", stats.updated), ("删除", stats.deleted))
    return "，".join(f"{label} {n} 条" for label, n in counts if n)


def _import(scope: Scope, unit: Unit, name: str, *, replace: bool, dry_run: bool, actor: str) -> ImportResult:
    """Import the workbook as far as this user may: refused before it meets the database when it names another
    unit or holds sensitive rows the user may not see, rolled back when it would change what the user may not.
    Raises ImportRefused, WorkbookError or DatabaseError."""
    def approve(result) -> None:
        refusal = _refusal_after(scope, unit, result)
        if refusal:
            raise ImportRefused(refusal)  # rolls the import back

    try:
        refusal = _refusal_before(scope, unit, name)
        if refusal:
            raise ImportRefused(refusal)
        try:
            result = import_workbook(_pending_workbook(name), replace=replace, dry_run=dry_run, actor=actor,
                                     via=VIA_WEB, approve=approve)
        finally:
            release_memory()
    except Exception as exc:  # logged outside the rolled-back transaction, then answered as before
        if not dry_run:
            audit.event(actor, VIA_WEB, AuditEntry.IMPORT, "工作簿", name, unit=unit,
                        outcome=AuditEntry.FAILURE, detail={"替换模式": replace, "原因": str(exc)[:300]})
        raise
    if not dry_run:
        audit.event(actor, VIA_WEB, AuditEntry.IMPORT, "工作簿", name, unit=unit, detail={
            "替换模式": replace, "新增": sum(s.new for s in result.sheets),
            "修改": sum(s.updated for s in result.sheets), "删除": sum(s.deleted for s in result.sheets)})
    return result


def transfer(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    context = {"unit": unit_obj, "section": "transfer", "may_import": scope.may_import(unit),
               "may_export": scope.may_export(unit), "may_replace": scope.may_replace(unit)}
    _discard_pending(request)
    _sweep_pending()
    if request.method == "POST":
        allow(scope.may_import(unit))
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            replace = form.cleaned_data["replace"] and context["may_replace"]
            token = uuid.uuid4().hex
            path = default_storage.save(_pending_name(token), form.cleaned_data["workbook"])
            result = None
            try:
                result = _import(scope, unit_obj, path, replace=replace, dry_run=True, actor=request.user.username)
            except WorkbookError as exc:
                context["problems"] = exc.problems
            except ImportRefused as exc:
                context["refusal"] = str(exc)
            except DatabaseError as exc:
                logger.exception("import preview of %s failed in the database", path)
                context["refusal"] = BUSY_REFUSAL if is_busy(exc) else DATABASE_REFUSAL
            if result is None:
                default_storage.delete(path)
            else:
                request.session["pending_import"] = {"token": token, "unit": unit, "replace": replace,
                                                     "name": form.cleaned_data["workbook"].name}
                context.update(preview=result, filename=form.cleaned_data["workbook"].name)
    else:
        form = WorkbookUploadForm()
    context["form"] = form
    return render(request, "web/transfer.html", context)


@require_POST
def import_confirm(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_import(unit))
    pending = request.session.pop("pending_import", None)
    if not pending or pending["unit"] != unit or pending["token"] != request.POST.get("token"):
        messages.error(request, "没有待确认的导入，请重新上传工作簿")
        return redirect("web:transfer", unit=unit)
    path = _pending_name(pending["token"])
    # the records may have changed since the preview, so everything is checked again
    try:
        result = _import(scope, unit_obj, path, replace=pending["replace"], dry_run=False,
                         actor=request.user.username)
    except WorkbookError as exc:
        messages.error(request, "导入未完成：" + "；".join(str(p) for p in exc.problems[:5]))
        return redirect("web:transfer", unit=unit)
    except ImportRefused as exc:
        messages.error(request, f"导入未完成：{exc}")
        return redirect("web:transfer", unit=unit)
    except DatabaseError as exc:
        logger.exception("import of %s failed in the database", path)
        messages.error(request, f"导入未完成：{BUSY_REFUSAL if is_busy(exc) else DATABASE_REFUSAL}")
        return redirect("web:transfer", unit=unit)
    finally:
        default_storage.delete(path)
    new = sum(s.new for s in result.sheets)
    updated = sum(s.updated for s in result.sheets)
    deleted = sum(s.deleted for s in result.sheets)
    messages.success(request, f"已导入“{pending['name']}”：新增 {new} 条，修改 {updated} 条，删除 {deleted} 条")
    return redirect("web:transfer", unit=unit_obj.id)


def template_download(request: HttpRequest) -> HttpResponse:
    allow(scope_of(request).sees_records)
    return xlsx_download("风清交换格式模板.xlsx", write_template)


def export_download(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_export(unit))
    stamp = timezone.localdate().strftime("%Y%m%d")
    activity(request, AuditEntry.EXPORT, "记录", unit_obj.name, unit_obj, 格式="xlsx", 含敏感记录=True)
    return xlsx_download(f"{unit_obj.short_name}-导出-{stamp}.xlsx", lambda target: export_unit(unit_obj, target))
