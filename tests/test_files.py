"""Atomic file writes: the old file survives a failed write (an exception, a file-size limit)."""

import subprocess
import sys

import pytest

from fengqing.errors import FileWriteError
from fengqing.files import atomic_output, atomic_write


def test_an_error_while_writing_leaves_the_old_file(tmp_path):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write(b"half of the new")
            raise RuntimeError("killed")
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]
    atomic_write(target, b"new report")
    assert target.read_bytes() == b"new report"


def test_missing_folder_is_named_in_chinese(tmp_path):
    with pytest.raises(FileWriteError, match="无此目录.*所在文件夹不存在"):
        atomic_write(tmp_path / "无此目录" / "x.xlsx", b"x")


WRITE_UNDER_LIMIT = """
import resource, sys
from fengqing.errors import FileWriteError
from fengqing.files import atomic_write
resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))
try:
    atomic_write(sys.argv[1], b"new" * 10000)
except FileWriteError as exc:
    print(exc.message)
"""


def test_file_size_limit_leaves_the_old_file(tmp_path):
    """A real limit on file size (as a full disk would) in a process of its own: the write fails with the file
    named, the old file is intact and no temporary file is left."""
    target = tmp_path / "导出.xlsx"
    target.write_bytes(b"the good old export")
    result = subprocess.run([sys.executable, "-c", WRITE_UNDER_LIMIT, str(target)], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == f"无法写入文件“{target}”：超过文件大小限制；原有文件未被改动", result.stderr
    assert target.read_bytes() == b"the good old export"
    assert [p.name for p in tmp_path.iterdir()] == ["导出.xlsx"]
