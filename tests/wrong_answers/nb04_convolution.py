"""Plausible wrong answers to the exercises of notebook 04; each must be rejected by its check."""

import numpy as np

from lectureml.grading.checks.nb04_convolution import EXPECTED_SIZES as CORRECT_SIZES


def _windows_sum(x_padded, w, out_height, out_width, stride):
    """sum over kernel entries (a, e) of w[a, e] * the strided slice of x_padded it meets."""
    kernel_height, kernel_width = w.shape
    out = np.zeros((out_height, out_width))
    for a in range(kernel_height):
        for e in range(kernel_width):
            rows = slice(a, a + stride * (out_height - 1) + 1, stride)
            cols = slice(e, e + stride * (out_width - 1) + 1, stride)
            out += w[a, e] * x_padded[rows, cols]
    return out


def _size(size, kernel_size, stride, padding):
    return 1 + (size + 2 * padding - kernel_size) // stride


def _correlate(x, w, stride, padding):
    """The right cross-correlation, which the wrong answers below distort."""
    x_padded = np.pad(x, padding)
    out_height = _size(x.shape[0], w.shape[0], stride, padding)
    out_width = _size(x.shape[1], w.shape[1], stride, padding)
    return _windows_sum(x_padded, w, out_height, out_width, stride)


def conv_flipped_kernel(x, w, stride=1, padding=0):
    """Textbook convolution: the kernel is flipped, unlike a CNN layer (and the lecture)."""
    return _correlate(x, w[::-1, ::-1], stride, padding)


def conv_padding_ignored(x, w, stride=1, padding=0):
    """Never pads: right whenever padding=0, a smaller output otherwise (or a crash)."""
    return _correlate(x, w, stride, 0)


def conv_no_plus_one(x, w, stride=1, padding=0):
    """Output size (H + 2p - K) // s: one row and one column short."""
    x_padded = np.pad(x, padding)
    out_height = (x.shape[0] + 2 * padding - w.shape[0]) // stride
    out_width = (x.shape[1] + 2 * padding - w.shape[1]) // stride
    return _windows_sum(x_padded, w, out_height, out_width, stride)


def conv_ceil_size(x, w, stride=1, padding=0):
    """Rounds (H + 2p - K) / s up: an extra, partial window whenever the stride leaves a rest."""
    x_padded = np.pad(x, ((padding, padding + stride), (padding, padding + stride)))
    out_height = 1 - (-(x.shape[0] + 2 * padding - w.shape[0]) // stride)
    out_width = 1 - (-(x.shape[1] + 2 * padding - w.shape[1]) // stride)
    return _windows_sum(x_padded, w, out_height, out_width, stride)


def conv_stride_ignored(x, w, stride=1, padding=0):
    """Always slides by one pixel."""
    return _correlate(x, w, 1, padding)


def conv_padding_one_side(x, w, stride=1, padding=0):
    """Pads only the top and the left (2p zeros there), so the image sits p pixels off."""
    x_padded = np.pad(x, ((2 * padding, 0), (2 * padding, 0)))
    out_height = _size(x.shape[0], w.shape[0], stride, padding)
    out_width = _size(x.shape[1], w.shape[1], stride, padding)
    return _windows_sum(x_padded, w, out_height, out_width, stride)


def conv_padding_after_only(x, w, stride=1, padding=0):
    """Pads only the bottom and the right (2p zeros there): np.pad(x, ((0, 2p), (0, 2p)))."""
    x_padded = np.pad(x, ((0, 2 * padding), (0, 2 * padding)))
    out_height = _size(x.shape[0], w.shape[0], stride, padding)
    out_width = _size(x.shape[1], w.shape[1], stride, padding)
    return _windows_sum(x_padded, w, out_height, out_width, stride)


def conv_integer_output(x, w, stride=1, padding=0):
    """Creates the output with np.zeros(..., dtype=int): every window's sum is truncated."""
    x_padded = np.pad(x, padding)
    out_height = _size(x.shape[0], w.shape[0], stride, padding)
    out_width = _size(x.shape[1], w.shape[1], stride, padding)
    out = np.zeros((out_height, out_width), dtype=int)
    for i in range(out_height):
        for j in range(out_width):
            window = x_padded[
                i * stride : i * stride + w.shape[0], j * stride : j * stride + w.shape[1]
            ]
            out[i, j] = np.sum(window * w)
    return out


def conv_windows_not_strided(x, w, stride=1, padding=0):
    """Right output size, but neighbouring windows start one pixel apart instead of s."""
    x_padded = np.pad(x, padding)
    out_height = _size(x.shape[0], w.shape[0], stride, padding)
    out_width = _size(x.shape[1], w.shape[1], stride, padding)
    return _windows_sum(x_padded, w, out_height, out_width, 1)


def conv_transposed_kernel(x, w, stride=1, padding=0):
    """Uses w.T: rows and columns of the kernel swapped."""
    x_padded = np.pad(x, padding)
    out_height = _size(x.shape[0], w.shape[1], stride, padding)
    out_width = _size(x.shape[1], w.shape[0], stride, padding)
    return _windows_sum(x_padded, w.T, out_height, out_width, stride)


def conv_square_kernel(x, w, stride=1, padding=0):
    """Takes the kernel's height for both sides (k = len(w)): right for square kernels, a
    numpy error or a wrong output for the non-square ones."""
    k = len(w)
    x_padded = np.pad(x, padding)
    out_height = _size(x.shape[0], k, stride, padding)
    out_width = _size(x.shape[1], k, stride, padding)
    out = np.zeros((out_height, out_width))
    for i in range(out_height):
        for j in range(out_width):
            window = x_padded[i * stride : i * stride + k, j * stride : j * stride + k]
            out[i, j] = np.sum(window * w)
    return out


SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])

