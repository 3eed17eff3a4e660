"""Sealing, unsealing and re-sealing whole columns in SQL, batch by batch: the migration that seals existing
plaintext and ``fengqing keys rotate`` (which must not go through the models: their fields would unseal)."""

from __future__ import annotations

from collections.abc import Callable

from .cipher import BYTES_PREFIX, TEXT_PREFIX, bytes_blob, key_of, open_bytes, open_text, seal_bytes, seal_text, text_blob

BATCH = 2000


def _rewrite(connection, table: str, column: str, where: str, params: list, change: Callable) -> int:
    """Rewrite each selected value with ``change(value)``; a value it returns as None stays (and is not counted)."""
    quote = connection.ops.quote_name
    t, c = quote(table), quote(column)
    done, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT id, {c} FROM {t} WHERE id > %s AND {where} ORDER BY id LIMIT {BATCH}",
                           [last, *params])
            rows = cursor.fetchall()
            if not rows:
                return done
            changed = [(new, pk) for pk, v in rows if (new := change(v)) is not None]
            if changed:
                cursor.executemany(f"UPDATE {t} SET {c} = %s WHERE id = %s", changed)
            done += len(changed)
            last = rows[-1][0]


def seal_plaintext(connection, table: str, column: str) -> int:
    label = f"{table}.{column}"
    c = connection.ops.quote_name(column)
    return _rewrite(connection, table, column, f"{c} <> '' AND {c} NOT LIKE %s", [TEXT_PREFIX + "%"],
                    lambda v: seal_text(v, label))


def unseal(connection, table: str, column: str) -> int:
    label = f"{table}.{column}"
    c = connection.ops.quote_name(column)
    return _rewrite(connection, table, column, f"{c} LIKE %s", [TEXT_PREFIX + "%"], lambda v: open_text(v, label))


def reseal(connection, table: str, column: str, kid: str) -> int:
    """Seal again with key ``kid`` every value sealed with another key."""
    label = f"{table}.{column}"
    c = connection.ops.quote_name(column)

    def change(value: str) -> str:
        return value if key_of(text_blob(value, label)) == kid else seal_text(open_text(value, label), label, kid)

    return _rewrite(connection, table, column, f"{c} LIKE %s", [TEXT_PREFIX + "%"], change)


# -- binary columns: selected whole (no LIKE on bytes in both databases) and told apart by their prefix -----------

def _binary(connection, table: str, column: str, change: Callable[[bytes], bytes | None]) -> int:
    c = connection.ops.quote_name(column)
    return _rewrite(connection, table, column, f"{c} IS NOT NULL AND LENGTH({c}) > 0", [],
                    lambda v: change(bytes(v)))


def seal_plain_binary(connection, table: str, column: str) -> int:
    label = f"{table}.{column}"
    return _binary(connection, table, column,
                   lambda v: None if v.startswith(BYTES_PREFIX) else seal_bytes(v, label))


def unseal_binary(connection, table: str, column: str) -> int:
    label = f"{table}.{column}"
    return _binary(connection, table, column,
                   lambda v: open_bytes(v, label) if v.startswith(BYTES_PREFIX) else None)


def reseal_binary(connection, table: str, column: str, kid: str) -> int:
    label = f"{table}.{column}"

    def change(value: bytes) -> bytes | None:
        if not value.startswith(BYTES_PREFIX) or key_of(bytes_blob(value, label)) == kid:
            return None
        return seal_bytes(open_bytes(value, label), label, kid)

    return _binary(connection, table, column, change)
