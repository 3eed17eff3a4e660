"""Where sealed data lives: the sealed columns of the database and the files of the upload folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection

from .cipher import BYTES_PREFIX, FILE_MAGIC, TEXT_PREFIX
from .fields import SEALED_BINARY_COLUMNS, SEALED_COLUMNS


def upload_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def sealed_data_exists() -> bool:
    """Whether anything was sealed already (so a missing key is lost, not new)."""
    for path in upload_files():
        with path.open("rb") as f:
            if f.read(len(FILE_MAGIC)) == FILE_MAGIC:
                return True
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in sorted(SEALED_COLUMNS):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {quote(table)} WHERE {quote(column)} LIKE %s", [TEXT_PREFIX + "%"])
                if cursor.fetchone():
                    return True
        for table, column in sorted(SEALED_BINARY_COLUMNS):
            if table in tables:
                c = quote(column)
                cursor.execute(f"SELECT {c} FROM {quote(table)} WHERE {c} IS NOT NULL AND LENGTH({c}) > 0 LIMIT 1")
                row = cursor.fetchone()
                if row and bytes(row[0]).startswith(BYTES_PREFIX):
                    return True
    return False
