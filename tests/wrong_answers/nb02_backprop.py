"""Plausible wrong answers to the exercises of notebook 02; each must be rejected by its check."""

import numpy as np


def _forward(X, W1, W2):
    ones = np.ones((X.shape[0], 1))
    A = np.hstack([ones, X]) @ W1
    Z = np.tanh(A)
    Y = np.hstack([ones, Z]) @ W2
    return ones, A, Z, Y


def backward_without_activation_derivative(X, T, W1, W2):
    """Forgets the factor h'(a_j): the hidden deltas are just W(2) times the output deltas."""
    ones, _, Z, Y = _forward(X, W1, W2)
    delta_out = Y - T
    delta_hidden = delta_out @ W2[1:].T
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def backward_derivative_of_activation(X, T, W1, W2):
    """Applies tanh' to the activation z = tanh(a) instead of the pre-activation a."""
    ones, _, Z, Y = _forward(X, W1, W2)
    delta_out = Y - T
    delta_hidden = (1 - np.tanh(Z) ** 2) * (delta_out @ W2[1:].T)
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def backward_wrong_bias_row(X, T, W1, W2):
    """Drops the last row of W2 instead of the bias row 0 when sending deltas back."""
    ones, A, Z, Y = _forward(X, W1, W2)
    delta_out = Y - T
    delta_hidden = (1 - np.tanh(A) ** 2) * (delta_out @ W2[:-1].T)
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def backward_bias_row_not_dropped(X, T, W1, W2):
    """Sends the output deltas back through all of W2, bias row included: (N, M+1) hidden
    deltas that do not fit h'(A) of shape (N, M), so numpy raises."""
    ones, A, Z, Y = _forward(X, W1, W2)
    delta_out = Y - T
    delta_hidden = (1 - np.tanh(A) ** 2) * (delta_out @ W2.T)
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def backward_dW2_without_bias_row(X, T, W1, W2):
    """Computes dW2 as Z^T delta_out, without the bias unit's column of ones: (M, K), not W2's
    shape (M+1, K)."""
    ones, A, Z, Y = _forward(X, W1, W2)
    delta_out = Y - T
    delta_hidden = (1 - np.tanh(A) ** 2) * (delta_out @ W2[1:].T)
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, Z.T @ delta_out


def backward_flipped_sign(X, T, W1, W2):
    """Uses t - y as the output delta: the gradient of -E, so descent would climb."""
    ones, A, Z, Y = _forward(X, W1, W2)
    delta_out = T - Y
    delta_hidden = (1 - np.tanh(A) ** 2) * (delta_out @ W2[1:].T)
    E = 0.5 * np.sum((T - Y) ** 2)
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def backward_mean_error(X, T, W1, W2):
    """Averages over the examples instead of summing, E / N (the lecture's E is a sum)."""
    ones, A, Z, Y = _forward(X, W1, W2)
    N = X.shape[0]
    delta_out = (Y - T) / N
    delta_hidden = (1 - np.tanh(A) ** 2) * (delta_out @ W2[1:].T)
    E = 0.5 * np.sum((T - Y) ** 2) / N
    return E, np.hstack([ones, X]).T @ delta_hidden, np.hstack([ones, Z]).T @ delta_out


def forward_difference(f, x, h=1e-5):
    """One-sided (f(x + h) - f(x)) / h: correct only to O(h), not O(h^2)."""
    grad = np.zeros_like(x)
    base = f()
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        grad[index] = (f() - base) / h
        x[index] = saved
    return grad


def central_difference_calls_f_with_x(f, x, h=1e-5):
    """Calls f(x) on a perturbed copy, as if f took the point: f takes no arguments."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] += h
        f_plus = f(shifted)
        shifted[index] -= 2 * h
        grad[index] = (f_plus - f(shifted)) / (2 * h)
    return grad


def central_difference_over_h(f, x, h=1e-5):
    """Divides the central difference by h instead of 2h: every entry twice too large."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        f_plus = f()
        x[index] = saved - h
        f_minus = f()
        x[index] = saved
        grad[index] = (f_plus - f_minus) / h
    return grad


def central_difference_not_restored(f, x, h=1e-5):
    """Leaves each entry at x - h, so later entries are differentiated at a shifted point."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        f_plus = f()
        x[index] = saved - h
        f_minus = f()
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def central_difference_fixed_step(f, x, h=1e-5):
    """Ignores the argument h and always uses 1e-5."""
    step = 1e-5
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + step
        f_plus = f()
        x[index] = saved - step
        f_minus = f()
        x[index] = saved
        grad[index] = (f_plus - f_minus) / (2 * step)
    return grad


def central_difference_restored_by_arithmetic(f, x, h=1e-5):
    """Puts each entry back by adding and subtracting h: x + h - 2h + h is not always x in
    floating point, so x is not left exactly as found (the task asks for that)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f()
        x[index] -= 2 * h
        f_minus = f()
        x[index] += h
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def central_difference_by_rows(f, x, h=1e-5):
    """Perturbs x[i], a whole row when x is 2-D, so each row gets the sum of its entries'
    derivatives; right only for 1-D arrays."""
    grad = np.zeros_like(x)
    for i in range(len(x)):
        saved = np.copy(x[i])
        x[i] = saved + h
        f_plus = f()
        x[i] = saved - h
        f_minus = f()
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error_elementwise(a, b):
    """The largest elementwise |a - b| / (|a| + |b|): dominated by tiny entries."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-300)))


def relative_error_one_sided(a, b):
    """||a - b|| / ||a||: not symmetric, and 2 (not 1) for opposite arrays."""
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), 1e-300))


def relative_error_max_numerator(a, b):
    """The largest |a_i - b_i| over the norms: the numerator is not the Euclidean norm."""
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else np.max(np.abs(a - b)) / denominator


def relative_error_l1_numerator(a, b):
    """sum |a_i - b_i| over the Euclidean norms: two different norms mixed."""
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else np.sum(np.abs(a - b)) / denominator


WRONG_ANSWERS = {
    "02-backward": [
        backward_without_activation_derivative,
        backward_derivative_of_activation,
        backward_wrong_bias_row,
        backward_bias_row_not_dropped,
        backward_dW2_without_bias_row,
        backward_flipped_sign,
        backward_mean_error,
    ],
    "02-central-differences": [
        forward_difference,
        central_difference_calls_f_with_x,
        central_difference_over_h,
        central_difference_not_restored,
        central_difference_fixed_step,
        central_difference_restored_by_arithmetic,
        central_difference_by_rows,
    ],
    "02-relative-error": [
        relative_error_elementwise,
        relative_error_one_sided,
        relative_error_max_numerator,
        relative_error_l1_numerator,
    ],
}
