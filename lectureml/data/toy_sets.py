"""Seeded toy data sets: curves to fit in 1-D and two-class patterns in 2-D.

The regression targets are the four functions Bishop uses to show that a network
with one hidden layer can approximate very different shapes (smooth, kinked,
discontinuous). The classification patterns are ones a linear model cannot
separate, so a hidden layer has something to learn.

Every generator takes an explicit `rng`, a numpy.random.Generator such as
`np.random.default_rng(0)`, and never the global RNG: a notebook that fixes its
seed once gets the same points on every run. All arrays are float64.
"""

import types

import numpy as np

from lectureml._validate import check_generator, check_int, check_positive_number, describe


def _sine(x):
    """sin(pi x): one full period on [-1, 1]."""
    return np.sin(np.pi * x)


def _heaviside_step(x):
    """H(x) = 1 for x >= 0, else 0."""
    return (x >= 0).astype(x.dtype)


REGRESSION_FUNCTIONS = types.MappingProxyType(
    {
        "abs": np.abs,
        "quadratic": np.square,
        "sin": _sine,
        "step": _heaviside_step,
    }
)
"""Noise-free targets of make_regression_1d by name, e.g. REGRESSION_FUNCTIONS["sin"](x)."""


def _check_name(value, name, valid_names):
    """Require one of `valid_names` (strings) and list them all when the value is wrong."""
    listed = ", ".join(repr(valid) for valid in sorted(valid_names))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, got {describe(value)}")
    if value not in valid_names:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def make_regression_1d(n, rng, function="sin", noise=0.1):
    """Noisy samples t = f(x) + noise * e of a named function on [-1, 1].

    x is drawn uniformly from [-1, 1] and sorted ascending (so `plt.plot(x, t)`
    draws a curve); e is standard normal noise. The noise-free curve is
    `REGRESSION_FUNCTIONS[function](x)`.

    Args:
        n: number of points, an int >= 1.
        rng: numpy.random.Generator that supplies all randomness.
        function: "sin" (sin(pi x)), "quadratic" (x^2), "abs" (|x|) or "step" (Heaviside H(x)).
        noise: standard deviation of the Gaussian noise added to t, a number >= 0.

    Returns:
        x: inputs, shape (n, 1), float64, sorted ascending.
        t: targets, shape (n, 1), float64.
    """
    n = check_int(n, "n", minimum=1)
    check_generator(rng, "rng")
    _check_name(function, "function", REGRESSION_FUNCTIONS)
    noise = check_positive_number(noise, "noise", allow_zero=True)

    x = np.sort(rng.uniform(-1.0, 1.0, size=(n, 1)), axis=0)
    t = REGRESSION_FUNCTIONS[function](x) + noise * rng.standard_normal((n, 1))
    return x, t


def _moons(labels, rng):
    """Two interleaved half circles, centred on the origin."""
    angle = np.pi * rng.uniform(0.0, 1.0, size=labels.shape)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    points = np.where(labels[:, None] == 0, upper, lower)
    return points - np.array([0.5, 0.25])


def _circles(labels, rng):
    """Class 0 on the unit circle, class 1 on the circle of radius 0.5 inside it."""
    angle = 2.0 * np.pi * rng.uniform(0.0, 1.0, size=labels.shape)
    radius = np.where(labels == 0, 1.0, 0.5)
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def _xor(labels, rng):
    """Uniform in [-1, 1]^2; class 1 where the two coordinates have opposite signs."""
    first_sign = rng.choice([-1.0, 1.0], size=labels.shape)
    second_sign = np.where(labels == 1, -first_sign, first_sign)
    magnitude = rng.uniform(0.0, 1.0, size=(labels.size, 2))
    return magnitude * np.column_stack([first_sign, second_sign])


def _spirals(labels, rng):
    """Two arms of 1.5 turns each, the second rotated by half a turn."""
    radius = rng.uniform(0.0, 1.0, size=labels.shape)
    angle = 3.0 * np.pi * radius + np.pi * labels
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


_SHAPES = {"circles": _circles, "moons": _moons, "spirals": _spirals, "xor": _xor}
CLASSIFICATION_KINDS = tuple(_SHAPES)


def make_classification_2d(n, rng, kind="moons", noise=0.1):
    """Two-class points in the plane that no straight line separates.

    The classes differ in size by at most one point and come in random order.
    Each point is placed exactly on its class's shape, then moved by Gaussian
    noise, so with noise > 0 a few points stray across the boundary.

    Args:
        n: number of points, an int >= 2 (at least one per class).
        rng: numpy.random.Generator that supplies all randomness.
        kind: "moons" (two interleaved half circles), "circles" (a ring around a
            smaller ring), "xor" (opposite quadrants share a class) or "spirals"
            (two interleaved spiral arms).
        noise: standard deviation of the Gaussian noise on each coordinate, >= 0.

    Returns:
        X: points, shape (n, 2), float64, within about [-1.5, 1.5]^2 for small noise.
        labels: class of each point, shape (n,), int64, values 0 or 1.
    """
    n = check_int(n, "n", minimum=2)
    check_generator(rng, "rng")
    _check_name(kind, "kind", CLASSIFICATION_KINDS)
    noise = check_positive_number(noise, "noise", allow_zero=True)

    labels = rng.permutation(np.arange(n, dtype=np.int64) % 2)
    points = _SHAPES[kind](labels, rng)
    return points + noise * rng.standard_normal((n, 2)), labels
