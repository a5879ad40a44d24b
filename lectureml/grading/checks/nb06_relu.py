"""Checks of notebook 06 (ReLU and activation functions).

"06-relu-forward": relu_forward(a) -> max{0, a} elementwise, shape and dtype of `a`. Every
`a` is read-only, so an answer that changes `a` in place (the task forbids it) raises
"assignment destination is read-only" (or "output array is read-only").
"06-relu-backward": relu_backward(dout, a) -> dout * relu'(a) with relu'(a) = 1 for a > 0 and
0 otherwise (also at a = 0, the convention of lectureml.activations), shape and dtype of `a`.
The cases have exact zeros in `a` with non-zero `dout`, negative `dout` where `a > 0`, both
float dtypes and 1-D to 4-D shapes.
"06-dead-units": dead_unit_fraction(weights, biases, x) -> float array of shape (L,), for a
network of L ReLU hidden layers (h0 = x, a_l = h_{l-1} @ W_l + b_l, h_l = max{0, a_l}): the
fraction of the units of each layer whose pre-activation is > 0 on no example of x. The
cases contain units that are exactly 0 on every example (dead: relu'(0) = 0), units active on
a single example (alive), units of a deeper layer that die only because the ReLU below them
outputs nothing negative, pixel-like inputs and float32 data. Messages describe a case's
weights and biases by their shapes, never as array reprs.
"""

import numpy as np

from lectureml.grading import function_check


def _read_only(a):
    a.setflags(write=False)
    return a


def relu_forward_cases(rng):
    """Random values in both dtypes and several shapes, and the kink at zero; all read-only."""
    inputs = [
        rng.standard_normal((4, 5)),
        rng.standard_normal((2, 3, 4)).astype(np.float32),
        np.array([-2.0, -0.0, 0.0, 1e-12, -1e-12, 3.0]),
        rng.uniform(-5.0, 5.0, size=(3, 2, 4, 4)),
        rng.standard_normal(7).astype(np.float32),
    ]
    return [(_read_only(a),) for a in inputs]


@function_check("06-relu-forward", cases=relu_forward_cases, rtol=0.0, atol=0.0, check_dtype=True)
def relu_forward_reference(a):
    return np.where(a > 0, a, np.zeros((), dtype=a.dtype))


def relu_backward_cases(rng):
    """(dout, a) pairs; dout has both signs wherever a has, and a has exact zeros."""
    kink = np.array([-2.0, -0.0, 0.0, 1e-12, -1e-12, 3.0])
    with_zeros = rng.standard_normal((5, 6))
    with_zeros[rng.random((5, 6)) < 0.3] = 0.0
    return [
        (rng.standard_normal((4, 5)), rng.standard_normal((4, 5))),
        (
            rng.standard_normal((2, 3, 4)).astype(np.float32),
            rng.standard_normal((2, 3, 4)).astype(np.float32),
        ),
        (np.array([1.5, -2.0, 3.0, -0.5, 2.5, -4.0]), kink),
        (rng.standard_normal((5, 6)), with_zeros),
        (rng.standard_normal((2, 3, 4, 4)), rng.uniform(-5.0, 5.0, size=(2, 3, 4, 4))),
        (
            rng.standard_normal((3, 7)).astype(np.float32),
            with_zeros[:3, :6].repeat(2, axis=1)[:, :7].astype(np.float32),
        ),
    ]


@function_check("06-relu-backward", cases=relu_backward_cases, rtol=0.0, atol=0.0, check_dtype=True)
def relu_backward_reference(dout, a):
    return np.where(a > 0, dout, np.zeros((), dtype=a.dtype)).astype(a.dtype)


class _Arrays(list):
    """A list of arrays that a message describes by their shapes, e.g. "weights (5, 8)".

    It is a plain list to the student's function; only its repr (used by the case labels of
    the grader's messages) differs, so no message prints a truncated array repr.
    """

    def __init__(self, name, arrays):
        super().__init__(arrays)
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        self.description = f"{name} {shapes}"

    def __repr__(self):
        return self.description


def _network(weights, biases, x):
    """One case: the lists of a network's weights and biases, and its data."""
    return (_Arrays("weights", weights), _Arrays("biases", biases), x)


def _alive_on_one_example(x, column):
    """A bias that makes `x @ column + bias` positive on exactly one example (the largest)."""
    values = np.sort(x @ column)
    return -(values[-1] + values[-2]) / 2


def dead_units_cases(rng):
    """Networks with dead units of every kind: never positive, exactly zero, killed from below."""
    cases = []

    # One layer: column 0 exactly 0 everywhere, 1 always negative, 2 active on one example.
    x = rng.standard_normal((20, 5))
    weights = rng.standard_normal((5, 8))
    biases = 0.1 * rng.standard_normal(8)
    weights[:, 0], biases[0] = 0.0, 0.0
    weights[:, 1], biases[1] = 0.0, -1.0
    biases[2] = _alive_on_one_example(x, weights[:, 2])
    biases[3] = -50.0
    cases.append(_network([weights], [biases], x))

    # Two layers on pixel-like inputs (>= 0, many exact zeros). In layer 2, unit 0 has only
    # negative incoming weights: it is dead because the ReLU below never outputs a negative.
    pixels = rng.random((30, 12))
    pixels[pixels < 0.5] = 0.0
    first = rng.standard_normal((12, 6)) / np.sqrt(12)
    first_bias = np.array([0.0, -0.2, -10.0, 0.1, 0.0, -0.05])
    second = rng.standard_normal((6, 5))
    second[:, 0] = -np.abs(second[:, 0])
    second_bias = np.array([0.0, 0.0, -0.1, 0.2, -20.0])
    second[:, 4] = 0.0
    cases.append(_network([first, second], [first_bias, second_bias], pixels))

    # Three layers in float32, the third one with a unit exactly zero on every example.
    x32 = rng.standard_normal((16, 4)).astype(np.float32)
    layers = [rng.standard_normal((4, 7)), rng.standard_normal((7, 7)), rng.standard_normal((7, 3))]
    layers = [(w / np.sqrt(len(w))).astype(np.float32) for w in layers]
    biases32 = [
        np.array([0.0, -3.0, 0.5, 0.0, -0.2, 0.1, -9.0], dtype=np.float32),
        (-0.3 * np.abs(rng.standard_normal(7))).astype(np.float32),
        np.zeros(3, dtype=np.float32),
    ]
    layers[2][:, 1] = 0.0
    cases.append(_network(layers, biases32, x32))

    # No dead unit at all: every fraction is 0.
    x_alive = rng.standard_normal((25, 3))
    alive = rng.standard_normal((3, 4))
    cases.append(_network([alive], [np.abs(x_alive @ alive).max(axis=0)], x_alive))
    return cases


@function_check("06-dead-units", cases=dead_units_cases, rtol=1e-9, atol=1e-12)
def dead_units_reference(weights, biases, x):
    fractions = []
    h = np.asarray(x)
    for w, b in zip(weights, biases, strict=True):
        a = h @ w + b
        fractions.append(1.0 - np.mean(np.any(a > 0, axis=0)))
        h = np.maximum(a, 0)
    return np.array(fractions, dtype=np.float64)
