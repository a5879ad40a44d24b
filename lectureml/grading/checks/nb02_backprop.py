"""Checks of notebook 02 (backprop): the backward pass of the 2-layer MLP and gradient checking.

"02-backward": backward_pass(X, T, W1, W2) -> (E, dW1, dW2) for tanh hidden units, identity
outputs and the squared error E = 1/2 sum_n sum_k (t_nk - y_nk)^2, on random networks of
several sizes (a single example and a single hidden unit included).
"02-central-differences": central_differences(f, x, h=1e-5), the numerical gradient of a
function f() that reads the array x, which is perturbed in place; the cases include
functions that couple the entries of x (so a perturbation left behind shows), a large h
(so a step size that is ignored shows) and a function that turns nan once an entry of x is
not put back exactly (the task asks to leave x as found; `x[i] += h ... x[i] -= 2*h ...
x[i] += h` leaves last-bit rounding errors, as the notebook's visible test says too).
"02-relative-error": relative_error(a, b) = ||a - b|| / (||a|| + ||b||), 0 for two zero arrays.

The references return their numbers as np.float64, so that a student's np.float64 is
compared as a number and reported as one ("got 1.11", not "np.float64(1.11)").
"""

import numpy as np

from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.grading import call, function_check
from lectureml.mlp import backward


def backward_cases(rng):
    """(X, T, W1, W2) for networks (N, D, M, K) from one example up to a few dozen weights."""
    cases = []
    for N, D, M, K in [(5, 3, 4, 2), (1, 2, 3, 1), (7, 1, 1, 3), (4, 4, 6, 2)]:
        X = rng.standard_normal((N, D))
        T = rng.standard_normal((N, K))
        W1 = rng.standard_normal((D + 1, M))
        W2 = rng.standard_normal((M + 1, K))
        cases.append((X, T, W1, W2))
    return cases


@function_check("02-backward", cases=backward_cases, rtol=1e-6, atol=1e-9)
def backward_pass_reference(X, T, W1, W2):
    grads = backward(X, T, W1, W2, hidden="tanh", output="identity")
    return (np.float64(grads.E), grads.dW1, grads.dW2)


class _ScalarFunction:
    """f() of the array it reads, with a readable repr for the grader's case descriptions."""

    def __init__(self, formula, evaluate):
        self.formula = formula
        self.evaluate = evaluate
        self.__name__ = f"f() = {formula}"  # what the grader's case descriptions show

    def __call__(self):
        return float(self.evaluate())

    def __repr__(self):
        return f"f() = {self.formula}"


def _sum_of_cubes(x):
    return _ScalarFunction("sum(x**3)", lambda: np.sum(x**3))


def _quadratic_form(x, A):
    """x^T A x for a non-symmetric A: every entry's derivative depends on all the others."""
    return _ScalarFunction("x^T A x", lambda: x.ravel() @ A @ x.ravel())


def _log_sum_exp(x):
    return _ScalarFunction("log(sum(exp(x)))", lambda: np.log(np.sum(np.exp(x))))


def _squares_of_untouched(x):
    """sum(x**2) while at most one entry of x differs from where it started, nan otherwise:
    an entry that is not put back exactly spoils every later evaluation."""
    start = x.copy()

    def evaluate():
        if np.count_nonzero(x != start) > 1:
            return np.nan
        return np.sum(x**2)

    return _ScalarFunction("sum(x**2), nan once an entry of x is not put back exactly", evaluate)


def central_difference_cases(rng):
    """Each f is built around its own x, so the case's f reads exactly the x it comes with."""
    cubes = rng.standard_normal(6)
    matrix = rng.standard_normal((2, 3))
    coupling = rng.standard_normal((6, 6))
    exps = rng.standard_normal((3, 2))
    wide = rng.standard_normal(4)
    # Values whose x + h - 2h + h is not x again in floating point (for most entries).
    untouched = rng.standard_normal((2, 3))
    return [
        (_sum_of_cubes(cubes), cubes),
        (_quadratic_form(matrix, coupling), matrix),
        (_log_sum_exp(exps), exps),
        call(_sum_of_cubes(wide), wide, h=0.1),
        (_squares_of_untouched(untouched), untouched),
    ]


@function_check("02-central-differences", cases=central_difference_cases, rtol=1e-7, atol=1e-9)
def central_differences_reference(f, x, h=1e-5):
    return numerical_gradient(f, x, h)


def relative_error_cases(rng):
    a = rng.standard_normal((3, 4))
    return [
        (a, a + 1e-3 * rng.standard_normal((3, 4))),
        (rng.standard_normal(5), rng.standard_normal(5)),
        (np.array([1e-6, 2.0, -3.0]), np.array([2e-6, 2.0, -3.0])),
        (np.array([4.0, -1.0]), np.array([-4.0, 1.0])),
        (np.zeros(3), np.zeros(3)),
    ]


@function_check("02-relative-error", cases=relative_error_cases, rtol=1e-9, atol=1e-15)
def relative_error_reference(a, b):
    return np.float64(relative_error(a, b))
