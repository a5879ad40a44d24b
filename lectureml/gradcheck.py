"""Numerical gradients: the proof that a backward pass is right.

A backward pass is trusted only once it agrees with central differences,

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h),

whose error is O(h^2). In float64 with h = 1e-5 a correct analytic gradient agrees
to a relative error around 1e-10; a wrong one is off by 1e-2 or more.
"""

import inspect
import numbers

import numpy as np

from lectureml._validate import FLOAT_DTYPES, as_float_array, check_positive_number, describe

# Below this a norm counts as zero, so comparing two zero gradients is not 0/0.
_TINY = 1e-300


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function `f` at the array `x`.

    Args:
        f: callable taking no arguments and returning a scalar; it must read `x`,
           which is perturbed in place (and restored) one entry at a time.
        x: float array of any shape (use float64: float32 rounding swamps h**2).
        h: step size.

    Returns:
        grad: array with the shape of `x`, grad[i] ~ df/dx[i].
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a scalar, got {type(f).__name__}")
    _check_takes_no_arguments(f)
    if not (isinstance(x, np.ndarray) and x.dtype in FLOAT_DTYPES):
        raise TypeError(
            f"x must be the float array that f reads (it is perturbed in place), got {describe(x)}"
        )
    if not x.flags.writeable:
        raise ValueError(
            "x must be a writeable array (it is perturbed in place), got a read-only one"
        )
    h = check_positive_number(h, "h")
    grad = np.zeros(x.shape, dtype=x.dtype)
    # Index x itself: x.reshape(-1) silently copies a non-contiguous x (e.g. a transpose),
    # and perturbing that copy would leave f unchanged and the gradient all zeros.
    for index in np.ndindex(x.shape):
        saved = x[index]
        try:
            x[index] = saved + h
            f_plus = _scalar_value(f)
            x[index] = saved - h
            f_minus = _scalar_value(f)
        finally:
            # x is the caller's array: leave it as found even when f raises.
            x[index] = saved
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _check_takes_no_arguments(f):
    """Reject f(x)-style functions here, before Python's "missing argument" error can."""
    try:
        inspect.signature(f).bind()
    except ValueError:
        return  # some builtins have no signature to inspect
    except TypeError:
        raise TypeError(
            "f must take no arguments and read x itself (numerical_gradient changes x in "
            "place), e.g. numerical_gradient(lambda: loss(x), x), got a function with "
            f"signature {inspect.signature(f)}"
        ) from None


def _scalar_value(f):
    """f() as a float, with a clear error when f returns anything but one real number."""
    value = f()
    is_real_number = isinstance(value, numbers.Real) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
    )
    if not is_real_number or np.ndim(value) != 0:
        raise TypeError(
            f"f must return a scalar (e.g. a loss, or np.sum of an output), got {describe(value)}"
        )
    return float(value)


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, tiny): 0 for equal arrays, 1 for opposite ones.

    The norm form is used rather than the elementwise maximum because a few tiny
    entries of a correct gradient (say 1e-9 versus 1.1e-9) would dominate the latter.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got a {a.shape} and b {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), _TINY))
