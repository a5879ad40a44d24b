"""Checks of notebook 04 (convolution).

"04-conv2d": conv2d_single_channel(x, w, stride=1, padding=0) -> out, the cross-correlation of
one (H, W) image with one (KH, KW) kernel, zero padding on every side, output
(1 + (H + 2p - KH) // s, 1 + (W + 2p - KW) // s). The cases mix square and non-square images
and kernels, strides 1 to 3 with and without a remainder, paddings 0 to 3, a kernel larger
than the image (it fits only thanks to the padding), a 1 x 1 kernel, float32 input and the
lecture's 5 x 5 example.
"04-output-sizes": a dict of five output sizes and shapes (the notebook's exercise 2): sizes
are Python or numpy integers (12.0 from np.floor or / is refused, as in the visible test),
shapes tuples or lists of them.
"04-horizontal-edge-kernel": a kernel judged by what it does on test images: strong on
horizontal edges of either polarity, weak on vertical edges and on flat regions.
"""

import numpy as np

from lectureml.conv import conv2d
from lectureml.grading import call, function_check, value_check
from lectureml.grading.verdict import as_int_tuple, is_integer, key_problem, plain

LECTURE_IMAGE = np.array(
    [
        [22, 15, 1, 3, 60],
        [42, 5, 38, 39, 7],
        [28, 9, 4, 66, 79],
        [0, 82, 45, 12, 17],
        [99, 14, 72, 51, 3],
    ],
    dtype=np.float64,
)


def _shift_kernel():
    kernel = np.zeros((5, 5))
    kernel[1, 3] = 1.0
    return kernel


def conv2d_cases(rng):
    """(image shape, kernel shape, stride, padding) on random data, plus the lecture's example."""
    geometries = [
        ((5, 5), (3, 3), 1, 0),
        ((7, 6), (3, 2), 2, 1),
        ((8, 9), (5, 5), 3, 2),  # the last window of each row/column leaves a remainder
        ((9, 7), (3, 3), 2, 0),
        ((6, 6), (1, 1), 1, 0),
        ((4, 4), (4, 4), 1, 0),  # one window: a 1 x 1 output
        ((3, 3), (5, 5), 1, 1),  # the kernel only fits thanks to the padding
        ((10, 10), (2, 3), 3, 3),
        ((6, 8), (3, 3), 1, 1),
    ]
    cases = [
        call(rng.standard_normal(image), rng.standard_normal(kernel), stride=stride, padding=pad)
        for image, kernel, stride, pad in geometries
    ]
    cases.append(
        call(
            rng.standard_normal((6, 5)).astype(np.float32),
            rng.standard_normal((2, 2)).astype(np.float32),
            stride=1,
            padding=1,
        )
    )
    cases.append(call(LECTURE_IMAGE.copy(), _shift_kernel(), stride=1, padding=2))
    return cases


@function_check("04-conv2d", cases=conv2d_cases, rtol=1e-5, atol=1e-6)
def conv2d_single_channel_reference(x, w, stride=1, padding=0):
    return conv2d(x[None, None], w[None, None], stride=stride, padding=padding)[0, 0]


# Exercise 2: a 28 x 28 digit with a 5 x 5 kernel (stride 1, no padding); the padding that
# keeps it 28 x 28; stride 2 without padding; the 600 x 512 photo with a 3 x 3 kernel,
# stride 2 and padding 1; a batch of 8 RGB 32 x 32 images through 16 filters of 5 x 5 with
# stride 3 and padding 1.
EXPECTED_SIZES = {
    "digit_valid": 24,
    "digit_same_padding": 2,
    "digit_stride_2": 12,
    "photo_shape": (300, 256),
    "batch_shape": (8, 16, 10, 10),
}


