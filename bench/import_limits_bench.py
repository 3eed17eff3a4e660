"""Peak memory of ``fengqing import`` on hostile and huge workbooks, against the same command on a tiny workbook
measured in the same run (the baseline: Python, Django and the libraries).

    .venv/bin/python bench/import_limits_bench.py [--rows 50000]

Each import runs in its own process; its peak resident memory comes from wait4(). Cases: a tiny valid workbook
(baseline); a valid workbook of ROWS rows (bench/import_bench.py's); a sheet of 150,000 rows that are all wrong
(row cap and capped error list); the issue's 1.5 million rows (one 200 MB sheet part); a 300 MB inline string
packed into a few hundred KB (zip bomb). Prints the outcome, seconds, peak MiB and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
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


def measure(path: Path, home: Path) -> tuple[int, float, float, str]:
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env["FENGQING_HOME"] = str(home)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "fengqing.cli", "import", str(path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    lines = (err or out).decode("utf-8", "replace").strip().splitlines()
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, (lines[-1] if lines else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
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


if __name__ == "__main__":
    main()
