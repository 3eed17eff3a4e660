"""Refresh the screenshots in docs/ from the demo, in Debian's Chromium: `.venv/bin/python scripts/screenshots.py`
(every one), or name some: `… scripts/screenshots.py overview dashboard` (docs/screenshot-overview.png …).

Builds the demo in a throwaway data folder, runs `fengqing serve` on a free port, logs in as the demo accounts
and photographs the pages the README and docs/web.md show. Takes about a minute."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENGQING = str(Path(sys.executable).parent / "fengqing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bad_workbook(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "单位"
    ws.append(["单位名称", "单位简称", "党组织名称"])
    ws.append(["河川市水务局", "水务局", "中共河川市水务局党组"])
    study = book.create_sheet("学习")
    study.append(["日期", "类型", "主题"])
    study.append(["2023年2月30日", "党组理论学习中心组", "学习贯彻党的二十大精神"])
    study.append(["2023-03-01", "中心组学习", "专题研讨"])
    study.append(["2023-03-08", "党组理论学习中心组", ""])
    book.save(path)


def main() -> None:
    wanted = set(sys.argv[1:])
    home = Path(tempfile.mkdtemp(prefix="fengqing-shots-"))
    env = {**os.environ, "FENGQING_HOME": str(home)}
    out = subprocess.run([FENGQING, "demo", "--out", str(home / "out")], env=env, check=True,
                         capture_output=True, text=True).stdout
    passwords = dict(re.findall(r"用户名 (\S+)\s+密码 (\S+)", out))
    port = _free_port()
    server = subprocess.Popen([FENGQING, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 800})

            def log_in(username: str) -> None:
                page.context.clear_cookies()
                page.goto(f"{base}/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", passwords[username])
                page.click("button:has-text('登录')")
                page.wait_for_load_state("networkidle")

            def shot(name: str, full: bool = False) -> None:
                if wanted and name.removeprefix("screenshot-").removesuffix(".png") not in wanted:
                    return
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(DOCS / name), full_page=full)

            log_in("lingdao")
            unit = re.search(r"/u/(\d+)/", page.url).group(1)
            page.goto(f"{base}/u/{unit}/?period=2023H1")
            shot("screenshot-dashboard.png", full=True)
            page.goto(f"{base}/u/{unit}/records/person/?status=在职&sort=name")
            shot("screenshot-records.png")
            page.goto(f"{base}/u/{unit}/problems/?size=20")
            shot("screenshot-problems.png")
            page.goto(f"{base}/u/{unit}/report/?period=2023H1")
            shot("screenshot-report.png")
            page.emulate_media(media="print")
            shot("screenshot-report-print.png")
            page.emulate_media(media="screen")

            log_in("tianbao")
            bad = home / "坏工作簿.xlsx"
            _bad_workbook(bad)
            page.goto(f"{base}/u/{unit}/transfer/")
            page.set_input_files("input[name=workbook]", str(bad))
            page.click("button:has-text('上传并预览')")
            shot("screenshot-import-errors.png")

            log_in("jiwei")
            page.goto(f"{base}/overview/?period=2023H1")
            shot("screenshot-overview.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("已更新 docs/ 下的截图")


if __name__ == "__main__":
    main()
