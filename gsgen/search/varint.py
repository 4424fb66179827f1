"""Unsigned LEB128 varints (7 bits a byte, low bits first, high bit set on every byte but the last),
encoded for whole arrays at once."""

from __future__ import annotations

import numpy as np


def encoded(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, length of each value's encoding) of non-negative integers below 2**56."""
    values = values.astype(np.uint64, copy=False)
    sizes = np.ones(len(values), dtype=np.int64)
    for k in range(1, 8):
        sizes += values >= np.uint64(1 << (7 * k))
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - sizes
    single = sizes == 1  # most values: one byte, written at once
    out[starts[single]] = values[single].astype(np.uint8)
    multi = np.flatnonzero(~single)
    values, sizes, starts = values[multi], sizes[multi], starts[multi]
    for k in range(int(sizes.max(initial=0))):
        has = sizes > k
        byte = (values[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[has] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + k] = (byte | more).astype(np.uint8)
    return out, np.diff(ends, prepend=0)


def one(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decoded(data: bytes) -> list[int]:
    """Every varint in `data` (for tests and tools)."""
    values, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            values.append(value)
            value, shift = 0, 0
    return values
