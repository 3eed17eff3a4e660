"""Peak memory of ``fengqing import`` on hostile and huge workbooks, against the same command on a tiny workbook
measured in the same run (the baseline: Python, Django and the libraries).

    .venv/bin/python bench/import_limits_bench.py [--rows 50000]

Each import runs in its own process; its peak resident memory comes from wait4(). Cases: a tiny valid workbook
(baseline); a valid workbook of ROWS rows (bench/import_bench.py's); a sheet of 150,000 rows that are all wrong
(row cap and capped error list); the issue's 1.5 million rows (one 200 MB sheet part); a 300 MB inline string
packed into a few hundred KB (zip bomb). Prints the outcome, seconds, peak MiB and the ratio to the baseline.

``--web`` also uploads the cases within the 20 MB upload limit to a running ``fengqing serve`` (one process, as
in production) and reads its resident memory (VmRSS) and peak (VmHWM) from /proc before and after each.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import write_workbook  # noqa: E402

HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"
UNIT = {"单位名称": "基准测试局", "单位简称": "测试局", "党组织名称": "中共基准测试局党组"}


def with_sheet(path: Path, write_xml) -> Path:
    """A workbook with 单位 and a 学习 sheet whose XML is streamed by ``write_xml``."""
    book = Workbook()
    book.active.title = "单位"
    book.active.append(list(UNIT))
    book.active.append(list(UNIT.values()))
    book.create_sheet("学习").append(["日期", "类型", "主题"])
    base = path.with_suffix(".base.xlsx")
    book.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet2.xml":
                with dst.open(item.filename, "w", force_zip64=True) as out:
                    write_xml(out)
            else:
                dst.writestr(item, src.read(item.filename))
    base.unlink()
    return path


def rows_xml(count: int, kind: str):
    def write(out):
        out.write(HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c><c r="B1" t="inlineStr"><is>'
                  '<t>类型</t></is></c><c r="C1" t="inlineStr"><is><t>主题</t></is></c></row>'.encode())
        for n in range(2, count + 2):
            out.write(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2023-01-01</t></is></c><c r="B{n}" '
                      f't="inlineStr"><is><t>{kind}</t></is></c><c r="C{n}" t="inlineStr"><is><t>主题{n}</t></is>'
                      f'</c></row>'.encode())
        out.write(TAIL)
    return write


def bomb(out):
    out.write(HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
    block = b"A" * (1 << 20)
    for _ in range(300):
        out.write(block)
    out.write(b"</t></is></c></row>" + TAIL)


#: runs ``fengqing`` and reports VmHWM, the peak of the process's own memory since exec (wait4's ru_maxrss would
#: also count the bench process it was forked from)
PEAK = ("import re, runpy, sys; sys.argv = ['fengqing'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('fengqing.cli', run_name='__main__')\n"
        "finally:\n    status = open('/proc/self/status').read()\n"
        "    print('PEAK', re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1), file=sys.stderr)")


def measure(path: Path, home: Path) -> tuple[int, float, float, str]:
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env["FENGQING_HOME"] = str(home)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, "import", str(path)], env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    err = done.stderr.strip().splitlines()
    peak = int(err.pop().split()[1]) / 1024
    lines = err or done.stdout.strip().splitlines()
    return done.returncode, seconds, peak, (lines[-1] if lines else "")


MAKE_CLERK = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from fengqing.accounts.models import Assignment
from fengqing.org.models import Unit
unit = Unit.objects.create(name="基准测试局", short_name="测试局", party_org_name="中共基准测试局党组")
user = User.objects.create_user("bench", password="Bench-pass-2024")
Assignment.objects.create(user=user, role="clerk").units.set([unit])
print(unit.pk)
"""


