"""Universal approximation with one hidden layer, and what depth adds (notebook 03).

Part 1, the constructive picture behind the universal approximation theorem (Cybenko 1989,
Hornik 1991). A logistic hidden unit sigma(s (x - t)) with a steep slope s is almost a step
at x = t; the difference of two steps is a bump; a weighted sum of bumps follows any
continuous target f. `bump_construction` writes that sum as the lecture's 1-hidden-layer
network (identity output, logistic hidden units) with weights in the lecture's layout:

    W1: (2, M), row 0 the hidden biases w_0j = -s t_j, row 1 the input weights w_1j = s;
    W2: (M+1, 1), row 0 the output bias, rows 1..M the output weights w_j1.

With M hidden units the construction samples f at M+1 evenly spaced knots x_0..x_M of the
interval and puts the steps halfway between neighbouring knots. Bump j (centred on knot j)
is the rising step j minus the rising step j+1, so neighbouring bumps share a unit and
M units give M+1 bumps (the two outer ones are one-sided, the output bias holds f(x_0)).
For comparison, `random_hidden_layer`, `fit_output_layer` (least squares, exact for W2) and
`train_hidden_layer` (backprop on W1 plus least squares on W2) fit such networks to samples.

Part 2, depth. All networks of that part use ReLU hidden units, an identity output and one
input, and are given as a list of weight matrices in the lecture's layout,
`[W1, W2, ..., WL]` with W1 of shape (2, n_1), W_l of shape (n_{l-1}+1, n_l) and WL of shape
(n_{L-1}+1, 1); ReLU follows every layer except the last. Such a network is piecewise linear.
One hidden layer of M units has at most M kinks (one per unit, where its pre-activation
crosses 0), hence at most M+1 linear pieces. Composing the tent map L times, a network with
L hidden layers of 2 units, gives a sawtooth with 2^L pieces (Telgarsky 2016);
`count_linear_pieces` counts pieces exactly from the kinks.
"""

import numbers
import types

import numpy as np

from lectureml._validate import (
    as_float_array,
    check_choice,
    check_finite,
    check_generator,
    check_int,
    check_positive_number,
    describe,
)
from lectureml.activations import get_activation, relu, sigmoid
from lectureml.mlp import HIDDEN_ACTIVATIONS, add_bias_column, backward

INTERVAL = (-1.0, 1.0)
"""The compact interval [a, b] every target of TARGETS is approximated on."""

# Halving the learning rate this often shrinks it by ~1e-12: the step has stopped helping.
_MAX_HALVINGS = 40


def _sine(x):
    """sin(pi x): one full period on [-1, 1]."""
    return np.sin(np.pi * x)


def _step_target(x):
    """Heaviside step with the midpoint value at the jump: 0 for x < 0, 1/2 at 0, 1 for x > 0."""
    return 0.5 * (np.sign(x) + 1)


TARGETS = types.MappingProxyType({"sin": _sine, "abs": np.abs, "step": _step_target})
"""Target functions on INTERVAL by name: two continuous ones and a jump (H(0) = 1/2)."""


def logistic_step(x, position, steepness):
    """One logistic hidden unit used as a soft step: sigma(steepness * (x - position)).

    As a unit of the network its input weight is w_1 = steepness and its bias
    w_0 = -steepness * position; the larger the steepness, the closer to a step at `position`.

    Args:
        x: inputs, any shape.
        position: where the step is half way up, a finite number.
        steepness: slope factor s, a finite number > 0 (the slope at `position` is s / 4).

    Returns:
        array with the shape and dtype of `x`, entries in [0, 1].
    """
    x = as_float_array(x, "x")
    position = _check_real(position, "position")
    steepness = check_positive_number(steepness, "steepness")
    # Python floats are weak scalars in numpy, so a float32 x stays float32.
    return sigmoid(steepness * (x - position))


