"""Checks of notebook 03 (universal approximation): a bump from two logistic units, and the
number of linear pieces of a composed ReLU network.

The number of pieces must be a Python or numpy integer, never a float or a bool, as the
notebook's visible test requires.
"""

import numpy as np

from lectureml.approximation import bump
from lectureml.grading import call, function_check, value_check
from lectureml.grading.verdict import judge_count


def bump_cases(rng):
    """Bumps of several positions, widths and steepnesses, on grids that reach past both
    edges, so a misplaced edge, a wrong width or a flipped sign all show in the values."""
    grid = np.linspace(-3.0, 3.0, 121)
    return [
        call(grid, 0.0, 1.0, 20.0),
        call(grid, 0.7, 0.4, 50.0),
        call(grid, -1.2, 2.0, 5.0),
        call(np.sort(rng.uniform(-2.0, 2.0, size=40)), float(rng.uniform(-1.0, 1.0)), 0.8, 12.0),
    ]


@function_check("03-bump", cases=bump_cases, rtol=1e-6, atol=1e-9)
def bump_reference(x, center, width, steepness):
    return bump(x, center, width, steepness)


# zigzag (3 pieces onto [0, 1]), tent (2), zigzag (3), tent (2): every piece of one map
# covers [0, 1] once, so the next map splits it into as many pieces as that map has.
N_PIECES = 3 * 2 * 3 * 2


@value_check("03-predict-pieces")
def judge_n_pieces(n_pieces):
    """The number of linear pieces of T(Z(T(Z(x)))) on [0, 1], as an integer (36.0 is a
    float: rejected)."""
    return judge_count(
        n_pieces,
        "n_pieces",
        N_PIECES,
        "follow one linear piece of the first map on [0, 1] through each of the next maps",
    )
