"""Pooling (subsampling): summarise each small window of a feature map by one number.

The lecture's subsampling layer: one pooled map per feature map, windows of size x size, by default
non-overlapping (stride = size), which halves the resolution for size 2. Max pooling keeps the
largest value of each window, average (mean) pooling the mean. Both keep a little invariance to
small shifts of the input.

Images are NCHW arrays (N, C, H, W). There is no padding: the output has
Ho = 1 + (H - size) // stride rows and Wo = 1 + (W - size) // stride columns, so a remainder row
or column that no window reaches fully is dropped (and receives zero gradient). A stride smaller
than size gives overlapping windows, a larger one leaves gaps.

Every function works with size*size whole-batch strided slices, one per position inside the
window, never with a loop over pixels.
"""

import numpy as np

from lectureml._validate import as_float_array, check_int, check_shape


def max_pool2d(x, size=2, stride=None):
    """Forward pass of max pooling.

    Args:
        x: feature maps, shape (N, C, H, W).
        size: window height and width (int, 1 <= size <= min(H, W)).
        stride: step between windows (int >= 1); None means size (non-overlapping windows).

    Returns:
        out: shape (N, C, Ho, Wo), Ho = 1 + (H - size) // stride, Wo = 1 + (W - size) // stride,
             out[n, c, i, j] = max of the window with top-left corner (i*stride, j*stride);
             dtype of x.
    """
    out, _ = _max_pool2d_forward_with_cache(x, size, stride)
    return out


def max_pool2d_backward(dout, x, size=2, stride=None):
    """Backward pass of max pooling: each window's gradient goes to its maximum.

    When several entries of a window tie for the maximum, the whole gradient goes to the first
    of them in row-major order (a subgradient; sharing it would double-count). Overlapping windows
    add up their contributions.

    Args:
        dout: upstream gradient dL/dout, shape (N, C, Ho, Wo).
        x: the input given to the forward pass, shape (N, C, H, W).
        size, stride: as in the forward pass.

    Returns:
        dx: dL/dx, shape (N, C, H, W), dtype of x.
    """
    _, cache = _max_pool2d_forward_with_cache(x, size, stride)
    return _max_pool2d_backward_from_cache(dout, cache)


def avg_pool2d(x, size=2, stride=None):
    """Forward pass of average (mean) pooling.

    Args:
        x: feature maps, shape (N, C, H, W).
        size: window height and width (int, 1 <= size <= min(H, W)).
        stride: step between windows (int >= 1); None means size (non-overlapping windows).

    Returns:
        out: shape (N, C, Ho, Wo) as in `max_pool2d`, the mean of each window; dtype of x.
    """
    x, size, stride = _check_pool_arguments(x, size, stride)
    out = None
    for rows, cols in _window_offsets(x.shape, size, stride):
        if out is None:
            out = x[:, :, rows, cols].copy()
        else:
            out += x[:, :, rows, cols]
    out *= 1 / (size * size)
    return out


def avg_pool2d_backward(dout, x, size=2, stride=None):
    """Backward pass of average pooling: each window's gradient is shared equally by its entries.

    Args:
        dout: upstream gradient dL/dout, shape (N, C, Ho, Wo).
        x: the input given to the forward pass, shape (N, C, H, W) (only its shape and dtype
           matter, since the mean is linear).
        size, stride: as in the forward pass.

    Returns:
        dx: dL/dx, shape (N, C, H, W), dtype of x; every entry of a window gets dout / size**2.
    """
    x, size, stride = _check_pool_arguments(x, size, stride)
    dout = _check_pool_dout(dout, x.shape, size, stride)
    dout_share = dout.astype(x.dtype) * (1 / (size * size))
    dx = np.zeros(x.shape, dtype=x.dtype)
    for rows, cols in _window_offsets(x.shape, size, stride):
        _send_to_window_entries(dx, rows, cols, dout_share, overlapping=stride < size)
    return dx


