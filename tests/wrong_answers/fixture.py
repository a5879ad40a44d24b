"""Plausible wrong answers to the grading fixture's exercises; each must be rejected.

The format every `tests/wrong_answers/<module>.py` follows: WRONG_ANSWERS maps each check
name registered by `lectureml/grading/checks/<module>.py` to at least two answers, functions
for function checks and values for value checks (tests/test_grading_checks.py).
"""

import numpy as np


def relu_abs(a):
    """Folds the negative inputs up instead of zeroing them."""
    return np.abs(a)


def relu_capped_at_one(a):
    """Clips to [0, 1], as if ReLU were a saturating unit; passes the visible assert."""
    return np.clip(a, 0, 1)


def relu_loses_float32(a):
    """Right values, but float32 inputs come back as float64."""
    return np.maximum(a.astype(np.float64), 0.0)


def leaky_relu(a):
    """A leaky ReLU: a small slope for negative inputs instead of zero."""
    return np.where(a > 0, a, 0.01 * a)


SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])

WRONG_ANSWERS = {
    "fixture-relu": [relu_abs, relu_capped_at_one, relu_loses_float32, leaky_relu],
    "fixture-shape": [
        (8, 16, 32, 32),  # the padding forgotten: 'same' instead of 'valid'
        (8, 3, 30, 30),  # the input channels kept instead of one map per filter
        (16, 8, 30, 30),  # batch and channel axes swapped
        [8, 16, 29, 29],  # H - K instead of H - K + 1
    ],
    "fixture-kernel": [
        SOBEL.T,  # transposed: detects horizontal edges
        np.ones((3, 3)) / 9,  # a blur responds to everything
        np.zeros((3, 3)),  # responds to nothing
        SOBEL[:2],  # the wrong shape
    ],
}
