"""Plausible wrong answers to the exercises of notebook 03; each must be rejected."""

import math

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


def stable_logistic_with_if(x, center, width, steepness):
    """A numerically careful logistic that branches with `if`: fails for an array x."""

    def logistic(a):
        if a >= 0:
            return 1 / (1 + np.exp(-a))
        return np.exp(a) / (1 + np.exp(a))

    left, right = center - width / 2, center + width / 2
    return logistic(steepness * (x - left)) - logistic(steepness * (x - right))


def logistic_with_math_exp(x, center, width, steepness):
    """math.exp takes one number only: fails for an array x."""

    def logistic(a):
        return 1 / (1 + math.exp(-a))

    left, right = center - width / 2, center + width / 2
    return logistic(steepness * (x - left)) - logistic(steepness * (x - right))


def product_of_the_steps(x, center, width, steepness):
    """On after the left edge AND off after the right one: a product, not the difference."""
    left, right = center - width / 2, center + width / 2
    return _logistic(steepness * (x - left)) * (1 - _logistic(steepness * (x - right)))


def logistic_from_tanh(x, center, width, steepness):
    """(1 + tanh(a)) / 2 is the logistic of 2a, not of a: both units twice as steep."""
    left, right = center - width / 2, center + width / 2
    return (np.tanh(steepness * (x - left)) - np.tanh(steepness * (x - right))) / 2


WRONG_ANSWERS = {
    "03-bump": [
        swapped_signs,
        full_width_on_each_side,
        center_as_left_edge,
        steepness_outside,
        stable_logistic_with_if,
        logistic_with_math_exp,
        product_of_the_steps,
        logistic_from_tanh,
    ],
    "03-predict-pieces": [
        11,  # the shallow bound: 3 + 2 + 3 + 2 hidden units, plus 1
        16,  # 2^4, as if every layer were a tent map
        10,  # pieces added, not multiplied
        81,  # 3^4, as if every layer were the zigzag
        35,  # the kinks between the pieces counted instead of the pieces
        36.0,  # the right count as a float: n_pieces must be an int
    ],
}
