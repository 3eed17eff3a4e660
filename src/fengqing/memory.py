"""Giving memory back to the system after a large piece of work in a long-running process (the web server).

Python frees the objects of an import when it ends, but glibc's malloc keeps the freed pages in its arenas
(one per thread that allocated, and the web server serves requests from several threads), so the server's
resident memory stayed at its peak although nothing used it. ``malloc_trim`` returns the free pages at the
top and in the middle of every arena. Running each import in a child process would also return the memory,
but would fork a threaded server holding database connections; trimming costs a few milliseconds."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache


@cache
def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None  # glibc only


def release_memory() -> None:
    """Collect garbage, then hand free heap pages back to the system (a no-op where libc is not glibc)."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
