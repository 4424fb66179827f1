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
    if not len(values) or sizes.max() == 1:
        return values.astype(np.uint8), sizes
    owner = np.repeat(np.arange(len(values)), sizes)  # the value each byte encodes part of
    nth = np.arange(len(owner)) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # which part
    out = (values[owner] >> (nth * 7).astype(np.uint64)) & np.uint64(0x7F)
    out |= (nth < sizes[owner] - 1).astype(np.uint64) << np.uint64(7)
    return out.astype(np.uint8), sizes


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
