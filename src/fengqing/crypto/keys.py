"""The data keys, kept outside the database: ``FENGQING_DATA_KEY`` (base64 SM4 keys, comma-separated, the
current one first) or the key file ``FENGQING_HOME/keys/data.key`` (mode 0600 in a 0700 folder; one key a line,
``<id> <base64>``, the current one first). Retired keys stay in the ring to read what was sealed with them:
the audit log is immutable and keeps sealed snapshots, so they can never be re-encrypted."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings

from ..errors import CryptoError

KEY_BYTES = 16  # SM4 is a 128-bit block cipher with a 128-bit key
ENV = "FENGQING_DATA_KEY"


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # id → key, the current key first
    source: str  # where the keys came from, for messages

    @property
    def current_id(self) -> str:
        return next(iter(self.keys))

    def get(self, kid: str) -> bytes:
        try:
            return self.keys[kid]
        except KeyError:
            raise CryptoError(f"缺少密钥 {kid}：数据由该密钥加密，但{self.source}中没有它。数据未被改动，"
                              f"请恢复原来的密钥文件（或环境变量 {ENV}）后重试") from None


def key_id(key: bytes) -> str:
    """Eight hex digits of the key's SM3 digest: names a key without revealing it."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(key)
    return digest.finalize().hex()[:8]


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_dir() -> Path:
    return Path(settings.HOME) / "keys"


def key_file() -> Path:
    return key_dir() / "data.key"


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise CryptoError(f"{where}中的密钥格式不对：应为 {KEY_BYTES} 字节密钥的 base64 编码")
    return key


def format_ring(keys: list[bytes]) -> str:
    return "".join(f"{key_id(k)} {base64.b64encode(k).decode()}\n" for k in keys)


def _parse_file(path: Path) -> Keyring:
    keys: dict[str, bytes] = {}
    where = f"密钥文件“{path}”"
    for number, line in enumerate(path.read_text(encoding="ascii", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        kid, _, text = line.strip().partition(" ")
        key = _decode(text, f"{where}第{number}行")
        if key_id(key) != kid:
            raise CryptoError(f"{where}第{number}行已损坏：密钥与其编号 {kid} 不符")
        keys[kid] = key
    if not keys:
        raise CryptoError(f"{where}是空的")
    return Keyring(keys, where)


def write_ring(keys: list[bytes]) -> None:
    """Replace the key file atomically (0600), the first key becoming the current one."""
    from ..files import atomic_write

    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    atomic_write(key_file(), format_ring(keys).encode("ascii"), mode=0o600)
    reset()


_lock = threading.Lock()
_ring: Keyring | None = None


def reset() -> None:
    """Forget the loaded keys (after a rotation, or when a test changes FENGQING_HOME or the variable)."""
    global _ring
    _ring = None


def keyring() -> Keyring:
    global _ring
    with _lock:
        if _ring is None:
            _ring = _load()
        return _ring


def _load() -> Keyring:
    env = os.environ.get(ENV, "").strip()
    if env:
        keys = [_decode(part, f"环境变量 {ENV}") for part in env.split(",") if part.strip()]
        return Keyring({key_id(k): k for k in keys}, f"环境变量 {ENV}")
    path = key_file()
    if path.exists():
        return _parse_file(path)
    from .inventory import sealed_data_exists

    if sealed_data_exists():
        raise CryptoError(f"找不到密钥文件“{path}”，而数据库或上传文件中已有加密数据：密钥丢失时数据无法解密。"
                          f"请从备份恢复密钥文件（或设置环境变量 {ENV}）；系统不会生成新密钥覆盖它")
    _create(path)
    return _parse_file(path)


def _create(path: Path) -> None:
    """A first key for a new data folder; two processes starting at once agree on one file."""
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = folder / f".data.key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(format_ring([new_key()]))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the file first: then theirs is used
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
