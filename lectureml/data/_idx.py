"""The IDX file format in which MNIST is published.

An IDX file is a 4-byte magic number, then one big-endian uint32 per dimension,
then the values in row-major order. The magic number's first two bytes are zero,
the third gives the value type (0x08: unsigned byte, the only one MNIST uses) and
the fourth the number of dimensions: 0x00000803 for images (N, rows, columns) and
0x00000801 for labels (N,).
"""

import math

import numpy as np

UNSIGNED_BYTE = 0x08


def parse_idx(raw, source, ndim):
    """Decode IDX bytes holding unsigned bytes with `ndim` dimensions.

    Args:
        raw: the whole (already decompressed) file as bytes.
        source: file name for error messages.
        ndim: number of dimensions the caller expects (3 for images, 1 for labels).

    Returns:
        A read-only uint8 array whose shape is the one stored in the header.

    Raises:
        ValueError: naming `source`, when the magic number, the dimensions or the
            length do not describe a valid file.
    """
    expected_magic = f"0x{UNSIGNED_BYTE << 8 | ndim:08x}"
    if len(raw) < 4:
        raise ValueError(
            f"{source} is not an IDX file: it has {len(raw)} bytes, "
            f"expected at least the 4-byte magic number {expected_magic}"
        )
    magic = f"0x{int.from_bytes(raw[:4], 'big'):08x}"
    if magic != expected_magic:
        raise ValueError(
            f"{source} is not an IDX file of {ndim}-dimensional unsigned bytes: "
            f"expected magic number {expected_magic}, got {magic}"
        )
    header_length = 4 + 4 * ndim
    if len(raw) < header_length:
        raise ValueError(
            f"{source} is truncated: expected a header of {header_length} bytes, "
            f"got {len(raw)} bytes"
        )
    shape = tuple(int(size) for size in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected_length = header_length + math.prod(shape)
    if len(raw) != expected_length:
        raise ValueError(
            f"{source} does not match its header: shape {shape} needs "
            f"{expected_length} bytes, got {len(raw)} bytes"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_length).reshape(shape)
