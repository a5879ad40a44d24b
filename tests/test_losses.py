"""Tests for lectureml.losses: values, gradients against central differences, stability, errors."""

import warnings

import numpy as np
import pytest

from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.losses import softmax_cross_entropy, squared_error


def test_squared_error_value_is_half_the_total_sum_of_squares():
    y = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 0.0]])
    t = np.array([[0.0, 2.0], [1.5, 1.0], [0.0, 3.0]])
    total_error, dE_dy = squared_error(y, t)
    # E_n = 1/2 sum_k (t_nk - y_nk)^2: 1/2 * (1), 1/2 * (1 + 4), 1/2 * (9); E = sum_n E_n.
    assert total_error == pytest.approx(0.5 + 2.5 + 4.5, abs=1e-15)
    assert isinstance(total_error, float)
    assert np.array_equal(dE_dy, y - t)


@pytest.mark.parametrize("shape", [(1, 1), (4, 1), (3, 5)])
def test_squared_error_gradient_matches_numerical_gradient(shape):
    rng = np.random.default_rng(shape[1])
    y = rng.normal(size=shape)
    t = rng.normal(size=shape)
    numeric = numerical_gradient(lambda: squared_error(y, t)[0], y)
    assert relative_error(squared_error(y, t)[1], numeric) < 1e-7


def test_squared_error_keeps_float32():
    y = np.ones((2, 3), dtype=np.float32)
    _, dE_dy = squared_error(y, np.zeros((2, 3)))
    assert dE_dy.dtype == np.float32


def naive_cross_entropy(logits, labels):
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.mean(np.log(probs[np.arange(len(labels)), labels]))


