"""Checks of notebook 03 (universal approximation): a bump from two logistic units, and the
number of linear pieces of a composed ReLU network."""

import numpy as np

from lectureml.approximation import bump
from lectureml.grading import call, function_check, value_check


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
value_check("03-predict-pieces", expected=3 * 2 * 3 * 2, rtol=0.0, atol=0.0)
