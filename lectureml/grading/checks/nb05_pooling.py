"""Checks of notebook 05 (pooling): max pooling forward and backward, and a receptive field.

"05-max-pool-forward": max_pool_forward(x, size=2, stride=None) on (N, C, H, W) batches:
    default and explicit strides, overlapping windows (stride < size), gaps (stride > size),
    remainder rows and columns that must be dropped, all-negative inputs, ties, float32.
"05-max-pool-backward": max_pool_backward(dout, x, size=2, stride=None): the same shapes,
    plus integer-valued inputs full of ties (the whole gradient goes to the first maximum in
    row-major order) and overlapping windows that share their maximum (contributions add).
    In both checks x is read-only: an answer that writes into x (the caller's activations)
    raises "assignment destination is read-only" (or "output array is read-only").
"05-receptive-field": the side of the receptive field after each layer of
    conv 5x5 -> max pool 2x2 -> conv 5x5 -> max pool 2x2 -> conv 3x3 (strides 1, 2, 1, 2, 1,
    no padding), as a tuple (or list) of five ints (numpy integers too; floats such as 14.0
    are refused, in the notebook's visible test as well).
"""

import numpy as np

from lectureml.grading import call, function_check, value_check
from lectureml.grading.registry import Call
from lectureml.grading.verdict import is_integer, plain
from lectureml.pooling import max_pool2d, max_pool2d_backward
from lectureml.receptive_field import receptive_fields

# (kernel side, stride, description) of the exercise's stack, bottom to top.
RECEPTIVE_FIELD_STACK = [
    (5, 1, "conv 5x5"),
    (2, 2, "max pool 2x2"),
    (5, 1, "conv 5x5"),
    (2, 2, "max pool 2x2"),
    (3, 1, "conv 3x3"),
]


def _ties(rng, shape):
    """Small integers as floats: most windows have several equal maxima."""
    return rng.integers(0, 3, size=shape).astype(np.float64)


def _read_only(x):
    """x, marked read-only: the task says to leave x unchanged, and this makes that checked."""
    x.setflags(write=False)
    return x


def _with_read_only_x(cases, position):
    """The cases with the argument x (positional `position`) of each made read-only."""
    for case in cases:
        _read_only((case.args if isinstance(case, Call) else case)[position])
    return cases


def max_pool_forward_cases(rng):
    """(x, size, stride) cases; each names one way a max pool can go wrong."""
    cases = [
        (rng.standard_normal((2, 3, 6, 8)),),  # defaults: size 2, stride = size
        (rng.standard_normal((1, 2, 4, 6)), 2),  # stride left to its default
        (rng.standard_normal((2, 1, 7, 9)), 2, 2),  # remainder row and column dropped
        (rng.standard_normal((1, 2, 7, 8)), 3, 2),  # overlapping windows, remainder
        (rng.standard_normal((2, 2, 8, 9)), 2, 3),  # gaps between windows
        (rng.standard_normal((1, 1, 5, 5)), 3, 1),  # every window overlaps its neighbours
        (-1.0 - rng.random((2, 2, 4, 4)), 2),  # all negative: the max is not >= 0
        (_ties(rng, (1, 3, 6, 6)), 2, 2),
        (rng.standard_normal((2, 3, 6, 6)).astype(np.float32), 2),  # float32 stays float32
        call(rng.standard_normal((1, 2, 9, 9)), size=3),  # keyword size, stride = 3
    ]
    return _with_read_only_x(cases, 0)


@function_check(
    "05-max-pool-forward", cases=max_pool_forward_cases, rtol=1e-6, atol=1e-7, check_dtype=True
)
def max_pool_forward_reference(x, size=2, stride=None):
    return max_pool2d(x, size, stride)


def max_pool_backward_cases(rng):
    """(dout, x, size, stride) cases: distinct values, ties, overlaps, gaps and remainders."""
    cases = []
    for x, size, stride in [
        (rng.standard_normal((2, 3, 6, 8)), 2, None),
        (rng.standard_normal((2, 1, 7, 9)), 2, 2),
        (rng.standard_normal((1, 2, 7, 8)), 3, 2),
        (rng.standard_normal((2, 2, 8, 9)), 2, 3),
        (rng.standard_normal((1, 1, 6, 6)), 3, 1),
        (_ties(rng, (2, 2, 6, 6)), 2, 2),
        (_ties(rng, (1, 2, 7, 7)), 3, 2),
        (-1.0 - rng.random((1, 2, 4, 4)), 2, None),
    ]:
        out_shape = max_pool2d(x, size, stride).shape
        cases.append((rng.standard_normal(out_shape), x, size, stride))
    x32 = rng.standard_normal((2, 2, 6, 6)).astype(np.float32)
    cases.append((rng.standard_normal((2, 2, 3, 3)).astype(np.float32), x32, 2, 2))
    x_default = rng.standard_normal((1, 2, 4, 6))
    cases.append(call(rng.standard_normal((1, 2, 2, 3)), x_default))  # size and stride default
    return _with_read_only_x(cases, 1)


@function_check(
    "05-max-pool-backward", cases=max_pool_backward_cases, rtol=1e-6, atol=1e-7, check_dtype=True
)
def max_pool_backward_reference(dout, x, size=2, stride=None):
    return max_pool2d_backward(dout, x, size, stride)


_HINTS = {
    "conv": "a k x k convolution adds (k - 1) times the jump of the layer below it",
    "pool": "a 2 x 2 pooling window also reads one more unit of the layer below, one jump away",
}


def _form_problem(sides, count):
    """What is wrong with the form of the answer, or ""."""
    if not isinstance(sides, (list, tuple)):
        kind = "numpy array" if isinstance(sides, np.ndarray) else type(sides).__name__
        return f"give a tuple (or list) of {count} ints, one side per layer, not a {kind}"
    if len(sides) != count:
        return f"give one side per layer: {count} ints, got {len(sides)}"
    for number, side in enumerate(sides, start=1):
        if is_integer(side):
            continue
        if isinstance(side, (float, np.floating)) and float(side).is_integer():
            return (
                f"entry {number} is {plain(side)}, a float: give every side as an int "
                "(on ints, // gives an int where / gives a float)"
            )
        return f"entry {number} is {plain(side)}: every side is a whole number of input pixels"
    return ""


@value_check("05-receptive-field")
def judge_receptive_field(sides):
    count = len(RECEPTIVE_FIELD_STACK)
    problem = _form_problem(sides, count)
    if problem:
        return False, problem
    expected = [
        field.size for field in receptive_fields([(k, s) for k, s, _ in RECEPTIVE_FIELD_STACK])
    ]
    for number, (got, want, (_, _, name)) in enumerate(
        zip(sides, expected, RECEPTIVE_FIELD_STACK, strict=True), start=1
    ):
        if int(got) != want:
            if int(got) == want * want:
                return False, (
                    f"entry {number} ({name}) looks like a number of pixels; give the side of "
                    f"the square block instead"
                )
            rule = _HINTS["pool" if "pool" in name else "conv"]
            return False, f"the side after layer {number} ({name}) is wrong: {rule}"
    return True, ""
