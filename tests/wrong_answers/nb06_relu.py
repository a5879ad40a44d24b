"""Plausible wrong answers to the exercises of notebook 06; each must be rejected by its check."""

import numpy as np

# --- 06-relu-forward: relu_forward(a) ------------------------------------------------------


def relu_leaky(a):
    """A leaky ReLU: slope 0.01 for negative inputs instead of 0."""
    return np.where(a > 0, a, 0.01 * a)


def relu_abs(a):
    """Folds negative inputs up instead of switching the unit off."""
    return np.abs(a)


def relu_capped_at_one(a):
    """Clips to [0, 1], as if ReLU saturated like the logistic function."""
    return np.clip(a, 0, 1)


def relu_loses_float32(a):
    """Right values, but float32 inputs come back as float64."""
    return np.maximum(a.astype(np.float64), 0.0)


def relu_in_place(a):
    """Right values, but zeroes the negative entries of the caller's array a itself."""
    a[a < 0] = 0
    return a


def relu_maximum_into_a(a):
    """Right values, but np.maximum writes them into a (out=a) instead of a new array."""
    return np.maximum(a, 0, out=a)


# --- 06-relu-backward: relu_backward(dout, a) ----------------------------------------------


def backward_slope_one_everywhere(dout, a):
    """Derivative 1 also at negative inputs: the error signal passes every unit unchanged."""
    return dout.copy()


def backward_leaky(dout, a):
    """The leaky variant's derivative: 0.01 instead of 0 for inputs <= 0."""
    return dout * np.where(a > 0, 1.0, 0.01).astype(a.dtype)


def backward_returns_the_input(dout, a):
    """Returns the pre-activation itself instead of a gradient."""
    return a.copy()


def backward_returns_forward_output(dout, a):
    """Returns relu(a), the forward pass again."""
    return np.maximum(a, 0).astype(a.dtype)


def backward_local_derivative_only(dout, a):
    """relu'(a) without multiplying by the incoming error signal (no chain rule)."""
    return (a > 0).astype(a.dtype)


def backward_masks_by_dout(dout, a):
    """Masks with the sign of the error signal instead of the sign of the input."""
    return dout * (dout > 0)


def backward_kink_counts_as_active(dout, a):
    """relu'(0) = 1 instead of the convention relu'(0) = 0 stated in the exercise."""
    return dout * (a >= 0)


def backward_loses_float32(dout, a):
    """Right values, but the gradient of float32 inputs comes back as float64."""
    return dout.astype(np.float64) * (a > 0)


# --- 06-dead-units: dead_unit_fraction(weights, biases, x) ---------------------------------


def _layer_pre_activations(weights, biases, x, apply_relu=True):
    """Pre-activations a_l of every layer; without `apply_relu` the a_l feed the next layer."""
    pre = []
    h = x
    for w, b in zip(weights, biases, strict=True):
        a = h @ w + b
        pre.append(a)
        h = np.maximum(a, 0) if apply_relu else a
    return pre


def dead_counts_zeros_per_example(weights, biases, x):
    """The fraction of zero activations (the sparsity), not of units that are never active."""
    return np.array([np.mean(a <= 0) for a in _layer_pre_activations(weights, biases, x)])


def dead_with_ge_zero_as_active(weights, biases, x):
    """Calls a unit active when a >= 0, so a unit stuck exactly at 0 counts as alive."""
    return np.array(
        [1.0 - np.mean(np.any(a >= 0, axis=0)) for a in _layer_pre_activations(weights, biases, x)]
    )


def dead_over_the_wrong_axis(weights, biases, x):
    """The fraction of EXAMPLES on which no unit is active, instead of units never active."""
    return np.array(
        [1.0 - np.mean(np.any(a > 0, axis=1)) for a in _layer_pre_activations(weights, biases, x)]
    )


def dead_if_ever_inactive(weights, biases, x):
    """Counts a unit as dead as soon as it is off on one example."""
    return np.array(
        [np.mean(np.any(a <= 0, axis=0)) for a in _layer_pre_activations(weights, biases, x)]
    )


def dead_without_relu_between_layers(weights, biases, x):
    """Feeds each layer's pre-activations, not its ReLU outputs, to the next layer."""
    pre = _layer_pre_activations(weights, biases, x, apply_relu=False)
    return np.array([1.0 - np.mean(np.any(a > 0, axis=0)) for a in pre])


def dead_counts_not_fractions(weights, biases, x):
    """The number of dead units per layer instead of their fraction."""
    return np.array(
        [float(np.sum(~np.any(a > 0, axis=0))) for a in _layer_pre_activations(weights, biases, x)]
    )


def dead_one_number_for_the_network(weights, biases, x):
    """One fraction over all hidden units together instead of one per layer."""
    pre = _layer_pre_activations(weights, biases, x)
    return float(np.mean(np.concatenate([~np.any(a > 0, axis=0) for a in pre])))


def dead_alive_fraction(weights, biases, x):
    """The fraction of units that are alive (positive on some example), not of dead ones."""
    return np.array(
        [np.mean(np.any(a > 0, axis=0)) for a in _layer_pre_activations(weights, biases, x)]
    )


def dead_weights_on_the_left(weights, biases, x):
    """W_l @ h_{l-1} instead of h_{l-1} @ W_l: the shapes do not fit, so numpy raises."""
    fractions = []
    h = x
    for w, b in zip(weights, biases, strict=True):
        a = w @ h + b
        fractions.append(1.0 - np.mean(np.any(a > 0, axis=0)))
        h = np.maximum(a, 0)
    return np.array(fractions)


WRONG_ANSWERS = {
    "06-relu-forward": [
        relu_leaky,
        relu_abs,
        relu_capped_at_one,
        relu_loses_float32,
        relu_in_place,
        relu_maximum_into_a,
    ],
    "06-relu-backward": [
        backward_slope_one_everywhere,
        backward_leaky,
        backward_returns_the_input,
        backward_returns_forward_output,
        backward_local_derivative_only,
        backward_masks_by_dout,
        backward_kink_counts_as_active,
        backward_loses_float32,
    ],
    "06-dead-units": [
        dead_counts_zeros_per_example,
        dead_with_ge_zero_as_active,
        dead_over_the_wrong_axis,
        dead_if_ever_inactive,
        dead_without_relu_between_layers,
        dead_counts_not_fractions,
        dead_one_number_for_the_network,
        dead_alive_fraction,
        dead_weights_on_the_left,
    ],
}
