"""MinHash signatures of character n-grams, and LSH banding to find candidate pairs (DESIGN §8 analyze).

The signatures are datasketch's (the ``affine32`` scheme of :class:`datasketch.MinHash`, its permutations, the
number of bands and rows :class:`datasketch.MinHashLSH` chooses for the threshold); they are computed for many
paragraphs at once with numpy, and banded with numpy, because a datasketch index holds a Python set per bucket:
measured at about 5 kB per paragraph, 1 GB for the 200,000 paragraphs of 10,000 reports.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

NGRAM = 4  # characters; 3–5 survive small edits (notes/reader.md), 4 keeps unrelated texts apart
NUM_PERM = 64
THRESHOLD = 0.5  # Jaccard similarity of n-gram sets above which a pair should become a candidate
SEED = 1
_P = np.uint32(0x01000193)  # FNV prime: the polynomial of the rolling n-gram hash (mod 2^32)
_CHUNK = 1 << 17  # n-grams per batch: _CHUNK × NUM_PERM × 4 bytes = 32 MiB at a time
#: a bucket of more than this many paragraphs (one text copied by very many) yields pairs with its first
#: member only, so the pairs grow linearly, not quadratically
_BUCKET_ALL_PAIRS = 24


def ngram_hashes(text: str, n: int = NGRAM) -> np.ndarray:
    """32-bit hashes of the text's character n-grams, in order (the text already normalised)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(codes) < n:
        return np.empty(0, dtype=np.uint32)
    h = np.zeros(len(codes) - n + 1, dtype=np.uint32)
    for k in range(n):
        h = h * _P + codes[k:len(codes) - n + 1 + k]
    return h


@lru_cache(maxsize=4)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    # datasketch brings scipy (about 35 MB in every web server process): loaded when a reading is first made
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed).permutations


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, which datasketch applies before its permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signatures(hash_lists, num_perm: int = NUM_PERM) -> np.ndarray:
    """One MinHash signature (row) per list of n-gram hashes (an iterable; each list non-empty), taken in
    batches so memory stays bounded. Equal to datasketch's
    ``MinHash(num_perm, seed=SEED, hashfunc=int).update_batch(hashes).hashvalues``."""
    a, b = permutations(num_perm)
    rows: list[np.ndarray] = []
    batch: list[np.ndarray] = []
    size = 0

    def flush():
        starts = np.cumsum([0] + [len(h) for h in batch[:-1]])
        hv = _fmix32(np.concatenate(batch))
        # one row per permutation, so the minimum runs along contiguous memory (7 times faster than by column)
        permuted = a[:, None] * hv[None, :]
        permuted += b[:, None]
        rows.append(np.minimum.reduceat(permuted, starts, axis=1).T)
        batch.clear()

    for h in hash_lists:
        if batch and size + len(h) > _CHUNK:
            flush()
            size = 0
        batch.append(h)
        size += len(h)
    if batch:
        flush()
    return np.concatenate(rows) if rows else np.empty((0, num_perm), dtype=np.uint32)


@lru_cache(maxsize=4)
def bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) as datasketch's LSH chooses them for the threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def candidate_pairs(sigs: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Pairs (i, j), i < j, of rows that agree on all rows of at least one band: an (n, 2) array."""
    n_bands, rows = bands(threshold, sigs.shape[1])
    mix = np.array([0x9E3779B97F4A7C15 + 2 * k + 1 for k in range(rows)], dtype=np.uint64)
    found = []
    for band in range(n_bands):
        part = sigs[:, band * rows:(band + 1) * rows].astype(np.uint64)
        keys = (part * mix[None, :]).sum(axis=1) + np.uint64(band)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        edges = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [len(keys)]))
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            members = np.sort(order[s:e])
            if len(members) <= _BUCKET_ALL_PAIRS:
                ii, jj = np.triu_indices(len(members), 1)
                found.append(np.stack((members[ii], members[jj]), axis=1))
            else:
                found.append(np.stack((np.full(len(members) - 1, members[0]), members[1:]), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found).astype(np.int64), axis=0)