WRONG_ANSWERS = {
    "04-conv2d": [
        conv_flipped_kernel,
        conv_padding_ignored,
        conv_no_plus_one,
        conv_ceil_size,
        conv_stride_ignored,
        conv_padding_one_side,
        conv_windows_not_strided,
        conv_transposed_kernel,
        conv_padding_after_only,
        conv_integer_output,
        conv_square_kernel,
    ],
    "04-output-sizes": [
        # H + 2p - K without the + 1 everywhere.
        {
            "digit_valid": 23,
            "digit_same_padding": 2,
            "digit_stride_2": 11,
            "photo_shape": (299, 255),
            "batch_shape": (8, 16, 9, 9),
        },
        # The stride ignored.
        {
            "digit_valid": 24,
            "digit_same_padding": 2,
            "digit_stride_2": 24,
            "photo_shape": (600, 512),
            "batch_shape": (8, 16, 30, 30),
        },
        # (H + 2p - K) / s rounded up instead of down.
        {
            "digit_valid": 24,
            "digit_same_padding": 2,
            "digit_stride_2": 13,
            "photo_shape": (301, 257),
            "batch_shape": (8, 16, 11, 11),
        },
        # Padding counted on one side only: K - 1 pixels needed for 'same'.
        {**CORRECT_SIZES, "digit_same_padding": 4},
        # One output map per input channel instead of one per filter.
        {**CORRECT_SIZES, "batch_shape": (8, 3, 10, 10)},
        # Batch and channel axes swapped.
        {**CORRECT_SIZES, "batch_shape": (16, 8, 10, 10)},
        # The right numbers as floats: 1 + (28 - 5) / 2 rounded with np.floor is 12.0, not 12.
        {**CORRECT_SIZES, "digit_stride_2": np.floor(1 + (28 - 5) / 2)},
        {**CORRECT_SIZES, "photo_shape": (300.0, 256.0)},
    ],
    "04-horizontal-edge-kernel": [
        SOBEL_Y.T,  # responds to vertical edges
        np.ones((3, 3)) / 9,  # a blur responds to everything, flat regions included
        np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),  # Laplacian: all edges
        np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),  # no negative row
        np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.5]]),  # sums to 0.5
        np.zeros((3, 3)),  # responds to nothing
        SOBEL_Y[None],  # a 3-D array
        np.array([[-1.0, 0.0, 1.0]]),  # a horizontal difference: vertical edges
        # Blind to flat regions and vertical edges, but its weights mostly cancel on a
        # horizontal edge: a response of 2 for a kernel whose entries add up to 40 in size.
        np.array([[9.0, -11.0], [-9.0, 11.0]]),
    ],
}
