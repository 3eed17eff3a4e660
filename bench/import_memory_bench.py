"""Memory of an import against its row count: the command line's peak, and the web server's resident memory
before, during and after an import, at several sizes up to the limits.

    .venv/bin/python bench/import_memory_bench.py [--rows 10000,50000,200000,400000] [--no-web | --no-cli]

Workbooks are bench/import_bench.py's (six registers, 150 people); 400,000 rows is the largest of that shape
within the limits (谈话 reaches 100,000 rows; 1.7 M cells, 9 MB, under the 20 MB upload limit). For each size:
``fengqing import`` into a fresh SQLite database, then the same workbook again (every row matched against the
stored ones), each in its own process, peak = VmHWM. Then one ``fengqing serve`` process receives each workbook
(preview: the whole import done and rolled back) and the import is confirmed (the real import); its VmRSS is
read after login, after each request, and its VmHWM (peak since start). Prints per-row growth between sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import write_workbook  # noqa: E402
from import_limits_bench import WebServer, measure  # noqa: E402


def cli_peak(path: Path, home: Path) -> tuple[float, float, str]:
    """(seconds, peak MiB, last line) of ``fengqing import`` in its own process."""
    code, seconds, peak, last = measure(path, home)
    if code:
        raise SystemExit(f"import failed: {last}")
    return seconds, peak, last


def per_row(sizes: list[int], peaks: list[float]) -> str:
    """Growth between the smallest and the largest size, in bytes per row."""
    if len(sizes) < 2:
        return "—"
    return f"{(peaks[-1] - peaks[0]) * 1024 * 1024 / (sizes[-1] - sizes[0]):.0f} 字节/行"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="10000,50000,200000,400000")
    parser.add_argument("--no-web", action="store_true", help="only the command line")
    parser.add_argument("--no-cli", action="store_true", help="only the web server")
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="fengqing-memory-"))
    books = {}
    for n in sizes:
        books[n] = tmp / f"rows{n}.xlsx"
        write_workbook(books[n], n)
    print(f"负载：{os.getloadavg()[0]:.1f}（1 分钟平均，2 核）")
    print(f"{'行数':>8}{'文件 MB':>9}{'首次导入 秒':>12}{'峰值 MiB':>10}{'再次导入 秒':>12}{'峰值 MiB':>10}")
    first, again = [], []
    for n in sizes if not args.no_cli else []:
        home = tmp / f"cli{n}"
        s1, p1, _ = cli_peak(books[n], home)
        s2, p2, _ = cli_peak(books[n], home)  # every row now matches a stored one
        first.append(p1)
        again.append(p2)
        print(f"{n:>8}{books[n].stat().st_size / 1e6:>9.1f}{s1:>12.1f}{p1:>10.0f}{s2:>12.1f}{p2:>10.0f}")
    if first:
        print(f"随行数增长：首次导入 {per_row(sizes, first)}，再次导入 {per_row(sizes, again)}")
    if args.no_web:
        return
    with WebServer(tmp / "web") as server:
        idle, _ = server.memory()
        print(f"\n网页服务（fengqing serve，一个进程，SQLite）：登录后常驻 {idle:.0f} MiB")
        print(f"{'行数':>8}{'预览 秒':>9}{'之后常驻':>10}{'确认 秒':>9}{'之后常驻':>10}{'峰值(累计)':>12}  MiB")
        for n in sizes:
            start = time.perf_counter()
            preview = server.upload(books[n])
            s1 = time.perf_counter() - start
            if "确认导入" not in preview:
                raise SystemExit(f"no preview for {n} rows")
            rss1, _ = server.memory()
            start = time.perf_counter()
            server.confirm(preview)
            s2 = time.perf_counter() - start
            rss2, hwm = server.memory()
            print(f"{n:>8}{s1:>9.1f}{rss1:>10.0f}{s2:>9.1f}{rss2:>10.0f}{hwm:>12.0f}")


if __name__ == "__main__":
    main()
