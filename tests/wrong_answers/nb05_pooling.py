"""Plausible wrong answers to the exercises of notebook 05; each must be rejected by its check."""

import numpy as np


def _windows(x, size, stride):
    """(i, j, window) for every whole window, window of shape (N, C, size, size)."""
    stride = size if stride is None else stride
    out_h = 1 + (x.shape[2] - size) // stride
    out_w = 1 + (x.shape[3] - size) // stride
    for i in range(out_h):
        for j in range(out_w):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            yield i, j, rows, cols, x[:, :, rows, cols]


def _out(x, size, stride):
    stride = size if stride is None else stride
    shape = (*x.shape[:2], 1 + (x.shape[2] - size) // stride, 1 + (x.shape[3] - size) // stride)
    return np.zeros(shape, dtype=x.dtype)


# --- forward ---------------------------------------------------------------------------------


def forward_average(x, size=2, stride=None):
    """Mean pooling where max pooling was asked for."""
    out = _out(x, size, stride)
    for i, j, _, _, window in _windows(x, size, stride):
        out[:, :, i, j] = window.mean(axis=(2, 3))
    return out


def forward_ignoring_stride(x, size=2, stride=None):
    """Always steps by `size`, whatever stride says."""
    return _forward_max(x, size, size)


def _forward_max(x, size=2, stride=None):
    out = _out(x, size, stride)
    for i, j, _, _, window in _windows(x, size, stride):
        out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def forward_keeping_remainder(x, size=2, stride=None):
    """Ceil mode: a last, partial window pools the remainder rows and columns too."""
    stride = size if stride is None else stride
    out_h = -(-(x.shape[2] - size) // stride) + 1
    out_w = -(-(x.shape[3] - size) // stride) + 1
    out = np.zeros((*x.shape[:2], out_h, out_w), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride : i * stride + size, j * stride : j * stride + size]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def forward_zero_start(x, size=2, stride=None):
    """Starts each running maximum at 0, so windows of negative values give 0."""
    return np.maximum(_forward_max(x, size, stride), 0)


def forward_float64(x, size=2, stride=None):
    """Right values, but always returns float64 (np.zeros without the input's dtype)."""
    return _forward_max(x, size, stride).astype(np.float64)


def forward_running_max_in_x(x, size=2, stride=None):
    """Right values, from a sliding maximum computed in x's own memory: destroys the input."""
    stride = size if stride is None else stride
    out_h = 1 + (x.shape[2] - size) // stride
    out_w = 1 + (x.shape[3] - size) // stride
    for _ in range(size - 1):  # afterwards x[..., i, :] is the max of rows i .. i + size - 1
        np.maximum(x[:, :, :-1], x[:, :, 1:], out=x[:, :, :-1])
    for _ in range(size - 1):
        np.maximum(x[:, :, :, :-1], x[:, :, :, 1:], out=x[:, :, :, :-1])
    return x[:, :, ::stride, ::stride][:, :, :out_h, :out_w].copy()


# --- backward --------------------------------------------------------------------------------


def _backward(dout, x, size, stride, route, accumulate=True):
    dx = np.zeros_like(x)
    for i, j, rows, cols, window in _windows(x, size, stride):
        share = route(window) * dout[:, :, i, j][:, :, None, None]
        if accumulate:
            dx[:, :, rows, cols] += share
        else:
            dx[:, :, rows, cols] = share
    return dx


def _first_max(window):
    flat = window.reshape(*window.shape[:2], -1)
    mask = np.zeros_like(flat)
    np.put_along_axis(mask, flat.argmax(axis=2)[..., None], 1.0, axis=2)
    return mask.reshape(window.shape)


def _last_max(window):
    flipped = window.reshape(*window.shape[:2], -1)[..., ::-1]
    last = flipped.shape[2] - 1 - flipped.argmax(axis=2)
    mask = np.zeros_like(flipped)
    np.put_along_axis(mask, last[..., None], 1.0, axis=2)
    return mask.reshape(window.shape)


def backward_every_tied_max(dout, x, size=2, stride=None):
    """Sends the whole gradient to every entry equal to the maximum: ties count it twice."""
    return _backward(
        dout, x, size, stride, lambda w: (w == w.max(axis=(2, 3), keepdims=True)).astype(x.dtype)
    )


def backward_average(dout, x, size=2, stride=None):
    """Spreads the gradient over the window, as mean pooling would."""
    return _backward(dout, x, size, stride, lambda w: np.full_like(w, 1.0 / (size * size)))


def backward_ignoring_stride(dout, x, size=2, stride=None):
    """Steps by `size` whatever stride says (and so reads dout at the wrong windows)."""
    out_h = 1 + (x.shape[2] - size) // size
    out_w = 1 + (x.shape[3] - size) // size
    padded = np.zeros((*dout.shape[:2], max(out_h, dout.shape[2]), max(out_w, dout.shape[3])))
    padded[:, :, : dout.shape[2], : dout.shape[3]] = dout
    return _backward(padded[:, :, :out_h, :out_w], x, size, size, _first_max)


def backward_overwriting(dout, x, size=2, stride=None):
    """Assigns instead of adding: where windows overlap, the last one wins."""
    return _backward(dout, x, size, stride, _first_max, accumulate=False)


def backward_last_tied_max(dout, x, size=2, stride=None):
    """Breaks ties towards the last maximum in row-major order instead of the first."""
    return _backward(dout, x, size, stride, _last_max)


def backward_reusing_x(dout, x, size=2, stride=None):
    """Right values, but builds the gradient in x's memory to save an array: x is destroyed."""
    stride = size if stride is None else stride
    winners = [
        (rows, cols, _first_max(window) * dout[:, :, i, j][:, :, None, None])
        for i, j, rows, cols, window in _windows(x, size, stride)
    ]
    x[...] = 0
    for rows, cols, share in winners:
        x[:, :, rows, cols] += share
    return x


def backward_marking_winners_in_x(dout, x, size=2, stride=None):
    """Marks each window's winner in x with -inf so that it is not found twice."""
    stride = size if stride is None else stride
    dx = np.zeros_like(x)
    for i, j, rows, cols, window in _windows(x, size, stride):
        share = _first_max(window)
        dx[:, :, rows, cols] += share * dout[:, :, i, j][:, :, None, None]
        x[:, :, rows, cols][share.astype(bool)] = -np.inf
    return dx


# --- receptive field -------------------------------------------------------------------------

# Adds k - 1 per layer, as if every layer moved in steps of one input pixel.
IGNORING_JUMPS = (5, 6, 10, 11, 13)
# Doubles the field at each pooling layer instead of adding one jump.
POOLING_DOUBLES = (5, 10, 14, 28, 30)
# Numbers of pixels (the squares of the sides) instead of the sides.
PIXEL_COUNTS = (25, 36, 196, 256, 576)
# Forgets that the second pooling doubles the jump again.
JUMP_NOT_UPDATED = (5, 6, 14, 16, 20)
# The right sides, computed with / and left as floats.
FLOAT_SIDES = (5.0, 6.0, 14.0, 16.0, 24.0)
# Doubles the jump before the pooling layer adds it: each pooling adds the new jump, not the old.
JUMP_DOUBLED_TOO_EARLY = (5, 7, 15, 19, 27)
# Adds each layer's window side k, starting from 0, as if the jump were always 1.
WINDOW_SIDES_ADDED = (5, 7, 12, 14, 17)

WRONG_ANSWERS = {
    "05-max-pool-forward": [
        forward_average,
        forward_ignoring_stride,
        forward_keeping_remainder,
        forward_zero_start,
        forward_float64,
        forward_running_max_in_x,
    ],
    "05-max-pool-backward": [
        backward_every_tied_max,
        backward_average,
        backward_ignoring_stride,
        backward_overwriting,
        backward_last_tied_max,
        backward_reusing_x,
        backward_marking_winners_in_x,
    ],
    "05-receptive-field": [
        IGNORING_JUMPS,
        POOLING_DOUBLES,
        PIXEL_COUNTS,
        JUMP_NOT_UPDATED,
        FLOAT_SIDES,
        JUMP_DOUBLED_TOO_EARLY,
        WINDOW_SIDES_ADDED,
    ],
}