def test_softmax_cross_entropy_matches_naive_formula_on_small_logits():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4))
    labels = np.array([0, 3, 1, 1, 2, 0])
    loss, dlogits = softmax_cross_entropy(logits, labels)
    assert isinstance(loss, float)
    assert loss == pytest.approx(naive_cross_entropy(logits, labels), rel=1e-13)
    assert np.allclose(dlogits.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_cross_entropy_uniform_logits_give_log_k():
    loss, _ = softmax_cross_entropy(np.zeros((3, 5)), np.array([0, 2, 4]))
    assert loss == pytest.approx(np.log(5), rel=1e-14)


@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (5, 4)])
def test_softmax_cross_entropy_gradient_matches_numerical_gradient(shape):
    rng = np.random.default_rng(shape[0] + shape[1])
    logits = rng.normal(size=shape) * 2
    labels = rng.integers(0, shape[1], size=shape[0])
    numeric = numerical_gradient(lambda: softmax_cross_entropy(logits, labels)[0], logits)
    analytic = softmax_cross_entropy(logits, labels)[1]
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_finite_for_huge_logits(dtype):
    logits = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]], dtype=dtype)
    labels = np.array([1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dlogits = softmax_cross_entropy(logits, labels)
    # Row 0: log-softmax of the label is 0 - 1e4; row 1: two tied maxima give log 2.
    assert loss == pytest.approx((1e4 + np.log(2)) / 2, rel=1e-6)
    assert dlogits.dtype == dtype
    assert np.all(np.isfinite(dlogits))
    assert np.allclose(dlogits, [[0.5, -0.5, 0.0], [-0.25, 0.25, 0.0]], atol=1e-6)


def test_labels_may_be_any_integer_dtype():
    logits = np.random.default_rng(2).normal(size=(3, 4))
    expected = softmax_cross_entropy(logits, np.array([0, 1, 3]))[0]
    assert softmax_cross_entropy(logits, np.array([0, 1, 3], dtype=np.uint8))[0] == expected


# ---------------------------------------------------------------- bad input


def test_squared_error_rejects_mismatched_shapes_instead_of_broadcasting():
    y = np.zeros((4, 1))
    with pytest.raises(
        ValueError,
        match=r"t must have 2 dimensions \(N, K\), got 1 dimensions "
        r"with shape \(4,\); for one output use t.reshape\(-1, 1\)",
    ):
        squared_error(y, np.zeros(4))
    with pytest.raises(
        ValueError,
        match=r"t must have the shape of y \(N, K\) = \(4, 1\), "
        r"got shape \(4, 2\)",
    ):
        squared_error(y, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"y must have 2 dimensions \(N, K\), got 1 dimensions"):
        squared_error(np.zeros(4), np.zeros((4, 1)))


def test_squared_error_rejects_lists_and_nan():
    with pytest.raises(TypeError, match=r"y must be a numpy array of shape \(N, K\), got list"):
        squared_error([[1.0]], np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"t must be finite, got nan at index \(1, 0\)$"):
        squared_error(np.zeros((2, 1)), np.array([[0.0], [np.nan]]))


def test_softmax_cross_entropy_rejects_bad_labels():
    logits = np.zeros((3, 4))
    with pytest.raises(
        ValueError,
        match=r"labels must hold class indices in 0\.\.3 \(4 classes\), got 4 at index 2",
    ):
        softmax_cross_entropy(logits, np.array([0, 1, 4]))
    with pytest.raises(
        ValueError, match=r"labels must hold class indices in 0\.\.3.*got -1 at index 0"
    ):
        softmax_cross_entropy(logits, np.array([-1, 1, 2]))
    with pytest.raises(
        TypeError,
        match=r"labels must be an integer numpy array of class indices, shape \(3,\), "
        r"got array of shape \(3,\) and dtype float64; convert it with "
        r"np\.asarray\(labels, dtype=int\)",
    ):
        softmax_cross_entropy(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(TypeError, match=r"labels must be an integer numpy array.*dtype bool"):
        softmax_cross_entropy(logits, np.array([True, False, True]))
    with pytest.raises(
        ValueError,
        match=r"labels must have shape \(3,\), one label per row of logits, got shape \(2,\)",
    ):
        softmax_cross_entropy(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"labels must have shape \(3,\).*got shape \(3, 1\)"):
        softmax_cross_entropy(logits, np.array([[0], [1], [2]]))
    # One-hot rows: converting the dtype would only lead to the shape error, so say argmax.
    one_hot = np.eye(4)[[0, 1, 2]]
    with pytest.raises(
        TypeError,
        match=r"labels must be an integer .*got array of shape \(3, 4\) and dtype float64; "
        r"one-hot rows become class indices with labels\.argmax\(axis=1\)",
    ):
        softmax_cross_entropy(logits, one_hot)
    with pytest.raises(
        ValueError,
        match=r"labels must have shape \(3,\), one label per row of logits, got shape \(3, 4\); "
        r"one-hot rows become class indices with labels\.argmax\(axis=1\)",
    ):
        softmax_cross_entropy(logits, one_hot.astype(int))
    with pytest.raises(
        TypeError,
        match=r"labels must be an integer numpy array of class indices, shape \(3,\), "
        r"got list of length 3",
    ):
        softmax_cross_entropy(logits, [0, 1, 2])


def test_softmax_cross_entropy_rejects_bad_logits():
    labels = np.array([0, 1])
    with pytest.raises(
        ValueError,
        match=r"logits must be finite, got nan at index \(1, 2\) \(a diverging learning rate",
    ):
        softmax_cross_entropy(np.array([[0.0, 1.0, 2.0], [0.0, 1.0, np.nan]]), labels)
    with pytest.raises(
        ValueError, match=r"logits must have 2 dimensions \(N, K\), got 1 dimensions"
    ):
        softmax_cross_entropy(np.zeros(2), labels)
    with pytest.raises(
        ValueError,
        match=r"logits must have shape \(N, K\) with N >= 1 and K >= 1, "
        r"got shape \(0, 3\)",
    ):
        softmax_cross_entropy(np.zeros((0, 3)), np.array([], dtype=int))
    with pytest.raises(
        TypeError, match=r"logits must be a numpy array of shape \(N, K\), got list"
    ):
        softmax_cross_entropy([[0.0, 1.0]], np.array([0]))
