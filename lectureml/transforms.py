"""Geometric transforms of images: shift, rotate and scale by bilinear resampling.

The lecture says the identity of a digit is invariant under translation, rotation
and scaling. To measure how far a trained network honours that, we move the test
digits ourselves. Every transform here is an affine map of pixel coordinates taken
about the image centre: for each OUTPUT pixel p (row, column, measured from the
centre) we look up the INPUT at

    q = A p + t,

and read it by bilinear interpolation between the four pixels around q. Pixels
that map outside the input read as zero (background), so nothing wraps around.
Looking up from output to input (the inverse map) is what leaves no holes.

All functions take a batch of images (N, C, H, W) and parameters that are either
one number for the whole batch or one number per image (an array of shape (N,)).
"""

import numbers

import numpy as np

from lectureml._validate import as_float_array, check_finite, describe


def _batch_images(images):
    """Validate an image batch (N, C, H, W) with float dtype."""
    images = as_float_array(
        images,
        "images",
        ndim=4,
        layout="(N, C, H, W)",
        hint="for a single (H, W) image pass image[None, None]",
    )
    check_finite(images, "images")
    return images


def _per_image(value, name, count, positive=False):
    """One float64 number per image from a scalar or an array of shape (count,)."""
    # bool is a Real to Python; complex, string and bool arrays would convert quietly.
    is_number = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    is_real_array = isinstance(value, np.ndarray) and value.dtype.kind in "iuf"
    if not (is_number or is_real_array):
        raise TypeError(
            f"{name} must be a number or an array of shape ({count},) of ints or floats, "
            f"got {describe(value)}"
        )
    values = np.asarray(value, dtype=np.float64)
    if values.ndim == 0:
        values = np.full(count, float(values))
    elif values.shape != (count,):
        raise ValueError(
            f"{name} must be a number or an array of shape ({count},) (one per image), "
            f"got shape {values.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite, got {values[~np.isfinite(values)][0]}")
    if positive and np.any(values <= 0):
        raise ValueError(f"{name} must be > 0, got {values[values <= 0][0]}")
    return values


def _bilinear_sample(images, rows, cols):
    """Read `images` at real-valued coordinates, zero outside.

    Args:
        images: (N, C, H, W).
        rows, cols: (N, Ho, Wo) float64 source coordinates for every output pixel.

    Returns:
        out: (N, C, Ho, Wo) with the dtype of `images`.
    """
    n, c, h, w = images.shape
    out_pixels = rows.shape[1] * rows.shape[2]
    top = np.floor(rows)
    left = np.floor(cols)
    below_weight = rows - top
    right_weight = cols - left
    top = top.astype(np.intp)
    left = left.astype(np.intp)
    # Channels first and everything else flat, so one np.take gathers a whole corner.
    by_channel = images.transpose(1, 0, 2, 3).reshape(c, n * h * w)
    image_start = (np.arange(n) * (h * w))[:, None, None]
    out = np.zeros((c, n * out_pixels), dtype=images.dtype)
    corners = (
        (top, left, (1 - below_weight) * (1 - right_weight)),
        (top, left + 1, (1 - below_weight) * right_weight),
        (top + 1, left, below_weight * (1 - right_weight)),
        (top + 1, left + 1, below_weight * right_weight),
    )
    for corner_rows, corner_cols, weight in corners:
        inside = (corner_rows >= 0) & (corner_rows < h) & (corner_cols >= 0) & (corner_cols < w)
        # Clipping only makes the gather legal; the zero weight removes outside reads.
        index = image_start + np.clip(corner_rows, 0, h - 1) * w + np.clip(corner_cols, 0, w - 1)
        weight = np.where(inside, weight, 0.0).astype(images.dtype).reshape(-1)
        out += weight * np.take(by_channel, index.reshape(-1), axis=1)
    return out.reshape(c, n, rows.shape[1], rows.shape[2]).transpose(1, 0, 2, 3).copy()