def bump(x, center, width, steepness, height=1.0):
    """A bump of two logistic units: a step up at center - width/2 minus one at center + width/2.

    Args:
        x: inputs, any shape.
        center: middle of the bump, a finite number.
        width: distance between the two steps, a finite number > 0.
        steepness: slope factor of both logistic units, a finite number > 0.
        height: output weight of the bump, a finite number.

    Returns:
        array with the shape and dtype of `x`: about `height` inside the bump, about 0 outside.
    """
    x = as_float_array(x, "x")
    center = _check_real(center, "center")
    width = check_positive_number(width, "width")
    steepness = check_positive_number(steepness, "steepness")
    height = _check_real(height, "height")
    rise = logistic_step(x, center - width / 2, steepness)
    fall = logistic_step(x, center + width / 2, steepness)
    return height * (rise - fall)


def construction_knots(M, interval=INTERVAL):
    """Knots and step positions of the bump construction with M hidden units.

    Args:
        M: number of hidden units, an int >= 1.
        interval: (a, b) with a < b.

    Returns:
        knots: shape (M+1,), evenly spaced from a to b (the bump centres);
        edges: shape (M,), the midpoints between neighbouring knots (where the units step).
    """
    M = check_int(M, "M", minimum=1)
    low, high = _check_interval(interval)
    knots = np.linspace(low, high, M + 1)
    return knots, (knots[:-1] + knots[1:]) / 2


def bump_construction(target, M, steepness, interval=INTERVAL):
    """Weights of the 1-hidden-layer logistic network that sums bumps of height f(knot).

    The network computes y(x) = f(x_0) + sum_{j=1}^{M} (f(x_j) - f(x_{j-1})) sigma(s (x - e_j))
    with knots x_j and edges e_j from `construction_knots`; regrouping the sum by knots gives
    sum_j f(x_j) B_j(x) with the bumps of `bump_terms`. Evaluate it with
    `lectureml.mlp.forward(x[:, None], W1, W2, hidden="sigmoid")`.

    Args:
        target: a name in TARGETS, or a function mapping an array of x to f(x) of the same shape.
        M: number of hidden units, an int >= 1.
        steepness: input weight s of every hidden unit, a finite number > 0.
        interval: (a, b) with a < b.

    Returns:
        W1: shape (2, M); W2: shape (M+1, 1); both float64.
    """
    function = _check_target(target)
    knots, edges = construction_knots(M, interval)
    steepness = check_positive_number(steepness, "steepness")
    heights = _target_values(function, knots)
    W1 = np.stack([-steepness * edges, np.full_like(edges, steepness)])
    W2 = np.concatenate([heights[:1], np.diff(heights)])[:, None]
    return W1, W2


def bump_terms(x, target, M, steepness, interval=INTERVAL):
    """The M+1 bumps f(x_j) B_j(x) whose sum is the output of `bump_construction`.

    B_0 = 1 - sigma(s (x - e_1)), B_j = sigma(s (x - e_j)) - sigma(s (x - e_{j+1})) and
    B_M = sigma(s (x - e_M)): the outer bumps are one-sided, so the sum is exact on the whole
    real line, not only inside the interval.

    Args:
        x: inputs, shape (N,).
        target, M, steepness, interval: as in `bump_construction`.

    Returns:
        array of shape (N, M+1) and the dtype of `x`; column j is f(x_j) B_j(x).
    """
    x = as_float_array(x, "x", ndim=1, layout="(N,)")
    function = _check_target(target)
    knots, edges = construction_knots(M, interval)
    steepness = check_positive_number(steepness, "steepness")
    heights = _target_values(function, knots).astype(x.dtype)
    steps = sigmoid(steepness * (x[:, None] - edges.astype(x.dtype)))
    ones = np.ones((x.shape[0], 1), dtype=x.dtype)
    zeros = np.zeros((x.shape[0], 1), dtype=x.dtype)
    bumps = np.concatenate([ones, steps], axis=1) - np.concatenate([steps, zeros], axis=1)
    return bumps * heights


