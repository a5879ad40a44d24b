"""Checks of the grading fixture notebook (tests/grading_fixtures/source/fixture.ipynb).

A small working example of the three kinds of checks: a function (ReLU), a fixed value
(a predicted shape) and a judged value (a designed edge-detection kernel).
"""

import numpy as np

from lectureml.grading import function_check, value_check


def relu_cases(rng):
    """Both float dtypes, several shapes, and the kink at zero (including -0.0)."""
    return [
        (rng.standard_normal((4, 5)),),
        (rng.standard_normal((2, 3, 4)).astype(np.float32),),
        (np.array([-2.0, -0.0, 0.0, 1e-12, 3.0]),),
        (rng.uniform(-5.0, 5.0, size=(3, 1, 2, 2)),),
    ]


@function_check("fixture-relu", cases=relu_cases, rtol=0.0, atol=0.0, check_dtype=True)
def relu_reference(a):
    return np.maximum(a, np.zeros((), dtype=a.dtype))


# 8 RGB images of 32 x 32, 16 filters of 3 x 3, stride 1, no padding.
value_check("fixture-shape", expected=(8, 16, 30, 30))


def _correlate_valid(image, kernel):
    """2-D cross-correlation without padding, as a CNN layer computes it."""
    rows, cols = image.shape[0] - 2, image.shape[1] - 2
    return sum(kernel[i, j] * image[i : i + rows, j : j + cols] for i in range(3) for j in range(3))


@value_check("fixture-kernel")
def judge_vertical_edge_kernel(kernel):
    """A vertical-edge detector: strong on a left-right step, zero on flat and on a
    top-bottom step (either sign of response is accepted)."""
    try:
        kernel = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        return False, "the kernel must be a 3 x 3 array of numbers"
    if kernel.shape != (3, 3) or not np.all(np.isfinite(kernel)):
        return False, f"the kernel must be 3 x 3 and finite, got shape {kernel.shape}"
    scale = np.abs(kernel).sum()
    if scale == 0:
        return False, "an all-zero kernel responds to nothing"
    columns, rows = np.meshgrid(np.arange(8), np.arange(8))
    responses = {
        name: np.abs(_correlate_valid(image.astype(np.float64), kernel)).max() / scale
        for name, image in {
            "flat": np.ones((8, 8)),
            "vertical": (columns >= 4),
            "horizontal": (rows >= 4),
        }.items()
    }
    if responses["flat"] > 1e-9:
        return False, "the kernel responds to a flat image; its entries should sum to zero"
    if responses["horizontal"] > 1e-9:
        return False, "the kernel responds to a horizontal edge"
    if responses["vertical"] < 0.25:
        return False, "the kernel barely responds to a vertical edge"
    return True, ""
