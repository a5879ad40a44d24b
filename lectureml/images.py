"""Images to convolve: a real photograph, grayscale conversion, whole-pixel shifts, classic kernels.

- `load_sample_photo()` reads a photograph that matplotlib ships with its sample data
  (Grace Hopper's public-domain portrait by default), so it works offline, and returns it as a
  grayscale float64 (H, W) array in [0, 1].
- `to_grayscale(rgb)` turns an (H, W, 3) or (H, W, 4) colour image into that form.
- `shift_image(images, rows, cols)` moves images by whole pixels, filling the uncovered border
  with zeros (no wrap-around), which is the shift used to test translation equivariance and
  the invariance of pooling.
- `relative_change(before, after)` measures how much a representation (feature maps, pooled
  maps) changed, ||after - before|| / ||before||: the number behind the invariance tests.
- `KERNELS` holds classic 3 x 3 image-processing kernels (edges in x and y, blur, sharpen,
  identity), written for cross-correlation, the operation `lectureml.conv.conv2d` computes.
"""

import matplotlib.cbook
import matplotlib.image
import numpy as np

from lectureml._validate import as_float_array, check_finite, check_int, describe

# Photographs among matplotlib's sample data (matplotlib/mpl-data/sample_data).
SAMPLE_PHOTOS = ("grace_hopper.jpg",)

# Luma weights of ITU-R BT.601: how much red, green and blue each add to perceived brightness.
_LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])

# Rows run downwards and columns to the right, as in an image array. Under cross-correlation a
# kernel with -1 on the left and +1 on the right gives a positive output where the image gets
# brighter to the right.
KERNELS = {
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
    # Sobel: a derivative across x, smoothed along y. Responds to vertical edges.
    "edges in x": np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]),
    # The same kernel turned by 90 degrees: a derivative down y. Responds to horizontal edges.
    "edges in y": np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]),
    # A small Gaussian: a weighted average of the 3 x 3 neighbourhood (the weights sum to 1).
    "blur": np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16.0,
    # Identity plus a negative Laplacian: a pixel minus its neighbours' average, amplified.
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
}


def to_grayscale(rgb):
    """Grayscale brightness of a colour image, as float64 in [0, 1].

    Args:
        rgb: (H, W, 3) or (H, W, 4) array (an alpha channel is ignored); uint8 values in
            0..255, or floats in [0, 1] as matplotlib reads PNG files.

    Returns:
        gray: float64 (H, W), 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601 luma), in [0, 1].
    """
    if not isinstance(rgb, np.ndarray):
        raise TypeError(f"rgb must be a numpy array of shape (H, W, 3), got {describe(rgb)}")
    if rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or 0 in rgb.shape:
        raise ValueError(
            f"rgb must have shape (H, W, 3) or (H, W, 4) with H, W >= 1, got shape {rgb.shape}"
        )
    if rgb.dtype == np.uint8:
        scaled = rgb[..., :3] / 255.0
    elif rgb.dtype.kind == "f":
        scaled = rgb[..., :3].astype(np.float64)
        low, high = float(np.min(scaled)), float(np.max(scaled))
        if not (np.isfinite(low) and np.isfinite(high) and low >= 0.0 and high <= 1.0):
            raise ValueError(
                f"rgb must hold values in [0, 1] when it is a float array, got values from "
                f"{low} to {high}"
            )
    else:
        raise TypeError(f"rgb must have dtype uint8 or a float dtype, got dtype {rgb.dtype}")
    # The weights sum to 1, but their float sum may not: clip so the range promise holds.
    return np.clip(scaled @ _LUMA_WEIGHTS, 0.0, 1.0)


def load_sample_photo(name="grace_hopper.jpg"):
    """A photograph from matplotlib's sample data as grayscale, without any download.

    Args:
        name: one of SAMPLE_PHOTOS; "grace_hopper.jpg" is the public-domain portrait of
            the computer scientist Grace Hopper, 600 rows by 512 columns.

    Returns:
        gray: float64 (H, W) brightness in [0, 1] (see `to_grayscale`).
    """
    if name not in SAMPLE_PHOTOS:
        raise ValueError(f"name must be one of {SAMPLE_PHOTOS}, got {name!r}")
    with matplotlib.cbook.get_sample_data(name) as file:
        rgb = matplotlib.image.imread(file, format=name.rsplit(".", 1)[1])
    return to_grayscale(rgb)


def shift_image(images, rows, cols):
    """Move images by whole pixels; the uncovered border is filled with zeros.

    Args:
        images: array (..., H, W): one image or any batch of them (e.g. (N, C, H, W)).
        rows: pixels to move down (negative: up).
        cols: pixels to move right (negative: left).

    Returns:
        shifted: array of the same shape and dtype with shifted[..., i, j] =
            images[..., i - rows, j - cols] where that index exists, and 0 elsewhere.
            Nothing wraps around: what leaves the frame is lost.
    """
    if not isinstance(images, np.ndarray) or images.dtype.kind not in "biuf":
        raise TypeError(
            f"images must be a numpy array of numbers (bool, int or float) of shape (..., H, W), "
            f"got {describe(images)}"
        )
    if images.ndim < 2:
        raise ValueError(
            f"images must have at least 2 dimensions (..., H, W), got {images.ndim} "
            f"dimensions with shape {images.shape}"
        )
    rows = check_int(rows, "rows")
    cols = check_int(cols, "cols")
    height, width = images.shape[-2:]
    shifted = np.zeros_like(images)
    if abs(rows) >= height or abs(cols) >= width:
        return shifted
    source_rows = slice(max(0, -rows), height - max(0, rows))
    source_cols = slice(max(0, -cols), width - max(0, cols))
    target_rows = slice(max(0, rows), height - max(0, -rows))
    target_cols = slice(max(0, cols), width - max(0, -cols))
    shifted[..., target_rows, target_cols] = images[..., source_rows, source_cols]
    return shifted


def relative_change(before, after):
    """||after - before|| / ||before|| over all entries: 0 when nothing changed.

    Two unrelated patterns of equal size give about sqrt(2) = 1.41, so the number says how far
    a representation is from invariant to whatever turned `before` into `after` (a shift, say).

    Args:
        before: array of any shape, not all zeros (e.g. the feature maps of the original images).
        after: array of the same shape (e.g. those of the shifted images).

    Returns:
        float.
    """
    before = as_float_array(before, "before")
    after = as_float_array(after, "after")
    if after.shape != before.shape:
        raise ValueError(f"after must have the shape of before {before.shape}, got {after.shape}")
    check_finite(before, "before")
    check_finite(after, "after")
    scale = np.linalg.norm(before)
    if scale == 0:
        raise ValueError(
            f"before must not be all zeros (the change is measured relative to it), got an "
            f"array of shape {before.shape} with no non-zero entry"
        )
    return float(np.linalg.norm(after - before) / scale)
