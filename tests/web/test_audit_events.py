"""Every import, export and download is in the audit log with unit, period, format and sensitivity, from the web
and from the command line (with the operating-system user); the auditor's page masks sensitive values."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry, Role
from fengqing.ledger.models import Talk
from fengqing.web.models import Evidence
from tests.web.test_transfer_report import UNIT_ROW, _xlsx


def _one(action, **kw) -> AuditEntry:
    return AuditEntry.objects.get(action=action, **kw)


def test_web_import_export_and_downloads_are_audited(world, login):
    own = world["own"]
    c = login(world, Role.DISCIPLINE)
    assert c.get(reverse("web:export", args=[own.id])).status_code == 200
    e = _one("导出")
    assert (e.actor, e.role, e.unit_name, e.after) == ("discipline", "纪检监察组", own.name,
                                                      {"格式": "xlsx", "含敏感记录": True})
    assert c.get(reverse("web:report_download", args=[own.id, "md"]) + "?period=2023H1&redact=1").status_code == 200
    d = _one("下载", model="研判报告")
    assert d.after == {"期间": "2023H1", "格式": "md", "脱敏": True, "含敏感内容": False}
    ev = Evidence.objects.get(measure__problem__unit=own)
    assert c.get(reverse("web:evidence", args=[own.id, ev.pk])).status_code == 200
    assert _one("下载", model="整改佐证").after == {"文件名": "记录.pdf"}

    c = login(world, Role.CLERK)
    book = _xlsx({"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", "新的学习"]]})
    c.post(reverse("web:transfer", args=[own.id]), {"workbook": book})
    c.post(reverse("web:import_confirm", args=[own.id]), {"token": c.session["pending_import"]["token"]})
    i = _one("导入", outcome="成功")
    assert (i.actor, i.unit_name, i.after["新增"], i.after["替换模式"]) == ("clerk", own.name, 1, False)


def test_command_line_actions_are_audited_with_the_os_user(world, tmp_path):
    own = world["own"]
    call_command("export", str(tmp_path / "w.xlsx"), unit="水务局", stdout=io.StringIO())
    call_command("import", str(tmp_path / "w.xlsx"), stdout=io.StringIO())
    call_command("report", unit="水务局", period="2023H1", format="md", out=str(tmp_path), stdout=io.StringIO())
    text = tmp_path / "t.txt"
    text.write_text("班子带头落实谈话制度。", encoding="utf-8")
    call_command("narrative", unit="水务局", period="2023H1", section="纪律作风", file=str(text),
                 stdout=io.StringIO())
    entries = {e.action: e for e in AuditEntry.objects.filter(via="命令行")}
    assert set(entries) >= {"导出", "导入", "生成报告", "新增"}
    assert all(e.actor.startswith("命令行（") for e in entries.values())
    assert entries["生成报告"].after["格式"] == "md" and entries["生成报告"].unit_name == own.name
    assert entries["新增"].model == "报告文字" and entries["新增"].after["text"] == "班子带头落实谈话制度。"


def test_the_auditor_sees_sensitive_values_masked_and_exports(world, login):
    own = world["own"]
    secret = Talk.objects.get(unit=own, kind="诫勉谈话")
    audit.record("discipline", "网页", [audit.Change(AuditEntry.UPDATE, secret, audit.snapshot(secret),
                                                    {**audit.snapshot(secret), "reason": "新的敏感事由"})])
    c = login(world, Role.AUDITOR)
    page = c.get(reverse("web:audit") + "?action=修改").content.decode()
    assert "敏感事由" not in page and "新的敏感事由" not in page and "＊＊＊" in page and "已遮蔽" in page
    response = c.get(reverse("web:audit_export"))
    assert response["Cache-Control"] == "no-store"
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [str(v) for row in ws.iter_rows(values_only=True) for v in row]
    assert not any("敏感事由" in v for v in values) and ws.cell(1, 3).value == "账号"
    assert _one("导出", model="审计日志").actor == "auditor"


def test_overview_and_all_unit_reports_from_the_command_line_are_audited(world, tmp_path):
    call_command("report", overview=True, period="2023H1", format="md", out=str(tmp_path), stdout=io.StringIO())
    call_command("report", all_units=True, period="2023H1", format="md", out=str(tmp_path / "all"),
                 stdout=io.StringIO())
    overview = AuditEntry.objects.get(action="生成报告", model="综合研判报告")
    assert overview.unit_name == "" and overview.after["格式"] == "md"
    batch = AuditEntry.objects.get(action="生成报告", model="研判报告")
    assert batch.after["单位数"] == 2 and batch.after["失败"] == []