def memory_of(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss, hwm = (int(re.search(rf"^{k}:\s+(\d+) kB", status, re.M).group(1)) / 1024 for k in ("VmRSS", "VmHWM"))
    return rss, hwm


class WebServer:
    """``fengqing serve`` (one process, as in production) on a fresh data folder with a clerk logged in."""

    def __init__(self, home: Path):
        env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
        env.update(FENGQING_HOME=str(home), DJANGO_SETTINGS_MODULE="fengqing.settings")
        unit_id = subprocess.run([sys.executable, "-c", MAKE_CLERK], env=env, capture_output=True, text=True,
                                 check=True).stdout.strip()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen([sys.executable, "-m", "fengqing.cli", "serve", "--port", str(port)],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        for _ in range(200):
            try:
                self.web.open(self.base + "/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        login = urllib.parse.urlencode({"username": "bench", "password": "Bench-pass-2024",
                                        "csrfmiddlewaretoken": self.token()}).encode()
        self.web.open(urllib.request.Request(self.base + "/login/", data=login,
                                             headers={"Referer": self.base + "/login/"}))
        self.page = f"{self.base}/u/{unit_id}/transfer/"
        self.web.open(self.page).read()

    def __enter__(self) -> WebServer:
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def memory(self) -> tuple[float, float]:
        return memory_of(self.process.pid)

    def upload(self, path: Path) -> str:
        """Upload for preview (the import done and rolled back); returns the page."""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{self.token()}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"book.xlsx\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + \
            f"\r\n--{boundary}--\r\n".encode()
        return self.web.open(urllib.request.Request(self.page, data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.page})).read().decode()

    def confirm(self, preview: str) -> str:
        """Confirm the previewed import (the real import); returns the page it leads to."""
        token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token(), "token": token}).encode()
        url = self.page.replace("/transfer/", "/transfer/confirm/")
        return self.web.open(urllib.request.Request(url, data=data, headers={"Referer": self.page})).read().decode()


def web_measure(cases: list[tuple[str, Path]], tmp: Path) -> None:
    with WebServer(tmp / "web") as server:
        idle, _ = server.memory()
        print(f"\n网页服务（fengqing serve，一个进程）：登录后常驻 {idle:.0f} MiB")
        print(f"{'上传的工作簿':<16}{'秒':>8}{'之后常驻 MiB':>13}{'峰值 MiB':>10}  页面")
        for label, path in cases:
            if path.stat().st_size > 20 * 1024 * 1024:
                continue  # refused by the upload form before the server reads it
            start = time.perf_counter()
            html = server.upload(path)
            seconds = time.perf_counter() - start
            rss, hwm = server.memory()
            shown = "预览" if "确认导入" in html else ("错误列表" if "处错误" in html else "提示")
            print(f"{label:<16}{seconds:>8.1f}{rss:>13.0f}{hwm:>10.0f}  {shown}，{len(html) / 1024:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--web", action="store_true", help="also upload them to a running web server")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fengqing-limits-"))
    cases = []
    cases.append(("小工作簿（基线）", with_sheet(tmp / "tiny.xlsx", rows_xml(10, "其他"))))
    big = tmp / "valid.xlsx"
    write_workbook(big, args.rows)
    cases.append((f"有效工作簿 {args.rows:,} 行", big))
    cases.append(("150,000 行全错", with_sheet(tmp / "wrong.xlsx", rows_xml(150_000, "无效"))))
    cases.append(("1,500,000 行", with_sheet(tmp / "huge.xlsx", rows_xml(1_500_000, "其他"))))
    cases.append(("压缩炸弹 300 MB", with_sheet(tmp / "bomb.xlsx", bomb)))
    print(f"{'工作簿':<16}{'文件 MB':>9}{'退出码':>7}{'秒':>8}{'峰值 MiB':>10}{'相对基线':>9}  结果")
    baseline = None
    for n, (label, path) in enumerate(cases):
        code, seconds, peak, last = measure(path, tmp / f"home{n}")
        baseline = baseline or peak
        print(f"{label:<16}{path.stat().st_size / 1e6:>9.1f}{code:>7}{seconds:>8.1f}{peak:>10.0f}"
              f"{peak / baseline:>8.2f}×  {last[:70]}")
    if args.web:
        web_measure(cases, tmp)


if __name__ == "__main__":
    main()
