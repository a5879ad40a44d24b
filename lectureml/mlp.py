"""The lecture's fully connected 2-layer network (one hidden layer), forward and backward.

Notation (lecture 15). D inputs x_d, M hidden units, K outputs; the bias is an extra input
x_0 = 1 (and an extra hidden unit z_0 = 1), so the sums start at 0:

    a_j = sum_{d=0}^{D} x_d w_dj^(1)          hidden pre-activation,  j = 1..M
    z_j = h(a_j)                               hidden activation (h: tanh, logistic, ReLU, ...)
    b_k = sum_{j=0}^{M} z_j w_jk^(2)           output pre-activation,  k = 1..K
    y_k = sigma(b_k)                           output (sigma: identity, logistic or softmax)

Arrays. One example per row: X is (N, D), and the weights carry the bias as their row 0,

    W1: (D+1, M), W1[d, j] = w_dj^(1), W1[0] the hidden biases;
    W2: (M+1, K), W2[j, k] = w_kj^(2) of the lecture's sum, W2[0] the output biases.

In matrix form y = sigma([1, h([1, X] W1)] W2), where [1, .] prepends a column of ones
(`add_bias_column`). The lecture's compact formula y = sigma(W^(1) h(X W^(2))) writes the
two matrices the other way round (it multiplies X by W^(2) although W^(1) is defined as the
D x M input-to-hidden matrix); this module keeps the order consistent with the shapes: W1
touches the inputs, W2 the hidden units.

Backprop for the squared error E = 1/2 sum_n sum_k (t_nk - y_nk)^2 passes error messages
(deltas) backwards:

    delta_k = (y_k - t_k) * sigma'(b_k)              output deltas
    delta_j = h'(a_j) * sum_{k=1}^{K} w_jk delta_k   hidden deltas, j = 1..M
    dE/dw_jk^(2) = z_j delta_k,   dE/dw_dj^(1) = x_d delta_j   (summed over examples).

The bias unit z_0 = 1 is a constant with no incoming weights, so no delta flows into it:
the hidden deltas use W2 without its row 0.

Softmax output with squared error: softmax couples the K outputs, so sigma'(b_k) is not a
number but a K x K Jacobian. It is supported exactly, delta = J^T (y - t) via
`activations.softmax_backward`; for classification prefer the cross-entropy
`losses.softmax_cross_entropy`, whose gradient has no vanishing softmax factor.

Dtypes: all float32 inputs give float32 results; mixed float32/float64 follow numpy's
promotion (float64).
"""

from typing import NamedTuple

import numpy as np

from lectureml import activations
from lectureml._validate import (
    DIVERGED,
    as_float_array,
    check_choice,
    check_finite,
    check_float_dtype,
    check_generator,
    check_int,
    check_positive_number,
)
from lectureml.losses import squared_error

HIDDEN_ACTIVATIONS = tuple(activations.ACTIVATIONS)
OUTPUT_ACTIVATIONS = ("identity", "sigmoid", "logistic", "softmax")


class ForwardPass(NamedTuple):
    """Every intermediate of `forward`, kept for backprop and for plotting.

    a: hidden pre-activations, shape (N, M).
    z: hidden activations h(a), shape (N, M), WITHOUT the bias unit z_0 = 1
       (the output layer sees add_bias_column(z), shape (N, M+1)).
    b: output pre-activations, shape (N, K).
    y: outputs sigma(b), shape (N, K).
    """

    a: np.ndarray
    z: np.ndarray
    b: np.ndarray
    y: np.ndarray


class Gradients(NamedTuple):
    """Result of `backward`; the first three fields are the error and its gradients.

    E: total squared error over the N examples, a float.
    dW1: dE/dW1, shape (D+1, M).
    dW2: dE/dW2, shape (M+1, K).
    delta_output: output deltas delta_k = dE/db_k, shape (N, K).
    delta_hidden: hidden deltas delta_j = dE/da_j, shape (N, M) (no entry for the bias unit).

    Unpack all five (E, dW1, dW2, delta_output, delta_hidden = grads), slice grads[:3], or read
    fields by name (grads.dW1).
    """

    E: float
    dW1: np.ndarray
    dW2: np.ndarray
    delta_output: np.ndarray
    delta_hidden: np.ndarray


def add_bias_column(X):
    """Prepend the bias input x_0 = 1 to every row.

    Args:
        X: inputs, shape (N, D).

    Returns:
        array of shape (N, D+1) and the dtype of `X`, column 0 all ones, columns 1..D equal X.
    """
    X = as_float_array(X, "X", ndim=2, layout="(N, D)", hint="for one example use X[None, :]")
    return np.concatenate([np.ones((X.shape[0], 1), dtype=X.dtype), X], axis=1)


