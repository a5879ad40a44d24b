"""Plausible wrong answers to the exercises of notebook 03; each must be rejected."""

import numpy as np


def _logistic(a):
    return 1 / (1 + np.exp(-a))


def swapped_signs(x, center, width, steepness):
    """Subtracts the rising edge from the falling one: a dip of depth 1 instead of a bump."""
    left, right = center - width / 2, center + width / 2
    return _logistic(steepness * (x - right)) - _logistic(steepness * (x - left))


def full_width_on_each_side(x, center, width, steepness):
    """Puts the edges at center -/+ width, so the bump is twice as wide as asked."""
    left, right = center - width, center + width
    return _logistic(steepness * (x - left)) - _logistic(steepness * (x - right))


def center_as_left_edge(x, center, width, steepness):
    """Reads `center` as the left edge: the bump is shifted right by width / 2."""
    left, right = center, center + width
    return _logistic(steepness * (x - left)) - _logistic(steepness * (x - right))


def steepness_outside(x, center, width, steepness):
    """Writes sigma(s x - c) instead of sigma(s (x - c)): the edges move with the steepness."""
    left, right = center - width / 2, center + width / 2
    return _logistic(steepness * x - left) - _logistic(steepness * x - right)


WRONG_ANSWERS = {
    "03-bump": [swapped_signs, full_width_on_each_side, center_as_left_edge, steepness_outside],
    "03-predict-pieces": [
        11,  # the shallow bound: 3 + 2 + 3 + 2 hidden units, plus 1
        16,  # 2^4, as if every layer were a tent map
        10,  # pieces added, not multiplied
        81,  # 3^4, as if every layer were the zigzag
    ],
}
