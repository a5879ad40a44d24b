"""Argument checks shared by every public function.

Each check raises before numpy sees the data, with a message that names the
argument, what was expected and what was given, so a student never has to
decode a broadcasting error or an IndexError.
"""

import numbers

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def describe(value):
    """Short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    if isinstance(value, str):
        return f"str {value!r}"
    return f"{type(value).__name__} {value!r}"


def as_float_array(value, name, ndim=None, layout=None, hint=None):
    """Return `value` as a float32/float64 ndarray, checking its number of dimensions.

    Integer and bool arrays are converted to float64; float32 and float64 keep their dtype.
    A numpy scalar such as np.float64(2.0) counts as a 0-d array: numpy's own functions return
    one for a 0-d input (np.maximum(np.array(2.0), 0) does), so results can be passed back in.
    `layout` names the axes (e.g. "(N, C, H, W)") for the message; `hint` suggests a fix.
    """
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy array{' of shape ' + layout if layout else ''}, "
            f"got {describe(value)}; convert it with np.asarray({name}, dtype=float)"
        )
    if value.dtype.kind in "biu":
        value = value.astype(np.float64)
    elif value.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must have a float32 or float64 dtype, got dtype {value.dtype}")
    if ndim is not None and value.ndim != ndim:
        expected = layout or f"{ndim} dimensions"
        message = (
            f"{name} must have {ndim} dimensions {expected}, "
            f"got {value.ndim} dimensions with shape {value.shape}"
        )
        if hint:
            message += f"; {hint}"
        raise ValueError(message)
    return value


def check_shape(value, name, expected):
    """Require `value.shape == expected` (a tuple; None entries match anything)."""
    matches = len(value.shape) == len(expected) and all(
        want is None or want == got for want, got in zip(expected, value.shape, strict=True)
    )
    if not matches:
        shown = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} must have shape {shown}, got shape {value.shape}")


def check_int(value, name, minimum=None, maximum=None):
    """Require a Python or numpy integer (not bool, not float) in [minimum, maximum].

    With a maximum, a minimum must be given too (every bounded integer here has one).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    if maximum is not None and not minimum <= value <= maximum:
        raise ValueError(f"{name} must be an integer in {minimum}..{maximum}, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_bool(value, name):
    """Require True or False (a Python or numpy bool): a string such as "no" is truthy."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_probability(value, name):
    """Require a real number p with 0 <= p < 1 (a drop probability)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {describe(value)}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return float(value)


def check_positive_number(value, name, allow_zero=False):
    """Require a finite real number > 0 (or >= 0 when `allow_zero`)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {describe(value)}")
    bound_ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and bound_ok):
        relation = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {relation}, got {value}")
    return float(value)


def check_float_dtype(value, name="dtype"):
    """np.float32 or np.float64, given as a type, an np.dtype or a name such as "float32"."""
    try:
        # np.dtype(None) would silently mean float64.
        resolved = None if value is None else np.dtype(value)
    except TypeError:
        resolved = None
    if resolved not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {describe(value)}")
    return resolved


def check_generator(value, name="rng"):
    """Require a numpy.random.Generator (never the global RNG)."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator such as np.random.default_rng(0), "
            f"got {describe(value)}"
        )
    return value


DIVERGED = "a diverging learning rate is the usual cause"


def check_finite(value, name, cause=None):
    """Reject NaN and infinity, saying where the first one is.

    cause: the likely reason, added to the message in brackets. Pass `DIVERGED` for values a
    model computes or learns (outputs, weights); data given by the caller get no guess.
    """
    if not np.all(np.isfinite(value)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
        reason = f" ({cause})" if cause else ""
        raise ValueError(f"{name} must be finite, got {value[where]} at index {where}{reason}")


def check_class_labels(labels, name, num_examples, num_classes, paired_with):
    """Integer class labels of shape (num_examples,), each in 0..num_classes - 1.

    paired_with names what each label belongs to ("row of logits", "example of x"), so the
    shape message says why that length is expected.
    """
    # One-hot rows are the usual mix-up; a dtype conversion would not help with them.
    one_hot = isinstance(labels, np.ndarray) and labels.shape == (num_examples, num_classes)
    fix = f"one-hot rows become class indices with {name}.argmax(axis=1)"
    if not isinstance(labels, np.ndarray) or labels.dtype.kind not in "iu":
        if not one_hot:
            fix = f"convert it with np.asarray({name}, dtype=int)"
        raise TypeError(
            f"{name} must be an integer numpy array of class indices, shape ({num_examples},), "
            f"got {describe(labels)}; {fix}"
        )
    if labels.shape != (num_examples,):
        raise ValueError(
            f"{name} must have shape ({num_examples},), one label per {paired_with}, "
            f"got shape {labels.shape}" + (f"; {fix}" if one_hot else "")
        )
    outside = (labels < 0) | (labels >= num_classes)
    if np.any(outside):
        index = int(np.argmax(outside))
        raise ValueError(
            f"{name} must hold class indices in 0..{num_classes - 1} ({num_classes} classes), "
            f"got {labels[index]} at index {index}"
        )
    return labels


def check_choice(value, name, choices):
    """One of the strings in `choices`, all of them listed in the message when it is not."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {describe(value)}")
    return value


def check_2d_arrays(arrays, name):
    """A non-empty list of finite, non-empty 2-D arrays (images), each as float64.

    `arrays` may be a list or tuple of 2-D arrays, one 2-D array, or a 3-D stack; the message
    names the first bad entry by its index.
    """
    if isinstance(arrays, np.ndarray):
        arrays = [arrays] if arrays.ndim == 2 else list(arrays)
    if not isinstance(arrays, (list, tuple)) or len(arrays) == 0:
        raise TypeError(f"{name} must be a non-empty list of 2-D arrays, got {describe(arrays)}")
    checked = []
    for index, array in enumerate(arrays):
        if not isinstance(array, np.ndarray):
            raise TypeError(f"{name}[{index}] must be a 2-D numpy array, got {describe(array)}")
        if array.ndim != 2 or 0 in array.shape:
            hint = ""
            if array.ndim > 2:
                hint = "; take one channel of an (N, C, H, W) batch, e.g. x[n, 0]"
            elif array.ndim == 2:
                hint = "; it has no pixels"
            raise ValueError(
                f"{name}[{index}] must be a 2-D array (H, W), got shape {array.shape}{hint}"
            )
        array = np.asarray(array, dtype=np.float64)
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name}[{index}] must hold finite values, got nan or inf")
        checked.append(array)
    return checked
