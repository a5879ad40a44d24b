"""Decisions: does a record pass its check? Computed in whichever process calls `decide`.

Under `grade` that is the grader's own process, with its own numpy and its own registry,
so nothing a student changes inside the kernel can sway it. Under plain Jupyter, nbval or
nbgrader, `expect` calls the same `decide` in the kernel on the same JSON round trip.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from lectureml.grading.records import RecordError, Unencodable, decode
from lectureml.grading.registry import get_check, summarize


@dataclass(frozen=True)
class Verdict:
    """`message` is for the notebook (it may summarise the reference output of a function
    check); `feedback` is for the student's feedback file and never shows a reference value.
    """

    ok: bool
    message: str = ""
    feedback: str = ""


@dataclass(frozen=True)
class _Mismatch:
    message: str
    public: str


def is_integer(value):
    """A Python or numpy integer: not a bool, and not a float such as 12.0."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def judge_count(value, name, expected, hint):
    """(ok, message) for a count a student typed: an integer (see `is_integer`) equal to
    expected; the message names `name`, what was given and, when the value is wrong, the hint."""
    if not is_integer(value):
        return False, f"{name} must be an integer, got {plain(value)}"
    if int(value) != expected:
        return False, f"{name} = {int(value)} is not right: {hint}"
    return True, ""


def as_int_tuple(value):
    """A tuple or list of integers (see `is_integer`) as a tuple of ints, else None: how the
    checks read a shape a student typed as (6, 24, 24), [6, 24, 24] or from numpy."""
    if not isinstance(value, (tuple, list)) or not all(is_integer(n) for n in value):
        return None
    return tuple(int(n) for n in value)


def plain(value, limit=60):
    """A value as a student would type it, for messages: 12, (6,), [300, 256], 2416.0, never
    numpy 2's np.int64(12); an array by its shape; anything long cut to `limit` characters."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (tuple, list)):
        items = ", ".join(plain(item, limit) for item in value)
        if isinstance(value, list):
            text = f"[{items}]"
        else:
            text = f"({items},)" if len(value) == 1 else f"({items})"
    elif isinstance(value, np.ndarray):
        text = f"a numpy array of shape {value.shape}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def key_problem(answer, expected, name):
    """What is wrong with the keys of the dict `answer`, or "" when they are `expected`'s."""
    if not isinstance(answer, dict):
        return f"{name} must be a dict with the keys {sorted(expected)}, got {_kind_of(answer)}"
    missing = sorted(set(expected) - set(answer), key=str)
    extra = sorted(set(answer) - set(expected), key=str)
    parts = []
    if missing:
        parts.append(f"misses the keys {missing}")
    if extra:
        parts.append(f"has the unexpected keys {extra}")
    return f"{name} {' and '.join(parts)}" if parts else ""


def _short(value, limit=80):
    if isinstance(value, np.ndarray):
        return summarize(value)
    if isinstance(value, np.generic):
        value = value.item()  # 0.5566, not numpy 2's np.float64(0.5566)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind_of(value):
    if isinstance(value, Unencodable):
        return value.description
    if isinstance(value, np.ndarray):
        return f"a numpy array {value.shape} {value.dtype}"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _is_real(value):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


def _compare_arrays(got, want, where, rtol, atol, check_dtype):
    want = np.asarray(want)
    accepts_number = want.ndim == 0 and _is_real(got)
    if not (isinstance(got, (np.ndarray, np.generic)) or accepts_number):
        message = f"{where} is {_kind_of(got)}, not a numpy array"
        return _Mismatch(f"{message} of shape {want.shape}", message)
    got = np.asarray(got)
    if got.dtype.kind not in "biuf":
        message = f"{where} has dtype {got.dtype}, not a numeric dtype"
        return _Mismatch(message, message)
    if got.shape != want.shape:
        return _Mismatch(
            f"{where} has shape {got.shape}, expected {want.shape}",
            f"{where} has shape {got.shape}, which is not the expected shape",
        )
    if check_dtype and got.dtype != want.dtype:
        return _Mismatch(
            f"{where} has dtype {got.dtype}, expected {want.dtype}",
            f"{where} has dtype {got.dtype}, which is not the expected dtype",
        )
    if want.dtype.kind == "b":
        bad = got != want
        error = bad.astype(np.float64)
    else:
        got64, want64 = got.astype(np.float64), want.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            error = np.abs(got64 - want64)
            close = error <= atol + rtol * np.abs(want64)
        both_nan = np.isnan(got64) & np.isnan(want64)
        bad = ~(close | both_nan)
        error = np.where(np.isnan(error), np.inf, error)
    if not bad.any():
        return None
    count = int(bad.sum())
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.where(bad, error, -1)), bad.shape))
    return _Mismatch(
        f"{where} differs in {count} of {bad.size} entries; largest error {error[worst]:.3g} "
        f"at index {worst}: expected {_entry(want[worst])!r}, got {_entry(got[worst])!r}",
        f"{where} differs from the expected output in {count} of {bad.size} entries "
        f"(first at index {first})",
    )