def init_weights(D, M, K, rng, scale=None, dtype=np.float64):
    """Random Gaussian weights for a D-M-K network, bias rows included.

    Every weight, biases too, is drawn independently from N(0, std^2); random (not equal)
    weights are needed so that hidden units start different and learn different features.

    Args:
        D, M, K: numbers of inputs, hidden units and outputs (each >= 1).
        rng: numpy.random.Generator, e.g. np.random.default_rng(0).
        scale: standard deviation of every weight; None picks 1 / sqrt(fan-in) per layer,
            i.e. 1 / sqrt(D+1) for W1 and 1 / sqrt(M+1) for W2 (the bias counted as an input),
            which keeps the pre-activations of order 1 for inputs of order 1.
        dtype: np.float64 (default) or np.float32 (or the matching np.dtype).

    Returns:
        W1: shape (D+1, M); W2: shape (M+1, K).
    """
    D = check_int(D, "D", minimum=1)
    M = check_int(M, "M", minimum=1)
    K = check_int(K, "K", minimum=1)
    rng = check_generator(rng, "rng")
    if scale is not None:
        scale = check_positive_number(scale, "scale")
    dtype = check_float_dtype(dtype)

    std1 = scale if scale is not None else 1 / np.sqrt(D + 1)
    std2 = scale if scale is not None else 1 / np.sqrt(M + 1)
    W1 = (std1 * rng.standard_normal((D + 1, M))).astype(dtype)
    W2 = (std2 * rng.standard_normal((M + 1, K))).astype(dtype)
    return W1, W2


def forward(X, W1, W2, hidden="tanh", output="identity"):
    """Forward propagation through the 2-layer network, y = sigma([1, h([1, X] W1)] W2).

    Args:
        X: inputs, shape (N, D).
        W1: input-to-hidden weights, shape (D+1, M), row 0 the hidden biases.
        W2: hidden-to-output weights, shape (M+1, K), row 0 the output biases.
        hidden: hidden activation h, a name in HIDDEN_ACTIVATIONS.
        output: output activation sigma, a name in OUTPUT_ACTIVATIONS.

    Returns:
        ForwardPass(a, z, b, y) with a, z of shape (N, M) (z without the bias unit)
        and b, y of shape (N, K).
    """
    X, W1, W2 = _check_network(X, W1, W2)
    h, _ = _hidden_activation(hidden)
    _check_output_name(output)
    return _forward(X, W1, W2, h, output)


def backward(X, t, W1, W2, hidden="tanh", output="identity"):
    """Backprop of the squared error E = 1/2 sum_n sum_k (t_nk - y_nk)^2 through the network.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N, K) (2-D also for K = 1).
        W1: shape (D+1, M); W2: shape (M+1, K), as in `forward`.
        hidden, output: activation names, as in `forward`.

    Returns:
        Gradients(E, dW1, dW2, delta_output, delta_hidden): E a float, dW1 (D+1, M),
        dW2 (M+1, K), delta_output (N, K), delta_hidden (N, M).
    """
    X, W1, W2 = _check_network(X, W1, W2)
    h, dh = _hidden_activation(hidden)
    _check_output_name(output)
    num_examples, num_outputs = X.shape[0], W2.shape[1]
    t = as_float_array(t, "t", ndim=2, layout="(N, K)", hint="for one output use t.reshape(-1, 1)")
    if t.shape != (num_examples, num_outputs):
        raise ValueError(
            f"t must have shape (N, K) = ({num_examples}, {num_outputs}) for X with "
            f"N={num_examples} examples and W2 with K={num_outputs} outputs, got {t.shape}"
        )
    check_finite(t, "t")

    cache = _forward(X, W1, W2, h, output)
    E, dE_dy = squared_error(cache.y, t)
    if output == "softmax":
        delta_output = activations.softmax_backward(dE_dy, cache.y)
    else:
        _, output_derivative = activations.get_activation(output)
        delta_output = dE_dy * output_derivative(cache.b)
    delta_hidden = dh(cache.a) * (delta_output @ W2[1:].T)

    dW2 = add_bias_column(cache.z).T @ delta_output
    dW1 = add_bias_column(X).T @ delta_hidden
    return Gradients(E, dW1, dW2, delta_output, delta_hidden)


def _forward(X, W1, W2, h, output):
    """Forward pass on arguments already checked."""
    a = add_bias_column(X) @ W1
    z = h(a)
    b = add_bias_column(z) @ W2
    if output == "softmax":
        y = activations.softmax(b)
    else:
        output_activation, _ = activations.get_activation(output)
        y = output_activation(b)
    return ForwardPass(a, z, b, y)


def _check_network(X, W1, W2):
    """X (N, D), W1 (D+1, M), W2 (M+1, K), all finite floats."""
    X = as_float_array(X, "X", ndim=2, layout="(N, D)", hint="for one example use X[None, :]")
    W1 = as_float_array(W1, "W1", ndim=2, layout="(D+1, M)")
    W2 = as_float_array(W2, "W2", ndim=2, layout="(M+1, K)")
    num_inputs = X.shape[1]
    if W1.shape[0] != num_inputs + 1 or W1.shape[1] == 0:
        raise ValueError(
            f"W1 must have shape (D+1, M) = ({num_inputs + 1}, any M >= 1) for X with "
            f"D={num_inputs} inputs (row 0 holds the biases), got {W1.shape}"
        )
    num_hidden = W1.shape[1]
    if W2.shape[0] != num_hidden + 1 or W2.shape[1] == 0:
        raise ValueError(
            f"W2 must have shape (M+1, K) = ({num_hidden + 1}, any K >= 1) for W1 with "
            f"M={num_hidden} hidden units (row 0 holds the biases), got {W2.shape}"
        )
    check_finite(X, "X")
    check_finite(W1, "W1", cause=DIVERGED)
    check_finite(W2, "W2", cause=DIVERGED)
    return X, W1, W2


def _hidden_activation(name):
    """(h, h') for a hidden-activation name, with an error naming the `hidden` argument."""
    return activations.get_activation(check_choice(name, "hidden", HIDDEN_ACTIVATIONS))


def _check_output_name(name):
    check_choice(name, "output", OUTPUT_ACTIVATIONS)