def _max_pool2d_forward_with_cache(x, size, stride):
    """`max_pool2d` that also returns what `_max_pool2d_backward_from_cache` needs.

    Arguments (validated) as in `max_pool2d`. Returns out (N, C, Ho, Wo) and the cache
    (x, out, size, stride): references only, so caching costs no memory of its own.
    """
    x, size, stride = _check_pool_arguments(x, size, stride)
    out = None
    for rows, cols in _window_offsets(x.shape, size, stride):
        if out is None:
            out = x[:, :, rows, cols].copy()
        else:
            np.maximum(out, x[:, :, rows, cols], out=out)
    return out, (x, out, size, stride)


def _max_pool2d_backward_from_cache(dout, cache):
    """`max_pool2d_backward` from the cache of `_max_pool2d_forward_with_cache`.

    dout: dL/dout, shape (N, C, Ho, Wo) (validated). Returns dx (N, C, H, W), dtype of x.
    """
    x, out, size, stride = cache
    dout = _check_pool_dout(dout, x.shape, size, stride)
    dx = np.zeros(x.shape, dtype=x.dtype)
    # Windows whose gradient has already gone to an earlier (row-major) maximum. Boolean
    # arithmetic rather than masked assignment: random masks make numpy's masked loops branchy.
    routed = np.zeros(out.shape, dtype=bool)
    for rows, cols in _window_offsets(x.shape, size, stride):
        first_max = (x[:, :, rows, cols] == out) & ~routed
        routed |= first_max
        _send_to_window_entries(dx, rows, cols, dout * first_max, overlapping=stride < size)
    if not routed.all():
        # Only a window holding NaN is left: its maximum is NaN (np.maximum propagates it),
        # which equals nothing. The first NaN counts as the maximum, as in torch.
        for rows, cols in _window_offsets(x.shape, size, stride):
            first_nan = np.isnan(x[:, :, rows, cols]) & ~routed
            routed |= first_nan
            _send_to_window_entries(dx, rows, cols, dout * first_nan, overlapping=True)
    return dx


def _send_to_window_entries(dx, rows, cols, values, overlapping):
    """Put values (N, C, Ho, Wo) on one entry of every window: dx[:, :, rows, cols] gets them.

    Overlapping windows share pixels, so their contributions must be added; otherwise every
    pixel belongs to at most one window entry and a plain assignment is enough (and faster).
    """
    if overlapping:
        dx[:, :, rows, cols] += values
    else:
        dx[:, :, rows, cols] = values


def _window_offsets(x_shape, size, stride):
    """One (rows, cols) slice pair per position inside the window, in row-major order.

    x[:, :, rows, cols] for the pair of position (a, e) has shape (N, C, Ho, Wo) and holds
    entry (a, e) of every window at once.
    """
    _, _, height, width = x_shape
    out_height = 1 + (height - size) // stride
    out_width = 1 + (width - size) // stride
    return [
        (
            slice(row, row + stride * (out_height - 1) + 1, stride),
            slice(col, col + stride * (out_width - 1) + 1, stride),
        )
        for row in range(size)
        for col in range(size)
    ]


def _check_pool_arguments(x, size, stride):
    """Validate the arguments shared by the pooling functions; return (x, size, stride)."""
    hint = None
    if isinstance(x, np.ndarray) and x.ndim == 2:
        hint = "a single (H, W) feature map becomes a batch of one with x[None, None]"
    elif isinstance(x, np.ndarray) and x.ndim == 3:
        hint = "a single (C, H, W) stack of feature maps becomes a batch of one with x[None]"
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)", hint=hint)
    if x.size == 0:
        raise ValueError(
            f"x must have every axis of (N, C, H, W) at least 1 long, got shape {x.shape}"
        )
    size = check_int(size, "size", minimum=1)
    stride = size if stride is None else check_int(stride, "stride", minimum=1)
    height, width = x.shape[2:]
    if size > min(height, width):
        raise ValueError(
            f"size must be at most the input height H={height} and width W={width} "
            f"(x of shape {x.shape}), got size={size}"
        )
    return x, size, stride


def _check_pool_dout(dout, x_shape, size, stride):
    """Require dout to be a float array of the pooled output's shape (N, C, Ho, Wo)."""
    num_samples, channels, height, width = x_shape
    out_shape = (
        num_samples,
        channels,
        1 + (height - size) // stride,
        1 + (width - size) // stride,
    )
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, C, Ho, Wo)")
    check_shape(dout, "dout", out_shape)
    return dout
