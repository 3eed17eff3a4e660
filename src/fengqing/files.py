"""Writing files so that a reader sees the old file or the new one, never half of one: the data goes to a
temporary file in the same folder, is flushed to disk and renamed over the target. A full disk, a file-size
limit or a killed process leaves the old file as it was; the error names the file in Chinese."""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator
from typing import BinaryIO

from .errors import FileWriteError

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "超过文件大小限制",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "所在文件夹不存在",
    errno.ENOTDIR: "所在路径不是文件夹",
    errno.EISDIR: "目标是一个文件夹",
    errno.EROFS: "文件系统只读",
}

# read once: os.umask() can only be read by setting it, which would race with other threads later
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


@contextmanager
def atomic_output(path: str | Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file to write; on leaving the block it replaces ``path`` whole, or (on any error) is removed
    and ``path`` is untouched. ``mode`` defaults to the old file's, else what the umask gives a new file."""
    path = Path(path)
    if path.is_dir():
        raise FileWriteError(f"无法写入“{path}”：目标是一个文件夹")
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileWriteError(f"无法写入文件“{path}”：{reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileWriteError(f"无法写入文件“{path}”：{reason(exc)}；原有文件未被改动") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def atomic_write(path: str | Path, data: bytes, mode: int | None = None) -> None:
    with atomic_output(path, mode) as out:
        out.write(data)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not every system lets a folder be opened, which is harmless."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
