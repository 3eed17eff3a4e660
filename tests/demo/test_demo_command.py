"""``fengqing demo``: builds, creates the output folder, says what it built and where the database is."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from fengqing.org.models import Unit


@pytest.mark.django_db(transaction=True)
def test_command_builds_and_reports(tmp_path):
    out = io.StringIO()
    call_command("demo", out=str(tmp_path / "out"), stdout=out)
    text = out.getvalue()
    assert (tmp_path / "out").is_dir()
    assert set(Unit.objects.values_list("name", flat=True)) == {"河川市水务局", "河川市林业局", "河川市档案馆"}
    for name in ("河川市水务局（水务局）", "河川市林业局（林业局）", "河川市档案馆（档案馆）"):
        assert name in text
    assert "机构 20，" in text  # the bureau's departments
    assert "数据库：" in text and f"输出目录：{tmp_path / 'out'}" in text


@pytest.mark.django_db(transaction=True)
def test_command_writes_the_report_ranking_and_working_accounts(tmp_path):
    import json
    import re

    from django.contrib.auth import authenticate

    out = io.StringIO()
    call_command("demo", out=str(tmp_path / "out"), stdout=out)
    text = out.getvalue()
    stem = tmp_path / "out" / "水务局-2023H1-政治生态分析研判报告"
    for suffix in ("docx", "pdf", "html", "md", "json"):
        path = stem.with_suffix("." + suffix)
        assert path.stat().st_size > 1000 and str(path) in text
    report = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["title"] == "中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告"
    assert report["assessment"]["grade"] == "好"  # docs/demo.md: the bureau scores about 95
    assert list((tmp_path / "out").glob("*脱敏*.docx"))
    ranking = [line.split()[1] for line in text.splitlines() if re.match(r"^\s+[123]\s+河川市", line)]
    assert set(ranking) == {"河川市档案馆", "河川市林业局", "河川市水务局"} and len(ranking) == 3
    accounts = re.findall(r"用户名 (\S+)\s+密码 (\S+)", text)
    assert len(accounts) == 7
    for username, password in accounts:
        assert authenticate(username=username, password=password) is not None, username


def test_command_works_on_an_empty_data_folder(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("FENGQING_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["FENGQING_HOME"] = str(home)
    run = subprocess.run([sys.executable, "-m", "fengqing.cli", "demo", "--out", str(tmp_path / "out")],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    database = home / "fengqing.sqlite3"
    assert database.exists()
    assert f"数据库：{database}" in run.stdout
    assert "河川市档案馆（档案馆）" in run.stdout
    assert Path(tmp_path / "out").is_dir()


def test_demo_refuses_a_database_with_real_units_and_changes_nothing(db, tmp_path, capsys):
    from tests.factories import unit

    unit("河川市财政局", "财政局")
    with pytest.raises(SystemExit) as exc:
        call_command("demo", out=str(tmp_path / "out"))
    assert exc.value.code == 2 and "不是演示生成的单位（河川市财政局" in capsys.readouterr().err
    assert list(Unit.objects.values_list("name", flat=True)) == ["河川市财政局"]


def test_demo_never_changes_an_account_it_did_not_make(db, tmp_path, capsys):
    from django.contrib.auth.models import User

    real = User.objects.create_user("xitong", password="Hx7-river-mouth")  # a real sysadmin's name
    with pytest.raises(SystemExit):
        call_command("demo", out=str(tmp_path / "out"))
    assert "非演示账号" in capsys.readouterr().err
    real.refresh_from_db()
    assert real.check_password("Hx7-river-mouth") and not Unit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_demo_is_audited_with_the_operating_system_user(tmp_path):
    from fengqing.accounts.models import AuditEntry

    call_command("demo", out=str(tmp_path / "out"), stdout=io.StringIO())
    e = AuditEntry.objects.get(action="生成演示数据")
    assert e.actor.startswith("命令行") and len(e.after["演示账号"]) == 7
