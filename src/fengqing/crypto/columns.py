"""Sealing, unsealing and re-sealing whole columns in SQL, batch by batch: the migration that seals existing
plaintext and ``fengqing keys rotate`` (which must not go through the models: their fields would unseal)."""

from __future__ import annotations

from collections.abc import Callable

from .cipher import TEXT_PREFIX, key_of, open_text, seal_text, text_blob

BATCH = 2000


def _rewrite(connection, table: str, column: str, where: str, params: list, change: Callable[[str], str]) -> int:
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
            cursor.executemany(f"UPDATE {t} SET {c} = %s WHERE id = %s", [(change(v), pk) for pk, v in rows])
            done += len(rows)
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
