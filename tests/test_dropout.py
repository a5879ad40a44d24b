"""Tests for lectureml.dropout: mask statistics, determinism, test-time identity, backward."""

import numpy as np
import pytest

from lectureml.dropout import dropout, dropout_backward
from lectureml.gradcheck import numerical_gradient, relative_error

LARGE = 1_000_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_kept_fraction_is_one_minus_p(p):
    _, mask = dropout(np.ones(LARGE), p, np.random.default_rng(0))
    kept_fraction = np.mean(mask > 0)
    standard_error = np.sqrt(p * (1 - p) / LARGE)
    assert abs(kept_fraction - (1 - p)) < 4 * standard_error


@pytest.mark.parametrize("p", [0.2, 0.75])
def test_mean_is_preserved_in_expectation(p):
    x = np.full(LARGE, 2.5)
    out, _ = dropout(x, p, np.random.default_rng(1))
    # Each output is 2.5 / (1 - p) with probability 1 - p, else 0:
    # mean 2.5, variance 2.5^2 p / (1 - p).
    standard_error = 2.5 * np.sqrt(p / (1 - p) / LARGE)
    assert abs(out.mean() - 2.5) < 4 * standard_error


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mask_holds_the_scale_factors_and_dtype_is_kept(dtype):
    p = 0.3
    x = np.random.default_rng(2).normal(size=(50, 40)).astype(dtype)
    out, mask = dropout(x, p, np.random.default_rng(3))
    assert out.dtype == dtype and mask.dtype == dtype
    assert out.shape == x.shape and mask.shape == x.shape
    assert set(np.unique(mask)) == {dtype(0), dtype(1 / (1 - p))}
    assert np.array_equal(out, x * mask)


def test_deterministic_for_a_seed():
    x = np.ones((20, 30))
    _, mask_a = dropout(x, 0.5, np.random.default_rng(42))
    _, mask_b = dropout(x, 0.5, np.random.default_rng(42))
    _, mask_c = dropout(x, 0.5, np.random.default_rng(43))
    assert np.array_equal(mask_a, mask_b)
    assert not np.array_equal(mask_a, mask_c)


def test_successive_calls_draw_fresh_masks():
    rng = np.random.default_rng(5)
    _, first = dropout(np.ones(100), 0.5, rng)
    _, second = dropout(np.ones(100), 0.5, rng)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("p", "training"), [(0.5, False), (0.0, True), (0.0, False)])
def test_identity_at_test_time_and_for_p_zero(dtype, p, training):
    x = np.random.default_rng(6).normal(size=(4, 5)).astype(dtype)
    rng = np.random.default_rng(7)
    out, mask = dropout(x, p, rng, training=training)
    assert np.array_equal(out, x) and out is not x
    assert mask.dtype == dtype and np.array_equal(mask, np.ones((4, 5)))
    # No random numbers were drawn: the generator is where a fresh one with the same seed is.
    assert rng.random() == np.random.default_rng(7).random()


def test_backward_multiplies_by_the_mask():
    dout = np.arange(6.0).reshape(2, 3)
    mask = np.array([[0.0, 2.0, 2.0], [2.0, 0.0, 2.0]])
    assert np.array_equal(dropout_backward(dout, mask), [[0.0, 2.0, 4.0], [6.0, 0.0, 10.0]])


@pytest.mark.parametrize("shape", [(1,), (3, 4), (2, 2, 3)])
def test_backward_matches_numerical_gradient_for_a_fixed_mask(shape):
    rng = np.random.default_rng(len(shape))
    x = rng.normal(size=shape)
    upstream = rng.normal(size=shape)

    def loss():
        # Re-seeding draws the same mask every call, so the forward pass is a fixed function of x.
        return np.sum(dropout(x, 0.4, np.random.default_rng(11))[0] * upstream)

    _, mask = dropout(x, 0.4, np.random.default_rng(11))
    numeric = numerical_gradient(loss, x)
    assert relative_error(dropout_backward(upstream, mask), numeric) < 1e-7


def test_backward_keeps_float32():
    dx = dropout_backward(np.ones(3, dtype=np.float32), np.full(3, 2.0))
    assert dx.dtype == np.float32


# ---------------------------------------------------------------- bad input


def test_a_single_unit_works_forward_and_backward():
    # For a 0-d x numpy returns scalars (np.float64), which dropout_backward must accept.
    rng = np.random.default_rng(0)
    outputs = [dropout(np.array(2.0), 0.5, rng) for _ in range(20)]
    assert {float(out) for out, _ in outputs} == {0.0, 4.0}
    for out, mask in outputs:
        assert float(dropout_backward(out, mask)) == float(out) * float(mask)


def test_dropout_rejects_bad_p():
    x, rng = np.ones(3), np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\), got 1.0"):
        dropout(x, 1.0, rng)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\), got -0.1"):
        dropout(x, -0.1, rng)
    with pytest.raises(TypeError, match=r"p must be a number in \[0, 1\), got str '0.5'"):
        dropout(x, "0.5", rng)


def test_dropout_rejects_bad_rng():
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got NoneType None"):
        dropout(np.ones(3), 0.5, None)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int 0"):
        dropout(np.ones(3), 0.5, 0)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got RandomState"):
        dropout(np.ones(3), 0.5, np.random.RandomState(0))


def test_dropout_rejects_bad_x_and_training():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match=r"x must be a numpy array, got list of length 2"):
        dropout([1.0, 2.0], 0.5, rng)
    with pytest.raises(TypeError, match=r"training must be True or False, got str 'no'"):
        dropout(np.ones(2), 0.5, rng, training="no")


def test_dropout_backward_rejects_bad_input():
    with pytest.raises(
        ValueError, match=r"mask must have the shape of dout \(2, 3\).*got shape \(3, 2\)"
    ):
        dropout_backward(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(TypeError, match=r"dout must be a numpy array, got list of length 1"):
        dropout_backward([1.0], np.ones(1))