def random_hidden_layer(M, rng, steepness_range, interval=INTERVAL):
    """A hidden layer of M logistic units with random positions, slopes and orientations.

    Each unit j steps at a position t_j drawn uniformly from the interval, with a slope
    magnitude drawn uniformly from `steepness_range` and a random sign (rising or falling):
    w_1j = s_j, w_0j = -s_j t_j.

    Args:
        M: number of hidden units, an int >= 1.
        rng: numpy.random.Generator, the only source of randomness.
        steepness_range: (low, high) with 0 < low <= high, the range of the slope magnitudes.
        interval: (a, b) with a < b, where the units step.

    Returns:
        W1: shape (2, M), float64, in the lecture's layout (row 0 the biases).
    """
    M = check_int(M, "M", minimum=1)
    rng = check_generator(rng, "rng")
    low_slope, high_slope = _check_range(steepness_range, "steepness_range")
    low, high = _check_interval(interval)
    positions = rng.uniform(low, high, size=M)
    slopes = rng.uniform(low_slope, high_slope, size=M) * rng.choice([-1.0, 1.0], size=M)
    return np.stack([-slopes * positions, slopes])


def fit_output_layer(X, t, W1, hidden="sigmoid"):
    """The output weights W2 that minimise E = 1/2 sum_n sum_k (t_nk - y_nk)^2 for fixed W1.

    With the hidden layer fixed and an identity output, y = [1, h([1, X] W1)] W2 is linear in
    W2, so the best W2 is a least-squares solution (the one of smallest norm when several fit
    equally well). This trains the output layer exactly; the hidden layer is left as given.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N, K).
        W1: input-to-hidden weights, shape (D+1, M), row 0 the hidden biases.
        hidden: hidden activation name, one of lectureml.mlp.HIDDEN_ACTIVATIONS.

    Returns:
        W2: shape (M+1, K), row 0 the output biases; float32 only if X, t and W1 all are.
    """
    X, t, W1, h = _check_fit_arguments(X, t, W1, hidden)
    W2, _ = _least_squares_output_layer(add_bias_column(X), t, W1, h)
    return W2


def train_hidden_layer(X, t, W1, steps, hidden="sigmoid", learning_rate=1e-3):
    """Train a 1-hidden-layer network: backprop on W1, least squares on W2 after every step.

    Each step moves W1 against dE/dW1 from `lectureml.mlp.backward` and then re-fits the
    output layer exactly with `fit_output_layer`, so E = 1/2 sum_n sum_k (t_nk - y_nk)^2
    never includes a badly fitted output layer. Step-size rule: a step that would raise E is
    undone and retried with half the learning rate; an accepted step lets the next one be 1.5
    times larger. Training stops early when no step of positive size lowers E any more.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N, K).
        W1: initial input-to-hidden weights, shape (D+1, M) (not modified).
        steps: number of gradient steps, an int >= 0 (0 only fits the output layer).
        hidden: hidden activation name, one of lectureml.mlp.HIDDEN_ACTIVATIONS.
        learning_rate: initial step size, a number > 0.

    Returns:
        (W1, W2, errors): the trained weights, shapes (D+1, M) and (M+1, K), and E before
        every step and after the last one, shape (number of steps taken + 1,).
    """
    X, t, W1, h = _check_fit_arguments(X, t, W1, hidden)
    steps = check_int(steps, "steps", minimum=0)
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    inputs = add_bias_column(X)
    W2, error = _least_squares_output_layer(inputs, t, W1, h)
    errors = [error]
    for _ in range(steps):
        gradient = backward(X, t, W1, W2, hidden=hidden).dW1
        for _halving in range(_MAX_HALVINGS):
            W1_trial = W1 - learning_rate * gradient
            W2_trial, error = _least_squares_output_layer(inputs, t, W1_trial, h)
            if error <= errors[-1]:
                break
            learning_rate /= 2
        else:
            break
        W1, W2 = W1_trial, W2_trial
        errors.append(error)
        learning_rate *= 1.5
    return W1, W2, np.array(errors)


