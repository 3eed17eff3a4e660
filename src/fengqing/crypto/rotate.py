"""Key rotation: a new current key, every sealed column and upload sealed again with it. The retired keys
stay in the ring (the audit log's sealed snapshots are immutable and still need them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from ..errors import CryptoError
from ..files import atomic_write
from . import keys
from .cipher import FILE_MAGIC, ID_BYTES, key_of, open_file, seal_file
from .columns import reseal
from .fields import SEALED_COLUMNS
from .inventory import upload_files


@dataclass
class Rotation:
    new_id: str
    retired: list[str]
    values: int
    files: int


def rotate() -> Rotation:
    ring = keys.keyring()
    if ring.source.startswith("环境变量"):
        raise CryptoError(f"密钥来自环境变量 {keys.ENV}：请把新密钥（base64）加在该变量最前面、旧密钥保留在后面，"
                          "重启后再运行本命令；或改用密钥文件")
    new = keys.new_key()
    new_id = keys.key_id(new)
    # the new key goes in first, so every value stays readable whatever happens next
    keys.write_ring([new, *ring.keys.values()])
    values = 0
    tables = set(connection.introspection.table_names())
    with transaction.atomic():
        for table, column in sorted(SEALED_COLUMNS):
            if table in tables:
                values += reseal(connection, table, column, new_id)
    files = 0
    for path in upload_files():
        data = path.read_bytes()
        if data.startswith(FILE_MAGIC) and key_of(data[len(FILE_MAGIC):len(FILE_MAGIC) + ID_BYTES]) != new_id:
            atomic_write(path, seal_file(open_file(data, path.name), new_id), mode=0o600)
            files += 1
    return Rotation(new_id, list(ring.keys), values, files)