def affine_warp(images, matrix, offset):
    """Resample every image through the inverse affine map q = A p + t about its centre.

    Args:
        images: (N, C, H, W) float array.
        matrix: A, shape (2, 2) or (N, 2, 2), acting on (row, column) offsets from the centre.
        offset: t, shape (2,) or (N, 2), in pixels (row, column).

    Returns:
        warped: (N, C, H, W), same dtype as `images`; output pixel p shows input pixel A p + t.
    """
    images = _batch_images(images)
    n, _, h, w = images.shape
    matrix = as_float_array(matrix, "matrix").astype(np.float64)
    offset = as_float_array(offset, "offset").astype(np.float64)
    if matrix.shape == (2, 2):
        matrix = np.broadcast_to(matrix, (n, 2, 2))
    if matrix.shape != (n, 2, 2):
        raise ValueError(
            f"matrix must have shape (2, 2) or ({n}, 2, 2) for {n} images, got shape {matrix.shape}"
        )
    if offset.shape == (2,):
        offset = np.broadcast_to(offset, (n, 2))
    if offset.shape != (n, 2):
        raise ValueError(
            f"offset must have shape (2,) or ({n}, 2) for {n} images, got shape {offset.shape}"
        )
    check_finite(matrix, "matrix")
    check_finite(offset, "offset")
    centre_row, centre_col = (h - 1) / 2, (w - 1) / 2
    grid_rows, grid_cols = np.meshgrid(
        np.arange(h) - centre_row, np.arange(w) - centre_col, indexing="ij"
    )
    source_rows = (
        matrix[:, 0, 0, None, None] * grid_rows
        + matrix[:, 0, 1, None, None] * grid_cols
        + offset[:, 0, None, None]
        + centre_row
    )
    source_cols = (
        matrix[:, 1, 0, None, None] * grid_rows
        + matrix[:, 1, 1, None, None] * grid_cols
        + offset[:, 1, None, None]
        + centre_col
    )
    return _bilinear_sample(images, source_rows, source_cols)


def shift(images, rows, cols):
    """Translate the content by `rows` pixels down and `cols` pixels right (zero fill).

    Args:
        images: (N, C, H, W) float array.
        rows, cols: numbers or arrays of shape (N,); fractional shifts interpolate.

    Returns:
        shifted: (N, C, H, W), same dtype; shifted[..., r, c] = images[..., r - rows, c - cols].
    """
    images = _batch_images(images)
    n = images.shape[0]
    rows = _per_image(rows, "rows", n)
    cols = _per_image(cols, "cols", n)
    return affine_warp(images, np.eye(2), -np.stack([rows, cols], axis=1))


def rotate(images, degrees):
    """Rotate the content counter-clockwise (as displayed) by `degrees` about the centre.

    Args:
        images: (N, C, H, W) float array.
        degrees: number or array of shape (N,); negative turns clockwise.

    Returns:
        rotated: (N, C, H, W), same dtype; corners that come from outside are zero.
    """
    images = _batch_images(images)
    angles = np.deg2rad(_per_image(degrees, "degrees", images.shape[0]))
    cos, sin = np.cos(angles), np.sin(angles)
    # Rows grow downwards, so the inverse of an on-screen counter-clockwise turn
    # maps (row, col) to (cos*row + sin*col, -sin*row + cos*col).
    matrix = np.stack([np.stack([cos, sin], axis=1), np.stack([-sin, cos], axis=1)], axis=1)
    return affine_warp(images, matrix, np.zeros(2))


def scale(images, factor):
    """Zoom the content by `factor` about the centre (> 1 enlarges, < 1 shrinks).

    Args:
        images: (N, C, H, W) float array.
        factor: positive number or array of shape (N,).

    Returns:
        scaled: (N, C, H, W), same dtype.
    """
    images = _batch_images(images)
    factor = _per_image(factor, "factor", images.shape[0], positive=True)
    matrix = np.eye(2) / factor[:, None, None]
    return affine_warp(images, matrix, np.zeros(2))