def sup_error(y, t):
    """Largest absolute error max_n |y_n - t_n|: the sup norm, measured on the given points.

    Args:
        y: approximation, any shape.
        t: target values, the shape of `y`.

    Returns:
        float.
    """
    y, t = _check_pair(y, t)
    return float(np.max(np.abs(y - t)))


def rms_error(y, t):
    """Root-mean-square error sqrt(mean (y - t)^2): the L2 error per unit length on a uniform grid.

    Args:
        y: approximation, any shape.
        t: target values, the shape of `y`.

    Returns:
        float.
    """
    y, t = _check_pair(y, t)
    return float(np.sqrt(np.mean(np.square(y - t))))


def shallow_relu_fit(x, t, M, interval):
    """A 1-hidden-layer ReLU network of M units fitted to samples by least squares.

    Unit j switches on at the j-th of M evenly spaced points a + j (b - a) / M, j = 0..M-1, of
    the interval; the output layer is then fitted exactly (`fit_output_layer`). With the kinks
    fixed this is the best such network in squared error; it can represent exactly every
    continuous piecewise-linear function whose kinks are among those points.

    Args:
        x: inputs, shape (N,).
        t: targets, shape (N,).
        M: number of hidden units, an int >= 1.
        interval: (a, b) with a < b.

    Returns:
        [W1, W2] with W1 of shape (2, M) and W2 of shape (M+1, 1), float64.
    """
    x = as_float_array(x, "x", ndim=1, layout="(N,)").astype(np.float64)
    t = as_float_array(t, "t", ndim=1, layout="(N,)").astype(np.float64)
    if x.size == 0:
        raise ValueError(
            f"x must hold at least one input value, shape (N,) with N >= 1, got shape {x.shape}"
        )
    if t.shape != x.shape:
        raise ValueError(f"t must have the shape of x {x.shape}, got shape {t.shape}")
    # Checked here so that the messages name x, not the X of fit_output_layer.
    check_finite(x, "x")
    check_finite(t, "t")
    M = check_int(M, "M", minimum=1)
    low, high = _check_interval(interval)
    positions = low + (high - low) * np.arange(M) / M
    W1 = np.stack([-positions, np.ones(M)])
    return [W1, fit_output_layer(x[:, None], t[:, None], W1, hidden="relu")]


def tent_map_network():
    """The tent map T(x) = 2 relu(x) - 4 relu(x - 1/2) as a 1-2-1 ReLU network.

    On [0, 1], T rises from 0 to 1 on [0, 1/2] and falls back to 0 on [1/2, 1].

    Returns:
        [W1, W2] with W1 of shape (2, 2) and W2 of shape (3, 1), float64.
    """
    W1 = np.array([[0.0, -0.5], [1.0, 1.0]])
    W2 = np.array([[0.0], [2.0], [-4.0]])
    return [W1, W2]


def piecewise_linear_network(knots, values):
    """A 1-hidden-layer ReLU network through the points (knots[i], values[i]).

    Unit j switches on at knots[j] (j = 0..n-2) and its output weight is the change of slope
    there, so on [knots[0], knots[-1]] the network equals the linear interpolant; left of
    knots[0] it is constant, right of knots[-1] it continues the last slope.

    Args:
        knots: strictly increasing positions, shape (n,), n >= 2.
        values: function values at the knots, shape (n,).

    Returns:
        [W1, W2] with W1 of shape (2, n-1) and W2 of shape (n, 1), float64.
    """
    knots = as_float_array(knots, "knots", ndim=1, layout="(n,)").astype(np.float64)
    values = as_float_array(values, "values", ndim=1, layout="(n,)").astype(np.float64)
    if knots.shape[0] < 2:
        raise ValueError(f"knots must have at least 2 entries, got shape {knots.shape}")
    if values.shape != knots.shape:
        raise ValueError(f"values must have the shape of knots {knots.shape}, got {values.shape}")
    check_finite(knots, "knots")
    check_finite(values, "values")
    if np.any(np.diff(knots) <= 0):
        raise ValueError(f"knots must be strictly increasing, got {np.round(knots, 6).tolist()}")
    slopes = np.diff(values) / np.diff(knots)
    slope_changes = np.concatenate([slopes[:1], np.diff(slopes)])
    W1 = np.stack([-knots[:-1], np.ones(knots.shape[0] - 1)])
    W2 = np.concatenate([values[:1], slope_changes])[:, None]
    return [W1, W2]


