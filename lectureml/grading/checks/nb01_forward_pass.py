"""Checks of notebook 01 (forward pass): the vectorised forward pass and the shapes exercise.

Integers (shapes and the parameter count) may be Python or numpy integers, never floats or
bools; a shape may be a tuple or a list. The notebook's visible tests accept the same.
"""

import numpy as np

from lectureml import activations
from lectureml.grading import function_check, value_check
from lectureml.grading.verdict import as_int_tuple, judge_count, key_problem, plain


def _network(rng, D, M, K, N):
    X = rng.standard_normal((N, D))
    W1 = rng.standard_normal((D + 1, M))
    W2 = rng.standard_normal((M + 1, K))
    return X, W1, W2


def forward_cases(rng):
    """Several sizes and activation pairs, one example alone, and D = M = K so that swapped
    matrices still multiply (and must be caught by their values, not by a shape error)."""
    return [
        (*_network(rng, 3, 4, 2, 5), activations.tanh, activations.identity),
        (*_network(rng, 2, 4, 1, 7), activations.sigmoid, activations.sigmoid),
        (*_network(rng, 5, 3, 4, 6), activations.relu, activations.softmax),
        (*_network(rng, 1, 2, 1, 1), activations.tanh, activations.identity),
        (*_network(rng, 3, 3, 3, 4), activations.sigmoid, activations.identity),
    ]


@function_check("01-forward-bias-trick", cases=forward_cases, rtol=1e-6, atol=1e-9)
def forward_bias_trick_reference(X, W1, W2, h, sigma):
    """Y = sigma([1, h([1, X] W1)] W2), with X (N, D), W1 (D+1, M), W2 (M+1, K)."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return sigma(np.hstack([ones, hidden]) @ W2)


# D = 784 inputs, M = 100 hidden units, K = 10 outputs, a minibatch of N = 32.
_D, _M, _K, _N = 784, 100, 10, 32
EXPECTED_SHAPES = {
    "X": (_N, _D),
    "X_with_bias": (_N, _D + 1),
    "W1": (_D + 1, _M),
    "A": (_N, _M),
    "Z": (_N, _M),
    "Z_with_bias": (_N, _M + 1),
    "W2": (_M + 1, _K),
    "B": (_N, _K),
    "Y": (_N, _K),
}


def _hint(got, want):
    """What kind of mistake turns `want` into `got`, without saying what `want` is."""
    if len(got) != len(want):
        return "it should have as many axes as the array it describes"
    if got == want[::-1]:
        return "its axes are the wrong way round: examples are rows here"
    off_by_one = [g - w for g, w in zip(got, want, strict=True)]
    if sorted(off_by_one) == [-1, 0]:
        return "count the bias unit: with x_0 = 1 and z_0 = 1 the sums start at 0"
    if sorted(off_by_one) == [0, 1]:
        return "it counts a bias unit where there is none (only inputs to a layer get one)"
    return "follow the product [1 X] W1, then [1 Z] W2, one factor at a time"


@value_check("01-shapes")
def judge_shapes(shapes):
    """Every intermediate of the forward pass for D, M, K, N = 784, 100, 10, 32."""
    problem = key_problem(shapes, EXPECTED_SHAPES, "shapes")
    if problem:
        return False, problem
    for key, want in EXPECTED_SHAPES.items():
        got = as_int_tuple(shapes[key])
        if got is None:
            got_text = plain(shapes[key])
            return False, f"shapes[{key!r}] must be a tuple (or list) of ints, got {got_text}"
        if got != want:
            return False, f"shapes[{key!r}] = {got} is not right: {_hint(got, want)}"
    return True, ""


N_PARAMETERS = (_D + 1) * _M + (_M + 1) * _K


@value_check("01-n-parameters")
def judge_n_parameters(n_parameters):
    """The number of weights, biases included, as an integer (79510.0 is a float: rejected)."""
    return judge_count(
        n_parameters,
        "n_parameters",
        N_PARAMETERS,
        "count the entries of both weight matrices, bias rows included",
    )
