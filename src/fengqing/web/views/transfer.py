"""导入导出: upload a workbook, preview what it would change (or every problem in it), confirm; download the
blank template and the unit's export."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ... import choices as C
from ...errors import WorkbookError
from ...workbook.exporter import export_unit
from ...workbook.importer import import_workbook
from ...workbook.reader import read_workbook
from ...workbook.template import write_template
from ..forms import WorkbookUploadForm
from .base import VIA_WEB, allow, scope_of, unit_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENSITIVE_SHEETS = ("四种形态", "信访举报")


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _xlsx(filename: str, write) -> HttpResponse:
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _foreign_unit(unit, path: Path) -> str | None:
    """Refuses a workbook naming another unit before the import checks its references against that unit,
    which would tell whether, say, a person exists there."""
    rows = read_workbook(str(path)).sheets.get("单位", [])
    name = rows[0].values.get("单位名称") if rows else None
    if name is not None and name != unit.name:
        return f"工作簿的“单位”表写的是“{name}”，不是本单位“{unit.name}”，不能导入到本单位"
    return None


def _refusal(scope, path: Path, result) -> str | None:
    """Why this user may not apply this workbook, or None."""
    if scope.sees_sensitive:
        return None
    touched = [s.sheet for s in result.sheets if s.sheet in SENSITIVE_SHEETS and (s.new or s.updated or s.deleted)]
    talks = read_workbook(str(path)).sheets.get("谈话", [])
    if any(r.values.get("类型") in C.SENSITIVE_TALK_KINDS for r in talks):
        touched.append("谈话（提醒谈话、诫勉谈话等）")
    if touched:
        return f"工作簿含有敏感记录（{'、'.join(touched)}），您的角色不能导入，请交纪检监察组导入"
    return None


def transfer(request, unit):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    context = {"unit": unit_obj, "section": "transfer", "may_import": scope.may_import(unit),
               "may_export": scope.may_export(unit), "may_replace": scope.may_import(unit) and scope.sees_sensitive}
    if request.method == "POST":
        allow(scope.may_import(unit))
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            replace = form.cleaned_data["replace"] and context["may_replace"]
            token = uuid.uuid4().hex
            path = _pending_dir() / f"{token}.xlsx"
            with path.open("wb") as out:
                for chunk in form.cleaned_data["workbook"].chunks():
                    out.write(chunk)
            try:
                refusal = _foreign_unit(unit_obj, path)
                result = None if refusal else import_workbook(str(path), replace=replace, dry_run=True,
                                                              actor=request.user.username, via=VIA_WEB)
            except WorkbookError as exc:
                path.unlink(missing_ok=True)
                context["problems"] = exc.problems
            else:
                refusal = refusal or _refusal(scope, path, result)
                if refusal:
                    path.unlink(missing_ok=True)
                    context["refusal"] = refusal
                else:
                    request.session["pending_import"] = {"token": token, "unit": unit, "replace": replace,
                                                         "name": form.cleaned_data["workbook"].name}
                    context.update(preview=result, filename=form.cleaned_data["workbook"].name)
    else:
        form = WorkbookUploadForm()
    context["form"] = form
    return render(request, "web/transfer.html", context)


@require_POST
def import_confirm(request, unit):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_import(unit))
    pending = request.session.pop("pending_import", None)
    if not pending or pending["unit"] != unit or pending["token"] != request.POST.get("token"):
        messages.error(request, "没有待确认的导入，请重新上传工作簿")
        return redirect("web:transfer", unit=unit)
    path = _pending_dir() / f"{pending['token']}.xlsx"
    try:
        result = import_workbook(str(path), replace=pending["replace"], actor=request.user.username, via=VIA_WEB)
    except WorkbookError as exc:  # the data changed between preview and confirmation
        messages.error(request, "导入未完成：" + "；".join(str(p) for p in exc.problems[:5]))
        return redirect("web:transfer", unit=unit)
    finally:
        path.unlink(missing_ok=True)
    new = sum(s.new for s in result.sheets)
    updated = sum(s.updated for s in result.sheets)
    deleted = sum(s.deleted for s in result.sheets)
    messages.success(request, f"已导入“{pending['name']}”：新增 {new} 条，修改 {updated} 条，删除 {deleted} 条")
    return redirect("web:transfer", unit=unit_obj.id)


def template_download(request):
    allow(scope_of(request).sees_records)
    return _xlsx("风清交换格式模板.xlsx", write_template)


def export_download(request, unit):
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_export(unit))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(f"{unit_obj.short_name}-导出-{stamp}.xlsx", lambda target: export_unit(unit_obj, target))
