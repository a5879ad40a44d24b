"""Error functions: the number backprop differentiates.

squared_error is the lecture's regression error, summed over the training set:

    E_n = 1/2 sum_k (t_nk - y_nk)^2,        E = sum_n E_n,        dE/dy_nk = y_nk - t_nk.

softmax_cross_entropy is the classification error used with a softmax output layer,
averaged over the batch (the usual convention for minibatch training):

    L = -1/N sum_n log softmax(a_n)[t_n],   dL/da_nk = (softmax(a_n)_k - 1[k = t_n]) / N.

Both return (error, gradient); the error is a Python float and the gradient keeps the
dtype (float32 or float64) of the network output it is taken with respect to.
"""

import numpy as np

from lectureml._validate import DIVERGED, as_float_array, check_class_labels, check_finite


def squared_error(y, t):
    """Sum-of-squares error E = 1/2 * sum over examples n and outputs k of (t_nk - y_nk)^2.

    Both arrays must be 2-D with identical shapes, also for a single output (K = 1): a 1-D
    target of shape (N,) is rejected rather than broadcast against y of shape (N, 1), which
    would silently compare every output with every target (an (N, N) error matrix).

    Args:
        y: network outputs, shape (N, K).
        t: targets, shape (N, K).

    Returns:
        E: the total error, a float.
        dE_dy: gradient y - t, shape (N, K), dtype of `y`.
    """
    y = as_float_array(y, "y", ndim=2, layout="(N, K)", hint="for one output use y.reshape(-1, 1)")
    t = as_float_array(t, "t", ndim=2, layout="(N, K)", hint="for one output use t.reshape(-1, 1)")
    if t.shape != y.shape:
        raise ValueError(f"t must have the shape of y (N, K) = {y.shape}, got shape {t.shape}")
    check_finite(y, "y", cause=DIVERGED)
    check_finite(t, "t")
    dE_dy = (y - t).astype(y.dtype, copy=False)
    E = 0.5 * float(np.sum(np.square(dE_dy, dtype=np.float64)))
    return E, dE_dy


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) against integer class labels.

    log softmax(a)_k = a_k - logsumexp(a) and logsumexp(a) = max(a) + log sum exp(a - max(a)),
    so no exponent exceeds 0 and logits of 1e4 give a finite loss.

    Args:
        logits: pre-softmax scores, shape (N, K), N >= 1, K >= 1.
        labels: integer numpy array of shape (N,), entries in 0..K-1.

    Returns:
        loss: mean over the N examples, a float.
        dlogits: gradient of the mean loss, shape (N, K), dtype of `logits`.
    """
    logits = as_float_array(logits, "logits", ndim=2, layout="(N, K)")
    num_examples, num_classes = logits.shape
    if num_examples == 0 or num_classes == 0:
        raise ValueError(
            f"logits must have shape (N, K) with N >= 1 and K >= 1, got shape {logits.shape}"
        )
    labels = check_class_labels(labels, "labels", num_examples, num_classes, "row of logits")
    check_finite(logits, "logits", cause=DIVERGED)

    shifted = logits - logits.max(axis=1, keepdims=True)
    log_normaliser = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    log_probs = shifted - log_normaliser
    rows = np.arange(num_examples)
    loss = -float(np.mean(log_probs[rows, labels], dtype=np.float64))

    dlogits = np.exp(log_probs)
    dlogits[rows, labels] -= 1
    dlogits /= num_examples
    return loss, dlogits