def _entry(value):
    """An array entry as a Python number, with -0.0 shown as 0.0 (a sign no test cares about)."""
    value = value.item()
    return 0.0 if isinstance(value, float) and value == 0 else value


def compare(got, want, rtol, atol, check_dtype=False, where="output"):
    """None if `got` matches `want`, else a _Mismatch saying where and how."""
    if isinstance(got, Unencodable):
        message = f"{where} is {got.description}, which cannot be checked"
        return _Mismatch(message, message)
    if isinstance(want, (np.ndarray, np.generic)) and not isinstance(want, np.bool_):
        return _compare_arrays(got, want, where, rtol, atol, check_dtype)
    if isinstance(want, (bool, np.bool_)):
        if isinstance(got, (bool, np.bool_)) and bool(got) == bool(want):
            return None
        return _Mismatch(f"{where} is {_short(got)}, expected {want}", f"{where} is not right")
    if _is_real(want):
        if _is_real(got) and float(got) == float(want):
            return None
        if _is_real(got) and abs(float(got) - float(want)) <= atol + rtol * abs(float(want)):
            return None
        if _is_real(got) and np.isnan(float(got)) and np.isnan(float(want)):
            return None
        return _Mismatch(
            f"{where} is {_short(got)}, expected {want!r}",
            f"{where} is {_short(got)}, which is not the expected value",
        )
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            message = f"{where} is {_kind_of(got)}, not a sequence of {len(want)} items"
            return _Mismatch(message, message)
        if len(got) != len(want):
            return _Mismatch(
                f"{where} has {len(got)} items, expected {len(want)}",
                f"{where} has {len(got)} items, which is not the expected number",
            )
        for index, (got_item, want_item) in enumerate(zip(got, want, strict=True)):
            mismatch = compare(got_item, want_item, rtol, atol, check_dtype, f"{where}[{index}]")
            if mismatch:
                return mismatch
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            got_keys = sorted(got) if isinstance(got, dict) else _kind_of(got)
            return _Mismatch(
                f"{where} has keys {got_keys}, expected {sorted(want)}",
                f"{where} does not have the expected keys",
            )
        for key in want:
            mismatch = compare(got[key], want[key], rtol, atol, check_dtype, f"{where}[{key!r}]")
            if mismatch:
                return mismatch
        return None
    if type(got) is type(want) and got == want:
        return None
    return _Mismatch(
        f"{where} is {_short(got)}, expected {_short(want)}",
        f"{where} is {_short(got)}, which is not the expected value",
    )


def _reject(name, message, public=None):
    return Verdict(False, f"check {name!r}: {message}", f"check {name!r}: {public or message}")


def _decide_function(check, record):
    if "error" in record:
        return _reject(check.name, str(record["error"])[:500])
    outputs = record.get("outputs")
    references = check.reference_outputs()
    if not isinstance(outputs, list) or len(outputs) != len(references):
        raise RecordError("function record without one output per case")
    for number, (output, (case, expected)) in enumerate(zip(outputs, references, strict=True)):
        label = f"case {number + 1} of {len(references)} ({case.describe()})"
        if not isinstance(output, dict):
            raise RecordError("output entry is not an object")
        if "error" in output:
            return _reject(check.name, f"{label} raised {str(output['error'])[:500]}")
        if "value" not in output:
            raise RecordError("output entry has neither a value nor an error")
        got = decode(output["value"])
        mismatch = compare(got, expected, check.rtol, check.atol, check.check_dtype)
        if mismatch:
            message, public = f"{label}: {mismatch.message}", f"{label}: {mismatch.public}"
            return _reject(check.name, message, public)
    return Verdict(True)


def _decide_value(check, record):
    if "value" not in record:
        raise RecordError("value record without a value")
    value = decode(record["value"])
    if check.judge is None:
        mismatch = compare(value, check.expected, check.rtol, check.atol, where="the answer")
        # The expected answer of a value check is the exercise's answer: never shown.
        return _reject(check.name, mismatch.public) if mismatch else Verdict(True)
    if isinstance(value, Unencodable):
        return _reject(check.name, f"the answer is {value.description}, which cannot be checked")
    try:
        ok, message = check.judge(value)
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"
        return _reject(check.name, f"the answer could not be judged ({problem})")
    return Verdict(True) if ok else _reject(check.name, str(message))


def decide(record):
    """The Verdict on one record (a dict parsed from JSON), using this process's registry."""
    name = record.get("check") if isinstance(record, dict) else None
    try:
        check = get_check(name)
    except LookupError as error:
        return Verdict(False, str(error), f"no check named {str(name)[:80]!r} exists")
    try:
        if record.get("kind") != check.kind:
            raise RecordError(f"record of kind {record.get('kind')!r} for a {check.kind} check")
        if check.kind == "function":
            return _decide_function(check, record)
        return _decide_value(check, record)
    except RecordError as error:
        return _reject(name, f"the recorded answer is malformed ({error})")
