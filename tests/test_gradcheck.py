"""Tests for lectureml.gradcheck, the referee of every other backward pass."""

import numpy as np
import pytest

from lectureml.gradcheck import numerical_gradient, relative_error


def test_gradient_of_known_functions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    assert relative_error(numerical_gradient(lambda: np.sum(x**2), x), 2 * x) < 1e-9
    assert relative_error(numerical_gradient(lambda: np.sum(np.sin(x)), x), np.cos(x)) < 1e-9

    A = rng.normal(size=(4, 4))
    v = rng.normal(size=4)
    assert relative_error(numerical_gradient(lambda: v @ A @ v, v), (A + A.T) @ v) < 1e-9


def test_error_is_second_order_in_h():
    x = np.array([1.0])
    # Central differences err by h^2/6 f'''(x); a forward difference would err by h/2 f''(x).
    for h in (1e-2, 1e-3):
        error = numerical_gradient(lambda: np.exp(x[0]), x, h=h)[0] - np.e
        assert error == pytest.approx(h**2 / 6 * np.e, rel=1e-3)


def test_x_is_restored_exactly():
    x = np.random.default_rng(1).normal(size=(2, 3))
    before = x.copy()
    numerical_gradient(lambda: np.sum(np.exp(x)), x)
    assert np.array_equal(x, before)


def test_x_is_restored_when_f_raises():
    x = np.array([1.0, 2.0])
    before = x.copy()

    def failing():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(failing, x)
    assert np.array_equal(x, before)


def test_non_contiguous_x_is_perturbed_itself():
    # A transposed view used to be copied by reshape, which left the gradient all zeros.
    base = np.arange(6.0).reshape(2, 3)
    x = base.T
    grad = numerical_gradient(lambda: np.sum(base**2), x)
    assert relative_error(grad, 2 * x) < 1e-9
    strided = np.arange(10.0)[::3]
    assert (
        relative_error(numerical_gradient(lambda: np.sum(strided**3), strided), 3 * strided**2)
        < 1e-9
    )


def test_float32_gradient_keeps_dtype():
    x = np.array([1.0, 2.0], dtype=np.float32)
    grad = numerical_gradient(lambda: float(np.sum(x.astype(np.float64) ** 2)), x, h=1e-2)
    assert grad.dtype == np.float32
    assert np.allclose(grad, [2.0, 4.0], rtol=1e-3)


def test_relative_error_values():
    a = np.array([3.0, -4.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(
        np.sqrt(2) / 2, rel=1e-15
    )
    # Integer arrays are compared as floats.
    assert relative_error(np.array([1, 2]), np.array([1.0, 2.0])) == 0.0


# ---------------------------------------------------------------- bad input


def test_numerical_gradient_rejects_bad_arguments():
    x = np.zeros(2)
    with pytest.raises(TypeError, match=r"f must be a callable returning a scalar, got int"):
        numerical_gradient(3, x)
    with pytest.raises(
        TypeError, match=r"x must be the float array that f reads.*got list of length 2"
    ):
        numerical_gradient(lambda: 0.0, [0.0, 0.0])
    with pytest.raises(
        TypeError,
        match=r"x must be the float array.*got array of shape \(2,\) and "
        r"dtype int64",
    ):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError, match=r"h must be a finite number > 0, got 0"):
        numerical_gradient(lambda: 0.0, x, h=0)
    with pytest.raises(TypeError, match=r"h must be a number, got str '1e-5'"):
        numerical_gradient(lambda: 0.0, x, h="1e-5")
    # The usual slip: a function of x. Python's own error would not say what to write.
    with pytest.raises(
        TypeError,
        match=r"f must take no arguments and read x itself .*"
        r"numerical_gradient\(lambda: loss\(x\), x\), got a function with signature \(values\)",
    ):
        numerical_gradient(lambda values: float(values.sum()), x)


def test_numerical_gradient_rejects_read_only_x_and_array_valued_f():
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"x must be a writeable array.*got a read-only one"):
        numerical_gradient(lambda: 0.0, frozen)
    x = np.zeros(3)
    with pytest.raises(TypeError, match=r"f must return a scalar.*got array of shape \(3,\)"):
        numerical_gradient(lambda: x**2, x)


@pytest.mark.parametrize(
    ("result", "shown"),
    [(None, r"NoneType None"), ("0.5", r"str '0.5'"), (1 + 2j, r"complex \(1\+2j\)")],
)
def test_numerical_gradient_names_a_non_number_returned_by_f(result, shown):
    # A forgotten `return` gives None; float() would fail with a message that never names f.
    with pytest.raises(TypeError, match=rf"f must return a scalar \(e\.g\. a loss.*got {shown}"):
        numerical_gradient(lambda: result, np.zeros(2))


@pytest.mark.parametrize(
    # A float32 loss keeps only about 7 digits, so its central differences are rough.
    ("to_scalar", "tolerance"),
    [(np.float64, 1e-9), (np.array, 1e-9), (np.float32, 1e-1)],
)
def test_numerical_gradient_accepts_numpy_scalars_and_0d_arrays(to_scalar, tolerance):
    x = np.array([1.0, -2.0])
    grad = numerical_gradient(lambda: to_scalar(np.sum(x**2)), x)
    assert relative_error(grad, 2 * x) < tolerance


def test_relative_error_rejects_bad_arguments():
    with pytest.raises(
        ValueError, match=r"a and b must have the same shape, got a \(2,\) and b \(3,\)"
    ):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match=r"b must be a numpy array, got list of length 2"):
        relative_error(np.zeros(2), [0.0, 0.0])
