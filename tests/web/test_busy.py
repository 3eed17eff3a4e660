"""Busy, not broken (issue 10, item 7), on the real server: while another process holds what a long import holds
(SQLite's write lock on the main database; on PostgreSQL the audit chain's head, locked until the import
commits), a log-in succeeds without waiting for it, the page after it opens, and log-out works; a request that
must write to the main database gets the Chinese 503 page after a bounded wait, not a 500. Once the lock is
gone, the log-in's audit entries are in the chain (which verifies) and last_login is set."""

import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.backup.test_backup_postgresql import URL, databases  # noqa: F401  (the fixture)

MAKE_USER = """
import django; django.setup()
from fengqing.commands import ensure_migrated
ensure_migrated()
from django.contrib.auth.models import User
from fengqing.accounts.models import Assignment
user = User.objects.create_user("clerk1", password="Zz9!busy-pass")
from fengqing.org.models import Unit
unit = Unit.objects.create(name="河川市水务局", short_name="水务局", party_org_name="中共河川市水务局党组")
Assignment.objects.create(user=user, role="clerk").units.set([unit])
"""

CHAINED = """
import django; django.setup()
from django.contrib.auth.models import User
from fengqing.accounts.models import AuditEntry, PendingEntry
logins = AuditEntry.objects.filter(actor="clerk1", action__in=["登录", "退出"], ref__isnull=False)
print(sorted(logins.values_list("action", flat=True)), PendingEntry.objects.count(),
      User.objects.get(username="clerk1").last_login is not None)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path, timeout=60):
        return self.opener.open(self.base + path, timeout=timeout)

    def post(self, path, fields, timeout=60):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.opener.open(urllib.request.Request(self.base + path, data=data,
                                                       headers={"Referer": self.base + path}), timeout=timeout)

    def log_in(self):
        self.get("/login/")
        return self.post("/login/", {"username": "clerk1", "password": "Zz9!busy-pass"})


def hold_sqlite(env):
    holder = sqlite3.connect(os.path.join(env["FENGQING_HOME"], "fengqing.sqlite3"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long import holds it
    return holder


def hold_postgresql(env):
    import psycopg

    holder = psycopg.connect(env["FENGQING_DATABASE_URL"])
    holder.execute("SELECT hash FROM accounts_chainhead WHERE id = 1 FOR UPDATE")  # as an import holds it
    return holder


def run_server(env):
    subprocess.run([sys.executable, "-c", MAKE_USER], env=env, check=True, timeout=180)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fengqing.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    browser = Browser(f"http://127.0.0.1:{port}")
    for _ in range(100):
        try:
            browser.get("/login/", timeout=5)
            return server, browser
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


def log_in_while_held(env, hold):
    server, browser = run_server(env)
    try:
        holder = hold(env)
        try:
            done = browser.log_in()
            # logged in, on the unit's dashboard, while the lock is still held: the log-in did not wait for it
            assert done.status == 200 and "/login/" not in done.url
            assert "水务局" in done.read().decode("utf-8")
            # a change to the records or the log must wait for the lock: bounded, then 503 系统正忙
            started = time.monotonic()
            with pytest.raises(urllib.error.HTTPError) as busy:
                browser.post("/account/password/", {"old_password": "wrong", "new_password1": "x",
                                                    "new_password2": "x"})
            assert busy.value.code == 503 and "系统正忙" in busy.value.read().decode("utf-8")
            assert time.monotonic() - started < 30
            # log-out needs no main-database write either: the session ends on the server
            out = browser.post("/logout/", {})
            assert out.status == 200 and "/login/" in out.url
            assert not any(c.name == "sessionid" for c in browser.jar)
        finally:
            holder.rollback() if hasattr(holder, "rollback") else None
            holder.close()
        # the lock gone, the audit verifies with the log-in and log-out chained (verify chains what waits)
        verified = subprocess.run([sys.executable, "-m", "fengqing.cli", "audit", "verify"], env=env,
                                  capture_output=True, text=True, timeout=120)
        assert verified.returncode == 0 and "完整" in verified.stdout, verified.stdout + verified.stderr
        chained = subprocess.run([sys.executable, "-c", CHAINED], env=env, capture_output=True, text=True,
                                 timeout=120)
        assert chained.stdout.split() == ["['登录',", "'退出']", "0", "True"], chained.stdout + chained.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_log_in_while_an_import_holds_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env.update(FENGQING_HOME=str(tmp_path / "home"), FENGQING_BUSY_TIMEOUT="1",
               DJANGO_SETTINGS_MODULE="fengqing.settings")
    log_in_while_held(env, hold_sqlite)


@pytest.mark.skipif(not URL.startswith("postgres"), reason="PostgreSQL only (FENGQING_DATABASE_URL)")
def test_log_in_while_an_import_holds_the_chain_on_postgresql(tmp_path, databases):  # noqa: F811
    env = {**os.environ, "FENGQING_HOME": str(tmp_path / "home"), "FENGQING_DATABASE_URL": databases[0],
           "FENGQING_BUSY_TIMEOUT": "1", "DJANGO_SETTINGS_MODULE": "fengqing.settings"}
    log_in_while_held(env, hold_postgresql)
