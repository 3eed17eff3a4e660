"""Bounded imports: a zip bomb, a huge sheet and a malformed sheet are refused with Chinese lines, the error
list is capped, and the importing process stays under a memory ceiling (measured on the real child process)."""

import os
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from openpyxl import Workbook

from .helpers import VALID

CEILING_KB = 500 * 1024  # 500 MB




def peak_of(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env["FENGQING_HOME"] = str(tmp_path / "home")
    # VmHWM, the peak of this process's own memory since exec (getrusage would also count the pytest process
    # it was forked from)
    code = ("import re, runpy, sys; sys.argv = ['fengqing'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('fengqing.cli', run_name='__main__')\n"
            "finally:\n    status = open('/proc/self/status').read()\n"
            "    print('PEAK', re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=900)
    lines = done.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1])
    return done.returncode, done.stdout, "\n".join(lines[:-1]), peak


def with_sheet_xml(path: Path, sheet: str, write_xml) -> Path:
    """A copy of an openpyxl workbook whose sheet ``sheet`` is replaced by XML streamed from ``write_xml``."""
    base = path.with_suffix(".base.xlsx")
    book = Workbook()
    book.active.title = "单位"
    for row in ([*VALID["单位"][0]], list(VALID["单位"][0].values())):
        book.active.append(row)
    book.create_sheet(sheet).append(["x"])
    book.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet2.xml":
                with dst.open(item.filename, "w", force_zip64=True) as out:
                    write_xml(out)
            else:
                dst.writestr(item, src.read(item.filename))
    return path


HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"


def test_zip_bomb_refused_before_unpacking(tmp_path):
    def bomb(out):  # one inline string of 300 MB of "A": about 300 KB packed
        out.write(HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        block = b"A" * (1 << 20)
        for _ in range(300):
            out.write(block)
        out.write(b"</t></is></c></row>" + TAIL)

    path = with_sheet_xml(tmp_path / "bomb.xlsx", "学习", bomb)
    assert path.stat().st_size < 2 * 1024 * 1024
    code, _, err, peak = peak_of(tmp_path, "import", str(path))
    assert code == 2 and "Traceback" not in err
    assert err.startswith("错误：工作簿：工作簿解压后共 300 MB，超过上限 256 MB"), err
    assert peak < CEILING_KB


def test_high_compression_ratio_refused(tmp_path):
    def dense(out):  # 20 MB of one repeated row: far beyond any real sheet's ratio
        out.write(HEAD)
        row = b'<row><c t="inlineStr"><is><t>' + b"B" * 1000 + b"</t></is></c></row>"
        for _ in range(20_000):
            out.write(row)
        out.write(TAIL)

    code, _, err, _ = peak_of(tmp_path, "import", str(with_sheet_xml(tmp_path / "dense.xlsx", "学习", dense)))
    assert code == 2 and "压缩比异常" in err and "疑似压缩炸弹" in err


def test_huge_sheet_rows_capped_errors_capped_memory_bounded(tmp_path):
    rows = 150_000

    def huge(out):  # every row has a 类型 that is not one of the choices
        out.write(HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\x97\xa5\xe6\x9c\x9f</t></is></c>'
                  b'<c r="B1" t="inlineStr"><is><t>\xe7\xb1\xbb\xe5\x9e\x8b</t></is></c>'
                  b'<c r="C1" t="inlineStr"><is><t>\xe4\xb8\xbb\xe9\xa2\x98</t></is></c></row>')
        for n in range(2, rows + 2):
            out.write(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2023-01-01</t></is></c>'
                      f'<c r="B{n}" t="inlineStr"><is><t>无效</t></is></c>'
                      f'<c r="C{n}" t="inlineStr"><is><t>主题{n}</t></is></c></row>'.encode())
        out.write(TAIL)

    path = with_sheet_xml(tmp_path / "huge.xlsx", "学习", huge)
    code, _, err, peak = peak_of(tmp_path, "import", str(path))
    lines = err.splitlines()
    assert code == 2 and "Traceback" not in err
    # 100,000 rows read, each with one bad 类型, then the row limit itself: 100,001 problems, 200 listed
    assert len(lines) == 201
    assert lines[-1] == "错误：工作簿：共发现 100001 个问题，以上列出前 200 个；请改正后重新导入"
    assert lines[0].startswith("错误：工作表“学习”第2行“类型”列（值：无效）：不是可选值之一")
    assert peak < CEILING_KB


@pytest.mark.parametrize("xml, line", [
    # broken before the sheet's size is known: found when the workbook is opened
    (HEAD + b'<row r="1"><c r="A1"', "错误：工作簿：无法读取：工作簿中的 XML 格式有误（文件已损坏）"),
    # broken after it: found while the rows are read, and the sheet is named
    (HEAD.replace(b"<sheetData>", b'<dimension ref="A1:C2"/><sheetData>')
     + '<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c><c r="B1" t="inlineStr"><is><t>类型</t></is></c>'
       '<c r="C1" t="inlineStr"><is><t>主题</t></is></c></row><row r="2"><c'.encode(),
     "错误：工作表“学习”：工作表内容已损坏，无法读取（XML 格式有误）"),
])
def test_malformed_sheet_is_one_chinese_line(tmp_path, xml, line):
    path = with_sheet_xml(tmp_path / "bad.xlsx", "学习", lambda out: out.write(xml))
    code, _, err, _ = peak_of(tmp_path, "import", str(path))
    assert code == 2 and err.strip() == line, err


def test_memory_does_not_grow_with_the_row_count(tmp_path):
    """Rows are streamed and written in batches: 40,000 more rows cost no more memory than the run-to-run noise
    of the peak (seen up to 5 MiB: the allocator and SQLite's cache grow in steps), where parsed rows held for
    the whole import took about 0.6 KiB each: some 24 MB here."""
    def book(rows: int) -> Path:
        folder = tmp_path / str(rows)
        folder.mkdir()
        wb = Workbook(write_only=True)
        unit = wb.create_sheet("单位")
        unit.append(list(VALID["单位"][0]))
        unit.append(list(VALID["单位"][0].values()))
        study = wb.create_sheet("学习")
        study.append(["日期", "类型", "主题", "参加人数"])
        for n in range(rows):
            study.append([date(2022, 1, 1) + timedelta(days=n % 500), "党支部集中学习", f"专题学习{n % 100}", 10])
        wb.save(folder / "book.xlsx")
        return folder

    peaks = {}
    for rows in (2_000, 42_000):
        folder = book(rows)
        code, out, err, peaks[rows] = peak_of(folder, "import", str(folder / "book.xlsx"))
        assert code == 0, err
        assert f"学习      \t{rows}\t0\t0" in out
    assert peaks[42_000] - peaks[2_000] < 10 * 1024, peaks  # KiB