def compose_networks(networks):
    """One deep ReLU network computing the composition of the given networks.

    The first network is applied first: compose_networks([f, g]) computes g(f(x)). The linear
    output layer of one network and the first layer of the next are merged into one matrix,
    so the result has as many hidden layers as the parts together.

    Args:
        networks: non-empty list of ReLU networks with one input and one output, each a list
            of weight matrices as described in the module docstring.

    Returns:
        list of weight matrices (float64) of the composed network.
    """
    if not isinstance(networks, (list, tuple)) or len(networks) == 0:
        raise TypeError(f"networks must be a non-empty list of networks, got {describe(networks)}")
    checked = [_check_relu_network(net, f"networks[{i}]") for i, net in enumerate(networks)]
    layers = list(checked[0])
    for network in checked[1:]:
        output_layer, first_layer = layers.pop(), network[0]
        merged = np.concatenate(
            [
                first_layer[:1] + output_layer[0, 0] * first_layer[1:2],
                output_layer[1:] @ first_layer[1:2],
            ]
        )
        layers += [merged, *network[1:]]
    return layers


def sawtooth_network(L):
    """The tent map composed L times: L hidden layers of 2 ReLU units, 2^L linear pieces on [0, 1].

    Args:
        L: number of compositions (hidden layers), an int >= 1.

    Returns:
        list of L+1 weight matrices: (2, 2), then L-1 of shape (3, 2), then (3, 1).
    """
    L = check_int(L, "L", minimum=1)
    return compose_networks([tent_map_network()] * L)


def relu_network_forward(x, weights):
    """Evaluate a ReLU network with one input and one output.

    Args:
        x: inputs, shape (N,).
        weights: list of weight matrices as described in the module docstring.

    Returns:
        outputs, shape (N,); float32 only if `x` and every matrix are float32.
    """
    x = as_float_array(x, "x", ndim=1, layout="(N,)")
    weights = _check_relu_network(weights, "weights", keep_dtype=True)
    z = x[:, None]
    for W in weights[:-1]:
        z = relu(add_bias_column(z) @ W)
    return (add_bias_column(z) @ weights[-1])[:, 0]


def kinks(weights, interval, resolution=1e-9):
    """The points inside `interval` where the network's slope changes, found exactly.

    Layer by layer: between the kinks found so far every pre-activation is linear in x, so
    each unit adds a kink where it crosses 0 inside a segment. The slope of every final
    segment is then computed exactly from its activation pattern (forward-mode derivative),
    and only the candidate kinks where the slope really changes are kept.

    Args:
        weights: list of weight matrices as described in the module docstring.
        interval: (a, b) with a < b.
        resolution: kinks closer than resolution * (b - a) to each other or to an end of the
            interval are merged (floating-point roots of one kink differ in the last digits);
            a number in (0, 0.5), smaller than the gaps between the kinks.

    Returns:
        sorted float64 array of kink positions strictly inside the interval.
    """
    weights = _check_relu_network(weights, "weights")
    low, high = _check_interval(interval)
    resolution = check_positive_number(resolution, "resolution")
    # Every point is within (b - a) / 2 of an end, so from 1/2 on every kink merges into an end.
    if resolution >= 0.5:
        raise ValueError(
            f"resolution must be a finite number in (0, 0.5) (default 1e-9), got {resolution}"
        )
    min_gap = resolution * (high - low)

    points = np.array([low, high])
    for depth, W in enumerate(weights[:-1]):
        pre_activations = add_bias_column(_hidden_output(points, weights[:depth])) @ W
        left, right = pre_activations[:-1], pre_activations[1:]
        segment, unit = np.nonzero(left * right < 0)
        fraction = left[segment, unit] / (left[segment, unit] - right[segment, unit])
        roots = points[segment] + fraction * (points[segment + 1] - points[segment])
        points = _merge_close(np.concatenate([points, roots]), min_gap, high)
        # Gaps below min_gap all the way from a to b chain every kink and both ends into one
        # point: no segment is left to take a slope on.
        if points.size < 2:
            raise ValueError(
                f"resolution must be smaller than the gaps between the kinks, as a fraction of "
                f"the interval, got {resolution}: with hidden layer {depth + 1} the kinks and the "
                f"ends of {interval!r} are each closer than resolution * (b - a) = {min_gap:.3g} "
                f"to the next, so all merge into one point"
            )

    middles = (points[:-1] + points[1:]) / 2
    slopes = _slopes(middles, weights)
    scale = max(float(np.max(np.abs(slopes))), 1.0)
    changes = np.abs(np.diff(slopes)) > 1e-9 * scale
    return points[1:-1][changes]


