import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from fengqing.errors import ConfigError
from fengqing.settings import database_from_url


def test_postgresql_url():
    db = database_from_url("postgresql://fq:p%40ss@db.example:5433/fengqing")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == \
        ("fq", "p@ss", "db.example", "5433", "fengqing")
    assert database_from_url("postgres://u@h/n")["ENGINE"] == "django.db.backends.postgresql"


def test_sqlite_url():
    db = database_from_url("sqlite:////var/lib/fengqing/db.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3" and db["NAME"] == "/var/lib/fengqing/db.sqlite3"


def test_unknown_scheme_is_a_chinese_error():
    with pytest.raises(ConfigError, match="不受支持"):
        database_from_url("mysql://u@h/n")


def settings_of(tmp_path, code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FENGQING_")}
    clean.update(FENGQING_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="fengqing.settings", **env)
    proc = subprocess.run([sys.executable, "-c", f"from django.conf import settings as s; print({code})"],
                          capture_output=True, text=True, env=clean, check=True)
    return proc.stdout.strip()


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_of(tmp_path, "s.DEBUG") == "False"
    assert settings_of(tmp_path, "s.DEBUG", FENGQING_DEBUG="1") == "True"


def test_home_holds_the_sqlite_file_and_a_private_secret_key(tmp_path):
    assert settings_of(tmp_path, "s.DATABASES['default']['NAME']") == str(tmp_path / "fengqing.sqlite3")
    key = tmp_path / "secret.key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    assert settings_of(tmp_path, "s.SECRET_KEY") == key.read_text()  # stable across runs


def test_bad_database_url_is_one_line_not_a_traceback(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FENGQING_")}
    proc = subprocess.run([sys.executable, "-m", "fengqing.cli", "check"], capture_output=True, text=True,
                          env={**clean, "FENGQING_HOME": str(tmp_path), "FENGQING_DATABASE_URL": "mysql://x/y"})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "不受支持" in proc.stderr


@pytest.mark.django_db
def test_migrations_are_committed():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FENGQING_")}
    proc = subprocess.run([sys.executable, "-m", "fengqing.cli", "export", "--unit", "水务局", str(tmp_path / "x.xlsx")],
                          capture_output=True, text=True, timeout=60,
                          env={**clean, "FENGQING_HOME": str(tmp_path),
                               "FENGQING_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("错误：数据库出错")
