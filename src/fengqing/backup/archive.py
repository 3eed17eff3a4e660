"""The backup file: a tar archive of the database snapshot, the upload folder and ``manifest.json`` (format,
time, database kind, the audit log's head, every member's size and SHA-256), the manifest authenticated by an
HMAC-SM3 keyed from the data key. A changed, missing, extra or truncated member is refused before anything is
restored. Sealed fields and uploads stay sealed inside: the backup is no more readable than the data folder,
and it is useless without the key, which is backed up separately (docs/backup.md)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from ..accounts import audit
from ..crypto import keys
from ..crypto.inventory import upload_files
from ..errors import BackupError
from ..files import atomic_output
from . import snapshot

FORMAT = "fengqing-backup-1"
MANIFEST, MAC = "manifest.json", "manifest.mac"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass
class Manifest:
    data: dict

    @property
    def audit(self) -> dict:
        return self.data["audit"]


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    h = chmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def _mac(manifest: bytes, kid: str) -> str:
    """HMAC-SM3 under a key derived from data key ``kid`` (never the data key itself)."""
    if not os.environ.get(keys.ENV) and not keys.key_file().exists():
        raise BackupError(f"需要备份时使用的密钥 {kid}：请先把原来的密钥文件复制到“{keys.key_file()}”"
                          f"（或设置环境变量 {keys.ENV}），再运行本命令")
    mac_key = _hmac_sm3(keys.keyring().get(kid), b"fengqing backup manifest")
    return _hmac_sm3(mac_key, manifest).hex()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_backup(target: str | Path) -> Manifest:
    audit.drain()  # the log-in path's audit entries waiting in the log-in store, which is not backed up
    target = Path(target)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=settings.HOME) as tmp:
        db_name = DATABASE[connection.vendor] if connection.vendor in DATABASE else None
        if db_name is None:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库")
        db_file = Path(tmp) / db_name
        head = (snapshot.snapshot_sqlite if snapshot.is_sqlite() else snapshot.snapshot_postgresql)(db_file)
        members = [(db_name, db_file)] + [(f"uploads/{p.relative_to(media).as_posix()}", p) for p in upload_files()]
        kid = keys.keyring().current_id
        manifest = {
            "format": FORMAT, "created": timezone.now().isoformat(), "database": connection.vendor,
            "audit": head, "key": kid,
            "members": [{"name": name, "size": path.stat().st_size, "sha256": _sha256(path)}
                        for name, path in members],
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        with atomic_output(target, mode=0o600) as out, tarfile.open(fileobj=out, mode="w") as tar:
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
            for name, data in ((MANIFEST, body), (MAC, _mac(body, kid).encode("ascii"))):
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
    return Manifest(manifest)


def _refuse(path: Path, why: str) -> BackupError:
    return BackupError(f"备份文件“{path}”不能使用：{why}")


def verify_backup(source: str | Path) -> Manifest:
    """Check the whole file (manifest authentic, every member present with its size and hash, nothing else)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"找不到备份文件“{source}”")
    try:
        with tarfile.open(source, mode="r:") as tar:
            found = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in found or MAC not in found:
                raise _refuse(source, "缺少清单（文件不完整或不是风清备份）")
            body = tar.extractfile(found[MANIFEST]).read()
            mac = tar.extractfile(found[MAC]).read().decode("ascii", errors="replace").strip()
            try:
                manifest = json.loads(body)
                kid = manifest["key"]
            except (ValueError, KeyError, TypeError):
                raise _refuse(source, "清单已损坏") from None
            if manifest.get("format") != FORMAT:
                raise _refuse(source, f"格式“{manifest.get('format')}”不受支持")
            if not hmac.compare_digest(_mac(body, kid), mac):
                raise _refuse(source, "清单的校验码不符（文件被改动过，或不是用本系统的密钥备份的）")
            listed = {m["name"]: m for m in manifest["members"]}
            extra = set(found) - set(listed) - {MANIFEST, MAC}
            if extra:
                raise _refuse(source, f"含有清单之外的文件：{'、'.join(sorted(extra))}")
            for name, member in listed.items():
                info = found.get(name)
                if info is None or not info.isfile():
                    raise _refuse(source, f"缺少“{name}”（文件不完整）")
                digest = hashlib.sha256()
                stream = tar.extractfile(info)
                while block := stream.read(1 << 20):
                    digest.update(block)
                if info.size != member["size"] or digest.hexdigest() != member["sha256"]:
                    raise _refuse(source, f"“{name}”的校验和不符（被改动或已损坏）")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _refuse(source, f"不是完整的备份文件（{type(exc).__name__}）") from None
    return Manifest(manifest)


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(source: str | Path) -> Manifest:
    """Restore into an empty database and an empty upload folder; the audit log must end where it did."""
    source = Path(source)
    manifest = verify_backup(source)
    if manifest.data["database"] != connection.vendor:
        raise BackupError(f"这是 {manifest.data['database']} 数据库的备份，不能恢复到 {connection.vendor} 数据库")
    if not _database_is_empty():
        raise BackupError("目标数据库不是空的：恢复只能在新的空数据库（或新的数据目录）中进行，以免覆盖现有数据")
    media = Path(settings.MEDIA_ROOT)
    if upload_files():
        raise BackupError(f"上传文件夹“{media}”不是空的：恢复只能在新的数据目录中进行")
    with tempfile.TemporaryDirectory(dir=settings.HOME) as tmp, tarfile.open(source, mode="r:") as tar:
        for member in manifest.data["members"]:
            name = PurePosixPath(member["name"])
            if name.is_absolute() or ".." in name.parts:
                raise _refuse(source, f"成员名“{name}”不安全")
            if name.parts[0] == "uploads":
                out = media.joinpath(*name.parts[1:])
            else:
                out = Path(tmp) / name.name
            out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with tar.extractfile(member["name"]) as stream, open(out, "wb") as f:
                shutil.copyfileobj(stream, f)
            os.chmod(out, 0o600)
        db_file = Path(tmp) / DATABASE[connection.vendor]
        if snapshot.is_sqlite():
            path = snapshot.sqlite_path()
            connections.close_all()
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(db_file, path)
        else:
            snapshot.restore_postgresql(db_file)
    with connection.cursor() as cursor:
        head = snapshot.audit_head_of(cursor)
    if head != manifest.audit:
        raise BackupError(f"恢复后的审计日志末端（{head}）与备份时（{manifest.audit}）不一致")
    return manifest