@value_check("04-output-sizes")
def judge_output_sizes(output_sizes):
    """Each size an integer, each shape a tuple (or list) of integers, all of them right."""
    problem = key_problem(output_sizes, EXPECTED_SIZES, "output_sizes")
    if problem:
        return False, problem
    for key, want in EXPECTED_SIZES.items():
        got = output_sizes[key]
        where = f"output_sizes[{key!r}]"
        if isinstance(want, tuple):
            shape = as_int_tuple(got)
            if shape is None or len(shape) != len(want):
                return False, (
                    f"{where} must be a tuple (or list) of {len(want)} ints, got {plain(got)}"
                )
            if shape != want:
                return False, f"{where} = {plain(tuple(got))} is not right"
        else:
            if not is_integer(got):
                return False, f"{where} must be an int, got {plain(got)}"
            if int(got) != want:
                return False, f"{where} = {int(got)} is not right"
    return True, ""


def _correlate_valid(image, kernel):
    """Cross-correlation without padding, as a convolution layer computes it."""
    kernel_height, kernel_width = kernel.shape
    rows = image.shape[0] - kernel_height + 1
    cols = image.shape[1] - kernel_width + 1
    return sum(
        kernel[a, e] * image[a : a + rows, e : e + cols]
        for a in range(kernel_height)
        for e in range(kernel_width)
    )


# The two brightness levels of the test edges.
_DARK, _BRIGHT = 0.2, 0.9


def _test_images(size=16):
    """Name -> list of 16 x 16 test images: flat regions of brightness 0.2 to 1, and
    horizontal and vertical steps between 0.2 and 0.9 (both polarities, three positions)."""
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    horizontal, vertical = [], []
    for edge in (5, 8, 11):
        for first, second in ((_DARK, _BRIGHT), (_BRIGHT, _DARK)):
            horizontal.append(np.where(rows < edge, first, second))
            vertical.append(np.where(cols < edge, first, second))
    flat = [np.full((size, size), level) for level in (0.2, 0.5, 1.0)]
    return {"flat": flat, "horizontal": horizontal, "vertical": vertical}


# Strong: every horizontal edge gives a response of at least this fraction of
# sum(|kernel|) * contrast (a Sobel kernel reaches 0.5, a two-tap difference 0.5).
_STRONG = 0.2
# Weak: flat regions and vertical edges stay below this fraction of the weakest
# horizontal-edge response.
_WEAK = 0.1
_MAX_SIDE = 7


@value_check("04-horizontal-edge-kernel")
def judge_horizontal_edge_kernel(kernel):
    """Strong response (of either sign) to every horizontal edge of the test images; at most
    a tenth of it on vertical edges and on flat regions."""
    try:
        kernel = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        return False, "the kernel must be a 2-D array of numbers"
    if kernel.ndim != 2 or kernel.size < 2 or max(kernel.shape) > _MAX_SIDE:
        return False, (
            f"the kernel must be a 2-D array with at least 2 entries and sides of at most "
            f"{_MAX_SIDE}, got shape {kernel.shape}"
        )
    if not np.all(np.isfinite(kernel)):
        return False, "the kernel must hold finite numbers (no nan or inf)"
    scale = np.abs(kernel).sum()
    if scale == 0:
        return False, "an all-zero kernel responds to nothing"
    strongest = {
        name: [float(np.abs(_correlate_valid(image, kernel)).max()) for image in group]
        for name, group in _test_images().items()
    }
    weakest_horizontal = min(strongest["horizontal"])
    if weakest_horizontal < _STRONG * scale * (_BRIGHT - _DARK):
        return False, (
            "the kernel barely responds to some horizontal edges (a dark band above a bright "
            "one, or the reverse)"
        )
    if max(strongest["flat"]) > _WEAK * weakest_horizontal:
        return False, (
            "the kernel responds to flat regions: a uniform patch should give (almost) zero, "
            "so its entries should sum to (almost) zero"
        )
    if max(strongest["vertical"]) > _WEAK * weakest_horizontal:
        return False, (
            f"the kernel responds to vertical edges with up to {max(strongest['vertical']):.3g}: "
            f"at most a tenth of its weakest horizontal-edge response {weakest_horizontal:.3g} "
            f"is allowed, i.e. {_WEAK * weakest_horizontal:.3g} (a brightness change from left "
            "to right should barely move the response)"
        )
    return True, ""