def count_linear_pieces(weights, interval, resolution=1e-9):
    """Number of linear pieces of a ReLU network on `interval`: 1 + the number of kinks.

    Args:
        weights, interval, resolution: as in `kinks`.

    Returns:
        int >= 1.
    """
    return int(kinks(weights, interval, resolution).size + 1)


def parameter_count(weights):
    """Number of weights (biases included) of a network given as a list of matrices.

    Args:
        weights: list of weight matrices as described in the module docstring.

    Returns:
        int.
    """
    return int(sum(W.size for W in _check_relu_network(weights, "weights")))


def _check_fit_arguments(X, t, W1, hidden):
    """X (N, D), t (N, K), W1 (D+1, M) as finite float arrays of one dtype, and h."""
    X = as_float_array(X, "X", ndim=2, layout="(N, D)", hint="for one input use x[:, None]")
    t = as_float_array(t, "t", ndim=2, layout="(N, K)", hint="for one output use t[:, None]")
    W1 = as_float_array(W1, "W1", ndim=2, layout="(D+1, M)")
    # Least squares on no examples or no outputs "succeeds" with zero or empty weights.
    if X.size == 0:
        raise ValueError(
            f"X must hold at least one example and one input, shape (N, D) with N, D >= 1, "
            f"got shape {X.shape}"
        )
    if t.shape[1] == 0:
        raise ValueError(
            f"t must have at least one output column, shape (N, K) with K >= 1, got shape {t.shape}"
        )
    if t.shape[0] != X.shape[0]:
        raise ValueError(
            f"t must have one row per example of X, i.e. shape ({X.shape[0]}, K), got {t.shape}"
        )
    if W1.shape[0] != X.shape[1] + 1 or W1.shape[1] == 0:
        raise ValueError(
            f"W1 must have shape (D+1, M) = ({X.shape[1] + 1}, M) for X with D={X.shape[1]} "
            f"inputs (row 0 holds the biases), got {W1.shape}"
        )
    check_choice(hidden, "hidden", HIDDEN_ACTIVATIONS)
    for value, name in ((X, "X"), (t, "t"), (W1, "W1")):
        check_finite(value, name)
    dtype = np.result_type(X, t, W1)
    h, _ = get_activation(hidden)
    return X.astype(dtype), t.astype(dtype), W1.astype(dtype), h


def _least_squares_output_layer(inputs, t, W1, h):
    """Best W2 for the hidden units h(inputs @ W1), and the squared error E it leaves."""
    hidden_units = add_bias_column(h(inputs @ W1))
    W2, *_ = np.linalg.lstsq(hidden_units, t, rcond=None)
    residual = hidden_units @ W2 - t
    return W2, 0.5 * float(np.sum(residual * residual))


def _hidden_output(points, hidden_layers):
    """Output of the given hidden layers (ReLU after each) at the points, shape (P, n)."""
    z = points[:, None]
    for W in hidden_layers:
        z = np.maximum(add_bias_column(z) @ W, 0.0)
    return z


