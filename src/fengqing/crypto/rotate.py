"""Key rotation: a new current key, every sealed column and upload sealed again with it. The retired keys
stay in the ring (the audit log's sealed snapshots are immutable and still need them). Every rotation, refused,
failed or done, is reported once to the caller's ``report`` (the command writes it to the audit log: who ran it,
how many values and files were sealed again, the outcome)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from ..errors import CryptoError
from ..files import atomic_write
from . import keys
from .cipher import FILE_MAGIC, ID_BYTES, key_of, open_file, seal_file
from .columns import reseal, reseal_binary
from .fields import SEALED_BINARY_COLUMNS, SEALED_COLUMNS
from .inventory import upload_files


@dataclass
class Rotation:
    new_id: str
    retired: list[str]
    values: int
    files: int


#: ``report(rotation or None, outcome, error)``; outcome is "done", "refused" or "failed"
Report = Callable[["Rotation | None", str, str], None]
DONE, REFUSED, FAILED = "done", "refused", "failed"


def rotate(report: Report) -> Rotation:
    ring = keys.keyring()
    if ring.source.startswith("环境变量"):
        error = CryptoError(f"密钥来自环境变量 {keys.ENV}：请把新密钥（base64）加在该变量最前面、旧密钥保留在后面，"
                            "重启后再运行本命令；或改用密钥文件")
        report(None, REFUSED, error.message)
        raise error
    new = keys.new_key()
    done = Rotation(keys.key_id(new), list(ring.keys), 0, 0)
    # the new key goes in first, so every value stays readable whatever happens next
    keys.write_ring([new, *ring.keys.values()])
    try:
        tables = set(connection.introspection.table_names())
        values = 0
        with transaction.atomic():  # all columns or none: a failure here leaves done.values at 0
            for table, column in sorted(SEALED_COLUMNS):
                if table in tables:
                    values += reseal(connection, table, column, done.new_id)
            for table, column in sorted(SEALED_BINARY_COLUMNS):
                if table in tables:
                    values += reseal_binary(connection, table, column, done.new_id)
        done.values = values
        for path in upload_files():
            data = path.read_bytes()
            if data.startswith(FILE_MAGIC) and key_of(data[len(FILE_MAGIC):len(FILE_MAGIC) + ID_BYTES]) != done.new_id:
                atomic_write(path, seal_file(open_file(data, path.name), done.new_id), mode=0o600)
                done.files += 1
    except Exception as exc:
        # what was sealed again before the failure opens with the new key, the rest with the old ones
        report(done, FAILED, getattr(exc, "message", None) or str(exc) or type(exc).__name__)
        raise
    report(done, DONE, "")
    return done

