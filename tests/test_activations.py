"""Tests for lectureml.activations: values, derivatives against central differences, stability."""

import warnings

import numpy as np
import pytest

from lectureml import activations as act
from lectureml.gradcheck import numerical_gradient, relative_error

ELEMENTWISE = ["step", "sigmoid", "logistic", "tanh", "relu", "identity"]


def away_from_kinks(shape, seed):
    """Float64 pre-activations in [-3, 3] with every |a| >= 1e-3 (no ReLU/step kink within h)."""
    a = np.random.default_rng(seed).uniform(-3, 3, size=shape)
    a[np.abs(a) < 1e-3] = 0.5
    return a


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 2)])
def test_derivative_matches_numerical_gradient(name, shape):
    f, df = act.get_activation(name)
    a = away_from_kinks(shape, seed=len(shape))
    numeric = numerical_gradient(lambda: np.sum(f(a)), a)
    analytic = df(a)
    assert analytic.shape == a.shape
    assert relative_error(analytic, numeric) < 1e-7


def test_step_derivative_is_zero_and_numerically_zero_away_from_zero():
    a = away_from_kinks((10,), seed=3)
    assert np.array_equal(act.step_derivative(a), np.zeros(10))
    assert np.array_equal(numerical_gradient(lambda: np.sum(act.step(a)), a), np.zeros(10))


def test_known_values():
    a = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(act.step(a), [0.0, 1.0, 1.0])
    assert np.allclose(act.sigmoid(a), [1 / (1 + np.exp(2.0)), 0.5, 1 / (1 + np.exp(-3.0))])
    assert np.allclose(act.tanh(a), np.tanh(a))
    assert np.array_equal(act.relu(a), [0.0, 0.0, 3.0])
    assert np.array_equal(act.identity(a), a)
    assert act.sigmoid_derivative(np.array([0.0]))[0] == 0.25
    assert act.tanh_derivative(np.array([0.0]))[0] == 1.0


def test_conventions_at_the_kinks():
    zero = np.zeros(1)
    assert act.relu_derivative(zero)[0] == 0.0
    assert act.step_derivative(zero)[0] == 0.0
    assert act.step(zero)[0] == 1.0


def test_identity_returns_a_copy():
    a = np.arange(3.0)
    out = act.identity(a)
    out[0] = 99.0
    assert a[0] == 0.0


