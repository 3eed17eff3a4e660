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
