"""Plausible wrong answers to the exercises of notebook 01; each must be rejected."""

import numpy as np

N = 5  # the notebook's N when exercise 1 runs (section 3's network); see global_n_for_the_ones


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


def no_bias_column(X, W1, W2, h, sigma):
    """Forgets x_0 = 1: X @ W1 with W1 of shape (D+1, M) is a shape error."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(X @ W1)
    return sigma(np.hstack([ones, hidden]) @ W2)


def bias_unit_through_h(X, W1, W2, h, sigma):
    """Puts z_0 = 1 in front of A, before h: the bias unit becomes h(1), not 1."""
    ones = np.ones((X.shape[0], 1))
    hidden = h(np.hstack([ones, np.hstack([ones, X]) @ W1]))
    return sigma(hidden @ W2)


def fixed_tanh_for_h(X, W1, W2, h, sigma):
    """Ignores the argument h and always uses tanh, the activation of the notebook's example."""
    ones = np.ones((X.shape[0], 1))
    hidden = np.tanh(np.hstack([ones, X]) @ W1)
    return sigma(np.hstack([ones, hidden]) @ W2)


def ones_per_input(X, W1, W2, h, sigma):
    """Takes the number of ones from X.shape[1] (D) instead of X.shape[0] (N)."""
    ones = np.ones((X.shape[1], 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return sigma(np.hstack([np.ones((X.shape[0], 1)), hidden]) @ W2)


def global_n_for_the_ones(X, W1, W2, h, sigma):
    """Takes N from the notebook (5 examples) instead of from X: right for X only."""
    ones = np.ones((N, 1))
    hidden = h(np.hstack([ones, X]) @ W1)
    return sigma(np.hstack([ones, hidden]) @ W2)


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
        no_bias_column,
        bias_unit_through_h,
        fixed_tanh_for_h,
        ones_per_input,
        global_n_for_the_ones,
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
        # ... and given its own weights: W2 with K + 1 columns.
        {**_CORRECT_SHAPES, "W2": (101, 11), "B": (32, 11), "Y": (32, 11)},
        # The bias unit z_0 = 1 counted as one of the M hidden units, with a column in W1.
        {
            **_CORRECT_SHAPES,
            "W1": (785, 101),
            "A": (32, 101),
            "Z": (32, 101),
            "Z_with_bias": (32, 102),
            "W2": (102, 10),
        },
        # The weight matrices transposed, M x (D+1) and K x (M+1), as in y = W h(W x).
        {**_CORRECT_SHAPES, "W1": (100, 785), "W2": (10, 101)},
    ],
    "01-n-parameters": [
        784 * 100 + 100 * 10,  # no biases at all
        785 * 100 + 100 * 10,  # the output biases forgotten
        785 * 101 + 101 * 10,  # a weight into the bias unit z_0 counted as well
        785 * 100 + 101 * 10 + 100 + 10,  # the biases counted twice: in the bias rows and again
        float(785 * 100 + 101 * 10),  # the right count as a float (from / or np.prod of floats)
    ],
}