def test_sigmoid_is_finite_and_silent_for_huge_inputs():
    a = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = act.sigmoid(a)
            ds = act.sigmoid_derivative(a)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    # The exp(a) / (1 + exp(a)) branch keeps small outputs accurate instead of rounding to 0.
    assert s[2] == pytest.approx(np.exp(-40.0), rel=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_a_0d_result_can_be_passed_back_in(name):
    # numpy's ufuncs turn a 0-d array into a numpy scalar (np.maximum(np.array(2.0), 0) is
    # np.float64(2.0)); the library accepts those, so h(h(a)) works on a single number too.
    f, df = act.get_activation(name)
    for dtype in (np.float32, np.float64):
        a = np.array(0.75, dtype=dtype)
        twice = f(f(a))
        assert np.asarray(twice).dtype == dtype
        assert float(twice) == pytest.approx(float(f(np.array([float(f(a))]))[0]))
        assert np.asarray(df(f(a))).dtype == dtype


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_dtype_is_kept(name):
    f, df = act.get_activation(name)
    for dtype in (np.float32, np.float64):
        a = np.linspace(-1e4, 1e4, 9).astype(dtype)
        assert f(a).dtype == dtype
        assert df(a).dtype == dtype
    assert act.softmax(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_sigmoid_float32_huge_inputs():
    a = np.array([-1e4, 1e4], dtype=np.float32)
    s = act.sigmoid(a)
    assert s.dtype == np.float32
    assert np.array_equal(s, np.array([0.0, 1.0], dtype=np.float32))


def test_integer_input_becomes_float64():
    assert act.relu(np.array([-1, 2])).dtype == np.float64


def test_softmax_rows_sum_to_one_for_huge_logits():
    a = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4], [-5.0, 2.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act.softmax(a)
    assert np.allclose(y.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.allclose(y[0], [1.0, 0.0, 0.0])
    assert np.allclose(y[1], [1 / 3, 1 / 3, 1 / 3])
    naive = np.exp(a[2]) / np.exp(a[2]).sum()
    assert np.allclose(y[2], naive, rtol=1e-13)


def test_softmax_normalises_over_the_last_axis():
    a = np.random.default_rng(0).normal(size=(2, 3, 4))
    y = act.softmax(a)
    assert np.allclose(y.sum(axis=-1), 1.0)
    assert np.allclose(y[1, 2], act.softmax(a[1, 2]))


@pytest.mark.parametrize("shape", [(1, 1), (1, 4), (3, 5)])
def test_softmax_backward_matches_numerical_gradient(shape):
    rng = np.random.default_rng(sum(shape))
    a = rng.normal(size=shape)
    upstream = rng.normal(size=shape)
    numeric = numerical_gradient(lambda: np.sum(act.softmax(a) * upstream), a)
    analytic = act.softmax_backward(upstream, act.softmax(a))
    assert relative_error(analytic, numeric) < 1e-7


def test_softmax_backward_equals_explicit_jacobian_product():
    rng = np.random.default_rng(1)
    a = rng.normal(size=4)
    upstream = rng.normal(size=4)
    y = act.softmax(a)
    jacobian = np.diag(y) - np.outer(y, y)
    assert np.allclose(act.softmax_backward(upstream, y), jacobian @ upstream, rtol=1e-13)


def test_registry_and_logistic_alias():
    assert set(act.ACTIVATIONS) == {"step", "sigmoid", "logistic", "tanh", "relu", "identity"}
    assert act.get_activation("logistic") == (act.sigmoid, act.sigmoid_derivative)
    assert act.get_activation("relu") == (act.relu, act.relu_derivative)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "function",
    [
        act.step,
        act.step_derivative,
        act.sigmoid,
        act.sigmoid_derivative,
        act.tanh,
        act.tanh_derivative,
        act.relu,
        act.relu_derivative,
        act.identity,
        act.identity_derivative,
        act.softmax,
    ],
)
def test_lists_and_strings_are_rejected(function):
    with pytest.raises(TypeError, match=r"a must be a numpy array.*got list of length 2"):
        function([1.0, 2.0])
    with pytest.raises(TypeError, match=r"a must have a float32 or float64 dtype, got dtype <U1"):
        function(np.array(["x"]))


def test_softmax_bad_shapes():
    with pytest.raises(
        ValueError, match=r"a must have shape \(\.\.\., K\) with K >= 1.*got shape \(\)"
    ):
        act.softmax(np.array(1.0))
    with pytest.raises(ValueError, match=r"a must have shape \(\.\.\., K\).*got shape \(2, 0\)"):
        act.softmax(np.zeros((2, 0)))


def test_softmax_backward_bad_input():
    with pytest.raises(
        ValueError, match=r"y must have the shape of dout \(2, 3\).*got shape \(3, 2\)"
    ):
        act.softmax_backward(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match=r"dout must be a numpy array.*got list of length 1"):
        act.softmax_backward([0.0], np.zeros(1))


def test_get_activation_bad_names():
    with pytest.raises(ValueError, match=r"name must be one of \[.*'relu'.*'tanh'\], got 'rleu'"):
        act.get_activation("rleu")
    with pytest.raises(ValueError, match=r"got 'softmax'; softmax is not elementwise"):
        act.get_activation("softmax")
    with pytest.raises(TypeError, match=r"name must be a str, one of \[.*\], got NoneType None"):
        act.get_activation(None)
