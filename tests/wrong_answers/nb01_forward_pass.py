"""Plausible wrong answers to the exercises of notebook 01; each must be rejected."""

import numpy as np


def bias_column_last(X, W1, W2, h, sigma):
    """Appends x_0 = 1 after the inputs, so row 0 of W1 multiplies x_1 instead of 1."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([X, ones]) @ W1)
    return sigma(np.hstack([hidden, ones]) @ W2)


def no_hidden_bias_unit(X, W1, W2, h, sigma):
    """Forgets z_0 = 1: drops the output biases (row 0 of W2) to make the shapes fit."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return sigma(hidden @ W2[1:])


def linear_hidden_layer(X, W1, W2, h, sigma):
    """Forgets the hidden activation h: the network collapses to a linear model."""
    ones = np.ones((X.shape[0], 1))
    hidden = np.hstack([ones, X]) @ W1
    return sigma(np.hstack([ones, hidden]) @ W2)


def no_output_activation(X, W1, W2, h, sigma):
    """Returns the output pre-activations b_k instead of y_k = sigma(b_k)."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return np.hstack([ones, hidden]) @ W2


def softmax_over_the_batch(X, W1, W2, h, sigma):
    """Applies sigma to B transposed: a softmax then normalises over the examples."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return sigma((np.hstack([ones, hidden]) @ W2).T).T


_CORRECT_SHAPES = {
    "X": (32, 784),
    "X_with_bias": (32, 785),
    "W1": (785, 100),
    "A": (32, 100),
    "Z": (32, 100),
    "Z_with_bias": (32, 101),
    "W2": (101, 10),
    "B": (32, 10),
    "Y": (32, 10),
}

WRONG_ANSWERS = {
    "01-forward-bias-trick": [
        bias_column_last,
        no_hidden_bias_unit,
        linear_hidden_layer,
        no_output_activation,
        softmax_over_the_batch,
    ],
    "01-shapes": [
        # The lecture's D x M and M x K, without the bias rows.
        {**_CORRECT_SHAPES, "W1": (784, 100), "W2": (100, 10)},
        # The hidden layer's bias unit z_0 = 1 forgotten.
        {**_CORRECT_SHAPES, "Z_with_bias": (32, 100), "W2": (100, 10)},
        # Examples as columns (the column-vector convention).
        {**_CORRECT_SHAPES, "A": (100, 32), "Z": (100, 32)},
        # A bias unit added to the output layer too.
        {**_CORRECT_SHAPES, "B": (32, 11), "Y": (32, 11)},
    ],
    "01-n-parameters": [
        784 * 100 + 100 * 10,  # no biases at all
        785 * 100 + 100 * 10,  # the output biases forgotten
        785 * 101 + 101 * 10,  # a weight into the bias unit z_0 counted as well
        float(785 * 100 + 101 * 10),  # the right count as a float (from / or np.prod of floats)
    ],
}
