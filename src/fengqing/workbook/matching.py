"""Matching a sheet's rows with the unit's stored rows without holding either in full: the stored rows are
kept as a 16-byte digest of their values (and, for keyed sheets, their key), the workbook's rows are matched
one by one as they are read. What a stored row costs is a dict entry, not its values; a workbook row costs
nothing once matched."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal


def digest(values: tuple) -> bytes:
    """A digest equal for equal values: decimals by their value (1.0 and 1.00 are one amount), everything
    else by its type and repr. 128 bits: two different rows never meet by chance."""
    text = repr(tuple(format(v.normalize(), "f") if isinstance(v, Decimal) else v for v in values))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class RowPool:
    """Stored rows matched as a multiset of whole rows (sheets without a key, and keyless 信访 rows)."""

    def __init__(self) -> None:
        self._pks: dict[bytes, int | list[int]] = {}

    def add(self, pk: int, values: tuple) -> None:
        d = digest(values)
        held = self._pks.get(d)
        if held is None:
            self._pks[d] = pk
        elif isinstance(held, list):
            held.append(pk)
        else:
            self._pks[d] = [held, pk]

    def __bool__(self) -> bool:
        return bool(self._pks)

    def take(self, values: tuple) -> bool:
        """Whether a stored row equal to ``values`` is left; it is then used up."""
        d = digest(values)
        held = self._pks.get(d)
        if held is None:
            return False
        if isinstance(held, list) and len(held) > 1:
            held.pop()
        else:
            del self._pks[d]
        return True

    def leftover(self) -> Iterable[int]:
        for held in self._pks.values():
            yield from held if isinstance(held, list) else (held,)


class KeyedRows:
    """Stored rows by their key (工号, 编号 …): each key's id and a digest of its values."""

    def __init__(self) -> None:
        self._by_key: dict[tuple, tuple[int, bytes]] = {}

    def add(self, pk: int, key: tuple, values: tuple) -> None:
        self._by_key[key] = (pk, digest(values))

    def take(self, key: tuple, values: tuple) -> tuple[int | None, bool]:
        """(the stored row's id, whether its values differ), or (None, True) when no stored row has the key."""
        found = self._by_key.pop(key, None)
        if found is None:
            return None, True
        return found[0], found[1] != digest(values)

    def leftover(self) -> Iterable[int]:
        return (pk for pk, _ in self._by_key.values())