def _slopes(x, weights):
    """dy/dx of the network at the points x (away from kinks), shape (P,)."""
    z, dz = x[:, None], np.ones((x.shape[0], 1))
    for W in weights[:-1]:
        pre_activation = add_bias_column(z) @ W
        active = pre_activation > 0
        z, dz = pre_activation * active, (dz @ W[1:]) * active
    return (dz @ weights[-1][1:])[:, 0]


def _merge_close(points, min_gap, high):
    """Sorted points without near-duplicates; the last point stays the interval's end."""
    points = np.sort(points)
    keep = np.concatenate([[True], np.diff(points) > min_gap])
    points = points[keep]
    points[-1] = high
    return points


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a finite real number, got {describe(value)}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value}")
    return float(value)


def _check_interval(interval):
    if (
        not isinstance(interval, (tuple, list))
        or len(interval) != 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in interval)
    ):
        raise TypeError(
            f"interval must be a pair (a, b) of numbers with a < b, got {describe(interval)}"
        )
    low, high = float(interval[0]), float(interval[1])
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(
            f"interval must be a pair (a, b) of finite numbers with a < b, got {interval!r}"
        )
    return low, high


def _check_range(value, name):
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
    ):
        raise TypeError(f"{name} must be a pair (low, high) of numbers, got {describe(value)}")
    low, high = float(value[0]), float(value[1])
    if not (np.isfinite(high) and 0 < low <= high):
        raise ValueError(f"{name} must be a pair (low, high) with 0 < low <= high, got {value!r}")
    return low, high


def _check_target(target):
    if isinstance(target, str):
        if target not in TARGETS:
            raise ValueError(
                f"target must be one of {sorted(TARGETS)} or a function, got {target!r}"
            )
        return TARGETS[target]
    if not callable(target):
        raise TypeError(
            f"target must be one of {sorted(TARGETS)} or a function of x, got {describe(target)}"
        )
    return target


def _target_values(function, knots):
    """f(knots) as a finite float64 array of the knots' shape."""
    values = function(knots)
    if not isinstance(values, np.ndarray) or values.shape != knots.shape:
        raise ValueError(
            f"target must map an array of shape {knots.shape} to an array of the same shape, "
            f"got {describe(values)}"
        )
    values = as_float_array(values, "target(x)").astype(np.float64)
    check_finite(values, "target(x)")
    return values


def _check_pair(y, t):
    y = as_float_array(y, "y")
    t = as_float_array(t, "t")
    if y.shape != t.shape:
        raise ValueError(f"t must have the shape of y {y.shape}, got shape {t.shape}")
    if y.size == 0:
        raise ValueError("y must contain at least one value, got an empty array")
    return y, t


def _check_relu_network(weights, name, keep_dtype=False):
    """A chain [W1 (2, n1), ..., WL (n_{L-1}+1, 1)] of finite float matrices."""
    if not isinstance(weights, (list, tuple)) or len(weights) < 2:
        raise TypeError(
            f"{name} must be a list of at least 2 weight matrices [W1, ..., WL], "
            f"got {describe(weights)}"
        )
    checked = []
    for index, W in enumerate(weights):
        W = as_float_array(W, f"{name}[{index}]", ndim=2, layout="(units below + 1, units)")
        expected_rows = 2 if index == 0 else checked[-1].shape[1] + 1
        if W.shape[0] != expected_rows or W.shape[1] == 0:
            raise ValueError(
                f"{name}[{index}] must have shape ({expected_rows}, any >= 1) "
                f"(row 0 the biases, then one row per unit below), got {W.shape}"
            )
        check_finite(W, f"{name}[{index}]")
        checked.append(W if keep_dtype else W.astype(np.float64))
    if checked[-1].shape[1] != 1:
        raise ValueError(
            f"{name}[{len(checked) - 1}] (the output layer) must have 1 column for one output, "
            f"got shape {checked[-1].shape}"
        )
    return checked
