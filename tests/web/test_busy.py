"""A request that needs the database while another process holds its write lock gets the Chinese 503 page
after a bounded wait, not a 500; once the lock is gone the same request succeeds. Runs the real server."""

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

MAKE_USER = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from fengqing.accounts.models import Assignment
user = User.objects.create_user("clerk1", password="Zz9!busy-pass")
from fengqing.org.models import Unit
unit = Unit.objects.create(name="河川市水务局", short_name="水务局", party_org_name="中共河川市水务局党组")
Assignment.objects.create(user=user, role="clerk").units.set([unit])
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_locked_database_gives_503_then_works(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env.update(FENGQING_HOME=str(tmp_path / "home"), FENGQING_BUSY_TIMEOUT="1",
               DJANGO_SETTINGS_MODULE="fengqing.settings")
    subprocess.run([sys.executable, "-c", MAKE_USER], env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fengqing.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                opener.open(base + "/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.3)

        def form():
            token = next(c.value for c in jar if c.name == "csrftoken")
            return urllib.parse.urlencode({"username": "clerk1", "password": "Zz9!busy-pass",
                                           "csrfmiddlewaretoken": token}).encode()

        holder = sqlite3.connect(tmp_path / "home" / "fengqing.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # what a long import holds
        started = time.monotonic()
        try:
            opener.open(urllib.request.Request(base + "/login/", data=form(), headers={"Referer": base + "/login/"}),
                        timeout=60)
            raise AssertionError("the log-in went through while the database was locked")
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8")
            assert exc.code == 503 and "系统正忙" in body and exc.headers["Retry-After"] == "30"
        assert time.monotonic() - started < 30  # a bounded wait, not a hang
        holder.execute("ROLLBACK")
        holder.close()

        opener.open(base + "/login/", timeout=30)  # a fresh form, as a user would reload it
        done = opener.open(urllib.request.Request(base + "/login/", data=form(), headers={"Referer": base + "/login/"}),
                           timeout=60)
        assert done.status == 200 and "/login/" not in done.url  # logged in, on the unit's dashboard
    finally:
        server.terminate()
        server.wait(timeout=30)
