"""Activation functions (AFs) and their derivatives.

The lecture lists the AFs met so far: the step function, the logistic (sigmoid), softmax,
the rectified linear unit f(a) = max{0, a}, and "none" (the identity, a linear unit); tanh is
the usual smooth hidden-layer choice. Every function takes the pre-activation `a` (an array
of any shape, float32 or float64, the dtype is kept) and works elementwise, except `softmax`,
which normalises over the last axis (one row per example).

Each derivative also takes the pre-activation `a` (not the activation) and returns dh/da
elementwise with the shape and dtype of `a`, which is what backprop multiplies the incoming
error by: delta_j = h'(a_j) * (error arriving at unit j).

Conventions at the points where a derivative does not exist:
    step_derivative(a) = 0 everywhere, including a = 0 where the step jumps (so a network of
        step units receives no gradient: the reason backprop needs smooth or piecewise-linear AFs);
    relu_derivative(0) = 0 (a unit exactly at its kink is treated as switched off).
"""

import numpy as np

from lectureml._validate import as_float_array, describe


def step(a):
    """Heaviside step: 1 where a >= 0, else 0 (so step(0) = 1, the unit fires at threshold).

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries 0 or 1.
    """
    a = as_float_array(a, "a")
    return (a >= 0).astype(a.dtype)


def step_derivative(a):
    """Derivative of `step`: 0 everywhere, by convention also at a = 0 where it jumps.

    Args:
        a: pre-activations, any shape.

    Returns:
        zeros with the shape and dtype of `a`.
    """
    a = as_float_array(a, "a")
    return np.zeros_like(a)


def sigmoid(a):
    """Logistic function 1 / (1 + exp(-a)), without overflow for any finite a.

    exp is only ever taken of -|a| <= 0, so it cannot overflow: for a >= 0 the usual form is
    used, for a < 0 the equivalent exp(a) / (1 + exp(a)), which keeps tiny outputs accurate.

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries in [0, 1].
    """
    a = as_float_array(a, "a")
    decay = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + decay), decay / (1 + decay))


def sigmoid_derivative(a):
    """Derivative of `sigmoid`: sigmoid(a) * (1 - sigmoid(a)).

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries in [0, 1/4].
    """
    s = sigmoid(a)
    return s * (1 - s)


def tanh(a):
    """Hyperbolic tangent, a sigmoid rescaled to (-1, 1): tanh(a) = 2 * sigmoid(2a) - 1.

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries in [-1, 1].
    """
    a = as_float_array(a, "a")
    return np.tanh(a)


def tanh_derivative(a):
    """Derivative of `tanh`: 1 - tanh(a)**2.

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries in [0, 1].
    """
    t = tanh(a)
    return 1 - t * t


def relu(a):
    """Rectified linear unit max{0, a}.

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`.
    """
    a = as_float_array(a, "a")
    return np.maximum(a, 0)


def relu_derivative(a):
    """Derivative of `relu`: 1 where a > 0, else 0 (by convention 0 at the kink a = 0).

    Args:
        a: pre-activations, any shape.

    Returns:
        array with the shape and dtype of `a`, entries 0 or 1.
    """
    a = as_float_array(a, "a")
    return (a > 0).astype(a.dtype)


def identity(a):
    """No activation (a linear unit): returns a copy of `a`, so editing it leaves `a` intact.

    Args:
        a: pre-activations, any shape.

    Returns:
        array equal to `a`, same shape and dtype.
    """
    a = as_float_array(a, "a")
    return a.copy()


def identity_derivative(a):
    """Derivative of `identity`: 1 everywhere.

    Args:
        a: pre-activations, any shape.

    Returns:
        ones with the shape and dtype of `a`.
    """
    a = as_float_array(a, "a")
    return np.ones_like(a)


def softmax(a):
    """Softmax over the last axis: y_k = exp(a_k) / sum_l exp(a_l), each row sums to 1.

    Subtracting each row's maximum first leaves the result unchanged (the factor exp(-max)
    cancels) but makes every exponent <= 0, so logits of 1e4 do not overflow.

    Args:
        a: logits of shape (..., K), typically (N, K) with one row per example, K >= 1.

    Returns:
        probabilities with the shape and dtype of `a`.
    """
    a = _check_rows(a, "a")
    shifted = a - a.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_backward(dout, y):
    """Backward pass of `softmax`: the Jacobian of softmax applied to the upstream gradient.

    With y = softmax(a) the Jacobian of one row is dy_k/da_l = y_k (1[k = l] - y_l). It is
    symmetric, so the vector-Jacobian and Jacobian-vector products coincide:

        da_l = sum_k dout_k * dy_k/da_l = y_l * (dout_l - sum_k dout_k y_k).

    Unlike the elementwise AFs, softmax mixes a row's units, so no elementwise derivative
    exists and this product replaces the "multiply by h'(a)" step of backprop.

    Args:
        dout: upstream gradient dL/dy, shape (..., K).
        y: the softmax output for the same rows, shape (..., K) like `dout`.

    Returns:
        da: dL/da with the shape of `dout`.
    """
    dout = _check_rows(dout, "dout")
    y = _check_rows(y, "y")
    if y.shape != dout.shape:
        raise ValueError(
            f"y must have the shape of dout {dout.shape} (the softmax output of the same rows), "
            f"got shape {y.shape}"
        )
    return y * (dout - np.sum(dout * y, axis=-1, keepdims=True))


ACTIVATIONS = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "logistic": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}


def get_activation(name):
    """Look up an elementwise activation by name.

    Args:
        name: one of the keys of ACTIVATIONS ("logistic" is an alias of "sigmoid").
            softmax is not elementwise and is used through `softmax` / `softmax_backward`.

    Returns:
        (f, df): the activation and its derivative, both taking the pre-activation.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {sorted(ACTIVATIONS)}, got {describe(name)}")
    if name not in ACTIVATIONS:
        hint = ""
        if name == "softmax":
            hint = "; softmax is not elementwise: use softmax and softmax_backward"
        raise ValueError(f"name must be one of {sorted(ACTIVATIONS)}, got {name!r}{hint}")
    return ACTIVATIONS[name]


def _check_rows(value, name):
    """A float array with at least one axis and at least one unit along the last one."""
    value = as_float_array(value, name)
    if value.ndim == 0 or value.shape[-1] == 0:
        raise ValueError(
            f"{name} must have shape (..., K) with K >= 1 units on its last axis, "
            f"got shape {value.shape}"
        )
    return value
